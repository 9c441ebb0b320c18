"""Paths, limits and tolerances, named so that every threshold has one home."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REPORTS_DIR = Path("data/reports")
DEFAULT_DB_PATH = Path("data/warehouse.duckdb")
DB_ENV_VAR = "FISCALLENS_DB"

# Text reports are at most a few hundred KB; anything this large is not one.
MAX_TEXT_BYTES = 20 * 1024 * 1024
# Share of decoded characters that must be printable for a file to count as text.
MIN_PRINTABLE_SHARE = 0.97
# How much of a document's head is searched for its title, year, region and department.
HEAD_LINES = 60
HEAD_CHARS = 4000

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".text", ""})
# Published formats read by fiscallens/formats: rendered to text with their tables as cell grids.
STRUCTURED_SUFFIXES = frozenset({".pdf", ".docx", ".xlsx", ".xlsm", ".xls"})
# Formats users download that no reader handles yet; they get a clear finding (save as .docx/.xlsx/PDF).
PENDING_SUFFIXES = frozenset({".doc", ".wps", ".et", ".ofd"})
# A published PDF or spreadsheet is at most tens of MB and a few hundred pages.
MAX_BINARY_BYTES = 100 * 1024 * 1024
MAX_PDF_PAGES = 500
# Rendered PDF/Word/Excel files kept in memory per process, so a file is parsed once per build.
RENDER_CACHE_SIZE = 32
# A folder where renderings are shared between the processes of one run (the test suite sets it).
RENDER_CACHE_ENV = "FISCALLENS_RENDER_CACHE"

# Analyst and page queries are interrupted after this many seconds.
QUERY_TIMEOUT_SECONDS = float(os.environ.get("FISCALLENS_QUERY_TIMEOUT", "5"))
# SQL workbench (自助查询): rows shown on the page, and rows a full download may hold.
WORKBENCH_DISPLAY_ROWS = 1_000
WORKBENCH_EXPORT_ROWS = 100_000
# Dashboard tables of per-report (or per-finding, per-project) rows show this many rows per page;
# the rest is a page away, counted in SQL. Charts are aggregated in SQL and never plot one mark per report.
TABLE_PAGE_ROWS = 100
# 报告详情: reports offered in the picker at once (narrow the filters for the rest).
REPORT_PICKER_ROWS = 500


def db_path_from_env() -> Path:
    """Warehouse path the app reads: $FISCALLENS_DB or the default."""
    return Path(os.environ.get(DB_ENV_VAR) or DEFAULT_DB_PATH)
