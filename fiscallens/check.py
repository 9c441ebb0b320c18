"""Stage 6, check: audit findings on what the documents say.

Document-level checks look at one file's text (is it complete?); report-level
checks run over the warehouse after every build, so that a report split over
several files is judged as a whole.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources

import duckdb

from fiscallens.model import FACT_TABLES, Classification, Document, Finding
from fiscallens.normalize import compact_text
from fiscallens.recognise import PLACEHOLDER_RE
from fiscallens.sqlfiles import parse_sql_file, sql_folder

# Parts a complete report shows somewhere in its text, by what they look like.
CONTENT_MARKERS: dict[str, re.Pattern[str]] = {
    "score": re.compile(r"总\s*分|得\s*分"),
    "three_public_detail": re.compile(r"公务接待费|因公出国"),
    "accounts_tables": re.compile(r"收入支出决算总表|支出决算表"),
    "budget_tables": re.compile(r"收支预算总表|支出预算总表|支出功能分类预算表|支出预算表"),
    "funds": re.compile(r"预算数|执行数|决算数|预算金额"),
}
# What each document type must contain, across all the files of one report.
REQUIRED_MARKERS: dict[str, tuple[str, ...]] = {
    "final_accounts": ("accounts_tables", "three_public_detail"),
    "dept_self_eval": ("funds", "score"),
    "dept_evaluation": ("funds", "score"),
    "project_self_eval": ("funds", "score"),
    "budget": ("budget_tables", "three_public_detail"),
}
MARKER_LABELS = {
    "score": "自评得分（总分/得分）",
    "three_public_detail": "“三公”经费明细（公务接待费、因公出国费）",
    "accounts_tables": "决算表（收入支出决算总表/支出决算表）",
    "budget_tables": "预算表（收支预算总表/支出预算总表）",
    "funds": "资金情况（预算数/执行数）",
}


def content_markers(doc: Document) -> list[str]:
    return [name for name, pattern in CONTENT_MARKERS.items() if pattern.search(doc.text)]


AUDITS_DIR = resources.files("fiscallens").joinpath("audits")


def audit_rules() -> dict[str, str]:
    """Audit rules, one SQL file each (found as queries/ is, fiscallens/sqlfiles.py): rule name → query
    returning the failing rows."""
    return {name: file.sql for name, file in sql_folder(AUDITS_DIR).items()}


# Outcomes of a rule on one report (audit_results.outcome).
OUTCOMES = ("pass", "fail", "not_applicable", "insufficient_data")
_CHECKS_RE = re.compile(r"(?P<table>[a-z_]+)(?:\.(?P<column>[a-z_]+))?")


@dataclass(frozen=True)
class RuleScope:
    """What a rule looks at, from its header: the report types it applies to and the rows it checks.

    `-- applies_to: final_accounts, budget` and `-- checks: function_spending` (or `table.column`: rows
    where that column is printed). A report of another type is not_applicable; one with no such rows is
    insufficient_data — the rule could not run, which is said rather than counted as a pass."""

    applies_to: frozenset[str]
    table: str
    column: str | None


def rule_scope(sql: str) -> RuleScope:
    header = parse_sql_file("", sql).header
    match = _CHECKS_RE.fullmatch((header("checks") or "").strip())
    if match is None or match["table"] not in FACT_TABLES:
        raise ValueError("an audit rule needs a '-- checks: <fact table>[.<column>]' header")
    applies = frozenset(t.strip() for t in (header("applies_to") or "").split(",") if t.strip())
    return RuleScope(applies, match["table"], match["column"])


def check_warehouse(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    """Every report-level audit rule; the result replaces the previous `check` findings."""
    return check_warehouse_with_results(con)[0]


def check_warehouse_with_results(con: duckdb.DuckDBPyConnection) -> tuple[list[Finding], list[dict[str, object]]]:
    """Findings of every audit rule, and each rule's outcome on each report (rows of audit_results)."""
    findings = check_report_completeness(con)
    reports = con.execute("SELECT report_id, doc_type FROM reports ORDER BY report_id").fetchall()
    results: list[dict[str, object]] = []
    for rule, sql in audit_rules().items():
        rows = con.execute(sql).fetchall()
        rule_findings = [
            Finding(
                rule,
                severity,
                message,
                source_file=source_file,
                source_line=source_line,
                report_id=report_id,
                stage="check",
            )
            for report_id, source_file, source_line, severity, message in rows
        ]
        findings.extend(rule_findings)
        results.extend(_outcomes(con, rule, rule_scope(sql), reports, rule_findings))
    return findings, results


def _outcomes(
    con: duckdb.DuckDBPyConnection,
    rule: str,
    scope: RuleScope,
    reports: list[tuple[str, str]],
    findings: list[Finding],
) -> list[dict[str, object]]:
    # Table and column names come from the rule header, checked against FACT_TABLES and [a-z_]+ above.
    where = f"WHERE {scope.column} IS NOT NULL" if scope.column else ""
    checked = dict(con.execute(f"SELECT report_id, count(*) FROM {scope.table} {where} GROUP BY 1").fetchall())
    failed = Counter(f.report_id for f in findings if f.severity in {"error", "warning"})
    out = []
    for report_id, doc_type in reports:
        n = checked.get(report_id, 0)
        if scope.applies_to and doc_type not in scope.applies_to:
            outcome = "not_applicable"
        elif n == 0:
            outcome = "insufficient_data"
        else:
            outcome = "fail" if failed.get(report_id) else "pass"
        out.append(
            {"report_id": report_id, "rule": rule, "outcome": outcome, "checked": n, "failed": failed.get(report_id, 0)}
        )
    return out


def check_report_completeness(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    rows = con.execute(
        """SELECT r.report_id, r.doc_type, list_distinct(flatten(list(d.content_markers))),
                  min(d.source_file), max(d.line_count)
           FROM reports r JOIN documents d USING (report_id)
           GROUP BY r.report_id, r.doc_type
           ORDER BY r.report_id"""
    ).fetchall()
    findings = []
    for report_id, doc_type, markers, source_file, line_count in rows:
        missing = [m for m in REQUIRED_MARKERS.get(doc_type, ()) if m not in (markers or [])]
        if missing:
            parts = "、".join(MARKER_LABELS[m] for m in missing)
            findings.append(
                Finding(
                    "report_incomplete",
                    "error",
                    f"报告不完整：全文未见{parts}，可能被截断或缺少附件；已读取部分照常入库。",
                    source_file=source_file,
                    source_line=line_count,
                    report_id=report_id,
                    stage="check",
                )
            )
    return findings


# --- document-level checks: what one file says about itself ----------------------------------

# A table's header names the body that compiled it: "编制部门：上海市普陀区商务委员会	单位：元".
_HEADER_BODY_RE = re.compile(
    r"^\s*(?:编制部门|编制单位|填报单位|部门名称|单位名称)\s*[:：]\s*([^\t]+?)\s*(?:\t|\s{2,}|$)"
)
# Cheap test before the per-line search: most documents have no placeholder at all.
_PLACEHOLDER_HINT_RE = re.compile(r"XX|xx|ＸＸ|××|某某")
# Punctuation and the 本级 mark do not make two names different.
_NAME_NOISE_RE = re.compile(r"[\s()（）“”\"'：:]|本级")
# Findings quoted per document: one placeholder or one mismatch is enough to see the problem.
MAX_DOCUMENT_FINDINGS = 3


def document_findings(doc: Document, classification: Classification) -> list[Finding]:
    """What one file says against itself: placeholder text left in, tables the contents list but the file
    lacks, headings of another year, table headers naming another body than the cover."""
    findings: list[Finding] = []
    placeholders = (
        [
            (number, match.group(0))
            for number, line in enumerate(doc.lines, start=1)
            if _PLACEHOLDER_HINT_RE.search(line) and (match := PLACEHOLDER_RE.search(compact_text(line)))
        ]
        if _PLACEHOLDER_HINT_RE.search(doc.text)
        else []
    )
    for number, text in placeholders[:MAX_DOCUMENT_FINDINGS]:
        findings.append(
            Finding(
                "placeholder_text",
                "warning",
                f"文中留有模板的占位文字“{text}”（{_where(doc, number)}）：应替换为本单位名称或实际内容。",
                source_file=doc.source_file,
                source_line=number,
                stage="classify",  # kept with the file: 'check' findings are replaced by every audit
            )
        )
    findings.extend(contents_findings(doc))
    findings.extend(year_findings(doc, classification))
    cover = _plain_name(classification.department)
    if cover:
        mismatched = []
        for number, line in enumerate(doc.lines, start=1):
            match = _HEADER_BODY_RE.match(line) if "编制" in line or "名称" in line or "填报" in line else None
            if match is None or PLACEHOLDER_RE.search(match.group(1)):
                continue
            body = _plain_name(match.group(1))
            if body and body not in cover and cover not in body:
                mismatched.append((number, match.group(1).strip()))
        for number, body in mismatched[:MAX_DOCUMENT_FINDINGS]:
            findings.append(
                Finding(
                    "header_body_differs",
                    "warning",
                    f"表头的编制单位“{body}”（{_where(doc, number)}）与封面的单位“{classification.department}”"
                    f"（第 {classification.evidence.get('department', classification.title_line)} 行）不一致。",
                    source_file=doc.source_file,
                    source_line=number,
                    stage="classify",
                )
            )
    return findings


def _plain_name(name: str | None) -> str:
    return _NAME_NOISE_RE.sub("", name or "")


def _where(doc: Document, line: int) -> str:
    page = doc.page_of(line)
    return f"第 {line} 行" + (f"，第 {page} 页" if page else "")


# The contents (目录) list a disclosure's tables; each should appear later as a table heading.
_CONTENTS_HEAD = 80  # lines in which 目录 is looked for
_CONTENTS_SPAN = 45  # lines after 目录 that may hold entries
_CONTENTS_LINE_CHARS = 80  # a longer line is prose (an entry with its dot leaders is shorter once squashed)
_FORM_NUMBER_RE = re.compile(r"公开\d+表|[A-Za-z]*\d+表")  # "公开01表" numbers a form, it is not a title
_ENTRY_MARKERS = (
    ("part", r"第[一二三四五六七八九十]+部分"),
    ("ordinal", r"[一二三四五六七八九十]+、"),
    ("number", r"\d+\s*[.．、]"),
    ("paren", r"[(（][一二三四五六七八九十\d]+[)）]"),
)
_ENTRY_MARKER_RE = re.compile(r"^[-·•*]*(?:" + "|".join(f"(?P<{k}>{p})" for k, p in _ENTRY_MARKERS) + r")?\s*")
_ENTRY_TAIL_RE = re.compile(r"[.…·\s\d-]+$")
# A heading naming the body and a year: "第三部分 上海市普陀区财政局2023年度部门决算情况说明".
_PART_HEADING_RE = re.compile(r"^第[一二三四五六七八九十]+部分.*?(20\d{2})\s*年度?")
_YEAR_END_RE = re.compile(r"截至\s*(20\d{2})\s*年\s*12\s*月\s*31\s*日")


def contents_findings(doc: Document) -> list[Finding]:
    """Tables the contents list whose heading the document never prints (a line that is the title alone)."""
    # Only the head and the lines that name a table are squashed: this runs on every file of a build.
    lines = doc.lines
    start = next(
        (i for i, line in enumerate(lines[:_CONTENTS_HEAD]) if "录" in line and compact_text(line) == "目录"), None
    )
    if start is None:
        return []
    head = {i: compact_text(lines[i]) for i in range(start + 1, min(len(lines), start + 1 + _CONTENTS_SPAN))}
    listed: list[tuple[int, str, str | None]] = []
    seen: set[str] = set()
    for i in sorted(head):
        marker = _ENTRY_MARKER_RE.match(head[i])
        title = _ENTRY_TAIL_RE.sub("", head[i][marker.end() :]) if marker else head[i]
        # The contents end where the body begins: a heading repeated, or a sentence.
        if title in seen or head[i].endswith("。") or len(head[i]) > _CONTENTS_LINE_CHARS:
            break
        if title:
            seen.add(title)
        if title.endswith("表") and 4 <= len(title) <= 40 and not _FORM_NUMBER_RE.fullmatch(title):
            listed.append((i, title, _marker_style(marker)))
    # A group heading ("五、部门预算表" above "1. 2025年部门财务收支预算总表 …") is not a table itself.
    entries = [
        (i, title)
        for n, (i, title, style) in enumerate(listed)
        if style != "part" and not (n + 1 < len(listed) and listed[n + 1][2] != style)
    ]
    if len(entries) < 3:  # not a table list
        return []
    body_start = listed[-1][0] + 1
    # A table's heading ends in 表 (possibly spaced out: "支 出 决 算 表").
    headings = {_heading(compact_text(line)) for line in lines[body_start:] if "表" in line}
    findings = []
    for line_index, title in entries:
        printed = title in headings
        if not printed:
            findings.append(
                Finding(
                    "listed_table_missing",
                    "warning",
                    f"目录列出“{title}”（{_where(doc, line_index + 1)}），但正文中没有这张表。",
                    source_file=doc.source_file,
                    source_line=line_index + 1,
                    stage="classify",
                )
            )
    return findings


def _heading(line: str) -> str:
    """A line without its list marker and trailing dot leaders or page number."""
    marker = _ENTRY_MARKER_RE.match(line)
    return _ENTRY_TAIL_RE.sub("", line[marker.end() :]) if marker else line


def _marker_style(marker: re.Match[str] | None) -> str | None:
    return next((name for name, _ in _ENTRY_MARKERS if marker and marker.group(name)), None)


def year_findings(doc: Document, classification: Classification) -> list[Finding]:
    """Part headings and year-end statements that name another year than the report's."""
    year = classification.fiscal_year
    if year is None:
        return []
    findings = []
    for number, line in enumerate(doc.lines, start=1):
        if "部分" not in line and "截至" not in line:
            continue
        text = compact_text(line)
        heading = _PART_HEADING_RE.match(text)
        year_end = _YEAR_END_RE.search(text) if classification.doc_type == "final_accounts" else None
        match = heading or year_end
        if match is None or int(match.group(1)) == year:
            continue
        what = "部分标题" if heading else "“截至…年12月31日”的说明"
        findings.append(
            Finding(
                "year_mismatch",
                "warning",
                f"{what}写的是 {match.group(1)} 年（{_where(doc, number)}），而本报告是 {year} 年度的"
                f"{'决算' if classification.doc_type == 'final_accounts' else '报告'}。",
                source_file=doc.source_file,
                source_line=number,
                stage="classify",
            )
        )
    return findings[:MAX_DOCUMENT_FINDINGS]
