"""Stage 6, check: audit findings on what the documents say.

Document-level checks look at one file's text (is it complete?); report-level
checks run over the warehouse after every build, so that a report split over
several files is judged as a whole.
"""

from __future__ import annotations

import re
from importlib import resources

import duckdb

from fiscallens.model import Document, Finding

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
    """Audit rules, one SQL file each: rule name → query returning the failing rows."""
    return {
        entry.name.removesuffix(".sql"): entry.read_text(encoding="utf-8")
        for entry in sorted(AUDITS_DIR.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".sql")
    }


def check_warehouse(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    """Every report-level audit rule; the result replaces the previous `check` findings."""
    findings = check_report_completeness(con)
    for rule, sql in audit_rules().items():
        rows = con.execute(sql).fetchall()
        findings.extend(
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
        )
    return findings


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
