"""Page latency in the real browser, per page and scenario, with where the time goes (issue 17).

    .venv/bin/python bench/page_latency.py [--sizes 1000 100000] [--db SIZE=PATH ...] [--reuse-stale]
        [--repeats 3] [--pages 总览 /budget-execution ...] [--scenarios first_visit navigation filter ...]

SIZE is the number of reports of the warehouse (e.g. `--db 11=data/warehouse.duckdb` for the bundled one);
sizes without a `--db` are the warehouses of bench/synth_queries.py (built or reused there). Each page of
app.py is measured in Debian's Chromium (Playwright) against the app as `make run` starts it (ui/serve.py),
with the app's timing log on (ui/timing.py, FISCALLENS_TIMING_LOG). Scenarios:

- first_visit       — the server just started (caches cold, Python imports of the pages not yet done);
                      a fresh tab opens the page's URL.
- first_visit_warm  — a restarted server, done with its start-up work (its journal replay, below), warmed by
                      one visit to a page sharing no queries with the page (自助查询; for 自助查询 itself,
                      数据质量); then a fresh tab opens the page's URL.
- navigation        — on the first_visit server, in the same tab: another page (总览, or 报告目录 for 总览),
                      then the page's sidebar link: the page's queries are cached, as on a second visit.
- navigation_cold   — a restarted server (done with its start-up work), the warm-up page, then the page's
                      sidebar link (queries not cached in memory, unless the journal replay made them).
- navigation_idle   — as navigation_cold, with the tab left idle on the warm-up page (a page without charts)
                      for IDLE_S first, as a person reading it would: long enough for the tab to load the
                      chart library in the background (ui/components.CHART_LIBRARY_JS).
- filter            — on the first_visit server: the first province in the sidebar's 省份 → settled.

The server is restarted per page (and once more for each *_warm/_cold scenario), so nothing an earlier
page ran is cached in memory. Each start finds the same query journal beside the warehouse (ui/prewarm.py:
what a server makes again in the background after it starts): the one a first server wrote while a tab
opened every page of the app once, as a server that has been in use has. With --no-journal every start
finds none, as the very first start of a new deployment does.

Settled = the browser tests' rule (tests/browser/browserkit.settle: connected, script done, nothing stale,
every chart drawn (ECharts' SVG; Plotly's for the map), for 0.5 s in a row), polled every 40 ms, and only
after the action's script run has finished; the time is taken at the first quiet poll (the quiet period is
not counted). Per measurement, the breakdown:

- script: the server's script runs in the window (seconds, and phases from the timing log: named queries
  with cache hit/miss, figure building, `st.echarts_chart` or `st.plotly_chart` (JSON + queuing, with the
  JSON bytes), tables, other) and `to_script_s`, the time from the action to the first run's start (page
  load, websocket);
- transfer: websocket bytes and frames the browser received (Playwright `framereceived`);
- browser: settled − the arrival of the last script-finished message (React, the chart library's layout and drawing),
  long tasks (PerformanceObserver 'longtask') and, per chart, container shown → its drawing in place.

Writes bench/results/page_latency.json (merged into the existing file per size and page; the figures of
the previous round stay under "previous") and prints a table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from tests.browser import browserkit as kit  # noqa: E402
from ui.prewarm import REPLAYED_LOG, journal_path  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "page_latency.json"
SETTLE_LIMIT_S = 90.0  # a page not settled after this long is recorded as None and the run goes on
POLL_S = 0.04
SCENARIOS = ("first_visit", "first_visit_warm", "navigation", "navigation_cold", "navigation_idle", "filter")
TARGETS_S = {
    "first_visit": 1.5,
    "first_visit_warm": 1.5,
    "navigation": 0.7,
    "navigation_cold": 0.7,
    "navigation_idle": 0.7,
    "filter": 0.5,
}
IDLE_S = 9.0  # > ui/components.CHART_LIBRARY_JS's two idle waits (3 s each) plus ECharts' and Plotly's evaluation
WARMUP_PAGE, WARMUP_FOR_WARMUP = "sql", "data-quality"
NAV_FROM, NAV_FROM_DEFAULT = "总览", "报告目录"

# In every page of the context, before the app's scripts: the arrival of each script-finished message
# (ForwardMsg field 6, read from the frame's top-level protobuf fields), long tasks, and per chart (Plotly or ECharts)
# when its container appeared and when its drawing (SVG) was in place. Times are epoch ms (timeOrigin + now).
INIT_JS = """(() => {
  const fl = window.__fl = {finished: [], longTasks: [], charts: []};
  const now = () => performance.timeOrigin + performance.now();
  const finishedStatus = (buffer) => {
    const b = new Uint8Array(buffer); let i = 0;
    const varint = () => {
      let v = 0, m = 1, x;
      do { x = b[i++]; v += (x & 127) * m; m *= 128; } while (x & 128 && i < b.length);
      return v;
    };
    while (i < b.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { const v = varint(); if (field === 6) return v; }
      else if (wire === 2) { const n = varint(); i += n; }  // `i += varint()` would add to the old i
      else if (wire === 1) i += 8; else if (wire === 5) i += 4; else return -1;
    }
    return -1;
  };
  fl.finishedStatus = finishedStatus;  // for tests/browser/test_browser_speed.py
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (!(e.data instanceof ArrayBuffer)) return;
        const status = finishedStatus(e.data);
        if (status >= 0) fl.finished.push([now(), status]);
      });
    }
  };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) fl.longTasks.push([performance.timeOrigin + e.startTime, e.duration]);
    }).observe({type: 'longtask', buffered: true});
  } catch (e) {}
  const seen = new WeakMap();
  new MutationObserver(() => {
    const charts = ['stPlotlyChart', 'stEChartsChart', 'stBidiComponentIsolated']
      .map((t) => `[data-testid="${t}"]`).join();
    for (const el of document.querySelectorAll(charts)) {
      let c = seen.get(el);
      if (!c) { c = {shown: now(), drawn: null}; seen.set(el, c); fl.charts.push(c); }
      const inside = el.shadowRoot || el;  // the map draws into its component's shadow root
      if (c.drawn === null && inside.querySelector('.js-plotly-plot .main-svg, svg path, canvas')) c.drawn = now();
    }
  }).observe(document, {subtree: true, childList: true});
})()"""

# What a page shows when it failed (a traceback, or guard()'s st.error for a query error or time-out).
ERRORS_SELECTOR = '[data-testid="stException"], [data-testid="stAlertContentError"]'
STATE_JS = (
    "() => ({now: performance.timeOrigin + performance.now(), finished: window.__fl ? window.__fl.finished.length : 0})"
)
BROWSER_JS = """([start, end]) => {
  const fl = window.__fl, inside = (t) => t >= start && t <= end;
  const finished = fl.finished.filter(([t]) => inside(t)).map(([t]) => t);
  const long = fl.longTasks.filter(([t]) => inside(t));
  const charts = fl.charts.filter((c) => inside(c.shown) && c.drawn !== null);
  return {last_finished: finished.length ? Math.max(...finished) : null, runs_finished: finished.length,
          long_tasks: long.length, long_ms: long.reduce((s, [, d]) => s + d, 0),
          charts: charts.length, chart_ms: charts.reduce((s, c) => s + (c.drawn - c.shown), 0)};
}"""


# --- one browser tab with its websocket counters ----------------------------------------------


class Probe:
    """A tab (fresh Streamlit session) whose websocket frames are counted."""

    def __init__(self, context: Any, origin: str) -> None:
        self.tab = kit.open_tab(context, origin)
        self.page = self.tab.page
        self.frames = 0
        self.bytes = 0
        self.page.on("websocket", self._socket)

    def _socket(self, ws: Any) -> None:
        ws.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        self.frames += 1
        self.bytes += len(payload) if isinstance(payload, bytes) else len(payload.encode("utf-8"))

    def state(self) -> dict[str, float]:
        try:
            return self.page.evaluate(STATE_JS)
        except Exception:  # no document yet (before the first goto)
            return {"now": time.time() * 1000, "finished": 0}

    def settle(
        self, finished_before: int, timeout_s: float = SETTLE_LIMIT_S, quiet_s: float = kit.QUIET_S
    ) -> tuple[float | None, str]:
        """Epoch seconds of the first quiet poll after a new script run finished (None: not settled), and
        what kept it from settling last."""
        self.page.wait_for_selector('[data-testid="stApp"]', state="attached", timeout=timeout_s * 1000)
        deadline = time.monotonic() + timeout_s
        quiet_since: float | None = None
        unsettled = ""
        while time.monotonic() < deadline:
            reason = self.page.evaluate(kit._BUSY_JS)
            state = self.state()
            if reason or state["finished"] <= finished_before:
                quiet_since = None
                unsettled = reason or f"no script run finished after the action ({state['finished']} in all)"
            elif quiet_since is None:
                quiet_since = state["now"] / 1000
            elif state["now"] / 1000 - quiet_since >= quiet_s:
                return quiet_since, ""
            self.page.wait_for_timeout(POLL_S * 1000)
        return None, unsettled

    def measure(
        self,
        action: Callable[[], None],
        log: Path | None,
        quiet_s: float = kit.QUIET_S,
        timeout_s: float = SETTLE_LIMIT_S,
    ) -> dict[str, Any]:
        """Do `action`, wait until settled, and break the time down (the server's part from `log`, if any)."""
        before = self.state()["finished"] if self.page.url.startswith("http") else 0
        frames, sent = self.frames, self.bytes
        started = time.time()
        action()
        settled, unsettled = self.settle(before, timeout_s, quiet_s)
        if settled is None:
            return {"settled_s": None, "note": f"did not settle: {unsettled}"}
        ws = {"ws_bytes": self.bytes - sent, "ws_frames": self.frames - frames}
        browser = self.page.evaluate(BROWSER_JS, [started * 1000, settled * 1000])
        runs = server_runs(log, started, settled) if log is not None else []
        result = breakdown(started, settled, runs, ws, browser)
        errors = self.page.locator(ERRORS_SELECTOR).all_inner_texts()
        if errors:  # an error message settles fast: such a figure is not the page's
            result["errors"] = [e.strip()[:160] for e in errors]
        return result


def server_runs(log: Path, start: float, end: float) -> list[dict[str, Any]]:
    """The timing log's script runs that started inside [start, end] (epoch seconds)."""
    if not log.exists():
        return []
    runs = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in runs if start - 0.02 <= r["start"] <= end]


def breakdown(
    started: float, settled: float, runs: list[dict[str, Any]], ws: dict[str, int], browser: dict[str, Any]
) -> dict[str, Any]:
    """One measurement: settled time and where it went (seconds unless named _ms / bytes)."""
    by_kind: dict[str, float] = {}
    queries = {"hit": 0, "miss": 0}
    json_bytes = 0
    for run in runs:
        for kind, seconds in run["by_kind"].items():
            by_kind[kind] = by_kind.get(kind, 0.0) + seconds
        by_kind["other"] = by_kind.get("other", 0.0) + run["other_seconds"]
        for p in run["phases"]:
            if p["kind"] == "query":
                queries[p.get("cache", "hit")] += 1
            json_bytes += p.get("bytes", 0)
    slowest = sorted((p for r in runs for p in r["phases"]), key=lambda p: -p["seconds"])[:5]
    last = browser["last_finished"] / 1000 if browser["last_finished"] else None
    return {
        "settled_s": round(settled - started, 3),
        "to_script_s": round(runs[0]["start"] - started, 3) if runs else None,
        "script_s": round(sum(r["seconds"] for r in runs), 3),
        "script_runs": [f"{r['page']} {r['outcome']} {r['seconds']:.3f}s" for r in runs],
        "phases_s": {k: round(v, 3) for k, v in sorted(by_kind.items())},
        "queries": queries,
        "slowest_phases": [{k: p[k] for k in ("kind", "name", "seconds", "cache", "bytes") if k in p} for p in slowest],
        "figure_json_bytes": json_bytes,
        **ws,
        "browser_s": round(settled - last, 3) if last else None,
        "long_tasks": browser["long_tasks"],
        "long_tasks_ms": round(browser["long_ms"]),
        "charts": browser["charts"],
        "chart_shown_to_drawn_ms": round(browser["chart_ms"]),
    }


# --- the scenarios of one page ----------------------------------------------------------------


def nav_link(page: Any, title: str) -> Any:
    """The sidebar navigation link with this title (the icon's ligature text is part of the link)."""
    return page.locator('[data-testid="stSidebarNav"] a').filter(has=page.get_by_text(title, exact=True)).first


def choose_province(page: Any, province: str | None) -> Callable[[], None] | None:
    """The action "choose `province` (else the first one) in the sidebar's 省份", with the dropdown opened
    beforehand (not timed); None on a page without that filter."""
    box = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="省份")
    if not box.count():
        return None
    box.click()
    options = [t.strip() for t in page.get_by_role("option").all_inner_texts()]
    chosen = province if province in options else next((t for t in options if t and not t.startswith("全部")), None)
    if chosen is None:
        page.keyboard.press("Escape")
        return None
    return lambda: page.get_by_role("option", name=chosen, exact=True).click()


def launch(command: list[str], work: Path, port: int, env: dict[str, str] | None = None) -> kit.AppServer:
    """`command` (a Streamlit server on `port`) started in its own session; returns once it answers."""
    out_path = work / f"streamlit-{port}.log"
    with out_path.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own command line
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = kit.AppServer(f"http://127.0.0.1:{port}", out_path, process)
    deadline = time.monotonic() + kit.SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline and process.poll() is None:
        if kit._healthy(server.url):
            return server
        time.sleep(0.1)
    kit.stop_app(server)
    raise RuntimeError(f"{' '.join(command[:5])} … did not start:\n{server.log_tail()}")


def start_server(db: Path, work: Path, port: int, log: Path) -> kit.AppServer:
    """The app as kit.start_app starts it, with the timing log on, on a given port: the same origin for
    every restart, so the browser's HTTP cache keeps the app's JavaScript as a returning user's does."""
    return launch(kit.app_command(port), work, port, kit.app_env(db, FISCALLENS_TIMING_LOG=str(log)))


@dataclass
class Bench:
    """What every page's servers share at one warehouse size: the browser context, port and province."""

    context: Any
    db: Path
    work: Path
    port: int
    province: str | None = None
    journal: bytes | None = None  # what each server start finds beside the warehouse (None: no journal)

    def restore_journal(self) -> None:
        path = journal_path(self.db)
        if self.journal is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(self.journal)


class Session:
    """A server started for one page (with a timing log of its own) and the tabs opened on it."""

    def __init__(self, bench: Bench, label: str) -> None:
        self.log = bench.work / f"timing-{label}.jsonl"
        self.log.unlink(missing_ok=True)
        self.bench = bench
        bench.restore_journal()
        self.server = start_server(bench.db, bench.work, bench.port, self.log)
        self.probes: list[Probe] = []

    def tab(self) -> Probe:
        self.probes.append(Probe(self.bench.context, self.server.url))
        return self.probes[-1]

    def visit(self, probe: Probe, url_path: str) -> dict[str, Any]:
        return probe.measure(lambda: probe.page.goto(f"{self.server.url}/{url_path}"), self.log)

    def click(self, probe: Probe, title: str) -> dict[str, Any]:
        return probe.measure(lambda: nav_link(probe.page, title).click(), self.log)

    def wait_for_replay(self) -> str | None:
        """The server log's line on its finished journal replay (ui/prewarm.py), once written; None without a
        journal, or if none came within SETTLE_LIMIT_S."""
        if self.bench.journal is None:
            return None
        return kit.wait_for_log_line(self.server, REPLAYED_LOG, SETTLE_LIMIT_S)

    def close(self) -> None:
        for probe in self.probes:
            probe.page.close()
        kit.stop_app(self.server)


def page_scenarios(bench: Bench, page: kit.AppPage, wanted: set[str]) -> dict[str, Any]:
    """Every wanted scenario of one page, on servers started for it."""
    out: dict[str, Any] = {}
    origin = NAV_FROM_DEFAULT if page.nav_title == NAV_FROM else NAV_FROM
    if wanted & {"first_visit", "navigation", "filter"}:
        s = Session(bench, f"{page.id}-a")
        try:
            probe = s.tab()
            visit = s.visit(probe, page.url_path)
            if "first_visit" in wanted:
                out["first_visit"] = visit
            if "navigation" in wanted:
                s.click(probe, origin)
                out["navigation"] = s.click(probe, page.nav_title)
            action = choose_province(probe.page, bench.province) if "filter" in wanted else None
            if action is not None:
                out["filter"] = probe.measure(action, s.log)
        finally:
            s.close()
    warmup = WARMUP_FOR_WARMUP if page.url_path == WARMUP_PAGE else WARMUP_PAGE
    for scenario in ("navigation_cold", "navigation_idle", "first_visit_warm"):
        if scenario not in wanted:
            continue
        s = Session(bench, f"{page.id}-{scenario}")
        try:
            replayed = s.wait_for_replay()  # a server done with its start-up work, as a later visitor finds it
            probe = s.tab()
            warm = s.visit(probe, warmup)
            if scenario == "navigation_idle":
                probe.page.wait_for_timeout(IDLE_S * 1000)
            if scenario.startswith("navigation"):
                out[scenario] = s.click(probe, page.nav_title)
            else:
                out[scenario] = s.visit(s.tab(), page.url_path)
            out[scenario]["warmed_by"] = f"/{warmup} ({warm.get('settled_s')} s)"
            if replayed:
                out[scenario]["journal_replay"] = replayed
        finally:
            s.close()
    return out


FLOOR_APP = ROOT / "bench" / "floor_app.py"
FLOOR_PAGES = {"无图": "?chart=0", "一张图": "?chart=echarts", "一张图（Plotly）": "?chart=plotly"}


def start_floor_server(work: Path, port: int) -> kit.AppServer:
    """bench/floor_app.py under `streamlit run`, with the app's flags and .streamlit/config.toml (the same runner)."""
    flags = kit.app_command(port)[len(kit.launcher()) :]
    return launch([sys.executable, "-m", "streamlit", "run", str(FLOOR_APP), *flags], work, port)


def measure_floor(context: Any, work: Path, repeats: int) -> dict[str, Any]:
    """What a fresh tab and a filter change cost on bench/floor_app.py: the floor under every page.

    Its server is warmed by one visit per variant (its JavaScript then in the browser's cache, its imports
    done), as first_visit_warm's is; then, per run, a fresh tab opens the variant and chooses a province."""
    server = start_floor_server(work, kit._free_port())
    out: dict[str, Any] = {}

    def opening(probe: Probe, query: str) -> dict[str, Any]:
        return probe.measure(lambda: probe.page.goto(f"{server.url}/{query}"), None)

    try:
        for query in FLOOR_PAGES.values():
            warm = Probe(context, server.url)
            opening(warm, query)
            warm.page.close()
        for title, query in FLOOR_PAGES.items():
            runs: dict[str, list[dict[str, Any]]] = {"first_visit_warm": [], "filter": []}
            for _ in range(repeats):
                probe = Probe(context, server.url)
                try:
                    runs["first_visit_warm"].append(opening(probe, query))
                    action = choose_province(probe.page, "湖南省")
                    if action is not None:
                        runs["filter"].append(probe.measure(action, None))
                finally:
                    probe.page.close()
            out[title] = {scenario: summarise(measured) for scenario, measured in runs.items() if measured}
            print_page(title, out[title])
    finally:
        kit.stop_app(server)
    return out


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median run (by settled time) with every run's settled time."""
    times = [r.get("settled_s") for r in runs]
    done = sorted((r for r in runs if r.get("settled_s") is not None), key=lambda r: r["settled_s"])
    if not done:
        return {"settled_s": None, "runs_s": times}
    median = done[(len(done) - 1) // 2]
    return {**median, "median_s": round(statistics.median(r["settled_s"] for r in done), 3), "runs_s": times}


def busiest_province(db: Path) -> str | None:
    """The province with the most rows in the filter options: the filter change shows data."""
    from fiscallens.queries import get_query
    from fiscallens.warehouse import connect_readonly

    con = connect_readonly(db)
    try:
        options = get_query("filter_options").run(con)
    finally:
        con.close()
    counts = options["province"].dropna().value_counts()
    return str(counts.index[0]) if len(counts) else None


def measure(
    db: Path,
    repeats: int,
    pages: list[kit.AppPage],
    wanted: set[str],
    province: str | None = None,
    with_floor: bool = False,
    with_journal: bool = True,
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Per page, its scenarios' summaries; and the floor (bench/floor_app.py) if asked, in the same browser."""
    from playwright.sync_api import sync_playwright

    out: dict[str, Any] = {}
    floor = None
    with tempfile.TemporaryDirectory() as work, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(kit.CHROMIUM), headless=True, args=kit.CHROMIUM_ARGS)
        context = kit.new_context(browser)
        context.add_init_script(INIT_JS)
        bench = Bench(context, db, Path(work), kit._free_port(), province or busiest_province(db))
        # The app's JavaScript into the browser's cache, as for a returning user; and, unless asked not to,
        # the journal of a server that has shown every page once (kept as written, restored at each start).
        prime = Session(bench, "prime")
        try:
            for url_path in [p.url_path for p in kit.app_pages()] if with_journal else [WARMUP_PAGE]:
                prime.visit(prime.tab(), url_path)
        finally:
            prime.close()
        if with_journal:
            bench.journal = journal_path(db).read_bytes()
        if with_floor:
            print("== the floor (bench/floor_app.py)", flush=True)
            floor = measure_floor(context, Path(work), repeats)
        try:
            for page in pages:
                runs = [page_scenarios(bench, page, wanted) for _ in range(repeats)]
                entry: dict[str, Any] = {"path": "/" + page.url_path}
                for scenario in SCENARIOS:
                    measured = [r[scenario] for r in runs if scenario in r]
                    if measured:
                        entry[scenario] = summarise(measured)
                if "filter" in entry:
                    entry["filter"]["province"] = bench.province
                # The keys bench/report.py reads: first visit and later visit (navigation), medians.
                entry["cold_s"] = entry.get("first_visit", {}).get("median_s")
                entry["warm_median_s"] = entry.get("navigation", {}).get("median_s")
                out[page.nav_title] = entry
                print_page(page.nav_title, entry)
        finally:
            context.close()
            browser.close()
    return out, floor


# --- output -------------------------------------------------------------------------------------

COLUMNS = (
    ("settled", "median_s", "{:.2f}"),
    ("to script", "to_script_s", "{:.2f}"),
    ("script", "script_s", "{:.2f}"),
    ("browser", "browser_s", "{:.2f}"),
    ("ws KB", "ws_bytes", "{:.0f}"),
    ("long ms", "long_tasks_ms", "{:.0f}"),
    ("charts", "charts", "{:.0f}"),
    ("draw ms", "chart_shown_to_drawn_ms", "{:.0f}"),
)


def _cell(entry: dict[str, Any], key: str, form: str) -> str:
    value = entry.get(key)
    if value is None:
        return "—"
    return form.format(value / 1000 if key == "ws_bytes" else value)


def _phases(entry: dict[str, Any]) -> str:
    p = entry.get("phases_s", {})
    q = entry.get("queries", {})
    parts = [f"{k} {v:.2f}" for k, v in p.items() if v >= 0.005]
    counted = f" (queries {q.get('miss', 0)} miss / {q.get('hit', 0)} hit)" if q and any(q.values()) else ""
    return " · ".join(parts) + counted


def breakdown_lines(sizes: dict[str, Any], floor: dict[str, Any] | None = None) -> list[str]:
    """Markdown: per size, page and scenario, settled time and its parts (for bench/README.md); the floor
    (bench/floor_app.py) first, if measured."""
    lines = []
    header = ["page", "scenario", *(c[0] for c in COLUMNS), "script phases (s)"]
    if floor:
        sizes = {"floor": floor, **sizes}
    for size, pages in sizes.items():
        label = "**the floor: bench/floor_app.py, no warehouse**" if size == "floor" else f"**{int(size):,} reports**"
        lines += [label, "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for title, entry in pages.items():
            for scenario in SCENARIOS:
                if scenario in entry:
                    e = entry[scenario]
                    row = [title, scenario, *(_cell(e, k, f) for _, k, f in COLUMNS), _phases(e)]
                    lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    return lines


def print_page(title: str, entry: dict[str, Any]) -> None:
    for scenario in SCENARIOS:
        if scenario in entry:
            e = entry[scenario]
            cells = "  ".join(f"{name} {_cell(e, k, f)}" for name, k, f in COLUMNS)
            target = TARGETS_S[scenario]
            flag = "" if e.get("median_s") is not None and e["median_s"] <= target else f"  (> {target} s)"
            flag += f"  ERROR SHOWN: {e['errors'][0]}" if e.get("errors") else ""
            print(f"  {title:<6} {scenario:<17} {cells}{flag}\n      {_phases(e)}", flush=True)


def previous_round(old: dict[str, Any]) -> dict[str, Any] | None:
    """The figures to keep as "previous": the earlier file's own "previous", or (once) its sizes."""
    if "previous" in old:
        return old["previous"]
    if "sizes" in old:
        keep = ("machine", "method", "repeats", "settle_limit_s", "sizes")
        return {
            "note": "before issue 17: fresh tab per visit, cold = first, warm = later visits",
            **{k: old[k] for k in keep if k in old},
        }
    return None


def chosen_pages(names: list[str] | None) -> list[kit.AppPage]:
    pages = kit.app_pages()
    if not names:
        return pages
    wanted = {n.strip("/") for n in names}
    chosen = [p for p in pages if {p.nav_title, p.url_path, p.id} & wanted]
    if len(chosen) < len(wanted):
        known = ", ".join(f"{p.nav_title} (/{p.url_path})" for p in pages)
        raise SystemExit(f"unknown page in {names}; pages: {known}")
    return chosen


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=None, help="default: the --db sizes, or 1000 100000")
    parser.add_argument("--db", action="append", default=[], metavar="SIZE=PATH", help="use this warehouse for a size")
    parser.add_argument(
        "--reuse-stale",
        action="store_true",
        help="as bench/synth_queries.py: cached warehouses of an earlier code version, with the current marts",
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pages", nargs="+", help="titles or URL paths (default: every page of app.py)")
    parser.add_argument("--scenarios", nargs="+", choices=SCENARIOS, default=list(SCENARIOS))
    parser.add_argument("--province", help="the filter scenario's province (default: the one with most options)")
    parser.add_argument("--no-floor", action="store_true", help="skip bench/floor_app.py (the floor under the pages)")
    parser.add_argument(
        "--no-journal", action="store_true", help="servers start without a query journal (ui/prewarm.py)"
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite bench/README.md (bench/report.py)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    missing = kit.missing_browser_dependencies()
    if missing:
        raise SystemExit(f"page latency needs {', '.join(missing)}")
    given = {int(size): Path(path).resolve() for size, path in (item.split("=", 1) for item in args.db)}
    sizes = args.sizes or (sorted(given) if given else [1000, 100_000])
    method = {str(n): f"given: {p}" for n, p in given.items() if n in sizes}
    warehouses: dict[int, Path] = dict(given)
    if not set(sizes) <= set(given):
        import synth_queries

        built, how = synth_queries.warehouses(sorted(set(sizes) - set(given)), stale_ok=args.reuse_stale)
        warehouses.update({n: p for n, p in built.items() if n not in given})
        method.update({k: v for k, v in how.items() if int(k) in sizes and int(k) not in given})
    from synthlib import machine

    old = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    fresh_format = "previous" in old  # an earlier file of this format: merge into it
    results: dict[str, Any] = {
        "machine": machine(),
        "sizes": old.get("sizes", {}) if fresh_format else {},
        "method": {**(old.get("method", {}) if fresh_format else {}), **method},
        "repeats": args.repeats,
        # Per size: this run's repeats and load, kept when a later run measures another size only.
        "runs": {**(old.get("runs", {}) if fresh_format else {})},
        "scenarios": {s: TARGETS_S[s] for s in SCENARIOS},
        "settle_limit_s": SETTLE_LIMIT_S,
        "previous": previous_round(old),
        "floor": old.get("floor", {}) if fresh_format else {},
        "how": __doc__.split("\n\n", 2)[2],
    }
    pages = chosen_pages(args.pages)
    for size in sizes:
        print(f"== {size:,} reports: {warehouses[size]}", flush=True)
        with_floor = not args.no_floor and size == sizes[0]  # once per run, in the first size's browser
        measured, floor = measure(
            warehouses[size], args.repeats, pages, set(args.scenarios), args.province, with_floor, not args.no_journal
        )
        if floor is not None:
            results["floor"] = floor
        results["sizes"].setdefault(str(size), {}).update(measured)
        results["runs"][str(size)] = {
            "repeats": args.repeats,
            "load_average_at_start": results["machine"].get("load_average_at_start"),
            "query_journal": not args.no_journal,
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print("\n".join(breakdown_lines({str(s): results["sizes"][str(s)] for s in sizes}, results.get("floor"))))
    print(f"wrote {args.out}")
    if not args.no_readme and args.out == RESULTS:
        import report

        report.main()


if __name__ == "__main__":
    main()
