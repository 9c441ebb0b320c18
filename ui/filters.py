"""Sidebar filters shared by every page, kept in the session and always in the URL, so a link reproduces the view.

Cascade: province → prefecture → county → department → fiscal-year range → document type → scope (部门/单位);
the basis (决算/预算) is a shared filter too, shown by the pages that have one (`basis_filter`).

Streamlit's sidebar navigation links drop the query string. The session therefore keeps the state
(`st.session_state[STATE_KEY]`), and every page run writes it back into the URL (`sync_url`, also called by
app.py before a page runs). A URL that differs from what was last written came from outside (a deep link, a
click-through, an edited address) and replaces the state; a URL without any filter right after one with
filters is a navigation link, and the session's state stands.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from fiscallens import screen_charts, settings
from fiscallens.labels import DOC_TYPE_LABELS
from ui import timing
from ui.data import named

ALL = "全部"
SCOPE_LABELS = {"department": "部门", "unit": "单位", "project": "项目"}
BASIS_LABELS = {"actual": "决算", "budget": "预算"}
DEFAULT_BASIS = "actual"
# URL keys of the filters, in the order of the cascade (a change at one level clears the levels below it).
URL_KEYS = ("province", "prefecture", "county", "department", "year_from", "year_to", "doc_type", "scope", "basis")
_REGION_LEVELS = ("province", "prefecture", "county", "department")
STATE_KEY = "_filters"  # the session's filter state: {url key: value as in the URL}
WRITTEN_KEY = "_filters_written"  # what this session last wrote into the URL
CLICKS_KEY = "_filters_clicks"  # the chart selections already followed, per chart
_CHART_GENERATION_KEY = "_filters_chart_generation"  # per chart: how many clicks it has followed
SCREEN_OPTION = "_screen_option"  # a figure's ECharts option, attached by with_screen_option
REPORT_PAGE = "pages/report_explorer.py"
REPORT_ID = re.compile(r"R[0-9a-f]{12}(?:-v[0-9]+)?")
YEAR = re.compile(r"(?:19|20)[0-9]{2}")


@dataclass(frozen=True)
class Selection:
    """The filters in force.

    Fields: province, prefecture, department (names as in the warehouse), year_from/year_to (fiscal years),
    doc_type (a reports.doc_type code), county (县级行政区), scope (None = each disclosure once, as the
    dashboards count; 'department' / 'unit' = the reports of that scope, unit reports included), basis
    ('actual' 决算 / 'budget' 预算, for the pages and queries that take a `$basis`; not in `as_params`).
    """

    province: str | None = None
    prefecture: str | None = None
    department: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    doc_type: str | None = None
    county: str | None = None
    scope: str | None = None
    basis: str = DEFAULT_BASIS

    def as_params(self) -> dict[str, object]:
        """The parameters of every named query that takes the filter (queries calling selected_* or
        matching_reports take all eight; `basis` is passed on its own where a query has one)."""
        return {
            "province": self.province,
            "prefecture": self.prefecture,
            "department": self.department,
            "year_from": self.year_from,
            "year_to": self.year_to,
            "doc_type": self.doc_type,
            "county": self.county,
            "scope": self.scope,
        }

    def as_query(self) -> dict[str, str]:
        """The URL query parameters of this selection (only the filters that are set)."""
        values = {key: getattr(self, key) for key in URL_KEYS}
        if values["basis"] == DEFAULT_BASIS:
            values["basis"] = None
        return {key: str(value) for key, value in values.items() if value is not None}

    def narrowed(self, **changes: Any) -> Selection:
        """This selection with some filters set; a region level set clears the levels below it."""
        for level, key in enumerate(_REGION_LEVELS):
            if key in changes:
                for lower in _REGION_LEVELS[level + 1 :]:
                    changes.setdefault(lower, None)
        return replace(self, **changes)

    def describe(self) -> str:
        """The active filters in words, for chart subtitles and briefings."""
        place = self.department or self.county or self.prefecture or self.province or "全部地区"
        if self.year_from and self.year_to:
            years = f"{self.year_from}–{self.year_to} 年" if self.year_from != self.year_to else f"{self.year_from} 年"
        elif self.year_from:
            years = f"{self.year_from} 年起"
        else:
            years = "全部年度"
        kind = DOC_TYPE_LABELS.get(self.doc_type, "全部类型") if self.doc_type else "全部类型"
        scope = f" · {SCOPE_LABELS[self.scope]}报告" if self.scope in SCOPE_LABELS else ""
        return f"{place} · {years} · {kind}{scope}"


def _url_filters() -> dict[str, str]:
    return {key: st.query_params[key] for key in URL_KEYS if key in st.query_params}


def _write_url(state: dict[str, str]) -> None:
    for key in URL_KEYS:
        if key in state:
            if st.query_params.get(key) != state[key]:
                st.query_params[key] = state[key]
        elif key in st.query_params:
            del st.query_params[key]
    st.session_state[WRITTEN_KEY] = dict(state)


def sync_url() -> None:
    """Reconcile the session's filter state with the URL and write it into the URL (every page run).

    A URL that came from outside replaces the state."""
    written = st.session_state.get(WRITTEN_KEY)
    url = _url_filters()
    if url != written and (bool(url) or written is None):
        st.session_state[STATE_KEY] = url
    _write_url(st.session_state.setdefault(STATE_KEY, {}))


def _from_widget(key: str, widget: str) -> None:
    """on_change of a filter widget: the person's choice becomes the session's state (before the run)."""
    value = st.session_state.get(widget)
    _set(key, None if value == ALL else value)


def _set(key: str, value: object) -> None:
    state = st.session_state.setdefault(STATE_KEY, {})
    if value is None:
        state.pop(key, None)
    else:
        state[key] = str(value)


def _choice(
    label: str,
    options: list[str],
    key: str,
    help: str | None = None,
    labels: dict | None = None,
) -> str | None:
    """A selectbox whose value is the session's filter `key` (全部 = not set)."""
    widget = f"filter_{key}"
    choices = [ALL, *options]
    wanted = st.session_state.get(STATE_KEY, {}).get(key, ALL)
    # The widget always shows the state: a widget of the same key on another page is another widget to
    # Streamlit, and a person's change reached the state through on_change before this run. A value no
    # longer offered (a level above changed) falls back to 全部.
    st.session_state[widget] = wanted if wanted in choices else ALL
    value = st.sidebar.selectbox(
        label,
        choices,
        key=widget,
        on_change=_from_widget,
        args=(key, widget),
        help=help,
        format_func=(lambda v: labels.get(v, v)) if labels else str,
    )
    chosen = None if value == ALL else value
    _set(key, chosen)
    return chosen


def _long_list(values: list[str], key: str, label: str, narrow_by: str) -> list[str]:
    """`values`, or, when there are too many to offer, only the one already chosen (a link or a click)."""
    if len(values) <= settings.FILTER_CHOICES_LIMIT:
        return values
    st.sidebar.caption(f"{label}：共 {len(values):,} 个，请先选择{narrow_by}，再按{label}筛选。")
    chosen = st.session_state.get(STATE_KEY, {}).get(key)
    return [chosen] if chosen in values else []


def matching_choices(values: list[str], typed: str, current: str) -> list[str]:
    """What a long list offers: the values containing `typed` (every value when none is typed), at most
    settings.FILTER_CHOICES_LIMIT of them, with `current` (one of `values`) kept first when left out."""
    needle = typed.strip().casefold()
    found = [v for v in values if needle in v.casefold()][: settings.FILTER_CHOICES_LIMIT]
    return found if current in found else [current, *found]


def _values(frame: pd.DataFrame, column: str) -> list[str]:
    return sorted(frame[column].dropna().unique().tolist())


def sidebar_filters() -> Selection:
    """The cascading filters; each level only offers what the levels above leave."""
    sync_url()
    options = named("filter_options")
    st.sidebar.header("筛选")
    province = _choice("省份", _values(options, "province"), "province")
    scoped = options if province is None else options[options["province"] == province]
    prefecture = _choice("市州", _values(scoped, "prefecture"), "prefecture")
    if prefecture is not None:
        scoped = scoped[scoped["prefecture"] == prefecture]
    counties = _long_list(_values(scoped, "county"), "county", "区县", "省份或市州")
    # Shown where the warehouse knows counties here (a list of only 全部 says nothing).
    county = _choice("区县", counties, "county") if counties or "county" in st.session_state[STATE_KEY] else None
    if county is not None:
        scoped = scoped[scoped["county"] == county]
    departments = _long_list(_values(scoped, "department"), "department", "部门（单位）", "省份、市州或区县")
    department = None
    if departments:
        department = _choice("部门（单位）", departments, "department")
    else:  # nothing to offer here: a department chosen elsewhere does not apply
        _set("department", None)
    if department is not None:
        scoped = scoped[scoped["department"] == department]
    year_from, year_to = _year_range(scoped)
    if year_from is not None:
        scoped = scoped[(scoped["fiscal_year"] >= year_from) & (scoped["fiscal_year"] <= year_to)]
    doc_type = _choice("文档类型", _values(scoped, "doc_type"), "doc_type", labels=DOC_TYPE_LABELS)
    if doc_type is not None:
        scoped = scoped[scoped["doc_type"] == doc_type]
    present = set(_values(scoped, "scope"))  # unique() first: iterating 30,000 rows in Python took 40 ms
    scopes = [s for s in SCOPE_LABELS if s in present]
    scope = _choice(
        "口径范围",
        scopes,
        "scope",
        help="全部：部门与单位报告并存时只计部门报告（部门预决算已包含所属单位，避免重复相加）；选“单位”则只看单位报告",
        labels=SCOPE_LABELS,
    )
    basis = st.session_state[STATE_KEY].get("basis", DEFAULT_BASIS)
    _write_url(st.session_state[STATE_KEY])
    return Selection(province, prefecture, department, year_from, year_to, doc_type, county, scope, _known_basis(basis))


def _known_basis(value: str | None) -> str:
    return value if value in BASIS_LABELS else DEFAULT_BASIS


def basis_filter() -> str:
    """The shared 决算/预算 switch in the sidebar (pages that have a basis); returns its label (决算/预算).

    It is kept with the other filters in the session and the URL (`basis`), so every page with a basis
    opens on the one chosen last."""
    sync_url()
    widget = "filter_basis"
    wanted = BASIS_LABELS[_known_basis(st.session_state[STATE_KEY].get("basis"))]
    st.session_state[widget] = wanted
    label = st.sidebar.radio(
        "口径", list(BASIS_LABELS.values()), horizontal=True, key=widget, on_change=_basis_from_widget
    )
    code = next(code for code, text in BASIS_LABELS.items() if text == label)
    _set("basis", None if code == DEFAULT_BASIS else code)
    _write_url(st.session_state[STATE_KEY])
    return label


def _basis_from_widget() -> None:
    code = next(code for code, text in BASIS_LABELS.items() if text == st.session_state.get("filter_basis"))
    _set("basis", None if code == DEFAULT_BASIS else code)


def _years_from_widget(low: int, high: int) -> None:
    year_from, year_to = st.session_state["filter_years"]
    _set("year_from", None if year_from == low else year_from)
    _set("year_to", None if year_to == high else year_to)


def _year_range(scoped: pd.DataFrame) -> tuple[int | None, int | None]:
    years = sorted(int(y) for y in scoped["fiscal_year"].dropna().unique())
    if not years:
        return None, None
    low, high = years[0], years[-1]
    state = st.session_state.get(STATE_KEY, {})
    wanted = (_int(state.get("year_from"), low), _int(state.get("year_to"), high))
    wanted = (min(max(wanted[0], low), high), max(min(wanted[1], high), low))
    if low < high:
        st.session_state["filter_years"] = wanted
        year_from, year_to = st.sidebar.slider(
            "年度",
            min_value=low,
            max_value=high,
            key="filter_years",
            on_change=_years_from_widget,
            args=(low, high),
            help="资金所属年度（不是发布年份）",
        )
    else:
        year_from = year_to = low
        st.sidebar.caption(f"年度：{low}")
    # The full range is the default: not written into the URL.
    _set("year_from", None if year_from == low else year_from)
    _set("year_to", None if year_to == high else year_to)
    return year_from, year_to


def _int(value: object, default: int) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


def apply(selection: Selection) -> None:
    """Make `selection` the filters of this session and rerun: the sidebar and the URL follow."""
    query = selection.as_query()
    st.session_state[STATE_KEY] = dict(query)
    st.session_state[WRITTEN_KEY] = None  # the next run takes the URL as coming from outside
    for key in URL_KEYS:
        if key in query:
            st.query_params[key] = query[key]
        elif key in st.query_params:
            del st.query_params[key]
    st.rerun()


def report_query(report_id: str, selection: Selection) -> dict[str, str]:
    """Query parameters of 报告详情 for one report, the filters kept."""
    return {**selection.as_query(), "report": report_id}


def open_report(report_id: str, selection: Selection) -> None:
    """Open 报告详情 of one report, the filters kept in its URL."""
    st.switch_page(REPORT_PAGE, query_params=report_query(report_id, selection))


def page_url(url_path: str, selection: Selection, **extra: str) -> str:
    """A relative link to another page of the app (its url_path in app.py) that keeps the filters."""
    query = urlencode({**selection.as_query(), **extra})
    return f"/{url_path}" + (f"?{query}" if query else "")


def _texts(value: object) -> list[str]:
    if isinstance(value, list | tuple):
        return [text for item in value for text in _texts(item)]
    return [] if value is None else [str(value)]


def click_target(
    point: dict[str, Any], options: pd.DataFrame, selection: Selection | None = None
) -> tuple[str | None, dict[str, Any]]:
    """What a clicked chart point stands for: (a report id to open, or None; the filters it narrows to).

    A report id in the point's customdata opens that report. Otherwise the point's category values
    (customdata, x, y, a treemap's label, a map's location or text, its series) narrow the filters: a year
    to that year, a region name (or a chart's short label of a region) to that region, a department name
    to that department. A chart that wants a click to do something puts these in its points. A name that
    several regions share (普陀区 of 上海 and of 舟山) is read as the one inside `selection`, if any."""
    keys = ("x", "y", "label", "location", "hovertext", "text", "legendgroup")
    # A number on an axis may be an amount or a count that happens to look like a year (2,023 reports):
    # only the chart's own click data and category labels (text) are read as years, regions or departments.
    labels = [point.get(key) for key in keys if isinstance(point.get(key), str)]
    texts = _texts([point.get("customdata"), *labels])
    for text in texts:
        if REPORT_ID.fullmatch(text):
            return text, {}
    changes: dict[str, Any] = {}
    for text in texts:
        number = text.removesuffix(".0").removesuffix("年").strip()
        if YEAR.fullmatch(number) and "year_from" not in changes and int(number) in set(options["fiscal_year"]):
            changes["year_from"] = changes["year_to"] = int(number)
        elif "province" not in changes and "department" not in changes:
            changes.update(_region_of(text, options, selection))
    return None, changes


def _region_of(text: str, options: pd.DataFrame, selection: Selection | None = None) -> dict[str, Any]:
    """The filters naming the region or department `text` (full name or chart label), or {}."""
    for level, column in ((0, "province"), (1, "prefecture"), (2, "county")):
        rows = _inside(options[options[column] == text], selection)
        if not rows.empty:
            row = rows.iloc[0]
            return {key: row[key] for key in ("province", "prefecture", "county")[: level + 1]}
    rows = options[options["region_label"] == text] if "region_label" in options else options.iloc[:0]
    rows = _inside(rows, selection)
    if not rows.empty:
        row = rows.iloc[0]
        finest = "county" if pd.notna(row["county"]) else "prefecture"
        keys = ("province", "prefecture", "county") if finest == "county" else ("province", "prefecture")
        return {key: (row[key] if pd.notna(row[key]) else None) for key in keys}
    rows = options[options["department"] == text]
    if not rows.empty:
        return {"department": text}
    return {}


def _inside(rows: pd.DataFrame, selection: Selection | None) -> pd.DataFrame:
    """Of the rows naming one region, those inside the selection's department, prefecture or province
    (the narrowest that has any): a chart below a chosen prefecture labels its counties by name alone,
    and 普陀区 or 鼓楼区 then means the one there, not the first in the warehouse. Else all rows."""
    if selection is None or rows.empty:
        return rows
    for key in ("department", "prefecture", "province"):
        value = getattr(selection, key)
        if value is not None:
            inside = rows[rows[key] == value]
            if not inside.empty:
                return inside
    return rows


def follow_click(
    event: Any, chart_key: str, selection: Selection, target: Callable[[dict[str, Any]], dict[str, Any]] | None = None
) -> None:
    """Follow a click on a chart drawn with `on_select="rerun"`: open the report behind the point, or
    narrow the filters to its region/year. Each selection is followed once (the chart keeps it).

    `target` (point → filter changes) replaces reading the point's texts: the map passes one that reads
    the region's adcode, since a name alone may stand for two regions."""
    points = list(getattr(getattr(event, "selection", None), "points", None) or [])
    seen = st.session_state.setdefault(CLICKS_KEY, {})
    fingerprint = json.dumps(points[:1], sort_keys=True, default=str)
    if not points or seen.get(chart_key) == fingerprint:
        if not points:
            seen.pop(chart_key, None)
        return
    seen[chart_key] = fingerprint
    _follow_point(points[0], selection, target)


def _follow_point(
    point: dict[str, Any], selection: Selection, target: Callable[[dict[str, Any]], dict[str, Any]] | None
) -> None:
    if target is not None:
        report_id, changes = None, target(point)
    else:
        report_id, changes = click_target(point, named("filter_options"), selection)
    if report_id:
        open_report(report_id, selection)
    elif changes:
        narrow_to(changes, selection)


def narrow_to(changes: dict[str, Any], selection: Selection) -> None:
    """Narrow the filters by a clicked point's changes (region, year …) and rerun; nothing when unchanged."""
    narrowed = selection.narrowed(**changes)
    if narrowed != selection:
        apply(narrowed)


def clickable_chart(
    fig: Any,
    *,
    key: str,
    selection: Selection,
    target: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    **kwargs: Any,
) -> None:
    """A chart whose points can be clicked: a click narrows the filters or opens the report (`target`: see
    follow_click). Drawn by ECharts (fiscallens.screen_charts: a quarter of Plotly's JavaScript, a fresh tab
    settles a second sooner) where the figure is made only of what it draws, else by `st.plotly_chart`."""
    option = getattr(fig, SCREEN_OPTION, None)  # made with the figure and cached with it (ui/components)
    if option is None:  # the trace types first: the map's figure is not copied for nothing
        option = screen_charts.option(fig.to_dict()) if screen_charts.drawable(fig) else False
    if option is False:
        kwargs.setdefault("width", "stretch")
        kwargs.setdefault("config", {"displaylogo": False})
        with timing.phase("send", key):  # figure JSON + queuing it for the browser (ui/timing.py, off by default)
            event = st.plotly_chart(fig, key=key, on_select="rerun", selection_mode="points", **kwargs)
        follow_click(event, key, selection, target)
        return
    # A followed click starts a new chart (a new key): ECharts keeps a selection across reruns by index,
    # and the same index of the narrowed chart is another point.
    generation = st.session_state.setdefault(_CHART_GENERATION_KEY, {}).get(key, 0)
    with timing.phase("send", key) as sent:
        if timing.ENABLED:  # what Streamlit serialises: the option as JSON
            sent["bytes"] = len(json.dumps(option, ensure_ascii=False).encode("utf-8"))
        event = st.echarts_chart(
            option,
            key=f"{key}_{generation}" if generation else key,
            # A chart with nothing to select (the treemap drills down instead) would only log a warning.
            on_select="rerun" if any("selectedMode" in s for s in option["series"]) else "ignore",
            height=int(fig.layout.height or screen_charts.DEFAULT_HEIGHT),
            renderer="svg",
        )
    point = _echarts_point(event, fig)
    if point is not None:
        st.session_state[_CHART_GENERATION_KEY][key] = generation + 1
        _follow_point(point, selection, target)


def _echarts_point(event: Any, fig: Any) -> dict[str, Any] | None:
    """The Plotly point of the first item an ECharts selection holds, or None."""
    selected = list(getattr(getattr(event, "selection", None), "selected", None) or [])
    for group in selected:
        indices = list(group.get("data_indices") or [])
        if indices:
            return screen_charts.clicked_point(fig.to_dict(), int(group.get("series_index", 0)), int(indices[0]))
    return None


def with_screen_option(fig: Any, option: dict[str, Any] | None) -> Any:
    """`fig` carrying its ECharts option (None: it is not drawable by ECharts), so that clickable_chart does
    not translate it again on every run (60 ms for the 5,000-point scatter)."""
    setattr(fig, SCREEN_OPTION, option if option is not None else False)
    return fig
