"""简报模式 (the slide view, ?brief=1) and the 导出图片 buttons: full-width 16:9 charts that carry their own context."""

from __future__ import annotations

import html
from collections.abc import Callable
from urllib.parse import urlencode

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from fiscallens.figure_export import ExportUnavailable, build_day, export_problem, figure_bytes, with_context
from ui.data import named

BRIEF_PARAM = "brief"
# Browser-side size of a chart in 简报模式: a 16:9 slide that fits a 1366-px screen.
BRIEF_WIDTH, BRIEF_HEIGHT = 1280, 720
_HIDE_CHROME = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
/* a slide is not interactive: no plotly toolbar on hover */
.js-plotly-plot .modebar-container, .js-plotly-plot .modebar { display: none !important; }
/* narrow side padding: a 1280 px slide fits a 1366/1440 px window whole (the default padding cut its right edge) */
.block-container { padding-top: 1rem !important; padding-left: 1rem !important; padding-right: 1rem !important;
  max-width: 100% !important; }
</style>
"""


def brief_mode() -> bool:
    return st.query_params.get(BRIEF_PARAM) == "1"


def brief_toggle() -> bool:
    """The 简报模式 switch in the sidebar; its state lives in the URL (?brief=1)."""
    on = st.sidebar.toggle(
        "简报模式",
        value=brief_mode(),
        key="brief_toggle",
        help="隐藏侧栏和控件，图表按 16:9 全宽显示，并在图中写明筛选条件、数据来源和数据日期；截屏即可放入简报。",
    )
    if on != brief_mode():
        if on:
            st.query_params[BRIEF_PARAM] = "1"
        else:
            st.query_params.pop(BRIEF_PARAM, None)
        st.rerun()
    return on


def apply_brief_layout() -> None:
    """In 简报模式: hide the app chrome, and offer the way back at the bottom."""
    if not brief_mode():
        return
    st.markdown(_HIDE_CHROME, unsafe_allow_html=True)


def exit_link() -> None:
    if brief_mode():
        # The link keeps the other parameters of the URL: URL-encoded, then escaped for the attribute,
        # so whatever a crafted link carries stays inside the href (the markup itself is fixed).
        kept = {k: st.query_params.get_all(k) for k in st.query_params if k != BRIEF_PARAM}
        href = html.escape("?" + urlencode(kept, doseq=True), quote=True)
        st.markdown(
            f"<div style='text-align:right;font-size:0.8rem'><a href='{href}' target='_self'>退出简报模式</a></div>",
            unsafe_allow_html=True,
        )


def warehouse_day() -> str:
    return build_day(named("warehouse_info"))


def slide_figure(fig: go.Figure, filters: str, source: str) -> go.Figure:
    """The chart as it appears in 简报模式 and in exports: context drawn in, slide-sized."""
    out = with_context(fig, filters, source, warehouse_day())
    out.update_layout(width=BRIEF_WIDTH, height=BRIEF_HEIGHT)
    return out


# st.plotly_chart's config in 简报模式: no toolbar (the CSS above hides it where a caller forgets).
SLIDE_CHART_CONFIG = {"displayModeBar": False, "displaylogo": False, "staticPlot": False}


@st.cache_data(max_entries=32, show_spinner=False)
def _render(figure_json: str, fmt: str) -> bytes:
    return figure_bytes(pio.from_json(figure_json), fmt)


def export_buttons(fig: go.Figure | Callable[[], go.Figure], filters: str, source: str, key: str, name: str) -> None:
    """PNG (high DPI) and SVG of the chart with its context, rendered on the server on request.

    `fig` may be a function that builds the figure, called only when an image is asked for."""
    with st.popover("导出图片", help="生成带标题、筛选条件、数据来源和日期的图片，适合粘贴到 Word/WPS/PPT"):
        problem = export_problem()
        if problem:  # a fresh machine: say what is missing and how to install it, offer no button
            st.warning(problem, icon="⚠️")
            return
        fmt = st.radio("格式", ["PNG（高清）", "SVG（矢量）"], key=f"fmt_{key}", horizontal=True)
        suffix = "png" if fmt.startswith("PNG") else "svg"
        if st.button("生成图片", key=f"make_{key}"):
            with st.spinner("正在生成图片（服务器端渲染，约需几秒）…"):
                try:
                    figure = fig() if callable(fig) else fig
                    data = _render(slide_figure(figure, filters, source).to_json(), suffix)
                except ExportUnavailable as exc:  # the message names what is missing and the fix
                    st.error(str(exc), icon="⚠️")
                    return
                except Exception:  # whatever else kaleido raises: a sentence, not a stack trace
                    st.error("生成图片失败：服务器端渲染出错，请稍后重试或改用页面截图。", icon="⚠️")
                    return
            st.download_button(
                f"下载 {suffix.upper()}",
                data,
                f"{name}.{suffix}",
                "image/png" if suffix == "png" else "image/svg+xml",
                key=f"dl_{key}_{suffix}",
            )
