"""Filters that follow the user (issue 16), in Debian's Chromium: a province chosen on 总览 stays in the URL and
the sidebar on every page reached through the sidebar's navigation links (which drop the query string); a click
on a chart narrows the filter; a row of 报告目录 opens its 报告详情."""

from __future__ import annotations

from pathlib import Path

from browserkit import Tab, app_pages, choose_in_sidebar, echarts_option, query, screenshot, settle, sidebar_choice

PROVINCE = "湖南省"


def _nav_link(page, title: str):
    """The sidebar navigation link of a page (expanding the list when Streamlit folds it)."""
    link = page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=title).first
    more = page.locator('[data-testid="stSidebarNavViewButton"]')
    if not link.is_visible() and more.count():
        more.first.click()
    return link


def test_a_province_chosen_once_follows_through_every_page(tab: Tab, app_url: str, tmp_path: Path) -> None:
    page = tab.page
    page.goto(app_url)
    settle(page)
    choose_in_sidebar(page, "省份", PROVINCE)
    page.wait_for_url(lambda url: "province=" in url)
    settle(page)
    for app_page in app_pages():
        _nav_link(page, app_page.nav_title).click()
        page.wait_for_url(lambda url, path=app_page.url_path: f"/{path}" in url and "province=" in url)
        settle(page)
        screenshot(page, tmp_path / f"{app_page.id}-{PROVINCE}.png")
        tab.assert_healthy()
        assert query(page).get("province") == [PROVINCE], (app_page.file, page.url)
        has_filters = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="省份").count()
        if has_filters:
            assert sidebar_choice(page, "省份") == PROVINCE, app_page.file


def test_basis_chosen_on_one_page_is_in_the_url_of_the_next(tab: Tab, app_url: str) -> None:
    page = tab.page
    page.goto(f"{app_url}/functional-spending")
    settle(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("预算", exact=True).click()
    page.wait_for_url(lambda url: "basis=budget" in url)
    settle(page)
    _nav_link(page, "总览").click()
    page.wait_for_url(lambda url: "basis=budget" in url and "functional-spending" not in url)
    settle(page)
    _nav_link(page, "功能分类").click()
    page.wait_for_url(lambda url: "functional-spending" in url and "basis=budget" in url)
    settle(page)
    tab.assert_healthy()


def test_clicking_a_region_bar_narrows_the_filter(tab: Tab, app_url: str, tmp_path: Path) -> None:
    page = tab.page
    page.goto(f"{app_url}/budget-execution")
    settle(page)
    assert "province" not in query(page)
    chart = page.locator('[data-testid="stEChartsChart"]').first
    first_year = echarts_option(chart)["series"][0]["itemStyle"]["color"]
    chart.locator(f'path[fill="{first_year}"]').first.click()
    page.wait_for_url(lambda url: "province=" in url)
    settle(page)
    screenshot(page, tmp_path / "clicked-bar.png")
    tab.assert_healthy()
    chosen = query(page)["province"][0]
    assert sidebar_choice(page, "省份") == chosen
