"""三公经费: totals over the years, the items, budget vs actual, year-on-year change."""

import streamlit as st

from fiscallens import charts
from ui.components import chart_section, empty_state, glossary, page_header, paged_table, section
from ui.data import guard, named
from ui.filters import sidebar_filters


def render() -> None:
    selection = sidebar_filters()
    page_header("“三公”经费", help=glossary("三公经费"))
    params = selection.as_params()
    # Summed per region and year in SQL: one line per region, not one per department.
    trend = named("three_public_by_region", **params)
    if trend.empty:
        empty_state("报告中没有“三公”经费数据", selection)
        return
    totals = trend[trend["item"] == "total"]
    reports = int(totals["报告数"].sum()) if not totals.empty else None
    chart_section(
        charts.three_public_trend(trend, selection.describe()), trend, key="trend", selection=selection, reports=reports
    )
    section("分项：预算数与决算数")
    chart_section(
        charts.three_public_items(trend, selection.describe()), trend, key="items", selection=selection, reports=reports
    )
    if not section("同比变化"):
        return
    st.caption("各部门“三公”经费合计决算数与上年相比，变化金额最大的在前。金额单位：万元。")
    changes = paged_table(
        "three_public_changes",
        key="changes",
        column_config={
            "年度": st.column_config.NumberColumn(format="%d"),
            "增减率（%）": st.column_config.NumberColumn(format="%.2f%%"),
            "上年数为推算": st.column_config.CheckboxColumn(help="上年数由报告中的“较上年增加/减少”说明推算"),
        },
        **params,
    )
    if changes.empty:
        empty_state("没有可与上年比较的“三公”经费决算数", selection)


guard(render)
