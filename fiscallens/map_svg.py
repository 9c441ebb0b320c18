"""The map on screen as plain SVG: regions as paths in their colours, a colour bar, the ten-dash line.

No Streamlit and no Plotly here. The page's map was the one chart still drawn by Plotly (ECharts in
Streamlit draws no geographic maps): a first visit loaded Plotly's 4.7 MB of JavaScript and MapLibre's
WebGL for one picture. The same regions, colours and hover texts as SVG need no chart library at all; a
small component (ui/svg_map.py) shows the markup, the hover text and sends a click back.

Geometry: the view's simplified boundaries (fiscallens.geo), in web Mercator as the exported map
(map_charts.region_map, MapLibre) draws them, projected once per view and process into a viewBox
VIEW_WIDTH units wide. Every text in the markup is escaped: region names come from files.
"""

from __future__ import annotations

import functools
import html
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from fiscallens import geo

VIEW_WIDTH = 1000  # viewBox units across the view's regions
MARGIN = 0.02  # of the extent, around the regions
DECIMALS = 1  # of a viewBox unit: a tenth of a pixel on a 1,000 px map
BAR_TICKS = 5  # about this many labelled values on the colour bar


@dataclass(frozen=True)
class Shape:
    """One region as drawn: its boundary code, fill, hover lines and the warehouse adcode a click narrows
    to (None: nothing to narrow to, e.g. a region without reports)."""

    code: str
    fill: str
    tip: tuple[str, ...]
    target: str | None = None


@dataclass(frozen=True)
class ColourBar:
    """The colour bar: unit, colour stops [(fraction, colour)], the range its ends stand for, and labels."""

    unit: str
    stops: tuple[tuple[float, str], ...]
    low: float
    high: float
    ticks: tuple[float, ...]


def colour_at(stops: Sequence[Sequence], fraction: float) -> str:
    """The colour a linear scale gives a fraction 0…1 (RGB interpolation between stops, as Plotly does)."""
    fraction = min(max(fraction, 0.0), 1.0)
    for (f0, c0), (f1, c1) in itertools.pairwise(stops):
        if fraction <= f1:
            share = 0.0 if f1 == f0 else (fraction - f0) / (f1 - f0)
            a, b = _rgb(c0), _rgb(c1)
            return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))
    return str(stops[-1][1])


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def nice_ticks(low: float, high: float, count: int = BAR_TICKS) -> tuple[float, ...]:
    """Round values (1, 2 or 5 × 10ⁿ apart) inside [low, high]; one value alone when low == high."""
    if not math.isfinite(low) or not math.isfinite(high) or high <= low:
        return (low,) if math.isfinite(low) else ()
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return tuple(ticks)


def tick_label(value: float) -> str:
    """A colour-bar label: thousands separators, two decimals at most, no trailing zeros (1,250 · 97.5)."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class Projected:
    """A view's regions in viewBox units: its size, one path per region, the ten-dash line ('' if none)."""

    width: float
    height: float
    paths: dict[str, str]
    dash: str


def _mercator(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rad = np.radians(np.clip(lat, -85.0, 85.0))
    return lon / 360 + 0.5, (1 - np.log(np.tan(rad) + 1 / np.cos(rad)) / math.pi) / 2


@functools.lru_cache(maxsize=64)
def projected(view: geo.MapView) -> Projected:
    """The view's regions projected into the viewBox (once per view and process; shared, not copied)."""
    collection = geo.feature_collection(view)
    bounds = geo.view_bounds(view)
    if bounds is None:
        return Projected(VIEW_WIDTH, VIEW_WIDTH * 0.6, {}, "")
    west, south, east, north = bounds
    (x0, x1), (y1, y0) = _mercator(np.array([west, east]), np.array([south, north]))
    pad = MARGIN * max(x1 - x0, y1 - y0)
    x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
    scale = VIEW_WIDTH / (x1 - x0)

    def path(rings: Sequence[Sequence[Sequence[float]]], close: bool) -> str:
        out = []
        for ring in rings:
            points = np.asarray(ring, dtype=float)[:, :2]
            x, y = _mercator(points[:, 0], points[:, 1])
            xs = np.round((x - x0) * scale, DECIMALS)
            ys = np.round((y - y0) * scale, DECIMALS)
            # The first point absolute, the others relative to the one before: a third shorter. Steps are
            # taken between rounded points, so no rounding error adds up along the ring.
            dx, dy = np.round(np.diff(xs), DECIMALS), np.round(np.diff(ys), DECIMALS)
            steps = " ".join(f"{a:g},{b:g}" for a, b in zip(dx.tolist(), dy.tolist(), strict=True))
            out.append(f"M{xs[0]:g},{ys[0]:g}" + (f"l{steps}" if steps else "") + ("Z" if close else ""))
        return "".join(out)

    paths = {
        feature["id"]: path([ring for polygon in feature["geometry"]["coordinates"] for ring in polygon], True)
        for feature in collection["features"]
    }
    dash = path(geo.dash_line(), False) if geo.view_shows_south_sea(view) else ""
    return Projected(VIEW_WIDTH, round((y1 - y0) * scale, DECIMALS), paths, dash)


def _attr(text: str) -> str:
    return html.escape(text, quote=True).replace("\n", "&#10;")


def markup(
    view: geo.MapView,
    shapes: Sequence[Shape],
    title: str,
    subtitle: str,
    bar: ColourBar | None,
    no_data: tuple[str, str] | None,
    *,
    border: tuple[str, float],
    dash_colour: str,
    height: int,
) -> str:
    """The map as HTML + SVG: title, subtitle, the regions, the colour bar and a 无数据 key (`no_data`:
    its colour and words, None when every region has data). `height` is the whole map's in pixels."""
    geometry = projected(view)
    colour, width = border
    paths = []
    for shape in shapes:
        d = geometry.paths.get(shape.code)
        if not d:
            continue
        tip = "\n".join(shape.tip)
        action = (
            f' data-code="{_attr(shape.target)}" tabindex="0" role="button" aria-label="{_attr(" ".join(shape.tip))}"'
            if shape.target
            else ""
        )
        paths.append(f'<path class="region" d="{d}" fill="{_attr(shape.fill)}" data-tip="{_attr(tip)}"{action}/>')
    dash = f'<path class="dash" d="{geometry.dash}" stroke="{_attr(dash_colour)}"/>' if geometry.dash else ""
    svg = (
        f'<svg class="regions" viewBox="0 0 {geometry.width:g} {geometry.height:g}" '
        f'preserveAspectRatio="xMidYMid meet" role="img" aria-label="{_attr(title)}" '
        f'style="--border:{_attr(colour)};--border-width:{width}px">{"".join(paths)}{dash}</svg>'
    )
    return (
        f'<div class="fl-map" style="height:{int(height)}px">'
        f'<div class="fl-title">{html.escape(title)}</div>'
        f'<div class="fl-subtitle">{html.escape(subtitle)}</div>'
        f'<div class="fl-body">{svg}{_bar(bar, no_data)}</div>'
        '<div class="fl-tip" hidden></div></div>'
    )


BAR_HEIGHT = 220  # px of the gradient


def _bar(bar: ColourBar | None, no_data: tuple[str, str] | None) -> str:
    """The colour bar (top = high) with its unit and labels, and the 无数据 swatch under it."""
    parts = []
    if bar is not None:
        span = bar.high - bar.low
        stops = "".join(f'<stop offset="{(1 - f) * 100:g}%" stop-color="{_attr(c)}"/>' for f, c in reversed(bar.stops))
        labels = []
        for tick in bar.ticks:
            y = BAR_HEIGHT / 2 if span <= 0 else BAR_HEIGHT * (1 - (tick - bar.low) / span)
            labels.append(f'<text x="22" y="{y + 4:.1f}">{html.escape(tick_label(tick))}</text>')
            labels.append(f'<line x1="14" x2="18" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(
            f'<div class="fl-unit">{html.escape(bar.unit)}</div>'
            f'<svg class="fl-scale" width="96" height="{BAR_HEIGHT + 16}" viewBox="0 -8 96 {BAR_HEIGHT + 16}">'
            f'<defs><linearGradient id="fl-gradient" x1="0" x2="0" y1="0" y2="1">{stops}</linearGradient></defs>'
            f'<rect x="0" y="0" width="14" height="{BAR_HEIGHT}" fill="url(#fl-gradient)"/>{"".join(labels)}</svg>'
        )
    if no_data is not None:
        colour, words = no_data
        parts.append(
            f'<div class="fl-nodata"><span style="background:{_attr(colour)}"></span>{html.escape(words)}</div>'
        )
    return f'<div class="fl-legend">{"".join(parts)}</div>'
