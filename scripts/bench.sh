#!/usr/bin/env bash
# Every benchmark in bench/, one after the other; each prints its own table. `make bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
for script in bench/*.py; do
  echo "== $script"
  .venv/bin/python "$script"
done
