"""Named SQL queries: one file per question in `queries/`, parameters as `$name`.

A query file starts with a comment header that the pages and the SQL workbench
both read:

    -- title: 报告目录
    -- answers: 每份报告一行：地区、部门、年度、类型、得分
    -- grain: one row per report
    -- param province: 省份（空 = 全部）
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
from fiscallens.warehouse import run_query

QUERIES_DIR = PROJECT_ROOT / "queries"
_HEADER = re.compile(r"^--\s*(title|answers|grain|param)\s*(\w*)\s*:\s*(.*)$")
_PARAM = re.compile(r"\$([A-Za-z_]\w*)")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    sql: str
    title: str = ""
    answers: str = ""
    grain: str = ""
    param_labels: dict[str, str] = field(default_factory=dict)

    @property
    def params(self) -> list[str]:
        """Parameter names in order of first use."""
        return list(dict.fromkeys(_PARAM.findall(_strip_comments(self.sql))))

    def run(self, con: duckdb.DuckDBPyConnection, **values: Any) -> pd.DataFrame:
        unknown = set(values) - set(self.params)
        if unknown:
            raise ValueError(f"query {self.name} has no parameter(s) {sorted(unknown)}")
        bound = {name: values.get(name) for name in self.params}
        return run_query(con, self.sql, bound or None)

    @property
    def paged(self) -> bool:
        """Whether the query takes `$limit` / `$offset` (a per-row table shown a page at a time)."""
        return {"limit", "offset"} <= set(self.params)

    def count(self, con: duckdb.DuckDBPyConnection, **values: Any) -> int:
        """How many rows the query returns without `$limit` / `$offset` (for "显示前 N 条，共 M 条").

        The query's own text (a file of queries/, never user input) wrapped in `count(*)`; the
        values stay bound parameters.
        """
        unknown = set(values) - set(self.params)
        if unknown:
            raise ValueError(f"query {self.name} has no parameter(s) {sorted(unknown)}")
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
    meta: dict[str, str] = {}
    labels: dict[str, str] = {}
    for line in sql.splitlines():
        match = _HEADER.match(line.strip())
        if not match:
            if line.strip() and not line.strip().startswith("--"):
                break
            continue
        key, param, value = match.groups()
        if key == "param":
            labels[param] = value.strip()
        else:
            meta[key] = value.strip()
    return NamedQuery(name=name, sql=sql, param_labels=labels, **meta)


@lru_cache(maxsize=1)
def load_queries(directory: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    return {p.stem: parse_query(p.stem, p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.sql"))}


def get_query(name: str) -> NamedQuery:
    return load_queries()[name]
