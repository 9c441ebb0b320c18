"""Helpers of the real-browser layer: what the machine lacks, the app's pages, the app server, and
reading a Streamlit page in Chromium (settled? charts? dialogs?). Fixtures are in conftest.py."""

from __future__ import annotations

import ast
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; Playwright's own browser builds cannot be downloaded
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Tall, so that most pages fit without scrolling: the screenshot then needs no resize (and no redraw).
VIEWPORT = {"width": 1400, "height": 2400}
SERVER_START_TIMEOUT_S = 60
SETTLE_TIMEOUT_S = 45
QUIET_S = 0.5  # not busy for this long in a row = settled


# --- is this machine able to run them? -----------------------------------------------------------


def has_cjk_font() -> bool:
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.strip())


def missing_browser_dependencies() -> list[str]:
    missing = []
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"{CHROMIUM} (apt package chromium)")
    if not has_cjk_font():
        missing.append("a Chinese font: `fc-list :lang=zh` lists none (apt package fonts-noto-cjk)")
    return missing


# --- the pages, as app.py declares them ----------------------------------------------------------


@dataclass(frozen=True)
class AppPage:
    """One st.Page(...) of app.py, with what tests/test_app.py (PAGES) expects of that page file."""

    file: str  # pages/execution.py
    url_path: str  # "" for the default page: Streamlit serves it at /, whatever its url_path
    nav_title: str
    title: str | None  # the page's h1, when tests/test_app.py knows it
    least_charts: int

    @property
    def id(self) -> str:
        return self.url_path or "default"


def _literal(node: ast.AST | None) -> object:
    try:
        return ast.literal_eval(node) if node is not None else None
    except ValueError:
        return None


def page_expectations() -> dict[str, tuple[str, int]]:
    """tests/test_app.py's PAGES, page file stem -> (h1 title, least number of charts): one list, kept there."""
    tree = ast.parse((ROOT / "tests" / "test_app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PAGES" for t in node.targets):
            value = _literal(node.value)
            if isinstance(value, dict):
                return value
    return {}


def app_pages() -> list[AppPage]:
    """Every st.Page(...) in app.py, read from its source: a new page is visited without editing these tests."""
    expected = page_expectations()
    pages = []
    for node in ast.walk(ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page" and node.args):
            continue
        file = _literal(node.args[0])
        if not isinstance(file, str):
            continue
        kwargs = {k.arg: _literal(k.value) for k in node.keywords}
        stem = Path(file).stem
        url_path = "" if kwargs.get("default") else str(kwargs.get("url_path") or stem)
        title, least = expected.get(stem, (None, 0))
        pages.append(AppPage(file, url_path, str(kwargs.get("title") or stem), title, least))
    return pages


# --- the app server ------------------------------------------------------------------------------


@dataclass
class AppServer:
    url: str
    log: Path
    process: subprocess.Popen

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def wait_for_log_line(server: AppServer, prefix: str, timeout_s: float) -> str | None:
    """The rest of the first line of the server's log that starts with `prefix`, once it is written; None if
    none came within `timeout_s` (e.g. ui/prewarm.REPLAYED_LOG, the end of the start-up replay)."""
    deadline = time.monotonic() + timeout_s
    while True:
        line = next((x for x in server.log_tail(400).splitlines() if x.startswith(prefix)), None)
        if line is not None or time.monotonic() > deadline:
            return None if line is None else line[len(prefix) :].strip()
        time.sleep(0.1)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def launcher() -> list[str]:
    """How `make run` starts the app: ui/serve.py (`streamlit run app.py` with the legacy pages/ routing off)."""
    if (ROOT / "ui" / "serve.py").exists():
        return [sys.executable, "-m", "ui.serve"]
    return [sys.executable, "-m", "streamlit", "run", "app.py"]


def app_command(port: int) -> list[str]:
    """The command line of the app on a loopback port, as the browser layer and bench/page_latency.py run it."""
    return [
        *launcher(),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        # Source files may change while the suite runs: no "File change. Rerun?" prompt, no reruns.
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
    ]  # fmt: skip


def app_env(db: Path, **extra: str) -> dict[str, str]:
    """The environment of the app process: reading `db`, unbuffered output, and `extra` variables."""
    return {**os.environ, "FISCALLENS_DB": str(db), "PYTHONUNBUFFERED": "1", **extra}


def start_app(db: Path, workdir: Path) -> AppServer:
    """The app on a free loopback port, reading `db`; returns once /_stcore/health answers."""
    for _attempt in range(3):  # the port can be taken between choosing it and binding it
        port = _free_port()
        log = workdir / f"streamlit-{port}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                app_command(port),
                cwd=ROOT,
                env=app_env(db),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = AppServer(f"http://127.0.0.1:{port}", log, process)
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while time.monotonic() < deadline and process.poll() is None:
            if _healthy(server.url):
                return server
            time.sleep(0.2)
        stop_app(server)
        if "is not available" not in server.log_tail():
            break
    raise RuntimeError(f"streamlit did not start (exit code {server.process.returncode}):\n{server.log_tail()}")


def stop_app(server: AppServer) -> None:
    """Terminate the server and whatever it started (it leads its own process group)."""
    for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        if server.process.poll() is not None:
            return
        try:
            os.killpg(server.process.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.process.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            continue


# --- reading a page ------------------------------------------------------------------------------

# Any reason the page is not yet safe to look at, or "".
_BUSY_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return 'no stApp yet';
  if (app.dataset.testConnectionState !== 'CONNECTED') return 'connection ' + app.dataset.testConnectionState;
  if (app.dataset.testScriptState !== 'notRunning') return 'script ' + app.dataset.testScriptState;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return 'status widget (running)';
  if (document.querySelector('[data-stale="true"]')) return 'stale elements';
  if (document.querySelector('[data-testid="stSkeleton"]')) return 'skeleton placeholders';
  for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
    if (!chart.querySelector('.js-plotly-plot .main-svg')) return 'a plotly chart not drawn yet';
  }
  for (const chart of document.querySelectorAll('[data-testid="stEChartsChart"]')) {
    if (!chart.querySelector('svg path, canvas')) return 'an echarts chart not drawn yet';
  }
  // The map (ui/svg_map.py): a component drawing into its own shadow root.
  for (const host of document.querySelectorAll('[data-testid="stBidiComponentIsolated"]')) {
    if (!host.shadowRoot || !host.shadowRoot.querySelector('.fl-root svg')) return 'a map not drawn yet';
  }
  return '';
}"""

# The ECharts option a chart element was given: React's props of the element (st.echarts_chart keeps no
# other handle on it). Test-only reading of Streamlit's internals; settle() waits for the drawing.
_ECHARTS_OPTION_JS = """(el) => {
  let node = el, key;
  for (; node; node = node.parentElement) {
    key = Object.keys(node).find(k => k.startsWith('__reactFiber'));
    if (key) break;
  }
  if (!node) return null;
  // The node's fiber may be of an earlier render: find its fiber in the committed tree, from the root.
  let top = node[key];
  while (top.return) top = top.return;
  const stack = [top.stateNode.current];
  let host = null;
  while (stack.length && !host) {
    const f = stack.pop();
    if (f.stateNode === node) host = f;
    if (f.sibling) stack.push(f.sibling);
    if (f.child) stack.push(f.child);
  }
  for (let f = host, i = 0; f && i < 40; i++, f = f.return) {
    const p = f.memoizedProps || {};
    if (p.element && p.element.spec) return JSON.parse(p.element.spec);
  }
  return null;
}"""

# Each drawn plotly chart: its title and, per trace, name, number of points and x (or labels).
_PLOTS_JS = """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')).map(gd => ({
  title: (gd.layout && gd.layout.title && gd.layout.title.text) || '',
  traces: (gd.data || []).map(t => {
    const x = Array.from(t.x || t.labels || []).map(String);
    return {name: t.name || '', n: Math.max(x.length, Array.from(t.y || t.values || []).length), x: x};
  }),
}))"""

# How far down the page's content reaches (main column and sidebar), however tall the viewport.
_CONTENT_HEIGHT_JS = """() => Math.ceil(Math.max(0, ...['stMainBlockContainer', 'stSidebarUserContent'].map(id => {
  const e = document.querySelector(`[data-testid="${id}"]`);
  return e ? e.getBoundingClientRect().top + e.scrollHeight : 0; })) + 48)"""


def settle(page, timeout_s: float = SETTLE_TIMEOUT_S) -> None:
    """Wait until the app is connected, its script done, nothing stale and every chart drawn, for QUIET_S."""
    page.wait_for_selector('[data-testid="stApp"]', state="attached")
    deadline = time.monotonic() + timeout_s
    quiet_since: float | None = None
    reason = ""
    while time.monotonic() < deadline:
        reason = page.evaluate(_BUSY_JS)
        now = time.monotonic()
        if reason:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= QUIET_S:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{page.url} did not settle within {timeout_s:g} s: {reason}")


def screenshot(page, path: Path) -> None:
    """The whole page. Streamlit scrolls inside stMain, so a taller page needs a taller viewport for the shot."""
    size = page.viewport_size
    height = min(page.evaluate(_CONTENT_HEIGHT_JS), 8000)
    if height <= size["height"]:  # cut off the empty part of the tall viewport
        page.screenshot(path=str(path), clip={"x": 0, "y": 0, "width": size["width"], "height": max(height, 800)})
        return
    page.set_viewport_size({"width": size["width"], "height": height})
    try:
        settle(page)  # plotly redraws on resize
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(size)


def dialogs(page) -> list[str]:
    return [t.strip() for t in page.locator('[role="dialog"]').all_inner_texts()]


def exceptions(page) -> list[str]:
    return page.locator('[data-testid="stException"]').all_inner_texts()


def titles(page) -> list[str]:
    return [t.strip() for t in page.locator("h1").all_inner_texts()]


def plots(page) -> list[dict]:
    """Every drawn chart, Plotly's then ECharts': title and, per trace (series), name, points and x."""
    drawn = page.evaluate(_PLOTS_JS)
    for chart in page.locator('[data-testid="stEChartsChart"]').all():
        option = echarts_option(chart)
        if not option:
            continue
        traces = []
        for series in option.get("series", []):
            data = series.get("data") or []
            x = [str(d["value"][0]) if isinstance(d, dict) and isinstance(d.get("value"), list) else "" for d in data]
            traces.append({"name": series.get("name", ""), "n": len(data), "x": x})
        title = (option.get("title") or {}).get("text", "")
        subtitle = (option.get("title") or {}).get("subtext", "")
        drawn.append({"title": f"{title}<br>{subtitle}" if subtitle else title, "traces": traces})
    return drawn


def echarts_option(chart) -> dict | None:
    """The ECharts option of a chart element (a locator of [data-testid="stEChartsChart"])."""
    return chart.evaluate(_ECHARTS_OPTION_JS)


def source_captions(page) -> list[str]:
    """The charts' source notes (数据来源：N 份报告 … · 筛选：…)."""
    return [c for c in page.locator('[data-testid="stCaptionContainer"]').all_inner_texts() if "数据来源" in c]


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def sidebar_choice(page, label: str) -> str:
    return page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=label).input_value()


def choose_in_sidebar(page, label: str, option: str) -> None:
    """Open the sidebar selectbox labelled `label` and pick `option`, as a person would."""
    page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()


# --- a browser tab -------------------------------------------------------------------------------


@dataclass
class Tab:
    """A page in a fresh browser context, with what went wrong in it."""

    page: object
    origin: str
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def assert_healthy(self) -> None:
        """No Streamlit exception block, no open dialog (e.g. "Page not found"), no JS error, nothing fetched
        from outside the app (it must work offline)."""
        url = self.page.url
        assert not exceptions(self.page), f"Streamlit exception on {url}:\n" + "\n".join(exceptions(self.page))
        assert not dialogs(self.page), f"a dialog is open on {url}: {dialogs(self.page)}"
        assert not self.page_errors, f"JavaScript errors on {url}: {self.page_errors}"
        assert not self.foreign_requests, f"requests leaving the machine from {url}: {self.foreign_requests}"


def new_context(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(30_000)
    return context


def open_tab(context, origin: str) -> Tab:
    """A new page: a Streamlit session of its own (sessions are per page, not per browser context)."""
    page = context.new_page()
    tab = Tab(page, origin)
    page.on("pageerror", lambda error: tab.page_errors.append(str(error)))
    local = (origin, "data:", "blob:", "about:")
    page.on("request", lambda r: None if r.url.startswith(local) else tab.foreign_requests.append(r.url))
    return tab
