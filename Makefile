# FiscalLens — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB := data/warehouse.duckdb
PORT ?= 8501

.PHONY: run test test-fast test-unit test-ocr test-browser test-spark lint format build check clean bench bench-synth

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

# ui/serve.py is `streamlit run app.py` with pages/ routed by st.navigation from the first request on.
# Image, PDF and brief exports render in Chromium with a CJK font: set up as for `make test` (apt as root
# on Debian); where that cannot be done the app still starts and each export button says what is missing.
run: $(DB)
	@sh tests/browser/ensure-browser.sh || \
		echo "提示：未能安装 chromium 或 fonts-noto-cjk，图片、PDF 与简报导出不可用（应用照常启动）。安装：sudo apt install chromium fonts-noto-cjk"
	FISCALLENS_DB=$(DB) $(PY) -m ui.serve --server.port $(PORT) --browser.gatherUsageStats false

# Layers: unit, end-to-end and AppTest first; then the real-browser tests (marked `browser`); then Spark (`spark`).
# pytest exits non-zero (5) when it collects no test: make stops there, so that counts as a failure.
test: test-unit
	@$(MAKE) --no-print-directory test-ocr
	@$(MAKE) --no-print-directory test-browser
	@$(MAKE) --no-print-directory test-spark

# tests/unit/: no warehouse, no app, no browser; seconds. The rest of this layer builds warehouses and runs AppTest.
test-unit: $(VENV)/.installed-dev
	$(PY) -m pytest -q -n auto -m "not browser and not spark and not ocr"

test-fast: $(VENV)/.installed-dev
	$(PY) -m pytest -q tests/unit

# Offline OCR of scanned PDFs (RapidOCR): seconds per page, so a layer of its own.
test-ocr: $(VENV)/.installed-dev
	$(PY) -m pytest -q -m ocr

# Needs Debian's chromium and a Chinese font; as root on Debian (CI) tests/browser/ensure-browser.sh
# installs them with apt. Without them the layer is skipped with a message, or fails when
# FISCALLENS_REQUIRE_BROWSER=1 (.ci/run sets it).
test-browser: $(VENV)/.installed-dev
	@if sh tests/browser/ensure-browser.sh; then \
		echo "$(PY) -m pytest -q -m browser"; $(PY) -m pytest -q -m browser; \
	elif [ "$${FISCALLENS_REQUIRE_BROWSER:-}" = 1 ]; then \
		echo "浏览器测试无法运行：缺少 chromium 或 fonts-noto-cjk / browser tests required (FISCALLENS_REQUIRE_BROWSER=1) but chromium or fonts-noto-cjk missing" >&2; \
		exit 1; \
	else \
		echo "浏览器测试已跳过：缺少 chromium 或 fonts-noto-cjk / browser tests skipped: chromium or fonts-noto-cjk missing"; \
	fi

# The Spark layer (tests/spark, marked `spark`): the named queries on Apache Spark in local mode over
# `fiscallens export`, compared with DuckDB. Needs Java 17+ and pyspark (requirements-dev.txt);
# skipped with a message when there is no Java.
test-spark: $(VENV)/.installed-dev
	@if java -version >/dev/null 2>&1; then \
		echo "$(PY) -m pytest -q -m spark tests/spark"; $(PY) -m pytest -q -m spark tests/spark; \
	else \
		echo "Spark 测试已跳过：没有 Java / Spark tests skipped: no java (apt-get install openjdk-17-jre-headless)"; \
	fi

# ruff, then the layering contracts in pyproject.toml ([tool.importlinter]): core without UI, readers side by
# side, UI glue without pipeline stages, no import cycles.
lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(VENV)/.installed-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

check: $(DB)
	$(PY) -m fiscallens check --db $(DB)

# Benchmarks (bench/README.md): every script in bench/ writes bench/results/<name>.json.
bench: $(VENV)/.installed-dev
	$(PY) -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

# Only the synthetic-corpus benchmarks (bench/synth_*.py; bench/report.py renders their tables into
# bench/README.md), in the order that lets the later ones reuse the 1k warehouse the first one times.
# BENCH_SKIP_100K=1 skips the 100k warehouse; BENCH_INGEST_BUDGET=<seconds> bounds each timed build (0 = none).
bench-synth: $(VENV)/.installed-dev
	@for script in bench/synth_ingest.py bench/synth_accuracy.py bench/synth_queries.py; do \
		echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -f $(DB) $(DB).wal
