"""`make bench`: runs every benchmark and prints one table.

Each module in this folder with a `run() -> list[Row]` contributes rows; the order below is
the order of the table (the foundation's API throughput first).
"""

from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Row, print_table  # noqa: E402

MODULES = [
    "invoices_api",
    "einvoice_xml",
    "einvoice_pdf",
    "background",
    "recurring",
    "portal",
    "portal_web",
]


def main(selected: list[str]) -> int:
    rows: list[Row] = []
    for name in selected or MODULES:
        path = Path(__file__).with_name(f"{name}.py")
        if not path.exists():
            continue
        print(f"… {name}", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(name)
            rows.extend(module.run())
        except Exception:  # noqa: BLE001 - one broken benchmark must not hide the others
            traceback.print_exc()
            rows.append(Row(f"{name}: FEHLER", 0.0, "", "-", False, "siehe Ausgabe oben"))
    print_table(rows)
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
