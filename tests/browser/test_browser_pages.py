"""Every page of app.py in Debian's Chromium: it renders without an exception and shows its title and charts;
the sidebar filters and the URL's query parameters work. A full-page screenshot of each page goes to the
test's tmp dir (pytest's basetemp, e.g. /tmp/pytest-of-root/pytest-current/)."""

from __future__ import annotations

from pathlib import Path

from browserkit import (
    AppPage,
    Tab,
    app_pages,
    choose_in_sidebar,
    plots,
    query,
    screenshot,
    settle,
    sidebar_choice,
    source_captions,
    titles,
)


def test_the_page_list_comes_from_app_py() -> None:
    pages = app_pages()
    assert len(pages) >= 8, "no st.Page(...) calls found in app.py: the page test would visit nothing"
    assert [p.url_path for p in pages].count("") == 1, "exactly one default page"
    assert any(p.least_charts for p in pages), "no chart expectations found in tests/test_app.py PAGES"


def test_page_renders(tab: Tab, app_url: str, app_page: AppPage, tmp_path: Path) -> None:
    page = tab.page
    page.goto(f"{app_url}/{app_page.url_path}")
    settle(page)
    screenshot(page, tmp_path / f"{app_page.id}.png")
    tab.assert_healthy()
    shown = titles(page)
    if app_page.title is not None:
        assert app_page.title in shown, f"{app_page.file}: h1 {shown}, expected {app_page.title!r}"
    else:
        assert any(shown), f"{app_page.file}: no page title"
    active = page.locator('[data-testid="stSidebarNavLink"][aria-current="page"] [data-testid="stMarkdownContainer"]')
    assert [t.strip() for t in active.all_inner_texts()] == [app_page.nav_title]
    charts = plots(page)
    assert len(charts) >= app_page.least_charts, f"{app_page.file}: {len(charts)} charts drawn"
    assert all(chart["traces"] for chart in charts), "a chart without data"


def test_changing_a_filter_changes_the_chart_and_the_url(tab: Tab, app_url: str, tmp_path: Path) -> None:
    page = tab.page
    page.goto(f"{app_url}/budget-execution")
    settle(page)
    before, captions_before = plots(page), source_captions(page)
    assert before and captions_before
    assert "province" not in query(page)

    choose_in_sidebar(page, "省份", "湖南省")
    page.wait_for_url(lambda url: "province=" in url)
    settle(page)
    screenshot(page, tmp_path / "budget-execution-hunan.png")

    tab.assert_healthy()
    assert query(page)["province"] == ["湖南省"]
    assert sidebar_choice(page, "省份") == "湖南省"
    after, captions_after = plots(page), source_captions(page)
    points = [sum(trace["n"] for trace in chart["traces"]) for chart in (before[0], after[0])]
    assert 0 < points[1] < points[0], f"execution-rate bars before/after choosing 湖南省: {points}"
    assert "湖南省" in after[0]["title"] and "湖南省" not in before[0]["title"]
    assert captions_after != captions_before


def _open_the_deep_link(tab: Tab, origin: str, shot: Path) -> None:
    """/budget-execution?province=湖南省 opens that page with that filter set, and nothing else on screen."""
    tab.page.goto(f"{origin}/budget-execution?province=湖南省")
    settle(tab.page)
    screenshot(tab.page, shot)
    tab.assert_healthy()  # no "Page not found" dialog among others
    assert "预算执行" in titles(tab.page)
    assert sidebar_choice(tab.page, "省份") == "湖南省"


def test_a_deep_link_opens_with_its_filter(tab: Tab, app_url: str, tmp_path: Path) -> None:
    page = tab.page
    _open_the_deep_link(tab, app_url, tmp_path / "deep-link.png")
    assert query(page)["province"] == ["湖南省"]
    charts = plots(page)
    assert charts and "湖南省" in charts[0]["title"]


def test_a_deep_link_as_the_first_visit_after_a_start(cold_tab: Tab, tmp_path: Path) -> None:
    """Streamlit picks legacy pages/-folder routing on a process's first script run, where /budget-execution is
    unknown: with plain `streamlit run app.py` the first visitor after a start sees "Page not found"."""
    _open_the_deep_link(cold_tab, cold_tab.origin, tmp_path / "cold-deep-link.png")
