"""Filters that follow the user (issue 16): one state for every page, always in the URL, county and scope
levels, the shared 决算/预算 basis, click-through from charts and from 报告目录 (AppTest, no browser)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from fiscallens.queries import load_queries
from ui.filters import Selection, click_target

ROOT = Path(__file__).resolve().parent.parent
FILTER_MACROS = re.compile(r"\b(selected_reports|selected_summary|selected_evaluations|matching_reports)\(([^)]*)\)")
FILTER_PARAMS = ("province", "prefecture", "department", "year_from", "year_to", "doc_type", "county", "scope")


def run_page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


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
    treemap = json.loads(again.get("plotly_chart")[0].proto.spec)
    assert "预算" in json.dumps(treemap["layout"], ensure_ascii=False)


def test_report_list_findings_obey_the_filter(app_env: Path) -> None:
    everything = run_page("reports")
    guizhou = run_page("reports", province="贵州省")
    listed = set(guizhou.dataframe[0].value["报告标识"])
    findings = guizhou.dataframe[1].value
    assert len(findings) and set(findings["报告标识"]) <= listed
    assert not set(everything.dataframe[1].value["报告标识"]) <= listed
    quality = run_page("quality", province="贵州省")
    assert set(quality.dataframe[0].value["报告标识"].dropna()) <= listed


def test_a_row_of_the_report_list_opens_its_report(app_env: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["province"] = "贵州省"
    at.run()
    at.switch_page("pages/reports.py").run()
    picker = at.selectbox(key="open_report")
    target = picker.options[0]
    assert "nan" not in target and "None" not in target
    report_id = at.dataframe[0].value["报告标识"].iloc[0]
    picker.select_index(0).run()
    assert not at.exception
    assert at.title[0].value == "报告详情"
    assert url(at, "report") == report_id and url(at, "province") == "贵州省"


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
        ({"x": 2023, "y": 12.0}, None, {"year_from": 2023, "year_to": 2023}),
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
