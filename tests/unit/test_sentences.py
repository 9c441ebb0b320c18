"""Sentence readers and sentence rules: what a narrative amount is about, and contradictions a sentence states.

Real-document tests read excerpts of the real PDFs in `tests/fixtures/sentences/` (sources and pages in
its README); synthetic tests use other wordings of the same structures.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fiscallens.classify import classify
from fiscallens.extract.context import ReportContext, rounding_envelope
from fiscallens.extract.function_tables import read_function_tables
from fiscallens.extract.prose import printed_decimals
from fiscallens.extract.three_public import read_three_public
from fiscallens.model import Document
from fiscallens.read import read_document

Reader = Callable[[ReportContext, Document], None]
FIXTURES = Path(__file__).parent.parent / "fixtures" / "sentences"
ACCOUNTS_TITLE = "上海市普陀区示范局\n2023年度部门决算\n"
BUDGET_TITLE = "上海市普陀区2025年区级部门预算\n预算主管部门：上海市普陀区示范街道办事处\n"


def run_text(
    tmp_path: Path, text: str, *readers: Reader, doc_type: str | None = None
) -> tuple[ReportContext, Document]:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    doc, _ = read_document(path)
    assert doc is not None
    classification, _ = classify(doc)
    assert classification is not None
    if doc_type is not None:
        assert classification.doc_type == doc_type
    ctx = ReportContext(report_id="R1", classification=classification, documents=[doc])
    for reader in readers:
        reader(ctx, doc)
    return ctx, doc


def run_fixture(tmp_path: Path, name: str, *readers: Reader) -> tuple[ReportContext, Document]:
    return run_text(tmp_path, (FIXTURES / name).read_text(encoding="utf-8"), *readers)


def warnings(ctx: ReportContext, rule: str | None = None) -> list[str]:
    return [f.message for f in ctx.findings if f.severity == "warning" and (rule is None or f.rule == rule)]


def warning_lines(ctx: ReportContext, rule: str) -> list[int | None]:
    return [f.source_line for f in ctx.findings if f.severity == "warning" and f.rule == rule]


def line_of(doc: Document, text: str) -> int:
    return next(n for n, line in enumerate(doc.lines, start=1) if text in line)


def three_public(ctx: ReportContext) -> dict[tuple[object, object], dict[str, object]]:
    return {(r["fiscal_year"], r["item"]): r for r in ctx.rows("three_public")}


# --- real documents ---------------------------------------------------------------------------


def test_item_sentences_are_compared_with_their_item_not_the_class(tmp_path: Path) -> None:
    # wanli 2025 budget p. 6–8: “一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”科目43.83万元 was compared
    # with 201's 329.66 (19 false warnings).
    ctx, _ = run_fixture(tmp_path, "wanli-2025-budget-items.txt", read_function_tables)
    assert ctx.classification.doc_type == "budget"
    assert warnings(ctx) == []
    rows = {r["code"]: r for r in ctx.rows("function_spending")}
    assert rows["201"]["total"] == 329.66 and rows["2010507"]["total"] == 43.83
    # the narrative's 25.93 is the table's 25.932 (元 → 万元) printed to 0.01
    assert rows["2080501"]["total"] == 25.932


def test_a_change_from_last_year_is_not_the_value(tmp_path: Path) -> None:
    # wanli 2025 budget p. 29–30: "比2024年预算减少10万元" was stored as the 2025 total (10 vs 37.91).
    ctx, _ = run_fixture(tmp_path, "wanli-2025-three-public.txt", read_three_public)
    assert warnings(ctx) == []
    rows = three_public(ctx)
    assert rows[(2025, "total")]["budget"] == 37.91
    assert rows[(2025, "vehicle_total")]["budget"] == 36.56
    assert rows[(2025, "vehicle_purchase")]["budget"] == 15
    # the change gives last year's budget, kept as a derived row
    assert rows[(2024, "total")]["budget"] == 47.91 and rows[(2024, "total")]["derived"] is True
    assert rows[(2024, "vehicle_purchase")]["budget"] == 25


def test_gongwuche_purchase_and_operation_is_the_vehicle_total(tmp_path: Path) -> None:
    # wanli 2023 budget p. 29: "公务车购置及运行费21.56万元" and "公务车用车运行费21.56万元".
    ctx, _ = run_fixture(tmp_path, "wanli-2023-three-public.txt", read_three_public)
    assert warnings(ctx) == []
    rows = three_public(ctx)
    assert rows[(2023, "vehicle_total")]["budget"] == 21.56
    assert rows[(2023, "vehicle_purchase")]["budget"] == 0
    assert rows[(2023, "vehicle_operation")]["budget"] == 21.56


def test_three_public_table_declared_empty_while_the_narrative_gives_figures(tmp_path: Path) -> None:
    # wanli 2024 budget p. 31–32: the table's note says "本表为空表", the narrative 47.91万元.
    ctx, doc = run_fixture(tmp_path, "wanli-2024-three-public.txt", read_three_public)
    assert warning_lines(ctx, "three_public_empty_table") == [line_of(doc, "本表为空表")]
    assert "47.91" in warnings(ctx, "three_public_empty_table")[0]
    assert [m for m in warnings(ctx) if "三公" not in m] == []


def test_stated_percentage_changes_against_the_stated_amounts(tmp_path: Path) -> None:
    # wanli 2023 budget p. 5–7: 11.67 → 45.41 is +289.12 %, not 314.82 %; 132.59 → 441.25 is not +60.54 %;
    # "0万元,比2022年预算增加1421.25万元" needs a negative 2022 figure. 1.48 → 2.63 (+77.70 %) is right, and
    # "增加100.00%" from 0 has no base to check.
    ctx, doc = run_fixture(tmp_path, "wanli-2023-changes.txt", read_function_tables)
    lines = warning_lines(ctx, "stated_change_mismatch")
    assert sorted(lines) == sorted(
        [line_of(doc, "比2022年预算增加1421.25万元；国"), line_of(doc, "314.82%"), line_of(doc, "增加60.54%")]
    )
    assert any("+289.12%" in m for m in warnings(ctx, "stated_change_mismatch"))


def test_authentic_final_accounts_narrative_raises_no_sentence_warning(tmp_path: Path) -> None:
    # putuo finance bureau 2024 final accounts p. 16, 18–23 (authentic): its changes (−56.95 万元, −1.87 %),
    # rates, "决算数小于预算数" claims and 三公 table agree with its own figures.
    ctx, _ = run_fixture(tmp_path, "putuo-finance-2024-narrative.txt", read_function_tables, read_three_public)
    assert ctx.classification.doc_type == "final_accounts"
    assert warnings(ctx) == []


def test_planted_errors_of_the_edited_final_accounts_are_caught(tmp_path: Path) -> None:
    # The EDITED copy: "收入支出总计0万元" (with "减少56.95万元,下降1.87%"), "决算数大于预算数" twice and
    # "决算数等于预算数" against smaller actuals, and an emptied 三公 table.
    ctx, doc = run_fixture(tmp_path, "putuo-finance-2024-edited-narrative.txt", read_function_tables, read_three_public)
    assert warning_lines(ctx, "direction_claim_mismatch") == [
        line_of(doc, "支出决算为1511.89万元"),
        line_of(doc, "80.38万元。 决算数大于预算数"),
        line_of(doc, "支出决算为60.99万元。 决算数等于预算数"),
    ]
    assert warning_lines(ctx, "stated_change_mismatch") == [line_of(doc, "支出总计减少56.95万元")]
    assert warning_lines(ctx, "three_public_empty_table") == [line_of(doc, "财政拨款“三公”经费支出决算表")]
    assert len(warnings(ctx)) == 5


# --- synthetic wordings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "wrong"),
    [
        ("2025年执行数1690.69万元，2026年预算1434.89万元，比2025年减少1.10%。", True),
        ("2025年执行数1690.69万元，2026年预算1434.89万元，比2025年减少15.13%。", False),
        ("2025年执行数1690.69万元，2026年预算1434.89万元，比2025年减少15.1%。", False),
        ("2025年执行数1690.69万元，2026年预算1434.89万元，比2025年减少255.80万元。", False),
        ("2025年执行数1690.69万元，2026年预算1434.89万元，比2025年减少25.80万元。", True),
        ("2025年执行数1690.69万元，2026年预算1434.89万元，比2025年增加255.80万元。", True),
        ("2021年决算数为80万元，2022年决算数为100万元，较2021年增长25%。", False),
        ("2021年决算数为80万元，2022年决算数为100万元，较2021年增长20%。", True),
        ("机关运行经费支出184.65万元，比上年增加2.55万元，增长1.40%。", False),
        ("机关运行经费支出184.65万元，比上年增加2.55万元，增长4.10%。", True),
        ("机关运行经费支出184.65万元，比上年减少2.55万元，下降1.36%。", False),
        ("项目支出12万元，比上年增加20万元。", True),
        ("项目支出0万元，比上年增加100%。", False),
        ("2022年执行数为0万元，2023年预算安排60.13万元，比2022年执行数增加100.00%。", False),
        ("本年支出合计3000万元。与上年相比，本年支出合计减少100万元，下降3.23%。", False),
        ("本年支出合计3000万元。与上年相比，本年支出合计减少100万元，下降5.00%。", True),
    ],
)
def test_stated_change_rule(tmp_path: Path, sentence: str, wrong: bool) -> None:
    ctx, _ = run_text(tmp_path, ACCOUNTS_TITLE + sentence + "\n", read_function_tables, doc_type="final_accounts")
    assert bool(warnings(ctx, "stated_change_mismatch")) is wrong, ctx.findings


ITEM = "1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：基本支出。"


@pytest.mark.parametrize(
    ("figures", "rule"),
    [
        ("年初预算为0万元，支出决算为120.50万元，完成年初预算的95.89%。", "completion_rate_base"),
        (
            "年初预算为100.00万元，全年预算为125.67万元，支出决算为120.50万元，完成年初预算的95.89%。",
            "completion_rate_base",
        ),
        ("年初预算为100.00万元，全年预算为125.67万元，支出决算为120.50万元，完成全年预算的95.89%。", None),
        ("年初预算为125.67万元，支出决算为120.50万元，完成年初预算的95.89%。", None),
        ("年初预算为125.67万元，支出决算为120.50万元，完成年初预算的95.9%。", None),
        ("年初预算为125.67万元，支出决算为120.50万元，完成年初预算的93.89%。", "completion_rate_mismatch"),
        ("年初预算为125.67万元，支出决算为120.50万元。决算数小于预算数的主要原因：结余。", None),
        ("年初预算为125.67万元，支出决算为120.50万元。决算数大于预算数的主要原因：追加。", "direction_claim_mismatch"),
        ("年初预算为120.50万元，支出决算为120.50万元。决算数等于预算数。", None),
        ("年初预算为120.50万元，支出决算为120.51万元。决算数等于预算数。", None),
        ("年初预算为120.50万元，全年预算为130.00万元，支出决算为125.00万元。决算数大于预算数。", None),
        (
            "年初预算为120.50万元，全年预算为130.00万元，支出决算为125.00万元。决算数大于全年预算数。",
            "direction_claim_mismatch",
        ),
    ],
)
def test_rate_base_and_direction_claims(tmp_path: Path, figures: str, rule: str | None) -> None:
    ctx, _ = run_text(tmp_path, ACCOUNTS_TITLE + ITEM + figures + "\n", read_function_tables)
    assert [f.rule for f in ctx.findings if f.severity == "warning"] == ([rule] if rule else [])


BUDGET_TABLE = """2025年部门支出预算总表
编制部门：上海市普陀区示范街道办事处\t单位：元
项目\t\t\t\t支出预算\t\t
功能分类科目编码\t\t\t功能分类科目名称\t合计\t基本支出\t项目支出
类\t款\t项\t\t\t\t
212\t\t\t城乡社区支出\t127,886,849\t0\t127,886,849
212\t01\t\t城乡社区管理事务\t127,886,849\t0\t127,886,849
212\t01\t99\t其他城乡社区管理事务支出\t127,886,849\t0\t127,886,849
合计\t\t\t\t127,886,849\t0\t127,886,849
"""


@pytest.mark.parametrize(("printed", "severity"), [("12,789", "info"), ("12,788.68", None), ("12,790", "warning")])
def test_narrative_figures_rounded_to_fewer_digits(tmp_path: Path, printed: str, severity: str | None) -> None:
    sentence = f"1. “城乡社区支出-城乡社区管理事务-其他城乡社区管理事务支出”科目{printed}万元，主要用于其他支出。\n"
    ctx, _ = run_text(tmp_path, BUDGET_TITLE + BUDGET_TABLE + sentence, read_function_tables, doc_type="budget")
    found = [f.severity for f in ctx.findings if f.rule in ("figure_rounded", "figure_disagrees")]
    assert found == ([severity] if severity else [])
    rows = {r["code"]: r for r in ctx.rows("function_spending")}
    assert rows["2120199"]["total"] == 12788.6849  # the table's figure is kept
    assert rows["212"]["total"] == 12788.6849  # and the class is never compared with the item


THREE_PUBLIC_EMPTY = """财政拨款“三公”经费支出决算表
单位：万元
合计\t\t因公出国（境）费\t\t公务用车购置及运行费\t\t\t\t\t\t公务接待费\t
\t\t\t\t小计\t\t公务用车购置费\t\t公务用车运行费\t\t\t
预算数\t决算数\t预算数\t决算数\t预算数\t决算数\t预算数\t决算数\t预算数\t决算数\t预算数\t决算数
注：本单位无财政拨款“三公”经费支出，故本表无数据。
"""


@pytest.mark.parametrize(
    ("sentence", "wrong"),
    [
        ("“三公”经费财政拨款支出年初预算为0万元，支出决算为0万元。", False),
        ("“三公”经费财政拨款支出决算为0万元，其中：公务接待费支出决算为1.20万元。", True),
        ("本单位2023年度无“三公”经费财政拨款支出。", False),
    ],
)
def test_empty_three_public_table_against_the_narrative(tmp_path: Path, sentence: str, wrong: bool) -> None:
    ctx, doc = run_text(tmp_path, ACCOUNTS_TITLE + THREE_PUBLIC_EMPTY + sentence + "\n", read_three_public)
    expected = [line_of(doc, "本表无数据")] if wrong else []
    assert warning_lines(ctx, "three_public_empty_table") == expected


def test_three_public_final_accounts_change_with_percentage(tmp_path: Path) -> None:
    body = "2023年度“三公”经费财政拨款支出决算为2.82万元，比2022年度减少0.29万元，下降9.32%。\n"
    ctx, _ = run_text(tmp_path, ACCOUNTS_TITLE + body, read_three_public)
    rows = three_public(ctx)
    assert rows[(2023, "total")]["actual"] == 2.82
    assert rows[(2022, "total")]["actual"] == 3.11 and rows[(2022, "total")]["derived"] is True
    assert warnings(ctx) == []


def test_printed_precision_helpers() -> None:
    assert [printed_decimals(t) for t in ("12,789万元", "43.83万元", "20000000元", "1.5亿元")] == [0, 2, 4, -3]
    assert rounding_envelope(2) == pytest.approx(0.015)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # The wanli 2024 wording (p. 9), then other wordings of the same restatement.
        (
            "“住房保障支出（类）住房改革支出（款）住房公积金（项）”350.35万元，主要用于住房公积金。"
            "2024年当年预算执行数为348.52万元，2025年预算安排352.67万元，比2024年预算执行数增加1.19%。",
            1,
        ),
        ("“教育支出（类）进修及培训（款）培训支出（项）”科目120万元，主要用于干部培训。2025年预算数为118.5万元。", 1),
        ("“教育支出（类）进修及培训（款）培训支出（项）”科目120万元，主要用于干部培训。2025年预算为120.00万元。", 0),
        # Rounded to fewer digits: the same figure.
        (
            "“一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）”1,235万元，"
            "主要用于机关运行。2025年预算安排1,234.56万元。",
            0,
        ),
        # Another year's budget is not a restatement of this one.
        ("“卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）”60.99万元。2024年预算安排62.29万元。", 0),
    ],
)
def test_an_item_amount_and_its_restatement_must_agree(tmp_path: Path, sentence: str, expected: int) -> None:
    ctx, _ = run_text(tmp_path, BUDGET_TITLE + sentence + "\n", read_function_tables, doc_type="budget")
    assert len(warnings(ctx, "restated_amount_mismatch")) == expected
    assert ctx.checks["restated_amount_mismatch"] >= 1 or expected == 0
