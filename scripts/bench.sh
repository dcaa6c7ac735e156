#!/usr/bin/env bash
# `make bench`: every benchmark, one table. Needs PostgreSQL and Redis like the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python bench/run_all.py "$@"
