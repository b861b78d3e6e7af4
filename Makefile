# FOI Tracker: `make demo` runs the app with demo data; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint format bench check-real worker beat migrate clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

migrate: $(STAMP)
	mkdir -p var/broker
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py demo_data
	@echo ""
	@echo "FOI Tracker is running at http://$(HOST):$(PORT)/"
	@echo "  log in as admin / admin-demo-password (administrator)"
	@echo "  or coordinator / coordinator-demo-password, researcher / researcher-demo-password,"
	@echo "  viewer / viewer-demo-password (the Research team's roles)"
	@echo "  A Celery worker and beat run alongside on the filesystem broker; Ctrl-C stops all three."
	@echo ""
	$(PY) scripts/demo_run.py --host $(HOST) --port $(PORT)

# As root with apt-get, installs the Debian packages the tests need (the list is in
# scripts/system_packages.sh); otherwise the tests that need them are skipped and the
# run's last line names them with the apt-get command. CI=true makes any skip a failure.
test: $(STAMP)
	bash scripts/system_packages.sh install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP)
	$(PY) bench/clock_bench.py
	$(PY) bench/ingest_bench.py $(INGEST_BENCH_ARGS)
	$(PY) bench/dataset_bench.py $(DATASET_BENCH_ARGS)
	$(PY) bench/chase_bench.py $(CHASE_BENCH_ARGS)
	$(PY) bench/pdf_bench.py $(PDF_BENCH_ARGS)

# Reads ../shared/real-replies when present (real replies are never in the repository).
check-real: $(STAMP)
	$(PY) scripts/check_real.py $(REAL_REPLIES)

worker: $(STAMP)
	$(VENV)/bin/celery -A foitracker worker -l info

beat: $(STAMP)
	$(VENV)/bin/celery -A foitracker beat -l info

clean:
	rm -rf var/broker var/broker-processed var/broker-control .pytest_cache
