#!/usr/bin/env bash
# Every test suite, in the order a failure is cheapest to find. Called by `make test`
# (after the Python dependencies are installed) and therefore by CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

echo "== backend tests (PostgreSQL 127.0.0.1:5432, Redis 127.0.0.1:6379)"
(cd backend && ../$PY -m pytest -q -p no:cacheprovider)

# SQLite is what `make run` uses without configuration: the same suite runs there too (tests
# that need PostgreSQL's concurrency skip themselves), after the smoke run of the main flow.
echo "== smoke run on SQLite (migrations + main flow)"
(cd backend && TEST_DATABASE=sqlite ../$PY -m pytest -q -p no:cacheprovider -m smoke)
echo "== backend tests on SQLite"
(cd backend && TEST_DATABASE=sqlite ../$PY -m pytest -q -p no:cacheprovider -m "not smoke")

# The web app last: it needs the backend working, and it is the slowest to start.
./scripts/test-web.sh
