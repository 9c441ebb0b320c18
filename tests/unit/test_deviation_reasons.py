"""Reasons a report gives for a unit's execution (偏差原因), read from its prose and stored on that unit.

Real-document tests read excerpts in `tests/fixtures/sentences/` (sources in its README): a 部门 self-evaluation
whose project sections end in "(5) 分析原因：…", and a project self-evaluation whose "存在的问题及原因" says
"主要原因为…". Synthetic tests cover what must not be read.
"""

from __future__ import annotations

from pathlib import Path

from fiscallens.classify import classify
from fiscallens.extract import READERS
from fiscallens.extract.context import ReportContext
from fiscallens.extract.deviation_reasons import MAX_REASON_CHARS, TRUNCATION_MARK
from fiscallens.model import Document
from fiscallens.read import read_document

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sentences"


def _extract(path: Path) -> tuple[ReportContext, Document]:
    doc, _ = read_document(path)
    assert doc is not None
    classification, _ = classify(doc)
    assert classification is not None
    ctx = ReportContext(report_id="R1", classification=classification, documents=[doc])
    for reader, doc_types in READERS:
        if classification.doc_type in doc_types:
            reader(ctx, doc)
    return ctx, doc


def _reasons(ctx: ReportContext) -> dict[str, str | None]:
    return {str(e["name"]): e.get("shortfall_reason") for e in ctx.rows("evaluations")}


def _line_of(doc: Document, text: str) -> int:
    return next(n for n, line in enumerate(doc.lines, start=1) if text in line)


# --- real documents ---------------------------------------------------------------------------


def test_project_sections_keep_their_analysed_reason() -> None:
    # data/reports/000 (黔南州大数据发展管理局 2021 年度部门预算绩效自评报告), 二、项目支出绩效自评情况:
    # each project's "分析原因" paragraph belongs to the project heading above it.
    ctx, doc = _extract(FIXTURES / "qiannan-2021-project-reasons.txt")
    reasons = _reasons(ctx)
    security = reasons["州级移动安全平台"] or ""
    # As printed (full-width punctuation), the whole paragraph without its "(2) 分析原因：" label.
    assert security.startswith("按照省政府办公厅、省信息中心相关安全要求，我局于 2019 年-2020 年")
    assert security.endswith("故 2021 年未再开展移动安全平台采购工作。")
    assert reasons["州政府政务新媒体运营服务外包"].startswith("我局于 2020 年开始购买州政府政务新媒体运营服务")
    assert reasons["黔南州智慧城市大脑项目"] == "2021 年终财务结算。"
    # Projects that state no reason get none; "偏差原因见项目支出绩效自评情况" is a pointer, not a reason.
    assert reasons["智慧黔南综合平台项目"] is None and reasons["州委大楼运维外包服务项目"] is None
    assert reasons["黔南州大数据发展管理局"] is None
    row = next(e for e in ctx.rows("evaluations") if e["name"] == "州政府政务新媒体运营服务外包")
    line = _line_of(doc, "(5) 分析原因: 我局于 2020 年")
    assert row["shortfall_reason_line"] == line
    assert row["shortfall_reason_source"] == f"qiannan-2021-project-reasons.txt 第 {line} 行"


def test_a_project_report_states_its_reason_under_a_problems_heading() -> None:
    # data/reports/004 (州智慧湘西建设专项 2022 年度支出绩效自评报告), 六、（二）存在的问题及原因: the issue's
    # "部分项目已完工但尚未办理竣工验收……" was shown nowhere; it is the project's, not a sub-project's.
    ctx, doc = _extract(FIXTURES / "xiangxi-2022-project-reasons.txt")
    reasons = _reasons(ctx)
    assert reasons["州智慧湘西建设专项"] == "主要原因为部分项目已完工但尚未办理竣工验收及结算审计，项目款未进行支付。"
    assert [name for name, reason in reasons.items() if reason and name != "州智慧湘西建设专项"] == []
    project = next(e for e in ctx.rows("evaluations") if e["scope"] == "project")
    assert project["shortfall_reason_line"] == _line_of(doc, "主要原因为部分项目已完工")


def test_final_accounts_reasons_for_classification_codes_are_no_unit_reasons() -> None:
    # putuo-finance-bureau-2024-final-accounts.pdf p. 18–23: "决算数小于预算数的主要原因：…" explains a
    # functional classification line, not an evaluated unit.
    ctx, _ = _extract(FIXTURES / "putuo-finance-2024-narrative.txt")
    assert all(not e.get("shortfall_reason") for e in ctx.rows("evaluations"))


# --- synthetic --------------------------------------------------------------------------------

SELF_EVAL = "示范局\n示范局 2021 年度部门预算绩效自评报告\n\n"


def _project(name: str, budget: float, actual: float) -> str:
    rate = round(actual / budget * 100, 2)
    return (
        f"#### 1.{name}\n\n"
        f"（1）资金使用情况：全年预算数 {budget} 万元（其中：财政拨款资金 {budget} 万元，其他资金 0 元），"
        f"全年执行数 {actual} 万元，执行率 {rate}%。\n\n"
    )


def _run(tmp_path: Path, text: str) -> dict[str, str | None]:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    ctx, _ = _extract(path)
    return _reasons(ctx)


def test_reasons_outside_a_project_section_are_not_attributed(tmp_path: Path) -> None:
    text = (
        SELF_EVAL
        + _project("示范平台项目", 100, 60)
        + "### 三、存在的问题\n\n项目预算执行率偏低。主要原因是：部分合同尚未支付。\n"
    )
    assert _run(tmp_path, text)["示范平台项目"] is None


def test_because_counts_only_when_it_speaks_of_spending(tmp_path: Path) -> None:
    unrelated = SELF_EVAL + _project("示范平台项目", 100, 60) + "由于中心成立时间短，积累还不够。\n"
    assert _run(tmp_path, unrelated)["示范平台项目"] is None
    spending = SELF_EVAL + _project("示范平台项目", 100, 60) + "由于项目尚未验收，剩余款项未支付。\n"
    assert _run(tmp_path, spending)["示范平台项目"] == "由于项目尚未验收，剩余款项未支付。"


def test_labelled_reasons_pointers_and_long_paragraphs(tmp_path: Path) -> None:
    pointer = SELF_EVAL + _project("示范平台项目", 100, 60) + "（2）未完成原因：详见附表。\n"
    assert _run(tmp_path, pointer)["示范平台项目"] is None
    sentence = "合同约定分期付款，尾款待验收后支付。"
    long_text = SELF_EVAL + _project("示范平台项目", 100, 60) + "（2）偏差原因分析：" + sentence * 40 + "\n"
    reason = _run(tmp_path, long_text)["示范平台项目"] or ""
    assert reason.endswith("。" + TRUNCATION_MARK) and len(reason) <= MAX_REASON_CHARS + len(TRUNCATION_MARK)
    assert reason.startswith(sentence)
