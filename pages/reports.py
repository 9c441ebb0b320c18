"""报告目录: every report in the warehouse, filterable by region and year."""

import streamlit as st

from ui.data import guard, named
from ui.filters import sidebar_filters


def render() -> None:
    st.title("报告目录")
    st.caption("已入库的部门决算、部门整体绩效自评/评价与项目支出绩效自评报告。金额单位：万元。")
    selection = sidebar_filters()
    reports = named("reports", **selection.as_params())
    if reports.empty:
        st.info(f"{selection.describe()}：没有符合条件的报告。可在左侧放宽筛选条件。", icon="🔍")
        return
    columns = st.columns(4)
    columns[0].metric("报告数", f"{len(reports)} 份")
    columns[1].metric("地区数", f"{reports['区划代码'].nunique()} 个")
    years = reports["年度"].dropna()
    columns[2].metric("年度", f"{int(years.min())}–{int(years.max())}" if len(years) else "—")
    columns[3].metric(
        "有错误的报告", f"{int((reports['错误'] > 0).sum())} 份", help="存在无法读取或报告不完整等错误级发现的报告"
    )
    st.dataframe(
        reports,
        hide_index=True,
        width="stretch",
        column_config={
            "年度": st.column_config.NumberColumn(format="%d"),
            "自评得分": st.column_config.NumberColumn(format="%.2f", help="自评总分（满分 100）"),
            "报告标识": None,
        },
    )
    st.caption(f"共 {len(reports)} 份报告 · {selection.describe()} · 数据来源：data/reports 中的公开报告")
    findings = named("quality_flags", severity=None, report_id=None)
    if not findings.empty:
        counts = findings["严重程度"].value_counts()
        summary = "，".join(f"{label} {counts.get(label, 0)} 条" for label in ("错误", "警告", "说明"))
        st.subheader("数据质量发现")
        st.caption(f"{summary}。完整列表见“数据质量”页。")
        st.dataframe(findings.head(20), hide_index=True, width="stretch", column_config={"报告标识": None})
        st.markdown("[查看全部数据质量发现 →](/data-quality)")


guard(render)
