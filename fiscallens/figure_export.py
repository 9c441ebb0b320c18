"""Image export of any chart: the chart carries its own context, rendered to PNG, SVG or PDF.

Leaders paste charts into Word/WPS/PPT, so an exported chart has its title, the active filters in
words, its data source and the warehouse date drawn into the image. Rendering goes through Plotly's
kaleido with the system Chromium and a CJK font. Every page's 导出图片 button and the one-page
brief (`fiscallens.brief`) render through here. Where Chromium or the font is missing,
`export_problem()` says so in Chinese, with the command that installs them, and `figure_bytes`
raises `ExportUnavailable` carrying that text (never a stack trace on a page).
"""

from __future__ import annotations

import atexit
import html
import os
import shutil
import subprocess
import threading
import warnings
from functools import lru_cache

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
# What kaleido (through choreographer) looks for, besides $BROWSER_PATH.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
INSTALL_HINT = "安装方法（Debian/Ubuntu，管理员执行）：sudo apt install chromium fonts-noto-cjk"


class ExportUnavailable(RuntimeError):
    """Images cannot be rendered on this machine; the message says what is missing, in Chinese."""


def chromium_path() -> str | None:
    """The browser kaleido will start, or None."""
    override = os.environ.get("BROWSER_PATH")
    if override:
        return override if shutil.which(override) or os.access(override, os.X_OK) else None
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


@lru_cache(maxsize=1)
def has_cjk_font() -> bool:
    """A font with Chinese glyphs, as fontconfig (which Chromium uses) sees it."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:  # no fontconfig: Chromium would find no font either
        return False
    try:
        listed = subprocess.run(  # noqa: S603 a fixed argument list, no user input
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(listed.strip())


def export_problem() -> str | None:
    """Why images cannot be exported here (in Chinese, with the fix), or None when they can."""
    missing = []
    if chromium_path() is None:
        missing.append("Chromium 浏览器")
    if not has_cjk_font():
        missing.append("中文字体（fonts-noto-cjk）")
    if not missing:
        return None
    return f"无法导出图片：服务器缺少{'和'.join(missing)}。{INSTALL_HINT}；装好后重新启动本应用。"


def build_day(info: pd.DataFrame) -> str:
    """The warehouse's build day from the `warehouse_info` query ('2026-12-07'), or '未知'."""
    built = info["built_at"].iloc[0]
    return str(built)[:10] if built else "未知"


def warehouse_date(con: duckdb.DuckDBPyConnection) -> str:
    return build_day(get_query("warehouse_info").run(con))


def with_context(fig: go.Figure, filters: str, source: str, built_on: str) -> go.Figure:
    """A copy of `fig` with filters, source and warehouse date written under the plot (and no hint to
    click: a slide or an image cannot be clicked)."""
    out = charts.static_figure(fig)
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


def start_renderer() -> None:
    """Keep one Chromium for kaleido per process: the first export pays ~4 s, later ones ~0.3 s."""
    global _renderer_started
    with _renderer_lock:
        if not _renderer_started:
            kaleido.start_sync_server(silence_warnings=True)
            atexit.register(kaleido.stop_sync_server, silence_warnings=True)
            _renderer_started = True


def figure_bytes(
    fig: go.Figure, fmt: str, width: int = SLIDE_WIDTH, height: int = SLIDE_HEIGHT, scale: float = EXPORT_SCALE
) -> bytes:
    """Render a figure server-side (kaleido + system Chromium) as PNG, SVG or PDF (a PNG at `scale` × the size).

    Raises ExportUnavailable (a Chinese message) when Chromium or a CJK font is missing or the renderer fails."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"unsupported format {fmt!r}")
    problem = export_problem()
    if problem:
        raise ExportUnavailable(problem)
    fig = go.Figure(fig)
    fig.update_layout(font={"family": charts.FONT_FAMILY}, width=width, height=height)
    try:
        start_renderer()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "kopts ignored when using a server"
            return fig.to_image(format=fmt, width=width, height=height, scale=scale if fmt == "png" else 1)
    except Exception as exc:  # Chromium failed to start or crashed: say so, with the fix
        raise ExportUnavailable(
            f"生成图片失败：服务器端的图表渲染（Kaleido + Chromium）出错。如缺少浏览器或字体，{INSTALL_HINT}。"
        ) from exc
