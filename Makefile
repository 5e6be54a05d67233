# make test: the whole suite on SQLite, then on the local PostgreSQL.
PYTHON ?= python3
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
TEST_HOME := $(shell mktemp -d -t dossier-test-XXXXXX)

.PHONY: test test-sqlite test-postgres lint bench bench-quick bench-ingest docs

test: lint test-sqlite test-postgres

test-sqlite:
	DOSSIER_HOME=$(TEST_HOME)/sqlite $(PYTHON) -m pytest -q $(PYTEST_ARGS)

test-postgres:
	DOSSIER_HOME=$(TEST_HOME)/pg DOSSIER_DATABASE_URL=$(PG_URL) $(PYTHON) -m pytest -q $(PYTEST_ARGS)

lint:
	$(PYTHON) -m ruff check src tests bench

docs:
	$(PYTHON) -m dossier.cli.docs > docs/cli.md

# make bench: Dossier against notmuch and mu on the whole linux-btrfs corpus (see bench/README.md);
# make bench-quick (or make bench ARGS=--quick): the first 10,000 files. Both rewrite bench/RESULTS.md.
bench:
	$(PYTHON) bench/compare.py $(ARGS)

bench-quick:
	$(PYTHON) bench/compare.py --quick $(ARGS)

# Dossier alone, ingest only, at several corpus sizes.
bench-ingest:
	$(PYTHON) bench/ingest_bench.py $(ARGS)
