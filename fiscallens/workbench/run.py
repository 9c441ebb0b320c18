"""Running an analyst's statement: a shared slot, the watchdog, streamed and bounded fetching, masked paths.

Each query holds one of the process's analyst slots (WORKBENCH_CONCURRENT_QUERIES), runs on its own
cursor of the read-only connection under a watchdog that interrupts only that cursor after the time
limit, and fetches at most `limit + 1` rows and about `max_bytes` bytes. The page's result comes as a
DataFrame (`run_analyst_sql`); a full download's as an Arrow table (`run_analyst_export`): 100,000
rows go from DuckDB to a file without a Python object per cell.
"""

from __future__ import annotations

import contextlib
import math
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from fiscallens.settings import (
    QUERY_TIMEOUT_SECONDS,
    WORKBENCH_CONCURRENT_QUERIES,
    WORKBENCH_DISPLAY_BYTES,
    WORKBENCH_DISPLAY_ROWS,
    WORKBENCH_EXPORT_BYTES,
    WORKBENCH_EXPORT_ROWS,
    WORKBENCH_SLOT_WAIT_SECONDS,
)
from fiscallens.warehouse import PATH_MASK, Watchdog, mask_paths, private_paths, timeout_error
from fiscallens.workbench.errors import WorkbenchBusy, sql_error
from fiscallens.workbench.guard import bind, check_length, check_size, one_statement

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


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MB"


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
    check_length(sql)
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

    def fetch(cursor: duckdb.DuckDBPyConnection, bound: dict[str, Any]) -> tuple[pd.DataFrame, bool, bool]:
        if bound:
            cursor.execute(sql, bound)
        else:
            cursor.execute(sql)
        return _fetch(cursor, limit, max_bytes)

    (frame, truncated, over_bytes), elapsed, kind, paths = _guarded(con, sql, params, timeout, fetch)
    frame = _mask_frame(frame, paths)
    return Result(frame, truncated, elapsed, limit, kind, max_bytes=max_bytes, over_bytes=over_bytes)


_Fetched = TypeVar("_Fetched")


def _guarded(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: Mapping[str, Any] | None,
    timeout: float,
    fetch: Callable[[duckdb.DuckDBPyConnection, dict[str, Any]], _Fetched],
) -> tuple[_Fetched, float, str, re.Pattern[str]]:
    """One reading statement, checked, on its own cursor under the watchdog; `fetch(cursor, bound
    parameters)` runs it and takes the rows: (what fetch returned, seconds, statement type, the server
    paths to mask)."""
    cursor = con.cursor()
    paths = private_paths(cursor)
    watchdog = Watchdog(cursor, timeout)
    bound: dict[str, Any] = {}
    try:
        with watchdog:
            statement = one_statement(cursor, sql)
            check_size(cursor, statement)
            bound = bind(statement.named_parameters, params)
            fetched = fetch(cursor, bound)
    except (duckdb.Error, pa.ArrowException) as exc:
        if watchdog.fired or isinstance(exc, duckdb.InterruptException):
            raise timeout_error(timeout, watchdog.elapsed) from None
        error = exc if isinstance(exc, duckdb.Error) else duckdb.Error(str(exc))  # a row failing mid-stream
        raise sql_error(error, sql, bound, paths) from None
    finally:
        cursor.close()
    return fetched, watchdog.elapsed, statement.type.name, paths


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


# --- the full result of a download, as Arrow ---------------------------------------------------


@dataclass(frozen=True)
class Export:
    """The full result for a download: at most `limit` rows and about `max_bytes` bytes, paths masked."""

    table: pa.Table
    truncated: bool  # there were more rows than `limit` (or than `max_bytes` holds)
    elapsed: float
    limit: int
    max_bytes: int = WORKBENCH_EXPORT_BYTES
    over_bytes: bool = False
    statement_type: str = "SELECT"

    @property
    def frame(self) -> pa.Table:
        """What the download buttons take (a DataFrame for a page's result, this table for a full one)."""
        return self.table

    @property
    def row_count(self) -> int:
        return self.table.num_rows


def run_analyst_export(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: Mapping[str, Any] | None = None,
    *,
    timeout: float = QUERY_TIMEOUT_SECONDS,
    limit: int = WORKBENCH_EXPORT_ROWS,
    max_bytes: int = WORKBENCH_EXPORT_BYTES,
) -> Export:
    """`run_analyst_sql` for a download: the same guard rails, the rows as an Arrow table."""
    check_length(sql)
    with analyst_slot():
        (table, truncated, over_bytes), elapsed, kind, paths = _guarded(
            con, sql, params, timeout, lambda cursor, bound: _fetch_arrow(cursor, sql, bound, limit, max_bytes)
        )
    table = _mask_table(table, paths)
    return Export(table, truncated, elapsed, limit, max_bytes, over_bytes, kind)


_ARROW_BATCH_ROWS = 8_192


def _fetch_arrow(
    cursor: duckdb.DuckDBPyConnection, sql: str, bound: dict[str, Any], limit: int, max_bytes: int
) -> tuple[pa.Table, bool, bool]:
    """At most `limit` rows and `max_bytes` Arrow bytes of the result: (table, more rows, stopped at bytes).

    The statement runs as a relation: its Arrow reader streams, so rows past the limit are never
    computed (an executed DB-API result would be copied into Arrow whole first)."""
    cursor.complete()  # the guard's own one-row check query, finished before the relation runs
    relation = cursor.sql(sql, params=bound or None)
    if relation is None:  # pragma: no cover - every accepted statement type returns rows
        return pa.table({}), False, False
    reader = relation.to_arrow_reader(_ARROW_BATCH_ROWS)
    batches: list[pa.RecordBatch] = []
    rows = size = 0
    over_bytes = False
    for batch in reader:
        if size + batch.nbytes > max_bytes:
            keep = _rows_within(batch, max_bytes - size)
            batches.append(batch.slice(0, keep))
            rows += keep
            over_bytes = True
            break
        batches.append(batch)
        rows += batch.num_rows
        size += batch.nbytes
        if rows > limit:
            break
    table = pa.Table.from_batches(batches, schema=reader.schema)
    truncated = over_bytes or table.num_rows > limit
    return table.slice(0, min(limit, table.num_rows)), truncated, over_bytes


def _rows_within(batch: pa.RecordBatch, budget: int) -> int:
    """The most leading rows of `batch` whose buffers fit in `budget` bytes (binary search on slices)."""
    low, high = 0, batch.num_rows
    while low < high:
        middle = (low + high + 1) // 2
        if batch.slice(0, middle).nbytes <= budget:
            low = middle
        else:
            high = middle - 1
    return low


def _mask_table(table: pa.Table, paths: re.Pattern[str]) -> pa.Table:
    """Server paths masked in every text value, nested ones included (Arrow compute; Python for rare types)."""
    columns = [_mask_column(column, paths) for column in table.columns]
    return pa.Table.from_arrays(columns, names=table.column_names)


def _has_text(kind: pa.DataType) -> bool:
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        return True
    if pa.types.is_dictionary(kind):
        return _has_text(kind.value_type)
    return any(_has_text(kind.field(i).type) for i in range(kind.num_fields))


def _mask_column(column: pa.ChunkedArray, paths: re.Pattern[str]) -> pa.ChunkedArray:
    if not _has_text(column.type) or len(column) == 0:
        return column
    chunks = [_mask_array(chunk, paths) for chunk in column.chunks]
    return pa.chunked_array(chunks, type=chunks[0].type if chunks else column.type)


def _mask_array(array: pa.Array, paths: re.Pattern[str]) -> pa.Array:
    kind = array.type
    if pa.types.is_dictionary(kind):
        return _mask_array(array.dictionary_decode(), paths)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        try:  # RE2, the same pattern: a path inside a longer text is masked, the text kept
            if pc.any(pc.match_substring_regex(array, paths.pattern)).as_py():
                return pc.replace_substring_regex(array, paths.pattern, PATH_MASK)
            return array
        except pa.ArrowInvalid:  # pragma: no cover - a path RE2 cannot take: Python's re, per value
            pass
    elif pa.types.is_list(kind) or pa.types.is_large_list(kind):
        values = _mask_array(array.values, paths)
        return type(array).from_arrays(array.offsets, values, mask=array.is_null())
    return pa.array([_mask_python(v, paths) for v in array.to_pylist()], type=kind)


def _mask_python(value: Any, paths: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return mask_paths(value, paths)
    if isinstance(value, dict):
        return {k: _mask_python(v, paths) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_mask_python(v, paths) for v in value)
    return value
