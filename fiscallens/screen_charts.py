"""The screen's drawing of a chart: a figure of fiscallens.charts as an Apache ECharts option.

The figures stay Plotly figures (the model that exports, slides and briefings render through kaleido);
on a page they are drawn by ECharts, which Streamlit ships in a 1.2 MB chunk where Plotly's is 4.7 MB. A
fresh tab with one chart settles in about 1.0 s with ECharts and 2.0 s with Plotly on this machine
(bench/README.md, issue 17). Only what our figures use is translated: bars (grouped, stacked,
horizontal), lines and markers, boxes from quartiles, heatmaps, treemaps, rectangles and lines drawn
over the plot, titles, legends and hover texts. `drawable()` says whether a figure is made only of those;
a map is not, and stays with Plotly.

Each ECharts series is one Plotly trace, in order, so a click reported as (series, data index) is mapped
back to the Plotly point it stands for (`clicked_point`), and the click handling reads it as before.
"""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np

from fiscallens.presentation import text_width

DRAWN_TRACES = frozenset({"bar", "scatter", "box", "heatmap", "treemap"})
# Room at the top for the title, its subtitle and the legend (pixels).
TITLE_TOP, SUBTITLE_LINE, LEGEND_HEIGHT = 8, 18, 28
LABEL_SIZE = 12  # ECharts' axis label font size (pixels)
DEFAULT_HEIGHT = 460  # charts._layout's default
HEATMAP_COLORS = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]  # plotly's "Blues"
TREEMAP_LEVELS = 3
PLOT_WIDTH = 640  # the narrowest plot a chart is laid out for (pixels); wider category labels are turned
_PLACEHOLDER = re.compile(r"%\{([^}:]+)(?::([^}]*))?\}")
# ECharts reads {a}, {b0}, {@name}… in a formatter string as its own placeholders.
_ECHARTS_TEMPLATE = re.compile(r"\{(?=[a-e]\d*\}|@)")


def drawable(fig: Any) -> bool:
    """Whether every trace of the figure (a dict, or a `go.Figure`: its traces are read, not copied) is one
    this module draws."""
    traces = (fig.get("data") if isinstance(fig, dict) else fig.data) or []
    kinds = [t.get("type", "scatter") if isinstance(t, dict) else t.type for t in traces]
    return bool(kinds) and all(kind in DRAWN_TRACES for kind in kinds)


def option(fig: dict[str, Any]) -> dict[str, Any]:
    """The ECharts option that draws the figure dict `fig` (a `go.Figure.to_dict()`)."""
    return _Translation(fig).option


def clicked_point(fig: dict[str, Any], series_index: int, data_index: int) -> dict[str, Any] | None:
    """The Plotly point (x, y, customdata, text, legendgroup…) that ECharts' data item `data_index` of
    series `series_index` draws, as Plotly's selection event would give it; None if there is none."""
    translation = _Translation(fig)
    if not 0 <= series_index < len(translation.points):
        return None
    points = translation.points[series_index]
    return points[data_index] if 0 <= data_index < len(points) and points[data_index] is not None else None


# --- values ---------------------------------------------------------------------------------------


def _values(value: Any) -> list[Any]:
    """A trace array as a plain list (numpy arrays, typed-array dicts and scalars included), NaN as None."""
    if value is None:
        return []
    if isinstance(value, dict) and "dtype" in value:  # plotly's base64 typed array (to_plotly_json)
        shape = value.get("shape")
        shape = [int(n) for n in str(shape).split(",")] if shape is not None else -1
        value = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).reshape(shape)
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        return [value]
    return [_clean(v) for v in value]


def _clean(value: Any) -> Any:
    """A value as JSON can carry it: numpy scalars and DuckDB's decimals as numbers, NaN and NA as None."""
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else round(value, 6)  # drawn, not summed
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if value is None or isinstance(value, (str, int, bool)):
        return value
    try:
        missing = bool(value != value)  # NaT
    except (TypeError, ValueError):  # pd.NA: its comparison has no truth value
        missing = True
    return None if missing else str(value)


def _per_point(value: Any, n: int) -> list[Any]:
    """A trace attribute that is one value for all points or one per point, as one per point."""
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        values = _values(value)
        return values + [None] * (n - len(values))
    return [value] * n


def _number_format(value: Any, spec: str | None) -> str:
    """A value formatted with a d3 format as our figures use them (",.2f", ".1f", ",d", ",")."""
    if value is None:
        return ""
    if not spec or not isinstance(value, (int, float)) or isinstance(value, bool):
        return str(value)
    python = spec.replace("d", "d" if float(value).is_integer() else ".0f")
    try:
        return format(int(value) if python.endswith("d") else value, python)
    except ValueError:
        return str(value)


def _safe_template(text: str) -> str:
    """Text that ECharts shows as written, not as its own {a}/{b} placeholders."""
    return _ECHARTS_TEMPLATE.sub("&#123;", text)


def _plain_label(text: str) -> str:
    """A label (drawn text, not HTML): Plotly's <br> as a new line, ECharts' rich-text braces neutral."""
    text = html.unescape(re.sub(r"<br\s*/?>", "\n", str(text)))
    return re.sub(r"<[^>]+>", "", text).replace("{", "｛").replace("}", "｝")


def _hover(template: str | None, point: dict[str, Any], trace: dict[str, Any]) -> str:
    """Plotly's hovertemplate filled in for one point, as HTML for ECharts' tooltip (values escaped)."""
    name = str(trace.get("name") or "")
    if not template:
        x, y = point.get("x"), point.get("y")
        lines = [name] if name else []
        lines.append(f"{x}：{_number_format(y, ',.2f')}" if x is not None else _number_format(y, ",.2f"))
        return _safe_template("<br>".join(html.escape(line) for line in lines))
    main, _, extra = template.partition("<extra>")
    extra = extra.removesuffix("</extra>")

    def fill(match: re.Match[str]) -> str:
        key, spec = match.group(1).strip(), match.group(2)
        if key == "fullData.name":
            value: Any = name
        elif key.startswith("customdata"):
            value = point.get("customdata")
            index = re.search(r"\[(\d+)\]", key)
            if index is not None and isinstance(value, list):
                position = int(index.group(1))
                value = value[position] if position < len(value) else None
        else:
            value = point.get(key)
        if isinstance(value, list):
            value = " ".join(str(v) for v in value)
        text = _number_format(value, spec)
        # customdata of the coverage matrix carries our own <br>-joined lines; every other value is escaped.
        return "<br>".join(html.escape(part) for part in re.split(r"<br\s*/?>", text))

    body = _PLACEHOLDER.sub(fill, main)
    side = _PLACEHOLDER.sub(fill, extra) if extra else ""
    return _safe_template(f"<b>{side}</b><br>{body}" if side else body)


# --- the translation ------------------------------------------------------------------------------


class _Translation:
    """One figure dict as an ECharts option, with each series' data items mapped back to Plotly points."""

    def __init__(self, fig: dict[str, Any]) -> None:
        self.layout: dict[str, Any] = fig.get("layout") or {}
        self.traces: list[dict[str, Any]] = list(fig.get("data") or [])
        self.points: list[list[dict[str, Any] | None]] = []
        self.series: list[dict[str, Any]] = []
        self._arrays: dict[int, tuple[list[Any], Any]] = {}
        self._heat: tuple[list[str], list[str], float] | None = None  # a heatmap's x, y and largest value
        self.option = self._build()

    # The axes ------------------------------------------------------------------------------------

    def _axis_layout(self, letter: str) -> dict[str, Any]:
        return self.layout.get(f"{letter}axis") or {}

    def _horizontal(self) -> bool:
        bars = [t for t in self.traces if t.get("type") == "bar"]
        return bool(bars) and all(t.get("orientation") == "h" for t in bars)

    def _category_letter(self) -> str | None:
        """Which axis ("x" or "y") holds categories, or None when both hold numbers."""
        if self._horizontal():
            return "y"
        for trace in self.traces:
            if trace.get("type") in {"bar", "box", "heatmap"}:
                return "x"
        xaxis = self._axis_layout("x")
        if xaxis.get("type") == "category" or xaxis.get("dtick") == 1:
            return "x"
        xs = [v for t in self.traces for v in _values(t.get("x"))]
        return "x" if any(isinstance(v, str) for v in xs) else None

    @staticmethod
    def _category(value: Any) -> str:
        if isinstance(value, list):  # a two-level axis: [outer, inner]
            return " ".join(str(v) for v in value)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    def _categories(self, letter: str) -> list[str]:
        axis = self._axis_layout(letter)
        if axis.get("categoryorder") == "array" and axis.get("categoryarray") is not None:
            return [self._category(v) for v in _values(axis["categoryarray"])]
        seen: dict[str, None] = {}
        for trace in self.traces:
            for value in self._coordinates(trace, letter):
                if value is not None:
                    seen.setdefault(self._category(value), None)
        keys = list(seen)
        if all(re.fullmatch(r"-?\d+", k) for k in keys) and self._axis_layout(letter).get("dtick") == 1:
            keys.sort(key=int)
        return keys

    def _coordinates(self, trace: dict[str, Any], letter: str) -> list[Any]:
        values = trace.get(letter)
        if isinstance(values, list) and len(values) == 2 and all(isinstance(v, (list, tuple)) for v in values):
            return [list(pair) for pair in zip(values[0], values[1], strict=False)]  # two-level axis
        if hasattr(values, "shape") and len(getattr(values, "shape", ())) == 2:
            return [list(pair) for pair in zip(*values.tolist(), strict=False)]
        return _values(values)

    def _value_axis(self, letter: str) -> dict[str, Any]:
        layout = self._axis_layout(letter)
        axis: dict[str, Any] = {"type": "value"}
        value_range = layout.get("range")
        if value_range and layout.get("autorange") != "reversed":
            axis["min"], axis["max"] = value_range
        elif layout.get("rangemode") != "tozero":
            axis["scale"] = any(
                t.get("type") == "box" or (t.get("type") == "scatter" and t.get("mode") == "markers")
                for t in self.traces
            )
        if value_range and any(float(v) != round(float(v), -1) for v in value_range):
            axis["axisLabel"] = {"showMinLabel": False, "showMaxLabel": False}  # 78.72 is a margin, not a tick
        if layout.get("autorange") == "reversed":
            axis["inverse"] = True
        return axis

    def _axis(self, letter: str, categories: list[str] | None) -> dict[str, Any]:
        layout = self._axis_layout(letter)
        if categories is not None:
            axis: dict[str, Any] = {"type": "category", "data": categories}
            if layout.get("autorange") == "reversed":
                axis["inverse"] = True
            if letter == "x" and sum(text_width(c, LABEL_SIZE) + 12 for c in categories) > PLOT_WIDTH:
                axis["axisLabel"] = {"rotate": 45, "interval": 0 if len(categories) <= 12 else "auto"}
            elif letter == "y":
                axis["axisLabel"] = {"interval": 0 if len(categories) <= 60 else "auto"}
        else:
            axis = self._value_axis(letter)
        title = (layout.get("title") or {}).get("text") if isinstance(layout.get("title"), dict) else None
        if title and letter == "y":  # above the axis, read left to right
            axis.update(name=_plain_label(title), nameLocation="end", nameTextStyle={"align": "left"}, nameGap=12)
        elif title:
            turned = (axis.get("axisLabel") or {}).get("rotate")
            longest = max((text_width(c, LABEL_SIZE) for c in categories or []), default=0)
            label_depth = int(longest * 0.71) + 14 if turned else 20  # sin 45° of a turned label, or one line
            axis.update(name=_plain_label(title), nameLocation="middle", nameGap=label_depth + 8)
        return axis

    # The series ----------------------------------------------------------------------------------

    def _point_arrays(self, trace: dict[str, Any]) -> tuple[list[Any], list[Any]]:
        """The trace's customdata rows and texts as lists, converted once per trace (not once per point)."""
        key = id(trace)
        if key not in self._arrays:
            custom = _values(trace.get("customdata")) if trace.get("customdata") is not None else []
            texts = trace.get("text")
            text_list = _values(texts) if isinstance(texts, (list, tuple)) or hasattr(texts, "tolist") else texts
            self._arrays[key] = (custom, text_list)
        return self._arrays[key]

    def _point(self, trace: dict[str, Any], i: int, **fields: Any) -> dict[str, Any]:
        point = {"curveNumber": len(self.points), "pointNumber": i, "pointIndex": i, **fields}
        custom, texts = self._point_arrays(trace)
        if i < len(custom):
            point["customdata"] = custom[i]
        text = (texts[i] if i < len(texts) else None) if isinstance(texts, list) else texts
        if text is not None:
            point["text"] = str(text)
        if trace.get("legendgroup") or trace.get("name"):
            point["legendgroup"] = str(trace.get("legendgroup") or trace.get("name"))
        return point

    def _bar(self, trace: dict[str, Any], horizontal: bool) -> None:
        xs, ys = self._coordinates(trace, "x"), self._coordinates(trace, "y")
        n = max(len(xs), len(ys))
        colors = _per_point((trace.get("marker") or {}).get("color"), n)
        stacked = self.layout.get("barmode") in {"stack", "relative"}
        position = "inside" if stacked else ("right" if horizontal else "top")
        data, points = [], []
        for i in range(n):
            x, y = xs[i] if i < len(xs) else None, ys[i] if i < len(ys) else None
            point = self._point(trace, i, x=x, y=y)
            value = [x, self._category(y)] if horizontal else [self._category(x), y]
            item: dict[str, Any] = {
                "value": value,
                "tooltip": {"formatter": _hover(trace.get("hovertemplate"), point, trace)},
            }
            if isinstance((trace.get("marker") or {}).get("color"), list):
                item["itemStyle"] = {"color": colors[i]}
            if "text" in point:
                item["label"] = {"show": True, "position": position, "formatter": _plain_label(point["text"])}
            data.append(item)
            points.append(point)
        series: dict[str, Any] = {"type": "bar", "data": data, "labelLayout": {"hideOverlap": True}, "barMaxWidth": 64}
        if stacked:
            series["stack"] = "total"
        self._add(trace, series, points)

    def _scatter(self, trace: dict[str, Any], categories: list[str] | None) -> None:
        xs, ys = self._coordinates(trace, "x"), self._coordinates(trace, "y")
        n = max(len(xs), len(ys))
        mode = str(trace.get("mode") or "lines+markers")
        marker = trace.get("marker") or {}
        color = marker.get("color") if isinstance(marker.get("color"), str) else None
        symbols = _per_point(marker.get("symbol"), n)
        labelled = "text" in mode
        hover = trace.get("hoverinfo") != "skip"
        data, points = [], []
        for i in range(n):
            x, y = xs[i] if i < len(xs) else None, ys[i] if i < len(ys) else None
            point = self._point(trace, i, x=x, y=y)
            item: dict[str, Any] = {"value": [self._category(x) if categories is not None else x, y]}
            if hover:
                item["tooltip"] = {"formatter": _hover(trace.get("hovertemplate"), point, trace)}
            if isinstance(symbols[i], str) and symbols[i].endswith("-open"):
                item["itemStyle"] = {"color": "#ffffff", "borderColor": color, "borderWidth": 2}
            if labelled and "text" in point:
                item["label"] = {"show": True, "position": "top", "formatter": _plain_label(point["text"])}
            data.append(item)
            points.append(point)
        lines = "lines" in mode
        series: dict[str, Any] = {"type": "line" if lines else "scatter", "data": data}
        if "markers" in mode:
            series["symbol"] = "circle"
            series["symbolSize"] = marker.get("size") or 6
            if lines:
                series["showSymbol"] = True
        else:
            series["symbolSize"] = 0
            series["silent"] = not hover
        if marker.get("opacity") is not None:
            series.setdefault("itemStyle", {})["opacity"] = marker["opacity"]
        border = marker.get("line") or {}
        if border.get("width") and "markers" in mode and not lines:
            series.setdefault("itemStyle", {}).update(borderColor=border.get("color"), borderWidth=border["width"])
        if lines and color:
            series["lineStyle"] = {"color": color, "width": (trace.get("line") or {}).get("width") or 2}
        self._add(trace, series, points)

    def _box(self, trace: dict[str, Any], categories: list[str]) -> None:
        xs = [self._category(x) for x in self._coordinates(trace, "x")]
        parts = [_values(trace.get(k)) for k in ("lowerfence", "q1", "median", "q3", "upperfence")]
        by_category = {x: i for i, x in enumerate(xs)}
        data: list[Any] = []
        points: list[dict[str, Any] | None] = []
        for category in categories:
            i = by_category.get(category)
            if i is None:
                data.append("-")
                points.append(None)
                continue
            point = self._point(trace, i, x=xs[i])
            data.append(
                {
                    "value": [p[i] if i < len(p) else None for p in parts],
                    "tooltip": {"formatter": _hover(trace.get("hovertemplate"), point, trace)},
                }
            )
            points.append(point)
        color = (trace.get("marker") or {}).get("color")
        series: dict[str, Any] = {
            "type": "boxplot",
            "data": data,
            "itemStyle": {"color": "rgba(0,0,0,0)", "borderColor": color, "borderWidth": 1.5},
        }
        self._add(trace, series, points, color=None)

    def _heatmap(self, trace: dict[str, Any]) -> None:
        xs = [self._category(v) for v in _values(trace.get("x"))]
        ys = [self._category(v) for v in _values(trace.get("y"))]
        zs = _values(trace.get("z"))
        custom = _values(trace.get("customdata"))
        data, points, top = [], [], 0.0
        for j, row in enumerate(zs):
            for i, z in enumerate(row if isinstance(row, list) else [row]):
                point = {"curveNumber": len(self.points), "pointNumber": [j, i], "x": xs[i], "y": ys[j], "z": z}
                if j < len(custom) and isinstance(custom[j], list) and i < len(custom[j]):
                    point["customdata"] = custom[j][i]
                data.append(
                    {"value": [i, j, z], "tooltip": {"formatter": _hover(trace.get("hovertemplate"), point, trace)}}
                )
                points.append(point)
                top = max(top, float(z or 0))
        self._heat = (xs, ys, max(top, 1.0))
        series = {"type": "heatmap", "data": data, "label": {"show": True}, "itemStyle": {"borderColor": "#ffffff"}}
        self._add(trace, series, points, color=None)

    def _treemap(self, trace: dict[str, Any]) -> None:
        ids = [str(v) for v in _values(trace.get("ids"))]
        labels = [str(v) for v in _values(trace.get("labels"))]
        parents = [str(v or "") for v in _values(trace.get("parents"))]
        own = [float(v or 0) for v in _values(trace.get("values"))]
        colors = _per_point((trace.get("marker") or {}).get("colors"), len(ids))
        nodes: dict[str, dict[str, Any]] = {}
        points: list[dict[str, Any] | None] = []
        for i, node_id in enumerate(ids):
            point = self._point(trace, i, id=node_id, label=labels[i], parent=parents[i])
            template = str(trace.get("texttemplate") or "%{label}")
            nodes[node_id] = {
                "name": labels[i],
                "value": own[i],
                "label": {"formatter": _plain_label(_hover(template, point, trace))},
                "tooltip": {"formatter": _hover(trace.get("hovertemplate"), point, trace)},
                "itemStyle": {"color": colors[i]} if colors[i] else {},
                "children": [],
            }
            points.append(point)
        roots = []
        for node_id, parent in zip(ids, parents, strict=False):
            (nodes[parent]["children"] if parent in nodes else roots).append(nodes[node_id])

        def total(node: dict[str, Any]) -> float:  # a box covers its own value and its children's
            node["value"] = node["value"] + sum(total(child) for child in node["children"])
            if not node["children"]:
                del node["children"]
            return node["value"]

        for root in roots:
            total(root)
        series = {
            "type": "treemap",
            "name": "全部",
            "data": roots,
            "roam": False,
            "leafDepth": TREEMAP_LEVELS,
            "nodeClick": "zoomToNode",
            "breadcrumb": {"show": True, "bottom": 4},
            "label": {"show": True},
            "upperLabel": {"show": True, "height": 22},
            "levels": [{"itemStyle": {"borderWidth": 2, "gapWidth": 2, "borderColor": "#ffffff"}}],
            "bottom": 36,
            "left": 8,
            "right": 8,
        }
        self._add(trace, series, points, color=None)

    def _add(self, trace: dict[str, Any], series: dict[str, Any], points: list[Any], color: Any = "marker") -> None:
        series["name"] = str(trace.get("name") or series.get("name") or "")
        marker_color = (trace.get("marker") or {}).get("color")
        if color == "marker" and isinstance(marker_color, str):
            series.setdefault("itemStyle", {})["color"] = marker_color
        if series["type"] != "treemap" and not series.get("silent"):
            series["selectedMode"] = "single"  # a click selects one item: Streamlit reports it
        self.series.append(series)
        self.points.append(points)

    # Shapes and notes over the plot --------------------------------------------------------------

    def _marks(self) -> None:
        """Rectangles and lines (bands, the 100 % line, the shaded corner) as ECharts mark areas and lines on
        the first series; a note placed at a shape's edge becomes its label."""
        shapes = list(self.layout.get("shapes") or [])
        notes = list(self.layout.get("annotations") or [])
        if not shapes or not self.series:
            return
        first = self.series[0]

        def across(ref: str | None) -> bool:  # Plotly's default reference is the axis
            return ref == "paper" or str(ref).endswith("domain")

        def note_at(x: Any, y: Any, x_free: bool, y_free: bool) -> str | None:
            for note in notes:
                if (x_free or note.get("x") == x) and (y_free or note.get("y") == y):
                    return _plain_label(note.get("text") or "")
            return None

        areas, lines = [], []
        for shape in shapes:
            free_x, free_y = across(shape.get("xref")), across(shape.get("yref"))
            style = {"color": shape.get("fillcolor"), "opacity": shape.get("opacity", 1)}
            if shape.get("type") == "rect":
                start: dict[str, Any] = {"itemStyle": style}
                end: dict[str, Any] = {}
                if not free_y:
                    start["yAxis"], end["yAxis"] = shape.get("y0"), shape.get("y1")
                if not free_x:
                    start["xAxis"], end["xAxis"] = shape.get("x0"), shape.get("x1")
                label = note_at(shape.get("x1"), shape.get("y0"), free_x, free_y) if not free_x else None
                if label:
                    start["label"] = {"show": True, "position": "insideBottomRight", "formatter": label}
                areas.append([start, end])
            elif shape.get("type") == "line":
                line_style = shape.get("line") or {}
                mark: dict[str, Any] = {
                    "lineStyle": {
                        "type": "dotted" if line_style.get("dash") else "solid",
                        "color": line_style.get("color"),
                    }
                }
                if free_x:
                    mark["yAxis"] = shape.get("y0")
                    label = note_at(None, shape.get("y0"), True, False)
                else:
                    mark["xAxis"] = shape.get("x0")
                    label = note_at(shape.get("x0"), None, False, True)
                mark["label"] = {"show": bool(label), "formatter": label or "", "position": "insideStartTop"}
                lines.append(mark)
        if areas:
            first["markArea"] = {"silent": True, "data": areas}
        if lines:
            first["markLine"] = {"silent": True, "symbol": "none", "data": lines}

    # The whole option ----------------------------------------------------------------------------

    def _titles(self) -> tuple[str, str]:
        title = self.layout.get("title")
        text = (title.get("text") if isinstance(title, dict) else title) or ""
        main, _, rest = str(text).partition("<br>")
        return _plain_label(main), _plain_label(rest)

    def _legend_names(self) -> list[str]:
        shown = self.layout.get("showlegend")
        named = [
            s["name"]
            for s, t in zip(self.series, self.traces, strict=False)
            if s["name"] and t.get("showlegend") is not False and s["type"] not in {"heatmap", "treemap"}
        ]
        if shown is False or (shown is None and len(named) < 2):
            return []
        return named

    @staticmethod
    def _top(subtitle: str, legend: bool) -> int:
        """Where the plot may start: below the title, the subtitle's lines and the legend (pixels)."""
        top = TITLE_TOP + 26 + (SUBTITLE_LINE * (1 + len(subtitle) // 70) if subtitle else 0)
        return top + (LEGEND_HEIGHT if legend else 0) + 8

    def _build(self) -> dict[str, Any]:
        horizontal = self._horizontal()
        letter = self._category_letter()
        categories = self._categories(letter) if letter else None
        tree = any(t.get("type") == "treemap" for t in self.traces)
        for trace in self.traces:
            kind = trace.get("type", "scatter")
            if kind == "bar":
                self._bar(trace, horizontal)
            elif kind == "scatter":
                self._scatter(trace, categories if letter == "x" else None)
            elif kind == "box":
                self._box(trace, categories or [])
            elif kind == "heatmap":
                self._heatmap(trace)
            elif kind == "treemap":
                self._treemap(trace)
        main, subtitle = self._titles()
        out: dict[str, Any] = {
            "animation": False,
            "title": {
                "text": main,
                "subtext": subtitle,
                "left": 8,
                "top": TITLE_TOP,
                "textStyle": {"fontSize": 16},
                "subtextStyle": {"width": 760, "overflow": "break", "lineHeight": SUBTITLE_LINE},
            },
            "tooltip": {"trigger": "item", "confine": True},
            "series": self.series,
        }
        legend = self._legend_names()
        top = self._top(subtitle, bool(legend))
        if legend:
            out["legend"] = {"type": "scroll", "data": legend, "top": top - LEGEND_HEIGHT - 4, "left": 8}
        if tree:
            for series in self.series:
                series["top"] = top
            return out
        if self._heat is not None:
            xs, ys, largest = self._heat
            out["xAxis"] = self._axis("x", xs)
            out["yAxis"] = self._axis("y", ys)
            out["visualMap"] = {"show": False, "min": 0, "max": largest, "inRange": {"color": HEATMAP_COLORS}}
        elif letter == "y":
            out["xAxis"], out["yAxis"] = self._axis("x", None), self._axis("y", categories)
        else:
            out["xAxis"], out["yAxis"] = self._axis("x", categories), self._axis("y", None)
        out["grid"] = {"top": top + 8, "left": 16, "right": 32, "bottom": 16, "containLabel": True}
        if out["xAxis"].get("name"):
            out["grid"]["bottom"] = 24
        if out["yAxis"].get("name"):
            out["grid"]["top"] += 24
        if (out["xAxis"].get("axisLabel") or {}).get("rotate"):
            out["grid"]["left"] = 48  # the first turned label reaches left of the axis
        self._marks()
        return out
