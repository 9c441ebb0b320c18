"""报告: one report's every extracted fact, the source text around it, and its findings."""

import streamlit as st

from fiscallens.explain import TABLE_TITLES
from fiscallens.presentation import concat_rows, markdown_text, mask_frame, page_note
from fiscallens.settings import REPORT_PICKER_ROWS
from fiscallens.sources import source_excerpt
from ui.components import empty_state
from ui.data import facts_of, guard, named
from ui.filters import sidebar_filters


def render() -> None:
    st.title("报告详情")
    st.caption(
        "逐条查看一份报告抽取出的数字、它在原文中的位置和上下文，以及相关的数据质量发现。手机号等个人信息已遮盖。"
    )
    selection = sidebar_filters()
    params = selection.as_params()
    total = int(named("overview_kpis", **params).iloc[0]["reports_listed"])
    if not total:
        empty_state("没有符合条件的报告", selection)
        return
    reports = named("reports", report_id=None, limit=REPORT_PICKER_ROWS, offset=0, **params)
    wanted = st.query_params.get("report")
    if wanted and wanted not in set(reports["报告标识"]):  # a link to a report beyond the first rows
        reports = concat_rows(named("reports", report_id=wanted, limit=1, offset=0, **params), reports)
    if total > len(reports):
        st.caption(f"报告列表{page_note(len(reports), total)}（按年度从新到旧），可在左侧缩小筛选范围。")
    labels = {
        row["报告标识"]: f"{row['年度']} · {row['市州'] or row['省份'] or ''} · {row['部门（单位）']}"
        + (f" · {row['项目']}" if row["项目"] else "")
        + f" · {row['类型']}"
        + ("（单位）" if row["口径"] == "单位" else "")
        + (f" · {row['版本']}" if row["版本"] else "")
        for _, row in reports.iterrows()
    }
    options = list(labels)
    report_id = st.selectbox(
        "报告", options, index=options.index(wanted) if wanted in options else 0, format_func=labels.get, key="report"
    )
    st.query_params["report"] = report_id

    facts = facts_of(report_id)
    tabs = st.tabs([f"{TABLE_TITLES[t]}（{len(f)}）" for t, f in facts.items()] + ["数据质量发现"])
    for tab, (table, frame) in zip(tabs, facts.items(), strict=False):
        with tab:
            if frame.empty:
                st.caption("这份报告没有这类数据。")
                continue
            event = st.dataframe(
                frame.drop(columns=["来源文件"]),
                hide_index=True,
                width="stretch",
                on_select="rerun",
                selection_mode="single-row",
                key=f"facts_{table}",
            )
            picked = event.selection.rows if event and event.selection else []
            row = frame.iloc[picked[0]] if picked else frame.iloc[0]
            st.markdown(
                f"**原文上下文**：{markdown_text(row['文件'])} 第 {int(row['行号'])} 行（在表格中点选一行可切换）"
            )
            excerpt = source_excerpt(row["来源文件"], int(row["行号"]))
            if not excerpt:
                st.warning("源文件已不在原位置，无法显示上下文。")
            else:
                st.code(
                    "\n".join(f"{'▶' if n == int(row['行号']) else ' '} {n:>5} │ {text}" for n, text in excerpt),
                    language=None,
                )
    with tabs[-1]:
        findings = mask_frame(named("quality_flags", severity=None, report_id=report_id, limit=None, offset=None))
        if findings.empty:
            st.success("这份报告没有数据质量发现。", icon="✅")
        else:
            st.dataframe(findings, hide_index=True, width="stretch", column_config={"报告标识": None})


guard(render)
