"""功能分类: spending by functional classification, one code across regions and years, basic vs project."""

import streamlit as st

from fiscallens import charts
from ui.components import (
    cached_figure,
    chart_section,
    empty_state,
    glossary,
    open_page,
    paged_table,
    section,
    show_chart,
)
from ui.data import guard, named
from ui.filters import Selection, basis_filter
from ui.slide_mode import brief_mode
from ui.views import page_views

BASES = {"决算": "actual", "预算": "budget"}


def render() -> None:
    selection, params = open_page("功能分类支出", help=glossary("功能分类"))
    basis_label = basis_filter()  # shared with the other pages and kept in the URL
    tree = named("function_tree", basis=BASES[basis_label], **params)
    if tree.empty:
        empty_state(f"没有按功能分类列示的{basis_label}数（部门决算或预算报告才有）", selection)
        return
    kpi = named("overview_kpis", **params).iloc[0]
    years = [kpi["first_year"], kpi["last_year"]]
    reports = int(tree["报告数"].max())
    described = f"{selection.describe()} · {basis_label}"
    structure, split, one_code = page_views(["科目结构", "基本支出与项目支出", "单个科目比较"])
    if structure.open:
        with structure:
            show_chart(
                charts.function_treemap,
                tree,
                described=described,
                key="treemap",
                selection=selection,
                reports=reports,
                years=years,
            )
    if split.open:
        with split:
            st.caption(glossary("基本支出") + " " + glossary("项目支出"))
            chart_section(
                cached_figure(charts.function_split, tree, described),
                tree[tree["级次"] == "类"],
                key="split",
                selection=selection,
                reports=reports,
                years=years,
            )
    if one_code.open:
        with one_code:
            _one_code(selection, params)


def _one_code(selection: Selection, params: dict) -> None:
    codes = named("function_codes_present", **params)
    labels = {row.code: f"{row.code} {row.name}（{row.level}）" for row in codes.itertuples()}
    options = list(labels)
    wanted = st.query_params.get("code")
    index = options.index(wanted) if wanted in options else 0
    if brief_mode():  # no widgets in 简报模式: the code comes from the link
        code = options[index]
    else:
        code = st.selectbox("科目（可输入编码或名称搜索）", options, index=index, format_func=labels.get, key="code")
        st.query_params["code"] = code
    by_region = named("function_code_by_region", code=code, **params)
    chart_section(
        cached_figure(charts.function_code_compare, by_region, labels[code], selection.describe()),
        by_region,
        key="compare",
        selection=selection,
        reports=int(by_region["报告数"].sum()),
    )
    if section("各报告中的这一科目"):
        paged_table(
            "function_code_compare",
            key="compare_rows",
            column_config={"年度": st.column_config.NumberColumn(format="%d")},
            code=code,
            **params,
        )


guard(render)
