"""Readers of final-accounts documents: functional tables, basic-spending detail, 三公 经费.

Unit tests run each reader on a small snippet written to a temporary file; golden tests run them on
the bundled reports 001 (Guiyang final accounts) and 003 (Xiangtan evaluation).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fiscallens.classify import classify
from fiscallens.extract.context import ReportContext, name_score
from fiscallens.extract.economic_tables import read_economic_tables
from fiscallens.extract.function_tables import read_function_tables
from fiscallens.extract.table import line_list
from fiscallens.extract.three_public import read_three_public
from fiscallens.model import Document
from fiscallens.normalize import find_numbers
from fiscallens.read import read_document
from tests.conftest import seed_path

Reader = Callable[[ReportContext, Document], None]
TITLE = "2023 年贵州省贵阳市 大数据发展管理局(本级) 部门决算公开说明\n\n"


def run(tmp_path: Path, body: str, *readers: Reader) -> tuple[ReportContext, Document]:
    path = tmp_path / "report.txt"
    path.write_text(TITLE + body, encoding="utf-8")
    doc, _ = read_document(path)
    assert doc is not None
    classification, _ = classify(doc)
    assert classification is not None and classification.fiscal_year == 2023
    ctx = ReportContext(report_id="R1", classification=classification, documents=[doc])
    for reader in readers:
        reader(ctx, doc)
    return ctx, doc


def rows_by(ctx: ReportContext, table: str, *key: str) -> dict[object, dict[str, object]]:
    return {tuple(r[k] for k in key) if len(key) > 1 else r[key[0]]: r for r in ctx.rows(table)}


def rules(ctx: ReportContext, severity: str | None = None) -> list[str]:
    return [f.rule for f in ctx.findings if severity is None or f.severity == severity]


def line_of(doc: Document, text: str) -> int:
    return next(n for n, line in enumerate(doc.lines, start=1) if text in line)


def line_has_figure(doc: Document, line: int, value: float) -> bool:
    return any(abs(found - value) < 0.001 for _, _, found in find_numbers(doc.lines[line - 1]))


# --- functional-classification tables ---------------------------------------------------------

GPB_TABLE = """一般公共预算财政拨款支出决算表

\t项目\t\t本年支出\t
科目代码\t科目名称\t小计\t基本支出\t项目支出
\t栏次\t1\t2\t3
\t合计\t11, 839. 28\t348. 25\t11, 491. 03
206\t科学技术支出\t11, 491. 03\t\t11, 491. 03
20604\t技术研究与开发\t11, 491. 03\t\t11, 491. 03
2060499\t其他技术研究与开发支出\t11, 491. 03\t\t11, 491. 03
20699\t其他科学技术支出\t\t\t
215\t资源勘探工业信息等支出\t348. 25\t348. 25\t
21505\t工业和信息产业监管\t348. 25\t348. 25\t
2150501\t行政运行\t348. 25\t348. 25\t

注: 本表反映部门本年度一般公共预算财政拨款支出情况。
"""

# The 支出决算表 as 001 prints it: rows prefixed by text of neighbouring rows, a stray code
# fragment, and blank 项目支出 cells on the second page.
DAMAGED_TABLE = "\n".join(
    [
        "支出决算表",
        "",
        "公开 03 表",
        "",
        "合计 11,839.28 206 科学技术支出 11,491.03\t科目代码\t\t本年支出合计\t基本支出\t项目支出\t\t\t单位补",
        "206 科学技术支出 11,491.03 20604 技术研究与开发 11,491.03\t合计\t\t11, 839. 28\t348. 25\t11, 491. 03",
        "20604 技术研究与开发 11,491.03 2060499 其他技术研究与开发支出\t206\t科学技术支出\t11, 491. 03\t\t11, 491. 03",
        "2060499 其他技术研究与开发支出 11,491.03 215 资源勘探工业信息等支出\t20604\t技术研究与开发\t11, 491. 03\t\t"
        "11, 491. 03",
        "20508\t2060499\t其他技术研究与开发支出\t11, 491. 03\t\t11, 491. 03",
        "215 资源勘探工业信息等支出 348.25 348.25 21505 工业和信息产业监管 348.25 348.25\t",
        "",
        "215\t资源勘探工业信息等支出\t348. 25\t348. 25\t\t",
        "21505\t工业和信息产业监管\t348. 25\t348. 25\t\t",
        "2150501\t行政运行\t348. 25\t348. 25\t\t",
        "",
        "注: 本表反映部门本年度各项支出情况。",
        "",
    ]
)

INCOME_TABLE = """收入决算表

\t项目\t\t\t
科目代码\t科目名称\t本年收入合计\t财政拨款收入\t上级补助收入
\t合计\t11, 839. 28\t11, 839. 28\t
206\t科学技术支出\t11, 491. 03\t11, 491. 03\t
20604 技术研究与开发 11,491\t\t11, 491. 03\t11, 491. 03\t
2060499\t其他技术研究与开发支出\t11, 491. 03\t11, 491. 03\t
215\t资源勘探工业信息等支出\t348. 25\t348. 25\t
21505\t工业和信息产业监管\t348. 25\t348. 25\t
2150501\t行政运行\t348. 25\t348. 25\t

注: 本表反映部门本年度取得的各项收入情况。
"""


def test_damaged_rows_are_read_after_their_garbage(tmp_path: Path) -> None:
    ctx, doc = run(tmp_path, DAMAGED_TABLE, read_function_tables)
    rows = rows_by(ctx, "function_spending", "code")
    assert set(rows) == {"total", "206", "20604", "2060499", "215", "21505", "2150501"}
    assert (rows["206"]["total"], rows["206"]["basic"], rows["206"]["project"]) == (11491.03, None, 11491.03)
    assert rows["2060499"]["source_line"] == line_of(doc, "20508\t2060499")
    assert (rows["total"]["total"], rows["total"]["basic"], rows["total"]["project"]) == (11839.28, 348.25, 11491.03)
    assert rows["215"]["project"] is None  # the blank cell states nothing; no table here fills it
    damaged = next(f for f in ctx.findings if f.rule == "table_rows_damaged")
    assert "4 行" in damaged.message and damaged.source_line == line_of(doc, "\t合计\t")
    assert "table_lines_unread" in rules(ctx)  # the line holding only run-in text
    assert "unit_assumed" in rules(ctx)


def test_clean_table_is_trusted_first_and_others_fill_gaps(tmp_path: Path) -> None:
    ctx, doc = run(tmp_path, DAMAGED_TABLE + GPB_TABLE + INCOME_TABLE, read_function_tables)
    rows = rows_by(ctx, "function_spending", "code")
    assert len(rows) == 7  # 20699 has only empty cells: not a fact
    assert rows["2150501"]["source_table"] == "一般公共预算财政拨款支出决算表"
    gpb_row = rows["2150501"]["source_line"]
    assert gpb_row > line_of(doc, "一般公共预算财政拨款支出决算表") and doc.lines[gpb_row - 1].startswith("2150501")
    assert (rows["215"]["basic"], rows["215"]["project"]) == (348.25, None)
    assert rows["2060499"]["level"] == "项" and rows["2060499"]["parent_code"] == "20604"
    assert rows["206"]["level"] == "类" and rows["206"]["parent_code"] is None
    assert rules(ctx, "warning") == []  # the three tables agree once the damage is understood


def test_a_changed_number_changes_the_output(tmp_path: Path) -> None:
    changed = (DAMAGED_TABLE + GPB_TABLE + INCOME_TABLE).replace("348. 25", "358. 25")
    ctx, _ = run(tmp_path, changed, read_function_tables)
    rows = rows_by(ctx, "function_spending", "code")
    assert rows["2150501"]["total"] == 358.25
    assert rows["215"]["basic"] == 358.25


def test_tables_that_disagree_keep_the_trusted_figure_and_warn(tmp_path: Path) -> None:
    damaged = DAMAGED_TABLE.replace("2150501\t行政运行\t348. 25", "2150501\t行政运行\t349. 25")
    ctx, doc = run(tmp_path, GPB_TABLE + damaged, read_function_tables)
    assert rows_by(ctx, "function_spending", "code")["2150501"]["total"] == 348.25
    warning = next(f for f in ctx.findings if f.rule == "figure_disagrees")
    assert "348.25" in warning.message and "349.25" in warning.message
    assert warning.source_line == line_of(doc, "2150501\t行政运行\t349. 25")


def test_tables_covering_different_money_are_not_merged(tmp_path: Path) -> None:
    other_money = DAMAGED_TABLE.replace("\t11, 839. 28\t348. 25", "\t12, 839. 28\t348. 25").replace(
        "2150501\t行政运行\t348. 25\t348. 25", "2150501\t行政运行\t1348. 25\t348. 25"
    )
    ctx, _ = run(tmp_path, GPB_TABLE + other_money, read_function_tables)
    assert rows_by(ctx, "function_spending", "code")["2150501"]["total"] == 348.25
    assert "table_scope_differs" in rules(ctx, "info")
    assert rules(ctx, "warning") == []


def test_table_in_yuan_is_converted_to_wan(tmp_path: Path) -> None:
    body = GPB_TABLE.replace("\n\n\t项目", "\n\n金额单位：元\n\t项目").replace("348. 25", "3,482,500.00")
    ctx, _ = run(tmp_path, body, read_function_tables)
    assert rows_by(ctx, "function_spending", "code")["2150501"]["total"] == pytest.approx(348.25)
    assert "unit_assumed" not in rules(ctx)


def test_split_code_columns_and_unreadable_header(tmp_path: Path) -> None:
    body = """一般公共预算支出预算表

\t\t\t\t\t
206\t\t\t科学技术支出\t500.00\t100.00\t400.00
206\t04\t\t技术研究与开发\t500.00\t100.00\t400.00
206\t04\t99\t其他技术研究与开发支出\t500.00\t100.00\t400.00
"""
    ctx, _ = run(tmp_path, body, read_function_tables)
    rows = rows_by(ctx, "function_spending", "basis", "code")
    assert set(rows) == {("budget", "206"), ("budget", "20604"), ("budget", "2060499")}
    assert rows[("budget", "2060499")]["basic"] == 100.0 and rows[("budget", "2060499")]["project"] == 400.0
    assert "table_header_unreadable" in rules(ctx)


def test_flattened_row_reads_only_the_certain_column(tmp_path: Path) -> None:
    body = """支出决算表
科目代码\t科目名称\t本年支出合计\t基本支出\t项目支出
2150501 行政运行 348.25 348.25
2150517 产业发展 6,381.83 — 6,381.83
"""
    ctx, _ = run(tmp_path, body, read_function_tables)
    rows = rows_by(ctx, "function_spending", "code")
    assert (rows["2150501"]["total"], rows["2150501"]["basic"]) == (348.25, None)
    assert (rows["2150517"]["basic"], rows["2150517"]["project"]) == (None, 6381.83)
    assert "table_columns_uncertain" in rules(ctx)


NARRATIVE = "\n".join(
    [
        "(二) 一般公共预算财政拨款支出决算结构情况",
        "",
        "2023年度一般公共预算财政拨款支出主要用于以下方面: 科学技术(类)支出 11491.03万元,占 97.06%;"
        "资源勘探信息等(类)支出 348.24万元,占 2.94%。",
        "",
        "(三) 一般公共预算财政拨款支出决算具体情况",
        "",
        "2023 年度一般公共预算财政拨款支出年初预算为12000万元,支出决算为11839.28万元,完成年初预算的98.66%。其中:",
        "",
        "- 1. 科学技术支出(类)技术研究与开发(款)其他科学技术支出(项)。年初预算为11000万元,"
        "支出决算为11491. 03万元,完成年初预算的109.47%。",
        " - 2. 资源勘探信息等支出(类)工业和信息产业",
        "",
        "- 监管(款)行政运行(项)。初预算为万301.70元,支出决算为348. 25 万元,完成年初预算的125%。",
        "",
    ]
)


def test_narrative_budgets_by_name_then_by_amount(tmp_path: Path) -> None:
    ctx, doc = run(tmp_path, GPB_TABLE + NARRATIVE, read_function_tables)
    rows = rows_by(ctx, "function_spending", "code")
    assert rows["2060499"]["budget_initial"] == 11000.0
    assert rows["2150501"]["budget_initial"] == 301.70  # 万 displaced, 年 lost, sentence broken over lines
    assert rows["total"]["budget_initial"] == 12000.0
    by_amount = next(f for f in ctx.findings if f.rule == "narrative_matched_by_amount")
    assert "2060499" in by_amount.message and "11491.03" in by_amount.message
    assert by_amount.source_line == line_of(doc, "年初预算为11000万元")
    assert "amount_displaced_wan" in rules(ctx, "info")
    assert "narrative_name_similar" in rules(ctx, "info")
    # 348.25 / 301.70 = 115.43%, not the 125% printed; 11491.03 / 11000 = 104.46%, not 109.47%
    assert rules(ctx, "warning").count("completion_rate_mismatch") == 2
    # the 类 sentence says 348.24 where the table says 348.25
    disagreement = next(f for f in ctx.findings if f.rule == "figure_disagrees")
    assert "348.24" in disagreement.message and disagreement.source_line == line_of(doc, "占 97.06%")


def test_narrative_without_a_matching_code_is_reported(tmp_path: Path) -> None:
    body = GPB_TABLE + "1. 教育支出(类)进修及培训(款)培训支出(项)。年初预算为136.63万元,支出决算为133.58万元。\n"
    ctx, _ = run(tmp_path, body, read_function_tables)
    assert "narrative_unmatched" in rules(ctx, "warning")
    assert all(r.get("budget_initial") is None for r in ctx.rows("function_spending"))


def test_name_score_tolerates_truncation_and_misprints() -> None:
    assert name_score("机关事业单位基本养老保险", "机关事业单位基本养老保险缴费支出") == 0.95
    assert name_score("资源勘探信息等支出", "资源勘探工业信息等支出") >= 0.8
    assert name_score("其他科学技术支出", "其他技术研究与开发支出") < 0.8
    assert line_list([165, 168, 169, 170, 181]) == "165、168–170、181"


# --- basic-spending detail table --------------------------------------------------------------

ECONOMIC_TABLE = """一般公共预算财政拨款基本支出决算明细表

公开 06 表

\t人员经费\t\t\t公用经费\t\t\t\t\t\t
科目代码\t科目名称\t决算数\t科目代码\t科目名称\t决算数\t科目代码\t科目名称\t决算数\t\t
301\t工资福利支出\t354. 84\t302\t商品和服务支出\t95. 07\t307\t债务利息及费用支出\t\t\t
30101\t基本工资\t84. 77\t30217\t公务接待费\t0.71\t30701\t国内债务付息\t\t\t
30106\t伙食补助费\t\t30213\t维修 (护) 费\t\t310\t资本性支出\t\t\t
303\t对个人和家庭的补助\t27. 89\t30231\t公务用车运行维护费\t2. 11\t399\t其他支出\t1. 50\t\t
人员经费合计 382.73\t\t\t\t\t公用经费\t合计\t\t96. 57\t\t

注: 本表反映部门本年度一般公共预算财政拨款基本支出明细情况。

(一)人员经费382.73万元,主要包括基本工资、津贴补贴。
(二)公用经费96.75万元,主要包括:办公费、印刷费。
"""


def test_economic_groups_side_by_side(tmp_path: Path) -> None:
    ctx, doc = run(tmp_path, ECONOMIC_TABLE, read_economic_tables)
    rows = rows_by(ctx, "economic_spending", "code")
    assert set(rows) == {"301", "302", "30101", "30217", "303", "30231", "399", "personnel", "public"}
    assert (rows["30217"]["amount"], rows["30217"]["category"]) == (0.71, "public")
    assert (rows["303"]["category"], rows["399"]["category"]) == ("personnel", "public")
    assert rows["30231"]["source_line"] == line_of(doc, "30231")
    assert (rows["personnel"]["amount"], rows["public"]["amount"]) == (382.73, 96.57)
    assert rows["public"]["name"] == "公用经费合计"
    # the narrative prints 96.75 where the table says 96.57
    warning = next(f for f in ctx.findings if f.rule == "figure_disagrees")
    assert "96.75" in warning.message and warning.source_line == line_of(doc, "(二)公用经费")


def test_economic_flattened_row_never_takes_a_code_as_an_amount(tmp_path: Path) -> None:
    body = "基本支出决算明细表\n金额单位：元\n30106 伙食补助费 30204 手续费 100.00 310 资本性支出 2000\n"
    ctx, _ = run(tmp_path, body, read_economic_tables)
    rows = rows_by(ctx, "economic_spending", "code")
    assert set(rows) == {"30204", "310"}
    assert rows["30204"]["amount"] == pytest.approx(0.01) and rows["310"]["amount"] == pytest.approx(0.2)


def test_economic_totals_from_a_sentence(tmp_path: Path) -> None:
    body = "(二)支出情况:包括基本支出 902.33 万元，其中人员经费 775.02 万元，公用经费 127.31 万元；\n"
    ctx, _ = run(tmp_path, body, read_economic_tables)
    rows = rows_by(ctx, "economic_spending", "code")
    assert (rows["personnel"]["amount"], rows["public"]["amount"]) == (775.02, 127.31)
    assert rows["personnel"]["category"] == "personnel" and rows["personnel"]["source_line"] == 3


# --- 三公 经费 ----------------------------------------------------------------------------------

THREE_PUBLIC_TABLE = "\n".join(
    [
        '财政拨款"三公"经费支出决算表',
        "",
        "金额单位: 万元",
        "",
        "\t\t3\t预算数\t\t\t· · · ·\t\t\t\t\t\t",
        "F\t因公\t公务用\t公务用车购置及运行维护费\t\t\t\t因公\t公务用车购置及运行维护费因公\t\t\t\t",
        "合计\t出国 (境) 费\t小计\t公务接 公务用车 公务用车运 特费 购置费 行维护费\t合计\t出国 (境) 费\t小计\t"
        "公务用车购置费\t公务用车运行维护费\t公务接 待费\t\t\t",
        "1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12\t",
        "2. 82\t\t2. 11\t\t2. 11\t0. 71\t2. 82\t\t2. 11\t\t2. 11\t0.71\t",
        "",
        '注:本表反映部门本年度"三公"经费支出预决算情况。',
        "",
    ]
)

THREE_PUBLIC_SENTENCES = "\n".join(
    [
        '(一) "三公"经费财政拨款支出决算总体情况说明 2023年度"三公"经费财政拨款支出预算为 2.82 万元, '
        "支出决算为 2.82 万元,完成预算的 100%; 较上年增加 0.29 万元,增长 11.46%。",
        "",
        "- 1. 因公出国(境)费预算 0 万元,支出决算 0 万元,完成预算的%;与上年决算数持平,无增减变动。",
        "3. 公务接待费预算 0.71 万元,支出决算 0.71 万元,完成 预算的 100%; 较上年减少 0.10 万元。具体是:",
        "",
        "国内接待费支出 0.71 万元,主要是:用于接待来筑考察学习大数据等。",
        "国(境)外接待费支出 0 万元。",
        "",
    ]
)


def test_three_public_table_in_standard_order(tmp_path: Path) -> None:
    ctx, doc = run(tmp_path, THREE_PUBLIC_TABLE, read_three_public)
    rows = rows_by(ctx, "three_public", "item")
    assert len(rows) == 6
    assert (rows["total"]["budget"], rows["total"]["actual"]) == (2.82, 2.82)
    assert (rows["reception"]["budget"], rows["vehicle_operation"]["actual"]) == (0.71, 2.11)
    assert (rows["outbound"]["actual"], rows["vehicle_purchase"]["budget"]) == (0.0, 0.0)  # blanks that add up
    assert rows["total"]["source_line"] == line_of(doc, "2. 82\t")
    assert all(r["fiscal_year"] == 2023 and r["derived"] is False for r in rows.values())
    assert "three_public_header_assumed" in rules(ctx, "info")
    assert rules(ctx).count("three_public_blank_as_zero") == 2


def test_three_public_blanks_that_do_not_add_up_stay_empty(tmp_path: Path) -> None:
    ctx, _ = run(tmp_path, THREE_PUBLIC_TABLE.replace("2. 82\t\t2. 11", "3. 82\t\t2. 11", 1), read_three_public)
    rows = rows_by(ctx, "three_public", "item")
    assert rows["total"]["budget"] == 3.82
    assert rows["outbound"]["budget"] is None and rows["outbound"]["actual"] == 0.0


def test_three_public_sentences_and_last_year(tmp_path: Path) -> None:
    ctx, doc = run(tmp_path, THREE_PUBLIC_TABLE + THREE_PUBLIC_SENTENCES, read_three_public)
    rows = rows_by(ctx, "three_public", "fiscal_year", "item")
    assert rows[(2022, "total")]["actual"] == 2.53 and rows[(2022, "total")]["derived"] is True
    assert rows[(2022, "outbound")]["actual"] == 0.0  # 持平
    assert rows[(2022, "reception")]["actual"] == 0.81  # 减少 0.10
    assert rows[(2022, "total")]["source_line"] == line_of(doc, "较上年增加 0.29")
    assert rules(ctx, "warning") == []  # 国内/国(境)外接待费 are parts, not the 公务接待费 figure
    derived = [f for f in ctx.findings if f.rule == "three_public_derived"]
    assert len(derived) == 3 and "2.82 − 0.29" in derived[0].message


def test_three_public_sentence_disagreeing_with_the_table(tmp_path: Path) -> None:
    body = THREE_PUBLIC_TABLE + THREE_PUBLIC_SENTENCES.replace("支出决算 0.71 万元", "支出决算 0.74 万元")
    ctx, doc = run(tmp_path, body, read_three_public)
    warning = next(f for f in ctx.findings if f.rule == "figure_disagrees")
    assert "0.74" in warning.message and warning.source_line == line_of(doc, "0.74 万元")
    assert rows_by(ctx, "three_public", "fiscal_year", "item")[(2022, "reception")]["actual"] == 0.84


def test_three_public_control_figures_and_actuals(tmp_path: Path) -> None:
    body = (
        "\t<p>(三)“三公经费”预算执行情况:2023年,中心“三公”经费控制数为5.44万元,其中公务接待费2.24万元,"
        "公务用车运行费3.2万元,出国出境费0万元。我中心2023年度“三公经费”实际支出3.84万元,其中公务接待费0.65万元,"
        "公务用车运行费3.19万元,未超过控制数。</p>\n"
    )
    ctx, _ = run(tmp_path, body, read_three_public)
    rows = rows_by(ctx, "three_public", "item")
    assert (rows["total"]["budget"], rows["total"]["actual"]) == (5.44, 3.84)
    assert (rows["reception"]["budget"], rows["reception"]["actual"]) == (2.24, 0.65)
    assert (rows["vehicle_operation"]["budget"], rows["vehicle_operation"]["actual"]) == (3.2, 3.19)
    assert (rows["outbound"]["budget"], rows["outbound"]["actual"]) == (0.0, None)
    note = next(f for f in ctx.findings if f.rule == "three_public_actual_not_stated")
    assert "因公出国(境)费" in note.message and "3.84" in note.message


def test_three_public_six_column_table_takes_its_basis_from_the_header(tmp_path: Path) -> None:
    body = """“三公”经费支出决算表
单位：元
决算数
合计\t因公出国（境）费\t小计\t公务用车购置费\t公务用车运行维护费\t公务接待费
38400\t\t31900\t\t31900\t6500
"""
    ctx, _ = run(tmp_path, body, read_three_public)
    rows = rows_by(ctx, "three_public", "item")
    assert rows["total"]["actual"] == pytest.approx(3.84) and rows["total"]["budget"] is None
    assert rows["reception"]["actual"] == pytest.approx(0.65)
    assert "three_public_header_assumed" not in rules(ctx)


# --- golden tests on the bundled reports --------------------------------------------------------


@pytest.fixture(scope="module")
def report_001() -> tuple[ReportContext, Document]:
    return read_seed("001")


@pytest.fixture(scope="module")
def report_003() -> tuple[ReportContext, Document]:
    return read_seed("003")


def read_seed(prefix: str) -> tuple[ReportContext, Document]:
    doc, _ = read_document(seed_path(prefix))
    assert doc is not None
    classification, _ = classify(doc)
    assert classification is not None
    ctx = ReportContext(report_id="R1", classification=classification, documents=[doc])
    for reader in (read_function_tables, read_economic_tables, read_three_public):
        reader(ctx, doc)
    return ctx, doc


def test_001_row_counts(report_001: tuple[ReportContext, Document]) -> None:
    ctx, _ = report_001
    assert [len(ctx.rows(t)) for t in ("function_spending", "economic_spending", "three_public")] == [33, 28, 10]


def test_001_function_spending(report_001: tuple[ReportContext, Document]) -> None:
    ctx, doc = report_001
    rows = rows_by(ctx, "function_spending", "code")
    row = rows["2060499"]
    assert (row["name"], row["total"], row["basic"], row["project"]) == (
        "其他技术研究与开发支出",
        11491.03,
        None,
        11491.03,
    )
    assert row["budget_initial"] == 32000.0
    assert rows["2150517"]["total"] == 6381.83 and rows["2150517"]["budget_initial"] == 29485.0
    assert (rows["215"]["total"], rows["215"]["basic"], rows["215"]["project"]) == (6730.08, 348.25, 6381.83)
    total = rows["total"]
    assert (total["total"], total["basic"], total["project"], total["budget_initial"]) == (
        22070.55,
        477.80,
        21592.75,
        65130.41,
    )
    assert (total["level"], total["name"]) == ("合计", "合计")
    assert rows["2050803"]["budget_initial"] == 136.63  # 万133.58元
    assert rows["2013202"]["budget_initial"] == 0.0  # 初预算为0万元
    assert rows["2080505"]["name"] == "机关事业单位基本养老保险缴费支出"  # not the truncated printing
    assert all(r["basis"] == "actual" for r in rows.values())
    for row in rows.values():
        assert line_has_figure(doc, row["source_line"], row["total"]), row


def test_001_function_findings(report_001: tuple[ReportContext, Document]) -> None:
    ctx, doc = report_001
    by_rule = {(f.rule, f.source_line) for f in ctx.findings}
    assert ("figure_disagrees", line_of(doc, "社会保障和就业支出(类)74.88")) in by_rule
    assert ("figure_disagrees", line_of(doc, "支出决算为1. 98万元")) in by_rule
    assert ("narrative_matched_by_amount", line_of(doc, "年初预算为32000万元")) in by_rule
    assert ("completion_rate_mismatch", line_of(doc, "年初预算为32000万元")) in by_rule
    assert ("table_rows_damaged", 168) in by_rule
    assert len([f for f in ctx.findings if f.severity == "warning"]) == 3


def test_001_economic_spending(report_001: tuple[ReportContext, Document]) -> None:
    ctx, doc = report_001
    rows = rows_by(ctx, "economic_spending", "code")
    expected = {"301": 354.84, "30101": 84.77, "30102": 76.00, "302": 95.07, "30217": 0.71, "30231": 2.11}
    assert {code: rows[code]["amount"] for code in expected} == expected
    assert (rows["personnel"]["amount"], rows["public"]["amount"]) == (382.73, 95.07)
    assert {rows[c]["category"] for c in ("301", "30101", "303", "30302")} == {"personnel"}
    assert {rows[c]["category"] for c in ("302", "30217", "30231")} == {"public"}
    for row in rows.values():
        assert line_has_figure(doc, row["source_line"], row["amount"]), row


def test_001_three_public(report_001: tuple[ReportContext, Document]) -> None:
    ctx, doc = report_001
    rows = rows_by(ctx, "three_public", "fiscal_year", "item")
    figures = {item: (r["budget"], r["actual"]) for (year, item), r in rows.items() if year == 2023}
    assert figures == {
        "total": (2.82, 2.82),
        "outbound": (0.0, 0.0),
        "vehicle_total": (2.11, 2.11),
        "vehicle_purchase": (0.0, 0.0),
        "vehicle_operation": (2.11, 2.11),
        "reception": (0.71, 0.71),
    }
    assert rows[(2022, "total")]["actual"] == 2.53 and rows[(2022, "total")]["derived"] is True
    for row in rows.values():
        if row["derived"]:
            continue
        for value in (row["budget"], row["actual"]):
            assert value == 0 or line_has_figure(doc, row["source_line"], value), row


def test_003_rows(report_003: tuple[ReportContext, Document]) -> None:
    ctx, doc = report_003
    assert [len(ctx.rows(t)) for t in ("function_spending", "economic_spending", "three_public")] == [0, 2, 4]
    economic = rows_by(ctx, "economic_spending", "code")
    assert (economic["personnel"]["amount"], economic["public"]["amount"]) == (775.02, 127.31)
    three = rows_by(ctx, "three_public", "item")
    assert {item: (r["budget"], r["actual"]) for item, r in three.items()} == {
        "total": (5.44, 3.84),
        "reception": (2.24, 0.65),
        "vehicle_operation": (3.2, 3.19),
        "outbound": (0.0, None),
    }
    for row in [*economic.values(), *three.values()]:
        for value in (row.get("amount"), row.get("budget"), row.get("actual")):
            assert value is None or value == 0 or line_has_figure(doc, row["source_line"], value), row
    assert [f.rule for f in ctx.findings] == ["three_public_actual_not_stated"]
