"""Export the warehouse as Parquet in a Hive layout, for Spark, Trino or any engine that reads Parquet.

    DIR/
      manifest.json           tables, row counts, columns with DuckDB / Spark / Trino types, partitioning
      _schema.sql             Spark SQL: CREATE TABLE … USING parquet LOCATION …, then the marts views
      _schema.trino.sql       Trino (Hive connector): external tables + partition discovery
      reports/province=贵州省/fiscal_year=2023/data_0.parquet
      evaluations/province=…/fiscal_year=…/data_0.parquet
      …
      regions/data_0.parquet  reference tables (no report_id) are not partitioned

Every table that carries report_id is partitioned by (province, fiscal_year). Tables that do not
carry those columns themselves get them from their report (`reports.province`,
`reports.fiscal_year`): the two columns are *added* to fact tables in the export. A table that has
its own column keeps it (documents; three_public's fiscal_year is the year of the figure, which for
a prior-year figure is not the report's year). NULL goes to `__HIVE_DEFAULT_PARTITION__`.

Directory names follow Hive's escaping (the one Spark, Hive and Trino decode): only
`"#%'*/:=?\\{[]^`, DEL and control characters become `%XX`, so `province=贵州省` is written as is.
DuckDB's own partitioned writer percent-encodes UTF-8 bytes, which Spark and Trino decode one byte
per character (mojibake), so the directories it writes are renamed after each COPY.

The export is written next to DIR and renamed into place when complete: a reader never sees half
an export, and a failed export leaves DIR as it was. On Spark, `register_export(spark, DIR)` reads it
back: the tables as temp views, and the marts views transpiled by `fiscallens.portable`.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

import duckdb

from fiscallens.portable import view_statements

if TYPE_CHECKING:  # pyspark is a test dependency, used only by register_export
    from pyspark.sql import SparkSession

PARTITION_COLUMNS = ("province", "fiscal_year")
HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"
# Not "_manifest.json": Spark and Hadoop skip files whose names start with "_" or "." even when named
# explicitly, and register_export reads the manifest through Spark (hdfs://, s3a://).
MANIFEST = "manifest.json"
EXPORT_KIND = "fiscallens-export"
SPARK_DDL = "_schema.sql"
TRINO_DDL = "_schema.trino.sql"
DATABASE = "fiscallens"

# The export's own connection: file access stays on (COPY … TO needs it), nothing is installed.
EXPORT_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}

# Spark's ExternalCatalogUtils.escapePathName (the same set as Hive's FileUtils).
_HIVE_ESCAPE = frozenset("\"#%'*/:=?\\\x7f{[]^") | frozenset(chr(c) for c in range(1, 0x20))

_SPARK_TYPES = {
    "VARCHAR": "STRING",
    "INTEGER": "INT",
    "BIGINT": "BIGINT",
    "SMALLINT": "SMALLINT",
    "DOUBLE": "DOUBLE",
    "FLOAT": "FLOAT",
    "BOOLEAN": "BOOLEAN",
    "DATE": "DATE",
    # DuckDB writes TIMESTAMP as Parquet INT64 micros, not adjusted to UTC: Spark reads TIMESTAMP_NTZ.
    "TIMESTAMP": "TIMESTAMP_NTZ",
}
_TRINO_TYPES = {
    "VARCHAR": "varchar",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "SMALLINT": "smallint",
    "DOUBLE": "double",
    "FLOAT": "real",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp(6)",
}


class ExportError(Exception):
    """The export could not be written; the message is for people (Chinese)."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type
    comment: str = ""
    added: bool = False  # not a warehouse column: a partition column copied from the report

    @property
    def spark_type(self) -> str:
        return spark_type(self.type)

    @property
    def trino_type(self) -> str:
        return trino_type(self.type)


@dataclass(frozen=True)
class ExportedTable:
    name: str
    columns: tuple[Column, ...]
    rows: int
    partition_by: tuple[str, ...] = ()
    comment: str = ""

    @property
    def added_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.added]

    @property
    def spark_schema(self) -> str:
        """DDL schema string for `spark.read.schema(...)`."""
        return ", ".join(f"`{c.name}` {c.spark_type}" for c in self.columns)


@dataclass
class ExportSummary:
    out_dir: Path
    tables: list[ExportedTable] = field(default_factory=list)
    seconds: float = 0.0


def spark_type(duck_type: str) -> str:
    if duck_type.endswith("[]"):
        return f"ARRAY<{spark_type(duck_type[:-2])}>"
    if duck_type.startswith("DECIMAL"):
        return duck_type
    try:
        return _SPARK_TYPES[duck_type]
    except KeyError:
        raise ExportError(f"列类型 {duck_type} 暂不支持导出") from None


def trino_type(duck_type: str) -> str:
    if duck_type.endswith("[]"):
        return f"array({trino_type(duck_type[:-2])})"
    if duck_type.startswith("DECIMAL"):
        return duck_type.lower()
    try:
        return _TRINO_TYPES[duck_type]
    except KeyError:
        raise ExportError(f"列类型 {duck_type} 暂不支持导出") from None


def hive_escape(value: str) -> str:
    """A partition value as Hive, Spark and Trino write it in a directory name."""
    return "".join(f"%{ord(ch):02X}" if ch in _HIVE_ESCAPE else ch for ch in value)


def export_parquet(db_path: Path, out_dir: Path, *, force: bool = False) -> ExportSummary:
    """Write every base table of the warehouse at `db_path` to `out_dir` (see the module docstring)."""
    started = time.perf_counter()
    db_path, out_dir = Path(db_path), Path(out_dir).absolute()
    if not db_path.exists():
        raise ExportError(f"仓库 {db_path} 不存在，请先运行 python -m fiscallens build。")
    _check_target(out_dir, force)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    staging.chmod(0o777 & ~_umask())  # mkdtemp's 0700 would survive the rename
    try:
        con = _connect(db_path)
        try:
            tables = [_export_table(con, table, staging) for table in _base_tables(con)]
            views = view_statements("spark")
        finally:
            con.close()
        _write_manifest(staging, db_path, tables)
        (staging / SPARK_DDL).write_text(spark_ddl(tables, out_dir, views), encoding="utf-8")
        (staging / TRINO_DDL).write_text(trino_ddl(tables, out_dir), encoding="utf-8")
        _swap_into_place(staging, out_dir)
    except duckdb.Error as exc:
        raise ExportError(f"导出失败：{exc}") from exc
    except OSError as exc:
        raise ExportError(f"写入 {out_dir} 失败：{exc}") from exc
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return ExportSummary(out_dir=out_dir, tables=tables, seconds=time.perf_counter() - started)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the warehouse attached read-only, not the locked analyst connection.

    COPY … TO needs file access, which the analyst connection (warehouse.connect_readonly) forbids.
    Attaching from a private in-memory database also works while this process already holds a
    locked connection to the same file (DuckDB refuses a second connect() with another config).
    """
    try:
        con = duckdb.connect(":memory:", config=dict(EXPORT_CONFIG))
        con.execute(f"ATTACH {_literal(db_path.absolute())} AS warehouse (READ_ONLY)")
        con.execute("USE warehouse")
    except duckdb.Error as exc:
        raise ExportError(f"无法打开仓库 {db_path}：{exc}") from exc
    return con


def read_manifest(export_dir: Path) -> dict:
    path = Path(export_dir) / MANIFEST
    if not path.exists():
        raise ExportError(f"{export_dir} 不是 FiscalLens 导出目录（没有 {MANIFEST}）")
    return json.loads(path.read_text(encoding="utf-8"))


def _check_target(out_dir: Path, force: bool) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir} 已存在且不是文件夹。")
    if not out_dir.is_dir() or not any(out_dir.iterdir()):
        return
    if not force:
        raise ExportError(f"{out_dir} 不是空文件夹；加 --force 以替换其中的上一次导出。")
    if not _is_export(out_dir):
        # --force replaces an earlier export, never an arbitrary folder.
        raise ExportError(f"{out_dir} 不是空文件夹，也不是本命令的上一次导出，不会替换；请换一个文件夹。")


def _is_export(directory: Path) -> bool:
    try:
        return json.loads((directory / MANIFEST).read_text(encoding="utf-8")).get("kind") == EXPORT_KIND
    except (OSError, ValueError, AttributeError):
        return False


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    if out_dir.is_dir() and not any(out_dir.iterdir()):
        out_dir.rmdir()
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    out_dir.rename(old)
    staging.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)


def _base_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """The warehouse's own tables. The marts stored as tables at build time (fiscallens/marts.py) are
    left out: the export recreates them as views from marts.sql (`_schema.sql`, register_export)."""
    from fiscallens.marts import MATERIALISED

    rows = con.execute(
        """SELECT table_name, coalesce(comment, '') FROM duckdb_tables()
           WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary
           ORDER BY table_name"""
    ).fetchall()
    return [(name, comment) for name, comment in rows if name not in MATERIALISED]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[Column]:
    rows = con.execute(
        """SELECT column_name, data_type, coalesce(comment, '') FROM duckdb_columns()
           WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ?
           ORDER BY column_index""",
        [table],
    ).fetchall()
    return [Column(name, data_type, comment) for name, data_type, comment in rows]


def _export_table(con: duckdb.DuckDBPyConnection, meta: tuple[str, str], staging: Path) -> ExportedTable:
    name, comment = meta
    columns = _columns(con, name)
    own = {c.name for c in columns}
    partitioned = "report_id" in own or set(PARTITION_COLUMNS) <= own
    select = [f't."{c.name}"' for c in columns]
    source = f'warehouse.main."{name}" AS t'
    if partitioned:
        from_report = {c.name: c for c in _columns(con, "reports")}
        missing = [p for p in PARTITION_COLUMNS if p not in own]
        for column in missing:
            select.append(f'r."{column}"')
            source_column = from_report[column]
            columns.append(Column(column, source_column.type, f"所属报告的{source_column.comment}（导出时加入）", True))
        if missing:
            source += " LEFT JOIN warehouse.main.reports AS r ON r.report_id = t.report_id"
    target = staging / name
    query = f"SELECT {', '.join(select)} FROM {source}"
    rows = con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]
    if partitioned and rows:
        partition = ", ".join(f'"{p}"' for p in PARTITION_COLUMNS)
        con.execute(f"COPY ({query}) TO {_literal(target)} (FORMAT parquet, PARTITION_BY ({partition}))")
        _hive_names(target)
    else:
        # Unpartitioned, or empty: one file, so every table directory has a readable schema.
        target.mkdir()
        con.execute(f"COPY ({query}) TO {_literal(target / 'data_0.parquet')} (FORMAT parquet)")
    return ExportedTable(
        name=name,
        columns=tuple(columns),
        rows=rows,
        partition_by=PARTITION_COLUMNS if partitioned else (),
        comment=comment,
    )


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _hive_names(directory: Path) -> None:
    """Rename DuckDB's percent-encoded `key=value` directories to Hive's escaping, top down."""
    for entry in sorted(directory.iterdir()):
        if not entry.is_dir():
            continue
        key, sep, value = entry.name.partition("=")
        if sep and value != HIVE_NULL:
            wanted = f"{key}={hive_escape(unquote(value))}"
            if wanted != entry.name:
                entry = entry.rename(entry.with_name(wanted))
        _hive_names(entry)


def _write_manifest(staging: Path, db_path: Path, tables: list[ExportedTable]) -> None:
    manifest = {
        "kind": EXPORT_KIND,
        "format": "parquet",
        "layout": "hive",
        "partition_by": list(PARTITION_COLUMNS),
        "null_partition": HIVE_NULL,
        "exported_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "warehouse": str(db_path),
        "tables": {
            t.name: {
                "rows": t.rows,
                "partition_by": list(t.partition_by),
                "added_columns": t.added_columns,
                "comment": t.comment,
                "columns": [
                    {
                        "name": c.name,
                        "type": c.type,
                        "spark": c.spark_type,
                        "trino": c.trino_type,
                        "comment": c.comment,
                    }
                    for c in t.columns
                ],
            }
            for t in tables
        },
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def tables_from_manifest(manifest: dict) -> list[ExportedTable]:
    return [
        ExportedTable(
            name=name,
            columns=tuple(
                Column(c["name"], c["type"], c.get("comment", ""), c["name"] in t["added_columns"])
                for c in t["columns"]
            ),
            rows=t["rows"],
            partition_by=tuple(t["partition_by"]),
            comment=t.get("comment", ""),
        )
        for name, t in manifest["tables"].items()
    ]


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _trino_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ordered(table: ExportedTable) -> list[Column]:
    """Columns with the partition columns last, in partition order (what Spark and Trino require)."""
    rest = [c for c in table.columns if c.name not in table.partition_by]
    by_name = {c.name: c for c in table.columns}
    return rest + [by_name[p] for p in table.partition_by]


def _header(kind: str, tables: list[ExportedTable], out_dir: Path) -> list[str]:
    lines = [
        f"-- FiscalLens warehouse export: {kind}.",
        f"-- Locations point at {out_dir.as_uri()}; after copying the folder elsewhere (hdfs://…, s3a://…),",
        "-- replace that prefix. Partitioned tables: (province, fiscal_year), Hive layout; NULL is",
        f"-- {HIVE_NULL}. The 'added columns' below are not warehouse columns: they hold the",
        "-- partition value of the row's report (comment ends in （导出时加入）).",
        "--",
        f"-- {'table':<18} {'rows':>8}  {'partitioned':<11}  added columns",
    ]
    for t in tables:
        added = ", ".join(t.added_columns) or "—"
        lines.append(f"-- {t.name:<18} {t.rows:>8}  {'yes' if t.partition_by else 'no':<11}  {added}")
    return [*lines, ""]


def spark_ddl(tables: list[ExportedTable], out_dir: Path, views: list[tuple[str, str]]) -> str:
    """Spark SQL that registers the export as catalog tables and creates the marts views."""
    lines = _header("Spark SQL (spark-sql -f _schema.sql)", tables, out_dir)
    lines += [f"CREATE DATABASE IF NOT EXISTS {DATABASE};", f"USE {DATABASE};", ""]  # views name tables unqualified
    for t in tables:
        cols = [f"  `{c.name}` {c.spark_type}" + f" COMMENT {_quote(c.comment)}" for c in _ordered(t)]
        lines.append(f"CREATE TABLE IF NOT EXISTS {DATABASE}.{t.name} (")
        lines.append(",\n".join(cols))
        lines.append(") USING parquet")
        if t.partition_by:
            lines.append(f"PARTITIONED BY ({', '.join(t.partition_by)})")
        lines.append(f"LOCATION {_quote((out_dir / t.name).as_uri())}")
        lines.append(f"COMMENT {_quote(t.comment)};")
        if t.partition_by:
            lines.append(f"ALTER TABLE {DATABASE}.{t.name} RECOVER PARTITIONS;")
        lines.append("")
    lines.append("-- Views of fiscallens/marts.sql, transpiled from DuckDB by fiscallens/portable.py.")
    for name, sql in views:
        lines.append(f"CREATE OR REPLACE VIEW {DATABASE}.{name} AS\n{sql};")
        lines.append("")
    return "\n".join(lines)


def trino_ddl(tables: list[ExportedTable], out_dir: Path, catalog: str = "hive") -> str:
    """Trino external tables (Hive connector) over the export, with partition discovery."""
    lines = _header("Trino, Hive connector (trino -f _schema.trino.sql)", tables, out_dir)
    lines += [
        "-- Needs hive.non-managed-table-creates-enabled=true (the default) in the catalog. The marts views",
        "-- and the named queries are DuckDB SQL: fiscallens.portable.transpile(sql, 'trino') translates",
        "-- them (Spark SQL is what the tests run; Trino output is not tested here).",
        f"CREATE SCHEMA IF NOT EXISTS {catalog}.{DATABASE};",
        "",
    ]
    for t in tables:
        cols = [f"  {c.name} {c.trino_type}" + f" COMMENT {_trino_quote(c.comment)}" for c in _ordered(t)]
        props = ["format = 'PARQUET'", f"external_location = {_trino_quote((out_dir / t.name).as_uri())}"]
        if t.partition_by:
            props.append("partitioned_by = ARRAY[" + ", ".join(f"'{p}'" for p in t.partition_by) + "]")
        lines.append(f"CREATE TABLE IF NOT EXISTS {catalog}.{DATABASE}.{t.name} (")
        lines.append(",\n".join(cols))
        lines.append(f") COMMENT {_trino_quote(t.comment)}")
        lines.append("WITH (" + ", ".join(props) + ");")
        if t.partition_by:
            lines.append(f"CALL {catalog}.system.sync_partition_metadata('{DATABASE}', '{t.name}', 'FULL');")
        lines.append("")
    return "\n".join(lines)


# --- reading an export on Spark ---------------------------------------------------------------


def register_export(spark: SparkSession, export_dir: Path | str) -> list[str]:
    """Temp views over a Parquet export: every table, then the marts views. Returns their names.

    `export_dir` is a local folder or any URI the cluster reads (hdfs://…, s3a://…): the manifest is
    read through Spark too. Each table is read with the schema in the manifest (types do not depend
    on what Spark infers from directory names) and keeps the warehouse's column order.
    """
    text = str(export_dir)
    root = text.rstrip("/") if "://" in text else str(Path(text).absolute())
    manifest = json.loads(spark.read.text(f"{root}/{MANIFEST}", wholetext=True).first()[0])
    names = []
    for table in tables_from_manifest(manifest):
        frame = spark.read.schema(table.spark_schema).parquet(f"{root}/{table.name}")
        frame.select(*[f"`{c.name}`" for c in table.columns]).createOrReplaceTempView(table.name)
        names.append(table.name)
    for name, sql in view_statements("spark"):
        spark.sql(f"CREATE OR REPLACE TEMPORARY VIEW `{name}` AS {sql}")
        names.append(name)
    return names
