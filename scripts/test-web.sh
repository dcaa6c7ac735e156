#!/usr/bin/env bash
# The web app's part of `make test`: npm packages, Debian's Chromium, the generated API
# client checked against the backend's current OpenAPI document, a production build (which
# fails on any type error), and Playwright against a real stack that scripts/e2e-stack.py
# starts on free ports with a private database and queue, and tears down again.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

echo "== web app: npm packages and Chromium"
make -s -C frontend deps
bash scripts/ensure-chromium.sh

echo "== web app: generated API client matches the backend's OpenAPI"
schema="$(mktemp -t rw-openapi-XXXXXX.json)"
trap 'rm -f "$schema"' EXIT
.venv/bin/rechnungswerk openapi -o "$schema"
(cd frontend && npm run -s check:api -- --file "$schema")

echo "== web app: production build (type check included)"
make -s -C frontend rebuild

echo "== web app: Playwright in Chromium against the real stack (and the mock portal API for its edge states)"
$PY scripts/e2e-stack.py
