"""Warehouse access for pages: one cached read-only connection, cached named-query results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from fiscallens.explain import report_facts
from fiscallens.queries import get_query
from fiscallens.settings import db_path_from_env
from fiscallens.warehouse import QueryTimeout, connect_readonly, file_version


class WarehouseMissing(Exception):
    pass


def _close(con: duckdb.DuckDBPyConnection) -> None:
    con.close()


@st.cache_resource(max_entries=2, show_spinner=False, on_release=_close)
def _connection(db_path: str, version: tuple[int, int]) -> duckdb.DuckDBPyConnection:
    # `version` is part of the key: a rebuilt warehouse gets a fresh connection.
    return connect_readonly(Path(db_path))


# The file version each warehouse path was last opened at, process-wide.
_opened_versions: dict[str, tuple[int, int]] = {}


def connection() -> tuple[duckdb.DuckDBPyConnection, tuple[int, int]]:
    db_path = db_path_from_env()
    if not db_path.exists():
        raise WarehouseMissing(str(db_path))
    key, version = str(db_path.resolve()), file_version(db_path)
    if _opened_versions.get(key, version) != version:
        # DuckDB shares one database instance per path while any connection to it is open,
        # so the old connection must be closed before the replaced file can be seen.
        _connection.clear()
    _opened_versions[key] = version
    return _connection(key, version), version


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def _cached_query(name: str, version: tuple[int, int], params: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    con, _ = connection()
    return get_query(name).run(con, **dict(params))


def named(name: str, **params: Any) -> pd.DataFrame:
    """Result of `queries/<name>.sql` with the given parameters (None = no filter)."""
    _, version = connection()
    return _cached_query(name, version, tuple(sorted(params.items())))


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def _cached_count(name: str, version: tuple[int, int], params: tuple[tuple[str, Any], ...]) -> int:
    con, _ = connection()
    return get_query(name).count(con, **dict(params))


def named_count(name: str, **params: Any) -> int:
    """How many rows `queries/<name>.sql` returns without its `$limit` / `$offset` (counted in SQL)."""
    _, version = connection()
    return _cached_count(
        name, version, tuple(sorted((k, v) for k, v in params.items() if k not in ("limit", "offset")))
    )


def guard(render: Any) -> None:
    """Run a page body, turning the expected failures into messages instead of tracebacks."""
    try:
        render()
    except WarehouseMissing as exc:
        st.warning(
            f"还没有数据仓库（{exc}）。请先运行 `make run`，或 `python -m fiscallens build` 从 data/reports 构建。",
            icon="📭",
        )
    except QueryTimeout as exc:
        st.error(f"{exc}，请缩小筛选范围后重试。", icon="⏱️")
    except duckdb.Error as exc:
        st.error(f"读取数据仓库时出错：{exc}", icon="⚠️")


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def _cached_facts(report_id: str, version: tuple[int, int]) -> dict[str, pd.DataFrame]:
    con, _ = connection()
    return report_facts(con, report_id)


def facts_of(report_id: str) -> dict[str, pd.DataFrame]:
    """Every fact table of one report (see fiscallens.explain.report_facts)."""
    _, version = connection()
    return _cached_facts(report_id, version)
