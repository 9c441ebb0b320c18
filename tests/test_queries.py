"""Every named query runs on the bundled warehouse and returns the columns its page reads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from fiscallens.queries import load_queries
from fiscallens.warehouse import connect_readonly

# query → columns a page or chart reads by name (a rename here must be a rename there)
EXPECTED = {
    "reports": {
        "年度",
        "省份",
        "市州",
        "部门（单位）",
        "项目",
        "类型",
        "口径",
        "版本",
        "计入汇总",
        "自评得分",
        "等级",
        "错误",
        "报告标识",
    },
    "quality_flags": {"严重程度", "文件", "行号", "规则", "说明", "报告标识"},
    "filter_options": {"province", "prefecture", "department", "fiscal_year", "doc_type"},
    "overview_kpis": {
        "reports",
        "reports_with_errors",
        "regions",
        "first_year",
        "last_year",
        "budget_full_year",
        "actual",
        "execution_rate",
        "reports_with_execution",
        "mean_score",
        "reports_with_score",
        "reports_listed",
    },
    "coverage_matrix": {"地区", "年度", "类型", "报告数"},
    "execution_by_report": {
        "地区",
        "年度",
        "评价对象",
        "全年预算（万元）",
        "执行数（万元）",
        "执行率（%）",
        "占年初预算（%）",
        "报告标识",
    },
    "execution_projects": {
        "项目",
        "全年预算（万元）",
        "执行数（万元）",
        "执行率（%）",
        "未执行（万元）",
        "偏差原因（报告原文）",
    },
    "function_tree": {
        "科目编码",
        "科目名称",
        "级次",
        "上级编码",
        "合计（万元）",
        "基本支出（万元）",
        "项目支出（万元）",
        "报告数",
    },
    "function_codes_present": {"code", "name", "level"},
    "function_code_compare": {
        "地区",
        "年度",
        "部门（单位）",
        "口径",
        "合计（万元）",
        "基本支出（万元）",
        "项目支出（万元）",
    },
    "three_public_trend": {"地区", "部门（单位）", "年度", "item", "项目", "预算数（万元）", "决算数（万元）", "推算"},
    "three_public_changes": {
        "地区",
        "部门（单位）",
        "年度",
        "决算数（万元）",
        "增减（万元）",
        "增减率（%）",
        "上年数为推算",
    },
    "score_vs_execution": {"地区", "年度", "层级", "评价对象", "自评得分", "等级", "执行率（%）"},
    "indicator_losses": {"评价对象", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "失分"},
    "findings_summary": {"report_id", "errors", "warnings", "infos"},
    "warehouse_info": {"built_at", "reports", "documents"},
    "brief_options": {"region", "level", "fiscal_year", "reports"},
    "execution_by_region": {
        "地区",
        "年度",
        "报告数",
        "全年预算（万元）",
        "执行数（万元）",
        "执行率（%）",
        "占年初预算（%）",
    },
    "findings_by_severity": {"severity", "严重程度", "条数", "报告数"},
    "findings_overview": {"reports", "errors", "warnings", "infos"},
    "function_code_by_region": {
        "地区",
        "年度",
        "口径",
        "报告数",
        "合计（万元）",
        "基本支出（万元）",
        "项目支出（万元）",
    },
    "grade_counts": {"等级", "层级", "个数"},
    "high_score_low_execution": {"地区", "年度", "评价对象", "自评得分", "执行率（%）"},
    "department_trend": {"年度", "部门（单位）", "文档类型", "口径", "支出合计（万元）", "比上年增减（万元）"},
    "map_execution": {"地区代码", "地区", "年度", "报告数", "执行率（%）"},
    "map_scores": {"地区代码", "地区", "年度", "报告数", "平均分"},
    "map_function_code": {"地区代码", "地区", "年度", "报告数", "支出（万元）"},
    "map_three_public": {"地区代码", "地区", "年度", "报告数", "金额（万元）"},
    "peer_compare": {"部门（单位）", "地区", "年度", "执行率（%）", "自评得分", "“三公”经费（万元）"},
    "peer_departments": {"部门（单位）", "地区", "部门类别", "同类部门数"},
    "peer_kinds": {"部门类别", "部门数", "地区数", "部门（单位）"},
    "peer_spending_mix": {"部门（单位）", "年度", "科目编码", "支出（万元）", "占比（%）"},
    "ranking_departments": {"名次", "参与排名数", "部门（单位）", "地区", "年度", "口径", "数值"},
    "ranking_regions": {"名次", "参与排名数", "地区", "数值", "报告数"},
    "score_by_region": {"地区", "评价对象数", "报告数", "最低分", "下四分位", "中位数", "上四分位", "最高分", "平均分"},
    "score_execution_bins": {"执行率（%）", "自评得分", "评价对象数"},
    "score_execution_points": {"地区", "年度", "评价对象", "自评得分", "执行率（%）", "评价对象总数"},
    "three_public_by_region": {
        "地区",
        "年度",
        "item",
        "项目",
        "口径",
        "报告数",
        "预算数（万元）",
        "决算数（万元）",
        "含推算",
    },
}
SAMPLE_VALUES = {"code": "2060499", "basis": "actual", "measure": "execution_rate", "kind": "大数据局"}


def test_every_query_file_has_expectations() -> None:
    assert set(load_queries()) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_query_runs_and_returns_the_columns_pages_read(warehouse: Path, name: str) -> None:
    query = load_queries()[name]
    frame = query.run(connect_readonly(warehouse), **{p: SAMPLE_VALUES.get(p) for p in query.params})
    assert EXPECTED[name] <= set(frame.columns)
    assert len(frame) > 0


def test_filters_are_bound_parameters_not_text(warehouse: Path) -> None:
    query = load_queries()["reports"]
    hostile = "贵州省' OR '1'='1"
    assert query.run(connect_readonly(warehouse), province=hostile).empty


@pytest.mark.parametrize(
    ("params", "rows"),
    [
        ({}, 11),  # 4 text reports + 7 published PDFs (a final accounts, 6 budgets incl. a 部门/单位 pair)
        ({"province": "湖南省"}, 2),
        ({"year_from": 2022, "year_to": 2022}, 1),
        ({"doc_type": "final_accounts"}, 2),
        ({"department": "黔南州大数据发展管理局"}, 1),
    ],
)
def test_the_shared_filter_macro(warehouse: Path, params: dict, rows: int) -> None:
    query = load_queries()["reports"]
    full = {p: None for p in query.params} | params
    assert len(query.run(connect_readonly(warehouse), **full)) == rows


def test_goldens_of_the_issue(warehouse: Path) -> None:
    """贵阳 2023: 100% of the adjusted budget, 33.89% of the initial one."""
    query = load_queries()["execution_by_report"]
    frame = query.run(connect_readonly(warehouse), **{p: None for p in query.params})
    guiyang = frame[frame["地区"] == "贵阳市"].iloc[0]
    assert round(guiyang["执行率（%）"], 2) == 100.0
    assert round(guiyang["占年初预算（%）"], 2) == 33.89


@pytest.mark.parametrize("name", sorted(n for n, q in load_queries().items() if q.paged))
def test_paged_queries_count_and_page_in_sql(warehouse: Path, name: str) -> None:
    """`$limit` / `$offset` are bound parameters; count() equals the rows the query returns unpaged."""
    query = load_queries()[name]
    con = connect_readonly(warehouse)
    params = {p: SAMPLE_VALUES.get(p) for p in query.params}
    whole = query.run(con, **params)
    assert query.count(con, **params) == len(whole) > 0
    first = query.run(con, **{**params, "limit": 1, "offset": 0})
    assert _rows(first) == _rows(whole.head(1))
    rest = query.run(con, **{**params, "limit": len(whole), "offset": 1})
    assert _rows(rest) == _rows(whole.iloc[1:])


def _rows(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(None if pd.isna(v) else v for v in row) for row in frame.itertuples(index=False, name=None)]


def test_charts_are_aggregated_by_region(warehouse: Path) -> None:
    """No province chosen: one row per province; a province chosen: per prefecture."""
    con = connect_readonly(warehouse)
    query = load_queries()["execution_by_region"]
    everything = query.run(con, **dict.fromkeys(query.params))
    provinces = {r[0] for r in con.execute("SELECT DISTINCT province FROM reports").fetchall()}
    assert set(everything["地区"]) <= provinces | {"（地区未识别）"}
    assert int(everything["报告数"].sum()) == int(
        load_queries()["overview_kpis"].run(con).iloc[0]["reports_with_execution"]
    )
    guizhou = query.run(con, **{**dict.fromkeys(query.params), "province": "贵州省"})
    assert "贵州省" not in set(guizhou["地区"])


def test_findings_are_looked_up_for_the_reports_of_a_table_page(warehouse: Path) -> None:
    """report_ids (comma-separated, bound) narrows findings_summary to a page's reports, same counts."""
    con = connect_readonly(warehouse)
    query = load_queries()["findings_summary"]
    everything = query.run(con, **dict.fromkeys(query.params))
    assert len(everything) >= 2
    page = sorted(everything["report_id"])[:2]
    narrowed = query.run(con, **{**dict.fromkeys(query.params), "report_ids": ",".join(page)})
    assert list(narrowed["report_id"]) == page
    expected = everything.set_index("report_id").loc[page].reset_index()
    assert _rows(narrowed) == _rows(expected)
    unknown = query.run(con, **{**dict.fromkeys(query.params), "report_ids": "R-none,' OR 1=1 --"})
    assert unknown.empty


def test_reference_tables_hold_the_labels_python_reads(warehouse: Path) -> None:
    """One home for a label: the CSV files fiscallens.labels reads are the warehouse's reference tables."""
    from fiscallens.labels import REFERENCE_TABLES, _rows

    con = connect_readonly(warehouse)
    for table in REFERENCE_TABLES:
        frame = con.execute(f"SELECT * FROM {table}").df()  # table names from a constant, never input
        stored = [tuple("" if pd.isna(v) else str(v) for v in row) for row in frame.itertuples(index=False)]
        assert sorted(stored) == sorted(tuple(row.values()) for row in _rows(table)), table


def test_report_detail_facts_and_explain_read_the_same_queries(warehouse: Path) -> None:
    from fiscallens.explain import fact_rows, report_facts
    from fiscallens.model import FACT_TABLES

    con = connect_readonly(warehouse)
    report_id = con.execute("SELECT report_id FROM reports ORDER BY report_id LIMIT 1").fetchone()[0]
    frames = report_facts(con, report_id)
    assert list(frames) == list(FACT_TABLES)
    for table in FACT_TABLES:
        columns, rows = fact_rows(con, report_id, table)
        stored = con.execute(f"SELECT count(*) FROM {table} WHERE report_id = ?", [report_id]).fetchone()[0]
        assert len(rows) == len(frames[table]) == stored, table
        assert set(columns) >= set(con.execute(f"SELECT * FROM {table} LIMIT 0").df().columns), table


def _three_public_warehouse(db: Path, order: list[str]) -> None:
    """One department's 2023 三公 total printed by its 部门决算 (12) and by its self-evaluation (15), and
    derived from its 2024 决算's 同比 sentence (11); the reports inserted in the given order."""
    import duckdb

    from fiscallens import marts
    from fiscallens.load import create_schema

    reports = {
        "RA": "('RA', 'final_accounts', '湖南省', '湘潭市', '430300', '湘潭市司法局', 'department', 2023)",
        "RE": "('RE', 'dept_self_eval', '湖南省', '湘潭市', '430300', '湘潭市司法局', 'department', 2023)",
        "RN": "('RN', 'final_accounts', '湖南省', '湘潭市', '430300', '湘潭市司法局', 'department', 2024)",
    }
    figures = {
        "RA": "('RA', 'actual', 2023, 'total', 10, 12, false)",
        "RE": "('RE', 'actual', 2023, 'total', 14, 15, false)",
        "RN": "('RN', 'actual', 2023, 'total', NULL, 11, true), ('RN', 'actual', 2024, 'total', 9, 8, false)",
    }
    con = duckdb.connect(str(db))
    create_schema(con)
    for report in order:
        con.execute(
            "INSERT INTO reports (report_id, doc_type, province, prefecture, region_code, department, scope, "
            f"fiscal_year) VALUES {reports[report]}"
        )
        con.execute(
            "INSERT INTO three_public (report_id, basis, fiscal_year, item, budget, actual, derived) "
            f"VALUES {figures[report]}"
        )
    marts.materialise(con)
    con.close()


@pytest.mark.parametrize("order", [["RA", "RE", "RN"], ["RN", "RE", "RA"], ["RE", "RN", "RA"]])
def test_three_public_counts_one_figure_per_department_and_year(tmp_path: Path, order: list[str]) -> None:
    """The printed figure before the derived one; of two printed ones the 部门决算's, whatever the row order."""
    db = tmp_path / "three.duckdb"
    _three_public_warehouse(db, order)
    queries = load_queries()
    con = connect_readonly(db)
    by_region = queries["three_public_by_region"].run(con)
    year = by_region[(by_region["年度"] == 2023) & (by_region["item"] == "total")].iloc[0]
    assert (year["决算数（万元）"], year["预算数（万元）"]) == (12, 10)
    assert (year["部门数"], year["报告数"], bool(year["含推算"])) == (1, 3, False)
    on_map = queries["map_three_public"].run(con)
    assert on_map.set_index("年度")["金额（万元）"].to_dict() == {2023: 12, 2024: 8}
    con.close()
