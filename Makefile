# Meldcode – two commands: `make run` (demo on SQLite) and `make test` (full suite on PostgreSQL).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench install install-dev check lint clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(PY) tests/run_suite.py $(ARGS)

# The board benchmark (bench/; README "Performance"): builds a tenth-size and a full-size
# board in their own PostgreSQL databases (DATABASE_URL names the server), times them and
# writes bench/results/latest.md and latest.json. Not part of `make test`.
BENCH_SMALL ?= 0.1
BENCH_BIG ?= 1.0
BENCH_REQUESTS ?= 50
BENCH_LOAD_SECONDS ?= 60
# The audit and access-log rows of the big board alone (hashing 8 million chained rows
# takes the longest): e.g. BENCH_LOG_SCALE=0.1.
BENCH_LOG_SCALE ?= $(BENCH_BIG)
bench: install-dev
	$(PY) bench/generate.py --scale $(BENCH_SMALL) --database meldcode_bench_small
	$(PY) bench/generate.py --scale $(BENCH_BIG) --log-scale $(BENCH_LOG_SCALE) \
		--database meldcode_bench_big
	$(PY) bench/run.py --database meldcode_bench_small --label small \
		--requests $(BENCH_REQUESTS) --load-seconds $(BENCH_LOAD_SECONDS)
	$(PY) bench/run.py --database meldcode_bench_big --label big \
		--requests $(BENCH_REQUESTS) --load-seconds $(BENCH_LOAD_SECONDS)
	$(PY) bench/report.py --small small --big big

check: install-dev
	DEBUG=1 $(PY) manage.py check
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m ruff check .

lint: check

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
