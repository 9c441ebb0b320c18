"""The named queries run on Apache Spark (local mode) over the Parquet export and give DuckDB's results.

`python -m fiscallens export` writes the warehouse as Parquet (Hive layout); fiscallens/portable.py
registers it as Spark temp views, with the marts views transpiled, and turns each file of queries/
into Spark SQL (macro inlined, sqlglot, `$name` → `:name`). Every query runs on both engines with
the parameters the pages use, and the results must be equal: same columns, same rows (compared
after sorting; floats to 1e-6; NaN and NULL alike).

Needs Java 17+ and pyspark (requirements-dev.txt); skipped with the reason otherwise. Run it alone
with `make test-spark` or `pytest -m spark tests/spark`.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from fiscallens.export import export_parquet, read_manifest, register_export
from fiscallens.portable import NOT_PORTABLE, portable_query, run
from fiscallens.queries import load_queries
from fiscallens.warehouse import connect_readonly

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]


def _java_problem() -> str | None:
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home and (Path(home) / "bin" / "java").exists() else shutil.which("java")
    if not java:
        return "Java is not installed: Spark needs Java 17+ (apt-get install openjdk-17-jre-headless)"
    version = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    major = re.search(r'version "(\d+)(?:\.(\d+))?', version)
    if major and int(major.group(1)) < 17:
        return f"Spark 4 needs Java 17+, found: {version.splitlines()[0]}"
    return None


_problem = _java_problem()
if _problem:
    pytest.skip(_problem, allow_module_level=True)
pytest.importorskip("pyspark", reason="pyspark is not installed (pip install -r requirements-dev.txt)")

# Columns whose value is an aggregate of distinct strings in no defined order (string_agg(DISTINCT …)
# without ORDER BY): DuckDB and Spark may join the same parts in a different order.
UNORDERED_LISTS = {("execution_projects", "偏差原因（报告原文）"): "；"}
# The parameters the pages pass: nothing, a province, a year range; plus required ones.
REQUIRED = {"code": "2060499", "basis": "actual"}
VARIANTS = {
    "all": {},
    "province": {"province": "贵州省"},
    "years": {"year_from": 2022, "year_to": 2023},
    "severity": {"severity": "warning"},
}


def _cases() -> Iterator[Any]:
    for name, query in load_queries().items():
        base = {p: v for p, v in REQUIRED.items() if p in query.params}
        for variant, values in VARIANTS.items():
            if variant != "all" and not set(values) <= set(query.params):
                continue
            yield pytest.param(name, {**base, **values}, id=f"{name}-{variant}")


@pytest.fixture(scope="session")
def export_dir(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_parquet(warehouse, tmp_path_factory.mktemp("export") / "parquet").out_dir


@pytest.fixture(scope="session")
def spark(export_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("fiscallens-portability")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("spark-warehouse")))
        # Speed on a 2-core machine with tiny data; none of these changes a result. The JVM's
        # full JIT and the planner's adaptive/whole-stage compilation cost more than they save here
        # (measured: 5½ min → about 1 min for the queries below).
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.codegen.wholeStage", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    register_export(session, export_dir)
    yield session
    session.stop()


@pytest.fixture(scope="session")
def duck(warehouse: Path) -> Any:
    return connect_readonly(warehouse)


def _value(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        value = value.tolist()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _sort_key(row: tuple) -> tuple:
    key = []
    for v in row:
        if v is None:
            key.append((0, 0))
        elif isinstance(v, bool | int | float):
            key.append((1, round(float(v), 6)))
        else:
            key.append((2, str(v)))
    return tuple(key)


def _normalise(query: str, columns: list[str], rows: list[tuple]) -> list[tuple]:
    rows = [tuple(_value(v) for v in row) for row in rows]
    for (name, column), sep in UNORDERED_LISTS.items():
        if name == query and column in columns:
            i = columns.index(column)
            rows = [(*r[:i], sep.join(sorted(r[i].split(sep))) if r[i] else r[i], *r[i + 1 :]) for r in rows]
    return sorted(rows, key=_sort_key)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)
    return a == b


@pytest.mark.parametrize(("name", "params"), list(_cases()))
def test_named_query_gives_duckdb_results_on_spark(name: str, params: dict, duck: Any, spark: Any) -> None:
    if name in NOT_PORTABLE:
        pytest.skip(f"not portable: {NOT_PORTABLE[name]}")
    query = load_queries()[name]
    expected = query.run(duck, **params)
    result = run(spark, name, **params)
    assert result.columns == list(expected.columns), portable_query(name).sql

    want = _normalise(name, list(expected.columns), list(expected.itertuples(index=False, name=None)))
    got = _normalise(name, result.columns, [tuple(r) for r in result.collect()])
    assert len(got) == len(want), f"{name} {params}: Spark {len(got)} rows, DuckDB {len(want)}"
    for w, g in zip(want, got, strict=True):
        assert all(_same(x, y) for x, y in zip(w, g, strict=True)), f"{name} {params}:\nDuckDB {w}\nSpark  {g}"


def test_the_comparison_is_not_vacuous(duck: Any) -> None:
    """The bundled corpus gives rows for the filters above, so equal results mean something."""
    for name in ("reports", "execution_projects", "function_tree", "three_public_trend", "indicator_losses"):
        assert len(load_queries()[name].run(duck)) > 0, name
    assert len(load_queries()["reports"].run(duck, province="贵州省")) > 0
    assert len(load_queries()["function_code_compare"].run(duck, code="2060499")) > 0


def test_every_table_reads_back_whole_with_its_partition_values(export_dir: Path, duck: Any, spark: Any) -> None:
    manifest = read_manifest(export_dir)
    for table, info in manifest["tables"].items():
        assert spark.table(table).count() == info["rows"] == duck.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    provinces = {r[0] for r in spark.sql("SELECT DISTINCT province FROM evaluations").collect()}
    in_duckdb = duck.execute("SELECT DISTINCT r.province FROM evaluations JOIN reports AS r USING (report_id)")
    assert provinces == {r[0] for r in in_duckdb.fetchall()}
    assert "贵州省" in provinces  # not percent-encoded mojibake


def test_schema_sql_registers_catalog_tables_and_views(export_dir: Path, duck: Any, spark: Any) -> None:
    """`spark-sql -f DIR/_schema.sql` on a cluster: here statement by statement on the local session."""
    text = (export_dir / "_schema.sql").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("--"))
    statements = [s.strip() for s in re.split(r";\s*\n", body) if s.strip()]
    cluster = spark.newSession()  # no temp views: names resolve to the catalog, as on a cluster
    for statement in statements:
        cluster.sql(statement)
    for table, info in read_manifest(export_dir)["tables"].items():
        assert cluster.sql(f"SELECT count(*) FROM fiscallens.{table}").first()[0] == info["rows"], table
    summary = {tuple(r) for r in cluster.sql("SELECT report_id, region_label FROM fiscallens.report_summary").collect()}
    assert summary == set(duck.execute("SELECT report_id, region_label FROM report_summary").fetchall())
    assert (
        cluster.sql("SELECT count(*) FROM fiscallens.evaluation_detail").first()[0]
        == read_manifest(export_dir)["tables"]["evaluations"]["rows"]
    )
