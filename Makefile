# wiredesk: `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install demo airflow airflow-stop test lint typecheck unit bench lock clean

help: ## Show this help.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(INSTALLED): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

install: $(INSTALLED) ## Create .venv and install wiredesk and its pinned dependencies.

demo: $(INSTALLED) ## Load the bundled sample pages into the embedded Postgres and show what landed.
	$(BIN)/wiredesk demo

airflow: $(INSTALLED) ## Start Airflow 3 on 127.0.0.1:8080 with the DAGs in dags/; prints the URL and login.
	BIN=$(BIN) scripts/airflow.sh start

airflow-stop: ## Stop the Airflow that `make airflow` started (its whole process group, triggerer included).
	scripts/airflow.sh stop

lint: $(INSTALLED) ## ruff check, ruff format --check, and the import contracts (layers in data-flow order, no circles).
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(INSTALLED) ## mypy (strict on pipeline/).
	$(BIN)/mypy

unit: $(INSTALLED) ## The test suite alone (needs PostgreSQL on 127.0.0.1:5432).
	$(BIN)/pytest

test: lint typecheck unit ## Lint, type-check and run the test suite.

bench: $(INSTALLED) ## Benchmarks: load, extraction, dedupe vs datasketch, fetch vs httpx, queries at 1M.
	$(BIN)/python benchmarks/load.py
	$(BIN)/python benchmarks/extraction.py
	$(BIN)/python benchmarks/dedupe.py
	$(BIN)/python benchmarks/fetch.py
	$(BIN)/python benchmarks/queries.py

lock: ## Re-resolve requirements.lock (and the Docker image's requirements-runtime.lock) from pyproject.toml (needs uv).
	uv pip compile pyproject.toml --extra dev --extra airflow --python-version 3.11 --generate-hashes -o requirements.lock
	uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -c requirements.lock -o requirements-runtime.lock

clean: ## Remove the virtualenv and caches.
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis .airflow
