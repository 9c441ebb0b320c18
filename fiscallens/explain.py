"""`python -m fiscallens explain REPORT_ID`: every fact of a report with the line it came from.

Meant for a person auditing extraction: one screen per report, facts grouped by table,
each ending in `← file:line`. The same text is the golden output the tests compare.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from fiscallens.model import FACT_TABLES
from fiscallens.presentation import mask_personal
from fiscallens.read import read_document

TABLE_TITLES = {
    "evaluations": "评价对象",
    "execution_lines": "资金明细",
    "function_spending": "功能分类支出（万元）",
    "economic_spending": "经济分类支出（万元）",
    "three_public": "“三公”经费（万元）",
    "indicators": "绩效指标",
    "totals": "总表数字（万元）",
}
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
# Stable row order per table, so golden files diff well.
_ORDER = {
    "evaluations": "t.scope, t.name",
    "execution_lines": "owner_scope, owner, t.line, t.label",
    "function_spending": "t.basis, t.code",
    "economic_spending": "t.basis, t.code",
    "three_public": "t.basis, t.fiscal_year, t.item",
    "indicators": "owner_scope, owner, t.source_line, t.level3",
    "totals": "t.basis, t.statement, t.side, t.item",
}
# Rows that belong to an evaluated unit show its name first.
_OWNED = {"execution_lines", "indicators"}


def find_report(con: duckdb.DuckDBPyConnection, needle: str) -> list[tuple[str, str]]:
    """Report ids matching an id prefix or a department/project name fragment."""
    return con.execute(
        """SELECT report_id, concat_ws(' ', fiscal_year, department, project_name) FROM reports
           WHERE report_id LIKE $needle || '%' OR department LIKE '%' || $needle || '%'
              OR project_name LIKE '%' || $needle || '%'
           ORDER BY report_id""",
        {"needle": needle},
    ).fetchall()


def fact_rows(con: duckdb.DuckDBPyConnection, report_id: str, table: str) -> tuple[list[str], list[tuple]]:
    """(columns, rows) of one fact table for one report, in the stable explain order."""
    if table not in FACT_TABLES:
        raise ValueError(table)
    owner = "e.name AS owner, e.scope AS owner_scope, " if table in _OWNED else ""
    join = "LEFT JOIN evaluations AS e USING (evaluation_id)" if table in _OWNED else ""
    result = con.execute(
        f"""SELECT {owner} t.* FROM {table} AS t {join} WHERE t.report_id = ?
            ORDER BY {_ORDER[table]}, t.source_file, t.source_line""",
        [report_id],
    )
    return [d[0] for d in result.description], result.fetchall()


def report_facts(con: duckdb.DuckDBPyConnection, report_id: str) -> dict[str, pd.DataFrame]:
    """Every fact table of one report as a frame: descriptive columns, then 文件 and 行号."""
    frames = {}
    for table in FACT_TABLES:
        columns, rows = fact_rows(con, report_id, table)
        frame = pd.DataFrame(rows, columns=columns)
        keep = [c for c in columns if c not in _HIDDEN and frame[c].notna().any()]
        out = frame[keep].copy()
        out["文件"] = frame["source_file"].str.rsplit("/", n=1).str[-1]
        out["来源文件"] = frame["source_file"]
        out["行号"] = frame["source_line"]
        out["页码"] = frame["source_page"]
        frames[table] = out
    return frames


def source_excerpt(source_file: str, line: int, radius: int = 3) -> list[tuple[int, str]]:
    """The numbered lines around `line` of a source file, as the extractor saw them, personal data masked."""
    doc, _ = read_document(Path(source_file))
    if doc is None:
        return []
    lines = doc.lines
    start, stop = max(1, line - radius), min(len(lines), line + radius)
    return [(n, mask_personal(lines[n - 1])) for n in range(start, stop + 1)]


def explain(con: duckdb.DuckDBPyConnection, report_id: str) -> str:
    head = con.execute(
        """SELECT doc_type, department, project_name, fiscal_year, province, prefecture, county, region_code,
                  source_files, total_score, grade, scope, version
           FROM reports WHERE report_id = ?""",
        [report_id],
    ).fetchone()
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
    flags = con.execute(
        """SELECT severity, rule, source_file, source_line, message FROM quality_flags
           WHERE report_id = ? ORDER BY severity, source_file, source_line, rule, message""",
        [report_id],
    ).fetchall()
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
