"""绩效评分: score distribution, grades, score against execution, the indicators that lost points."""

import streamlit as st

from fiscallens import charts
from ui.components import empty_state, glossary, open_page, paged_table, section, show_chart
from ui.data import guard, named
from ui.filters import Selection
from ui.slide_mode import brief_mode
from ui.views import page_views


def render() -> None:
    selection, params = open_page("绩效评分", help=glossary("自评得分"))
    # Every chart is an aggregate computed in SQL: quartiles per region, counts per grade, counts per bin.
    by_region = named("score_by_region", **params)
    if by_region.empty:
        empty_state("没有带自评总分的评价对象", selection)
        return
    scored = int(by_region["评价对象数"].sum())
    reports = int(by_region["报告数"].sum())
    spread, against, losses = page_views(["得分分布与等级", "自评得分与执行率", "失分最多的指标"])
    if spread.open:
        with spread:
            left, right = (st.container(), st.container()) if brief_mode() else st.columns(2)
            with left:
                show_chart(charts.score_distribution, by_region, key="box", selection=selection, reports=reports)
            with right:
                grades = named("grade_counts", **params)
                show_chart(charts.grade_counts, grades, key="grades", selection=selection, reports=reports)
    if against.open:
        with against:
            _against_execution(selection, params, scored, reports)
    if losses.open:
        with losses:
            _losses(selection, params)


def _against_execution(selection: Selection, params: dict, scored: int, reports: int) -> None:
    st.caption("自评往往偏高：得分高而执行率低的对象值得复核。" + glossary("执行率"))
    points = named("score_execution_points", limit=charts.MAX_SCATTER_POINTS, **params)
    if points.empty:
        empty_state("评价对象没有执行率，无法与得分对照", selection)
    else:
        show_chart(charts.score_vs_execution, points, key="scatter", selection=selection, reports=reports)
    if section("得分最低的评价对象"):
        paged_table(
            "score_vs_execution",
            key="lowest",
            total=scored,
            column_config={"年度": st.column_config.NumberColumn(format="%d")},
            **params,
        )


def _losses(selection: Selection, params: dict) -> None:
    losses = named("indicator_losses", limit=15, **params)
    if losses.empty:
        empty_state("所有指标均得满分", selection)
        return
    show_chart(charts.indicator_losses, losses, key="losses", selection=selection)
    if section("全部失分指标"):
        paged_table("indicator_losses", key="losses_rows", **params)


guard(render)
