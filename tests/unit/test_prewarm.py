"""The query journal (ui/prewarm.py): what it keeps, what a replay makes again, and when."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from ui import prewarm


@pytest.fixture
def fresh_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prewarm_off: None) -> Path:
    """As before a start (tests/conftest.prewarm_off), and no makers either: the path of a journal not yet written."""
    monkeypatch.setattr(prewarm, "_makers", {})
    return prewarm.journal_path(tmp_path / "warehouse.duckdb")


def test_the_journal_sits_beside_its_warehouse() -> None:
    assert prewarm.journal_path(Path("/srv/data/warehouse.duckdb")) == Path("/srv/data/warehouse.duckdb.recent.json")


def test_uses_are_noted_only_once_journaling_is_on(fresh_journal: Path) -> None:
    prewarm.note("query", "overview_kpis", [["province", None]])
    assert prewarm.ranked() == []
    prewarm.enable(fresh_journal)
    prewarm.note("query", "overview_kpis", [["province", None]])
    assert prewarm.ranked() == [("query", ["overview_kpis", [["province", None]]])]


def test_the_journal_survives_a_restart_most_used_first(fresh_journal: Path) -> None:
    prewarm.enable(fresh_journal)
    prewarm.note("query", "rare", [])
    for _ in range(3):
        prewarm.note("query", "often", [["province", "四川省"]])
    prewarm.flush()
    prewarm._uses.clear()  # a new process
    prewarm.enable(fresh_journal)
    assert prewarm.ranked() == [("query", ["often", [["province", "四川省"]]]), ("query", ["rare", []])]
    assert "四川省" in fresh_journal.read_text(encoding="utf-8")  # readable, not escaped


def test_arguments_json_cannot_hold_are_not_journaled(fresh_journal: Path) -> None:
    prewarm.enable(fresh_journal)
    prewarm.note("query", "x", object())
    assert prewarm.ranked() == []


def test_a_damaged_journal_is_started_again_not_fatal(fresh_journal: Path) -> None:
    fresh_journal.write_text("{not json", encoding="utf-8")
    prewarm.enable(fresh_journal)
    assert prewarm.ranked() == []
    prewarm.note("count", "reports", [])
    prewarm.flush()
    assert json.loads(fresh_journal.read_text(encoding="utf-8"))["entries"][0]["args"] == ["reports", []]


def test_an_unwritable_journal_changes_nothing_but_speed(fresh_journal: Path) -> None:
    prewarm.enable(fresh_journal.parent / "missing-folder" / fresh_journal.name)
    prewarm.note("query", "x", [])
    prewarm.flush()  # no error: the journal is an optimisation
    assert prewarm.ranked() == [("query", ["x", []])]


def test_the_journal_keeps_its_most_used_entries_only(fresh_journal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prewarm, "JOURNAL_ENTRIES", 2)
    prewarm.enable(fresh_journal)
    for name, uses in (("a", 1), ("b", 3), ("c", 2)):
        for _ in range(uses):
            prewarm.note("query", name, [])
    prewarm.flush()
    kept = json.loads(fresh_journal.read_text(encoding="utf-8"))["entries"]
    assert [(e["args"][0], e["uses"]) for e in kept] == [("b", 3), ("c", 2)]


def test_a_replay_makes_entries_again_and_skips_what_no_longer_applies(fresh_journal: Path) -> None:
    made: list[tuple] = []
    prewarm.register("query", lambda name, params: made.append((name, params)))
    prewarm.register("gone", lambda *_: 1 / 0)
    prewarm.enable(fresh_journal)
    prewarm.note("gone", "renamed_query")
    prewarm.note("query", "kpis", [["province", "四川省"]])
    prewarm.note("unknown_kind", 1)
    assert prewarm.replay() == 1
    assert made == [("kpis", [["province", "四川省"]])]


def test_what_a_replay_makes_is_not_counted_as_a_use(fresh_journal: Path) -> None:
    prewarm.enable(fresh_journal)
    prewarm.register("query", lambda name, params: prewarm.note("query", name, params))
    prewarm.note("query", "kpis", [])
    prewarm.replay()
    prewarm.flush()
    assert json.loads(fresh_journal.read_text(encoding="utf-8"))["entries"][0]["uses"] == 1


def test_a_replay_gives_way_while_a_visitor_waits_for_a_page(fresh_journal: Path) -> None:
    made = threading.Event()
    prewarm.register("query", lambda *_: made.set())
    prewarm.enable(fresh_journal)
    prewarm.note("query", "kpis", [])
    with prewarm.visitor():
        replay = threading.Thread(target=prewarm.replay)
        replay.start()
        assert not made.wait(0.3), "the replay ran while a visitor's script was running"
    assert made.wait(5), "the replay did not go on once the visitor's page was done"
    replay.join(5)


def test_a_rebuilt_warehouse_is_replayed_without_waiting_for_a_visitor(
    fresh_journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prewarm, "WATCH_SECONDS", 0.02)
    made: list[str] = []
    prewarm.register("query", lambda name, _params: made.append(name))
    fresh_journal.write_text(
        json.dumps({"entries": [{"kind": "query", "args": ["kpis", []], "uses": 2, "last": 0}]}), encoding="utf-8"
    )
    version = [(1, 1)]
    prewarm.start(fresh_journal, lambda: version[0])
    deadline = time.monotonic() + 5
    while len(made) < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert made == ["kpis"], "the start did not replay the journal"
    time.sleep(0.1)
    assert made == ["kpis"], "an unchanged warehouse was replayed again"
    version[0] = (2, 2)  # the file was replaced by a build
    while len(made) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert made == ["kpis", "kpis"]
    watcher = next(t for t in prewarm._threads if t.name == "journal-watch")
    prewarm.stop()  # what the server does at exit
    assert not watcher.is_alive(), "the watcher outlived the stop (its frames would keep DuckDB alive at exit)"
    assert json.loads(fresh_journal.read_text(encoding="utf-8"))["entries"][0]["args"] == ["kpis", []]


def test_a_long_running_server_forgets_its_least_used_entries(
    fresh_journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prewarm, "JOURNAL_ENTRIES", 3)
    monkeypatch.setattr(prewarm, "MEMORY_ENTRIES", 6)
    prewarm.enable(fresh_journal)
    prewarm.note("query", "kpis", [])
    prewarm.note("query", "kpis", [])
    for offset in range(20):  # paging through a table: one entry per page
        prewarm.note("query", "reports", [["offset", offset]])
    assert len(prewarm._uses) <= 6
    assert prewarm.ranked()[0] == ("query", ["kpis", []])


def test_a_replay_says_in_the_server_log_how_it_went(fresh_journal: Path, capsys: pytest.CaptureFixture) -> None:
    prewarm.register("query", lambda *_: None)
    prewarm.register("gone", lambda *_: 1 / 0)
    prewarm.enable(fresh_journal)
    prewarm.note("query", "kpis", [])
    prewarm.note("gone", "x")
    prewarm.replay()
    line = capsys.readouterr().err.strip()
    assert line.startswith(prewarm.REPLAYED_LOG) and "1 项（1 项未能重算）" in line
