"""Real-browser layer: the app as `make run` starts it (`streamlit run app.py` through ui/serve.py), on a free
localhost port, driven by Debian's Chromium through Playwright.

One app server and one browser per session. The server reads a warehouse built from a copy of
data/reports (the `warehouse` fixture of tests/conftest.py). Every test in this folder is marked
`browser`; `make test` runs the browser layer after the unit layer, or says plainly that it skipped it.

No browser download: Playwright drives /usr/bin/chromium (Debian's `chromium`), and the pages need
a font with Chinese glyphs (`fonts-noto-cjk`). Without either the tests are skipped, unless
FISCALLENS_REQUIRE_BROWSER=1 (set by .ci/run), where that is an error.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browserkit import (
    CHROMIUM,
    CHROMIUM_ARGS,
    AppServer,
    Tab,
    app_pages,
    missing_browser_dependencies,
    new_context,
    open_tab,
    start_app,
    stop_app,
)

HERE = Path(__file__).resolve().parent


def _ours(item: pytest.Item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _ours(item):  # everything in this folder belongs to the browser layer
            item.add_marker(pytest.mark.browser)


@functools.cache
def _missing() -> tuple[str, ...]:
    return tuple(missing_browser_dependencies())


def pytest_runtest_setup(item: pytest.Item) -> None:
    if not _ours(item) or not _missing():
        return
    reason = "browser tests skipped / 浏览器测试已跳过: missing " + "; ".join(_missing())
    if os.environ.get("FISCALLENS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"FISCALLENS_REQUIRE_BROWSER=1, but {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test asking for `app_page` runs once per st.Page of app.py."""
    if "app_page" in metafunc.fixturenames:
        pages = app_pages()
        metafunc.parametrize("app_page", pages, ids=[p.id for p in pages])


@pytest.fixture(scope="session")
def app_server(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    server = start_app(warehouse, tmp_path_factory.mktemp("app_server"))
    try:
        yield server
    finally:
        stop_app(server)


@pytest.fixture(scope="session")
def app_url(app_server: AppServer) -> str:
    return app_server.url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def browser_context(browser):
    """One context for the session, so the app's JavaScript (plotly is large) is fetched and compiled once."""
    context = new_context(browser)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def tab(browser_context, app_url: str) -> Iterator[Tab]:
    tab = open_tab(browser_context, app_url)
    try:
        yield tab
    finally:
        tab.page.close()


@pytest.fixture
def cold_app(warehouse: Path, tmp_path: Path) -> Iterator[AppServer]:
    """A server of its own that nobody has visited yet: what the first visitor after a (re)start gets."""
    server = start_app(warehouse, tmp_path)
    try:
        yield server
    finally:
        stop_app(server)


@pytest.fixture
def cold_tab(browser, cold_app: AppServer) -> Iterator[Tab]:
    context = new_context(browser)
    try:
        yield open_tab(context, cold_app.url)
    finally:
        context.close()
