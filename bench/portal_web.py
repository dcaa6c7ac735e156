"""The public portal page in Chromium (issue 7's speed goals), for `make bench`.

Builds the web app if stale, then runs the Playwright project `bench`
(frontend/e2e/bench/portal.bench.ts) through scripts/e2e-stack.py against a throwaway real
stack: first-load JavaScript of the portal route (gzipped) and the Largest Contentful Paint
from the Performance API, median of five cold loads on 127.0.0.1 at 375 px.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, Row

JS_BUDGET_KB = 120.0
LCP_BUDGET_MS = 1000.0


def run() -> list[Row]:
    subprocess.run(["make", "-s", "-C", str(ROOT / "frontend"), "build"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["bash", str(ROOT / "scripts" / "ensure-chromium.sh")], check=True)
    with tempfile.TemporaryDirectory(prefix="rw-bench-web-") as tmp:
        out = Path(tmp) / "portal.json"
        env = dict(os.environ, E2E_BENCH=str(out))
        proc = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "e2e-stack.py"), "--", "--project=bench"],
            env=env, capture_output=True, text=True,
        )
        if proc.returncode != 0 or not out.exists():
            print(proc.stdout[-4000:], proc.stderr[-4000:], file=sys.stderr)
            raise RuntimeError("portal web bench failed")
        result = json.loads(out.read_text())
    lcp = statistics.median(result["lcp_ms"])
    ttfb = statistics.median(result["ttfb_ms"])
    return [
        Row("Portal-Seite: JavaScript beim ersten Laden (gzip)", result["js_kb"], "KB", f"≤ {JS_BUDGET_KB:.0f} KB", result["js_kb"] <= JS_BUDGET_KB),
        Row(
            "Portal-Seite: Largest Contentful Paint (Median, 5 kalte Aufrufe, 375 px)", lcp, "ms", f"≤ {LCP_BUDGET_MS:.0f} ms",
            lcp <= LCP_BUDGET_MS, f"Einzelwerte {result['lcp_ms']} ms",
        ),
        Row("Portal-Seite: Time to First Byte (Median)", ttfb, "ms", "-", True, "Server-Rendering inkl. API-Abruf"),
    ]


if __name__ == "__main__":
    from common import print_table

    print_table(run())
