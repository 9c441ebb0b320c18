"""Reading the warehouse: locked-down read-only connections and time-limited queries."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from fiscallens.settings import QUERY_MEMORY_MB, QUERY_THREADS, QUERY_TIMEOUT_SECONDS

# Settings that make a connection unable to touch anything but the warehouse file.
READONLY_CONFIG: dict[str, Any] = {
    "access_mode": "READ_ONLY",
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    # several users' queries at once on one machine; the configuration lock keeps it
    "memory_limit": f"{QUERY_MEMORY_MB}MB",
    "threads": QUERY_THREADS,  # per query: one core each, see settings.QUERY_THREADS
    "lock_configuration": True,
}


class QueryTimeout(Exception):
    """The query ran past its time limit and was interrupted."""


def connect_readonly(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection with external access disabled and configuration locked."""
    if not Path(db_path).exists():
        raise FileNotFoundError(db_path)
    return duckdb.connect(str(db_path), read_only=True, config=dict(READONLY_CONFIG))


def run_query(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: dict[str, Any] | list[Any] | None = None,
    timeout: float = QUERY_TIMEOUT_SECONDS,
) -> pd.DataFrame:
    """Run one statement on its own cursor, interrupted after `timeout` seconds."""
    cursor = con.cursor()
    watchdog = Watchdog(cursor, timeout)
    try:
        with watchdog:
            return cursor.execute(sql, params).df() if params else cursor.execute(sql).df()
    except duckdb.InterruptException:
        raise timeout_error(timeout, watchdog.elapsed) from None
    finally:
        cursor.close()


def timeout_error(timeout: float, elapsed: float) -> QueryTimeout:
    """The message says how long the query really ran, not only the limit."""
    return QueryTimeout(
        f"查询超时（已运行 {elapsed:.1f} 秒，上限 {timeout:g} 秒），已中止。请缩小范围（加 WHERE 条件或 LIMIT）后重试。"
    )


class Watchdog:
    """Interrupts a cursor once `timeout` seconds have passed, and keeps doing so until released.

    Repeating the interrupt covers the narrow window in which it could land before DuckDB
    has started the query, and each step (prepare, execute, fetch) of a longer job.
    """

    def __init__(self, cursor: duckdb.DuckDBPyConnection, timeout: float) -> None:
        self.cursor = cursor
        self.timeout = timeout
        self.fired = False
        self.started = time.perf_counter()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="sql-watchdog", daemon=True)

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    @property
    def expired(self) -> bool:
        return self.fired or self.elapsed > self.timeout

    def _watch(self) -> None:
        if self._done.wait(self.timeout):
            return
        self.fired = True
        while not self._done.is_set():
            try:
                self.cursor.interrupt()
            except duckdb.Error:  # pragma: no cover - the cursor closed meanwhile
                return
            self._done.wait(0.05)

    def __enter__(self) -> Watchdog:
        self.started = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()


# Where the server keeps the warehouse and DuckDB's own files (settings such as allowed_paths,
# temp_directory, secret_directory; catalog functions; error messages) is not the analyst's business.
# Paths of source documents are data and stay as they are.
PATH_MASK = "〔服务器路径〕"
_PATH_TAIL = r"[^\s'\"\]\[,;()<>]*"


def private_paths(con: duckdb.DuckDBPyConnection) -> re.Pattern[str]:
    """The warehouse file (with DuckDB's .wal/.tmp names beside it) and DuckDB's home folder (~/.duckdb)."""
    prefixes: set[str] = set()
    try:
        rows = con.execute("SELECT path FROM duckdb_databases() WHERE path IS NOT NULL").fetchall()
    except duckdb.Error:  # pragma: no cover - a closed connection
        rows = []
    for (path,) in rows:
        prefixes.update({str(path), str(Path(path).resolve())})
    home = Path.home() / ".duckdb"
    prefixes.update({str(home), str(home.resolve())})
    ordered = sorted((p for p in prefixes if Path(p).is_absolute() and p != "/"), key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, ordered)) + ")" + _PATH_TAIL)


def mask_paths(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(PATH_MASK, text)


def file_version(db_path: Path) -> tuple[int, int]:
    """Changes whenever a build renames a new warehouse into place; used as a cache key."""
    stat = Path(db_path).stat()
    return stat.st_mtime_ns, stat.st_ino
