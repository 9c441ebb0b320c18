"""报告目录: every report in the warehouse, filterable by region and year."""

import pandas as pd
import streamlit as st

from fiscallens.presentation import markdown_text, mask_frame, year_span
from ui.components import paged_table, show_table
from ui.data import guard, named
from ui.filters import Selection, page_url, sidebar_filters
from ui.views import page_views


def render() -> None:
    st.title("报告目录")
    st.caption("已入库的部门决算、部门整体绩效自评/评价与项目支出绩效自评报告。金额单位：万元。")
    selection = sidebar_filters()
    params = selection.as_params()
    kpi = named("overview_kpis", **params).iloc[0]
    if not kpi["reports_listed"]:
        st.info(f"{markdown_text(selection.describe())}：没有符合条件的报告。可在左侧放宽筛选条件。", icon="🔍")
        return
    columns = st.columns(4)
    columns[0].metric("报告数", f"{int(kpi['reports_listed']):,} 份", help="目录中的全部报告，含单位报告与后续版本")
    columns[1].metric("地区数", f"{int(kpi['regions']):,} 个")
    columns[2].metric("年度", year_span(kpi["first_year"], kpi["last_year"]))
    columns[3].metric(
        "有错误的报告",
        f"{int(kpi['reports_with_errors']):,} 份",
        help="存在无法读取或报告不完整等错误级发现的报告",
    )
    # Two views whose content runs only when open (ui/views.py): the catalogue first; its findings' first
    # rows second (a second table drawn on every visit cost the browser 0.1–0.2 s of a first view at 100k).
    catalogue, findings = page_views(["报告列表", "数据质量发现"])
    if catalogue.open:
        with catalogue:
            _catalogue(selection, kpi, params)
    if findings.open:
        with findings:
            _findings(selection, params)
    st.caption(f"{markdown_text(selection.describe())} · 数据来源：data/reports 中的公开报告")


def _catalogue(selection: Selection, kpi: pd.Series, params: dict) -> None:
    paged_table(
        "reports",
        key="reports",
        total=int(kpi["reports_listed"]),
        column_config={
            "年度": st.column_config.NumberColumn(format="%d"),
            "自评得分": st.column_config.NumberColumn(format="%.2f", help="自评总分（满分 100）"),
        },
        opens_reports=selection,  # a click on a row opens its 报告详情
        report_id=None,
        **params,
    )
    repeated = int(kpi["reports_listed"]) - int(kpi["reports"])
    if repeated:
        st.caption(
            f"其中 {repeated:,} 份是已有部门报告的单位报告或同一报告的后续版本，列在目录中，"
            "但不计入各页的汇总（部门预决算已包含其所属单位，避免重复相加）。"
        )


def _findings(selection: Selection, params: dict) -> None:
    counts = named("findings_by_severity", report_id=None, **params)
    if counts.empty:
        st.success("所选报告没有数据质量发现。", icon="✅")
        return
    by_label = dict(zip(counts["严重程度"], counts["条数"], strict=True))
    summary = "，".join(f"{label} {int(by_label.get(label, 0)):,} 条" for label in ("错误", "警告", "说明"))
    st.caption(f"{summary}。下表为前 20 条，完整列表见“数据质量”页。")
    show_table(mask_frame(named("quality_flags", severity=None, report_id=None, limit=20, offset=0, **params)))
    st.markdown(f"[查看全部数据质量发现 →]({page_url('data-quality', selection)})")


guard(render)
