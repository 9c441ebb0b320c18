"""Warehouse access for pages: one read-only connection per warehouse file, a cursor per query, cached results."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from fiscallens.explain import report_facts
from fiscallens.presentation import markdown_text, mask_frame
from fiscallens.queries import get_query
from fiscallens.settings import db_path_from_env
from fiscallens.warehouse import QueryTimeout, connect_readonly, file_version
from ui import prewarm, timing

T = TypeVar("T")


class WarehouseMissing(Exception):
    pass


# How long a request waits, after the warehouse file was replaced, for the queries still running on
# the old file to finish before the old connection is closed; past it the request reads the old file.
SWAP_WAIT_SECONDS = 10.0


class _Handle:
    """One read-only connection to one version of a warehouse file, and who is using it.

    Users are counted per thread: each query holds a cursor of its own, and the connection is closed
    only once no cursor of it is alive (a cache clear never touches it)."""

    def __init__(self, db_path: str, version: tuple[int, int]) -> None:
        self.version = version
        self.con = connect_readonly(Path(db_path))
        self.users: dict[int, int] = {}
        self.waited = False  # a request already waited SWAP_WAIT_SECONDS for it to drain

    def busy(self) -> bool:
        return any(self.users.values())


# Module state, not st.cache_resource: Streamlit's "clear cache" (any client may send it) must not
# close a connection other sessions are reading through.
_changed = threading.Condition()
_handles: dict[str, _Handle] = {}


def _acquire(db_path: Path) -> _Handle:
    """The handle for the file now at `db_path`, with one more user (the calling thread) counted."""
    key, me = str(db_path.resolve()), threading.get_ident()
    deadline = time.monotonic() + SWAP_WAIT_SECONDS
    with _changed:
        while True:
            try:
                version = file_version(db_path)
            except FileNotFoundError as exc:  # removed since it was looked for
                raise WarehouseMissing(str(db_path)) from exc
            handle = _handles.get(key)
            if handle is None or handle.version == version:
                break
            # The file was replaced. DuckDB shares one database instance per path while any connection
            # to it is open, so the old connection must be closed before the new file can be seen:
            # wait until nobody reads through it (queries are time-limited), then close it.
            if not handle.busy():
                handle.con.close()
                del _handles[key]
                handle = None
                break
            remaining = deadline - time.monotonic()
            if handle.users.get(me) or handle.waited or remaining <= 0:
                # This thread itself still reads the old file, or it stays busy: keep reading it (once
                # one request has waited, the others do not) until it is free at a later request.
                handle.waited = handle.waited or remaining <= 0
                break
            _changed.wait(remaining)
        if handle is None:
            handle = _handles[key] = _Handle(key, version)
        handle.users[me] = handle.users.get(me, 0) + 1
        return handle


def _release(handle: _Handle, thread: int) -> None:
    with _changed:
        handle.users[thread] -= 1
        if not handle.users[thread]:
            del handle.users[thread]
        _changed.notify_all()


def _existing_path() -> Path:
    db_path = db_path_from_env()
    if not db_path.exists():
        raise WarehouseMissing(str(db_path))
    return db_path


@contextmanager
def cursor() -> Iterator[tuple[duckdb.DuckDBPyConnection, tuple[int, int]]]:
    """A cursor of its own on the current warehouse, and the warehouse version, for one query."""
    handle = _acquire(_existing_path())
    try:
        cur = handle.con.cursor()
        try:
            yield cur, handle.version
        finally:
            cur.close()
    finally:
        _release(handle, threading.get_ident())


def connection() -> tuple[duckdb.DuckDBPyConnection, tuple[int, int]]:
    """A cursor of the current warehouse for the caller to keep while it needs it, and its version.

    The cursor counts as a user of its connection until it is garbage-collected, so a rebuilt
    warehouse never closes it under the caller."""
    handle = _acquire(_existing_path())
    cur = handle.con.cursor()
    weakref.finalize(cur, _release, handle, threading.get_ident())
    return cur, handle.version


class _Stale(Exception):
    """A result read from an older file than its cache key names: returned, never cached."""

    def __init__(self, value: Any) -> None:
        super().__init__("stale")
        self.value = value


def fresh(version: tuple[int, int], compute: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """`compute(cursor)` inside a function cached under `version`; raises `_Stale` (see `uncached`)
    when the old file is still being read after a rebuild, so that result is not cached as the new one."""
    with cursor() as (cur, used):
        value = compute(cur)
    if used != version:
        raise _Stale(value)
    return value


def uncached(cached: Callable[..., T], *args: Any) -> T:
    """Call a function cached under a warehouse version, passing on a stale result without caching it."""
    try:
        return cached(*args)
    except _Stale as stale:
        return stale.value


def current_version() -> tuple[int, int]:
    """The version of the warehouse file as it is now (a cache key; no connection needed)."""
    return file_version(_existing_path())


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def _cached_query(name: str, version: tuple[int, int], params: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    timing.cache_miss()
    return fresh(version, lambda cur: get_query(name).run(cur, **dict(params)))


def named(name: str, **params: Any) -> pd.DataFrame:
    """Result of `queries/<name>.sql` with the given parameters (None = no filter)."""
    with timing.phase("query", name, cache="hit"):
        version = current_version()
        ordered = tuple(sorted(params.items()))
        prewarm.note("query", name, ordered)
        return uncached(_cached_query, name, version, ordered)


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def _cached_count(name: str, version: tuple[int, int], params: tuple[tuple[str, Any], ...]) -> int:
    timing.cache_miss()
    return fresh(version, lambda cur: get_query(name).count(cur, **dict(params)))


def named_count(name: str, **params: Any) -> int:
    """How many rows `queries/<name>.sql` returns without its `$limit` / `$offset` (counted in SQL)."""
    with timing.phase("query", f"{name} · count", cache="hit"):
        version = current_version()
        counted = tuple(sorted((k, v) for k, v in params.items() if k not in ("limit", "offset")))
        prewarm.note("count", name, counted)
        return uncached(_cached_count, name, version, counted)


def guard(render: Any) -> None:
    """Run a page body, turning the expected failures into messages instead of tracebacks."""
    try:
        render()
    except WarehouseMissing as exc:
        st.warning(
            f"还没有数据仓库（{markdown_text(exc)}）。"
            "请先运行 `make run`，或 `python -m fiscallens build` 从 data/reports 构建。",
            icon="📭",
        )
    except QueryTimeout as exc:
        st.error(f"{markdown_text(exc)}，请缩小筛选范围后重试。", icon="⏱️")
    except duckdb.Error as exc:
        st.error(f"读取数据仓库时出错：{markdown_text(exc)}", icon="⚠️")


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def _cached_facts(report_id: str, version: tuple[int, int]) -> dict[str, pd.DataFrame]:
    timing.cache_miss()
    facts = fresh(version, lambda cur: report_facts(cur, report_id))
    return {table: mask_frame(frame) for table, frame in facts.items()}


def facts_of(report_id: str) -> dict[str, pd.DataFrame]:
    """Every fact table of one report (see fiscallens.explain.report_facts)."""
    with timing.phase("query", "report_facts", cache="hit"):
        version = current_version()
        prewarm.note("facts", report_id)
        return uncached(_cached_facts, report_id, version)


# What the journal's entries are made again with (ui/prewarm.py): the same calls, the same cache keys.
prewarm.register("query", lambda name, params: named(name, **dict(params)))
prewarm.register("count", lambda name, params: named_count(name, **dict(params)))
prewarm.register("facts", facts_of)
