"""总览: KPIs, coverage and a few sentences on the selection."""

import pandas as pd
import streamlit as st

from fiscallens import charts
from fiscallens.insights import HIGH_SCORE, LOW_EXECUTION, summary_sentences
from fiscallens.presentation import format_amount, format_rate, markdown_text
from ui.components import empty_state, glossary, open_page, section, show_chart
from ui.data import guard, named, named_count
from ui.slide_mode import brief_mode


def render() -> None:
    selection, params = open_page("总览")
    kpi = named("overview_kpis", **params).iloc[0]
    if not kpi["reports"]:
        empty_state("没有符合条件的报告", selection)
        return
    coverage = named("coverage_matrix", **params)
    # 简报模式 keeps the KPIs and 要点 (the part a briefing needs most), without the caption.
    if not brief_mode():
        st.caption(f"筛选：{markdown_text(selection.describe())} · 金额单位随数值大小显示为万元或亿元")
    _kpis(kpi, coverage, params)
    _key_points(params)
    section("报告覆盖", help="未选省份时按省汇总，选了省份按市州，选了市州或部门按区县。")
    show_chart(charts.coverage_matrix, coverage, key="coverage", selection=selection, reports=int(kpi["reports"]))


def _region_level(params: dict) -> str:
    """What a row of the coverage matrix is (queries/coverage_matrix.sql): the KPI counts the same."""
    if params.get("prefecture") or params.get("department") or params.get("county"):
        return "地区"
    return "市州" if params.get("province") else "省份"


def _kpis(kpi: pd.Series, coverage: pd.DataFrame, params: dict) -> None:
    row1 = st.columns(4)
    row1[0].metric("报告", f"{int(kpi['reports'])} 份")
    level = _region_level(params)
    row1[1].metric(
        level,
        f"{coverage['地区'].nunique()} 个",
        help=f"与下方“报告覆盖”矩阵的行数相同（按{level}计）；"
        f"按最细一级地区（区县或市州）计共 {int(kpi['regions'])} 个。",
    )
    span = (
        f"{int(kpi['first_year'])}–{int(kpi['last_year'])}"
        if kpi["first_year"] != kpi["last_year"]
        else str(int(kpi["first_year"]))
    )
    row1[2].metric("年度", span)
    row1[3].metric(
        "平均自评得分",
        f"{kpi['mean_score']:.2f} 分" if kpi["reports_with_score"] else "—",
        help=glossary("自评得分") + f"（{int(kpi['reports_with_score'])} 份报告有总分）",
    )
    row2 = st.columns(3)
    row2[0].metric("全年预算合计", format_amount(kpi["budget_full_year"]), help=glossary("全年预算"))
    row2[1].metric("执行数合计", format_amount(kpi["actual"]))
    row2[2].metric(
        "总体执行率",
        format_rate(kpi["execution_rate"]),
        help=glossary("执行率") + f"（按 {int(kpi['reports_with_execution'])} 份同时给出预算与执行数的报告合计）",
    )


def _key_points(params: dict) -> None:
    section("要点")
    # Each sentence needs the top row of a query ordered for it, and the corner's count: no page
    # loads every report to pick one.
    sentences = summary_sentences(
        named("execution_by_report", limit=1, **params),
        named("three_public_changes", limit=1, **params),
        named("score_vs_execution", limit=1, **params),
        flagged=named("high_score_low_execution", limit=3, min_score=HIGH_SCORE, max_rate=LOW_EXECUTION, **params),
        flagged_total=named_count("high_score_low_execution", min_score=HIGH_SCORE, max_rate=LOW_EXECUTION, **params),
        reports_total=named_count("execution_by_report", **params),
    )
    # Sentences carry department and project names from the documents: shown as text, not Markdown.
    for sentence in sentences or ["所选报告中暂无可比较的执行、“三公”或得分数据。"]:
        st.markdown(f"- {markdown_text(sentence)}")


guard(render)
