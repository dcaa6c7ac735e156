"""Benchmark: XRechnung XML writers and warm official validation, in one process.

    .venv/bin/python bench/einvoice_xml.py [--seconds 2]

Prints a table. The document is the scenario factory's ten-line invoice (two VAT rates).
Validation time is measured after the Saxon worker has started and compiled its rules
(`warm_up()`), i.e. what a request to the validation endpoint costs.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "backend"))
sys.path.insert(0, str(ROOT / "bench"))

from common import Row, print_table  # noqa: E402

from app.einvoice.cii import render_cii  # noqa: E402
from app.einvoice.ubl import render_ubl  # noqa: E402
from app.einvoice.validation import shutdown, validate_facturx_cii, validate_xml, warm_up  # noqa: E402
from tests.einvoice.scenarios import ten_line_invoice  # noqa: E402


def throughput(fn, seconds: float) -> tuple[float, float]:
    """Calls per second and median milliseconds per call over about `seconds`."""
    for _ in range(50):
        fn()
    samples = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return len(samples) / sum(samples), statistics.median(samples) * 1000


def timed(fn, repeat: int) -> tuple[float, float]:
    """Median and max milliseconds per call."""
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples), max(samples)


def run(seconds: float = 2.0, repeat: int = 30) -> list[Row]:
    doc = ten_line_invoice()
    ubl, cii, fx = render_ubl(doc), render_cii(doc), render_cii(doc, profile="facturx")

    rows = []
    for label, fn in (
        ("XRechnung UBL-XML, 10 Positionen", lambda: render_ubl(doc)),
        ("XRechnung CII-XML, 10 Positionen", lambda: render_cii(doc)),
    ):
        per_s, median = throughput(fn, seconds)
        rows.append(Row(label, per_s, "/s", ">= 500/s", per_s >= 500, f"Median {median:.3f} ms, 1 Prozess"))

    t0 = time.perf_counter()
    warm_up()
    start = time.perf_counter() - t0
    rows.append(Row("Validierung: Start + Regeln kompilieren (einmalig)", start * 1000, "ms", "-", True))
    for label, fn in (
        ("Validierung UBL (XSD+CEN+KoSIT), warm", lambda: validate_xml(ubl, "ubl")),
        ("Validierung CII (XSD+CEN+KoSIT), warm", lambda: validate_xml(cii, "cii")),
        ("Validierung Factur-X EN 16931, warm", lambda: validate_facturx_cii(fx)),
    ):
        assert fn().valid, label
        median, worst = timed(fn, repeat)
        rows.append(Row(label, median, "ms", "-", True, f"max {worst:.1f} ms"))
    shutdown()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    print_table(run(args.seconds, args.repeat))


if __name__ == "__main__":
    main()
