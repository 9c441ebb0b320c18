"""Rankings, peer groups (department kinds), a department's years and budget vs actual from two documents."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from fiscallens import marts, peers
from fiscallens.load import create_schema
from fiscallens.queries import get_query
from fiscallens.regions import DEFAULT_PATH as REGIONS_CSV
from fiscallens.warehouse import connect_readonly

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def regions() -> peers.RegionPrefixes:
    import csv

    with REGIONS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return peers.RegionPrefixes([r["name"] for r in rows] + [s for r in rows for s in r["short_names"].split("|")])


@pytest.mark.parametrize(
    ("department", "kind"),
    [
        ("贵阳市大数据发展管理局(本级)", "大数据局"),
        ("黔南州大数据发展管理局", "大数据局"),
        ("黔南布依族苗族自治州大数据管理局", "大数据局"),
        ("湘潭市大数据和产业创新发展中心", "大数据局"),
        ("智慧湘西领导小组办公室", "大数据局"),
        ("上海市普陀区财政局", "财政局"),
        ("贵州省财政厅", "财政厅"),
        ("湘潭市司法局", "司法局"),
        ("长沙市岳麓区司法局（机关）", "司法局"),
        ("上海市普陀区商务委员会", "商务委"),
        ("湘潭市商务委", "商务委"),
        ("上海市普陀区人民政府办公室", "政府办公室"),
        ("上海市普陀区人民政府万里街道办事处", "街道办事处"),
        ("贵阳市机关事务管理局", "机关事务局"),
    ],
)
def test_kind_from_the_name(regions: peers.RegionPrefixes, department: str, kind: str) -> None:
    assert peers.department_kind(department, regions).kind == kind


def test_the_override_table_wins(regions: peers.RegionPrefixes, tmp_path: Path) -> None:
    table = tmp_path / "department_kinds.csv"
    table.write_text("department,kind\n湘潭市大数据和产业创新发展中心,产业促进中心\n,空行\n", encoding="utf-8")
    overrides = peers.read_overrides(table)
    assert overrides == {"湘潭市大数据和产业创新发展中心": "产业促进中心"}
    found = peers.department_kind("湘潭市大数据和产业创新发展中心", regions, overrides)
    assert (found.kind, found.rule) == ("产业促进中心", peers.RULE_OVERRIDE)
    assert peers.read_overrides(tmp_path / "missing.csv") == {}


def test_name_key_drops_region_and_brackets(regions: peers.RegionPrefixes) -> None:
    assert peers.name_key("贵阳市大数据发展管理局(本级)", regions) == "大数据发展管理局"
    assert peers.name_key("上海市普陀区财政局", regions) == "财政局"
    # A name that is only a place keeps its text rather than becoming empty.
    assert peers.name_key("贵阳市", regions) == "贵阳市"


def run(db: Path, name: str, **params: object):
    con = connect_readonly(db)
    try:
        return get_query(name).run(con, **params)
    finally:
        con.close()


def test_the_bundled_big_data_bureaus_form_one_peer_group(warehouse: Path) -> None:
    kinds = run(warehouse, "peer_kinds")
    big_data = kinds[kinds["部门类别"] == "大数据局"].iloc[0]
    assert big_data["部门数"] == 4 and big_data["地区数"] == 4
    peers_frame = run(warehouse, "peer_compare", kind="大数据局")
    assert set(peers_frame["地区"]) == {"贵阳市", "黔南州", "湘潭市", "湘西州"}


def test_wanli_budgets_over_three_years(warehouse: Path) -> None:
    # 009/010/011: 上海市普陀区万里街道 部门预算 2023–2025, 支出总计 printed on each 收支总表.
    trend = run(warehouse, "department_trend", department="上海市普陀区人民政府万里街道办事处")
    assert trend["年度"].tolist() == [2023, 2024, 2025]
    assert trend["支出合计（万元）"].tolist() == pytest.approx([16497.86, 15621.11, 18976.76])
    assert trend["比上年增减（万元）"].tolist()[1:] == pytest.approx([-876.75, 3355.64])
    assert set(trend["口径"]) == {"预算"}


def test_rankings_by_each_measure(warehouse: Path) -> None:
    for measure in peers.MEASURES:
        for name in ("ranking_regions", "ranking_departments"):
            frame = run(warehouse, name, measure=measure)
            assert not frame.empty, (name, measure)
            values = frame["数值"].tolist()
            assert values == sorted(values, reverse=True)
            lowest = run(warehouse, name, measure=measure, lowest=True, limit=1)
            assert lowest["数值"].iloc[0] == min(values)
    scores = run(warehouse, "ranking_departments", measure="score")
    assert scores.iloc[0]["部门（单位）"] == "黔南州大数据发展管理局" and scores.iloc[0]["数值"] == 100.0


def _pair_warehouse(db: Path) -> None:
    """A 部门预算 and a 部门决算 of one department and year, the two spelled differently (本级)."""
    con = duckdb.connect(str(db))
    create_schema(con)
    con.execute(
        """INSERT INTO reports (report_id, doc_type, province, prefecture, region_code, department, scope, fiscal_year)
           VALUES ('RB', 'budget', '湖南省', '湘潭市', '430300', '湘潭市司法局', 'department', 2024),
                  ('RA', 'final_accounts', '湖南省', '湘潭市', '430300', '湘潭市司法局(本级)', 'department', 2024),
                  ('RX', 'budget', '湖南省', '湘潭市', '430300', '湘潭市财政局', 'department', 2024)"""
    )
    con.execute(
        """INSERT INTO function_spending (report_id, basis, code, level, name, total) VALUES
           ('RB', 'budget', '204', '类', '公共安全支出', 800), ('RB', 'budget', '208', '类', '社会保障和就业支出', 200),
           ('RB', 'budget', '20406', '款', '司法', 800),
           ('RA', 'actual', '204', '类', '公共安全支出', 760), ('RA', 'actual', '208', '类', '社会保障和就业支出', 190),
           ('RX', 'budget', '201', '类', '一般公共服务支出', 500)"""
    )
    con.execute(
        """INSERT INTO evaluations (evaluation_id, report_id, scope, name, budget_full_year, actual, execution_rate,
               execution_rate_reported)
           VALUES ('E1', 'RA', 'department', '湘潭市司法局(本级)', 1000, 950, 95.0, 99.0)"""
    )
    peers.refresh_department_kinds(con, overrides_path=db.parent / "none.csv")
    marts.materialise(con)
    con.close()


def test_budget_vs_actual_from_two_documents(tmp_path: Path) -> None:
    db = tmp_path / "pair.duckdb"
    _pair_warehouse(db)
    pairs = run(db, "budget_vs_actual")
    assert len(pairs) == 1
    row = pairs.iloc[0]
    assert row["预算支出（万元，部门预算）"] == 1000 and row["决算支出（万元，部门决算）"] == 950
    assert row["执行率（%，两份文件）"] == 95.0
    assert row["执行率（%，报告所写）"] == 99.0
    assert row["相差（百分点）"] == -4.0
    assert run(db, "budget_vs_actual", department="湘潭市财政局").empty


@pytest.mark.parametrize(
    ("page", "params", "least_charts"),
    [
        ("rankings", {}, 1),
        ("rankings", {"measure": "spending", "rank_by": "department", "code": "206"}, 1),
        ("department", {}, 1),  # one peer measure at a time (对比指标, ?peer_measure=)
        ("department", {"peer_measure": "自评得分"}, 1),
        ("department", {"peer_of": "上海市普陀区人民政府万里街道办事处"}, 1),
    ],
)
def test_pages_render(app_env: Path, page: str, params: dict[str, str], least_charts: int) -> None:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == {"rankings": "排名", "department": "同类部门"}[page]
    assert len(at.get("echarts_chart")) + len(at.get("plotly_chart")) >= least_charts
    for key, value in params.items():  # the page's own choices stay in the URL
        assert at.query_params[key] in (value, [value])
    shown = " ".join(str(e.value) for e in [*at.caption, *at.markdown, *at.info])
    for raw in ("None", "nan", "execution_rate", "three_public"):
        assert raw not in shown


# --- rows of the 同类部门 tables open their report or narrow the filters ---------------------------


def _url(at: AppTest, key: str) -> str | None:
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def _choose_row(at: AppTest, key: str, row: int) -> AppTest:
    at.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    return at.run()


def test_a_peer_row_opens_its_report_even_in_another_region(app_env: Path) -> None:
    """A peer sits in another region: its row opens 报告详情 on that report, the region filter given up."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["province"] = "贵州省"
    at.run()
    at.session_state["data_peer_0"] = True  # 数据 opened under the first peer chart (its table is drawn then)
    at.switch_page("pages/department.py").run()
    assert not at.exception, at.exception
    table = next(t for t in at.dataframe if t.key == "rows_peer_0")
    rows = table.value
    guizhou = {r[0] for r in _rows(app_env, "SELECT report_id FROM reports WHERE province = '贵州省'")}
    outside = next(i for i, report in enumerate(rows["报告标识"]) if report not in guizhou)
    report_id, department = rows["报告标识"].iloc[outside], rows["部门（单位）"].iloc[outside]
    _choose_row(at, "rows_peer_0", outside)
    assert not at.exception, at.exception
    assert at.title[0].value == "报告详情"
    assert _url(at, "report") == report_id and at.selectbox(key="report").value == report_id
    assert _url(at, "province") is None and _url(at, "department") == department


def test_a_year_row_of_the_trend_opens_its_report(app_env: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.query_params["peer_of"] = "上海市普陀区人民政府万里街道办事处"
    at.query_params["tab"] = "逐年变化"  # the page's views are lazy tabs (ui/views.py)
    at.switch_page("pages/department.py").run()
    table = next(t for t in at.dataframe if t.key == "years_trend")
    assert list(table.value["年度"]) == [2023, 2024, 2025]
    report_id = table.value["报告标识"].iloc[1]
    _choose_row(at, "years_trend", 1)
    assert not at.exception, at.exception
    assert at.title[0].value == "报告详情" and _url(at, "report") == report_id


def test_a_budget_vs_actual_row_narrows_the_department_filter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pair row is one department's year: a click makes that department the sidebar's (and the page's)."""
    db = tmp_path / "pair.duckdb"
    _pair_warehouse(db)
    monkeypatch.setenv("FISCALLENS_DB", str(db))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "pages" / "department.py"), default_timeout=120)
    at.query_params["peer_of"] = "湘潭市财政局"  # no pair of its own: the table lists the pairs of the selection
    at.query_params["tab"] = "预算与决算对照"
    at.run()
    assert not at.exception, at.exception
    table = next(t for t in at.dataframe if t.key.startswith("rows_pairs_"))
    assert list(table.value["部门（单位）"]) == ["湘潭市司法局"]
    _choose_row(at, table.key, 0)
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="filter_department").value == "湘潭市司法局"
    assert _url(at, "department") == "湘潭市司法局"
    assert any("所选部门：湘潭市司法局" in c.value for c in at.caption)


def _rows(db: Path, sql: str) -> list[tuple]:
    con = connect_readonly(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
