"""Named SQL queries: one file per question in `queries/`, parameters as `$name`.

A query file starts with a comment header that the pages and the SQL workbench
both read:

    -- title: 报告目录
    -- answers: 每份报告一行：地区、部门、年度、类型、得分
    -- grain: one row per report
    -- param province: 省份（空 = 全部）

A query with an `-- internal: who uses it` header serves code (the report-detail page and
`fiscallens explain`), not analysts: `get_query` finds it, the gallery (`load_queries`) leaves it out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from fiscallens.settings import PROJECT_ROOT
from fiscallens.sqlfiles import SqlFile, parse_sql_file, sql_folder
from fiscallens.warehouse import run_query

QUERIES_DIR = PROJECT_ROOT / "queries"
_PARAM = re.compile(r"\$([A-Za-z_]\w*)")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    sql: str
    title: str = ""
    answers: str = ""
    grain: str = ""
    param_labels: dict[str, str] = field(default_factory=dict)
    internal: str = ""  # who uses an internal query; empty for the gallery's queries

    @property
    def params(self) -> list[str]:
        """Parameter names in order of first use."""
        return list(dict.fromkeys(_PARAM.findall(_strip_comments(self.sql))))

    def run(self, con: duckdb.DuckDBPyConnection, **values: Any) -> pd.DataFrame:
        return run_query(con, self.sql, self._bind(values) or None)

    def fetch(self, con: duckdb.DuckDBPyConnection, **values: Any) -> tuple[list[str], list[tuple]]:
        """(columns, rows) as DuckDB returns them, for text output that must not go through pandas types."""
        result = con.execute(self.sql, self._bind(values))
        return [d[0] for d in result.description], result.fetchall()

    def _bind(self, values: dict[str, Any]) -> dict[str, Any]:
        unknown = set(values) - set(self.params)
        if unknown:
            raise ValueError(f"query {self.name} has no parameter(s) {sorted(unknown)}")
        return {name: values.get(name) for name in self.params}

    @property
    def paged(self) -> bool:
        """Whether the query takes `$limit` / `$offset` (a per-row table shown a page at a time)."""
        return {"limit", "offset"} <= set(self.params)

    def count(self, con: duckdb.DuckDBPyConnection, **values: Any) -> int:
        """How many rows the query returns without `$limit` / `$offset` (for "显示前 N 条，共 M 条").

        The query's own text (a file of queries/, never user input) wrapped in `count(*)`; the
        values stay bound parameters.
        """
        self._bind(values)  # rejects unknown names
        sql = _count_sql(self.sql)
        bound = {name: values.get(name) for name in dict.fromkeys(_PARAM.findall(sql))}
        return int(run_query(con, sql, bound or None).iloc[0, 0])


@lru_cache(maxsize=64)
def _count_sql(sql: str) -> str:
    """`SELECT count(*)` over a query without its ORDER BY / LIMIT / OFFSET clauses (with no limit they
    select every row anyway, and sorting hundreds of thousands of rows only to count them is most of
    the cost) and without the outer query's LEFT JOINs. Rewritten with sqlglot, which keeps `$name`
    parameters as they are."""
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read="duckdb")
    for select in tree.find_all(exp.Select):
        for clause in ("order", "limit", "offset"):
            select.set(clause, None)
    if isinstance(tree, exp.Select) and not tree.args.get("group") and not tree.args.get("distinct"):
        # The outer LEFT JOINs of the paged queries add columns to each row (to-one: a report, a
        # finding count, the reasons of an evaluation), never rows: counting needs neither them nor
        # the columns (tests/test_queries.py checks count == rows for every paged query).
        tree.set("joins", [j for j in tree.args.get("joins") or [] if j.side != "LEFT"] or None)
        tree.set("expressions", [exp.Literal.number(1)])
    return f"SELECT count(*) AS n FROM ({tree.sql(dialect='duckdb', comments=False)}) AS counted"


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


def parse_query(name: str, sql: str) -> NamedQuery:
    """A page query from its text: title, answers and grain from the header, `-- param` labels."""
    return _named(parse_sql_file(name, sql))


def _named(file: SqlFile) -> NamedQuery:
    meta = {key: value for key in ("title", "answers", "grain", "internal") if (value := file.header(key)) is not None}
    return NamedQuery(name=file.name, sql=file.sql, param_labels=file.arguments("param"), **meta)


@lru_cache(maxsize=1)
def _all_queries(directory: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    return {name: _named(file) for name, file in sql_folder(directory).items()}


@lru_cache(maxsize=1)
def load_queries(directory: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """The gallery: every named query an analyst may run (internal ones left out)."""
    return {name: query for name, query in _all_queries(directory).items() if not query.internal}


def get_query(name: str) -> NamedQuery:
    """Any named query, internal ones included."""
    return _all_queries()[name]
