"""The schema browser: every table, view and table macro of the warehouse, with columns and COMMENTs."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from fiscallens.settings import QUERY_TIMEOUT_SECONDS
from fiscallens.workbench.errors import QueryRefused
from fiscallens.workbench.run import run_analyst_sql


@dataclass(frozen=True)
class TableInfo:
    name: str
    kind: str  # "表" | "视图" | "表宏"
    comment: str
    rows: int | None  # estimated rows of a table
    columns: pd.DataFrame = field(repr=False)  # 列, 类型, 说明


_SCHEMA_SQL = """
SELECT table_name AS name, '表' AS kind, coalesce(comment, '') AS comment, estimated_size AS rows, 0 AS ord
FROM duckdb_tables() WHERE NOT internal AND NOT temporary AND database_name = current_database()
UNION ALL
SELECT view_name, '视图', coalesce(comment, ''), NULL, 1
FROM duckdb_views() WHERE NOT internal AND NOT temporary AND database_name = current_database()
UNION ALL
SELECT DISTINCT ON (function_name) function_name, '表宏', coalesce(comment, description, ''), NULL, 2
FROM duckdb_functions()
WHERE NOT internal AND function_type = 'table_macro' AND database_name = current_database()
ORDER BY ord, name
"""

_COLUMNS_SQL = """
SELECT table_name, column_name AS 列, data_type AS 类型, coalesce(comment, '') AS 说明
FROM duckdb_columns() WHERE NOT internal AND database_name = current_database()
ORDER BY table_name, column_index
"""

_MACRO_PARAMS_SQL = """
SELECT function_name, parameters, macro_definition
FROM duckdb_functions()
WHERE NOT internal AND function_type = 'table_macro' AND database_name = current_database()
"""


def schema(con: duckdb.DuckDBPyConnection) -> list[TableInfo]:
    """Every table, view and table macro of the warehouse with its columns and Chinese COMMENTs."""
    cursor = con.cursor()
    try:
        objects = cursor.execute(_SCHEMA_SQL).fetchall()
        columns = cursor.execute(_COLUMNS_SQL).df()
        macros = {name: params for name, params, _ in cursor.execute(_MACRO_PARAMS_SQL).fetchall()}
    finally:
        cursor.close()
    by_table = {
        name: group.drop(columns="table_name").reset_index(drop=True) for name, group in columns.groupby("table_name")
    }
    empty = pd.DataFrame({"列": pd.Series(dtype=str), "类型": pd.Series(dtype=str), "说明": pd.Series(dtype=str)})
    infos = []
    for name, kind, comment, rows, _ in objects:
        if kind == "表宏":
            params = macros.get(name) or []
            cols = pd.DataFrame({"列": list(params), "类型": ["参数"] * len(params), "说明": [""] * len(params)})
        else:
            cols = by_table.get(name, empty)
        infos.append(TableInfo(name, kind, comment, None if rows is None else int(rows), cols))
    return infos


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def sample_sql(table: str, rows: int = 20) -> str:
    """A starting query over one table (for "查看样例" and "载入编辑器")."""
    return f"SELECT *\nFROM {_quote(table)}\nLIMIT {int(rows)}"


def sample_rows(
    con: duckdb.DuckDBPyConnection, table: str, rows: int = 20, *, timeout: float = QUERY_TIMEOUT_SECONDS
) -> pd.DataFrame:
    """The first rows of a table or view listed by `schema`."""
    known = {t.name for t in schema(con) if t.kind != "表宏"}
    if table not in known:
        raise QueryRefused(f"仓库中没有名为“{table}”的表或视图。")
    return run_analyst_sql(con, sample_sql(table, rows), timeout=timeout, limit=rows).frame
