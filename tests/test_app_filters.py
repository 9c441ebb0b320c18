"""Filters that follow the user (issue 16): one state for every page, always in the URL, county and scope
levels, the shared 决算/预算 basis, click-through from charts and from 报告目录 (AppTest, no browser)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from fiscallens import charts, screen_charts
from fiscallens.queries import get_query, load_queries
from tests.conftest import run_page
from ui.filters import Selection, click_target

ROOT = Path(__file__).resolve().parent.parent
FILTER_MACROS = re.compile(r"\b(selected_reports|selected_summary|selected_evaluations|matching_reports)\(([^)]*)\)")
FILTER_PARAMS = ("province", "prefecture", "department", "year_from", "year_to", "doc_type", "county", "scope")


def url(at: AppTest, key: str) -> str | None:
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def test_every_filtered_query_takes_every_filter() -> None:
    """A page passes Selection.as_params() to every query that applies the filter: a query calling the
    filter macros must take all eight parameters (else the page fails, or silently ignores a filter)."""
    for name, query in load_queries().items():
        for macro, args in FILTER_MACROS.findall(query.sql):
            assert len([a for a in args.split(",") if a.strip()]) == len(FILTER_PARAMS), (name, macro)
            if {"year_from", "year_to", "doc_type"} <= set(query.params):  # one that takes the filters
                assert {"county", "scope"} <= set(query.params), name


def test_a_province_set_on_one_page_stays_on_every_page(app_env: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.sidebar.selectbox(key="filter_province").select("湖南省").run()
    assert url(at, "province") == "湖南省"
    for page in ("execution", "functions", "three_public", "scores", "reports", "quality", "report_explorer"):
        # Streamlit's navigation links drop the query string: the page restores it from the session.
        at.query_params.clear()
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, page
        assert at.sidebar.selectbox(key="filter_province").value == "湖南省", page
        assert url(at, "province") == "湖南省", page
    # (AppTest runs a page without app.py, whose sync_url keeps the filters in the URL of pages without
    # filters such as 自助查询: the browser test covers those.)
    at.query_params.clear()
    at.switch_page("pages/sql_workbench.py").run()
    at.switch_page("pages/overview.py").run()
    assert at.sidebar.selectbox(key="filter_province").value == "湖南省"


def test_a_link_with_other_filters_replaces_the_state(app_env: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.sidebar.selectbox(key="filter_province").select("湖南省").run()
    at.query_params.clear()
    at.query_params["province"] = "贵州省"  # a deep link or an edited address
    at.switch_page("pages/reports.py").run()
    assert at.sidebar.selectbox(key="filter_province").value == "贵州省"
    assert set(at.dataframe[0].value["省份"]) == {"贵州省"}


def test_county_offers_the_counties_of_the_prefecture_and_filters(app_env: Path) -> None:
    at = run_page("reports", province="上海市", prefecture="上海市")
    assert at.sidebar.selectbox(key="filter_county").options == ["全部", "普陀区"]
    at.sidebar.selectbox(key="filter_county").select("普陀区").run()
    assert url(at, "county") == "普陀区"
    assert set(at.dataframe[0].value["区县"]) == {"普陀区"}
    # Levels below a changed level are cleared: another province has no 普陀区.
    at.sidebar.selectbox(key="filter_province").select("贵州省").run()
    assert not at.exception
    assert url(at, "county") is None and url(at, "prefecture") is None


def test_scope_unit_shows_unit_reports_the_default_view_leaves_out(app_env: Path) -> None:
    default = run_page("execution", province="上海市")
    units = run_page("reports", scope="unit")
    assert set(units.dataframe[0].value["口径"]) == {"单位"}
    assert units.sidebar.selectbox(key="filter_scope").value == "unit"
    # On a dashboard, 单位 counts the unit report that the default view leaves to its department.
    unit_kpi = run_page("overview", scope="unit")
    assert not unit_kpi.exception and not default.exception
    reports = {m.label: m.value for m in unit_kpi.metric}
    assert reports["报告"].startswith("1 ")


def test_basis_is_a_shared_filter_in_the_url(app_env: Path) -> None:
    at = run_page("functions")
    assert at.sidebar.radio(key="filter_basis").value == "决算"
    at.sidebar.radio(key="filter_basis").set_value("预算").run()
    assert url(at, "basis") == "budget"
    again = run_page("functions", basis="budget")
    assert again.sidebar.radio(key="filter_basis").value == "预算"
    treemap = json.loads(again.get("echarts_chart")[0].proto.spec)
    assert "预算" in json.dumps(treemap["title"], ensure_ascii=False)


def test_report_list_findings_obey_the_filter(app_env: Path) -> None:
    # The findings are the page's second view (its tab runs only when open).
    everything = run_page("reports", tab="数据质量发现")
    guizhou = run_page("reports", province="贵州省")
    listed = set(guizhou.dataframe[0].value["报告标识"])
    findings = run_page("reports", province="贵州省", tab="数据质量发现").dataframe[0].value
    assert len(findings) and set(findings["报告标识"]) <= listed
    assert not set(everything.dataframe[0].value["报告标识"]) <= listed
    quality = run_page("quality", province="贵州省")
    assert set(quality.dataframe[0].value["报告标识"].dropna()) <= listed


OPTIONS = pd.DataFrame(
    {
        "province": ["贵州省", "湖南省", "上海市"],
        "prefecture": ["黔南布依族苗族自治州", "湘潭市", "上海市"],
        "department": ["黔南州大数据发展管理局", "湘潭市数据局", "上海市普陀区财政局"],
        "fiscal_year": [2022, 2023, 2024],
        "doc_type": ["dept_self_eval", "dept_evaluation", "final_accounts"],
        "county": [None, None, "普陀区"],
        "scope": ["department", "department", "department"],
        "region_label": ["黔南州", "湘潭市", "普陀区"],
    }
)


@pytest.mark.parametrize(
    ("point", "report", "changes"),
    [
        ({"x": "湖南省", "y": 98.5}, None, {"province": "湖南省"}),
        ({"x": 2023, "y": 12.0, "customdata": [2023]}, None, {"year_from": 2023, "year_to": 2023}),
        # a bare number on an axis may be an amount or a count (2,023 reports): not read as a year
        ({"x": "评价对象", "y": 2023}, None, {}),
        (
            {"x": "2023", "y": "黔南州"},
            None,
            {"year_from": 2023, "year_to": 2023, "province": "贵州省", "prefecture": "黔南布依族苗族自治州"},
        ),
        ({"x": "普陀区", "y": 3}, None, {"province": "上海市", "prefecture": "上海市", "county": "普陀区"}),
        ({"x": 91.0, "y": 80.0, "customdata": ["Rf8018dce265d-v2", "x"]}, "Rf8018dce265d-v2", {}),
        ({"x": "湘潭市数据局", "y": 1}, None, {"department": "湘潭市数据局"}),
        ({"x": 1999, "y": "某地"}, None, {}),
    ],
)
def test_a_clicked_point_narrows_to_its_region_and_year_or_opens_its_report(
    point: dict, report: str | None, changes: dict
) -> None:
    assert click_target(point, OPTIONS) == (report, changes)


def test_narrowing_a_region_clears_the_levels_below() -> None:
    chosen = Selection(province="湖南省", prefecture="湘潭市", department="湘潭市数据局", year_from=2022)
    narrowed = chosen.narrowed(province="贵州省")
    assert (narrowed.prefecture, narrowed.department, narrowed.year_from) == (None, None, 2022)
    assert Selection(basis="budget").as_query() == {"basis": "budget"} and Selection().as_query() == {}
    assert "单位报告" in Selection(scope="unit").describe()


# --- every chart's points carry what a click needs (issue 16: click-through) ---------------------------


def _points(fig) -> list[dict]:
    """The point each clickable item of the chart on screen (ECharts) stands for, as a click reports it
    (screen_charts.clicked_point: what ui.filters hands to click_target)."""
    figure = fig.to_dict()
    out = []
    for s, series in enumerate(screen_charts.option(figure)["series"]):
        if series.get("silent") or "selectedMode" not in series:  # labels only, not clickable
            continue
        for i in range(len(series["data"])):
            point = screen_charts.clicked_point(figure, s, i)
            if point is not None:
                out.append(point)
    return out


def _targets(fig) -> list[tuple[str | None, dict]]:
    return [click_target(point, OPTIONS) for point in _points(fig)]


def test_region_and_year_charts_narrow_to_the_clicked_region_and_year() -> None:
    from fiscallens import charts

    rates = pd.DataFrame(
        {
            "地区": ["黔南州", "湘潭市"],
            "年度": [2022, 2023],
            "报告数": [2023, 1],  # a count that looks like a year must not be taken for one
            "年初预算（万元）": [2021.0, 10.0],
            "全年预算（万元）": [2022.0, 12.0],
            "执行数（万元）": [2000.0, 12.0],
            "执行率（%）": [98.9, 100.0],
            "占年初预算（%）": [99.0, 120.0],
        }
    )
    qiannan = {"province": "贵州省", "prefecture": "黔南布依族苗族自治州", "year_from": 2022, "year_to": 2022}
    xiangtan = {"province": "湖南省", "prefecture": "湘潭市", "year_from": 2023, "year_to": 2023}
    assert _targets(charts.execution_rates(rates, "测试")) == [(None, qiannan), (None, xiangtan)]
    assert set(map(str, _targets(charts.execution_two_views(rates, "测试")))) == {
        str((None, qiannan)),
        str((None, xiangtan)),
    }
    by_code = rates.assign(
        口径="决算", **{"合计（万元）": [1.0, 2.0], "基本支出（万元）": 0.0, "项目支出（万元）": 1.0}
    )
    assert _targets(charts.function_code_compare(by_code, "201", "测试")) == [(None, qiannan), (None, xiangtan)]
    three = pd.DataFrame(
        {
            "地区": ["黔南州", "黔南州"],
            "年度": [2022, 2022],
            "item": ["total", "reception"],
            "项目": ["合计", "公务接待费"],
            "口径": ["决算", "决算"],
            "预算数（万元）": [3.0, 1.0],
            "决算数（万元）": [2.0, 1.0],
            "含推算": [False, False],
        }
    )
    assert _targets(charts.three_public_trend(three, "测试")) == [(None, qiannan)]
    assert _targets(charts.three_public_items(three, "测试")) == [(None, qiannan), (None, qiannan)]
    losses = pd.DataFrame(
        {
            "地区": ["湘潭市"],
            "年度": [2023],
            "评价对象": ["某项目"],
            "三级指标": ["验收合格率"],
            "年度指标值": ["100%"],
            "实际完成值": ["95%"],
            "分值": [6.0],
            "得分": [5.0],
            "失分": [1.0],
        }
    )
    assert _targets(charts.indicator_losses(losses, "测试")) == [(None, xiangtan)]


def test_score_charts_open_the_report_or_narrow_to_the_region() -> None:
    from fiscallens import charts

    points = pd.DataFrame(
        {
            "地区": ["黔南州", "湘潭市"],
            "年度": [2021, 2023],
            "部门（单位）": ["黔南州大数据发展管理局", "湘潭市数据局"],
            "评价对象": ["黔南州大数据发展管理局", "某项目"],
            "自评得分": [100.0, 90.0],
            "执行率（%）": [98.79, 0.0],
            "评价对象总数": [2, 2],
            "报告标识": ["R0039d6bdb8cf", "Ra88093ccccd7-v2"],
        }
    )
    assert _targets(charts.score_vs_execution(points, "测试")) == [("R0039d6bdb8cf", {}), ("Ra88093ccccd7-v2", {})]
    boxes = pd.DataFrame(
        {
            "地区": ["湖南省", "贵州省"],
            "评价对象数": [2023, 1],  # a box of 2023 evaluations, one region of a single score drawn as a point
            "报告数": [1, 1],
            "最低分": [60.0, 90.0],
            "下四分位": [80.0, 90.0],
            "中位数": [85.0, 90.0],
            "上四分位": [90.0, 90.0],
            "最高分": [100.0, 90.0],
            "平均分": [84.0, 90.0],
            "各对象得分": [None, [90.0]],
        }
    )
    assert _targets(charts.score_distribution(boxes, "测试")) == [
        (None, {"province": "湖南省"}),
        (None, {"province": "贵州省"}),
    ]


def test_rankings_peers_and_trends_open_reports_or_narrow() -> None:
    from fiscallens import ranking_charts

    regions = pd.DataFrame({"名次": [1, 2], "参与排名数": [2, 2], "地区": ["贵州省", "湖南省"], "数值": [99.9, 95.2]})
    figure = ranking_charts.ranking_bars(regions, "execution_rate", "地区", "地区排名", "测试")
    assert _targets(figure) == [(None, {"province": "贵州省"}), (None, {"province": "湖南省"})]
    departments = regions.assign(
        **{"部门（单位）": ["黔南州大数据发展管理局", "湘潭市数据局"], "年度": [2021, 2023]},
        报告标识=["R0039d6bdb8cf", "Ra88093ccccd7"],
    )
    figure = ranking_charts.ranking_bars(departments, "execution_rate", "部门（单位）", "部门排名", "测试")
    assert [report for report, _ in _targets(figure)] == ["R0039d6bdb8cf", "Ra88093ccccd7"]
    peers = departments.assign(**{"执行率（%）": [99.9, 95.2]})
    figure = ranking_charts.peer_bars(peers, "执行率（%）", "湘潭市数据局", "大数据局")
    assert [report for report, _ in _targets(figure)] == ["R0039d6bdb8cf", "Ra88093ccccd7"]
    trend = pd.DataFrame(
        {
            "年度": [2022, 2023],
            "文档类型": ["部门决算", "部门决算"],
            "口径": ["决算", "决算"],
            "支出合计（万元）": [10.0, 2023.0],
            "基本支出（万元）": [4.0, None],
            "项目支出（万元）": [6.0, None],
        }
    )
    years = {target["year_from"] for _, target in _targets(ranking_charts.trend_bars(trend, "湘潭市数据局"))}
    assert years == {2022, 2023}
    assert {target["department"] for _, target in _targets(ranking_charts.trend_bars(trend, "湘潭市数据局"))} == {
        "湘潭市数据局"
    }


def _chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("echarts_chart")]


def test_pages_draw_points_that_open_reports_or_narrow(app_env: Path) -> None:
    """On the pages themselves (AppTest): the score scatter's points name reports of the warehouse, the
    ranking's bars name regions, and a click on them would open / narrow (click_target on the warehouse's
    filter options)."""
    from fiscallens.warehouse import connect_readonly

    con = connect_readonly(app_env)
    try:
        options = get_query("filter_options").run(con)
        reports = {row[0] for row in con.execute("SELECT report_id FROM reports").fetchall()}
    finally:
        con.close()
    scores = run_page("scores", tab="自评得分与执行率")
    assert not scores.exception
    scatter = next(s for s in _chart_specs(scores) if "自评得分与预算执行率" in s["title"]["text"])
    assert scatter["series"][0]["selectedMode"] == "single" and scatter["series"][0]["data"]
    # A click on an item: the point ui.filters maps it to, from the page's own figure.
    con = connect_readonly(app_env)
    try:
        drawn = get_query("score_execution_points").run(con, limit=charts.MAX_SCATTER_POINTS, **Selection().as_params())
    finally:
        con.close()
    figure = charts.score_vs_execution(drawn, "测试").to_dict()
    assert screen_charts.option(figure)["series"][0]["data"] == scatter["series"][0]["data"], "not the page's chart"
    points = [screen_charts.clicked_point(figure, 0, i) for i in range(len(scatter["series"][0]["data"]))]
    ids = [p["customdata"][0] for p in points]
    assert ids and set(ids) <= reports
    assert click_target(points[0], options) == (ids[0], {})
    ranking = run_page("rankings")
    assert not ranking.exception
    bars = _chart_specs(ranking)[0]["series"][0]
    assert bars["selectedMode"] == "single"
    labels = [item["value"][1] for item in bars["data"]]
    assert labels and all(report is None for report, _ in (click_target({"y": y}, options) for y in labels))
    assert all("province" in click_target({"y": y}, options)[1] for y in labels)


def test_long_lists_wait_for_a_narrower_region(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """issue 17: thousands of departments in one selectbox were most of a first page's bytes at 100k reports."""
    monkeypatch.setattr("fiscallens.settings.FILTER_CHOICES_LIMIT", 2)
    at = run_page("reports")
    assert not at.exception
    labels = [s.label for s in at.sidebar.selectbox]
    assert "部门（单位）" not in labels
    assert any("请先选择" in c.value and "部门（单位）" in c.value for c in at.sidebar.caption)
    # A department named by a link is still offered, alone, and applies.
    from fiscallens.warehouse import connect_readonly

    con = connect_readonly(app_env)
    try:
        name = get_query("filter_options").run(con)["department"].dropna().iloc[0]
    finally:
        con.close()
    at = run_page("reports", department=name)
    box = at.sidebar.selectbox(key="filter_department")
    assert box.value == name and list(box.options) == ["全部", name]
    assert set(at.dataframe[0].value["部门（单位）"]) == {name}


def test_peer_page_finds_a_department_by_typing_when_there_are_too_many(
    app_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """issue 17: 同类部门 offered every department (9,561 at 100k reports: 1.4 MB and 0.25 s per visit). Past the
    limit it offers what a search finds, the department shown kept first."""
    monkeypatch.setattr("fiscallens.settings.FILTER_CHOICES_LIMIT", 2)
    at = run_page("department")
    assert not at.exception
    box = at.selectbox(key="peer_department")
    shown = box.value
    assert len(box.options) == 2
    search = at.text_input(key="peer_search")
    assert "个部门" in search.placeholder
    search.set_value("大数据").run()
    box = at.selectbox(key="peer_department")
    names = [o.split("（")[0] for o in box.options]  # labels are "name（kind）"
    found = [n for n in names if "大数据" in n]
    assert found and len(found) <= 2 and len(names) <= 3  # at most the limit found, and the one shown
    assert box.value == shown and names[0] == shown
    box.set_value(found[-1]).run()
    assert not at.exception
    assert url(at, "peer_of") == found[-1]
    assert any("所选部门：" in c.value and "大数据" in c.value for c in at.caption)
