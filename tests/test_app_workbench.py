"""The 自助查询 page under Streamlit's AppTest: editor form, parameters, URL, errors, downloads."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from fiscallens import settings
from fiscallens.queries import get_query
from fiscallens.warehouse import connect_readonly

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "sql_workbench.py")


@pytest.fixture(scope="module")
def private_db(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("app_workbench") / "warehouse.duckdb"
    shutil.copy(warehouse, target)
    return target


@pytest.fixture
def page_env(private_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FISCALLENS_DB", str(private_db))
    monkeypatch.setenv("FISCALLENS_SQL_EDITOR", "plain")  # AppTest cannot type into the Ace component
    monkeypatch.chdir(ROOT)
    return private_db


def scalar(db: Path, sql: str) -> object:
    con = connect_readonly(db)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=30)


def run_sql(at: AppTest, sql: str) -> AppTest:
    at.text_area[0].input(sql)
    return at.button(key="wb_run").click().run()


def test_page_renders_on_its_own(page_env: Path) -> None:
    at = page().run()
    assert not at.exception
    assert at.title[0].value == "自助查询"
    assert at.text_area[0].value.strip().startswith("-- 示例")
    assert any("Ctrl+Enter" in i.value for i in at.info)


def test_page_renders_with_the_code_editor(page_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FISCALLENS_SQL_EDITOR")
    at = page().run()
    assert not at.exception
    assert at.toggle(key="wb_plain").value is False
    assert not at.text_area  # the Ace component renders instead


def test_running_a_query_shows_rows_and_time(page_env: Path) -> None:
    at = run_sql(page().run(), "SELECT department, fiscal_year FROM reports ORDER BY fiscal_year")
    assert not at.exception
    table = at.dataframe[-1].value
    reports = scalar(page_env, "SELECT count(*) FROM reports")
    assert len(table) == reports and list(table.columns) == ["department", "fiscal_year"]
    assert any(f"共 {reports} 行 · 用时" in m.value for m in at.markdown)
    assert at.query_params["sql"] in (
        "SELECT department, fiscal_year FROM reports ORDER BY fiscal_year",
        ["SELECT department, fiscal_year FROM reports ORDER BY fiscal_year"],
    )


def test_nested_and_binary_values_display(page_env: Path) -> None:
    at = run_sql(page().run(), "SELECT 'ab'::BLOB AS b, [1, 2] AS l, {'k': 1} AS s, MAP {'a': 1} AS m, uuid() AS u")
    assert not at.exception
    assert len(at.dataframe[-1].value) == 1


def test_bad_sql_is_a_message_with_line_and_column(page_env: Path) -> None:
    at = run_sql(page().run(), "SELECT\n  nosuch\nFROM reports")
    assert not at.exception
    assert any("找不到列" in e.value and "第 2 行第 3 列" in e.value for e in at.error)
    assert any('Referenced column "nosuch"' in c.value for c in at.code)


def test_a_write_is_refused_and_the_warehouse_unchanged(page_env: Path) -> None:
    before = hashlib.sha256(page_env.read_bytes()).hexdigest()
    at = page().run()
    for sql in ["DROP TABLE reports", "SELECT 1; DELETE FROM reports", "COPY reports TO '/tmp/fiscallens-stolen.csv'"]:
        at = run_sql(at, sql)
        assert not at.exception
        assert any("已拒绝" in e.value for e in at.error), sql
    assert hashlib.sha256(page_env.read_bytes()).hexdigest() == before
    assert not Path("/tmp/fiscallens-stolen.csv").exists()


def test_runaway_query_times_out(page_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "QUERY_TIMEOUT_SECONDS", 0.5)
    at = run_sql(page().run(), "SELECT count(*) FROM range(100000000) a, range(100000000) b")
    assert not at.exception
    assert any("查询超时" in e.value for e in at.error)


def test_truncated_result_says_so_and_offers_the_full_download(page_env: Path) -> None:
    at = run_sql(page().run(), f"SELECT * FROM range({settings.WORKBENCH_DISPLAY_ROWS + 500})")
    assert not at.exception
    assert any("结果超过显示上限" in w.value for w in at.warning)
    assert len(at.dataframe[-1].value) == settings.WORKBENCH_DISPLAY_ROWS
    at = at.button(key="wb_prepare").click().run()
    assert not at.exception
    assert any(f"共 {settings.WORKBENCH_DISPLAY_ROWS + 500:,} 行" in c.value for c in at.caption)
    assert len(at.get("download_button")) == 3


def test_named_query_parameters_become_fields_and_match_the_page(page_env: Path) -> None:
    at = open_panel(page().run(), "查询库")
    at = at.button(key="wb_named_reports").click().run()
    assert not at.exception
    fields = {t.key: t for t in at.text_input}
    assert {"wb_param_province", "wb_param_prefecture", "wb_param_year_from", "wb_param_year_to"} <= set(fields)
    fields["wb_param_province"].input("湖南省")
    at = at.button(key="wb_run").click().run()
    assert not at.exception
    con = connect_readonly(page_env)
    try:
        expected = get_query("reports").run(con, province="湖南省")
    finally:
        con.close()
    pd.testing.assert_frame_equal(at.dataframe[-1].value.reset_index(drop=True), expected, check_dtype=False)
    assert at.query_params["q"] in ("reports", ["reports"])
    assert at.query_params["p_province"] in ("湖南省", ["湖南省"])


def test_a_link_reproduces_the_result(page_env: Path) -> None:
    at = page()
    at.query_params["q"] = "reports"
    at.query_params["p_province"] = "贵州省"
    at.run()
    assert not at.exception
    table = at.dataframe[-1].value
    expected = scalar(page_env, "SELECT count(*) FROM reports WHERE province = '贵州省'")
    assert set(table["省份"]) == {"贵州省"} and len(table) == expected
    assert at.text_input(key="wb_param_province").value == "贵州省"

    at = page()
    at.query_params["sql"] = "SELECT count(*) AS n FROM reports WHERE fiscal_year = $y"
    at.query_params["p_y"] = "2023"
    at.run()
    assert at.dataframe[-1].value["n"].tolist() == [
        scalar(page_env, "SELECT count(*) FROM reports WHERE fiscal_year = 2023")
    ]


def open_panel(at: AppTest, panel: str, *tables: str) -> AppTest:
    """Open one of the right-hand panels (and tables of 表结构): their content is made only when open."""
    at.session_state["wb_panel"] = panel
    for table in tables:
        at.session_state[f"wb_schema_{table}"] = True
    return at.run()


def test_only_the_open_panel_and_tables_are_made(page_env: Path) -> None:
    """issue 17: every table's columns grid and every named query were sent on each visit."""
    at = page().run()
    assert not at.exception
    assert not [b for b in at.button if b.key and b.key.startswith(("wb_named_", "wb_sample_"))]
    assert not at.dataframe
    at = open_panel(at, "表结构", "reports")
    assert [b.key for b in at.button if b.key and b.key.startswith("wb_sample_")] == ["wb_sample_reports"]
    assert len(at.dataframe) == 1 and "report_id" in set(at.dataframe[0].value.iloc[:, 0])


def test_history_and_schema_browser(page_env: Path) -> None:
    at = run_sql(page().run(), "SELECT 1 AS one")
    at = open_panel(run_sql(at, "SELECT 2 AS two"), "历史")
    history = [b for b in at.button if b.key and b.key.startswith("wb_history_")]
    assert len(history) == 2
    at = history[-1].click().run()  # the older entry goes back into the editor
    assert at.text_area[0].value == "SELECT 1 AS one"
    at = open_panel(at, "表结构", "reports", "regions")
    at = at.button(key="wb_sample_reports").click().run()
    assert not at.exception
    shown = min(20, scalar(page_env, "SELECT count(*) FROM reports"))
    assert any(len(d.value) == shown and "report_id" in d.value.columns for d in at.dataframe)
    at = at.button(key="wb_use_regions").click().run()
    assert 'FROM "regions"' in at.text_area[0].value


def test_the_editor_is_served_without_outside_requests() -> None:
    from ui.workbench import _editor_component

    served = Path(_editor_component().path)
    assert (served / "index.html").exists()
    assert not [p.name for p in served.rglob("*.js") if "fonts.googleapis.com" in p.read_text(encoding="utf-8")]


def test_a_required_parameter_comes_first_is_marked_and_an_empty_one_is_refused(page_env: Path) -> None:
    # issue 16: $code was neither marked nor first, and an empty one silently returned 0 rows.
    at = open_panel(page().run(), "查询库")
    at = at.button(key="wb_named_function_code_compare").click().run()
    fields = [t for t in at.text_input if t.key.startswith("wb_param_")]
    assert fields[0].key == "wb_param_code"
    assert "必填" in fields[0].label
    assert all("必填" not in t.label for t in fields[1:])
    at = at.button(key="wb_run").click().run()
    assert not at.exception
    assert any("必填参数 $code" in e.value for e in at.error)


def test_required_parameters_follow_how_the_query_escapes_null() -> None:
    from ui.workbench import required_params

    sql = "SELECT * FROM reports WHERE department = $d AND ($y IS NULL OR fiscal_year = $y) LIMIT coalesce($n, 5)"
    assert required_params(sql) == ["d"]
    assert required_params("SELECT * FROM selected_reports($province, NULL, NULL, NULL, NULL, NULL)") == []
