"""简报: one region and year on one 16:9 page (PNG, PDF), an editable PPTX deck and a DOCX 简报."""

import streamlit as st

from fiscallens.brief import BriefingError
from fiscallens.presentation import markdown_text
from ui.brief_render import brief_download, brief_preview
from ui.data import guard, named

FORMATS = {
    "PDF": ("pdf", "application/pdf"),
    "PNG": ("png", "image/png"),
    "PPTX": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "DOCX": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}
# What each download holds, under its button.
FORMAT_NOTES = {
    "PDF": "一页，可打印",
    "PNG": "一页图片",
    "PPTX": "可编辑：要点为文本框，图表为 PowerPoint/WPS 原生图表",
    "DOCX": "可编辑的简报文稿：一、二、三…分节，图表附图题，来源为页下脚注",
}


def render() -> None:
    st.title("简报")
    st.caption(
        "选择一个省或市州、一个年度，生成一页简报：关键指标、执行率、“三公”趋势、得分与执行率，以及自动生成的要点和数据来源脚注。"
    )
    options = named("brief_options")
    if options.empty:
        st.info("仓库中还没有可用于简报的报告（需要识别出地区和年度）。", icon="🔍")
        return
    regions = list(dict.fromkeys(options["region"]))
    wanted = st.query_params.get("region")
    region = st.selectbox("地区", regions, index=regions.index(wanted) if wanted in regions else 0, key="brief_region")
    years = sorted(options.loc[options["region"] == region, "fiscal_year"].astype(int).unique(), reverse=True)
    wanted_year = st.query_params.get("year")
    year = st.selectbox(
        "年度",
        years,
        index=years.index(int(wanted_year)) if wanted_year and int(wanted_year) in years else 0,
        key="brief_year",
    )
    st.query_params.update({"region": region, "year": str(year)})
    try:
        with st.spinner("正在生成简报预览（服务器端渲染，约需几秒）…"):
            title, png = brief_preview(region, int(year))
    except BriefingError as exc:
        st.warning(markdown_text(exc))
        return
    except RuntimeError as exc:
        st.error(f"生成图片需要服务器安装 Chromium 与中文字体（fonts-noto-cjk）：{markdown_text(exc)}")
        return
    st.image(png, caption=markdown_text(title), width="stretch")
    # Made on request and kept for this region and year: the DOCX alone renders three charts, and a
    # download button holding ready bytes survives reruns (a deferred one can lose its file on a rerun).
    made = st.session_state.setdefault("brief_files", {})
    for stale in [key for key in made if key[:2] != (region, int(year))]:
        del made[stale]
    columns = st.columns(len(FORMATS))
    for column, (label, (suffix, mime)) in zip(columns, FORMATS.items(), strict=True):
        with column:
            key = (region, int(year), suffix)
            if key in made:
                st.download_button(
                    f"下载 {label}", made[key], f"{title}.{suffix}", mime, key=f"dl_{suffix}", width="stretch"
                )
            elif st.button(f"生成 {label}", key=f"make_{suffix}", width="stretch"):
                with st.spinner(f"正在生成 {label}…"):
                    made[key] = brief_download(region, int(year), suffix)()
                st.rerun()
            st.caption(FORMAT_NOTES[label])
    st.caption("命令行同样可用：`python -m fiscallens brief --region 贵阳市 --year 2023 --out brief.pdf`")


guard(render)
