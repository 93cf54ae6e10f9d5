# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 5000
export PORT

.PHONY: run test test-sqlite test-postgresql coverage lint setup db demo serve clean bench line-richmenu

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

db: $(STAMP)
	$(BIN)/flask --app wsgi i18n compile
	$(BIN)/flask --app wsgi db upgrade

demo: db
	$(BIN)/flask --app wsgi demo load

# RUN_HINT=1 (make run): once ready, print the address and how to create the first account.
serve:
	RONGRIAN_RUN_HINT=$(RUN_HINT) $(BIN)/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) wsgi:app

run: demo
	$(MAKE) --no-print-directory serve RUN_HINT=1

test: test-sqlite test-postgresql

# pytest-xdist: TEST_WORKERS processes (TEST_WORKERS=0: one); the browser tests stay on one of them.
TEST_WORKERS ?= 2
PARALLEL = -n $(TEST_WORKERS) --dist loadgroup
COVERED = rongrian casework complaints whistleblow admin lineoa transparency

test-sqlite: $(STAMP)
	@if [ "$$CI" = "true" ]; then scripts/ensure-chromium; scripts/ensure-fonts; fi
	$(BIN)/pytest --db=sqlite $(PARALLEL)

# CI sets TEST_DATABASE_URL and CI=true: there the PostgreSQL pass is required, not skipped.
test-postgresql: $(STAMP)
	@if [ "$$CI" = "true" ]; then scripts/ensure-chromium; scripts/ensure-fonts; fi
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		$(BIN)/pytest --db=postgresql $(PARALLEL); \
	elif [ "$$CI" = "true" ]; then \
		echo "CI=true but TEST_DATABASE_URL is not set: the PostgreSQL run is required" >&2; exit 1; \
	else \
		echo "TEST_DATABASE_URL not set: PostgreSQL pass skipped (CI runs it)"; \
	fi

# Line coverage of the SQLite pass.
coverage: $(STAMP)
	$(BIN)/pytest --db=sqlite $(PARALLEL) $(addprefix --cov=,$(COVERED)) --cov-report=term

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Not part of `make test`: PostgreSQL at BENCH_SERVER (default postgresql://postgres@127.0.0.1),
# database BENCH_DATABASE (default bench_rongrian, created afresh, dropped afterwards), wrk from
# Debian. Seeds 100k then 1M cases (BENCH_CASES) and prints the ratio table (bench/run.py).
bench: $(STAMP)
	scripts/ensure-wrk
	$(BIN)/python -m bench

# Draw the LINE rich menu (with a Thai font the machine has) and make it the account's default.
line-richmenu: $(STAMP)
	scripts/ensure-fonts
	$(BIN)/flask --app wsgi line richmenu

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .coverage
