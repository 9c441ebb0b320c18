"""The 地图 page in Debian's Chromium: the map draws offline as SVG (no chart library, no tiles, nothing
fetched from outside), with Chinese region names, 无数据 on hover for regions without reports, the level
following the filters, a click on a region narrowing the filters to it (by its adcode: 普陀区 is in 上海
and in 舟山); 简报模式 and the exported image keep the (WebGL) Plotly map."""

from __future__ import annotations

from pathlib import Path

from browserkit import Tab, query, screenshot, settle, sidebar_choice
from PIL import Image

from fiscallens import map_charts
from fiscallens.figure_export import EXPORT_SCALE, SLIDE_HEIGHT, SLIDE_WIDTH

# The map on screen is SVG in a component's shadow root (ui/svg_map.py): its regions, their hover lines
# and the adcode a click sends.
_REGIONS_JS = """() => { const host = document.querySelector('[data-testid="stBidiComponentIsolated"]');
  const root = host && host.shadowRoot;
  if (!root) return null;
  return {title: root.querySelector('.fl-title').textContent,
          dash: root.querySelectorAll('.dash').length,
          regions: Array.from(root.querySelectorAll('.region')).map(p => ({
            name: p.dataset.tip.split('\\n')[0], tip: p.dataset.tip, code: p.dataset.code || null,
            fill: p.getAttribute('fill')}))}; }"""

# A screen point inside a region (the first hover line names it), where the region is what the pointer
# hits: a region's bounding-box centre may lie in a neighbour.
_INSIDE_JS = """(name) => { const root = document.querySelector('[data-testid="stBidiComponentIsolated"]').shadowRoot;
  const path = Array.from(root.querySelectorAll('.region')).find(p => p.dataset.tip.split('\\n')[0] === name);
  const box = path.getBoundingClientRect();
  for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
    const x = box.left + box.width * i / 20, y = box.top + box.height * j / 20;
    if (root.elementFromPoint(x, y) === path) return [x, y];
  }
  return null; }"""


def _open(tab: Tab, url: str, shot: Path) -> dict:
    tab.page.goto(url)
    settle(tab.page)
    screenshot(tab.page, shot)
    tab.assert_healthy()  # among others: no request leaves the machine (no tiles, no CDN outline)
    drawn = tab.page.evaluate(_REGIONS_JS)
    assert drawn is not None, "the map is not drawn"
    return drawn


def _open_slide(tab: Tab, url: str, shot: Path) -> list[list[dict]]:
    """简报模式 and exports keep the Plotly map (a slide is a picture): wait for MapLibre to draw."""
    tab.page.goto(url)
    settle(tab.page)
    tab.page.wait_for_selector('[data-testid="stPlotlyChart"] canvas', timeout=30_000)
    tab.page.wait_for_function(_MAP_DRAWN_JS, timeout=30_000)
    tab.page.wait_for_timeout(500)  # the frame after the last load is painted
    screenshot(tab.page, shot)
    tab.assert_healthy()
    return tab.page.evaluate(_TRACES_JS)


_TRACES_JS = """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot'))
  .map(gd => gd.data.map(t => ({type: t.type, name: t.name || '', names: (t.customdata || []).map(c => c[0])})))"""

# MapLibre draws its WebGL canvas after plotly's SVG is there (settle waits for that): wait for the map to be
# loaded and still, so that a screenshot shows the regions rather than an empty frame.
_MAP_DRAWN_JS = """() => { const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  const map = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot
    && gd._fullLayout.map._subplot.map;
  return Boolean(map && map.loaded() && map.isStyleLoaded() && !map.isMoving()); }"""


def _inside(tab: Tab, name: str) -> tuple[float, float]:
    point = tab.page.evaluate(_INSIDE_JS, name)
    assert point is not None, f"no point of {name} is on screen"
    return point[0], point[1]


def test_the_map_draws_provinces_with_chinese_names(tab: Tab, app_url: str, tmp_path: Path) -> None:
    drawn = _open(tab, f"{app_url}/region-map", tmp_path / "map.png")
    names = {r["name"] for r in drawn["regions"]}
    assert len(drawn["regions"]) == 34 and {"湖南省", "贵州省", "台湾省", "新疆维吾尔自治区"} <= names
    assert drawn["dash"] == 1 and "全国" in drawn["title"]  # the ten-dash line
    grey = [r for r in drawn["regions"] if r["fill"] == map_charts.NO_DATA_COLOR]
    assert grey and all(r["code"] is None and r["tip"].endswith("无数据") for r in grey)
    coloured = [r for r in drawn["regions"] if r["code"]]
    assert coloured and all(r["fill"] != map_charts.NO_DATA_COLOR for r in coloured)
    # No chart library is loaded for it: no Plotly chart on the page (an idle tab may fetch it later).
    assert tab.page.locator('[data-testid="stPlotlyChart"]').count() == 0

    x, y = _inside(tab, "新疆维吾尔自治区")
    tab.page.mouse.move(x, y)
    tip = tab.page.locator(".fl-tip")
    tip.wait_for(state="visible", timeout=10_000)
    assert tip.inner_text().split("\n") == ["新疆维吾尔自治区", "无数据"]


def test_the_map_follows_the_province_and_a_click_narrows_to_a_region(tab: Tab, app_url: str, tmp_path: Path) -> None:
    _open(tab, f"{app_url}/region-map", tmp_path / "map-before.png")
    x, y = _inside(tab, "湖南省")
    tab.page.mouse.click(x, y)
    tab.page.wait_for_url(lambda url: "province=" in url, timeout=30_000)
    settle(tab.page)
    screenshot(tab.page, tmp_path / "map-hunan.png")
    tab.assert_healthy()
    assert query(tab.page)["province"] == ["湖南省"]
    assert sidebar_choice(tab.page, "省份") == "湖南省"
    drawn = tab.page.evaluate(_REGIONS_JS)
    assert "湖南省" in drawn["title"]
    names = {r["name"] for r in drawn["regions"]}
    assert {"湘潭市", "湘西土家族苗族自治州", "长沙市"} <= names  # the province's prefectures now


def test_the_map_in_briefing_mode_is_a_slide_without_toolbar(tab: Tab, app_url: str, tmp_path: Path) -> None:
    """简报模式: the map drawn as a 16:9 slide with its title and the context line, no sidebar, no toolbar."""
    page = tab.page
    traces = _open_slide(tab, f"{app_url}/region-map?brief=1", tmp_path / "map-brief.png")
    assert any(t["type"] == "choroplethmap" and t["name"] != "无数据" for t in traces[0])
    shot = Image.open(tmp_path / "map-brief.png").convert("RGB")
    drawn = {colour: n for n, colour in shot.getcolors(maxcolors=1 << 24)}
    assert drawn.get(_rgb(map_charts.NO_DATA_COLOR), 0) > 10_000, "the map's regions are not drawn in 简报模式"
    page.locator('[data-testid="stPlotlyChart"]').first.hover()
    page.wait_for_timeout(300)
    tab.assert_healthy()
    assert page.locator(".modebar-container").first.is_hidden(), "the plotly toolbar shows in 简报模式"
    assert page.locator('[data-testid="stSidebar"]').first.is_hidden()
    slide = page.evaluate(_SLIDE_JS)
    assert "全国" in slide["title"] and "预算执行率" in slide["title"] and "点击" not in slide["title"]
    assert slide["height"] == 720 and slide["width"] == 1280  # the whole 16:9 slide, colour bar included
    assert any("数据来源" in a and "筛选" in a for a in slide["annotations"]), slide["annotations"]
    assert page.get_by_text("退出简报模式").count() == 1


_SLIDE_JS = """() => { const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  return {title: gd.layout.title.text, width: gd.layout.width, height: gd._fullLayout.height,
          annotations: (gd.layout.annotations || []).map(a => a.text)}; }"""


def test_the_exported_map_image_has_the_map_colours(tab: Tab, app_url: str, tmp_path: Path) -> None:
    """导出图片 of the (WebGL) map: kaleido renders it in headless Chromium, regions in their colours."""
    page = tab.page
    _open(tab, f"{app_url}/region-map", tmp_path / "map-export-page.png")
    page.get_by_role("button", name="导出图片").first.click()
    popover = page.locator('[data-testid="stPopoverBody"]')
    popover.get_by_text("PNG（高清）").click()
    popover.get_by_role("button", name="生成图片").click()
    download = popover.get_by_role("button", name="下载 PNG")
    download.wait_for(timeout=120_000)  # the first export starts Chromium on the server
    with page.expect_download() as info:
        download.click()
    path = tmp_path / "map-export.png"
    info.value.save_as(path)
    page.keyboard.press("Escape")  # close the popover
    popover.wait_for(state="hidden")
    tab.assert_healthy()
    image = Image.open(path).convert("RGB")
    assert image.size == (SLIDE_WIDTH * EXPORT_SCALE, SLIDE_HEIGHT * EXPORT_SCALE)
    counts = {colour: n for n, colour in image.getcolors(maxcolors=1 << 24)}
    # Regions without reports in the 无数据 grey, the highest value in the scale's darkest blue: a map, not
    # a black or empty rectangle.
    for colour in (map_charts.NO_DATA_COLOR, map_charts.COLOR_SCALE[-1][1]):
        assert counts.get(_rgb(colour), 0) > 1000, f"{colour} is (almost) missing from the exported map"
    dark = sum(n for (r, g, b), n in counts.items() if r + g + b < 60)
    assert dark < image.size[0] * image.size[1] * 0.05, "the exported map is mostly black"


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def test_a_click_on_a_district_whose_name_two_regions_share(tab: Tab, app_url: str, tmp_path: Path) -> None:
    """A click on 上海's 普陀区 narrows to 上海市/上海市/普陀区 (the page reads the region's adcode)."""
    url = f"{app_url}/region-map?province=上海市&measure=three_public&basis=budget"
    _open(tab, url, tmp_path / "map-shanghai.png")
    x, y = _inside(tab, "普陀区")  # the map of 上海 holds its own 普陀区 only
    tab.page.mouse.click(x, y)
    tab.page.wait_for_url(lambda url: "county=" in url, timeout=30_000)
    settle(tab.page)
    screenshot(tab.page, tmp_path / "map-putuo.png")
    tab.assert_healthy()
    chosen = query(tab.page)
    assert (chosen["province"], chosen["prefecture"], chosen["county"]) == (["上海市"], ["上海市"], ["普陀区"])
    assert sidebar_choice(tab.page, "区县") == "普陀区"


def test_a_region_is_chosen_with_the_keyboard_too(tab: Tab, app_url: str, tmp_path: Path) -> None:
    """Regions with data are focusable buttons: Enter on one narrows the filters as a click does."""
    drawn = _open(tab, f"{app_url}/region-map", tmp_path / "map-keyboard.png")
    target = next(r for r in drawn["regions"] if r["code"])
    region = tab.page.locator(f'.region[data-code="{target["code"]}"]')
    assert region.get_attribute("role") == "button" and target["name"] in region.get_attribute("aria-label")
    region.focus()
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_url(lambda url: "province=" in url, timeout=30_000)
    settle(tab.page)
    tab.assert_healthy()
    assert query(tab.page)["province"] == [target["name"]]
