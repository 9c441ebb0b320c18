"""Pages show their views as tabs whose content runs only when open, the open tab kept in the URL (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import run_page

ROOT = Path(__file__).resolve().parent.parent
# page → its views, in order
VIEWS = {
    "execution": ["执行率", "占全年预算与占年初预算", "各报告执行情况", "项目执行明细"],
    "functions": ["科目结构", "基本支出与项目支出", "单个科目比较"],
    "three_public": ["合计趋势", "分项：预算数与决算数", "同比变化"],
    "scores": ["得分分布与等级", "自评得分与执行率", "失分最多的指标"],
}


def _filled(at: AppTest) -> list[bool]:
    """Per tab: does it hold anything?"""
    return [bool(tab.children) for tab in at.tabs]


@pytest.mark.parametrize("page", list(VIEWS))
def test_only_the_open_view_is_made(app_env: Path, page: str) -> None:
    at = run_page(page)
    assert not at.exception, at.exception
    assert [tab.label for tab in at.tabs] == VIEWS[page]
    assert _filled(at) == [True] + [False] * (len(VIEWS[page]) - 1), "closed tabs must be empty (not run)"
    for index, label in enumerate(VIEWS[page][1:], start=1):
        other = run_page(page, tab=label)
        assert not other.exception, (label, other.exception)
        assert _filled(other) == [i == index for i in range(len(VIEWS[page]))], label
        assert other.query_params["tab"] in (label, [label])


def test_a_tab_unknown_to_the_page_opens_the_first_view(app_env: Path) -> None:
    at = run_page("three_public", tab="同比变化x")
    assert not at.exception
    assert _filled(at)[0] and "tab" not in at.query_params


def test_a_chart_table_is_made_only_when_opened(app_env: Path) -> None:
    at = run_page("three_public")
    assert len(at.get("echarts_chart")) == 1 and len(at.dataframe) == 0
    at.session_state["data_trend"] = True
    at.run()
    assert not at.exception
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) > 0


def test_the_peer_groups_spending_mix_is_made_only_when_opened(app_env: Path) -> None:
    """Thousands of rows at 100k reports (850 KB on every visit of 同类部门): now behind an expander."""
    at = run_page("department")
    assert not at.exception
    assert len(at.dataframe) == 0 and any("支出结构" in e.label for e in at.expander)
    at.session_state["peer_mix"] = True
    at.run()
    assert not at.exception
    assert len(at.dataframe) == 1 and "占比" in " ".join(at.dataframe[0].value.columns)


def test_brief_mode_shows_every_view(app_env: Path) -> None:
    at = run_page("scores", brief="1")
    assert not at.exception
    assert not at.tabs
    assert len(at.get("plotly_chart")) >= 4


def test_a_cached_figure_sends_the_same_json_on_its_first_and_later_views() -> None:
    """A clickable chart is identified by its JSON: a first view differing from the cached ones (property
    order after unpickling) lost the click made on it (browser test test_browser_clicks caught it)."""
    import pandas as pd
    import plotly.io as pio

    from fiscallens import ranking_charts
    from ui.components import cached_figure

    frame = pd.DataFrame({"地区": ["贵州省", "湖南省"], "数值": [98.5, 90.25], "参与排名数": [2, 2]})
    frame["执行率（%）"] = frame["数值"]
    args = ("execution_rate", "地区", "地区排名（共 2 个）", "全部")
    first = pio.to_json(cached_figure(ranking_charts.ranking_bars, frame, *args), validate=False)
    later = pio.to_json(cached_figure(ranking_charts.ranking_bars, frame, *args), validate=False)
    assert first == later
