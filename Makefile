# Schoolportal: `make run` serves the demo school, `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= schoolportal.settings.dev

.PHONY: run test test-postgres test-e2e prove-scaleout prove-board bench lint install install-test migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py demo

## Serve the demo school on http://127.0.0.1:$(PORT) with a django-q2 worker, until Ctrl-C.
run: demo
	$(BIN)/python site/deploy/run_dev.py --port $(PORT)

## The whole suite, on SQLite (or on DATABASE_URL/REDIS_URL when set).
test: install-test
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=schoolportal.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=schoolportal.settings.test $(BIN)/pytest -p no:cacheprovider

## The suite against PostgreSQL and Redis (a fresh database per run).
test-postgres: install-test
	site/deploy/test_postgres_redis.sh

## Several hosts on one machine: two gunicorns, two qclusters, PostgreSQL, Redis and moto's S3
## server; an album photo across web processes, a 2,000-family mailing with a worker killed
## (bench/scaleout.py; exits 1 when a family gets no e-mail or two).
prove-scaleout: install-test
	$(BIN)/python bench/scaleout.py

## A generated 30-school board (10,000 families) on PostgreSQL and Redis: the parent pages
## need no more queries than with one school, and a mailing to every school reaches every
## address through two task hosts (bench/board.py; its timings are reported, not enforced).
prove-board: install-test
	$(BIN)/python bench/board.py

## Browser journeys: Playwright drives Debian's chromium against a real server on a fresh
## SQLite demo school, with axe-core checks (installs chromium, axe-core and playwright first).
test-e2e: install-test
	site/e2e/install.sh $(BIN)
	SCHOOLPORTAL_E2E=1 DJANGO_SETTINGS_MODULE=schoolportal.settings.test $(BIN)/pytest -p no:cacheprovider tests/e2e

## Load and cost of the parent pages (see bench/run.py; installs wrk with apt when missing),
## the calendar feed, and publishing and delivering a mailing (bench/mailing.py; its SMTP
## sink is aiosmtpd, a test dependency); a generated 30-school board on PostgreSQL and Redis
## (bench/board.py: query counts, a board-wide mailing published and sent by two task hosts);
## a Monday morning's mixed workload on one and on two web processes (bench/monday.py).
bench: install-test
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/feed.py
	$(BIN)/python bench/mailing.py
	$(BIN)/python bench/pupilimport.py
	$(BIN)/python bench/board.py
	$(BIN)/python bench/monday.py

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var
