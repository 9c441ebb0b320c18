"""Click-through in Debian's Chromium (issue 16): a point of the score/execution scatter opens the report
behind it (报告详情), a bar of the region ranking narrows the filters to that region, a bar of the department
ranking opens that department's report."""

from __future__ import annotations

from pathlib import Path

from browserkit import Tab, echarts_option, query, screenshot, settle, sidebar_choice, titles


def _chart(page, title: str):
    """The chart (ECharts, drawn as SVG) whose title contains `title`."""
    return page.locator('[data-testid="stEChartsChart"]').filter(has_text=title).first


def _items(chart):
    """The drawn items (bars, points) of the chart's first series: SVG paths in the series' colour."""
    color = echarts_option(chart)["series"][0]["itemStyle"]["color"]
    return chart.locator(f'path[fill="{color}"]')


def test_a_point_of_the_score_scatter_opens_its_report(tab: Tab, app_url: str, tmp_path: Path) -> None:
    page = tab.page
    page.goto(f"{app_url}/evaluation-scores?province=贵州省&tab=自评得分与执行率")
    settle(page)
    chart = _chart(page, "自评得分与预算执行率")
    chart.scroll_into_view_if_needed()
    _items(chart).first.click()
    page.wait_for_url(lambda url: "/report-detail" in url and "report=" in url, timeout=30_000)
    settle(page)
    screenshot(page, tmp_path / "scatter-opens-report.png")
    tab.assert_healthy()
    assert "报告详情" in titles(page)
    assert query(page)["report"][0].startswith("R") and query(page)["province"] == ["贵州省"]


def test_a_bar_of_the_region_ranking_narrows_the_filters(tab: Tab, app_url: str, tmp_path: Path) -> None:
    page = tab.page
    page.goto(f"{app_url}/rankings")
    settle(page)
    assert "province" not in query(page)
    _items(_chart(page, "地区排名")).first.click()
    page.wait_for_url(lambda url: "province=" in url, timeout=30_000)
    settle(page)
    screenshot(page, tmp_path / "ranking-narrows.png")
    tab.assert_healthy()
    chosen = query(page)["province"][0]
    assert sidebar_choice(page, "省份") == chosen
    assert "/rankings" in page.url


def test_a_bar_of_the_department_ranking_opens_its_report(tab: Tab, app_url: str, tmp_path: Path) -> None:
    page = tab.page
    page.goto(f"{app_url}/rankings?rank_by=department")
    settle(page)
    _items(_chart(page, "部门排名")).first.click()
    page.wait_for_url(lambda url: "/report-detail" in url and "report=" in url, timeout=30_000)
    settle(page)
    tab.assert_healthy()
    assert "报告详情" in titles(page)
