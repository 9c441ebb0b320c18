"""The warehouse reference page (docs/warehouse.md), generated from the schema's COMMENTs."""

from __future__ import annotations

import duckdb

from fiscallens.load import schema_sql
from fiscallens.marts import MATERIALISED

HEADER = """# 数据仓库表结构 / Warehouse reference

本页由 `python -m fiscallens schema-doc` 根据建表语句中的 `COMMENT` 自动生成，请勿手工编辑；
测试会检查它与代码一致。金额单位均为万元，比率为百分数（98.78 表示 98.78%）。

Generated from the `COMMENT ON` statements of `fiscallens/schema.sql` (tables) and
`fiscallens/marts.sql` (views); a test fails when it drifts. {stored} are defined as views and stored
as tables of the same columns at the end of every build (`fiscallens/marts.py`), so page queries do not
recompute them. The macro
`selected_reports(province, prefecture, department, year_from, year_to, doc_type, county, scope)` returns
the report_ids that pass the dashboard filters (NULL = no filter; no scope = the default view, a scope = every
report of that scope); `selected_summary(…)` and
`selected_evaluations(…)` (same arguments) return the rows of `report_summary` and
`evaluation_detail` that pass them.
"""


def render() -> str:
    con = duckdb.connect(":memory:")
    con.execute(schema_sql())
    tables = con.execute(
        """SELECT table_name, comment FROM duckdb_tables() WHERE NOT internal
           UNION ALL
           SELECT view_name, comment FROM duckdb_views() WHERE NOT internal
           ORDER BY 1"""
    ).fetchall()
    order = ["reports", "documents", "evaluations", "execution_lines", "function_spending", "economic_spending"]
    order += ["three_public", "indicators", "quality_flags", "regions", "function_codes", "meta"]
    order += ["report_summary", "evaluation_detail", "region_labels"]
    tables.sort(key=lambda t: order.index(t[0]) if t[0] in order else len(order))
    stored = ", ".join(f"`{name}`" for name in MATERIALISED[:-1]) + f" and `{MATERIALISED[-1]}`"
    parts = [HEADER.replace("{stored}", stored)]
    for name, comment in tables:
        parts.append(f"\n## `{name}`\n\n{comment}\n\n| 列 column | 类型 type | 说明 |\n|---|---|---|")
        columns = con.execute(
            "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
            [name],
        ).fetchall()
        parts.extend(f"| `{col}` | {dtype} | {(text or '').replace('|', '｜')} |" for col, dtype, text in columns)
    con.close()
    return "\n".join(parts) + "\n"
