"""Summary tables (收支总表) and narrative totals: `fiscallens.extract.totals`.

The fixtures in tests/fixtures/totals/ are excerpts of the rendered text of the real documents in
../shared/real-pdfs/ (cover lines, summary tables, the narrative's totals paragraph; SOURCES.md there
names the document and pages of each). Synthetic snippets cover the layouts and errors the real ones
do not show: the national template's 行次 column, flattened rows, sums that fail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fiscallens.classify import classify
from fiscallens.extract import READERS
from fiscallens.extract.context import ReportContext
from fiscallens.extract.totals import read_totals
from fiscallens.model import Document
from fiscallens.read import read_document

FIXTURES = Path(__file__).parent.parent / "fixtures" / "totals"
ACCOUNTS_TITLE = "上海市普陀区财政局\n2024年度部门决算\n"
BUDGET_TITLE = "上海市普陀区2025年区级部门预算\n预算主管部门：上海市普陀区人民政府办公室\n"
TOTALS_RULES = ("totals_", "narrative_total")


def ingest(path: Path) -> tuple[ReportContext, Document]:
    doc, _ = read_document(path)
    assert doc is not None
    classification, _ = classify(doc)
    assert classification is not None
    ctx = ReportContext(report_id="R", classification=classification, documents=[doc])
    read_totals(ctx, doc)
    return ctx, doc


def snippet(tmp_path: Path, text: str) -> tuple[ReportContext, Document]:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return ingest(path)


def figures(ctx: ReportContext) -> dict[tuple[str, str, str], float]:
    return {(r["statement"], r["side"], r["item"]): r["amount"] for r in ctx.rows("totals")}


def findings(ctx: ReportContext, severity: str | None = None) -> list[tuple[str, str, str]]:
    return [
        (f.rule, f.severity, f.message)
        for f in ctx.findings
        if f.rule.startswith(TOTALS_RULES) and (severity is None or f.severity == severity)
    ]


def row(ctx: ReportContext, statement: str, side: str, item: str) -> dict[str, Any]:
    return next(r for r in ctx.rows("totals") if (r["statement"], r["side"], r["item"]) == (statement, side, item))


def line_of(doc: Document, text: str) -> int:
    return next(n for n, line in enumerate(doc.lines, start=1) if text in line)


def test_reader_runs_on_final_accounts_and_budgets_before_the_sentence_readers() -> None:
    names = [reader.__name__ for reader, _ in READERS]
    types = dict((reader.__name__, t) for reader, t in READERS)
    assert {"final_accounts", "budget"} <= types["read_totals"]
    assert names.index("read_totals") < names.index("read_project_paragraphs")


# --- real documents ---------------------------------------------------------------------------


def test_final_accounts_summary_tables_land_with_their_lines() -> None:
    # 上海市普陀区财政局 2024 部门决算: 收入支出决算总表 (p. 6–7), 财政拨款收入支出决算总表 (p. 12–13), 万元.
    ctx, doc = ingest(FIXTURES / "finance-bureau-2024-final-accounts.txt")
    got = figures(ctx)
    assert {k: v for k, v in got.items() if k[0] == "all"} == {
        ("all", "income", "general_budget"): 2940.05,
        ("all", "income", "other"): 6.2,
        ("all", "income", "current_total"): 2946.25,
        ("all", "income", "carryover_start"): 49.14,
        ("all", "income", "grand_total"): 2995.39,
        ("all", "expenditure", "function_201"): 2106.66,
        ("all", "expenditure", "function_208"): 326.71,
        ("all", "expenditure", "function_210"): 60.99,
        ("all", "expenditure", "function_221"): 445.69,
        ("all", "expenditure", "current_total"): 2940.05,
        ("all", "expenditure", "carryover_end"): 55.34,
        ("all", "expenditure", "grand_total"): 2995.39,
    }
    assert got[("fiscal", "income", "general_budget")] == 2940.05
    assert got[("fiscal", "income", "carryover_start")] == 21.63
    # The carry-over's breakdown by fund is not a second general-budget income line.
    assert got[("fiscal", "income", "carryover_start_general_budget")] == 21.63
    assert got[("fiscal", "income", "grand_total")] == got[("fiscal", "expenditure", "grand_total")] == 2961.68
    grand = row(ctx, "all", "income", "grand_total")
    assert grand["source_line"] == line_of(doc, "总计\t2,995.39")
    assert grand["basis"] == "actual" and grand["label"] == "总计"
    # Every sum of the two tables holds.
    assert not [f for f in findings(ctx) if f[0].startswith("totals_")]


def test_final_accounts_narrative_totals_are_compared_with_the_tables() -> None:
    ctx, doc = ingest(FIXTURES / "finance-bureau-2024-final-accounts.txt")
    got = figures(ctx)
    assert got[("narrative", "income", "grand_total")] == got[("narrative", "expenditure", "grand_total")] == 2995.39
    assert got[("narrative", "income", "current_total")] == 2946.25
    assert got[("narrative", "expenditure", "current_total")] == 2940.05
    # The authentic document itself says "财政拨款收入支出总计0.3万元" (p. 21) against 2,961.68 in its table
    # (p. 13): a true error of the published document, reported once for both sides.
    assert got[("narrative_fiscal", "income", "grand_total")] == 0.3
    warnings = findings(ctx, "warning")
    assert [w[0] for w in warnings] == ["narrative_total_mismatch"]
    assert "财政拨款收入支出总计0.3万元" in warnings[0][2] and "2961.68" in warnings[0][2]
    assert "收入总计、支出总计" in warnings[0][2]
    assert next(f for f in ctx.findings if f.rule == "narrative_total_mismatch").source_line == line_of(doc, "0.3万元")


def test_planted_narrative_total_of_the_edited_copy_is_caught() -> None:
    # The EDITED copy (not authentic): "收入支出总计0万元" (p. 18) against the table's 2,995.39 (p. 7); its
    # 财政拨款 total was set to the table's 2961.68, which must pass.
    ctx, doc = ingest(FIXTURES / "finance-bureau-2024-final-accounts-edited.txt")
    warnings = findings(ctx, "warning")
    assert [w[0] for w in warnings] == ["narrative_total_mismatch"]
    message = warnings[0][2]
    assert "收入支出总计0万元" in message and "2995.39" in message and "一万倍" not in message
    assert next(f for f in ctx.findings if f.rule == "narrative_total_mismatch").source_line == line_of(
        doc, "收入支出总计0万元"
    )


def test_budget_tables_in_yuan_are_converted_and_match_the_narrative() -> None:
    # 上海市普陀区人民政府办公室 2025 部门预算: 部门财务收支预算总表 (p. 8), 部门财政拨款收支预算总表 (p. 13), 元;
    # 编制说明 (p. 6) in 万元.
    ctx, _ = ingest(FIXTURES / "district-office-2025-budget.txt")
    got = figures(ctx)
    assert got[("all", "income", "grand_total")] == pytest.approx(9101.677535)
    assert got[("all", "income", "fiscal")] == pytest.approx(9101.677535)
    assert got[("all", "income", "general_budget")] == pytest.approx(9101.677535)  # 1. 一般公共预算资金
    assert got[("all", "expenditure", "function_201")] == pytest.approx(8209.679742)
    assert got[("fiscal", "expenditure", "grand_total")] == pytest.approx(9101.677535)
    assert (
        got[("narrative", "income", "current_total")] == got[("narrative", "expenditure", "current_total")] == 9101.68
    )
    assert {r["basis"] for r in ctx.rows("totals")} == {"budget"}
    # "财政拨款支出预算9,101.68万元" and "一般公共预算拨款支出预算…" are not the whole.
    assert ("narrative_fiscal", "expenditure", "current_total") not in got
    assert findings(ctx) == []


def test_extra_columns_on_the_expenditure_side_keep_the_total_column() -> None:
    # 上海市普陀区商务委员会 2025 单位预算, 预算单位财务收支预算总表 (p. 9): 合计 | 人员经费 | 公用经费 | 项目支出.
    ctx, _ = ingest(FIXTURES / "commerce-commission-2025-unit-budget.txt")
    got = figures(ctx)
    assert got[("all", "expenditure", "function_201")] == pytest.approx(2160.1733)
    assert got[("all", "expenditure", "function_215")] == pytest.approx(29381.0)
    assert got[("all", "expenditure", "grand_total")] == pytest.approx(37151.4655)
    assert findings(ctx) == []


def test_blank_template_yields_nothing() -> None:
    ctx, _ = ingest(FIXTURES / "template-department-budget.txt")
    assert ctx.rows("totals") == []
    assert findings(ctx) == []


# --- layouts -----------------------------------------------------------------------------------

NATIONAL = (
    ACCOUNTS_TITLE
    + """收入支出决算总表
公开01表
单位：万元
收入\t\t\t支出\t\t
项目\t行次\t金额\t项目\t行次\t金额
栏次\t\t1\t栏次\t\t2
一、一般公共预算财政拨款收入\t1\t100.00\t一、一般公共服务支出\t32\t80.00
二、政府性基金预算财政拨款收入\t2\t\t二、教育支出\t33\t{education}
五、事业收入\t5\t{business}\t\t\t
本年收入合计\t10\t{current}\t本年支出合计\t60\t{spent}
使用非财政拨款结余\t11\t\t结余分配\t61\t
年初结转和结余\t12\t5.00\t年末结转和结余\t62\t{end}
总计\t13\t{grand}\t总计\t63\t{grand_right}
"""
)


def national(**kw: str) -> str:
    values = {"education": "30.00", "business": "10.00", "current": "110.00", "spent": "110.00", "end": "5.00"}
    values |= {"grand": "115.00", "grand_right": "115.00"}
    return NATIONAL.format(**(values | kw))


def test_row_number_column_of_the_national_template_is_skipped(tmp_path: Path) -> None:
    ctx, _ = snippet(tmp_path, national())
    got = figures(ctx)
    assert got[("all", "income", "general_budget")] == 100.0
    assert got[("all", "income", "business")] == 10.0
    assert got[("all", "income", "carryover_start")] == 5.0
    assert got[("all", "expenditure", "function_205")] == 30.0
    assert got[("all", "expenditure", "grand_total")] == 115.0
    assert not [k for k in got if "栏次" in k[2] or k[2] == "unclassified"]
    assert findings(ctx) == []


def test_items_that_do_not_sum_are_a_warning(tmp_path: Path) -> None:
    ctx, _ = snippet(tmp_path, national(business="12.00"))
    warnings = findings(ctx, "warning")
    assert [w[0] for w in warnings] == ["totals_items_sum"]
    assert "112" in warnings[0][2] and "110" in warnings[0][2] and "本年收入合计" in warnings[0][2]


def test_a_difference_within_the_rounding_envelope_is_info(tmp_path: Path) -> None:
    # Two rounded items may be off by (2 + 1) × 0.005 = 0.015 万元 against their printed total.
    ctx, _ = snippet(tmp_path, national(business="10.01"))
    assert findings(ctx, "warning") == []
    assert [f[0] for f in findings(ctx, "info")] == ["totals_items_sum"]


def test_carryover_and_balance_are_checked(tmp_path: Path) -> None:
    ctx, _ = snippet(tmp_path, national(end="7.00", grand_right="117.00"))
    rules = sorted(f[0] for f in findings(ctx, "warning"))
    # 110 + 7 = 117 holds on the right; the two sides no longer balance (115 ≠ 117).
    assert rules == ["totals_balance"]
    ctx, _ = snippet(tmp_path, national(end="7.00"))
    assert sorted(f[0] for f in findings(ctx, "warning")) == ["totals_grand_sum"]


def test_a_carryover_broken_down_by_kind_is_not_counted_twice(tmp_path: Path) -> None:
    text = national().replace("总计\t13", "\t\t\t基本支出结转\t63\t2.00\n\t\t\t项目支出结转和结余\t64\t3.00\n总计\t13")
    ctx, _ = snippet(tmp_path, text)
    got = figures(ctx)
    assert got[("all", "expenditure", "carryover_end_basic")] == 2.0
    assert got[("all", "expenditure", "carryover_end_project")] == 3.0
    assert ("all", "expenditure", "basic") not in got
    assert findings(ctx) == []
    ctx, _ = snippet(tmp_path, text.replace("\t3.00", "\t4.00"))
    assert [f[0] for f in findings(ctx, "warning")] == ["totals_children_sum"]


def test_flattened_rows_are_read_by_their_labels(tmp_path: Path) -> None:
    text = (
        ACCOUNTS_TITLE
        + """收入支出决算总表
单位：万元
项目 决算数 项目 决算数
一、一般公共预算财政拨款收入 2,940.05 一、一般公共服务支出 2,106.66
八、其他收入 6.20 八、社会保障和就业支出 839.39
本年收入合计 2,946.25 本年支出合计 2,946.05
年初结转和结余 49.14 年末结转和结余 49.34
总计 2,995.39 总计 2,995.39
"""
    )
    ctx, _ = snippet(tmp_path, text)
    got = figures(ctx)
    assert got[("all", "income", "other")] == 6.2
    assert got[("all", "expenditure", "function_208")] == 839.39
    assert got[("all", "expenditure", "carryover_end")] == 49.34
    assert findings(ctx) == []


def test_marked_sub_items_sum_to_their_parent(tmp_path: Path) -> None:
    text = (
        BUDGET_TITLE
        + """2025年部门财务收支预算总表
编制部门：上海市普陀区人民政府办公室\t单位：元
本年收入\t\t本年支出\t
项目\t预算数\t项目\t预算数
一、财政拨款收入\t1,000.00\t一、一般公共服务支出\t1,100.00
1. 一般公共预算资金\t900.00\t\t
2. 政府性基金\t\t\t
二、事业收入\t100.00\t\t
收入总计\t1,100.00\t支出总计\t1,100.00
"""
    )
    ctx, _ = snippet(tmp_path, text)
    got = figures(ctx)
    assert got[("all", "income", "general_budget")] == 0.09
    warnings = findings(ctx, "warning")
    assert [w[0] for w in warnings] == ["totals_children_sum"]
    assert "一般公共预算资金" in warnings[0][2] and "财政拨款收入" in warnings[0][2] and "元" in warnings[0][2]


def test_items_numbered_1_2_3_are_side_by_side_and_qizhong_is_a_part(tmp_path: Path) -> None:
    text = (
        BUDGET_TITLE
        + """2025年部门收支总表
单位：万元
项目\t预算数\t项目\t预算数
1、一般公共预算拨款收入\t900.00\t1、一般公共服务支出\t1,000.00
2、事业收入\t100.00\t\t
其中：教育收费\t60.00\t\t
收入总计\t1,000.00\t支出总计\t1,000.00
"""
    )
    ctx, _ = snippet(tmp_path, text)
    got = figures(ctx)
    assert got[("all", "income", "business")] == 100.0
    assert got[("all", "income", "unclassified")] == 60.0
    assert findings(ctx) == []


# --- narrative ---------------------------------------------------------------------------------

SMALL_TABLE = """收入支出决算总表
单位：万元
项目\t决算数\t项目\t决算数
一、一般公共预算财政拨款收入\t2,940.05\t一、一般公共服务支出\t2,940.05
本年收入合计\t2,940.05\t本年支出合计\t2,940.05
年初结转和结余\t55.34\t年末结转和结余\t55.34
总计\t2,995.39\t总计\t2,995.39
"""


def test_narrative_rounded_to_fewer_decimals_is_info(tmp_path: Path) -> None:
    ctx, _ = snippet(tmp_path, ACCOUNTS_TITLE + SMALL_TABLE + "上海市普陀区财政局2024年度收入支出总计2995万元。\n")
    assert findings(ctx, "warning") == []
    assert [f[0] for f in findings(ctx, "info")] == ["narrative_total_rounded"]


def test_changes_and_other_years_are_not_totals(tmp_path: Path) -> None:
    text = (
        ACCOUNTS_TITLE
        + SMALL_TABLE
        + "与2023年度相比，收入支出总计减少56.95万元。2023年度收入支出总计3052.34万元。上年收入总计10万元。"
        + "2024年收入预算为3000.00万元，收入预算总计3000.00万元。\n"
    )
    ctx, _ = snippet(tmp_path, text)
    assert not [r for r in ctx.rows("totals") if r["statement"].startswith("narrative")]
    assert findings(ctx) == []


def test_narrative_in_the_wrong_unit_says_so(tmp_path: Path) -> None:
    ctx, _ = snippet(tmp_path, ACCOUNTS_TITLE + SMALL_TABLE + "2024年度收入、支出决算总计29,953,900.00万元。\n")
    warnings = findings(ctx, "warning")
    assert [w[0] for w in warnings] == ["narrative_total_mismatch"]
    assert "一万倍" in warnings[0][2]


def test_budget_narrative_is_not_compared_with_a_total_that_includes_carryover(tmp_path: Path) -> None:
    text = (
        BUDGET_TITLE
        + "2025年，上海市普陀区人民政府办公室收入预算1,000.00万元。基本支出预算300.00万元。\n"
        + """2025年部门收支总表
单位：万元
项目\t预算数\t项目\t预算数
一、一般公共预算拨款收入\t1,000.00\t一、一般公共服务支出\t1,200.00
上年结转\t200.00\t\t
收入总计\t1,200.00\t支出总计\t1,200.00
"""
    )
    ctx, _ = snippet(tmp_path, text)
    got = figures(ctx)
    assert got[("narrative", "income", "current_total")] == 1000.0
    assert ("narrative", "expenditure", "current_total") not in got  # 基本支出预算 is a part
    assert findings(ctx) == []
