"""排名: regions or departments ranked by one measure within the sidebar's selection, highest and lowest."""

import streamlit as st

from fiscallens import ranking_charts
from fiscallens.peers import MEASURES
from fiscallens.queries import get_query
from ui.components import cached_figure, chart_section, empty_state, open_page, section
from ui.data import guard, named
from ui.slide_mode import brief_mode

# How many of the highest and of the lowest a chart shows; a ranking of up to twice this is shown whole.
TOP = 10
LEVELS = {"region": "地区", "department": "部门（单位）"}


def _params(name: str, params: dict[str, object]) -> dict[str, object]:
    """The sidebar's filters that this query takes (a ranking ignores the department filter: the
    chosen department is ranked among the others of its region)."""
    wanted = set(get_query(name).params)
    return {key: value for key, value in params.items() if key in wanted}


def _pick(label: str, options: list[str], key: str, labels: dict[str, str]) -> str:
    """A choice of this page, kept in the URL like the sidebar's filters."""
    current = st.query_params.get(key)
    index = options.index(current) if current in options else 0
    if brief_mode():
        return options[index]
    value = st.radio(label, options, index=index, key=f"ranking_{key}", horizontal=True, format_func=labels.get)
    st.query_params[key] = value
    return value


def _spending_code(params: dict[str, object]) -> str | None:
    codes = named("function_codes_present", **_params("function_codes_present", params))
    labels = {"": "各类合计", **{row.code: f"{row.code} {row.name}（{row.level}）" for row in codes.itertuples()}}
    options = list(labels)
    wanted = st.query_params.get("code", "")
    index = options.index(wanted) if wanted in options else 0
    if brief_mode():
        code = options[index]
    else:
        code = st.selectbox("功能分类科目", options, index=index, key="ranking_code", format_func=labels.get)
    if code:
        st.query_params["code"] = code
    else:
        st.query_params.pop("code", None)
    return code or None


def render() -> None:
    selection, params = open_page(
        "排名", help="在左侧筛选的范围内，按一项指标比较地区或部门：数值最高与最低的各若干个。"
    )
    measure = _pick("指标", list(MEASURES), "measure", {k: f"{n}（{u}）" for k, (n, u) in MEASURES.items()})
    level = _pick("排名对象", list(LEVELS), "rank_by", LEVELS)
    code = _spending_code(params) if measure == "spending" else None
    name = "ranking_regions" if level == "region" else "ranking_departments"
    args = {**_params(name, params), "measure": measure, "code": code}
    top = named(name, limit=TOP, **args)
    if top.empty:
        empty_state(f"没有可用于按“{MEASURES[measure][0]}”排名的数据", selection)
        return
    ranked = int(top["参与排名数"].iloc[0])
    what = "地区" if level == "region" else "部门"
    label_column = "地区" if level == "region" else "部门（单位）"
    described = selection.describe()
    if ranked <= 2 * TOP:
        everyone = named(name, **args)
        figure = cached_figure(
            ranking_charts.ranking_bars, everyone, measure, label_column, f"{what}排名（共 {ranked} 个）", described
        )
        chart_section(figure, everyone, key="all", selection=selection, reports=ranked)
    else:
        bottom = named(name, limit=TOP, lowest=True, **args)
        left, right = (st.container(), st.container()) if brief_mode() else st.columns(2)
        with left:
            figure = cached_figure(
                ranking_charts.ranking_bars, top, measure, label_column, f"最高的 {TOP} 个{what}", described
            )
            chart_section(figure, top, key="top", selection=selection)
        with right:
            figure = cached_figure(
                ranking_charts.ranking_bars, bottom, measure, label_column, f"最低的 {TOP} 个{what}", described
            )
            chart_section(figure, bottom, key="bottom", selection=selection)
    if section("说明"):
        st.caption(
            "执行率 = 执行数 ÷ 全年预算数（地区为各报告之和相除）；“三公”经费取报告当年的原文数，地区为每份报告的平均；"
            "部门预算取预算数，决算与绩效报告取执行数（“口径”列）。不同口径、不同年度的数字并列时请注意可比性。"
            " 同类部门之间的比较见 [同类部门](/peers)。"
        )


guard(render)
