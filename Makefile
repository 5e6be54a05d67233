# make test: the whole suite on SQLite, then on the local PostgreSQL.
PYTHON ?= python3
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
TEST_HOME := $(shell mktemp -d -t dossier-test-XXXXXX)

.PHONY: test test-sqlite test-postgres lint bench docs

test: lint test-sqlite test-postgres

test-sqlite:
	DOSSIER_HOME=$(TEST_HOME)/sqlite $(PYTHON) -m pytest -q $(PYTEST_ARGS)

test-postgres:
	DOSSIER_HOME=$(TEST_HOME)/pg DOSSIER_DATABASE_URL=$(PG_URL) $(PYTHON) -m pytest -q $(PYTEST_ARGS)

lint:
	$(PYTHON) -m ruff check src tests bench

docs:
	$(PYTHON) -m dossier.cli.docs > docs/cli.md

bench:
	$(PYTHON) bench/ingest_bench.py
