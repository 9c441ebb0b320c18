"""同类部门: one department against departments of the same kind elsewhere, its years, and budget vs actual."""

from collections.abc import Callable

import pandas as pd
import streamlit as st

from fiscallens import ranking_charts, settings
from fiscallens.queries import get_query
from ui.components import ROW_CLICK_HINT, cached_figure, chart_section, empty_state, open_page, row_table, section
from ui.data import guard, named
from ui.filters import Selection, apply, matching_choices, open_report
from ui.slide_mode import brief_mode
from ui.views import page_views

# The peer-group measures drawn as charts (columns of peer_compare), in this order.
PEER_MEASURES = ("执行率（%）", "自评得分", "“三公”经费（万元）", "支出合计（万元）")
YEAR = {"年度": st.column_config.NumberColumn(format="%d")}
KIND_HELP = (
    "按名称归类：去掉地区名，统一“委员会/委”“办公室/办”“管理局/局”等写法；"
    "可在 data/department_kinds.csv 中指定类别，重新构建后生效。"
)
NARROW_HINT = "点击某行（行首的选择框）即可把筛选缩小到该部门"


def _opens_report(selection: Selection) -> Callable[[pd.Series], None]:
    """A row click that opens the row's report. A peer sits in another region and its report may be of
    another type: the filters become its department alone (years and scope kept), so 报告详情 lists it."""

    def follow(row: pd.Series) -> None:
        department = row["部门（单位）"] if pd.notna(row["部门（单位）"]) else None
        open_report(str(row["报告标识"]), selection.narrowed(province=None, department=department, doc_type=None))

    return follow


def _narrows_to_department(selection: Selection) -> Callable[[pd.Series], None]:
    """A row click that makes the row's department the sidebar's department (the page then shows it)."""

    def follow(row: pd.Series) -> None:
        narrowed = selection.narrowed(department=row["部门（单位）"])
        if narrowed != selection:
            apply(narrowed)

    return follow


def _params(name: str, params: dict[str, object]) -> dict[str, object]:
    wanted = set(get_query(name).params)
    return {key: value for key, value in params.items() if key in wanted}


def _department(selection_department: str | None, departments: list[str], kinds: dict[str, str]) -> str:
    """The sidebar's department if one is chosen, else this page's own choice (kept in the URL)."""
    if selection_department in departments:
        return selection_department
    current = st.query_params.get("peer_of")
    current = current if current in departments else departments[0]
    if brief_mode():
        return current
    offered = departments
    if len(departments) > settings.FILTER_CHOICES_LIMIT:  # thousands of names: found by typing, not scrolled
        typed = st.text_input(
            "查找部门", key="peer_search", placeholder=f"共 {len(departments):,} 个部门，输入名称中的字"
        )
        offered = matching_choices(departments, typed, current)
    chosen = st.selectbox(
        "部门（单位）",
        offered,
        index=offered.index(current),
        key="peer_department",
        format_func=lambda d: f"{d}（{kinds[d]}）",
        help=KIND_HELP,
    )
    st.query_params["peer_of"] = chosen
    return chosen


def _peers(selection, department: str, kind: str, years: dict[str, object]) -> None:
    peers = named("peer_compare", kind=kind, **years)
    count = peers["部门（单位）"].nunique()
    if count < 2:
        st.info(f"仓库中只有这一个“{kind}”类部门，暂无可对比的同类部门。", icon="🔍")
    drawn = [m for m in PEER_MEASURES if peers[m].notna().any()]
    # One measure at a time (chosen here, kept in the URL); 简报模式 shows them all, one slide each.
    for index, measure in enumerate(drawn if brief_mode() else _measure_choice(drawn)):
        figure = cached_figure(ranking_charts.peer_bars, peers, measure, department, kind)
        chart_section(
            figure,
            peers.dropna(subset=[measure]),
            key=f"peer_{PEER_MEASURES.index(measure)}" if not brief_mode() else f"peer_{index}",
            selection=selection,
            row_click=_opens_report(selection),
        )
    if brief_mode():
        return
    # A row per peer report and class: thousands at 100k reports (850 KB), so made when opened.
    mix_box = st.expander("支出结构（功能分类“类”级科目占比）", key="peer_mix", on_change="rerun")
    if mix_box.open:
        with mix_box:
            mix = named("peer_spending_mix", kind=kind, **years)
            if mix.empty:
                st.caption("同类部门的报告中没有功能分类支出表。")
            else:
                row_table(mix, key="peer_mix_rows", on_row=_opens_report(selection), column_config=YEAR)
                st.caption(ROW_CLICK_HINT.removeprefix(" · "))


def _measure_choice(drawn: list[str]) -> list[str]:
    """The measure the person compares on (`?peer_measure=`), as a one-item list (none when nothing is drawn)."""
    if not drawn:
        return []
    wanted = st.query_params.get("peer_measure")
    index = drawn.index(wanted) if wanted in drawn else 0
    chosen = st.radio("对比指标", drawn, index=index, horizontal=True, key="peer_measure_choice")
    st.query_params["peer_measure"] = chosen
    return [chosen]


def _trend(selection, department: str, years: dict[str, object]) -> None:
    trend = named("department_trend", department=department, **years)
    if trend.empty:
        empty_state("这个部门在所选年度没有报告", selection)
        return
    if trend["支出合计（万元）"].notna().any():
        figure = cached_figure(ranking_charts.trend_bars, trend, department)
        chart_section(figure, trend, key="trend", selection=selection, row_click=_opens_report(selection))
    if section("各年度数字"):
        row_table(trend, key="years_trend", on_row=_opens_report(selection), column_config=YEAR)
        st.caption(
            "增减只在同一文档类型的相邻年度之间计算；部门预算为预算数，决算与绩效报告为执行数。" + ROW_CLICK_HINT
        )


def _budget_vs_actual(selection, department: str, params: dict[str, object]) -> None:
    st.caption(
        "同一部门同一年度既有部门预算又有部门决算时，用两份文件算出执行率（决算支出 ÷ 预算支出），"
        "与决算或绩效自评报告所写的执行率并列；相差较大说明预算曾调整或报告的口径不同。"
    )
    args = {**_params("budget_vs_actual", params), "department": department}
    pairs = named("budget_vs_actual", **args)
    if pairs.empty:
        args["department"] = None
        everywhere = named("budget_vs_actual", **args)
        where = "所选范围内" if everywhere.empty else "这个部门"
        st.info(f"{where}没有同一年度的部门预算与部门决算可对照。", icon="🔍")
        if everywhere.empty:
            return
        pairs = everywhere
    # A row is one department's year: a click narrows the filters to that department. The key follows the
    # filters, so the table drawn after the narrowing starts with no row chosen.
    key = "rows_pairs_" + "_".join(f"{k}={v}" for k, v in sorted(selection.as_query().items()))
    row_table(
        pairs, key=key, on_row=_narrows_to_department(selection), column_config=YEAR, hidden=("预算报告", "决算报告")
    )
    st.caption(NARROW_HINT)


def render() -> None:
    selection, params = open_page(
        "同类部门", help="与其他地区同一类别的部门（如各地的财政局、大数据局）比较，看一个部门的逐年变化。"
    )
    departments = named("peer_departments", **_params("peer_departments", params))
    if departments.empty:
        empty_state("没有部门报告", selection)
        return
    # tolist(): iterating the Arrow-backed columns one value at a time cost 27 ms at 100k (9,500 departments)
    kinds = dict(zip(departments["部门（单位）"].tolist(), departments["部门类别"].tolist(), strict=True))
    department = _department(selection.department, list(kinds), kinds)
    kind = kinds[department]
    years = {key: params.get(key) for key in ("year_from", "year_to", "scope") if key in params}
    st.caption(f"所选部门：{department} · 类别：{kind}")
    if brief_mode():
        _peers(selection, department, kind, years)
        return
    peers_view, trend_view, pairs_view = page_views(["同类部门对比", "逐年变化", "预算与决算对照"])
    if peers_view.open:
        with peers_view:
            _peers(selection, department, kind, years)
    if trend_view.open:
        with trend_view:
            _trend(selection, department, years)
    if pairs_view.open:
        with pairs_view:
            _budget_vs_actual(selection, department, params)


guard(render)
