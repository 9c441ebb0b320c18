"""三公经费: totals over the years, the items, budget vs actual, year-on-year change."""

import streamlit as st

from fiscallens import charts
from ui.components import empty_state, glossary, open_page, paged_table, show_chart
from ui.data import guard, named
from ui.filters import Selection
from ui.slide_mode import brief_mode
from ui.views import page_views


def render() -> None:
    selection, params = open_page("“三公”经费", help=glossary("三公经费"))
    # Summed per region and year in SQL: one line per region, not one per department.
    trend = named("three_public_by_region", **params)
    if trend.empty:
        empty_state("报告中没有“三公”经费数据", selection)
        return
    totals = trend[trend["item"] == "total"]
    reports = int(totals["报告数"].sum()) if not totals.empty else None
    trend_view, items_view, changes_view = page_views(["合计趋势", "分项：预算数与决算数", "同比变化"])
    if trend_view.open:
        with trend_view:
            show_chart(charts.three_public_trend, trend, key="trend", selection=selection, reports=reports)
    if items_view.open:
        with items_view:
            show_chart(charts.three_public_items, trend, key="items", selection=selection, reports=reports)
    if changes_view.open and not brief_mode():  # a table: left out of 简报模式
        with changes_view:
            _changes(selection, params)


def _changes(selection: Selection, params: dict) -> None:
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
