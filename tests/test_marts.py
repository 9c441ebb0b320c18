"""The marts the pages read are tables after every build, equal to their view definitions in marts.sql."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from fiscallens import marts, pipeline
from fiscallens.load import create_schema
from tests.conftest import REPORTS_DIR


def _kind(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    row = con.execute(
        """SELECT 'table' FROM duckdb_tables() WHERE table_name = ?
           UNION ALL SELECT 'view' FROM duckdb_views() WHERE view_name = ? AND NOT internal""",
        [name, name],
    ).fetchone()
    return row[0] if row else None


def _rows(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple]:
    return sorted(con.execute(f"SELECT * FROM {relation}").fetchall(), key=repr)


def test_a_build_stores_the_marts_as_tables_with_their_comments(warehouse: Path, tmp_path: Path) -> None:
    # A copy: the session's other connections hold the file with another configuration.
    warehouse = Path(shutil.copy(warehouse, tmp_path / "copy.duckdb"))
    con = duckdb.connect(str(warehouse), read_only=True)
    fresh = duckdb.connect()
    create_schema(fresh)  # the views, as marts.sql defines them
    for name in marts.MATERIALISED:
        assert _kind(con, name) == "table"
        assert _kind(fresh, name) == "view"
        comment = con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = ?", [name]).fetchone()[0]
        assert comment and "物化" in comment
        columns = (
            "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index"
        )
        assert con.execute(columns, [name]).fetchall() == fresh.execute(columns, [name]).fetchall()
        assert all(c for _, _, c in con.execute(columns, [name]).fetchall()), f"{name}: a column without COMMENT"
        # Same rows as the view computes over the same tables.
        fresh.execute(f"ATTACH '{warehouse}' AS w (READ_ONLY)")
        view_sql = fresh.execute("SELECT sql FROM duckdb_views() WHERE view_name = ?", [name]).fetchone()[0]
        select = view_sql.split(" AS ", 1)[1].rstrip(";")
        fresh.execute("USE w")
        assert _rows(fresh, f"({select})") == _rows(con, name)
        fresh.execute("USE memory")
        fresh.execute("DETACH w")


def test_an_incremental_build_refreshes_the_marts(tmp_path: Path) -> None:
    first, second = sorted(REPORTS_DIR.glob("00[0-3]_*.txt"))[:2], sorted(REPORTS_DIR.glob("004_*.txt"))
    src = tmp_path / "src"
    src.mkdir()
    for path in first:
        (src / path.name).write_bytes(path.read_bytes())
    db = tmp_path / "w.duckdb"
    pipeline.build([src], db, rebuild=True)
    with duckdb.connect(str(db), read_only=True) as con:
        before = con.execute("SELECT count(*) FROM report_summary").fetchone()[0]
    for path in second:
        (src / path.name).write_bytes(path.read_bytes())
    pipeline.build([src], db)  # not --rebuild
    with duckdb.connect(str(db), read_only=True) as con:
        reports = con.execute("SELECT count(*) FROM reports").fetchone()[0]
        assert con.execute("SELECT count(*) FROM report_summary").fetchone()[0] == reports > before
        evaluations = con.execute("SELECT count(*) FROM evaluations").fetchone()[0]
        assert con.execute("SELECT count(*) FROM evaluation_detail").fetchone()[0] == evaluations
        assert _kind(con, "report_summary") == "table"


def test_materialise_is_repeatable_and_turns_views_into_tables() -> None:
    con = duckdb.connect()
    create_schema(con)
    con.execute("DROP MACRO TABLE selected_summary")  # a warehouse of an earlier version
    marts.materialise(con)
    marts.materialise(con)
    assert [_kind(con, name) for name in marts.MATERIALISED] == ["table"] * len(marts.MATERIALISED)
    assert marts.is_materialised(con, "report_summary")
    nothing = "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
    assert con.execute(f"SELECT count(*) FROM selected_summary({nothing})").fetchone() == (0,)


@pytest.mark.parametrize("name", marts.MATERIALISED)
def test_every_mart_has_a_definition_in_marts_sql(name: str) -> None:
    select, comments = marts._definitions()[name]
    assert select.lstrip().upper().startswith(("SELECT", "WITH"))
    assert any("ON TABLE" in c for c in comments)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"province": "贵州省"},
        {"year_from": 2022, "year_to": 2023},
        {"doc_type": "final_accounts"},
        {"scope": "unit"},
        {"scope": "department", "province": "湖南省"},
    ],
)
def test_the_mart_filter_macros_select_what_selected_reports_selects(warehouse: Path, params: dict) -> None:
    from fiscallens.warehouse import connect_readonly

    con = connect_readonly(warehouse)
    names = ("province", "prefecture", "department", "year_from", "year_to", "doc_type", "county", "scope")
    values = [params.get(n) for n in names]
    marks = ", ".join("?" for _ in names)
    chosen = {r[0] for r in con.execute(f"SELECT report_id FROM selected_reports({marks})", values).fetchall()}
    for macro, mart in (
        ("selected_summary", "report_summary"),
        ("selected_evaluations", "evaluation_detail"),
        ("selected_measures", "report_measures"),
        ("selected_three_public", "three_public_detail"),
    ):
        got = sorted(con.execute(f"SELECT * FROM {macro}({marks})", values).fetchall(), key=repr)
        want = sorted(
            (
                r
                for r in con.execute(f"SELECT * FROM {mart}").fetchall()
                if r[list(_columns(con, mart)).index("report_id")] in chosen
            ),
            key=repr,
        )
        # every chosen report has its summary row; a budget report (the unit one) has no evaluations
        assert got == want and (got or not chosen or mart in ("evaluation_detail", "three_public_detail")), macro


def _columns(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    return [r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()]


# Data tests of the shared marts, as SQL: each returns the rows that break the rule (none expected).
MART_ASSERTIONS = {
    "report_measures has one row per report": """
        SELECT r.report_id FROM reports AS r FULL JOIN report_measures AS m USING (report_id)
        WHERE r.report_id IS NULL OR m.report_id IS NULL
        UNION ALL
        SELECT report_id FROM report_measures GROUP BY report_id HAVING count(*) > 1""",
    "its spending totals equal the class-level facts on the report's basis": """
        WITH facts AS (
            SELECT f.report_id, sum(f.total) AS total, sum(f.basic) AS basic, sum(f.project) AS project
            FROM function_spending AS f JOIN reports AS r USING (report_id)
            WHERE length(f.code) = 3 AND f.basis = CASE WHEN r.doc_type = 'budget' THEN 'budget' ELSE 'actual' END
            GROUP BY f.report_id)
        SELECT m.report_id FROM report_measures AS m FULL JOIN facts AS f USING (report_id)
        WHERE abs(coalesce(m.spending_total, 0) - coalesce(f.total, 0)) > 1e-6
           OR abs(coalesce(m.spending_basic, 0) - coalesce(f.basic, 0)) > 1e-6
           OR abs(coalesce(m.spending_project, 0) - coalesce(f.project, 0)) > 1e-6
           OR (m.spending_total IS NULL) <> (f.total IS NULL)""",
    "its 三公 total is the printed 合计 of the report's year, else the sum of its items": """
        WITH own AS (
            SELECT t.report_id, t.item, coalesce(t.actual, t.budget) AS amount
            FROM three_public AS t JOIN reports AS r ON r.report_id = t.report_id AND r.fiscal_year = t.fiscal_year
            WHERE NOT t.derived),
        facts AS (
            SELECT report_id, coalesce(
                       max(amount) FILTER (WHERE item = 'total'),
                       sum(amount) FILTER (WHERE item IN ('outbound', 'reception', 'vehicle_total'))) AS amount
            FROM own GROUP BY report_id)
        SELECT m.report_id FROM report_measures AS m LEFT JOIN facts AS f USING (report_id)
        WHERE m.three_public_amount IS DISTINCT FROM f.amount""",
    "its basis is the 部门预算's budget, any other report's actual figures": """
        SELECT report_id FROM report_measures
        WHERE own_basis <> CASE WHEN doc_type = 'budget' THEN 'budget' ELSE 'actual' END""",
    "three_public_detail holds every 三公 figure once, with its report's year and filters": """
        SELECT t.report_id FROM (SELECT report_id, count(*) AS n, sum(budget) AS b, sum(actual) AS a
                                 FROM three_public GROUP BY ALL) AS t
        FULL JOIN (SELECT report_id, count(*) AS n, sum(budget) AS b, sum(actual) AS a
                   FROM three_public_detail GROUP BY ALL) AS d USING (report_id)
        WHERE t.n IS DISTINCT FROM d.n OR abs(coalesce(t.b, 0) - coalesce(d.b, 0)) > 1e-6
           OR abs(coalesce(t.a, 0) - coalesce(d.a, 0)) > 1e-6
        UNION ALL
        SELECT d.report_id FROM three_public_detail AS d JOIN reports AS r USING (report_id)
        WHERE d.fiscal_year IS DISTINCT FROM r.fiscal_year OR d.province IS DISTINCT FROM r.province
           OR d.in_default_view <> r.in_default_view""",
    "its preference is a total order: printed figures before derived ones": """
        SELECT report_id FROM three_public_detail
        QUALIFY count(*) OVER (PARTITION BY preference) > 1
             OR (derived AND preference < (SELECT max(preference) FROM three_public_detail WHERE NOT derived))""",
}


@pytest.mark.parametrize("rule", MART_ASSERTIONS)
def test_the_shared_marts_agree_with_the_facts(warehouse: Path, rule: str) -> None:
    from fiscallens.warehouse import connect_readonly

    con = connect_readonly(warehouse)
    assert con.execute("SELECT count(*) FROM report_measures WHERE three_public_amount IS NOT NULL").fetchone()[0]
    assert con.execute("SELECT count(*) FROM report_measures WHERE spending_total IS NOT NULL").fetchone()[0]
    broken = con.execute(MART_ASSERTIONS[rule]).fetchall()
    assert not broken, f"{rule}: {broken[:5]}"
