"""Materialised marts: the views of marts.sql that every page query reads, stored as tables.

marts.sql defines `report_summary`, `evaluation_detail`, `report_measures` (each report's basis, 三公
total and spending, which the ranking, peer and trend queries share) and `three_public_detail` (the 三公
figures with their report's filter columns) as views (one definition, which the Parquet export also
transpiles for Spark and Trino). Computed in every query they cost tens to hundreds of milliseconds at
100k reports (a window function over all evaluations, joins with the reports, the regions and their
labels, aggregates over the spending tables), so a build replaces each of them with a table of the same name, columns
and COMMENTs, computed once from the view's own SELECT: `materialise(con)`, called at the end of
`WarehouseWriter.refresh_reports` on every build, full or incremental. A warehouse where it has not
run (a schema just created) still has the views, which give the same rows.
"""

from __future__ import annotations

import re
from functools import lru_cache

import duckdb

from fiscallens.sqlfiles import package_statements

# Views of marts.sql stored as tables at build time, in dependency order.
MATERIALISED: tuple[str, ...] = ("report_summary", "evaluation_detail", "report_measures", "three_public_detail")

_CREATE_MACRO = re.compile(r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?MACRO\s+(\w+)\b", re.I)
_CREATE_VIEW = re.compile(r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+(\w+)\s+AS\s+(.*?);?\s*$", re.I | re.S)
_COMMENT = re.compile(r"^\s*COMMENT\s+ON\s+(VIEW|COLUMN)\s+(\w+)\b", re.I)


def _without_comment_lines(sql: str) -> str:
    return "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--")).strip()


@lru_cache(maxsize=1)
def _definitions() -> dict[str, tuple[str, list[str]]]:
    """name → (the view's SELECT, its COMMENT statements rewritten for a table), from marts.sql."""
    found: dict[str, tuple[str, list[str]]] = {}
    for statement in package_statements("marts.sql"):
        sql = _without_comment_lines(statement)
        view = _CREATE_VIEW.match(sql)
        if view and view.group(1) in MATERIALISED:
            found[view.group(1)] = (view.group(2), [])
            continue
        comment = _COMMENT.match(sql)
        if comment:
            target = comment.group(2)
            if target in found:
                found[target][1].append(re.sub(r"\bON\s+VIEW\b", "ON TABLE", sql, count=1, flags=re.I))
    missing = set(MATERIALISED) - set(found)
    assert not missing, f"marts.sql defines no view {sorted(missing)}"
    return found


@lru_cache(maxsize=1)
def _macros() -> list[str]:
    """The macros of marts.sql (table and scalar) as CREATE OR REPLACE statements."""
    statements = (_without_comment_lines(s) for s in package_statements("marts.sql"))
    return [
        _CREATE_MACRO.sub("CREATE OR REPLACE MACRO \\1", sql, count=1) for sql in statements if _CREATE_MACRO.match(sql)
    ]


def create_macros(con: duckdb.DuckDBPyConnection, strict: bool = False) -> None:
    """(Re)create the macros of marts.sql, so that an incremental build of a warehouse made by an earlier
    version has the ones derive.sql and the queries of this version call.

    DuckDB checks a table macro's tables when it is created: in a warehouse of an earlier version a
    macro over a mart this version adds (selected_measures over report_measures) cannot be created
    before that mart; it is skipped here and created by `materialise` once the mart exists (`strict`)."""
    for statement in _macros():
        try:
            con.execute(statement)
        except duckdb.CatalogException:
            if strict:
                raise


def materialise(con: duckdb.DuckDBPyConnection) -> None:
    """Replace each mart of MATERIALISED (a view, or a table of an earlier build) with a fresh table,
    after (re)creating the macros of marts.sql (create_macros), and those over the marts once more after."""
    create_macros(con)
    for name, (select, comments) in _definitions().items():
        kind = con.execute(
            """SELECT 'view' FROM duckdb_views() WHERE view_name = ? AND database_name = current_database()
                 AND schema_name = 'main' AND NOT temporary
               UNION ALL
               SELECT 'table' FROM duckdb_tables() WHERE table_name = ? AND database_name = current_database()
                 AND schema_name = 'main' AND NOT temporary""",
            [name, name],
        ).fetchone()
        # Computed under another name first (the SELECT may read region_labels, never its own mart),
        # then swapped in: the mart keeps its name, columns and types.
        con.execute(f"CREATE OR REPLACE TABLE _mart_new AS {select} ORDER BY report_id")
        if kind:
            con.execute(f"DROP {kind[0].upper()} {name}")
        con.execute(f"ALTER TABLE _mart_new RENAME TO {name}")
        for statement in comments:
            con.execute(statement)
    create_macros(con, strict=True)


def is_materialised(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND database_name = current_database()",
        [name],
    ).fetchone()
    return bool(row and row[0])
