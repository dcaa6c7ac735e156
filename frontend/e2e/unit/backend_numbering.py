"""Invoice number formats through the backend's own numbering module (for decimal.spec.ts).

stdin: [{"format", "date", "value"}]; stdout: [{"valid": bool, "rendered": str | null}].
"""

import json
import sys
from datetime import date

from app.invoices.numbering import render, validate_format

out = []
for case in json.load(sys.stdin):
    try:
        validate_format(case["format"])
        valid = True
    except ValueError:
        valid = False
    rendered = render(case["format"].strip(), date.fromisoformat(case["date"]), case["value"]) if valid else None
    out.append({"valid": valid, "rendered": rendered})
json.dump(out, sys.stdout)
