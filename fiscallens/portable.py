"""The named queries and marts views outside DuckDB: Spark SQL (tested) or another sqlglot dialect.

The SQL in `queries/` is DuckDB SQL with `$name` parameters, and most of it filters through the
table macro `selected_reports(...)` of marts.sql over the views of marts.sql. To run it on Spark
over a Parquet export (`python -m fiscallens export`):

1. every table-macro call is inlined: `selected_reports($province, …)` becomes the macro's body as
   a subquery, with its arguments substituted (the body is read from marts.sql, not copied);
2. DuckDB's `len()` of a list becomes `size()` (sqlglot cannot tell a list from a string without
   the schema; the list columns are read from schema.sql). size(NULL) is NULL, as in DuckDB, under
   ANSI mode (Spark 4's default); with spark.sql.ansi.enabled=false set spark.sql.legacy.sizeOfNull=false;
3. `percentile_cont(q) WITHIN GROUP (ORDER BY x)` becomes Spark's exact `percentile(x, q)`, and
   sqlglot transpiles the rest (read="duckdb"), e.g. arg_max → max_by, string_agg → listagg,
   list_filter/list_sort → filter/array_sort, 1-based list indexes → 0-based, "x" → `x`;
4. `$name` becomes Spark's named parameter marker `:name`, bound with `spark.sql(sql, args={...})`
   (None binds NULL, so "empty = no filter" works unchanged). Spark ≥ 4.0: markers need 3.4,
   listagg 4.0.

`fiscallens.export.register_export(spark, DIR)` makes the exported tables and the marts views temp
views, and `run(spark, query, **params)` runs a named query; the results equal DuckDB's
(tests/spark/test_spark_portability.py). NOT_PORTABLE lists the queries that cannot be made to
run, with the reason; it is empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import duckdb
import sqlglot
from sqlglot import exp

from fiscallens.queries import NamedQuery, load_queries

if TYPE_CHECKING:  # pyspark is a test dependency, imported only by the Spark helpers below
    from pyspark.sql import DataFrame, SparkSession

# query name → why it cannot run outside DuckDB. Every other file in queries/ is portable.
NOT_PORTABLE: dict[str, str] = {}

_MACRO = re.compile(r"CREATE\s+MACRO\s+(\w+)\s*\(([^)]*)\)\s+AS\s+(TABLE\s+)?(.*?);?\s*$", re.IGNORECASE | re.DOTALL)
_VIEW = re.compile(r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\b", re.IGNORECASE)
_LIST_COLUMN = re.compile(r"^\s+(\w+)\s+\w+\[\]", re.MULTILINE)
# sqlglot nodes that produce a list, so that len(...) of them is size(...)
_LIST_VALUED = (exp.Array, exp.ArrayFilter, exp.ArraySort, exp.ArrayConcat, exp.ArrayDistinct)


@dataclass(frozen=True)
class Macro:
    name: str
    params: tuple[str, ...]
    body: str
    table: bool = True  # a table macro (called in FROM); else a scalar macro (called as a function)


@dataclass(frozen=True)
class PortableQuery:
    """A named query in another dialect; parameters are `:name` markers, in order of first use."""

    name: str
    dialect: str
    sql: str
    params: tuple[str, ...]

    def args(self, **values: Any) -> dict[str, Any]:
        """Every parameter bound (missing = None = no filter), as `spark.sql(sql, args=...)` wants."""
        unknown = set(values) - set(self.params)
        if unknown:
            raise ValueError(f"query {self.name} has no parameter(s) {sorted(unknown)}")
        return {name: values.get(name) for name in self.params}


def _sql_file(name: str) -> str:
    return resources.files("fiscallens").joinpath(name).read_text(encoding="utf-8")


def _statements(name: str) -> list[str]:
    """The statements of a SQL file, split by DuckDB's own parser."""
    return [s.query.strip() for s in duckdb.extract_statements(_sql_file(name))]


@lru_cache(maxsize=1)
def macros() -> dict[str, Macro]:
    """The macros of marts.sql: table macros (`selected_reports` …) and scalar ones (`report_filter` …)."""
    found = {}
    for statement in _statements("marts.sql"):
        match = _MACRO.match(_strip_comments(statement))
        if match:
            name, params, table, body = match.groups()
            params = tuple(p.strip() for p in params.split(",") if p.strip())
            found[name.lower()] = Macro(name, params, body, table=bool(table))
    return found


@lru_cache(maxsize=1)
def list_columns() -> frozenset[str]:
    """Columns declared as lists (VARCHAR[] …) in schema.sql."""
    return frozenset(_LIST_COLUMN.findall(_sql_file("schema.sql")))


def _strip_comments(sql: str) -> str:
    return "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--")).strip()


def _inline_macros(tree: exp.Expression) -> exp.Expression:
    known = macros()

    def replace(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Anonymous):  # a scalar macro call (a table macro's call is inside exp.Table)
            macro = known.get(node.name.lower())
            return node if macro is None or macro.table else exp.Paren(this=_expanded(macro, node.expressions))
        if not isinstance(node, exp.Table) or not isinstance(node.this, exp.Anonymous):
            return node
        macro = known.get(node.this.name.lower())
        if macro is None or not macro.table:
            return node
        body = _expanded(macro, node.this.expressions)
        return exp.Subquery(this=body, alias=exp.TableAlias(this=exp.to_identifier(node.alias or macro.name)))

    return tree.transform(replace)


def _expanded(macro: Macro, args: list[exp.Expression]) -> exp.Expression:
    """A macro's body with its arguments substituted, and the macros it (or an argument) calls inlined in turn."""
    if len(args) != len(macro.params):
        raise ValueError(f"{macro.name} takes {len(macro.params)} arguments, got {len(args)}")
    values = {p.lower(): a for p, a in zip(macro.params, args, strict=True)}
    body = sqlglot.parse_one(macro.body, read="duckdb")
    body = body.transform(
        lambda n: (
            values[n.name.lower()].copy()
            if isinstance(n, exp.Column) and not n.table and n.name.lower() in values
            else n
        )
    )
    return _inline_macros(body)


def _list_lengths(tree: exp.Expression) -> exp.Expression:
    lists = list_columns()

    def replace(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Length):
            arg = node.this
            if isinstance(arg, _LIST_VALUED) or (isinstance(arg, exp.Column) and arg.name in lists):
                return exp.ArraySize(this=arg)
        return node

    return tree.transform(replace)


def _exact_percentiles(tree: exp.Expression, dialect: str) -> exp.Expression:
    """`percentile_cont(q) WITHIN GROUP (ORDER BY x)` as Spark's exact `percentile(x, q)` (the same linear
    interpolation); sqlglot would write `percentile_approx`, which gives other numbers."""
    if dialect != "spark":
        return tree

    def replace(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.WithinGroup) and isinstance(node.this, exp.PercentileCont):
            order = node.expression.expressions
            if len(order) == 1 and not order[0].args.get("desc"):
                return exp.Anonymous(this="percentile", expressions=[order[0].this.copy(), node.this.this.copy()])
        return node

    return tree.transform(replace)


def transpile(sql: str, dialect: str = "spark") -> str:
    """One DuckDB statement of this project in `dialect`; `$name` becomes `:name`."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    tree = _exact_percentiles(_list_lengths(_inline_macros(tree)), dialect)
    return tree.sql(dialect=dialect, pretty=True, comments=False)


def portable_query(query: NamedQuery | str, dialect: str = "spark") -> PortableQuery:
    named = load_queries()[query] if isinstance(query, str) else query
    if named.name in NOT_PORTABLE:
        raise ValueError(f"query {named.name} is not portable: {NOT_PORTABLE[named.name]}")
    return PortableQuery(named.name, dialect, transpile(named.sql, dialect), tuple(named.params))


def portable_queries(dialect: str = "spark") -> dict[str, PortableQuery]:
    return {name: portable_query(q, dialect) for name, q in load_queries().items() if name not in NOT_PORTABLE}


def view_statements(dialect: str = "spark") -> list[tuple[str, str]]:
    """(name, SELECT …) of each view of marts.sql, in dependency order, in `dialect`.

    COMMENT ON statements and the macro are skipped (the macro is inlined where it is called).
    """
    views = []
    for statement in _statements("marts.sql"):
        if not _VIEW.match(_strip_comments(statement)):
            continue
        create = sqlglot.parse_one(statement, read="duckdb")
        assert isinstance(create, exp.Create), statement[:80]
        name = create.this.name
        body = _list_lengths(_inline_macros(create.expression))
        views.append((name, body.sql(dialect=dialect, pretty=True, comments=False)))
    return views


# --- Spark -------------------------------------------------------------------------------------


def run(spark: SparkSession, query: NamedQuery | str, **values: Any) -> DataFrame:
    """A named query on Spark, after `fiscallens.export.register_export`; parameters as for NamedQuery.run."""
    portable = portable_query(query, "spark")
    args = portable.args(**values)
    return spark.sql(portable.sql, args=args) if args else spark.sql(portable.sql)
