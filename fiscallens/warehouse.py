"""Reading the warehouse: locked-down read-only connections and time-limited queries."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from fiscallens.settings import QUERY_TIMEOUT_SECONDS

# Settings that make a connection unable to touch anything but the warehouse file.
READONLY_CONFIG: dict[str, Any] = {
    "access_mode": "READ_ONLY",
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
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
    timer = threading.Timer(timeout, cursor.interrupt)
    timer.daemon = True
    timer.start()
    try:
        return cursor.execute(sql, params).df() if params else cursor.execute(sql).df()
    except duckdb.InterruptException as exc:
        raise QueryTimeout(f"查询超时（超过 {timeout:g} 秒）") from exc
    finally:
        timer.cancel()
        cursor.close()


def file_version(db_path: Path) -> tuple[int, int]:
    """Changes whenever a build renames a new warehouse into place; used as a cache key."""
    stat = Path(db_path).stat()
    return stat.st_mtime_ns, stat.st_ino
