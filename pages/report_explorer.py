"""报告: one report's every extracted fact, the source text around it, and its findings."""

import pandas as pd
import streamlit as st

from fiscallens.explain import TABLE_TITLES
from fiscallens.presentation import concat_rows, excerpt_html, markdown_text, mask_frame, page_note, readable_facts
from fiscallens.settings import REPORT_PICKER_ROWS
from fiscallens.sources import source_excerpt
from ui.components import empty_state, show_table
from ui.data import facts_of, guard, named
from ui.filters import sidebar_filters
from ui.views import page_views


def report_label(row: dict) -> str:
    """'2024 · 上海市 · 普陀区财政局 · 部门决算': the parts a report has, none shown as nan/None."""
    place = _text(row.get("区县")) or _text(row.get("市州")) or _text(row.get("省份"))
    kind = _text(row.get("类型")) + (
        "（单位）" if row.get("口径") == "单位" and "单位" not in _text(row.get("类型")) else ""
    )
    year = f"{int(row['年度'])} 年" if pd.notna(row.get("年度")) else "年度未识别"
    parts = [year, place, _text(row.get("部门（单位）")) or "部门未识别", _text(row.get("项目")), kind]
    return " · ".join(p for p in [*parts, _text(row.get("版本"))] if p)


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


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
    # Records, not iterrows: 500 Series built per run cost more than the page's queries.
    labels = {row["报告标识"]: report_label(row) for row in reports.to_dict("records")}
    options = list(labels)
    report_id = st.selectbox(
        "报告", options, index=options.index(wanted) if wanted in options else 0, format_func=labels.get, key="report"
    )
    st.query_params["report"] = report_id

    facts = {table: frame for table, frame in facts_of(report_id).items() if not frame.empty}
    missing = [TABLE_TITLES[t] for t in TABLE_TITLES if t not in facts]
    if missing:  # empty kinds get no tab: the first tab opened is one with data
        st.caption("这份报告没有以下几类数据：" + "、".join(missing) + "。")
    # Tabs whose content runs only when open (ui/views.py): a report has up to six fact tables, and drawing
    # every table and excerpt on each run cost the browser most of this page's time.
    views = page_views([f"{TABLE_TITLES[t]}（{len(f):,}）" for t, f in facts.items()] + ["数据质量发现"])
    for view, (table, frame) in zip(views, facts.items(), strict=False):
        if view.open:
            with view:
                _facts_view(table, frame)
    if views[-1].open:
        with views[-1]:
            findings = mask_frame(named("quality_flags", severity=None, report_id=report_id, limit=None, offset=None))
            if findings.empty:
                st.success("这份报告没有数据质量发现。", icon="✅")
            else:
                show_table(findings)


def _facts_view(table: str, frame: pd.DataFrame) -> None:
    """One kind of fact as a table, and the source text around the row picked in it (else its first row)."""
    event = show_table(
        readable_facts(table, frame.drop(columns=["来源文件"])),
        hidden=(),
        on_select="rerun",
        selection_mode="single-row",
        key=f"facts_{table}",
    )
    picked = event.selection.rows if event and event.selection else []
    row = frame.iloc[picked[0]] if picked else frame.iloc[0]
    st.markdown(f"**原文上下文**：{markdown_text(row['文件'])} 第 {int(row['行号'])} 行（在表格中点选一行可切换）")
    excerpt = source_excerpt(row["来源文件"], int(row["行号"]))
    if not excerpt:
        st.warning("源文件已不在原位置，无法显示上下文。")
    else:
        st.html(excerpt_html(excerpt, int(row["行号"])))


guard(render)
