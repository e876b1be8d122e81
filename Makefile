# Styrkort — the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PORT   ?= 8000
export DEBUG ?= true
export DJANGO_ALLOW_ASYNC_UNSAFE = true

.PHONY: run run-empty create-admin serve worker test test-pg lint format install install-test clean messages

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## make run — install, migrate, load the demo city once, print the sign-ins and serve, with a
## background worker beside the server (PDF and Word files, Kolada sync and imports are its jobs);
## both stop together.
WITH_WORKER = $(PY) manage.py run_worker --worker-id $(shell hostname)-run-worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM;
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_demo
	@echo "Styrkort: http://127.0.0.1:$(PORT)/"
	$(WITH_WORKER) $(PY) manage.py runserver 127.0.0.1:$(PORT)

## make create-admin / make run-empty — an instance for your own municipality, without the demo,
## in a database of its own (data/empty/, or DATABASE_URL). README, "Starting empty".
EMPTY = DATA_DIR=$(or $(EMPTY_DATA_DIR),$(CURDIR)/data/empty)
create-admin: install
	$(EMPTY) $(PY) manage.py migrate --noinput -v 0
	$(EMPTY) $(PY) manage.py create_admin

run-empty: install
	$(EMPTY) $(PY) manage.py migrate --noinput
	$(EMPTY) $(PY) manage.py createcachetable
	@echo "Styrkort: http://127.0.0.1:$(PORT)/"
	export $(EMPTY); $(WITH_WORKER) $(PY) manage.py runserver 127.0.0.1:$(PORT)

## make serve — the production profile (DEBUG off; SECRET_KEY and ALLOWED_HOSTS from the
## environment): migrate, cache table, static files, gunicorn on 127.0.0.1:$(PORT). docs/deployment.md
PROD = DEBUG=false
serve: install
	$(PROD) $(PY) manage.py migrate --noinput
	$(PROD) $(PY) manage.py createcachetable
	$(PROD) $(PY) manage.py collectstatic --noinput -v 0
	$(PROD) PORT=$(PORT) $(VENV)/bin/gunicorn -c gunicorn.conf.py config.wsgi

## make worker — runs queued jobs (Kolada sync, reminders); first queues again what a killed
## worker with the same id left running, waits out a database outage, writes a heartbeat.
WORKER_ID ?= $(shell hostname)-worker
worker: install
	$(PROD) $(PY) manage.py run_worker --worker-id $(WORKER_ID)

## Tests run on every core (pytest-xdist), a file's tests on one worker so its fixtures are shared,
## the costliest files first (conftest.py orders them; xdist's own reordering is off).
## PYTEST_ARGS= runs them in one process; add test paths or -k to narrow.
PYTEST_ARGS ?= -n auto --dist loadfile --no-loadscope-reorder

## make test — the whole suite on SQLite. TEST_ARGS= adds to PYTEST_ARGS (CI: --durations=30).
TEST_ARGS ?=
test: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest $(PYTEST_ARGS) $(TEST_ARGS)

## make test-pg — the same suite on a throw-away PostgreSQL 15 server. CI (.ci/run) adds
## TEST_PG_ARGS=--only-database-tests: the tests that touch no database, and the layout walks
## (axe, widths; marker layout), ran already under make test.
TEST_PG_ARGS ?=
test-pg: install-test
	bash scripts/with-postgres.sh $(VENV)/bin/pytest $(PYTEST_ARGS) $(TEST_PG_ARGS)

## make bench — response times (median, p95), query counts, imports of 10,000 and 100,000 values
## and worker memory on generated cities, with the goals of issue 7 as PASS/FAIL. Choose with
## SCALES=small,medium,large and DBS=sqlite,postgres; results in bench/results/.
SCALES ?= medium,large
DBS    ?= sqlite,postgres
.PHONY: bench load
bench: install
	$(PY) bench/run.py --scales $(SCALES) --dbs $(DBS)

## make load — locust (50 users and 4 API writers, 60 s) against gunicorn on a throw-away PostgreSQL, SCALE=large.
SCALE ?= large
load: install
	bash bench/load.sh $(SCALE)

## make messages — English: extract the Swedish strings marked in the code into
## locale/en/LC_MESSAGES/django.po (needs GNU gettext) and compile django.mo. Translate what is new
## or fuzzy there, then run it again; core/tests/test_translations.py fails until nothing is missing.
I18N_IGNORE = --ignore=.venv --ignore=e2e --ignore=bench --ignore=artifacts --ignore=data \
	--ignore=static --ignore=docs --ignore=scripts --ignore='*/tests/*' --ignore='*.egg-info'
messages: install
	$(PY) manage.py makemessages -l en --no-obsolete $(I18N_IGNORE)
	$(PY) manage.py compilemessages -l en $(I18N_IGNORE)

lint: install-test
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) data/*.sqlite3*
