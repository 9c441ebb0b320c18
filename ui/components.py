"""Page building blocks: a chart with its title, source note, findings and data downloads."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from fiscallens import screen_charts, settings
from fiscallens.downloads import people_csv_bytes, people_xlsx_bytes, xlsx_row_cap
from fiscallens.presentation import (
    GLOSSARY,
    MISSING,
    PEOPLE_DECIMALS,
    WIDE_TEXT_COLUMNS,
    markdown_text,
    mask_frame,
    number_kind,
    page_note,
    readable_findings,
    source_note,
)
from ui import timing
from ui.data import named, named_count
from ui.filters import Selection, clickable_chart, open_report, sidebar_filters, with_screen_option
from ui.slide_mode import (
    SLIDE_CHART_CONFIG,
    apply_brief_layout,
    brief_mode,
    brief_toggle,
    exit_link,
    export_buttons,
    slide_figure,
)

# Session key of this page run's findings note: where it stands and the reports it counts (None = all).
_NOTES_SHOWN = "_findings_notes_shown"
# Told under a table whose rows open their report (the grid draws a checkbox at the left of each row).
ROW_CLICK_HINT = " · 点击某行（行首的选择框）即可打开该报告的报告详情"
# Width of a long-text column (说明, 偏差原因): wide enough to read a sentence at 1440 px.
WIDE_TEXT_WIDTH = 480
# A screen this wide or narrower is "narrow" (px): KPI values shrink instead of being cut ("202…"), labels
# may wrap, and the sidebar starts collapsed.
NARROW_SCREEN_PX = 1000
NARROW_SCREEN_CSS = """
@media (max-width: NARROW_PXpx) {
  [data-testid="stMetricValue"] { font-size: min(1.5rem, 2.6vw); }
  [data-testid="stMetricValue"] > div { overflow: visible; text-overflow: clip; white-space: normal; }
  [data-testid="stMetricLabel"] p { white-space: normal; }
}
""".replace("NARROW_PX", str(NARROW_SCREEN_PX))
# Streamlit's "auto" sidebar collapses only at or below 768 px (its md breakpoint, not configurable);
# at 800-1000 px an open sidebar leaves the KPIs too little room. On the first page of a tab this narrow
# the sidebar is collapsed once, as the person's own click would; the click's remembered state
# (localStorage stSidebarCollapsed-*) is then forgotten so that a wider window opens it again, and a
# person's own earlier choice (that key already set) is respected.
COLLAPSE_SIDEBAR_JS = """
<script>
(() => {
  if (window.innerWidth > NARROW_PX || window.__fiscallensSidebarChecked) return;
  window.__fiscallensSidebarChecked = true;
  const remembered = () => Object.keys(window.localStorage).filter(k => k.startsWith("stSidebarCollapsed-"));
  if (remembered().length) return;
  const collapse = (tries) => {
    const sidebar = document.querySelector('[data-testid="stSidebar"]');
    const button = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (sidebar && button && sidebar.dataset.collapsed === "false") {
      button.click();
      setTimeout(() => remembered().forEach(k => window.localStorage.removeItem(k)), 0);
    } else if (tries > 0) {
      setTimeout(() => collapse(tries - 1), 100);
    }
  };
  collapse(50);
})();
</script>
""".replace("NARROW_PX", str(NARROW_SCREEN_PX))

# Plotly's module (Streamlit's PlotlyChart chunk, 4.7 MB) takes the browser 0.8-1 s of main-thread work
# to evaluate, the first time a tab draws a chart; Streamlit imports it when the first chart arrives.
# A tab that opened on a page without charts (报告目录, 自助查询 …) imports it (the same URL, so the
# same module) once the page is done and the person has not touched it for a while, so that the next
# chart page does not wait for it. Not sooner: on 2 cores the evaluation slows the server's script
# run and the page being drawn (measured: importing it as a page opens made first visits slower).
CHART_LIBRARY_JS = """
<script>
(() => {
  if (window.__fiscallensChartLibraryWait) return;
  window.__fiscallensChartLibraryWait = true;
  let touched = Date.now();
  const touch = () => { touched = Date.now(); };
  for (const kind of ["keydown", "pointerdown", "wheel"]) window.addEventListener(kind, touch, true);
  const chunks = CHUNKS;  // [file, the test id of the element that makes Streamlit load it]
  const loaded = [];
  window.__fiscallensChartLibraries = [];  // the chunks imported here, for tests/browser/test_browser_speed.py
  const load = ([file]) => {
    const entry = document.querySelector('script[type="module"][src*="/static/js/index."]');
    if (!entry) return Promise.resolve(false);
    return import(new URL(file, entry.src).href).then(() => window.__fiscallensChartLibraries.push(file), () => false);
  };
  const wait = () => {
    const next = chunks.find((c) => !loaded.includes(c));
    if (!next) return;
    if (document.querySelector(`[data-testid="${next[1]}"]`)) { loaded.push(next); setTimeout(wait, 250); return; }
    const app = document.querySelector('[data-testid="stApp"]');
    const idle = app && app.dataset.testScriptState === "notRunning" && Date.now() - touched >= IDLE_MS;
    if (!idle) { setTimeout(wait, 250); return; }
    loaded.push(next);
    load(next).then(() => setTimeout(wait, IDLE_MS));
  };
  setTimeout(wait, IDLE_MS);
})();
</script>
"""
CHART_LIBRARY_IDLE_MS = 3000
# The chart libraries' chunks of Streamlit's frontend, in the order an idle tab loads them: ECharts (every
# chart but the map), the components' (the map's SVG, ui/svg_map.py, with the Arrow code it imports), then
# Plotly (简报模式's slides).
CHART_LIBRARY_CHUNKS = (
    ("EChartsChart", "stEChartsChart"),
    ("BidiComponent", "stBidiComponent"),
    ("PlotlyChart", "stPlotlyChart"),
)


@functools.cache
def chart_library_chunks() -> tuple[tuple[str, str], ...]:
    """(file name, element test id) of each chart library chunk this Streamlit build has."""
    folder = Path(st.__file__).parent / "static" / "static" / "js"
    found = []
    for prefix, test_id in CHART_LIBRARY_CHUNKS:
        chunks = sorted(folder.glob(f"{prefix}.*.js"))
        if len(chunks) == 1:
            found.append((chunks[0].name, test_id))
    return tuple(found)


@functools.cache
def chart_library_js() -> str:
    """The script that loads the chart libraries in an idle tab ("" if this Streamlit build has none)."""
    chunks = chart_library_chunks()
    if not chunks:
        return ""
    listed = json.dumps([list(c) for c in chunks])
    return CHART_LIBRARY_JS.replace("CHUNKS", listed).replace("IDLE_MS", str(CHART_LIBRARY_IDLE_MS))


def glossary(term: str) -> str:
    """Tooltip text for a term of the trade (执行率, 年初预算, 三公经费 …)."""
    return GLOSSARY[term]


def findings_note(selection: Selection, report_ids: list[str] | None = None) -> None:
    """One caption per page on the data-quality findings that touch the reports behind its charts.

    The same note under every chart says nothing new (issue 16): it stands under the page's first chart
    and is rewritten as later charts add their reports. With `report_ids` (a handful of reports, e.g. a
    table page) only theirs are counted; otherwise, or once the page's reports are many, the whole
    selection's, counted in SQL.
    """
    page = st.session_state.setdefault(_NOTES_SHOWN, {})
    if "slot" not in page:
        page["slot"], page["ids"] = st.empty(), set()
    if report_ids is None or page["ids"] is None:
        page["ids"] = None
    else:
        page["ids"] |= set(report_ids)
    ids = page["ids"]
    if ids is not None and len(ids) <= settings.TABLE_PAGE_ROWS:
        # Only these reports' counts, looked up in SQL (the whole selection has one row per report).
        findings = named("findings_summary", report_ids=",".join(sorted(ids)), **selection.as_params())
        scope, reports = "本页数字所在的", len(findings)
        errors, warnings = int(findings["errors"].sum()), int(findings["warnings"].sum())
    else:
        total = named("findings_overview", **selection.as_params()).iloc[0]
        scope, reports = "所选范围内的", int(total["reports"])
        errors, warnings = int(total["errors"]), int(total["warnings"])
    if errors or warnings:
        page["slot"].caption(
            f"⚠️ {scope} {reports} 份报告有 {errors} 条错误、{warnings} 条警告"
            "（如表格与文字不一致、分值合计不为 100），见 [数据质量](/data-quality)。"
        )


def table_config(frame: pd.DataFrame, column_config: dict | None = None, hidden: tuple[str, ...] = ()) -> dict:
    """Column settings every table shares: numbers with thousands separators and two decimals,
    years and line numbers plain, long text given room; `column_config` overrides per column."""
    config: dict[str, Any] = {}
    for column in frame.columns:
        kind = number_kind(frame, column)
        if kind == "plain":
            config[column] = st.column_config.NumberColumn(format="%d")
        elif kind == "count":
            config[column] = st.column_config.NumberColumn(format="localized", step=1)
        elif kind == "decimal":
            config[column] = st.column_config.NumberColumn(format="localized", step=10**-PEOPLE_DECIMALS)
        elif column in WIDE_TEXT_COLUMNS:
            config[column] = st.column_config.TextColumn(width=WIDE_TEXT_WIDTH)
    config.update({column: None for column in hidden if column in frame.columns})
    return {**config, **(column_config or {})}


@timing.timed("table")  # a no-op unless FISCALLENS_TIMING(_LOG) is set
def show_table(
    frame: pd.DataFrame, *, column_config: dict | None = None, hidden: tuple[str, ...] = ("报告标识",), **options: Any
) -> Any:
    """st.dataframe with the shared settings: no None/nan (missing is —), rule names not ids."""
    shown = readable_findings(frame)
    return st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        placeholder=MISSING,
        column_config=table_config(shown, column_config, hidden),
        **options,
    )


def paged_table(
    name: str,
    *,
    key: str,
    total: int | None = None,
    rows: int | None = None,
    column_config: dict | None = None,
    hidden: tuple[str, ...] = ("报告标识",),
    opens_reports: Selection | None = None,
    **params: object,
) -> pd.DataFrame:
    """A per-row named query shown a page at a time: LIMIT/OFFSET are bound parameters, the total is
    counted in SQL (or given), and a note says which rows are shown ("显示前 N 条，共 M 条").

    With `opens_reports` (the filters in force) and a 报告标识 column, a click on a row opens that
    report's 报告详情, the filters kept."""
    rows = rows or settings.TABLE_PAGE_ROWS
    total = named_count(name, **params) if total is None else total
    if total == 0:
        return pd.DataFrame()
    pages = max(1, -(-total // rows))
    page = 1
    if pages > 1 and not brief_mode():
        page = int(st.number_input(f"页码（共 {pages:,} 页）", 1, pages, 1, key=f"page_{key}"))
    frame = mask_frame(named(name, limit=rows, offset=(page - 1) * rows, **params))
    clickable = opens_reports is not None and "报告标识" in frame.columns and not brief_mode()
    if not clickable:
        show_table(frame, column_config=column_config, hidden=hidden)
        st.caption(page_note(len(frame), total, (page - 1) * rows))
        return frame
    event = show_table(
        frame,
        column_config=column_config,
        hidden=hidden,
        key=f"rows_{key}",
        on_select="rerun",
        selection_mode="single-row",
    )
    st.caption(page_note(len(frame), total, (page - 1) * rows) + ROW_CLICK_HINT)
    chosen = list(event.selection.rows) if event is not None else []
    if chosen and chosen[0] < len(frame):
        open_report(str(frame["报告标识"].iloc[chosen[0]]), opens_reports)
    return frame


def row_table(frame: pd.DataFrame, *, key: str, on_row: Callable[[pd.Series], None], **options: Any) -> None:
    """show_table (personal data masked, 报告标识 hidden) whose rows can be clicked: `on_row` gets the chosen
    row of `frame` itself, hidden columns included, and opens its report or narrows the filters."""
    event = show_table(mask_frame(frame), key=key, on_select="rerun", selection_mode="single-row", **options)
    chosen = list(event.selection.rows) if event is not None else []
    if chosen and chosen[0] < len(frame):
        on_row(frame.iloc[chosen[0]])


def chart_section(
    fig: go.Figure,
    data: pd.DataFrame,
    *,
    key: str,
    selection: Selection,
    report_ids: list[str] | None = None,
    years: list[int | None] | None = None,
    reports: int | None = None,
    row_click: Callable[[pd.Series], None] | None = None,
    row_hint: str = ROW_CLICK_HINT,
) -> None:
    """Show a chart, then its source note, the findings on its numbers and the exact table behind it.

    In 简报模式 only the chart is shown, slide-sized, with filters, source and date drawn in. With
    `row_click` the table's rows can be clicked (see row_table; `row_hint` says what a click does).
    """
    ids = report_ids if report_ids is not None else _report_ids(data)
    count = reports if reports is not None else (len(set(ids)) if ids else len(data))
    source = source_note(count, years if years is not None else _years(data))
    if brief_mode():
        st.plotly_chart(
            slide_figure(fig, selection.describe(), source),
            width="content",
            key=f"chart_{key}",
            config=SLIDE_CHART_CONFIG,
        )
        return
    clickable_chart(fig, key=f"chart_{key}", selection=selection)
    st.caption(source + f" · 筛选：{markdown_text(selection.describe())}")
    findings_note(selection, ids)
    name = _file_name(fig)
    # Lazy: the table and its two files are made only once 数据 is opened (made on every run, the Excel
    # files alone took a quarter of a chart page's script time).
    table_box = st.expander("数据", key=f"data_{key}", on_change="rerun")
    if table_box.open:
        with table_box:
            _chart_data(data, key=key, name=name, row_click=row_click, row_hint=row_hint)
    export_buttons(fig, selection.describe(), source, key, name)


def _chart_data(
    data: pd.DataFrame, *, key: str, name: str, row_click: Callable[[pd.Series], None] | None, row_hint: str
) -> None:
    """The exact table behind a chart, with CSV and Excel downloads of what it shows."""
    visible = mask_frame(data.drop(columns=[c for c in data.columns if c in {"报告标识", "item"}]))
    if row_click is None:
        show_table(visible)
    else:  # 报告标识 stays in the frame, hidden, for the click to read
        row_table(data.drop(columns=[c for c in data.columns if c == "item"]), key=f"rows_{key}", on_row=row_click)
        st.caption(row_hint.removeprefix(" · "))
    people_downloads(visible, name, key)


def people_downloads(visible: pd.DataFrame, name: str, key: str) -> None:
    """下载 CSV / 下载 Excel of a table as shown; each file is made when clicked, not on every run."""
    cap = xlsx_row_cap(len(visible.columns))
    capped = len(visible) > cap
    note = f"Excel 最多 {cap:,} 行，完整数据请下载 CSV。" if capped else None
    left, right = st.columns(2)
    left.download_button(
        "下载 CSV",
        lambda: people_csv_bytes(visible),
        f"{name}.csv",
        "text/csv",
        key=f"csv_{key}",
        on_click="ignore",
        width="stretch",
    )
    right.download_button(
        f"下载 Excel（前 {cap:,} 行）" if capped else "下载 Excel",
        lambda: people_xlsx_bytes(visible),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx_{key}",
        on_click="ignore",
        width="stretch",
        help=note,
    )
    if note:
        st.caption(note)


def open_page(title: str, help: str | None = None) -> tuple[Selection, dict[str, object]]:
    """The shared sidebar filters and the page title: (the selection, its query parameters)."""
    selection = sidebar_filters()
    page_header(title, help=help)
    return selection, selection.as_params()


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def _cached_figure(
    name: str, data: pd.DataFrame, args: tuple, _build: Callable[..., go.Figure]
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    figure = _build(data, *args).to_dict()
    return figure, screen_charts.option(figure) if screen_charts.drawable(figure) else None


def cached_figure(build: Callable[..., go.Figure], data: pd.DataFrame, *args: Any) -> go.Figure:
    """`build(data, *args)`, cached for every session by the chart function, its data and arguments.

    Building a figure costs plotly 30–400 ms, most of it validating; the cache keeps the built figure's
    dict (unpickled in 0.2 ms, where a pickled figure is validated again: 13 ms for 预算执行's) and every
    run, the first included, makes the figure from that dict without validating it again (1.5 ms). Every
    run thus sends the same JSON: a clickable chart's identity is its JSON, and a first view whose JSON
    differed from later ones lost the click made on it."""
    figure, option = _cached_figure(f"{build.__module__}.{build.__qualname__}", data, args, build)
    return with_screen_option(go.Figure(figure, _validate=False), option)


def show_chart(
    build: Callable[[pd.DataFrame, str], go.Figure],
    data: pd.DataFrame,
    *,
    selection: Selection,
    key: str,
    described: str | None = None,
    **section: Any,
) -> None:
    """chart_section of the figure `build(data, what the selection is)`."""
    built = cached_figure(build, data, described or selection.describe())
    chart_section(built, data, key=key, selection=selection, **section)


def page_header(title: str, help: str | None = None) -> None:
    """The page title and the 简报模式 switch; in 简报模式 the title gives way to the charts' own."""
    st.session_state[_NOTES_SHOWN] = {}  # a new run of a page: its findings note not placed yet
    brief_toggle()
    apply_brief_layout()
    if brief_mode():
        exit_link()
    else:
        st.title(title, help=help)


def narrow_screen_support() -> None:
    """KPI values that fit and a collapsed sidebar on narrow screens: app.py calls it once per run, for every page."""
    st.html(f"<style>{NARROW_SCREEN_CSS}</style>")
    # In the sidebar, below the filters: the script's (empty) element takes no room from the page.
    st.sidebar.html(COLLAPSE_SIDEBAR_JS + chart_library_js(), unsafe_allow_javascript=True)


def section(title: str, help: str | None = None) -> bool:
    """A section heading; returns False in 简报模式, where tables and widgets are left out."""
    if brief_mode():
        return False
    st.subheader(title, help=help)
    return True


def empty_state(what: str, selection: Selection) -> None:
    st.info(f"{markdown_text(selection.describe())}：{what}。可在左侧放宽筛选条件。", icon="🔍")


def _report_ids(data: pd.DataFrame) -> list[str] | None:
    return data["报告标识"].dropna().unique().tolist() if "报告标识" in data.columns else None


def _years(data: pd.DataFrame) -> list[int | None]:
    return data["年度"].dropna().astype(int).tolist() if "年度" in data.columns else []


def _file_name(fig: go.Figure) -> str:
    title = (fig.layout.title.text or "数据").split("<br>")[0]
    return re.sub(r"[\\/:*?\"<>|（）()\s]+", "_", title).strip("_")[:40] or "数据"
