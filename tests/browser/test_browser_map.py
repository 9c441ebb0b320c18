"""The 地图 page in Debian's Chromium: the map draws offline (no tiles, nothing fetched from outside), with
Chinese region names, 无数据 on hover for regions without reports, the level following the filters, and a
click on a region narrowing the filters to it."""

from __future__ import annotations

from pathlib import Path

from browserkit import Tab, plots, query, screenshot, settle, sidebar_choice

# Points inside two provinces (lon, lat): 湖南省 has reports in the bundled corpus, 新疆 has none.
HUNAN = (111.5, 27.4)
XINJIANG = (85.0, 41.5)

_TRACES_JS = """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot'))
  .map(gd => gd.data.map(t => ({type: t.type, name: t.name || '', names: (t.customdata || []).map(c => c[0])})))"""

# Screen position of a (lon, lat) on the first map, from MapLibre itself.
_PIXEL_JS = """([lon, lat]) => {
  const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  const map = gd._fullLayout.map._subplot.map;
  const p = map.project([lon, lat]);
  const box = map.getCanvas().getBoundingClientRect();
  return [box.left + p.x, box.top + p.y];
}"""


def _open(tab: Tab, url: str, shot: Path) -> list[list[dict]]:
    tab.page.goto(url)
    settle(tab.page)
    tab.page.wait_for_selector('[data-testid="stPlotlyChart"] canvas', timeout=30_000)
    screenshot(tab.page, shot)
    tab.assert_healthy()  # among others: no request leaves the machine (no tiles, no CDN outline)
    return tab.page.evaluate(_TRACES_JS)


def _pixel(tab: Tab, lonlat: tuple[float, float]) -> tuple[float, float]:
    x, y = tab.page.evaluate(_PIXEL_JS, list(lonlat))
    return x, y


def test_the_map_draws_provinces_with_chinese_names(tab: Tab, app_url: str, tmp_path: Path) -> None:
    traces = _open(tab, f"{app_url}/region-map", tmp_path / "map.png")
    assert len(traces) == 1
    names = [n for t in traces[0] for n in t["names"]]
    assert {"湖南省", "贵州省", "台湾省", "新疆维吾尔自治区"} <= set(names)
    assert any(t["name"] == "无数据" for t in traces[0]) and any(t["name"] == "十段线" for t in traces[0])
    assert "全国" in plots(tab.page)[0]["title"]

    x, y = _pixel(tab, XINJIANG)
    tab.page.mouse.move(x, y)
    hover = tab.page.locator(".hoverlayer .hovertext")
    hover.first.wait_for(timeout=10_000)
    text = " ".join(hover.all_text_contents())
    assert "新疆维吾尔自治区" in text and "无数据" in text


def test_the_map_follows_the_province_and_a_click_narrows_to_a_region(tab: Tab, app_url: str, tmp_path: Path) -> None:
    _open(tab, f"{app_url}/region-map", tmp_path / "map-before.png")
    x, y = _pixel(tab, HUNAN)
    tab.page.mouse.click(x, y)
    tab.page.wait_for_url(lambda url: "province=" in url, timeout=30_000)
    settle(tab.page)
    screenshot(tab.page, tmp_path / "map-hunan.png")
    tab.assert_healthy()
    assert query(tab.page)["province"] == ["湖南省"]
    assert sidebar_choice(tab.page, "省份") == "湖南省"
    title = plots(tab.page)[0]["title"]
    assert "湖南省" in title
    names = {n for t in tab.page.evaluate(_TRACES_JS)[0] for n in t["names"]}
    assert {"湘潭市", "湘西土家族苗族自治州", "长沙市"} <= names  # the province's prefectures now
