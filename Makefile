# FiscalLens — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB := data/warehouse.duckdb
PORT ?= 8501

.PHONY: run test lint format build check clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Rebuilt when missing or older than any report or the extraction code.
$(DB): $(VENV)/.installed $(wildcard data/reports/*) $(wildcard fiscallens/*.py fiscallens/*/*.py fiscallens/*.sql)
	$(PY) -m fiscallens build data/reports --db $(DB) --rebuild

build: $(DB)

run: $(DB)
	FISCALLENS_DB=$(DB) $(PY) -m streamlit run app.py --server.port $(PORT) --browser.gatherUsageStats false

test: $(VENV)/.installed-dev
	$(PY) -m pytest -q

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.installed-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

check: $(DB)
	$(PY) -m fiscallens check --db $(DB)

clean:
	rm -f $(DB) $(DB).wal
