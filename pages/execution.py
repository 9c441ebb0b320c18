"""预算执行: execution rates against credibility bands, both budget bases, and project shortfalls."""

import pandas as pd
import streamlit as st

from fiscallens import charts
from ui.components import empty_state, glossary, open_page, paged_table, show_chart
from ui.data import guard, named
from ui.filters import Selection
from ui.slide_mode import brief_mode
from ui.views import page_views

# 执行率 as a bar with its value; numbers otherwise get the shared format (ui.components.table_config).
RATE = st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.2f%%", width="medium")
REASON = st.column_config.TextColumn(width="large", help="报告中写明的偏差或未完成原因（原文）；悬停可看全文。")


def render() -> None:
    selection, params = open_page("预算执行", help=glossary("执行率"))
    # Charts: one bar per region and year (summed in SQL), not one per report.
    execution = named("execution_by_region", **params)
    if execution.empty:
        empty_state("没有同时给出全年预算数与执行数的报告", selection)
        return
    reports = int(execution["报告数"].sum())
    rates, two_views, by_report, projects = page_views(
        ["执行率", "占全年预算与占年初预算", "各报告执行情况", "项目执行明细"]
    )
    if rates.open:
        with rates:
            show_chart(charts.execution_rates, execution, key="rates", selection=selection, reports=reports)
    if two_views.open:
        with two_views:
            _two_views(execution, selection)
    if brief_mode():  # tables are left out of 简报模式
        return
    if by_report.open:
        with by_report:
            st.caption("每份报告主要评价对象的预算与执行，按未执行金额（全年预算 − 执行数）从大到小。金额单位：万元。")
            paged_table(
                "execution_by_report", key="by_report", total=reports, column_config={"执行率（%）": RATE}, **params
            )
    if projects.open:
        with projects:
            _projects(selection, params)


def _two_views(execution: pd.DataFrame, selection: Selection) -> None:
    st.caption(glossary("年初预算") + " " + glossary("全年预算"))
    with_initial = execution.dropna(subset=["占年初预算（%）"])
    if with_initial.empty:
        empty_state("报告未给出年初预算数，无法比较年中调整", selection)
        return
    show_chart(
        charts.execution_two_views,
        with_initial,
        key="two_views",
        selection=selection,
        reports=int(with_initial["报告数"].sum()),
    )


def _projects(selection: Selection, params: dict) -> None:
    st.caption(glossary("项目支出") + " 按未执行金额从大到小排列。金额单位：万元。")
    projects = paged_table(
        "execution_projects",
        key="projects",
        column_config={"执行率（%）": RATE, "偏差原因（报告原文）": REASON},
        **params,
    )
    if projects.empty:
        empty_state("没有项目层级的预算与执行数据", selection)


guard(render)
