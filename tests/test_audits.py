"""Audit rules on a fixture warehouse built in code: each rule fires on a broken row and stays quiet otherwise."""

from __future__ import annotations

import duckdb
import pytest

from fiscallens.check import audit_rules, check_warehouse
from fiscallens.load import create_schema


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    create_schema(con)
    return con


def fs(con: duckdb.DuckDBPyConnection, code: str, level: str, total: float | None, basic=None, project=None) -> None:
    parent = {"类": None, "款": code[:3], "项": code[:5], "合计": None}[level]
    con.execute(
        """INSERT INTO function_spending (report_id, basis, code, level, name, parent_code, total, basic, project,
               source_file, source_line) VALUES ('R1', 'actual', ?, ?, ?, ?, ?, ?, ?, 'r.txt', ?)""",
        [code, level, f"科目{code}", parent, total, basic, project, len(code)],
    )


def rules(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return sorted((f.rule, f.message) for f in check_warehouse(con) if f.rule != "report_incomplete")


def test_every_rule_is_valid_sql_on_an_empty_warehouse(con: duckdb.DuckDBPyConnection) -> None:
    assert set(audit_rules()) >= {
        "function_children_sum",
        "function_basic_plus_project",
        "fund_lines_sum",
        "execution_rate_reported",
        "execution_score",
        "indicator_weights",
        "grade_bands",
    }
    assert rules(con) == []


def test_function_tree_that_adds_up_is_quiet(con: duckdb.DuckDBPyConnection) -> None:
    fs(con, "total", "合计", 30.0, 10.0, 20.0)
    fs(con, "206", "类", 30.0, 10.0, 20.0)
    fs(con, "20604", "款", 30.0, 10.0, 20.0)
    fs(con, "2060499", "项", 12.5, 10.0, 2.5)
    fs(con, "2060401", "项", 17.5, None, 17.5)
    assert rules(con) == []


def test_function_child_that_does_not_add_up(con: duckdb.DuckDBPyConnection) -> None:
    fs(con, "206", "类", 30.0)
    fs(con, "20604", "款", 29.0)
    found = rules(con)
    assert [r for r, _ in found] == ["function_children_sum"]
    assert "206" in found[0][1] and "30.00" in found[0][1] and "29.00" in found[0][1]


def test_basic_plus_project_must_equal_total(con: duckdb.DuckDBPyConnection) -> None:
    fs(con, "215", "类", 6730.08, 348.25, 6381.00)
    assert [r for r, _ in rules(con)] == ["function_basic_plus_project"]


def evaluation(con: duckdb.DuckDBPyConnection, **values: object) -> None:
    row = {
        "evaluation_id": "E1",
        "report_id": "R1",
        "scope": "department",
        "name": "某局",
        "source_file": "r.txt",
        "source_line": 3,
        **values,
    }
    con.execute(
        f"INSERT INTO evaluations ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values())
    )


def line(con: duckdb.DuckDBPyConnection, kind: str, initial=None, full=None, actual=None) -> None:
    con.execute(
        """INSERT INTO execution_lines (evaluation_id, report_id, line, label, budget_initial, budget_full_year, actual,
               source_file, source_line) VALUES ('E1', 'R1', ?, ?, ?, ?, ?, 'r.txt', 4)""",
        [kind, kind, initial, full, actual],
    )


def test_fund_lines_sum_to_total(con: duckdb.DuckDBPyConnection) -> None:
    evaluation(con)
    line(con, "total", 1268, 2226.98, 2199.98)
    line(con, "basic", 577.4, 577.4)
    line(con, "project", 1268, 1268, 1241)
    line(con, "carryover", 381.58, 381.58)
    found = rules(con)
    # 全年预算数 adds up; 年初预算数 does not (577.4 + 1268 + 381.58 ≠ 1268); 执行数 has one line only.
    assert [r for r, _ in found] == ["fund_lines_sum"]
    assert "年初预算数" in found[0][1] and "2226.98" in found[0][1]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {
                "budget_full_year": 2226.98,
                "actual": 2199.98,
                "execution_rate": 98.7876,
                "execution_rate_reported": 98.78,
                "execution_weight": 10,
                "execution_score": 9.88,
            },
            [],
        ),
        (
            {"budget_full_year": 20, "actual": 18, "execution_rate": 90.0, "execution_rate_reported": 100.0},
            ["execution_rate_reported"],
        ),
        (
            {"execution_rate": 64.47, "execution_rate_reported": 64.47, "execution_weight": 10, "execution_score": 6.5},
            ["execution_score"],
        ),
        ({"total_score": 85, "grade": "优"}, ["grade_bands"]),
        ({"total_score": 72, "grade": "较差"}, []),
    ],
)
def test_evaluation_rules(con: duckdb.DuckDBPyConnection, values: dict, expected: list[str]) -> None:
    evaluation(con, **values)
    assert [r for r, _ in rules(con)] == expected


def test_indicator_weights_scores_and_caps(con: duckdb.DuckDBPyConnection) -> None:
    evaluation(con, execution_weight=10, execution_score=10, total_score=100)
    for name, weight, score in [("甲", 50, 50), ("乙", 30, 31), ("丙", 20, 10)]:
        con.execute(
            """INSERT INTO indicators (evaluation_id, report_id, level3, weight, score, source_file, source_line)
               VALUES ('E1', 'R1', ?, ?, ?, 'r.txt', 9)""",
            [name, weight, score],
        )
    found = [m for r, m in rules(con) if r == "indicator_weights"]
    assert len(found) == 3
    assert any("110" in m for m in found)  # weights 100 + execution 10
    assert any("乙" in m and "31" in m for m in found)
