"""The query journal end to end (ui/prewarm.py through ui/serve.py): a server notes what its pages used and
writes it beside the warehouse when it stops; the next server makes those results again as it starts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from browserkit import new_context, open_tab, settle, start_app, stop_app, wait_for_log_line

from ui.prewarm import REPLAYED_LOG, journal_path

REPLAY_WAIT_S = 60


def _visit(browser, url: str, paths: list[str]) -> None:
    context = new_context(browser)
    try:
        tab = open_tab(context, url)
        for path in paths:
            tab.page.goto(f"{url}/{path}")
            settle(tab.page)
            tab.assert_healthy()
    finally:
        context.close()


def test_a_restarted_server_makes_what_the_last_one_used_again(browser, warehouse: Path, tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse, db)
    server = start_app(db, tmp_path)
    try:
        _visit(browser, server.url, ["", "budget-execution"])
    finally:
        stop_app(server)  # the journal is written at exit
    journal = journal_path(db)
    entries = json.loads(journal.read_text(encoding="utf-8"))["entries"]
    names = {e["args"][0] for e in entries if e["kind"] == "query"}
    assert {"overview_kpis", "execution_by_region", "filter_options"} <= names, names

    server = start_app(db, tmp_path)  # its own log file (named after its port)
    try:
        line = wait_for_log_line(server, REPLAYED_LOG, REPLAY_WAIT_S)
        assert line is not None, f"no replay in the server log:\n{server.log_tail()}"
        assert line.startswith(f"{len(entries)} 项，"), line  # every entry made again
        _visit(browser, server.url, ["budget-execution"])  # a visit after a replay is still a healthy page
    finally:
        stop_app(server)
    # The journal's threads end at exit: one left running kept DuckDB's objects alive past shutdown, and the
    # server printed a page of "nanobind: leaked instance" warnings when stopped.
    assert "leaked" not in server.log_tail(400), server.log_tail()
