"""绩效评分: score distribution, grades, score against execution, the indicators that lost points."""

import streamlit as st

from fiscallens import charts
from ui.briefing import brief_mode
from ui.components import chart_section, empty_state, glossary, page_header, section
from ui.data import guard, named
from ui.filters import sidebar_filters


def render() -> None:
    selection = sidebar_filters()
    page_header("绩效评分", help=glossary("自评得分"))
    params = selection.as_params()
    scores = named("score_vs_execution", **params)
    if scores.empty:
        empty_state("没有带自评总分的评价对象", selection)
        return
    left, right = (st.container(), st.container()) if brief_mode() else st.columns(2)
    with left:
        chart_section(charts.score_distribution(scores, selection.describe()), scores, key="box", selection=selection)
    with right:
        chart_section(charts.grade_counts(scores, selection.describe()), scores, key="grades", selection=selection)

    section("自评得分与执行率", help="自评往往偏高：得分高而执行率低的对象值得复核。" + glossary("执行率"))
    chart_section(charts.score_vs_execution(scores, selection.describe()), scores, key="scatter", selection=selection)

    section("失分最多的指标")
    losses = named("indicator_losses", **params)
    if losses.empty:
        empty_state("所有指标均得满分", selection)
        return
    chart_section(charts.indicator_losses(losses, selection.describe()), losses, key="losses", selection=selection)


guard(render)
