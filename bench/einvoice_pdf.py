"""Benchmark: the ZUGFeRD / Factur-X PDF for a ten-line invoice, XML embedded, in one process.

    .venv/bin/python bench/einvoice_pdf.py [--seconds 3]

Prints a table. Each call renders a different invoice number, so nothing that depends on
the content (GiroCode, subsets, the document ID) can come from a cache. The timed call
produces the Factur-X CII and renders the PDF with it embedded, as a download does.
"""

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "backend"))

from app.einvoice.pdf import render_pdf  # noqa: E402
from tests.einvoice_pdf import scenarios as S  # noqa: E402

from app.einvoice.cii import render_cii  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from common import Row, print_table  # noqa: E402


def documents(n: int):
    base = S.standard(10, logo=S.logo_png())
    for i in range(n):
        number = f"RE-2026-{i:05d}"
        yield replace(base, number=number, payment=replace(base.payment, remittance_text=number))


def _measure(fn, docs, seconds: float) -> tuple[float, float, float]:
    """(per second, median ms wall, median ms CPU) over about `seconds`."""
    for d in docs[:20]:  # warm-up: font parsing, imports
        fn(d)
    wall, cpu = [], []
    i = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        d = docs[i % len(docs)]
        i += 1
        t0, c0 = time.perf_counter(), time.process_time()
        fn(d)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - t0)
    return len(wall) / sum(wall), statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def run(seconds: float = 4.0) -> list[Row]:
    from app.invoices.archive import render_all

    docs = list(documents(500))

    def pdf_with_xml(d):  # what a ZUGFeRD download costs: the CII is made and embedded
        return render_pdf(d, render_cii(d, profile="facturx"), created_at=S.CREATED)

    rows = []
    per_s, median, cpu = _measure(pdf_with_xml, docs, seconds)
    rows.append(
        Row(
            "ZUGFeRD-PDF/A-3b inkl. CII-XML, 10 Positionen",
            per_s,
            "/s",
            ">= 40/s, Median <= 25 ms",
            per_s >= 40 and median <= 25,
            f"Median {median:.1f} ms (CPU {cpu:.1f} ms), 1 Prozess, Last {os.getloadavg()[0]:.1f}",
        )
    )
    per_s, median, cpu = _measure(lambda d: render_all(d, S.CREATED), docs, seconds / 2)
    rows.append(
        Row(
            "Archiv je Rechnung: PDF + UBL + CII",
            per_s,
            "/s",
            "-",
            True,
            f"Median {median:.1f} ms (CPU {cpu:.1f} ms)",
        )
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args()
    print_table(run(args.seconds))


if __name__ == "__main__":
    main()
