"""The analyst SQL workbench (自助查询) without Streamlit: guarded execution, errors, schema browser.

The guard rails, outermost first:

1. DuckDB's own parser splits the text; exactly one statement of a reading type
   (SELECT, EXPLAIN, PRAGMA) is accepted, so a write smuggled after a read is
   refused before anything runs.
2. The statement runs on a cursor of the warehouse's read-only connection with
   external access disabled and the configuration locked
   (`fiscallens.warehouse.connect_readonly`). This is the real guard: it refuses
   writes that parse as a SELECT (`WITH x AS (DELETE … RETURNING *) SELECT …`),
   state-changing PRAGMAs, and every file or network access.
3. A watchdog interrupts the cursor after the time limit, from parsing to the
   last fetched row; only that cursor stops, other sessions' queries go on.
   DuckDB cannot interrupt parsing and planning, so SQL text longer than
   WORKBENCH_MAX_SQL_CHARS, or whose syntax tree with its CTEs expanded is
   larger than WORKBENCH_MAX_SYNTAX_NODES, is refused before it is planned.
   The connection has a memory_limit (settings.QUERY_MEMORY_MB) and runs a query on
   settings.QUERY_THREADS threads (one: a heavy query holds one core, not the machine).
4. Rows are streamed and at most `limit + 1` rows and about `max_bytes` bytes
   are fetched, so a huge result neither fills memory nor has to be computed
   in full.
5. Paths of the warehouse and of DuckDB's own files are masked in results and
   errors (duckdb_settings() lists them).

The web page (`pages/sql_workbench.py`) and `python -m fiscallens sql` both call
`run_analyst_sql`, so they refuse exactly the same things; a full download's rows come through
`run_analyst_export`, the same guard rails with the rows as an Arrow table.

The package's modules, each one job: `guard` (what may run: one reading statement of a
plannable size), `run` (the slot, the watchdog, bounded fetching, masked paths), `errors`
(Chinese messages with DuckDB's line and column), `schema` (the schema browser) and `gallery`
(the example and the named queries). Downloads of a result are `fiscallens.downloads`; the
terminal's table, CSV and JSON output is the CLI's (`fiscallens.cli`).
"""

from __future__ import annotations

from fiscallens.warehouse import QueryTimeout
from fiscallens.workbench.errors import QueryRefused, SqlError, WorkbenchBusy, WorkbenchError
from fiscallens.workbench.gallery import DEFAULT_SQL, named_queries, named_query, named_query_for
from fiscallens.workbench.guard import check_statement, sql_params
from fiscallens.workbench.run import Export, Result, analyst_slot, run_analyst_export, run_analyst_sql
from fiscallens.workbench.schema import TableInfo, sample_rows, sample_sql, schema

# The workbench's public API, used by the 自助查询 page, its UI glue and `python -m fiscallens sql`.
__all__ = [
    "DEFAULT_SQL",
    "Export",
    "QueryRefused",
    "QueryTimeout",
    "Result",
    "SqlError",
    "TableInfo",
    "WorkbenchBusy",
    "WorkbenchError",
    "analyst_slot",
    "check_statement",
    "named_queries",
    "named_query",
    "named_query_for",
    "run_analyst_export",
    "run_analyst_sql",
    "sample_rows",
    "sample_sql",
    "schema",
    "sql_params",
]
