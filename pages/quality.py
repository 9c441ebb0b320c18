"""数据质量: findings from reading, classifying, extracting and auditing the reports."""

import streamlit as st

from fiscallens.presentation import markdown_text
from ui.components import paged_table
from ui.data import guard, named
from ui.filters import sidebar_filters

SEVERITIES = {"全部": None, "错误": "error", "警告": "warning", "说明": "info"}


def render() -> None:
    st.title("数据质量")
    st.caption(
        "错误：文件或其中一部分无法读取；警告：文档自相矛盾或不合填报规则；说明：抽取时所做的判断（如单位的认定）。"
    )
    selection = sidebar_filters()
    params = selection.as_params()
    current = st.query_params.get("severity", "全部")
    label = (
        st.segmented_control(
            "严重程度", list(SEVERITIES), default=current if current in SEVERITIES else "全部", key="severity"
        )
        or "全部"
    )
    if label == "全部":
        st.query_params.pop("severity", None)
    else:
        st.query_params["severity"] = label
    counts = named("findings_by_severity", report_id=None, **params)
    chosen = counts if SEVERITIES[label] is None else counts[counts["severity"] == SEVERITIES[label]]
    total = int(chosen["条数"].sum())
    if not total:
        st.success(f"{markdown_text(selection.describe())}：没有这一类数据质量发现。", icon="✅")
        return
    paged_table(
        "quality_flags",
        key="findings",
        total=total,
        hidden=(),
        column_config={"年度": st.column_config.NumberColumn(format="%d")},
        severity=SEVERITIES[label],
        report_id=None,
        **params,
    )


guard(render)
