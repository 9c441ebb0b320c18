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
3. A watchdog interrupts the cursor after the time limit, from parsing to the
   last fetched row; only that cursor stops, other sessions' queries go on.
   DuckDB cannot interrupt parsing and planning, so SQL text longer than
   WORKBENCH_MAX_SQL_CHARS, or whose syntax tree with its CTEs expanded is
   larger than WORKBENCH_MAX_SYNTAX_NODES, is refused before it is planned.
   The connection has a memory_limit (settings.QUERY_MEMORY_MB).
4. Rows are streamed and at most `limit + 1` rows and about `max_bytes` bytes
   are fetched, so a huge result neither fills memory nor has to be computed
   in full.
5. Paths of the warehouse and of DuckDB's own files are masked in results and
   errors (duckdb_settings() lists them).

The web page (`pages/sql_workbench.py`) and `python -m fiscallens sql` both call
`run_analyst_sql`, so they refuse exactly the same things.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import math
import re
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from fiscallens.presentation import csv_bytes, xlsx_bytes
from fiscallens.queries import NamedQuery, load_queries
from fiscallens.settings import (
    QUERY_MEMORY_MB,
    QUERY_TIMEOUT_SECONDS,
    WORKBENCH_CONCURRENT_QUERIES,
    WORKBENCH_DISPLAY_BYTES,
    WORKBENCH_DISPLAY_ROWS,
    WORKBENCH_EXPORT_SECONDS,
    WORKBENCH_MAX_JOINS,
    WORKBENCH_MAX_SET_OPERATIONS,
    WORKBENCH_MAX_SQL_CHARS,
    WORKBENCH_MAX_SYNTAX_NODES,
    WORKBENCH_SLOT_WAIT_SECONDS,
)
from fiscallens.warehouse import QueryTimeout, Watchdog, mask_paths, private_paths, timeout_error

__all__ = [
    "DEFAULT_SQL",
    "EXPORT_FORMATS",
    "QueryRefused",
    "QueryTimeout",
    "Result",
    "SqlError",
    "TableInfo",
    "WorkbenchBusy",
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


class WorkbenchBusy(WorkbenchError):
    """Every analyst-query slot stayed taken while this query waited."""


# One process serves every session: analyst queries share these slots (WORKBENCH_CONCURRENT_QUERIES).
_SLOTS = threading.BoundedSemaphore(WORKBENCH_CONCURRENT_QUERIES)


@contextlib.contextmanager
def analyst_slot(wait: float | None = None) -> Iterator[None]:
    """Hold one of the analyst-query slots while a query runs; WorkbenchBusy after `wait` seconds
    (default WORKBENCH_SLOT_WAIT_SECONDS)."""
    wait = WORKBENCH_SLOT_WAIT_SECONDS if wait is None else wait
    if not _SLOTS.acquire(timeout=wait):
        raise WorkbenchBusy(
            f"自助查询繁忙：其他用户的查询正在运行，等待 {wait:g} 秒后仍未轮到。请稍后再试；看板页面不受影响。"
        )
    try:
        yield
    finally:
        _SLOTS.release()


class SqlError(WorkbenchError):
    """DuckDB rejected the statement; `detail` is DuckDB's own message."""


@dataclass(frozen=True)
class Result:
    frame: pd.DataFrame
    truncated: bool  # there were more than `limit` rows; `frame` holds the first `limit`
    elapsed: float  # seconds, execution and fetch
    limit: int
    statement_type: str = "SELECT"
    max_bytes: int = WORKBENCH_DISPLAY_BYTES
    over_bytes: bool = False  # fetching stopped at `max_bytes`; `truncated` is then True too

    @property
    def row_count(self) -> int:
        return len(self.frame)

    def summary(self) -> str:
        if self.over_bytes:
            rows = f"显示前 {self.row_count:,} 行，结果超过 {_megabytes(self.max_bytes)} 的大小上限，其余未取回"
        elif self.truncated:
            rows = f"显示前 {self.row_count:,} 行，结果多于 {self.limit:,} 行"
        else:
            rows = f"共 {self.row_count:,} 行"
        return f"{rows} · 用时 {self.elapsed:.2f} 秒"


# --- statements and parameters -------------------------------------------------------------


def check_statement(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    """The one statement in `sql`, parsed by DuckDB; raises QueryRefused or SqlError."""
    cursor = con.cursor()
    try:
        return _check_statement(cursor, sql)
    finally:
        cursor.close()


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MB"


def _check_length(sql: str) -> None:
    if not sql or not sql.strip():
        raise QueryRefused("请输入一条 SQL 查询语句。")
    if len(sql) > WORKBENCH_MAX_SQL_CHARS:
        raise QueryRefused(
            f"已拒绝：SQL 文本有 {len(sql):,} 个字符，超过上限 {WORKBENCH_MAX_SQL_CHARS:,} 个字符。请精简查询后重试。"
        )


def _check_statement(cursor: duckdb.DuckDBPyConnection, sql: str) -> Any:
    _check_length(sql)
    try:
        statements = cursor.extract_statements(sql)
    except duckdb.Error as exc:
        raise _sql_error(exc, sql) from None
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
    max_bytes: int = WORKBENCH_DISPLAY_BYTES,
) -> Result:
    """Run one reading statement under every guard rail; at most `limit` rows come back.

    Raises QueryRefused (not run), SqlError (DuckDB's message, with line and column when
    DuckDB gives them) or QueryTimeout ("查询超时…"). The time limit covers parsing,
    planning, running and fetching.
    """
    _check_length(sql)
    with analyst_slot():
        return _run_in_slot(con, sql, params, timeout, limit, max_bytes)


def _run_in_slot(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: Mapping[str, Any] | None,
    timeout: float,
    limit: int,
    max_bytes: int,
) -> Result:
    cursor = con.cursor()
    paths = private_paths(cursor)
    watchdog = Watchdog(cursor, timeout)
    bound: dict[str, Any] = {}
    try:
        with watchdog:
            statement = _check_statement(cursor, sql)
            _check_size(cursor, statement)
            bound = _bind(statement.named_parameters, params)
            if bound:
                cursor.execute(sql, bound)
            else:
                cursor.execute(sql)
            frame, truncated, over_bytes = _fetch(cursor, limit, max_bytes)
    except duckdb.Error as exc:
        if watchdog.fired or isinstance(exc, duckdb.InterruptException):
            raise timeout_error(timeout, watchdog.elapsed) from None
        raise _sql_error(exc, sql, bound, paths) from None
    finally:
        cursor.close()
    frame = _mask_frame(frame, paths)
    return Result(
        frame, truncated, watchdog.elapsed, limit, statement.type.name, max_bytes=max_bytes, over_bytes=over_bytes
    )


# --- size of a statement before it is planned ------------------------------------------------

_SERIALIZE_SQL = "SELECT json_serialize_sql($sql)"
_EXPLAIN_PREFIX = re.compile(r"^\s*EXPLAIN\b(?:\s+ANALYZE\b)?(?:\s*\([^)]*\))?", re.IGNORECASE)
_TOO_BIG = (
    "已拒绝：查询结构过于庞大（展开 WITH 子查询后{what}多于 {limit:,} 个），"
    "规划它就会超出时间和内存限制。请拆分或简化查询（减少 UNION、连接、嵌套与重复引用的 WITH 子查询）。"
)
# (what is counted, which nodes, limit)
_SIZE_LIMITS = (
    ("语法节点", None, WORKBENCH_MAX_SYNTAX_NODES),
    ("表连接", "JOIN", WORKBENCH_MAX_JOINS),
    ("集合运算（UNION/EXCEPT/INTERSECT）", "SET_OPERATION_NODE", WORKBENCH_MAX_SET_OPERATIONS),
)


def _check_size(cursor: duckdb.DuckDBPyConnection, statement: Any) -> None:
    """Refuse a statement whose syntax tree, with every CTE reference expanded, is too large to plan.

    DuckDB inlines a CTE at each reference (always for NOT MATERIALIZED), so a chain of CTEs each
    using the previous one twice is small text and an exponential plan; DuckDB cannot interrupt the
    planner, so the size is counted here on the parsed tree first.
    """
    if statement.type.name == "PRAGMA":
        return
    text = _EXPLAIN_PREFIX.sub("", statement.query, count=1)
    try:
        (serialized,) = cursor.execute(_SERIALIZE_SQL, {"sql": text}).fetchone()
        tree = json.loads(serialized)
    except RecursionError:
        what, _, limit = _SIZE_LIMITS[0]
        raise QueryRefused(_TOO_BIG.format(what=what, limit=limit)) from None
    except (duckdb.Error, ValueError):
        return  # not serializable (an EXPLAIN form it does not know); the watchdog still applies
    if tree.get("error"):
        return
    for what, kind, limit in _SIZE_LIMITS:
        nodes = syntax_size(tree.get("statements", []), limit, kind)
        if nodes > limit:
            raise QueryRefused(_TOO_BIG.format(what=what, limit=limit))


def syntax_size(tree: Any, cap: int, kind: str | None = None) -> int:
    """Nodes (of `type` kind, or all) of a json_serialize_sql tree, each CTE reference replaced by the CTE.

    Counting stops a little above `cap`. CTEs marked MATERIALIZED are computed once and count once.
    """
    own: list[int] = []  # per body: nodes outside nested CTE bodies
    refs: list[Counter[str]] = []  # per body: names referenced
    ctes: dict[str, list[int]] = {}  # CTE name -> bodies
    shared: set[str] = set()  # names of CTEs materialized once
    bodies = [tree]
    while len(own) < len(bodies):
        count, used = 0, Counter()
        stack = [bodies[len(own)]]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
                continue
            if not isinstance(node, dict):
                continue
            if kind is None:
                count += 1
            elif node.get("type") == kind:  # DuckDB puts a chain of UNION ALL in one node with many children
                count += max(1, len(node.get("children") or ()) - 1)
            if node.get("type") == "BASE_TABLE" and not node.get("schema_name") and not node.get("catalog_name"):
                used[str(node.get("table_name", "")).lower()] += 1
            for key, value in node.items():
                if key == "cte_map" and isinstance(value, dict):
                    for entry in value.get("map", []):
                        name = str(entry.get("key", "")).lower()
                        ctes.setdefault(name, []).append(len(bodies))
                        if entry.get("value", {}).get("materialized") == "CTE_MATERIALIZE_ALWAYS":
                            shared.add(name)
                        bodies.append(entry.get("value", {}).get("query_node"))
                elif isinstance(value, (dict, list)):
                    stack.append(value)
        own.append(count)
        refs.append(used)
    # total(body) = own + sum(references x total(referenced CTE)); a CTE that refers back to itself
    # (WITH RECURSIVE) counts once. Iterative, in dependency order.
    total: dict[int, int] = {}
    visiting: set[int] = set()
    order = [(0, False)]
    while order:
        body, ready = order.pop()
        if body in total:
            continue
        children = [(b, n) for name, n in refs[body].items() if name in ctes for b in ctes[name]]
        if not ready:
            visiting.add(body)
            order.append((body, True))
            order.extend((b, False) for b, _ in children if b not in total and b not in visiting)
            continue
        visiting.discard(body)
        size = own[body]
        for name, n in refs[body].items():
            if name not in ctes:
                continue
            inner = max(total.get(b, 1) for b in ctes[name])
            size += inner if name in shared else n * inner
            if size > cap:
                break
        total[body] = min(size, cap + 1)
    for body in range(len(bodies)):  # CTE bodies defined but not referenced from the top
        if body not in total:
            total[body] = own[body]
    return max(total[0], min(sum(own), cap + 1))


def _mask_frame(frame: pd.DataFrame, paths: re.Pattern[str]) -> pd.DataFrame:
    """Server paths (the warehouse, DuckDB's files) masked in every text cell, nested ones included."""
    columns = [c for c, t in frame.dtypes.items() if _texty(t)]
    if not columns or frame.empty:
        return frame
    out = frame.copy()
    for column in columns:
        out[column] = out[column].map(lambda v: _mask_value(v, paths))
    return out


def _mask_value(value: Any, paths: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return mask_paths(value, paths)
    if isinstance(value, dict):
        return {k: _mask_value(v, paths) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_value(v, paths) for v in value]
    if isinstance(value, np.ndarray) and value.ndim == 1 and _texty(value.dtype):
        return np.array([_mask_value(v, paths) for v in value.tolist()], dtype=value.dtype)
    return value


def _texty(dtype: Any) -> bool:
    """A column (or array) that can hold text: object or a string dtype."""
    return pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)


_ROWS_PER_VECTOR = 2048


def _fetch(cursor: duckdb.DuckDBPyConnection, limit: int, max_bytes: int) -> tuple[pd.DataFrame, bool, bool]:
    """At most `limit` rows and about `max_bytes` bytes of the result: (frame, more rows, stopped at bytes)."""
    chunks: list[pd.DataFrame] = []
    rows = size = 0
    over_bytes = False
    while rows <= limit:
        # rows of the chunks so far tell how wide a row is; fetch no more vectors than the bytes allow
        wanted = limit + 1 - rows
        if rows and size:
            wanted = min(wanted, max(1, int((max_bytes - size) / (size / rows))))
        vectors = max(1, min(64, math.ceil(wanted / _ROWS_PER_VECTOR)))
        chunk = cursor.fetch_df_chunk(vectors)
        if chunk.empty:
            if not chunks:
                chunks.append(chunk)  # keeps the column names of an empty result
            break
        used = int(chunk.memory_usage(index=False, deep=True).sum())
        if size + used > max_bytes:
            per_row = chunk.memory_usage(index=False, deep=False).sum() / len(chunk)
            cumulative = _row_bytes(chunk, per_row).cumsum()
            keep = int((cumulative <= max_bytes - size).sum())
            chunks.append(chunk.iloc[:keep])
            rows += keep
            over_bytes = True
            break
        chunks.append(chunk)
        rows += len(chunk)
        size += used
    frame = chunks[0] if len(chunks) == 1 else pd.concat(chunks, ignore_index=True)
    truncated = over_bytes or len(frame) > limit
    if len(frame) > limit:
        frame = frame.iloc[:limit]
    return frame.reset_index(drop=True), truncated, over_bytes


def _row_bytes(chunk: pd.DataFrame, fixed: float) -> pd.Series:
    """Approximate bytes of each row: fixed-width cells plus the length of text and binary cells."""
    sizes = pd.Series(fixed, index=chunk.index, dtype=float)
    for name in range(chunk.shape[1]):
        column = chunk.iloc[:, name]
        if _texty(column.dtype):
            sizes += column.map(lambda v: len(v) if isinstance(v, (str, bytes, bytearray)) else 64).astype(float)
    return sizes


# --- errors --------------------------------------------------------------------------------


_CONTEXT = re.compile(r"^LINE (\d+): (.*)\n( *)\^+", re.MULTILINE)


# DuckDB's advice after some errors: commands the workbench refuses (SET …, PRAGMA …) and a web link.
_REFUSED_HINTS = re.compile(r"\n*Possible solutions:.*?(?=\n\n(?!\*)|\Z)|\n*See also https?://\S+", re.DOTALL)
_NOT_CONVERTED = re.compile(r"Could not convert string '(.*?)' to (\w+)")
_TYPE_NAMES = {"INT8": "整数", "INT16": "整数", "INT32": "整数", "INT64": "整数", "DOUBLE": "数字", "DATE": "日期"}


def _sql_error(
    exc: duckdb.Error, sql: str, params: Mapping[str, Any] | None = None, paths: re.Pattern[str] | None = None
) -> SqlError:
    """DuckDB's message (server paths masked, refused advice removed), a Chinese headline, line and column."""
    text = _REFUSED_HINTS.sub("", str(exc)).strip()
    if paths is not None:
        text = mask_paths(text, paths)
    line, column = error_position(text, sql)
    headline = _headline(exc, text)
    culprit = _parameter_at_fault(text, params or {})
    if culprit is not None:
        # the position DuckDB gives is inside the table macro the parameter was passed to
        headline, line, column = culprit, None, None
        text = _CONTEXT.sub("", text).strip()
    return SqlError(headline, detail=text, line=line, column=column)


def _parameter_at_fault(text: str, params: Mapping[str, Any]) -> str | None:
    """'参数 $year 的值“abc”不能转换为整数（INT32）' when a conversion failed on a parameter's value."""
    match = _NOT_CONVERTED.search(text)
    if not match:
        return None
    names = [n for n, v in params.items() if v is not None and str(v) == match.group(1)]
    if not names:
        return None
    kind = match.group(2)
    wanted = f"{_TYPE_NAMES[kind]}（{kind}）" if kind in _TYPE_NAMES else kind
    listed = "、".join(f"${n}" for n in names)
    return f"参数 {listed} 的值“{match.group(1)}”不能转换为{wanted}，请改正该参数（留空 = 不限）"


def _headline(exc: duckdb.Error, text: str) -> str:
    if isinstance(exc, duckdb.OutOfMemoryException) or "Out of Memory" in text:
        return (
            f"查询所需内存超过上限（{QUERY_MEMORY_MB:,} MB），已中止。"
            "请缩小范围（加 WHERE 条件、少取列、先分组汇总）后重试。"
        )
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
        return None, None  # not a line of this text (a view's or a macro's)
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


# Rows an XLSX download writes between two looks at the clock.
_XLSX_BLOCK_ROWS = 2_000


def export_bytes(frame: pd.DataFrame, fmt: str, *, timeout: float = WORKBENCH_EXPORT_SECONDS) -> bytes:
    """The whole frame as CSV (UTF-8 with BOM), XLSX or Parquet, written within `timeout` seconds.

    Raises QueryTimeout when the file takes longer (XLSX is written in blocks and stops between two).
    """
    started = time.perf_counter()
    if fmt == "csv":
        data = csv_bytes(_flat(frame))
    elif fmt == "xlsx":
        data = _xlsx_within(_flat(frame, excel=True), started, timeout)
    elif fmt == "parquet":
        buffer = io.BytesIO()
        _unique_columns(frame).to_parquet(buffer, index=False)
        data = buffer.getvalue()
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    if time.perf_counter() - started > timeout:
        raise _export_timeout(timeout, time.perf_counter() - started)
    return data


def _xlsx_within(frame: pd.DataFrame, started: float, timeout: float) -> bytes:
    if len(frame) <= _XLSX_BLOCK_ROWS:
        return xlsx_bytes(frame, sheet="查询结果")
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for first in range(0, len(frame), _XLSX_BLOCK_ROWS):
            if first and time.perf_counter() - started > timeout:
                break  # raised below: the writer must close with its one sheet
            block = frame.iloc[first : first + _XLSX_BLOCK_ROWS]
            block.to_excel(
                writer, index=False, sheet_name="查询结果", header=first == 0, startrow=0 if first == 0 else first + 1
            )
    if time.perf_counter() - started > timeout:
        raise _export_timeout(timeout, time.perf_counter() - started)
    return buffer.getvalue()


def _export_timeout(timeout: float, elapsed: float) -> QueryTimeout:
    return QueryTimeout(
        f"生成下载文件超时（已用 {elapsed:.1f} 秒，上限 {timeout:g} 秒），已中止。"
        "请缩小结果范围，或改用 CSV，或在终端用 python -m fiscallens sql … --format csv。"
    )


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
