"""Report identity: what becomes a report, 部门 vs 单位, copies vs versions, and each rule's outcome.

Real-document regressions (issue 13): the commerce commission's 2025 部门预算 and 单位预算 collapsed into
one report and lost the second's figures; blank templates and a Markdown note became reports.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fiscallens import pipeline
from tests.conftest import REPORTS_DIR
from tests.test_build import rows

FIXTURE_PDFS = Path(__file__).parent / "fixtures" / "pdfs"


def test_department_and_unit_budgets_are_two_complete_reports(warehouse: Path) -> None:
    got = rows(
        warehouse,
        """SELECT r.scope, r.in_default_view, split_part(r.source_files[1], '/', -1),
                  (SELECT count(*) FROM function_spending f WHERE f.report_id = r.report_id),
                  (SELECT count(*) FROM economic_spending e WHERE e.report_id = r.report_id)
           FROM reports r WHERE r.department = '上海市普陀区商务委员会' AND r.fiscal_year = 2025
           ORDER BY r.scope""",
    )
    assert [(scope, default, name) for scope, default, name, _, _ in got] == [
        ("department", True, "007_putuo-commerce-commission-2025-department-budget.pdf"),
        ("unit", False, "008_putuo-commerce-commission-2025-unit-budget.pdf"),
    ]
    assert all(functions > 10 and economics > 10 for *_, functions, economics in got)
    # The two are never compared with each other as if one document disagreed with itself.
    crossed = rows(
        warehouse,
        """SELECT count(*) FROM quality_flags q JOIN reports r USING (report_id)
           WHERE r.department = '上海市普陀区商务委员会' AND q.rule = 'figure_disagrees'
             AND q.message LIKE '%department-budget%' AND q.message LIKE '%unit-budget%'""",
    )
    assert crossed == [(0,)]


def test_dashboards_count_the_department_not_its_unit_again(warehouse: Path) -> None:
    selected = rows(
        warehouse,
        """SELECT r.scope FROM selected_reports(NULL, NULL, '上海市普陀区商务委员会', 2025, 2025, NULL, NULL, NULL)
           JOIN reports r USING (report_id)""",
    )
    listed = rows(
        warehouse,
        """SELECT r.scope FROM matching_reports(NULL, NULL, '上海市普陀区商务委员会', 2025, 2025, NULL, NULL, NULL)
           JOIN reports r USING (report_id) ORDER BY 1""",
    )
    assert selected == [("department",)]
    assert listed == [("department",), ("unit",)]


def test_templates_and_notes_make_no_report(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("template-department-budget.xlsx", "template-department-final-accounts.pdf", "SOURCES.md"):
        shutil.copy(FIXTURE_PDFS / name, folder / name)
    db = tmp_path / "w.duckdb"
    pipeline.build([folder], db, rebuild=True)
    assert rows(db, "SELECT count(*) FROM reports") == [(0,)]
    flags = rows(db, "SELECT split_part(source_file, '/', -1), rule, severity, message FROM quality_flags ORDER BY 1")
    assert [(name, rule, severity) for name, rule, severity, _ in flags] == [
        ("SOURCES.md", "not_a_report", "info"),
        ("template-department-budget.xlsx", "not_a_report", "info"),
        ("template-department-final-accounts.pdf", "not_a_report", "info"),
    ]
    assert "说明文件" in flags[0][3] and "模板" in flags[1][3] and "模板" in flags[2][3]


def _final_accounts_text() -> str:
    return next(REPORTS_DIR.glob("001_*.txt")).read_text(encoding="utf-8")


def test_a_check_sheet_is_not_a_report(tmp_path: Path) -> None:
    text = _final_accounts_text().replace("部门决算", "部门决算审核表", 1)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "sheet.txt").write_text(text, encoding="utf-8")
    pipeline.build([tmp_path / "in"], tmp_path / "w.duckdb", rebuild=True)
    assert rows(tmp_path / "w.duckdb", "SELECT count(*) FROM reports") == [(0,)]
    assert rows(tmp_path / "w.duckdb", "SELECT rule FROM quality_flags WHERE rule = 'not_a_report'") == [
        ("not_a_report",)
    ]


def test_a_copy_is_one_report_and_a_changed_copy_is_a_second_version(tmp_path: Path) -> None:
    original = _final_accounts_text()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(original, encoding="utf-8")
    (folder / "b.txt").write_text(original + "\n（重新上传）\n", encoding="utf-8")  # other bytes, same figures
    db = tmp_path / "w.duckdb"
    pipeline.build([folder], db, rebuild=True)
    assert rows(db, "SELECT version, len(source_files) FROM reports") == [(1, 2)]
    assert rows(db, "SELECT rule, severity FROM quality_flags WHERE rule = 'same_report_copy'") == [
        ("same_report_copy", "info")
    ]

    # A version with one figure changed: both are kept, the new number is in the warehouse, with a warning.
    total, line = rows(db, "SELECT total, source_line FROM function_spending WHERE code = '201' AND basis = 'actual'")[
        0
    ]
    lines = original.split("\n")
    assert "208. 32" in lines[line - 1] and total == 208.32
    lines[line - 1] = lines[line - 1].replace("208. 32", "209. 32", 1)
    (folder / "b.txt").write_text("\n".join(lines), encoding="utf-8")
    pipeline.build([folder], db)  # incremental
    got = rows(
        db,
        """SELECT r.version, split_part(r.source_files[1], '/', -1), f.total, r.in_default_view
           FROM reports r JOIN function_spending f USING (report_id)
           WHERE f.code = '201' AND f.basis = 'actual' ORDER BY r.version""",
    )
    assert [row[:2] for row in got] == [(1, "a.txt"), (2, "b.txt")]
    assert [row[2] for row in got] == [208.32, 209.32]
    assert [row[3] for row in got] == [True, False]
    warning = rows(db, "SELECT severity, message FROM quality_flags WHERE rule = 'report_versions_differ'")
    assert len(warning) == 1 and warning[0][0] == "warning" and "a.txt" in warning[0][1] and "b.txt" in warning[0][1]

    # The two agree again: one report, no version left behind.
    (folder / "b.txt").write_text(original + "\n（重新上传）\n", encoding="utf-8")
    pipeline.build([folder], db)
    assert rows(db, "SELECT version, len(source_files) FROM reports") == [(1, 2)]
    assert rows(db, "SELECT count(*) FROM quality_flags WHERE rule = 'report_versions_differ'") == [(0,)]


def test_every_rule_says_how_it_ended_on_every_report(warehouse: Path) -> None:
    reports = rows(warehouse, "SELECT count(*) FROM reports")[0][0]
    per_rule = rows(warehouse, "SELECT rule, count(*), count(DISTINCT report_id) FROM audit_results GROUP BY 1")
    assert per_rule and all(n == reports and distinct == reports for _, n, distinct in per_rule)
    outcomes = dict(
        rows(
            warehouse,
            """SELECT a.rule || '/' || split_part(r.source_files[1], '/', -1), a.outcome
               FROM audit_results a JOIN reports r USING (report_id)""",
        )
    )
    # Budgets have no indicators: the rule does not apply, it does not "pass".
    assert outcomes["indicator_weights/006_putuo-district-office-2025-budget.pdf"] == "not_applicable"
    assert outcomes["function_children_sum/005_putuo-finance-bureau-2024-final-accounts.pdf"] == "pass"
    # A project self-evaluation without printed fund lines could not be checked: said, not passed.
    assert set(outcomes.values()) <= {"pass", "fail", "not_applicable", "insufficient_data"}
    # Rules applied while reading have outcomes too.
    assert outcomes["stated_change_mismatch/009_wanli-subdistrict-2023-budget.pdf"] == "fail"
    assert outcomes["narrative_total_mismatch/006_putuo-district-office-2025-budget.pdf"] == "pass"
    assert outcomes["restated_amount_mismatch/005_putuo-finance-bureau-2024-final-accounts.pdf"] == "not_applicable"
    assert outcomes["totals_balance/000_294bda5ec094da43.txt"] == "not_applicable"  # an evaluation has no 收支总表
    failing = rows(
        warehouse,
        """SELECT a.rule, a.report_id FROM audit_results a
           WHERE a.outcome = 'fail' AND NOT EXISTS (
               SELECT 1 FROM quality_flags q WHERE q.rule = a.rule AND q.report_id = a.report_id
                 AND q.severity IN ('error', 'warning'))""",
    )
    assert failing == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("putuo-finance-bureau-2024-final-accounts-EDITED-with-planted-errors.pdf", ["XX局"]),
        ("putuo-finance-bureau-2024-final-accounts.pdf", []),
    ],
)
def test_placeholder_left_in_a_published_report(tmp_path: Path, name: str, expected: list[str]) -> None:
    from fiscallens.check import document_findings
    from fiscallens.classify import classify
    from fiscallens.read import read_document

    doc, _ = read_document(FIXTURE_PDFS / name)
    assert doc is not None
    classification, _ = classify(doc)
    assert classification is not None
    found = [f for f in document_findings(doc, classification) if f.rule == "placeholder_text"]
    assert [f.message.split("“")[1].split("”")[0] for f in found] == expected
    if expected:
        assert found[0].severity == "warning" and "第 7 页" in found[0].message
