"""`python -m fiscallens export`: Parquet in a Hive layout, and the named queries made portable.

The Spark side (the same queries on Apache Spark over this export) is tests/spark/.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from fiscallens import export as export_module
from fiscallens.cli import main
from fiscallens.export import PARTITION_COLUMNS, ExportError, export_parquet, hive_escape, read_manifest
from fiscallens.labels import REFERENCE_TABLES as LABEL_TABLES
from fiscallens.marts import MATERIALISED
from fiscallens.portable import NOT_PORTABLE, portable_queries, transpile, view_statements
from fiscallens.queries import load_queries
from fiscallens.warehouse import connect_readonly

FACT_TABLES = {"evaluations", "execution_lines", "function_spending", "economic_spending", "indicators"}
REFERENCE_TABLES = {"regions", "function_codes", "meta", "department_kinds", *LABEL_TABLES}


@pytest.fixture(scope="module")
def exported(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A locked analyst connection to the same file is open in this process, as in the app.
    connect_readonly(warehouse)
    return export_parquet(warehouse, tmp_path_factory.mktemp("export") / "parquet").out_dir


def test_every_base_table_is_exported_and_reads_back_equal(exported: Path, warehouse: Path) -> None:
    con = duckdb.connect()
    con.execute(f"ATTACH '{warehouse}' AS w (READ_ONLY)")
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'w'").fetchall()}
    assert set(MATERIALISED) <= tables  # the build stores the marts as tables …
    tables -= set(MATERIALISED)  # … which the export leaves to marts.sql, as views
    manifest = read_manifest(exported)
    assert set(manifest["tables"]) == tables
    assert not {"report_summary", "evaluation_detail", "region_labels"} & set(manifest["tables"])  # views are not
    for table in tables:
        columns = [c[0] for c in con.execute(f"DESCRIBE w.{table}").fetchall()]
        listed = ", ".join(f'"{c}"' for c in columns)
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW back AS "
            f"SELECT * FROM read_parquet('{exported / table}/**/*.parquet', hive_partitioning = true)"
        )
        for a, b in (("back", f"w.{table}"), (f"w.{table}", "back")):
            diff = con.execute(f"SELECT count(*) FROM (SELECT {listed} FROM {a} EXCEPT ALL SELECT {listed} FROM {b})")
            assert diff.fetchone()[0] == 0, table
        assert manifest["tables"][table]["rows"] == con.execute("SELECT count(*) FROM back").fetchone()[0]


def test_fact_tables_get_the_partition_columns_of_their_report(exported: Path, warehouse: Path) -> None:
    manifest = read_manifest(exported)["tables"]
    for table in FACT_TABLES | {"quality_flags"}:
        assert manifest[table]["partition_by"] == list(PARTITION_COLUMNS)
        assert manifest[table]["added_columns"] == list(PARTITION_COLUMNS), table
    # three_public keeps its own fiscal_year (a prior-year figure's year), documents and reports their own
    assert manifest["three_public"]["added_columns"] == ["province"]
    assert manifest["documents"]["added_columns"] == manifest["reports"]["added_columns"] == []
    for table in REFERENCE_TABLES:
        assert manifest[table]["partition_by"] == []
        assert [p.name for p in (exported / table).iterdir()] == ["data_0.parquet"]

    con = duckdb.connect()
    con.execute(f"ATTACH '{warehouse}' AS w (READ_ONLY)")
    mismatched = con.execute(
        f"""SELECT count(*) FROM read_parquet('{exported}/evaluations/**/*.parquet', hive_partitioning = true) AS e
            JOIN w.reports AS r USING (report_id)
            WHERE e.province IS DISTINCT FROM r.province OR e.fiscal_year IS DISTINCT FROM r.fiscal_year"""
    ).fetchone()[0]
    assert mismatched == 0


def test_partition_directories_use_hive_escaping(exported: Path) -> None:
    names = {p.name for p in (exported / "reports").iterdir()}
    assert "province=贵州省" in names  # as Spark/Trino decode it; DuckDB's own writer gives %E8%B4%B5…
    assert not any("%E" in p.name for p in exported.rglob("*"))
    assert exported.stat().st_mode & 0o077, "readable by others, as a folder made with mkdir"
    assert hive_escape("贵州省") == "贵州省"
    assert hive_escape("a/b=c%d:e") == "a%2Fb%3Dc%25d%3Ae"


def test_schema_files_describe_every_table(exported: Path) -> None:
    manifest = read_manifest(exported)
    spark_sql = (exported / "_schema.sql").read_text(encoding="utf-8")
    trino_sql = (exported / "_schema.trino.sql").read_text(encoding="utf-8")
    for table, info in manifest["tables"].items():
        assert f"CREATE TABLE IF NOT EXISTS fiscallens.{table} (" in spark_sql
        assert f"hive.fiscallens.{table} (" in trino_sql
        assert {c["name"] for c in info["columns"]} >= {"report_id"} or table in REFERENCE_TABLES
    for view, _ in view_statements():
        assert f"CREATE OR REPLACE VIEW fiscallens.{view} AS" in spark_sql
    # Trino wants the partition columns last, in partition order
    for statement in sqlglot.parse(trino_sql, read="trino"):
        if isinstance(statement, exp.Create) and "partitioned_by" in statement.sql("trino"):
            columns = [c.name for c in statement.this.expressions if isinstance(c, exp.ColumnDef)]
            assert columns[-2:] == list(PARTITION_COLUMNS), statement.this.this.name
    assert json.loads((exported / "manifest.json").read_text(encoding="utf-8"))["layout"] == "hive"


def test_refuses_a_non_empty_folder_and_force_replaces_only_an_export(warehouse: Path, tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match="不是空文件夹"):
        export_parquet(warehouse, target)
    with pytest.raises(ExportError, match="不会替换"):
        export_parquet(warehouse, target, force=True)
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mine"

    again = tmp_path / "export"
    export_parquet(warehouse, again)
    with pytest.raises(ExportError, match="--force"):
        export_parquet(warehouse, again)
    (again / "stale.parquet").write_text("x", encoding="utf-8")
    export_parquet(warehouse, again, force=True)
    assert not (again / "stale.parquet").exists()
    assert (again / "reports").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export", "out"]  # no staging left behind

    other = tmp_path / "synth"  # another tool's manifest.json is not an export
    other.mkdir()
    (other / "manifest.json").write_text('{"reports": 3}', encoding="utf-8")
    with pytest.raises(ExportError, match="不会替换"):
        export_parquet(warehouse, other, force=True)
    assert (other / "manifest.json").exists()


def test_a_failed_export_leaves_the_previous_one(warehouse: Path, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "export"
    export_parquet(warehouse, target)
    before = sorted(str(p.relative_to(target)) for p in target.rglob("*"))

    def boom(*args: object) -> None:
        raise duckdb.IOException("disk full")

    monkeypatch.setattr(export_module, "_export_table", boom)
    with pytest.raises(ExportError, match="disk full"):
        export_parquet(warehouse, target, force=True)
    assert sorted(str(p.relative_to(target)) for p in target.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]


def test_cli_export(warehouse: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "parquet"
    assert main(["export", "--format", "parquet", "--out", str(out), "--db", str(warehouse)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("已导出 ")
    assert "导出时加入 province, fiscal_year" in printed
    assert main(["export", "--out", str(out), "--db", str(warehouse)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["export", "--out", str(out), "--db", str(warehouse), "--force"]) == 0
    assert main(["export", "--out", str(tmp_path / "x"), "--db", str(tmp_path / "missing.duckdb")]) == 2


def test_every_named_query_is_portable_or_says_why() -> None:
    queries = load_queries()
    assert set(NOT_PORTABLE) <= set(queries)
    assert all(reason.strip() for reason in NOT_PORTABLE.values())
    portable = portable_queries("spark")
    assert set(portable) | set(NOT_PORTABLE) == set(queries)
    for name, query in portable.items():
        assert "$" not in query.sql and "selected_reports(" not in query.sql.lower(), name
        assert set(query.params) == set(queries[name].params)
        sqlglot.parse_one(query.sql, read="spark")  # well-formed Spark SQL


def test_inlined_macro_gives_the_same_rows_in_duckdb(warehouse: Path) -> None:
    """The macro inlining alone (DuckDB → DuckDB) changes no result."""
    con = connect_readonly(warehouse)
    for name, query in load_queries().items():
        params = {p: None for p in query.params} | ({"code": "2060499"} if "code" in query.params else {})
        for extra in ({}, {"province": "贵州省"} if "province" in query.params else {}):
            bound = params | extra
            original = con.execute(query.sql, bound or None).fetchall() if bound else con.execute(query.sql).fetchall()
            inlined_sql = transpile(query.sql, "duckdb")
            inlined = con.execute(inlined_sql, bound).fetchall() if bound else con.execute(inlined_sql).fetchall()
            assert sorted(map(repr, inlined)) == sorted(map(repr, original)), name


def test_marts_views_transpile_without_comments_or_macro() -> None:
    views = view_statements("spark")
    assert [name for name, _ in views] == [
        "region_labels",
        "report_summary",
        "evaluation_detail",
        "report_measures",
        "three_public_detail",
    ]
    region_labels = dict(views)["region_labels"]
    assert "SIZE(FILTER(" in region_labels and "[0]" in region_labels  # len(list) → size, 1-based → 0-based


def test_percentiles_stay_exact_on_spark() -> None:
    from fiscallens.portable import transpile

    sql = transpile("SELECT percentile_cont(0.25) WITHIN GROUP (ORDER BY total_score) AS q FROM evaluation_detail")
    assert "PERCENTILE(total_score, 0.25)" in sql and "APPROX" not in sql.upper()
