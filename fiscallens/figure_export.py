"""Image export of any chart: the chart carries its own context, rendered to PNG, SVG or PDF.

Leaders paste charts into Word/WPS/PPT, so an exported chart has its title, the active filters in
words, its data source and the warehouse date drawn into the image. Rendering goes through Plotly's
kaleido with the system Chromium and a CJK font. Every page's 导出图片 button and the one-page
brief (`fiscallens.brief`) render through here.
"""

from __future__ import annotations

import atexit
import html
import threading
import warnings

import duckdb
import kaleido
import pandas as pd
import plotly.graph_objects as go

from fiscallens import charts
from fiscallens.queries import get_query

# A 16:9 slide; PNG exports at twice this for print-quality pasting.
SLIDE_WIDTH, SLIDE_HEIGHT = 1600, 900
EXPORT_SCALE = 2
IMAGE_FORMATS = ("png", "svg", "pdf")


def build_day(info: pd.DataFrame) -> str:
    """The warehouse's build day from the `warehouse_info` query ('2026-12-07'), or '未知'."""
    built = info["built_at"].iloc[0]
    return str(built)[:10] if built else "未知"


def warehouse_date(con: duckdb.DuckDBPyConnection) -> str:
    return build_day(get_query("warehouse_info").run(con))


def with_context(fig: go.Figure, filters: str, source: str, built_on: str) -> go.Figure:
    """A copy of `fig` with filters, source and warehouse date written under the plot."""
    out = go.Figure(fig)
    bottom = (out.layout.margin.b or 60) + 50
    out.update_layout(margin={"b": bottom})
    out.add_annotation(
        # Plotly renders a subset of HTML in annotations: the selection's words are escaped.
        text=html.escape(f"筛选：{filters}　|　{source}　|　数据截至 {built_on}（财政绩效透视）"),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-bottom + 12,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font={"size": 12, "color": "#555"},
    )
    return out


_renderer_lock = threading.Lock()
_renderer_started = False


def _ensure_renderer() -> None:
    """Keep one Chromium for kaleido per process: the first export pays ~4 s, later ones ~0.3 s."""
    global _renderer_started
    with _renderer_lock:
        if not _renderer_started:
            kaleido.start_sync_server(silence_warnings=True)
            atexit.register(kaleido.stop_sync_server, silence_warnings=True)
            _renderer_started = True


def figure_bytes(fig: go.Figure, fmt: str, width: int = SLIDE_WIDTH, height: int = SLIDE_HEIGHT) -> bytes:
    """Render a figure server-side (kaleido + system Chromium) as PNG, SVG or PDF."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"unsupported format {fmt!r}")
    fig = go.Figure(fig)
    fig.update_layout(font={"family": charts.FONT_FAMILY}, width=width, height=height)
    _ensure_renderer()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "kopts ignored when using a server"
        return fig.to_image(format=fmt, width=width, height=height, scale=EXPORT_SCALE if fmt == "png" else 1)
