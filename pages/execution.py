"""预算执行: execution rates against credibility bands, both budget bases, and project shortfalls."""

import streamlit as st

from fiscallens import charts
from ui.components import chart_section, empty_state, glossary, page_header, section
from ui.data import guard, named
from ui.filters import sidebar_filters


def render() -> None:
    selection = sidebar_filters()
    page_header("预算执行", help=glossary("执行率"))
    params = selection.as_params()
    execution = named("execution_by_report", **params)
    if execution.empty:
        empty_state("没有同时给出全年预算数与执行数的报告", selection)
        return
    chart_section(charts.execution_rates(execution, selection.describe()), execution, key="rates", selection=selection)

    section("占全年预算与占年初预算", help=glossary("年初预算") + " " + glossary("全年预算"))
    with_initial = execution.dropna(subset=["占年初预算（%）"])
    if with_initial.empty:
        empty_state("报告未给出年初预算数，无法比较年中调整", selection)
    else:
        chart_section(
            charts.execution_two_views(with_initial, selection.describe()),
            with_initial,
            key="two_views",
            selection=selection,
        )

    if not section("项目执行明细", help=glossary("项目支出")):
        return
    projects = named("execution_projects", **params)
    if projects.empty:
        empty_state("没有项目层级的预算与执行数据", selection)
        return
    st.caption("按未执行金额从大到小排列；点击表头可重新排序。金额单位：万元。")
    st.dataframe(
        projects,
        hide_index=True,
        width="stretch",
        column_config={
            "年度": st.column_config.NumberColumn(format="%d"),
            "执行率（%）": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.2f%%"),
            "报告标识": None,
        },
    )


guard(render)
