"""功能分类: spending by functional classification, one code across regions and years, basic vs project."""

import streamlit as st

from fiscallens import charts
from ui.components import chart_section, empty_state, glossary
from ui.data import guard, named
from ui.filters import sidebar_filters

BASES = {"决算": "actual", "预算": "budget"}


def render() -> None:
    st.title("功能分类支出", help=glossary("功能分类"))
    selection = sidebar_filters()
    params = selection.as_params()
    basis_label = st.sidebar.radio("口径", list(BASES), horizontal=True, key="basis")
    tree = named("function_tree", basis=BASES[basis_label], **params)
    if tree.empty:
        empty_state(f"没有按功能分类列示的{basis_label}数（部门决算或预算报告才有）", selection)
        return
    kpi = named("overview_kpis", **params).iloc[0]
    years = [kpi["first_year"], kpi["last_year"]]
    reports = int(tree["报告数"].max())
    chart_section(
        charts.function_treemap(tree, f"{selection.describe()} · {basis_label}"),
        tree,
        key="treemap",
        selection=selection,
        reports=reports,
        years=years,
    )

    st.subheader("基本支出与项目支出", help=glossary("基本支出") + " " + glossary("项目支出"))
    chart_section(
        charts.function_split(tree, f"{selection.describe()} · {basis_label}"),
        tree[tree["级次"] == "类"],
        key="split",
        selection=selection,
        reports=reports,
        years=years,
    )

    st.subheader("单个科目比较")
    codes = named("function_codes_present", **params)
    labels = {row.code: f"{row.code} {row.name}（{row.level}）" for row in codes.itertuples()}
    wanted = st.query_params.get("code")
    options = list(labels)
    code = st.selectbox(
        "科目（可输入编码或名称搜索）",
        options,
        index=options.index(wanted) if wanted in options else 0,
        format_func=labels.get,
        key="code",
    )
    st.query_params["code"] = code
    compare = named("function_code_compare", code=code, **params)
    chart_section(
        charts.function_code_compare(compare, labels[code], selection.describe()),
        compare,
        key="compare",
        selection=selection,
        reports=len(compare),
    )


guard(render)
