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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    doc = ten_line_invoice()
    ubl, cii, fx = render_ubl(doc), render_cii(doc), render_cii(doc, profile="facturx")

    rows = []
    for label, fn in (
        ("XRechnung UBL XML, 10 lines", lambda: render_ubl(doc)),
        ("XRechnung CII XML, 10 lines", lambda: render_cii(doc)),
    ):
        per_s, median = throughput(fn, args.seconds)
        rows.append((label, f"{per_s:,.0f}/s", f"{median:.3f} ms", ">= 500/s", "ok" if per_s >= 500 else "MISS"))

    t0 = time.perf_counter()
    warm_up()
    start = time.perf_counter() - t0
    rows.append(("Validation engine start + compile", "-", f"{start * 1000:.0f} ms", "-", "-"))
    for label, fn in (
        ("Validate UBL (XSD+CEN+KoSIT), warm", lambda: validate_xml(ubl, "ubl")),
        ("Validate CII (XSD+CEN+KoSIT), warm", lambda: validate_xml(cii, "cii")),
        ("Validate Factur-X EN16931 CII, warm", lambda: validate_facturx_cii(fx)),
    ):
        assert fn().valid, label
        median, worst = timed(fn, args.repeat)
        rows.append((label, f"{1000 / median:,.0f}/s", f"{median:.1f} ms", f"max {worst:.1f} ms", "-"))
    shutdown()

    widths = [max(len(str(r[i])) for r in rows + [HEADER]) for i in range(len(HEADER))]
    for row in [HEADER, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


HEADER = ("e-invoice XML", "rate", "median", "target/worst", "")

if __name__ == "__main__":
    main()
