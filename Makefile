# RechnungsWerk: `make run` starts everything, `make test` runs every test suite.
# Both install what is missing first, so a fresh clone needs nothing done by hand.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.deps-stamp

.PHONY: run test test-backend bench deps sysdeps clean

deps: $(PY_STAMP)

# Reinstall whenever a requirements file or the package metadata changes.
$(PY_STAMP): backend/requirements.txt backend/requirements-dev.txt backend/requirements-rules.txt backend/pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r backend/requirements-dev.txt
	$(BIN)/pip install --disable-pip-version-check -q --no-deps --require-hashes -r backend/requirements-rules.txt
	$(BIN)/pip install --disable-pip-version-check -q --no-deps -e backend
	@touch $@

# Debian programs the tests call (zbarimg, pdftoppm, pdftotext); installs only what is missing.
sysdeps:
	./scripts/ensure-system-packages.sh

run: deps
	$(BIN)/rechnungswerk run

test: deps sysdeps
	./scripts/test.sh

test-backend: deps sysdeps
	cd backend && ../$(BIN)/python -m pytest -q

bench: deps
	./scripts/bench.sh

clean:
	rm -rf $(VENV) data
