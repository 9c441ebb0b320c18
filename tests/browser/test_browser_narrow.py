"""Narrow screens and row clicks (issue 16), in Debian's Chromium: at 800 px the sidebar starts collapsed and
every KPI value is shown whole (it read "202…"); at 1440 px the sidebar stays open; a click on a row of
报告目录 opens that report's 报告详情."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browserkit import Tab, new_context, open_tab, query, screenshot, settle, titles

NARROW = {"width": 800, "height": 900}
WIDE = {"width": 1440, "height": 900}
# Glide data grid (st.dataframe) geometry: the header row and the data rows are this tall (px), and the
# row-selection checkboxes sit in a column this wide at the left edge.
GRID_ROW_PX = 35
GRID_MARKER_PX = 30

# Each st.metric value whose text does not fit its box (cut with "…" or spilling over).
_CUT_METRICS_JS = """() => Array.from(document.querySelectorAll('[data-testid="stMetricValue"]')).flatMap(value =>
  [value, ...value.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0)
    .map(e => `${value.innerText} (${e.scrollWidth} > ${e.clientWidth})`))"""


def _sidebar_collapsed(page) -> bool:
    return page.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed") == "true"


@pytest.fixture
def sized_tab(browser, app_url: str, request: pytest.FixtureRequest) -> Iterator[Tab]:
    """A tab in a fresh context (no remembered sidebar state) of the viewport given by indirect parametrize."""
    context = new_context(browser)
    try:
        tab = open_tab(context, app_url)
        tab.page.set_viewport_size(request.param)
        yield tab
    finally:
        context.close()


@pytest.mark.parametrize("sized_tab", [NARROW], indirect=True, ids=["800px"])
def test_at_800_px_the_sidebar_is_collapsed_and_kpis_are_whole(sized_tab: Tab, app_url: str, tmp_path: Path) -> None:
    page = sized_tab.page
    page.goto(app_url)
    settle(page)
    page.wait_for_function(
        """() => document.querySelector('[data-testid="stSidebar"]')?.dataset.collapsed === 'true'""",
        timeout=10_000,
    )
    settle(page)
    screenshot(page, tmp_path / "overview-800px.png")
    sized_tab.assert_healthy()
    assert titles(page) == ["总览"]
    assert page.locator('[data-testid="stMetricValue"]').count() >= 7
    assert page.evaluate(_CUT_METRICS_JS) == []
    # The person can still open it: the filters are one click away.
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    page.wait_for_function(
        """() => document.querySelector('[data-testid="stSidebar"]').dataset.collapsed === 'false'"""
    )
    settle(page)
    assert page.evaluate(_CUT_METRICS_JS) == []  # with the sidebar open, "2021–2025" was cut by 2 px


@pytest.mark.parametrize("sized_tab", [WIDE], indirect=True, ids=["1440px"])
def test_at_1440_px_the_sidebar_is_open(sized_tab: Tab, app_url: str) -> None:
    page = sized_tab.page
    page.goto(app_url)
    settle(page)
    page.wait_for_timeout(1000)  # time for anything that would collapse it
    assert not _sidebar_collapsed(page)
    assert page.evaluate(_CUT_METRICS_JS) == []
    sized_tab.assert_healthy()


def test_clicking_a_row_of_the_report_list_opens_its_report(tab: Tab, app_url: str, tmp_path: Path) -> None:
    page = tab.page
    page.goto(f"{app_url}/report-list?province=贵州省")
    settle(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    # The first data row's selection checkbox (the grid is drawn on a canvas: click where it is drawn).
    page.mouse.click(box["x"] + GRID_MARKER_PX / 2, box["y"] + GRID_ROW_PX * 1.5)
    page.wait_for_url(lambda url: "/report-detail" in url and "report=" in url)
    settle(page)
    screenshot(page, tmp_path / "report-detail-from-row.png")
    tab.assert_healthy()
    assert "报告详情" in titles(page)
    assert query(page)["province"] == ["贵州省"] and query(page)["report"][0].startswith("R")
