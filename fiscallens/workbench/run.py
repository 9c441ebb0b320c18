"""Running an analyst's statement: a shared slot, the watchdog, streamed and bounded fetching, masked paths.

Each query holds one of the process's analyst slots (WORKBENCH_CONCURRENT_QUERIES), runs on its own
cursor of the read-only connection under a watchdog that interrupts only that cursor after the time
limit, and fetches at most `limit + 1` rows and about `max_bytes` bytes.
"""

from __future__ import annotations

import contextlib
import math
import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from fiscallens.settings import (
    QUERY_TIMEOUT_SECONDS,
    WORKBENCH_CONCURRENT_QUERIES,
    WORKBENCH_DISPLAY_BYTES,
    WORKBENCH_DISPLAY_ROWS,
    WORKBENCH_SLOT_WAIT_SECONDS,
)
from fiscallens.warehouse import Watchdog, mask_paths, private_paths, timeout_error
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
    cursor = con.cursor()
    paths = private_paths(cursor)
    watchdog = Watchdog(cursor, timeout)
    bound: dict[str, Any] = {}
    try:
        with watchdog:
            statement = one_statement(cursor, sql)
            check_size(cursor, statement)
            bound = bind(statement.named_parameters, params)
            if bound:
                cursor.execute(sql, bound)
            else:
                cursor.execute(sql)
            frame, truncated, over_bytes = _fetch(cursor, limit, max_bytes)
    except duckdb.Error as exc:
        if watchdog.fired or isinstance(exc, duckdb.InterruptException):
            raise timeout_error(timeout, watchdog.elapsed) from None
        raise sql_error(exc, sql, bound, paths) from None
    finally:
        cursor.close()
    frame = _mask_frame(frame, paths)
    return Result(
        frame, truncated, watchdog.elapsed, limit, statement.type.name, max_bytes=max_bytes, over_bytes=over_bytes
    )


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
