"""The journal replay (ui/prewarm.py) against real pages: what a page used is what a replay makes again,
under the same cache keys, so a page run after a replay queries nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from tests.conftest import run_page
from ui import data, prewarm


@pytest.fixture
def journal(app_env: Path, tmp_path: Path, prewarm_off: None) -> Path:
    path = tmp_path / "warehouse.duckdb.recent.json"
    prewarm.enable(path)
    st.cache_data.clear()
    yield path
    st.cache_data.clear()


def _queries_run(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every query that reaches the warehouse from now on (cache misses of ui.data)."""
    ran: list[str] = []
    real = data.fresh

    def counting(version, compute):
        ran.append(getattr(compute, "__name__", "query"))
        return real(version, compute)

    monkeypatch.setattr(data, "fresh", counting)
    return ran


@pytest.mark.parametrize("page", ["overview", "execution", "reports", "report_explorer"])
def test_a_page_after_a_replay_finds_every_result_cached(
    page: str, journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not run_page(page).exception
    prewarm.flush()
    assert journal.exists() and prewarm.ranked(), "the page's results were not journaled"
    st.cache_data.clear()  # a restart: the journal stays, memory is gone
    ran = _queries_run(monkeypatch)
    made = prewarm.replay()
    assert made == len(prewarm.ranked()), "an entry the page noted could not be made again"
    assert ran, "the replay queried nothing"
    ran.clear()
    assert not run_page(page).exception
    assert ran == [], f"{page} still queried the warehouse after a replay: {len(ran)} queries"
