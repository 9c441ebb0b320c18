"""Issue 14: the workbench's limits are real (time from parse to fetch, SQL length, memory, bytes,
downloads, no server paths, no misleading advice) and the CLI validates what it is given."""

from __future__ import annotations

import io
import os
import shutil
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from fiscallens import cli, downloads, settings, warehouse, workbench
from fiscallens.warehouse import QueryTimeout, connect_readonly
from fiscallens.workbench import run as workbench_run
from tests.test_workbench import run_cli

ROOT = Path(__file__).resolve().parent.parent
# Small limit so hostile queries are stopped fast; slack covers a loaded machine.
TIMEOUT = 1.0
SLACK = 1.5


@pytest.fixture()
def con(warehouse: Path) -> duckdb.DuckDBPyConnection:
    connection = connect_readonly(warehouse)
    yield connection
    connection.close()


def _stopped_within(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[Exception, float]:
    started = time.perf_counter()
    with pytest.raises((workbench.WorkbenchError, QueryTimeout)) as info:
        workbench.run_analyst_sql(con, sql, timeout=TIMEOUT)
    elapsed = time.perf_counter() - started
    assert elapsed < TIMEOUT + SLACK, f"ran {elapsed:.1f} s past a {TIMEOUT} s limit"
    return info.value, elapsed


def test_nested_ctes_are_stopped_before_planning(con: duckdb.DuckDBPyConnection) -> None:
    # the 1.6 KB query of nested CTEs (24 s, 4.5 GB): each CTE uses the previous one twice
    parts = ["a0 AS (SELECT 1 AS x)"] + [
        f"a{i} AS NOT MATERIALIZED (SELECT x FROM a{i - 1} UNION ALL SELECT x FROM a{i - 1})" for i in range(1, 21)
    ]
    sql = "WITH " + ",\n".join(parts) + "\nSELECT count(*) FROM a20"
    assert len(sql) < 2_000
    error, _ = _stopped_within(con, sql)
    assert "已拒绝" in str(error) and "过于庞大" in str(error)


def test_thousands_of_union_all_are_stopped(con: duckdb.DuckDBPyConnection) -> None:
    # the 30,000 UNION ALL (49 s); 3,000 already plan for several seconds without interruption
    sql = " UNION ALL ".join(f"SELECT {i} AS x" for i in range(3_000))
    error, _ = _stopped_within(con, sql)
    assert "UNION" in str(error)


def test_many_joined_tables_are_stopped(con: duckdb.DuckDBPyConnection) -> None:
    # join ordering of 400 relations plans for ~7 s and cannot be interrupted
    _stopped_within(con, "SELECT count(*) FROM " + ", ".join(f"range(1) t{i}" for i in range(400)))


def test_sql_text_has_a_length_limit(con: duckdb.DuckDBPyConnection) -> None:
    # the 10 MB text used 6 GB to parse; anything over the limit is refused before parsing
    sql = "SELECT 1 AS x -- " + "x" * settings.WORKBENCH_MAX_SQL_CHARS
    with pytest.raises(workbench.QueryRefused) as info:
        workbench.run_analyst_sql(con, sql, timeout=TIMEOUT)
    assert f"{settings.WORKBENCH_MAX_SQL_CHARS:,}" in info.value.message
    ok = workbench.run_analyst_sql(con, "SELECT 1 AS x -- " + "x" * 1_000, timeout=TIMEOUT)
    assert ok.frame["x"].tolist() == [1]


def test_timeout_message_reports_the_real_time(con: duckdb.DuckDBPyConnection) -> None:
    error, _ = _stopped_within(con, "SELECT count(*) FROM range(100000000) a, range(100000000) b")
    assert isinstance(error, QueryTimeout)
    assert "已运行" in str(error) and f"上限 {TIMEOUT:g} 秒" in str(error)


def test_connection_has_a_memory_limit(con: duckdb.DuckDBPyConnection) -> None:
    (limit,) = con.execute("SELECT current_setting('memory_limit')").fetchone()
    assert limit.endswith("iB") and float(limit.split()[0]) <= settings.QUERY_MEMORY_MB * 1.05
    assert settings.QUERY_MEMORY_MB <= 4096  # several users at once on a 24 GB machine


def test_a_query_runs_on_one_core_and_cannot_take_more(con: duckdb.DuckDBPyConnection) -> None:
    assert con.execute("SELECT current_setting('threads')").fetchone() == (settings.QUERY_THREADS,)
    assert settings.QUERY_THREADS == 1
    with pytest.raises(duckdb.Error, match="locked"):
        con.execute("SET threads = 8")


def test_out_of_memory_message_is_chinese_without_set(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a small limit keeps the test light; the query is the string_agg(repeat('x', 1e6))
    monkeypatch.setitem(warehouse_config(), "memory_limit", "256MB")
    # A copy: DuckDB refuses a second configuration for a file this process already has open (other tests'
    # connections to the session warehouse).
    own = tmp_path / "warehouse.duckdb"
    shutil.copyfile(warehouse, own)
    con = connect_readonly(own)
    try:
        with pytest.raises(workbench.SqlError) as info:
            workbench.run_analyst_sql(
                con, "SELECT length(string_agg(repeat('x', 1000000), ',')) FROM range(1000)", timeout=10
            )
    finally:
        con.close()
    assert "内存" in info.value.message
    assert "SET" not in str(info.value) and "memory_limit" not in str(info.value)


def warehouse_config() -> dict:
    return warehouse.READONLY_CONFIG


def test_wide_rows_are_bounded_in_bytes(con: duckdb.DuckDBPyConnection) -> None:
    # 1,000 rows of 100 KB each = 100 MB; the page may hold 5 MB of it
    budget = 5 * 1024 * 1024
    result = workbench.run_analyst_sql(
        con, "SELECT repeat('x', 100000) AS s FROM range(3000)", timeout=10, max_bytes=budget
    )
    assert result.over_bytes and result.truncated
    assert 0 < result.row_count < 1_000
    assert result.frame["s"].str.len().sum() <= budget
    assert "大小上限" in result.summary()
    small = workbench.run_analyst_sql(con, "SELECT 1 AS x FROM range(10)", timeout=10, max_bytes=budget)
    assert not small.over_bytes and small.row_count == 10


def test_settings_and_errors_hide_server_paths(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    folder = str(warehouse.resolve().parent)
    for sql in (
        "SELECT name, value FROM duckdb_settings()",
        "SELECT * FROM duckdb_databases()",
        "SELECT current_setting('temp_directory') AS t",
    ):
        frame = workbench.run_analyst_sql(con, sql, timeout=10).frame
        text = frame.astype(str).to_string()
        assert folder not in text and str(warehouse) not in text, sql
    with pytest.raises(workbench.WorkbenchError) as info:
        # the path is not in the text typed; DuckDB's message would show it
        workbench.run_analyst_sql(con, "SELECT * FROM read_csv(current_setting('temp_directory'))", timeout=10)
    assert folder not in str(info.value)


def test_parameter_error_names_the_parameter(con: duckdb.DuckDBPyConnection) -> None:
    # the error DuckDB raises points at a line of the table macro, not of the query the user sees
    query = workbench.named_query("reports")
    values = dict.fromkeys(query.params, "abc")
    with pytest.raises(workbench.SqlError) as info:
        workbench.run_analyst_sql(con, query.sql, values, timeout=10)
    assert "参数 $" in info.value.message and "abc" in info.value.message
    assert info.value.line is None


def test_downloads_have_a_time_limit() -> None:
    frame = pd.DataFrame({f"c{i}": range(100_000) for i in range(5)})
    started = time.perf_counter()
    with pytest.raises(QueryTimeout) as info:
        downloads.export_bytes(frame, "xlsx", timeout=0.3)
    assert time.perf_counter() - started < 0.3 + 3.0
    assert "下载" in str(info.value)
    small = downloads.export_bytes(frame.head(10), "xlsx", timeout=30)
    assert small[:2] == b"PK"


# --- CLI ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--limit", "-1"],
        ["--limit", "0"],
        ["--limit", "many"],
        ["--timeout", "inf"],
        ["--timeout", "nan"],
        ["--timeout", "-1"],
    ],
)
def test_cli_rejects_bad_arguments_in_chinese(
    warehouse: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["sql", "SELECT 1", "--db", str(warehouse), *args])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "参数有误" in err and "Traceback" not in err


@pytest.mark.parametrize("value", ["abc", "inf", "-3"])
def test_cli_rejects_a_bad_timeout_variable(warehouse: Path, value: str) -> None:
    env = {**os.environ, "FISCALLENS_QUERY_TIMEOUT": value, "PYTHONPATH": str(ROOT)}
    done = run_cli("sql", "SELECT 1", "--db", str(warehouse), env=env)
    assert done.returncode == 2
    assert "FISCALLENS_QUERY_TIMEOUT" in done.stderr and "无效" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("data", "ok"),
    [
        ("SELECT 42 AS x".encode("utf-16"), True),  # UTF-16 with a byte-order mark
        ("SELECT '中文' AS x".encode("gbk"), False),
        ("SELECT 42 AS x".encode("utf-16-le"), False),  # no byte-order mark
    ],
)
def test_cli_reads_stdin_in_any_encoding_without_traceback(
    warehouse: Path, data: bytes, ok: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code = cli.main(["sql", "-", "--db", str(warehouse), "--format", "csv"])
    out, err = capsys.readouterr()
    if ok:
        assert code == 0 and out.splitlines()[1] in ("42", "中文")
    else:
        assert code == 2 and "编码" in err


def test_a_heavy_analyst_query_holds_one_slot_and_dashboards_keep_running(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shared ?sql= link with a heavy query runs whenever it is opened: analyst queries of all
    sessions share WORKBENCH_CONCURRENT_QUERIES slots, so two such links cannot take every core, and
    the dashboards' named queries (which take no slot) are not queued behind them."""
    from fiscallens.queries import load_queries

    monkeypatch.setattr(workbench_run, "WORKBENCH_SLOT_WAIT_SECONDS", 0.3)
    with workbench.analyst_slot():  # another session's query is running
        started = time.monotonic()
        with pytest.raises(workbench.WorkbenchBusy) as busy:
            workbench.run_analyst_sql(con, "SELECT 1")
        assert time.monotonic() - started < 2
        assert "繁忙" in busy.value.message and "看板" in busy.value.message
        query = load_queries()["overview_kpis"]
        assert len(query.run(con.cursor(), **dict.fromkeys(query.params))) == 1
    assert workbench.run_analyst_sql(con, "SELECT 1 AS x").frame["x"].tolist() == [1]
