"""The SQL workbench core and `python -m fiscallens sql`: what it runs, what it refuses, how it fails."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from fiscallens import cli, downloads, workbench
from fiscallens.queries import get_query, load_queries
from fiscallens.settings import WORKBENCH_EXPORT_ROWS
from fiscallens.warehouse import QueryTimeout, connect_readonly

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m fiscallens ARGS` in a process of its own, as people run it."""
    return subprocess.run(
        [sys.executable, "-m", "fiscallens", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=60,
    )


CROSS_JOIN = "SELECT count(*) FROM range(100000000) a, range(100000000) b"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def private_db(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session warehouse that only this module opens, so its bytes can be compared."""
    target = tmp_path_factory.mktemp("workbench") / "warehouse.duckdb"
    shutil.copy(warehouse, target)
    return target


@pytest.fixture(scope="module")
def con(private_db: Path) -> duckdb.DuckDBPyConnection:
    connection = connect_readonly(private_db)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def report_count(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT count(*) FROM reports").fetchone()[0]


@pytest.fixture(scope="module")
def original_sha(private_db: Path) -> str:
    return sha256(private_db)


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a file and a DuckDB database the workbench must not be able to reach."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secret.csv").write_text("password\nhunter2\n", encoding="utf-8")
    other = duckdb.connect(str(folder / "other.duckdb"))
    other.execute("CREATE TABLE secret AS SELECT 'hunter2' AS password")
    other.close()
    return folder


# --- the attack list -----------------------------------------------------------------------
# (id, SQL with {dir} = a folder outside the warehouse, fragment of the Chinese message,
#  does the read-only locked connection refuse it on its own?)
# Every attack must fail with a clear message and leave the warehouse byte-for-byte unchanged.
# The last column documents the layers: True = the connection (the real guard) refuses it even
# without the statement check; False = only the statement check refuses it, and the connection
# would merely change per-connection state (a temp table, a variable) — never the file.
REFUSED = "已拒绝"
ATTACKS = [
    # writes
    ("insert", "INSERT INTO reports (report_id) VALUES ('x')", REFUSED, True),
    ("insert-or-replace", "INSERT OR REPLACE INTO meta VALUES ('schema_version', '0')", REFUSED, True),
    ("update", "UPDATE reports SET department = '被改掉了'", REFUSED, True),
    ("delete", "DELETE FROM reports", REFUSED, True),
    ("truncate", "TRUNCATE quality_flags", REFUSED, True),
    ("merge", "MERGE INTO meta USING (SELECT 'k' AS key) s USING (key) WHEN MATCHED THEN DELETE", REFUSED, True),
    ("create-table", "CREATE TABLE evil AS SELECT 1 AS x", REFUSED, True),
    ("create-view", "CREATE OR REPLACE VIEW reports AS SELECT 1 AS x", REFUSED, True),
    ("create-temp-table", "CREATE TEMP TABLE evil AS SELECT * FROM reports", REFUSED, False),
    ("create-macro", "CREATE TEMP MACRO evil() AS 1", REFUSED, False),
    ("create-secret", "CREATE SECRET evil (TYPE s3, KEY_ID 'k', SECRET 's')", REFUSED, True),
    ("drop", "DROP TABLE reports", REFUSED, True),
    ("alter", "ALTER TABLE reports ADD COLUMN evil INTEGER", REFUSED, True),
    ("comment", "COMMENT ON TABLE reports IS '被改掉了'", REFUSED, True),
    ("cte-delete", "WITH gone AS (DELETE FROM reports RETURNING *) SELECT count(*) FROM gone", REFUSED, True),
    ("cte-insert", "WITH x AS (INSERT INTO meta VALUES ('k', 'v') RETURNING *) SELECT * FROM x", REFUSED, True),
    ("checkpoint", "CHECKPOINT", REFUSED, False),
    ("vacuum", "VACUUM", REFUSED, False),
    ("analyze", "ANALYZE", REFUSED, False),
    ("begin", "BEGIN TRANSACTION", REFUSED, False),
    ("prepare", "PREPARE p AS SELECT 1", REFUSED, False),
    ("set-variable", "SET VARIABLE x = 1", REFUSED, False),
    # files and network through COPY, EXPORT, IMPORT, ATTACH
    ("copy-to", "COPY reports TO '{dir}/stolen.csv'", REFUSED, True),
    ("copy-query-to", "COPY (SELECT * FROM reports) TO '{dir}/stolen.parquet' (FORMAT parquet)", REFUSED, True),
    ("copy-from", "COPY meta FROM '{dir}/secret.csv'", REFUSED, True),
    ("copy-database", "COPY FROM DATABASE warehouse TO temp", REFUSED, True),
    ("export", "EXPORT DATABASE '{dir}/export'", REFUSED, True),
    ("import", "IMPORT DATABASE '{dir}'", REFUSED, True),
    ("attach", "ATTACH '{dir}/other.duckdb' AS other", REFUSED, True),
    ("attach-new", "ATTACH '{dir}/new.duckdb' AS fresh", REFUSED, True),
    ("attach-memory", "ATTACH ':memory:' AS scratch", REFUSED, True),
    ("detach", "DETACH warehouse", REFUSED, True),
    ("install", "INSTALL httpfs", REFUSED, True),
    ("install-url", "INSTALL evil FROM 'http://127.0.0.1:9/'", REFUSED, True),
    ("load", "LOAD httpfs", REFUSED, True),
    ("load-file", "LOAD '{dir}/evil.duckdb_extension'", REFUSED, True),
    ("update-extensions", "UPDATE EXTENSIONS", REFUSED, True),
    # configuration
    ("set-external-access", "SET enable_external_access = true", REFUSED, True),
    ("set-threads", "SET threads = 1", REFUSED, True),
    ("reset", "RESET lock_configuration", REFUSED, True),
    ("use", "USE temp", REFUSED, True),
    ("pragma-threads", "PRAGMA threads = 1", REFUSED, True),
    ("pragma-profiling", "PRAGMA enable_profiling", "设置已锁定", True),
    ("pragma-profile-output", "PRAGMA profiling_output = '{dir}/profile.json'", REFUSED, True),
    ("pragma-checkpoint", "PRAGMA enable_checkpoint_on_shutdown", "设置已锁定", True),
    ("pragma-import", "PRAGMA import_database('{dir}')", "不能访问服务器上的文件", True),
    (
        "logging-to-file",
        "SELECT * FROM enable_logging(storage = 'file', storage_path = '{dir}/logs')",
        "设置已锁定",
        True,
    ),
    # reading files and the network
    ("read-csv", "SELECT * FROM read_csv('/etc/passwd')", "不能访问服务器上的文件", True),
    ("read-text", "SELECT * FROM read_text('/etc/passwd')", "不能访问服务器上的文件", True),
    ("read-blob", "SELECT * FROM read_blob('/etc/hostname')", "不能访问服务器上的文件", True),
    ("glob", "SELECT * FROM glob('/etc/*')", "不能访问服务器上的文件", True),
    ("read-parquet-http", "SELECT * FROM read_parquet('http://127.0.0.1:9/x.parquet')", "不能访问服务器上的文件", True),
    ("read-json-https", "SELECT * FROM read_json('https://127.0.0.1:9/x.json')", "不能访问服务器上的文件", True),
    ("sniff-csv", "SELECT * FROM sniff_csv('{dir}/secret.csv')", "不能访问服务器上的文件", True),
    ("read-other-duckdb", "SELECT * FROM read_duckdb('{dir}/other.duckdb', table_name = 'secret')", "不能访问", True),
    ("file-as-table", "SELECT * FROM '{dir}/secret.csv'", "不能访问服务器上的文件", True),
    ("path-as-table", "SELECT * FROM '/etc/passwd'", "找不到表", True),
    ("query-function", "SELECT * FROM query('SELECT * FROM read_text(''/etc/passwd'')')", "不能访问", True),
    ("query-function-write", "SELECT * FROM query('DROP TABLE reports')", "语法错误", True),
    ("secrets", "SELECT * FROM duckdb_secrets()", "不能访问", True),
    # several statements: a write smuggled after a read
    ("read-then-drop", "SELECT 1; DROP TABLE reports", "一次只能运行一条语句", True),
    ("read-then-insert", "SELECT * FROM reports;\nINSERT INTO meta VALUES ('k', 'v');", "一次只能运行一条语句", True),
    ("string-then-copy", "SELECT 'a;b' AS x; COPY reports TO '{dir}/stolen2.csv'", "一次只能运行一条语句", True),
    ("comment-then-attach", "SELECT 1 -- harmless\n; ATTACH '{dir}/other.duckdb'", "一次只能运行一条语句", True),
]


@pytest.mark.parametrize(("sql", "expected", "raw_refused"), [a[1:] for a in ATTACKS], ids=[a[0] for a in ATTACKS])
def test_attack_is_refused_with_a_clear_message(
    con: duckdb.DuckDBPyConnection,
    private_db: Path,
    original_sha: str,
    outside: Path,
    sql: str,
    expected: str,
    raw_refused: bool,
) -> None:
    before = sorted(p.name for p in outside.iterdir())
    with pytest.raises(workbench.WorkbenchError) as caught:
        workbench.run_analyst_sql(con, sql.format(dir=outside), timeout=2)
    assert expected in caught.value.message, caught.value
    assert "Traceback" not in str(caught.value)
    assert sha256(private_db) == original_sha
    assert sorted(p.name for p in outside.iterdir()) == before
    assert not private_db.with_name(private_db.name + ".wal").exists()


@pytest.mark.parametrize(("sql", "raw_refused"), [(a[1], a[3]) for a in ATTACKS], ids=[a[0] for a in ATTACKS])
def test_the_locked_connection_alone_keeps_the_warehouse_intact(
    con: duckdb.DuckDBPyConnection, private_db: Path, original_sha: str, outside: Path, sql: str, raw_refused: bool
) -> None:
    # Bypass the statement check: the read-only, locked connection is the real guard.
    before = sorted(p.name for p in outside.iterdir())
    cursor = con.cursor()
    try:
        if raw_refused:
            with pytest.raises((duckdb.Error, ValueError)):
                cursor.execute(sql.format(dir=outside)).fetchall()
        else:  # per-connection state only (a temp table, a variable); nothing reaches the file
            cursor.execute(sql.format(dir=outside))
    finally:
        cursor.close()
    assert sha256(private_db) == original_sha
    assert sorted(p.name for p in outside.iterdir()) == before


# --- what it runs ----------------------------------------------------------------------------


def test_default_query_runs(con: duckdb.DuckDBPyConnection, report_count: int) -> None:
    result = workbench.run_analyst_sql(con, workbench.DEFAULT_SQL)
    assert list(result.frame.columns) == ["年度", "类型", "报告数", "平均得分"]
    assert result.frame["报告数"].sum() == report_count
    assert not result.truncated and result.row_count == len(result.frame)
    assert 0 <= result.elapsed < 5
    assert result.summary().startswith("共 ")


@pytest.mark.parametrize(
    "sql",
    [
        "WITH t AS (SELECT fiscal_year FROM reports) SELECT * FROM t",
        "FROM reports SELECT department",
        "SUMMARIZE reports",
        "DESCRIBE reports",
        "SHOW TABLES",
        "PRAGMA table_info('reports')",
        "EXPLAIN SELECT * FROM reports",
        "SELECT 1;",
        "-- 注释\nSELECT 1 AS x; -- trailing",
    ],
)
def test_reading_statements_are_allowed(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    assert workbench.run_analyst_sql(con, sql).row_count >= 1


def test_display_limit_truncates_and_says_so(con: duckdb.DuckDBPyConnection) -> None:
    exact = workbench.run_analyst_sql(con, "SELECT * FROM range(1000)", limit=1000)
    assert exact.row_count == 1000 and not exact.truncated
    more = workbench.run_analyst_sql(con, "SELECT * FROM range(2500) ORDER BY range DESC", limit=1000)
    assert more.truncated and more.row_count == 1000
    assert more.frame["range"].iloc[0] == 2499  # the first rows, in the query's order
    assert "显示前 1,000 行" in more.summary()


def test_huge_results_are_streamed_not_computed(con: duckdb.DuckDBPyConnection) -> None:
    started = time.perf_counter()
    result = workbench.run_analyst_sql(con, "SELECT * FROM range(10000000000)", limit=50)
    assert result.truncated and result.row_count == 50
    assert time.perf_counter() - started < 2


def test_full_export_is_bounded(con: duckdb.DuckDBPyConnection) -> None:
    result = workbench.run_analyst_sql(
        con, f"SELECT * FROM range({WORKBENCH_EXPORT_ROWS + 5})", limit=WORKBENCH_EXPORT_ROWS
    )
    assert result.truncated and result.row_count == WORKBENCH_EXPORT_ROWS


def test_full_download_keeps_the_limits_as_arrow(con: duckdb.DuckDBPyConnection) -> None:
    export = workbench.run_analyst_export(con, f"SELECT * FROM range({WORKBENCH_EXPORT_ROWS + 5}) ORDER BY range DESC")
    assert export.truncated and not export.over_bytes and export.row_count == WORKBENCH_EXPORT_ROWS
    assert export.table.column(0)[0].as_py() == WORKBENCH_EXPORT_ROWS + 4  # the first rows, in order
    streamed = workbench.run_analyst_export(con, "SELECT * FROM range(10000000000)", limit=10, timeout=10)
    assert streamed.truncated and streamed.row_count == 10
    wide = workbench.run_analyst_export(con, "SELECT repeat('x', 1000) AS t FROM range(5000)", max_bytes=100_000)
    assert wide.over_bytes and wide.truncated and 0 < wide.row_count < 100
    assert wide.table.nbytes <= 100_000
    whole = workbench.run_analyst_export(con, "SELECT * FROM reports")
    assert not whole.truncated and whole.row_count == whole.frame.num_rows > 0


def test_full_download_keeps_the_guard(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(workbench.QueryRefused):
        workbench.run_analyst_export(con, "SELECT 1; DROP TABLE reports")
    with pytest.raises(workbench.SqlError):
        workbench.run_analyst_export(con, "SELECT * FROM read_csv('/etc/passwd')")
    with pytest.raises(QueryTimeout):
        workbench.run_analyst_export(con, "SELECT count(*) FROM range(100000000000) a, range(10) b", timeout=0.5)
    sql = "SELECT current_setting('temp_directory') AS d, [current_setting('temp_directory')] AS l, 'x' AS e"
    export = workbench.run_analyst_export(con, sql)
    row = export.table.to_pylist()[0]
    assert row["d"].startswith("〔服务器路径〕") and row["l"][0].startswith("〔服务器路径〕") and row["e"] == "x"
    assert "〔服务器路径〕" in downloads.export_bytes(export.frame, "csv").decode("utf-8-sig")


def test_capped_excel_says_so() -> None:
    from ui.workbench import xlsx_cap_note

    note = xlsx_cap_note(downloads.xlsx_row_cap(31), 31)
    assert f"XLSX 最多 {downloads.xlsx_row_cap(31):,} 行" in note and "完整结果请下载 CSV 或 Parquet" in note


def test_exports_round_trip(con: duckdb.DuckDBPyConnection) -> None:
    frame = workbench.run_analyst_sql(con, "SELECT * FROM reports ORDER BY report_id").frame
    csv = downloads.export_bytes(frame, "csv")
    assert csv.startswith(b"\xef\xbb\xbf")
    assert pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")["department"].tolist() == frame["department"].tolist()
    xlsx = pd.read_excel(io.BytesIO(downloads.export_bytes(frame, "xlsx")))
    assert xlsx["department"].tolist() == frame["department"].tolist()
    assert xlsx["source_files"].iloc[0].startswith("[")  # a list column becomes readable text
    parquet = pd.read_parquet(io.BytesIO(downloads.export_bytes(frame, "parquet")))
    assert parquet["department"].tolist() == frame["department"].tolist()
    assert list(parquet["source_files"].iloc[0]) == list(frame["source_files"].iloc[0])


def test_exports_survive_awkward_columns(con: duckdb.DuckDBPyConnection) -> None:
    sql = "SELECT 1 AS a, 2 AS a, now() AS ts, {'k': 1} AS s, 'x' || chr(1) AS ctrl, 'ab'::BLOB AS b"
    frame = workbench.run_analyst_sql(con, sql).frame
    for fmt in downloads.EXPORT_FORMATS:
        assert downloads.export_bytes(frame, fmt)
    (row,) = json.loads(cli.frame_to_json(frame))
    assert row["a"] == 1 and row["a_1"] == 2 and row["s"] == {"k": 1} and row["b"] == "6162"
    assert cli.frame_to_csv(frame).splitlines()[0] == "a,a_1,ts,s,ctrl,b"
    assert "6162" in cli.format_table(frame)


# --- errors --------------------------------------------------------------------------------


def test_error_carries_line_and_column(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(workbench.SqlError) as caught:
        workbench.run_analyst_sql(con, "SELECT\n    fiscal_year,\n    nosuch\nFROM reports")
    error = caught.value
    assert (error.line, error.column) == (3, 5)
    assert error.where == "第 3 行第 5 列"
    assert 'Referenced column "nosuch" not found' in error.detail  # DuckDB's own words
    assert error.message == "找不到列或类型不匹配"


def test_column_counts_characters_not_display_width(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(workbench.SqlError) as caught:
        workbench.run_analyst_sql(con, "SELECT '中文' AS 名称, nosuch FROM reports")
    assert (caught.value.line, caught.value.column) == (1, 20)


def test_column_on_a_long_line_shown_as_a_window(con: duckdb.DuckDBPyConnection) -> None:
    head = "SELECT " + ", ".join(f"{i} AS c{i}" for i in range(40))
    with pytest.raises(workbench.SqlError) as caught:
        workbench.run_analyst_sql(
            con, "-- 第一行\n" + head + " FROMM reports WHERE 1 = 1 AND 2 = 2 AND 3 = 3 AND 4 = 4"
        )
    assert "..." in caught.value.detail
    assert (caught.value.line, caught.value.column) == (2, len(head) + 2)
    assert caught.value.message == "SQL 语法错误"


def test_syntax_error_and_missing_table(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(workbench.SqlError) as caught:
        workbench.run_analyst_sql(con, "SELEC 1")
    assert (caught.value.line, caught.value.column) == (1, 1)
    with pytest.raises(workbench.SqlError) as caught:
        workbench.run_analyst_sql(con, "SELECT * FROM nosuch_table")
    assert caught.value.message == "找不到表、视图或函数" and caught.value.column == 15


@pytest.mark.parametrize("sql", ["", "   ", "-- 只有注释", ";"])
def test_nothing_to_run(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    with pytest.raises(workbench.QueryRefused):
        workbench.run_analyst_sql(con, sql)


def test_multiple_statements_are_listed(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(workbench.QueryRefused) as caught:
        workbench.run_analyst_sql(con, "SELECT 1; SELECT 2")
    assert "这里有 2 条" in caught.value.message
    assert "第 2 条：SELECT 2" in caught.value.detail


# --- time limit ----------------------------------------------------------------------------


def test_runaway_query_is_interrupted(con: duckdb.DuckDBPyConnection, report_count: int) -> None:
    started = time.perf_counter()
    with pytest.raises(QueryTimeout, match="查询超时"):
        workbench.run_analyst_sql(con, CROSS_JOIN, timeout=0.5)
    assert time.perf_counter() - started < 1.5
    # the connection is still usable afterwards
    assert workbench.run_analyst_sql(con, "SELECT count(*) AS n FROM reports").frame["n"].iloc[0] == report_count


def test_other_sessions_keep_answering_during_a_runaway_query(
    con: duckdb.DuckDBPyConnection, report_count: int
) -> None:
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.perf_counter()
        try:
            workbench.run_analyst_sql(con, CROSS_JOIN, timeout=1.0)
        except QueryTimeout as exc:
            outcome["timeout"] = (str(exc), time.perf_counter() - started)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.2)
    answers = []
    while thread.is_alive() and len(answers) < 5:
        started = time.perf_counter()
        frame = workbench.run_analyst_sql(con, "SELECT count(*) AS n FROM reports", timeout=1.5).frame
        answers.append((int(frame["n"].iloc[0]), time.perf_counter() - started))
        time.sleep(0.1)
    thread.join()
    assert answers and all(n == report_count and seconds < 1.0 for n, seconds in answers), answers
    message, seconds = outcome["timeout"]  # type: ignore[misc]
    assert "查询超时" in message and seconds < 2.0


# --- parameters and named queries ----------------------------------------------------------


def test_parameters_in_order_of_use() -> None:
    assert workbench.sql_params("SELECT $b, $a -- $c\nWHERE x = $b") == ["b", "a"]
    assert workbench.sql_params("SELEC $a") == []


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_named_query_parameters_become_fields(name: str) -> None:
    query = get_query(name)
    assert workbench.sql_params(query.sql) == query.params
    assert set(query.param_labels) == set(query.params)


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_named_query_gives_the_same_frame_as_its_page(con: duckdb.DuckDBPyConnection, name: str) -> None:
    query = get_query(name)
    expected = query.run(con)
    # fields left empty are NULL, exactly as the page's "全部"
    result = workbench.run_analyst_sql(con, query.sql, dict.fromkeys(query.params, ""), limit=WORKBENCH_EXPORT_ROWS)
    pd.testing.assert_frame_equal(result.frame, expected)


def test_typed_in_parameters_match_the_page(con: duckdb.DuckDBPyConnection) -> None:
    query = get_query("reports")
    expected = query.run(con, province="湖南省", year_from=2022)
    # form fields deliver text; DuckDB casts it by the column it is compared with
    result = workbench.run_analyst_sql(con, query.sql, {"province": "湖南省", "year_from": "2022", "year_to": ""})
    pd.testing.assert_frame_equal(result.frame, expected)
    assert len(result.frame) >= 1


def test_named_query_is_recognised_by_its_text() -> None:
    query = get_query("reports")
    assert workbench.named_query_for(query.sql + "\n") == query
    assert workbench.named_query_for("SELECT 1") is None
    assert [q.name for q in workbench.named_queries()] != []


# --- schema browser ------------------------------------------------------------------------


def test_schema_lists_every_table_and_view_with_comments(con: duckdb.DuckDBPyConnection, report_count: int) -> None:
    infos = {t.name: t for t in workbench.schema(con)}
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT internal").fetchall()}
    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert tables | views <= set(infos)
    reports = infos["reports"]
    assert reports.kind == "表" and reports.comment and reports.rows == report_count
    assert list(reports.columns.columns) == ["列", "类型", "说明"]
    assert (reports.columns["说明"] != "").all()
    assert "fiscal_year" in set(reports.columns["列"])


def test_sample_rows(con: duckdb.DuckDBPyConnection) -> None:
    assert len(workbench.sample_rows(con, "reports", 2)) == 2
    with pytest.raises(workbench.QueryRefused):
        workbench.sample_rows(con, 'reports"; DROP TABLE reports; --')


# --- python -m fiscallens sql --------------------------------------------------------------


def test_cli_table(private_db: Path, report_count: int, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["sql", "SELECT department FROM reports ORDER BY 1", "--db", str(private_db)])
    out, err = capsys.readouterr()
    assert code == 0
    assert "黔南州大数据发展管理局" in out and f"共 {report_count} 行" in err


def test_cli_csv_and_json_with_parameters(private_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = "SELECT fiscal_year, province FROM reports WHERE province = $p ORDER BY 1"
    assert cli.main(["sql", sql, "--param", "p=湖南省", "--format", "csv", "--db", str(private_db)]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines()[0] == "fiscal_year,province" and out.count("湖南省") >= 1
    assert cli.main(["sql", sql, "--param", "p=湖南省", "--format", "json", "--db", str(private_db)]) == 0
    out, _ = capsys.readouterr()
    rows = pd.read_json(io.StringIO(out))
    assert set(rows["province"]) == {"湖南省"}


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT 1; DROP TABLE reports", "一次只能运行一条语句"),
        ("SELECT * FROM read_csv('/etc/passwd')", "不能访问服务器上的文件"),
        ("SELECT nosuch FROM reports", "第 1 行第 8 列"),
    ],
)
def test_cli_refuses_with_a_message(
    private_db: Path, original_sha: str, capsys: pytest.CaptureFixture[str], sql: str, expected: str
) -> None:
    assert cli.main(["sql", sql, "--db", str(private_db)]) == 1
    out, err = capsys.readouterr()
    assert expected in err and out == ""
    assert sha256(private_db) == original_sha


def test_cli_module_entry_point_has_no_traceback(private_db: Path) -> None:
    done = run_cli("sql", "DROP TABLE reports", "--db", str(private_db))
    assert done.returncode == 1
    assert "已拒绝" in done.stderr and "Traceback" not in done.stderr


def test_cli_timeout(private_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["sql", CROSS_JOIN, "--timeout", "0.3", "--db", str(private_db)]) == 1
    assert "查询超时" in capsys.readouterr().err


def test_cli_limit_and_missing_warehouse(tmp_path: Path, private_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["sql", "SELECT * FROM range(10)", "--limit", "3", "--format", "csv", "--db", str(private_db)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == ["range", "0", "1", "2"] and "只输出了前 3 行" in err
    assert cli.main(["sql", "SELECT 1", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "不存在" in capsys.readouterr().err
