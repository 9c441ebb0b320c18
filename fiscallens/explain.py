"""`python -m fiscallens explain REPORT_ID`: every fact of a report with the line it came from.

Meant for a person auditing extraction: one screen per report, facts grouped by table,
each ending in `← file:line`. The same text is the golden output the tests compare.
The facts come from the named queries `queries/report_facts_<table>.sql`, which the report-detail
page reads too. Reads the warehouse only (a source file's text: fiscallens.sources).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from fiscallens.model import FACT_TABLES
from fiscallens.presentation import mask_personal
from fiscallens.queries import get_query

TABLE_TITLES = {
    "evaluations": "评价对象",
    "execution_lines": "资金明细",
    "function_spending": "功能分类支出（万元）",
    "economic_spending": "经济分类支出（万元）",
    "three_public": "“三公”经费（万元）",
    "indicators": "绩效指标",
    "totals": "总表数字（万元）",
}
# The provenance columns report_facts adds after a table's descriptive ones, in this order.
_SOURCE_COLUMNS = ("文件", "来源文件", "行号", "页码")
# Columns that identify rather than describe; provenance is printed separately.
_HIDDEN = {
    "report_id",
    "source_file",
    "source_line",
    "source_page",
    "evaluation_id",
    "owner_scope",
    "parent_evaluation_id",
}


def find_report(con: duckdb.DuckDBPyConnection, needle: str) -> list[tuple[str, str]]:
    """Report ids matching an id prefix or a department/project name fragment."""
    return get_query("report_lookup").fetch(con, needle=needle)[1]


def fact_rows(con: duckdb.DuckDBPyConnection, report_id: str, table: str) -> tuple[list[str], list[tuple]]:
    """(columns, rows) of one fact table for one report, in the stable explain order."""
    if table not in FACT_TABLES:
        raise ValueError(table)
    return get_query(f"report_facts_{table}").fetch(con, report_id=report_id)


def report_facts(con: duckdb.DuckDBPyConnection, report_id: str) -> dict[str, pd.DataFrame]:
    """Every fact table of one report as a frame: descriptive columns, then 文件 and 行号."""
    frames = {}
    for table in FACT_TABLES:
        columns, rows = fact_rows(con, report_id, table)
        if not rows:  # most reports have facts of two or three kinds: the rest need no frame work
            frames[table] = pd.DataFrame(columns=list(_SOURCE_COLUMNS))
            continue
        frame = pd.DataFrame(rows, columns=columns)
        keep = [c for c in columns if c not in _HIDDEN and frame[c].notna().any()]
        out = frame[keep].copy()
        out["文件"] = frame["source_file"].str.rsplit("/", n=1).str[-1]
        out["来源文件"] = frame["source_file"]
        out["行号"] = frame["source_line"]
        out["页码"] = frame["source_page"]
        frames[table] = out
    return frames


def explain(con: duckdb.DuckDBPyConnection, report_id: str) -> str:
    head = next(iter(get_query("report_head").fetch(con, report_id=report_id)[1]), None)
    if head is None:
        raise KeyError(report_id)
    doc_type, department, project, year, province, prefecture, county, code, files, score, grade, scope, version = head
    place = " ".join(p for p in (province, prefecture, county) if p)
    lines = [
        f"报告 {report_id}：{year} 年 {department or '（部门未识别）'}{' · ' + project if project else ''}",
        f"类型 {doc_type}{' · 口径 ' + scope if scope else ''}{' · 版本 ' + str(version) if (version or 1) > 1 else ''}"
        f" · 地区 {place or '（未识别）'} {code or ''} · 总分 {_fmt(score)} {grade or ''}".rstrip(),
        "文件：" + "，".join(f.rsplit("/", 1)[-1] for f in files),
    ]
    for table in FACT_TABLES:
        columns, data = fact_rows(con, report_id, table)
        lines.append(f"\n== {TABLE_TITLES[table]} {table}：{len(data)} 行")
        for row in data:
            record = dict(zip(columns, row, strict=True))
            shown = "  ".join(
                f"{name}={_fmt(value)}" for name, value in record.items() if name not in _HIDDEN and value is not None
            )
            where = f"{record['source_file'].rsplit('/', 1)[-1]}:{record['source_line']}"
            if record.get("source_page"):
                where += f" 第{record['source_page']}页"
            lines.append(f"  {shown}  ← {where}")
    flags = get_query("report_facts_quality_flags").fetch(con, report_id=report_id)[1]
    lines.append(f"\n== 数据质量发现 quality_flags：{len(flags)} 条")
    for severity, rule, source_file, source_line, message in flags:
        where = f"{(source_file or '').rsplit('/', 1)[-1]}:{source_line or ''}"
        lines.append(f"  [{severity}] {rule} @ {where} {message}")
    # Labels, names and finding messages are source text too: personal data is masked in all of it.
    return mask_personal("\n".join(lines) + "\n")


def _fmt(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"
    return str(value)
