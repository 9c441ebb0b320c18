"""A loose bound on how long each page takes to settle in Chromium (issue 17), so that a slow page fails CI.

On the session's app server and warehouse (built from data/reports), measured the way
bench/page_latency.py measures (settled = browserkit's rule, polled every 40 ms, after the action's script
run finished; the quiet period not counted):

- first visit: a fresh tab opens the page's URL (the server is up and its imports warm; the page's
  queries are cold unless an earlier test ran them) — under FIRST_VISIT_S;
- filter change: in that tab, a province in the sidebar — under FILTER_S;
- navigation: in one tab, the page's sidebar link clicked from 总览 (from 报告目录 for 总览 itself), as
  bench/page_latency.py's navigation scenario does, once the page was visited (its queries cached, as on
  a second visit) — under NAVIGATION_S.

A slow page fails with its breakdown (websocket bytes, time after the last script run, long tasks).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from browserkit import AppPage, app_pages

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import page_latency  # noqa: E402  (bench/page_latency.py: the same probe as the benchmark)

# Regression bounds, not the targets (1.5 / 0.7 / 0.5 s at 100k reports, bench/page_latency.py measures
# those). Filter changes are bound at 3 × the target, as issue 17 suggests. First visits and navigation are
# not: in this layer the first test's visit also pays for the server's start (the renderer and the map warm
# up beside it; 4.1 s on 总览 here, and CI machines run this layer ~1.8 × slower), and 总览's navigation
# follows 自助查询 (1.2 s here). So FIRST_VISIT_S and NAVIGATION_S sit ~10–40 % above the CI estimate,
# enough to fail a page that slows down as the previous round's did (5–8 s warm visits, 15–23 s on
# 同类部门 at 100k, a full garbage collection after every run).
FIRST_VISIT_S = 8.0
NAVIGATION_S = 3.0
FILTER_S = 1.5
PROVINCE = "湖南省"  # in data/reports (tests/browser/test_browser_filters.py chooses it too)
QUIET_S = 0.3  # shorter than the benchmark's 0.5 s: a new script run must have finished first anyway
TIMEOUT_S = 30.0

_visited: set[str] = set()  # pages whose default view this session has run (their queries are cached)


@pytest.fixture(scope="module")
def speed_context(browser):
    """A context of its own, with the benchmark's probes installed in every page."""
    from browserkit import new_context

    context = new_context(browser)
    context.add_init_script(page_latency.INIT_JS)
    try:
        yield context
    finally:
        context.close()


def _within(what: str, measured: dict, bound: float) -> None:
    settled = measured.get("settled_s")
    assert settled is not None, f"{what} did not settle within {TIMEOUT_S:g} s ({measured.get('note')})"
    detail = {k: measured.get(k) for k in ("browser_s", "ws_bytes", "ws_frames", "long_tasks_ms", "charts")}
    assert settled < bound, f"{what} settled in {settled:.2f} s (bound {bound:g} s): {detail}"


def test_first_visit_and_filter_change(app_page: AppPage, speed_context, app_url: str) -> None:
    probe = page_latency.Probe(speed_context, app_url)
    try:
        page = probe.page
        visit = probe.measure(lambda: page.goto(f"{app_url}/{app_page.url_path}"), None, QUIET_S, TIMEOUT_S)
        _visited.add(app_page.url_path)
        probe.tab.assert_healthy()
        change = page_latency.choose_province(page, PROVINCE)
        changed = probe.measure(change, None, QUIET_S, TIMEOUT_S) if change is not None else None
        probe.tab.assert_healthy()
    finally:
        probe.page.close()
    print(f"{app_page.nav_title}: first visit {visit.get('settled_s')} s, filter {changed and changed['settled_s']} s")
    _within(f"first visit of /{app_page.url_path}", visit, FIRST_VISIT_S)
    if changed is not None:
        _within(f"filter change on /{app_page.url_path}", changed, FILTER_S)


def test_navigation_between_visited_pages(speed_context, app_url: str) -> None:
    pages = app_pages()
    probe = page_latency.Probe(speed_context, app_url)
    slow = []
    try:
        for app_page in pages:  # pages this session has not run yet: once, untimed (as a user's first visit)
            if app_page.url_path not in _visited:
                probe.measure(lambda p=app_page: probe.page.goto(f"{app_url}/{p.url_path}"), None, QUIET_S, TIMEOUT_S)
                _visited.add(app_page.url_path)
        probe.measure(lambda: probe.page.goto(f"{app_url}/{pages[-1].url_path}"), None, QUIET_S, TIMEOUT_S)
        here = pages[-1].nav_title  # the page the tab shows (a click on its own link would run nothing)
        for app_page in pages:
            origin = page_latency.NAV_FROM
            if app_page.nav_title == origin:
                origin = page_latency.NAV_FROM_DEFAULT
            if here != origin:
                probe.measure(page_latency.nav_link(probe.page, origin).click, None, QUIET_S, TIMEOUT_S)
            here = app_page.nav_title
            link = page_latency.nav_link(probe.page, app_page.nav_title)
            measured = probe.measure(link.click, None, QUIET_S, TIMEOUT_S)
            probe.tab.assert_healthy()
            print(f"{app_page.nav_title}: navigation {measured.get('settled_s')} s")
            settled = measured.get("settled_s")
            if settled is None or settled >= NAVIGATION_S:
                slow.append(f"/{app_page.url_path}: {settled} s, browser {measured.get('browser_s')} s")
    finally:
        probe.page.close()
    assert not slow, f"navigation over {NAVIGATION_S:g} s: {slow}"


def test_probe_reads_script_finished_from_websocket_frames(speed_context, app_url: str) -> None:
    """The probe counts "script finished" messages in the websocket's protobuf frames. Regression: its parser
    skipped a length-delimited field one byte short, so whether it saw a run's end depended on the random
    script_run_id (a fresh clone's filter change never settled) and a delta could read as one."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    finished = ForwardMsg()
    finished.metadata.run.script_run_id = "e1172db7-f0e9-4d9f-9b26-f042fa213b05"  # one that was misread
    finished.script_finished = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
    rerun = ForwardMsg()
    rerun.metadata.run.script_run_id = "d50c4003-236b-47a8-aefb-1a3262e6e950"
    rerun.script_finished = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
    delta = ForwardMsg()
    delta.metadata.delta_path.extend([0, 1, 2])
    delta.delta.new_element.markdown.body = "0" * 300  # a body of 0x30 bytes: "field 6" if misaligned
    probe = page_latency.Probe(speed_context, app_url)
    try:
        probe.page.goto(app_url)
        read = probe.page.evaluate(
            "frames => frames.map(f => window.__fl.finishedStatus(new Uint8Array(f).buffer))",
            [list(m.SerializeToString()) for m in (finished, rerun, delta)],
        )
    finally:
        probe.page.close()
    assert read == [finished.script_finished, rerun.script_finished, -1]


_ECHARTS_FETCHES_JS = """() => performance.getEntriesByType('resource')
  .filter(e => /\\/EChartsChart\\.[^/]*\\.js$/.test(e.name)).length"""


def test_an_idle_tab_without_charts_loads_the_chart_library(tab, app_url: str) -> None:
    """A tab opened on a page without charts imports the chart library's module (ECharts) once it has been idle
    (ui/components.py, CHART_LIBRARY_JS), and the chart page reached next uses that module: the URL is
    Streamlit's own, so the chunk is fetched once. Were the chunk renamed or the URL wrong, the import would
    fail or load a second copy (and the next chart page would pay its evaluation again)."""
    from browserkit import plots, settle

    page = tab.page
    page.goto(f"{app_url}/report-list")
    settle(page)
    page.wait_for_function(
        "() => (window.__fiscallensChartLibraries || []).some(f => f.startsWith('EChartsChart.'))", timeout=20_000
    )
    assert page.evaluate(_ECHARTS_FETCHES_JS) == 1
    page_latency.nav_link(page, "预算执行").click()
    settle(page)
    tab.assert_healthy()
    assert plots(page), "预算执行 drew no chart"
    assert page.evaluate(_ECHARTS_FETCHES_JS) == 1
