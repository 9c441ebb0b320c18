"""Paths, limits and tolerances, named so that every threshold has one home."""

from __future__ import annotations

import math
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
# Hostile files (issue 14). A .docx/.xlsx is a zip: its central directory is checked before the file is
# opened, so a zip bomb is refused without being decompressed. Real report workbooks hold a few dozen
# entries, about 1 MB unpacked, and sheet XML compresses about 13 to 1; a bomb packs 300 to 1,000 to 1.
# openpyxl needs about 0.6 s and 18 MB per MB of sheet XML: 50 MB unpacked is 30 s and under 1 GB.
MAX_ARCHIVE_ENTRIES = 5_000
MAX_ARCHIVE_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ARCHIVE_RATIO = 100
ARCHIVE_RATIO_MIN_BYTES = 1024 * 1024  # the ratio is judged only for entries at least this large
# Cells (rows x columns of the used range) read from one sheet: a report's largest table is a few
# thousand rows by a few dozen columns; openpyxl makes a cell object for every slot of the range.
MAX_SHEET_CELLS = 2_000_000
# A page drawn for OCR is at most this many pixels (A3 at 200 dpi is 7.8 million); a larger page is drawn
# at a lower resolution that fits, and skipped with a finding when that would be under OCR_MIN_DPI.
OCR_MAX_PIXELS = 16_000_000
OCR_MIN_DPI = 50
# Reading one PDF/Word/Excel file runs in a child process with this wall-clock time and this much memory
# (address space beyond the process's own): over either, the file gets an error finding and the build goes on.
# The bundled PDFs read in 2-4 s and under 60 MB. OCR gets OCR_PAGE_SECONDS more for each page it starts:
# an A4 page at 200 dpi took 16 s and 700 MB on two busy cores.
FILE_READ_SECONDS = 300.0
OCR_PAGE_SECONDS = 120.0
FILE_READ_MEMORY_BYTES = 2 * 1024 * 1024 * 1024
# Rendered PDF/Word/Excel files kept in memory per process, so a file is parsed once per build.
RENDER_CACHE_SIZE = 32
# A folder where renderings are shared between the processes of one run (the test suite sets it).
RENDER_CACHE_ENV = "FISCALLENS_RENDER_CACHE"

# Problems with environment variables, in Chinese; the CLI prints them and exits non-zero (the
# defaults stand in meanwhile, so importing this module never fails).
SETTINGS_ERRORS: list[str] = []


def _env_number(name: str, default: float, low: float, high: float, what: str) -> float:
    """$name as a finite number in [low, high], or `default` (and a recorded error) when it is not."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not low <= value <= high:
        SETTINGS_ERRORS.append(f"环境变量 {name}={raw!r} 无效：{what}应为 {low:g} 到 {high:g} 之间的数字。")
        return default
    return value


# Analyst and page queries are interrupted after this many seconds (parse, plan, run and fetch).
QUERY_TIMEOUT_ENV = "FISCALLENS_QUERY_TIMEOUT"
MAX_QUERY_TIMEOUT_SECONDS = 600.0
QUERY_TIMEOUT_SECONDS = _env_number(QUERY_TIMEOUT_ENV, 5.0, 0.1, MAX_QUERY_TIMEOUT_SECONDS, "查询时间限制（秒）")
# DuckDB memory_limit of a read-only warehouse connection (all its cursors together): several users'
# queries at once on a 24 GB machine. What DuckDB holds outside its buffer manager (one vector of very
# wide strings) is bounded by the byte limits below instead.
QUERY_MEMORY_ENV = "FISCALLENS_QUERY_MEMORY_MB"
QUERY_MEMORY_MB = int(_env_number(QUERY_MEMORY_ENV, 2048, 64, 65536, "查询内存上限（MB）"))
# DuckDB threads of a read-only warehouse connection, i.e. per query. One: a page's queries take 3–30 ms
# at 100,000 reports and gain little from a second thread (all named queries at 100k, one after another:
# 4.68 s on one thread, 4.38 s on two), while its scheduler threads take CPU from everything else — on
# a 2-core machine a filter change settled in 0.48–0.50 s instead of 0.53–0.79 s (bench/README.md). And a
# heavy or hostile analyst query then holds one core, not the machine: the other sessions keep theirs.
QUERY_THREADS_ENV = "FISCALLENS_QUERY_THREADS"
QUERY_THREADS = int(_env_number(QUERY_THREADS_ENV, 1, 1, 256, "每个查询的线程数"))
# SQL workbench: longest SQL text (characters) and most syntax-tree nodes after expanding CTEs; DuckDB
# cannot interrupt parsing and planning, so what would take long there is refused before it starts.
WORKBENCH_MAX_SQL_CHARS = 100_000
WORKBENCH_MAX_SYNTAX_NODES = 50_000
# …and, counted the same way, most joins and set operations (UNION/EXCEPT/INTERSECT): the planner's
# cost grows faster than linearly in these (400 joined tables take 7 s to plan, 2,000 UNIONs 1 s).
WORKBENCH_MAX_JOINS = 100
WORKBENCH_MAX_SET_OPERATIONS = 256
# Bytes of a result held in memory: shown on the page, and fetched for a full download.
WORKBENCH_DISPLAY_BYTES = 32 * 1024 * 1024
WORKBENCH_EXPORT_BYTES = 256 * 1024 * 1024
# Seconds a download file (CSV/XLSX/Parquet of the full result) may take to write.
WORKBENCH_EXPORT_SECONDS = 20.0
# Cells (rows × columns) an Excel download holds, here and on the dashboards' 下载 Excel: XLSX is written
# cell by cell in Python (≈ 120,000 cells per CPU second on the 2-core machine), CSV and Parquet whole columns at
# once. Past it the file holds the first rows and the button says so (full results: CSV or Parquet).
XLSX_MAX_CELLS = 300_000
# SQL workbench (自助查询): rows shown on the page, and rows a full download may hold.
WORKBENCH_DISPLAY_ROWS = 1_000
# Analyst queries running at once in one process (all sessions together), and how long a query waits
# for a free slot: a hostile or heavy query (say, in a shared ?sql= link) then holds one slot, and the
# dashboards' own queries, which do not take a slot, keep their cores.
WORKBENCH_CONCURRENT_QUERIES = 1
WORKBENCH_SLOT_WAIT_SECONDS = 10.0
WORKBENCH_EXPORT_ROWS = 100_000
# Dashboard tables of per-report (or per-finding, per-project) rows show this many rows per page;
# the rest is a page away, counted in SQL. Charts are aggregated in SQL and never plot one mark per report.
TABLE_PAGE_ROWS = 100
# A sidebar list (区县, 部门) longer than this is offered only once the regions above narrow it: thousands
# of names in one selectbox help nobody and were most of a first page's websocket bytes at 100k reports.
FILTER_CHOICES_LIMIT = 500
# 报告详情: reports offered in the picker at once (narrow the filters for the rest).
REPORT_PICKER_ROWS = 500


def db_path_from_env() -> Path:
    """Warehouse path the app reads: $FISCALLENS_DB or the default."""
    return Path(os.environ.get(DB_ENV_VAR) or DEFAULT_DB_PATH)
