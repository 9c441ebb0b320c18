"""Named SQL files: headers, parameters and the internal queries (fast: no warehouse)."""

from __future__ import annotations

from pathlib import Path

from fiscallens.labels import DOC_TYPE_LABELS, REFERENCE_TABLES, three_public_item_labels
from fiscallens.model import FACT_TABLES
from fiscallens.queries import get_query, load_queries, parse_query
from fiscallens.sqlfiles import parse_sql_file, sql_folder

_TEXT = """-- title: 示例
-- answers: 一个问题
-- grain: one row per report
-- param year: 年度（空 = 全部）
-- param province: 省份
-- A plain comment is no header: it has no colon right after its first words.
SELECT * FROM reports  -- title: not a header, the block has ended
WHERE fiscal_year = $year OR province = $province OR $year IS NULL
"""


def test_headers_are_read_up_to_the_first_statement_line() -> None:
    file = parse_sql_file("example", _TEXT)
    assert file.name == "example"
    assert file.header("title") == "示例"
    assert file.header("grain") == "one row per report"
    assert file.header("internal") is None
    assert file.arguments("param") == {"year": "年度（空 = 全部）", "province": "省份"}


def test_parameters_come_in_order_of_first_use() -> None:
    query = parse_query("example", _TEXT)
    assert query.params == ["year", "province"]
    assert query.title == "示例" and not query.internal


def test_sql_folder_finds_files_by_stem(tmp_path: Path) -> None:
    (tmp_path / "b.sql").write_text(_TEXT, encoding="utf-8")
    (tmp_path / "a.sql").write_text("-- title: A\nSELECT 1\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("-- title: no\n", encoding="utf-8")
    assert list(sql_folder(tmp_path)) == ["a", "b"]


def test_region_queries_keep_their_parameter_order() -> None:
    """The SQL workbench shows a query's parameters in this order (filters first used inside the
    region macro: prefecture, department, province)."""
    # county and scope came later (issue 16): they follow the filters that were there before them.
    expected = ["prefecture", "department", "province", "year_from", "year_to", "doc_type", "county", "scope"]
    for name in ("coverage_matrix", "execution_by_region", "score_by_region", "three_public_by_region"):
        assert load_queries()[name].params == expected, name
    assert load_queries()["function_code_by_region"].params == [*expected, "code"]
    assert load_queries()["function_tree"].params[-1] == "basis"


def test_report_facts_are_internal_named_queries() -> None:
    for table in FACT_TABLES:
        query = get_query(f"report_facts_{table}")
        assert query.internal and query.title and query.grain, table
        assert query.params == ["report_id"], table
        assert query.name not in load_queries()  # not in the SQL workbench gallery
    for name in ("report_head", "report_facts_quality_flags", "report_lookup"):
        assert get_query(name).internal and name not in load_queries(), name
    assert not any(query.internal for query in load_queries().values())


def test_labels_come_from_the_reference_files() -> None:
    assert set(REFERENCE_TABLES) == {"doc_types", "three_public_items"}
    assert DOC_TYPE_LABELS["final_accounts"] == "部门决算"
    assert set(DOC_TYPE_LABELS) == {
        "final_accounts",
        "budget",
        "dept_self_eval",
        "dept_evaluation",
        "project_self_eval",
    }
    assert three_public_item_labels()["reception"] == "公务接待费"
