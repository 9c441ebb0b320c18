"""The analyst SQL workbench (自助查询) without Streamlit: guarded execution, errors, schema, exports.

The guard rails, outermost first:

1. DuckDB's own parser splits the text; exactly one statement of a reading type
   (SELECT, EXPLAIN, PRAGMA) is accepted, so a write smuggled after a read is
   refused before anything runs.
2. The statement runs on a cursor of the warehouse's read-only connection with
   external access disabled and the configuration locked
   (`fiscallens.warehouse.connect_readonly`). This is the real guard: it refuses
   writes that parse as a SELECT (`WITH x AS (DELETE … RETURNING *) SELECT …`),
   state-changing PRAGMAs, and every file or network access.
3. A watchdog interrupts the cursor after the time limit; only that cursor
   stops, other sessions' queries go on.
4. Rows are streamed and at most `limit + 1` are fetched, so a huge result
   neither fills memory nor has to be computed in full.

The web page (`pages/sql_workbench.py`) and `python -m fiscallens sql` both call
`run_analyst_sql`, so they refuse exactly the same things.
"""

from __future__ import annotations

import functools
import io
import json
import math
import re
import threading
import time
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from fiscallens.presentation import csv_bytes, xlsx_bytes
from fiscallens.queries import NamedQuery, load_queries
from fiscallens.settings import QUERY_TIMEOUT_SECONDS, WORKBENCH_DISPLAY_ROWS
from fiscallens.warehouse import QueryTimeout

__all__ = [
    "DEFAULT_SQL",
    "EXPORT_FORMATS",
    "QueryRefused",
    "QueryTimeout",
    "Result",
    "SqlError",
    "TableInfo",
    "WorkbenchError",
    "check_statement",
    "export_bytes",
    "format_table",
    "frame_to_csv",
    "frame_to_json",
    "named_queries",
    "named_query",
    "named_query_for",
    "run_analyst_sql",
    "sample_rows",
    "sample_sql",
    "schema",
    "sql_params",
]

DEFAULT_SQL = """-- 示例：各年度、各类报告的份数与平均自评得分。按 Ctrl+Enter（Mac：⌘+Enter）运行。
SELECT
    fiscal_year AS 年度,
    doc_type AS 类型,
    count(*) AS 报告数,
    round(avg(total_score), 2) AS 平均得分
FROM reports
GROUP BY ALL
ORDER BY 年度 DESC, 类型
"""

# Statement types an analyst may run. Anything else is refused before it runs; the read-only,
# locked connection still refuses whatever slips through (a PRAGMA that sets an option, a
# data-modifying CTE inside a SELECT).
ALLOWED_TYPES = frozenset({"SELECT", "EXPLAIN", "PRAGMA"})

_TYPE_LABELS = {
    "INSERT": "插入数据（INSERT）",
    "UPDATE": "修改数据（UPDATE）",
    "DELETE": "删除数据（DELETE）",
    "CREATE": "创建对象（CREATE）",
    "CREATE_FUNC": "创建函数（CREATE FUNCTION/MACRO）",
    "DROP": "删除对象（DROP）",
    "ALTER": "修改表结构（ALTER）",
    "COPY": "导入导出文件（COPY）",
    "COPY_DATABASE": "复制数据库（COPY FROM DATABASE）",
    "EXPORT": "导出数据库（EXPORT）",
    "ATTACH": "挂载数据库（ATTACH）",
    "DETACH": "卸载数据库（DETACH）",
    "LOAD": "安装或加载扩展（INSTALL/LOAD）",
    "EXTENSION": "扩展语句",
    "SET": "修改设置（SET/RESET/USE）",
    "VARIABLE_SET": "设置变量（SET VARIABLE）",
    "TRANSACTION": "事务控制（BEGIN/COMMIT/ROLLBACK）",
    "PREPARE": "预备语句（PREPARE）",
    "EXECUTE": "执行预备语句（EXECUTE）",
    "CALL": "调用过程（CALL/CHECKPOINT）",
    "VACUUM": "整理存储（VACUUM）",
    "ANALYZE": "收集统计（ANALYZE）",
    "MERGE_INTO": "合并写入（MERGE INTO）",
    "MULTI": "复合语句（如 PIVOT 语句）",
}


class WorkbenchError(Exception):
    """A query the workbench did not run to completion; `message` is for people (Chinese)."""

    def __init__(self, message: str, detail: str = "", line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.line = line
        self.column = column

    @property
    def where(self) -> str:
        """'第 3 行第 11 列', or '' when DuckDB gave no position."""
        if self.line is None:
            return ""
        return f"第 {self.line} 行第 {self.column} 列" if self.column is not None else f"第 {self.line} 行"

    def __str__(self) -> str:
        head = f"{self.message}（{self.where}）" if self.where else self.message
        return f"{head}\n{self.detail}" if self.detail else head


class QueryRefused(WorkbenchError):
    """Refused before running: empty, several statements, or not a reading statement."""


class SqlError(WorkbenchError):
    """DuckDB rejected the statement; `detail` is DuckDB's own message."""


@dataclass(frozen=True)
class Result:
    frame: pd.DataFrame
    truncated: bool  # there were more than `limit` rows; `frame` holds the first `limit`
    elapsed: float  # seconds, execution and fetch
    limit: int
    statement_type: str = "SELECT"

    @property
    def row_count(self) -> int:
        return len(self.frame)

    def summary(self) -> str:
        rows = (
            f"显示前 {self.row_count:,} 行，结果多于 {self.limit:,} 行"
            if self.truncated
            else f"共 {self.row_count:,} 行"
        )
        return f"{rows} · 用时 {self.elapsed:.2f} 秒"


# --- statements and parameters -------------------------------------------------------------


def check_statement(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    """The one statement in `sql`, parsed by DuckDB; raises QueryRefused or SqlError."""
    if not sql or not sql.strip():
        raise QueryRefused("请输入一条 SQL 查询语句。")
    cursor = con.cursor()
    try:
        statements = cursor.extract_statements(sql)
    except duckdb.Error as exc:
        raise _sql_error(exc, sql) from None
    finally:
        cursor.close()
    if not statements:
        raise QueryRefused("没有可运行的语句（只有注释或分号）。")
    if len(statements) > 1:
        raise QueryRefused(
            f"已拒绝：一次只能运行一条语句，这里有 {len(statements)} 条。请删去多余的语句（分号后面的部分）。",
            detail="\n".join(f"第 {i} 条：{_short(s.query)}" for i, s in enumerate(statements, 1)),
        )
    statement = statements[0]
    try:
        kind = statement.type.name
    except ValueError:  # a statement type this client does not know, e.g. UPDATE EXTENSIONS
        raise QueryRefused(_REFUSED.format(label="未知类型"), detail=_short(statement.query)) from None
    # COPY FROM DATABASE parses as a PRAGMA; only a statement that says PRAGMA counts as one.
    if kind == "PRAGMA" and not statement.query.lstrip().upper().startswith("PRAGMA"):
        kind = "COPY_DATABASE"
    if kind not in ALLOWED_TYPES:
        raise QueryRefused(_REFUSED.format(label=_TYPE_LABELS.get(kind, kind)), detail=_short(statement.query))
    return statement


_REFUSED = "已拒绝：自助查询只能读取数据（SELECT / WITH / EXPLAIN / 只读 PRAGMA），不能执行“{label}”语句。"


def sql_params(sql: str, con: duckdb.DuckDBPyConnection | None = None) -> list[str]:
    """`$name` parameters of one statement, in order of first use; [] if it does not parse."""
    cursor = (con or _parser()).cursor()
    try:
        statements = cursor.extract_statements(sql)
    except duckdb.Error:
        return []
    finally:
        cursor.close()
    names = set().union(*(s.named_parameters for s in statements)) if statements else set()
    code = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    order = {m.group(1): m.start() for m in reversed(list(re.finditer(r"\$([A-Za-z_]\w*)", code)))}
    return sorted(names, key=lambda n: (order.get(n, len(code)), n))


@functools.cache
def _parser() -> duckdb.DuckDBPyConnection:
    """An empty in-memory database, used only to parse SQL text."""
    return duckdb.connect(":memory:", config={"enable_external_access": False})


def _bind(names: Iterable[str], values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Every parameter the statement uses, NULL when not given or left empty (= 不限)."""
    values = values or {}
    return {n: (None if values.get(n) in ("", None) else values[n]) for n in names}


# --- running -------------------------------------------------------------------------------


def run_analyst_sql(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: Mapping[str, Any] | None = None,
    *,
    timeout: float = QUERY_TIMEOUT_SECONDS,
    limit: int = WORKBENCH_DISPLAY_ROWS,
) -> Result:
    """Run one reading statement under every guard rail; at most `limit` rows come back.

    Raises QueryRefused (not run), SqlError (DuckDB's message, with line and column when
    DuckDB gives them) or QueryTimeout ("查询超时…").
    """
    statement = check_statement(con, sql)
    bound = _bind(statement.named_parameters, params)
    cursor = con.cursor()
    watchdog = _Watchdog(cursor, timeout)
    started = time.perf_counter()
    try:
        with watchdog:
            if bound:
                cursor.execute(sql, bound)
            else:
                cursor.execute(sql)
            frame, truncated = _fetch(cursor, limit)
    except duckdb.Error as exc:
        if watchdog.fired or isinstance(exc, duckdb.InterruptException):
            raise _timeout(timeout) from None
        raise _sql_error(exc, sql) from None
    finally:
        cursor.close()
    return Result(frame, truncated, time.perf_counter() - started, limit, statement.type.name)


def _timeout(timeout: float) -> QueryTimeout:
    return QueryTimeout(f"查询超时（超过 {timeout:g} 秒），已中止。请缩小范围（加 WHERE 条件或 LIMIT）后重试。")


class _Watchdog:
    """Interrupts a cursor once `timeout` seconds have passed, and keeps doing so until released.

    Repeating the interrupt covers the narrow window in which it could land before DuckDB
    has started the query.
    """

    def __init__(self, cursor: duckdb.DuckDBPyConnection, timeout: float) -> None:
        self.cursor = cursor
        self.timeout = timeout
        self.fired = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="sql-watchdog", daemon=True)

    def _watch(self) -> None:
        if self._done.wait(self.timeout):
            return
        self.fired = True
        while not self._done.is_set():
            try:
                self.cursor.interrupt()
            except duckdb.Error:  # pragma: no cover - the cursor closed meanwhile
                return
            self._done.wait(0.2)

    def __enter__(self) -> _Watchdog:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()


_ROWS_PER_VECTOR = 2048


def _fetch(cursor: duckdb.DuckDBPyConnection, limit: int) -> tuple[pd.DataFrame, bool]:
    """At most `limit` rows of the streaming result, and whether there were more."""
    chunks: list[pd.DataFrame] = []
    rows = 0
    while rows <= limit:
        vectors = max(1, min(64, math.ceil((limit + 1 - rows) / _ROWS_PER_VECTOR)))
        chunk = cursor.fetch_df_chunk(vectors)
        if chunk.empty:
            if not chunks:
                chunks.append(chunk)  # keeps the column names of an empty result
            break
        chunks.append(chunk)
        rows += len(chunk)
    frame = chunks[0] if len(chunks) == 1 else pd.concat(chunks, ignore_index=True)
    truncated = len(frame) > limit
    if truncated:
        frame = frame.iloc[:limit].reset_index(drop=True)
    return frame, truncated


# --- errors --------------------------------------------------------------------------------


_CONTEXT = re.compile(r"^LINE (\d+): (.*)\n( *)\^+", re.MULTILINE)


def _sql_error(exc: duckdb.Error, sql: str) -> SqlError:
    """DuckDB's message as it is, a Chinese headline, and the line and column it points at."""
    text = str(exc)
    line, column = error_position(text, sql)
    return SqlError(_headline(exc, text), detail=text, line=line, column=column)


def _headline(exc: duckdb.Error, text: str) -> str:
    if isinstance(exc, duckdb.PermissionException) or "disabled by configuration" in text:
        return "已拒绝：自助查询不能访问服务器上的文件、网络或扩展，只能查询仓库中的表和视图。"
    if "read-only mode" in text:
        return "已拒绝：仓库以只读方式打开，不能写入或修改。"
    if "configuration has been locked" in text:
        return "已拒绝：仓库连接的设置已锁定，不能修改。"
    if isinstance(exc, duckdb.ParserException):
        return "SQL 语法错误"
    if isinstance(exc, duckdb.CatalogException):
        return "找不到表、视图或函数"
    if isinstance(exc, duckdb.BinderException):
        return "找不到列或类型不匹配"
    if isinstance(exc, duckdb.ConversionException):
        return "数据类型转换失败"
    if "parameters" in text.lower() or "parameter" in text.lower():
        return "查询参数有误"
    return "查询出错"


def _width(char: str) -> int:
    """Columns a character takes in DuckDB's error context (wide CJK = 2, control = 0)."""
    if unicodedata.category(char) in ("Cc", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def error_position(message: str, sql: str) -> tuple[int | None, int | None]:
    """1-based (line, column) of the `LINE n:` context DuckDB puts under an error, if any.

    DuckDB pads the caret by display width and may show only a window of a long line
    (`...` at either end); the window is looked up in the real line to get the column.
    """
    match = _CONTEXT.search(message)
    if not match:
        return None, None
    line = int(match.group(1))
    shown = match.group(2)
    caret = len(match.group(3)) - len(f"LINE {line}: ")
    index, width = 0, 0
    while index < len(shown) and width < caret:
        width += _width(shown[index])
        index += 1
    lines = sql.split("\n")
    if not 1 <= line <= len(lines):
        return line, index + 1
    actual = lines[line - 1]
    if shown.startswith("..."):
        window = shown[3:].removesuffix("...")
        found = actual.find(window[: max(1, min(len(window), 40))])
        return line, (found + index - 3 + 1) if found >= 0 else None
    return line, index + 1


def _short(sql: str, width: int = 60) -> str:
    text = " ".join(sql.split()).removesuffix(";").rstrip()
    return text if len(text) <= width else text[: width - 1] + "…"


# --- schema browser ------------------------------------------------------------------------


@dataclass(frozen=True)
class TableInfo:
    name: str
    kind: str  # "表" | "视图" | "表宏"
    comment: str
    rows: int | None  # estimated rows of a table
    columns: pd.DataFrame = field(repr=False)  # 列, 类型, 说明


_SCHEMA_SQL = """
SELECT table_name AS name, '表' AS kind, coalesce(comment, '') AS comment, estimated_size AS rows, 0 AS ord
FROM duckdb_tables() WHERE NOT internal AND NOT temporary AND database_name = current_database()
UNION ALL
SELECT view_name, '视图', coalesce(comment, ''), NULL, 1
FROM duckdb_views() WHERE NOT internal AND NOT temporary AND database_name = current_database()
UNION ALL
SELECT DISTINCT ON (function_name) function_name, '表宏', coalesce(comment, description, ''), NULL, 2
FROM duckdb_functions()
WHERE NOT internal AND function_type = 'table_macro' AND database_name = current_database()
ORDER BY ord, name
"""

_COLUMNS_SQL = """
SELECT table_name, column_name AS 列, data_type AS 类型, coalesce(comment, '') AS 说明
FROM duckdb_columns() WHERE NOT internal AND database_name = current_database()
ORDER BY table_name, column_index
"""

_MACRO_PARAMS_SQL = """
SELECT function_name, parameters, macro_definition
FROM duckdb_functions()
WHERE NOT internal AND function_type = 'table_macro' AND database_name = current_database()
"""


def schema(con: duckdb.DuckDBPyConnection) -> list[TableInfo]:
    """Every table, view and table macro of the warehouse with its columns and Chinese COMMENTs."""
    cursor = con.cursor()
    try:
        objects = cursor.execute(_SCHEMA_SQL).fetchall()
        columns = cursor.execute(_COLUMNS_SQL).df()
        macros = {name: params for name, params, _ in cursor.execute(_MACRO_PARAMS_SQL).fetchall()}
    finally:
        cursor.close()
    by_table = {
        name: group.drop(columns="table_name").reset_index(drop=True) for name, group in columns.groupby("table_name")
    }
    empty = pd.DataFrame({"列": pd.Series(dtype=str), "类型": pd.Series(dtype=str), "说明": pd.Series(dtype=str)})
    infos = []
    for name, kind, comment, rows, _ in objects:
        if kind == "表宏":
            params = macros.get(name) or []
            cols = pd.DataFrame({"列": list(params), "类型": ["参数"] * len(params), "说明": [""] * len(params)})
        else:
            cols = by_table.get(name, empty)
        infos.append(TableInfo(name, kind, comment, None if rows is None else int(rows), cols))
    return infos


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def sample_sql(table: str, rows: int = 20) -> str:
    """A starting query over one table (for "查看样例" and "载入编辑器")."""
    return f"SELECT *\nFROM {_quote(table)}\nLIMIT {int(rows)}"


def sample_rows(
    con: duckdb.DuckDBPyConnection, table: str, rows: int = 20, *, timeout: float = QUERY_TIMEOUT_SECONDS
) -> pd.DataFrame:
    """The first rows of a table or view listed by `schema`."""
    known = {t.name for t in schema(con) if t.kind != "表宏"}
    if table not in known:
        raise QueryRefused(f"仓库中没有名为“{table}”的表或视图。")
    return run_analyst_sql(con, sample_sql(table, rows), timeout=timeout, limit=rows).frame


# --- named queries -------------------------------------------------------------------------


def named_queries() -> list[NamedQuery]:
    """The gallery: every query in queries/, ordered by title."""
    return sorted(load_queries().values(), key=lambda q: (q.title or q.name, q.name))


def named_query(name: str) -> NamedQuery:
    return load_queries()[name]


def named_query_for(sql: str) -> NamedQuery | None:
    """The named query whose text this is (so a link can carry its name instead of the SQL)."""
    wanted = sql.strip()
    return next((q for q in load_queries().values() if q.sql.strip() == wanted), None)


# --- exports -------------------------------------------------------------------------------

# format → (button label, file extension, MIME type)
EXPORT_FORMATS: dict[str, tuple[str, str, str]] = {
    "csv": ("CSV（Excel 可直接打开）", "csv", "text/csv"),
    "xlsx": ("Excel（XLSX）", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "parquet": ("Parquet", "parquet", "application/vnd.apache.parquet"),
}

_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def export_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """The whole frame as CSV (UTF-8 with BOM), XLSX or Parquet."""
    if fmt == "csv":
        return csv_bytes(_flat(frame))
    if fmt == "xlsx":
        return xlsx_bytes(_flat(frame, excel=True), sheet="查询结果")
    if fmt == "parquet":
        buffer = io.BytesIO()
        _unique_columns(frame).to_parquet(buffer, index=False)
        return buffer.getvalue()
    raise ValueError(f"unknown export format {fmt!r}")


def _unique_columns(frame: pd.DataFrame) -> pd.DataFrame:
    seen: dict[str, int] = {}
    names = []
    for name in map(str, frame.columns):
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}_{seen[name] - 1}")
    return frame.set_axis(names, axis=1)


def _flat(frame: pd.DataFrame, excel: bool = False) -> pd.DataFrame:
    """Cells a flat file can hold: lists, structs and maps as JSON text, blobs as hex.

    For Excel also no time zones and no control characters (openpyxl refuses both).
    """
    out = _unique_columns(frame).copy()
    for name in out.columns:
        column = out[name]
        if excel and isinstance(column.dtype, pd.DatetimeTZDtype):
            out[name] = column.dt.tz_localize(None)
        elif column.dtype == object or (excel and pd.api.types.is_string_dtype(column.dtype)):
            out[name] = column.map(lambda v: _flat_cell(v, excel)).astype(object)
    return out


def _flat_cell(value: Any, excel: bool) -> Any:
    if isinstance(value, str):
        return _ILLEGAL_XLSX.sub("", value) if excel else value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if value is None or isinstance(value, (int, float, bool)):
        return value
    if isinstance(value, (list, tuple, dict)) or hasattr(value, "tolist"):
        text = json.dumps(_plain(value), ensure_ascii=False)
        return _ILLEGAL_XLSX.sub("", text) if excel else text
    return str(value)


def _plain(value: Any) -> Any:
    """A value JSON can hold: NULLs as None, dates in ISO 8601, blobs as hex, the rest as text."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return _plain(value.tolist())
    if value is pd.NaT or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return None
    if hasattr(value, "isoformat"):  # datetime, date, time, pandas Timestamp
        return value.isoformat()
    if isinstance(value, pd.Timedelta):
        return value.isoformat()
    return str(value)


# --- terminal output (python -m fiscallens sql) --------------------------------------------


def format_table(frame: pd.DataFrame) -> str:
    """The frame as an aligned text table (Chinese characters count double width)."""
    if frame.columns.empty:
        return "（无列）"
    with pd.option_context(
        "display.unicode.east_asian_width",
        True,
        "display.max_rows",
        None,
        "display.max_columns",
        None,
        "display.width",
        None,
        "display.max_colwidth",
        80,
    ):
        return _flat(frame).to_string(index=False)


def frame_to_csv(frame: pd.DataFrame) -> str:
    """CSV for a terminal or a pipe: no BOM; nested values as JSON text, blobs as hex."""
    return _flat(frame).to_csv(index=False)


def frame_to_json(frame: pd.DataFrame) -> str:
    """Rows as a JSON array of objects; dates in ISO 8601, blobs as hex, Chinese unescaped."""
    frame = _unique_columns(frame)
    rows = [
        {name: _plain(value) for name, value in zip(frame.columns, row, strict=True)}
        for row in frame.itertuples(index=False)
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2)
