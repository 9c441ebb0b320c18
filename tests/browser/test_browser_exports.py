"""导出图片 in Debian's Chromium, as a person uses it: open the popover, generate, download; the image keeps
the colours the chart has on screen (issue 16: 7 of 12 exports came out all black). 简报模式 shows no
plotly toolbar and no hint to click."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from browserkit import Tab, echarts_option, screenshot, settle

from fiscallens import palette
from fiscallens.figure_export import EXPORT_SCALE, SLIDE_HEIGHT, SLIDE_WIDTH


def _screen_colours(page) -> list[str | None]:
    """The first chart's series colours as the page draws them: each given to ECharts and found in its SVG."""
    chart = page.locator('[data-testid="stEChartsChart"]').first
    drawn = chart.inner_html().lower()
    colours = []
    for series in echarts_option(chart)["series"]:
        colour = (series.get("lineStyle") or series.get("itemStyle") or {}).get("color")
        colours.append(colour if colour and f'"{colour.lower()}"' in drawn else None)
    return colours


def _rgb(color: str) -> tuple[int, int, int]:
    if color.startswith("#"):
        return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]
    return tuple(int(v) for v in re.findall(r"\d+", color)[:3])  # type: ignore[return-value]


def _download_first_export(tab: Tab, fmt: str, tmp_path: Path) -> bytes:
    page = tab.page
    page.get_by_role("button", name="导出图片").first.click()
    popover = page.locator('[data-testid="stPopoverBody"]')
    popover.get_by_text(fmt).click()
    popover.get_by_role("button", name="生成图片").click()
    suffix = "SVG" if fmt.startswith("SVG") else "PNG"
    download_button = popover.get_by_role("button", name=f"下载 {suffix}")
    download_button.wait_for(timeout=90_000)  # the first export starts Chromium on the server
    with page.expect_download() as info:
        download_button.click()
    path = tmp_path / f"export.{suffix.lower()}"
    info.value.save_as(path)
    page.keyboard.press("Escape")  # close the popover
    popover.wait_for(state="hidden")
    return path.read_bytes()


def test_exported_svg_keeps_the_on_screen_series_colours(tab: Tab, app_url: str, tmp_path: Path) -> None:
    page = tab.page
    page.goto(f"{app_url}/three-public-expenses")
    settle(page)
    on_screen = _screen_colours(page)  # the first chart: the one the first 导出图片 exports
    assert on_screen and all(on_screen), f"a trace without its own colour: {on_screen}"
    assert not any(palette.is_placeholder(c) for c in on_screen)
    svg = _download_first_export(tab, "SVG（矢量）", tmp_path).decode()
    screenshot(page, tmp_path / "three-public-export.png")
    tab.assert_healthy()
    fills = {tuple(int(v) for v in m) for m in re.findall(r"fill: ?rgb\((\d+), ?(\d+), ?(\d+)\)", svg)}
    for color in on_screen:
        assert _rgb(color) in fills, f"on-screen colour {color} is missing from the exported SVG"
    assert len(set(on_screen)) == len(on_screen), "two series share a colour"


def test_briefing_mode_has_no_toolbar_and_no_click_hint(tab: Tab, app_url: str, tmp_path: Path) -> None:
    page = tab.page
    page.goto(f"{app_url}/functional-spending?brief=1")
    settle(page)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.hover()
    page.wait_for_timeout(300)
    screenshot(page, tmp_path / "functional-spending-brief.png")
    tab.assert_healthy()
    assert page.locator(".modebar-container").first.is_hidden(), "the plotly toolbar shows in 简报模式"
    titles = page.evaluate(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => gd.layout.title.text || '')"""
    )
    assert titles and not any("点击" in t for t in titles), titles


def _png_colours(png: bytes) -> tuple[tuple[int, int], set[tuple[int, int, int]]]:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    return image.size, {c for _, c in image.getcolors(maxcolors=1 << 24)}


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("budget-execution", "PNG（高清）"),
        ("budget-execution", "SVG（矢量）"),
        ("three-public-expenses", "PNG（高清）"),
    ],
)
def test_exported_image_keeps_the_on_screen_colours(
    tab: Tab, app_url: str, tmp_path: Path, path: str, fmt: str
) -> None:
    """PNG and SVG on two pages: slide-sized, and every series in the colour it has on screen."""
    page = tab.page
    page.goto(f"{app_url}/{path}")
    settle(page)
    on_screen = [c for c in _screen_colours(page) if c]
    assert on_screen and not any(palette.is_placeholder(c) for c in on_screen)
    data = _download_first_export(tab, fmt, tmp_path)
    tab.assert_healthy()
    if fmt.startswith("PNG"):
        size, colours = _png_colours(data)
        assert size == (SLIDE_WIDTH * EXPORT_SCALE, SLIDE_HEIGHT * EXPORT_SCALE)
    else:
        svg = data.decode()
        assert f'width="{SLIDE_WIDTH}"' in svg and f'height="{SLIDE_HEIGHT}"' in svg
        colours = {tuple(int(v) for v in m) for m in re.findall(r"fill: ?rgb\((\d+), ?(\d+), ?(\d+)\)", svg)}
    missing = [c for c in on_screen if _rgb(c) not in colours]
    assert not missing, f"on-screen colours missing from the exported {fmt}: {missing}"
