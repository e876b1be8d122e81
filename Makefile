# Styrkort — the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PORT   ?= 8000
export DEBUG ?= true
export DJANGO_ALLOW_ASYNC_UNSAFE = true

.PHONY: run test test-pg lint format install install-test clean

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

## make run — install, migrate, load the demo city once, print the sign-ins and serve.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Styrkort: http://127.0.0.1:$(PORT)/"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## make test — the whole suite on SQLite.
test: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

## make test-pg — the same suite on a throw-away PostgreSQL 15 server.
test-pg: install-test
	bash scripts/with-postgres.sh $(VENV)/bin/pytest

lint: install-test
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) data/*.sqlite3*
