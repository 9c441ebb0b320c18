"""Briefings: exported charts carry their context; briefs come out as PDF/PNG/PPTX with real CJK text."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image, ImageChops

from fiscallens import cli
from fiscallens.brief import BriefingError, brief_figure, collect
from fiscallens.figure_export import build_day, figure_bytes, with_context
from fiscallens.warehouse import connect_readonly

HAS_CHROMIUM = shutil.which("chromium") is not None or Path("/usr/bin/chromium").exists()
# Rendering starts Chromium: these run in the browser layer of `make test`.
needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(not HAS_CHROMIUM, reason="server-side image export needs Debian's chromium"),
]


def test_context_is_drawn_into_the_figure() -> None:
    fig = go.Figure(go.Bar(x=["黔南州"], y=[98.78]))
    out = with_context(fig, "贵州省 · 2021 年", "数据来源：1 份报告，2021", "2026-11-26")
    texts = " ".join(a.text for a in out.layout.annotations)
    assert "贵州省 · 2021 年" in texts and "数据来源：1 份报告" in texts and "2026-11-26" in texts
    assert not fig.layout.annotations  # the page's figure is left as it was


def test_build_day_is_shared_by_exports_and_the_brief() -> None:
    """The date under every exported chart and on the brief comes from one place."""
    assert build_day(pd.DataFrame({"built_at": [pd.Timestamp("2026-12-07 04:21:00")]})) == "2026-12-07"
    assert build_day(pd.DataFrame({"built_at": [None]})) == "未知"


def test_brief_collects_region_year_figures(warehouse: Path) -> None:
    data = collect(connect_readonly(warehouse), "贵阳市", 2023)
    assert data.region == "贵阳市" and len(data.reports) == 1
    assert round(float(data.kpis["execution_rate"]), 2) == 100.0
    assert any("贵阳" in s for s in data.sentences)
    fig = brief_figure(data)
    text = " ".join(a.text or "" for a in fig.layout.annotations)
    assert "2.21 亿元" in text  # the KPI block, with its unit
    assert "数据质量警告" in text  # the footnote names the findings on the reports used


@pytest.mark.parametrize(
    ("region", "year", "message"),
    [("火星市", 2023, "无法识别地区"), ("湘潭市", 2019, "没有 2019 年的报告"), ("白云区", 2023, "无法识别")],
)
def test_brief_refuses_with_a_reason(warehouse: Path, region: str, year: int, message: str) -> None:
    with pytest.raises(BriefingError, match=message):
        collect(connect_readonly(warehouse), region, year)


def _text_pixels(text: str) -> Image.Image:
    fig = go.Figure()
    fig.add_annotation(text=text, x=0.5, y=0.5, showarrow=False, font={"size": 60, "color": "black"})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(plot_bgcolor="white", paper_bgcolor="white")
    return Image.open(io.BytesIO(figure_bytes(fig, "png", width=600, height=200))).convert("L")


@needs_chromium[0]
@needs_chromium[1]
def test_chinese_renders_as_glyphs_not_boxes() -> None:
    """With the CJK font missing, Chinese renders as tofu boxes; compare against boxes drawn on purpose."""
    chinese, boxes = _text_pixels("财政绩效"), _text_pixels("□□□□")
    assert ImageChops.difference(chinese, boxes).getbbox() is not None
    ink = sum(1 for value in chinese.getdata() if value < 128)
    assert ink > 2000, "the Chinese text drew almost nothing"


@needs_chromium[0]
@needs_chromium[1]
@pytest.mark.parametrize("suffix", ["png", "pdf", "pptx"])
def test_brief_cli_writes_each_format(warehouse: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"brief.{suffix}"
    assert cli.main(["brief", "--region", "黔南州", "--year", "2021", "--out", str(out), "--db", str(warehouse)]) == 0
    data = out.read_bytes()
    magic = {"png": b"\x89PNG", "pdf": b"%PDF", "pptx": b"PK"}[suffix]
    assert data.startswith(magic) and len(data) > 10_000
    if suffix == "png":
        image = Image.open(io.BytesIO(data))
        assert image.size == (3200, 1800)  # 16:9 at twice the slide size
        assert image.convert("L").getextrema()[0] < 100  # there is dark ink on it
    if suffix == "pptx":
        from pptx import Presentation

        slide = Presentation(io.BytesIO(data)).slides[0]
        assert "黔南" in slide.notes_slide.notes_text_frame.text


def test_brief_cli_bad_format_is_a_message(warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(
        ["brief", "--region", "黔南州", "--year", "2021", "--out", str(tmp_path / "x.doc"), "--db", str(warehouse)]
    )
    assert code == 1
    assert "不支持的输出格式" in capsys.readouterr().err


# --- Exported images keep the on-screen colours (issue 16, item 1) ---------------------------------

_EXPORTED_CHARTS = {
    "execution_rates": ("execution_by_region", {}),
    "three_public_trend": ("three_public_by_region", {}),
    "three_public_items": ("three_public_by_region", {}),
    "function_split": ("function_tree", {"basis": "actual"}),
    "grade_counts": ("grade_counts", {}),
}


def _streamlit_figure(warehouse: Path, chart: str) -> go.Figure:
    """The chart as a page builds it: with Streamlit's placeholder template as plotly's default."""
    import plotly.io as pio
    from streamlit.elements.lib.streamlit_plotly_theme import configure_streamlit_plotly_theme

    from fiscallens import charts
    from fiscallens.queries import get_query

    name, given = _EXPORTED_CHARTS[chart]
    query = get_query(name)
    frame = query.run(connect_readonly(warehouse), **{p: given.get(p) for p in query.params})
    before = pio.templates.default
    configure_streamlit_plotly_theme()
    try:
        return getattr(charts, chart)(frame, "全部")
    finally:
        pio.templates.default = before


def _rgb(hex_color: str) -> tuple[int, int, int]:
    return tuple(int(hex_color[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


@needs_chromium[0]
@needs_chromium[1]
@pytest.mark.parametrize("chart", sorted(_EXPORTED_CHARTS))
def test_exported_svg_and_png_keep_each_series_colour(warehouse: Path, chart: str) -> None:
    """Before: Streamlit's theme placeholders (#000001 …) made every series black in the exported image."""
    import re

    fig = _streamlit_figure(warehouse, chart)
    colors = {t.marker.color for t in fig.data}
    assert all(isinstance(c, str) and c.startswith("#") for c in colors) and len(colors) == len(fig.data)
    # real colours, not near-black placeholders or greys: some channel differs from the others
    assert all(max(_rgb(c)) - min(_rgb(c)) > 30 for c in colors), colors
    exported = with_context(fig, "全部", "数据来源：测试", "2026-12-07")
    svg = figure_bytes(exported, "svg").decode()
    fills = {tuple(int(v) for v in m) for m in re.findall(r"fill: ?rgb\((\d+), ?(\d+), ?(\d+)\)", svg)}
    for color in colors:
        assert _rgb(color) in fills, f"{chart}: series colour {color} missing from the SVG"
    png = Image.open(io.BytesIO(figure_bytes(exported, "png", width=800, height=450))).convert("RGB")
    pixels = set(png.getdata())
    for color in colors:  # each series colour is painted (bars and markers are drawn opaque)
        assert _rgb(color) in pixels, f"{chart}: series colour {color} missing from the PNG"


def test_export_buttons_on_a_fresh_machine_say_what_to_install(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No Chromium (the renderer made unavailable): every 导出图片 says so in Chinese, with the apt command."""
    from streamlit.testing.v1 import AppTest

    from fiscallens import figure_export

    monkeypatch.setattr(figure_export, "chromium_path", lambda: None)
    root = Path(__file__).resolve().parents[1]
    at = AppTest.from_file(str(root / "pages" / "three_public.py"), default_timeout=60).run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert warnings, "no message where the export button would be"
    assert all("Chromium" in w and "sudo apt install chromium fonts-noto-cjk" in w for w in warnings)
    assert len(warnings) == len(at.get("echarts_chart")), "one message per exportable chart"
    assert not [b for b in at.button if b.label == "生成图片"]
