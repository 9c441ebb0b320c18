"""Results people use, made again before they ask: after the server starts and after a rebuild (issue 17).

A first visit ran its page's queries cold: 0.2–0.6 s of its script at 100,000 reports, the largest part
of a page's server time. Pages are scripts, so which results a page needs is known only by running it;
instead of a second list of them, the data layer notes each result it hands out (its kind and
arguments, never the result) in a journal beside the warehouse (`<warehouse>.recent.json`). When the
server starts (ui/serve.py) and whenever the warehouse file is replaced, one background thread makes
the journal's most used entries again, so the next visit finds them in the cache as a second visit does.

The journal holds names and bound parameters only (what a URL holds); entries that no longer apply (a
renamed query, a region gone from the warehouse) just fail quietly. It is a speed-up, never a source of
truth: a missing, damaged or unwritable journal changes nothing but speed, and two servers on one warehouse
each write their own view of it (the last one written wins). Off unless ui/serve.py turns
it on, so tests and `streamlit run app.py` behave as before.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

JOURNAL_SUFFIX = ".recent.json"
JOURNAL_ENTRIES = 200  # kept in the journal, most used first
MEMORY_ENTRIES = 4 * JOURNAL_ENTRIES  # noted in memory before the least used are forgotten
REPLAY_ENTRIES = 64  # made again after a start or a rebuild (well under the query cache's 256 entries)
REPLAY_SECONDS = 60.0  # a replay gives up after this long (a slow disk, a rebuild under way)
FLUSH_SECONDS = 10.0  # how often noted uses are written to the journal (and at exit)
WATCH_SECONDS = 2.0  # how often the warehouse file is looked at: a rebuild is replayed before anyone asks
# The server-log line a finished replay writes (bench/page_latency.py waits for it).
REPLAYED_LOG = "常用结果已预先算好："
GIVE_WAY_SECONDS = 0.02  # a replay waits in steps this long while a visitor's script runs
STOP_WAIT_SECONDS = 5.0  # at exit, how long a replay may take to finish the result it is making

_lock = threading.Lock()
_makers: dict[str, Callable[..., Any]] = {}
_uses: dict[tuple[str, str], list[float]] = {}  # (kind, JSON arguments) → [uses, last use (epoch s)]
_local = threading.local()  # .replaying: uses made by a replay are not counted
_stopping = threading.Event()  # set at exit: background threads end
_threads: list[threading.Thread] = []
_state: dict[str, Any] = {"journal": None, "version": None, "dirty": False, "replays": 0, "visitors": 0}


def journal_path(warehouse: Path) -> Path:
    """The journal of a warehouse file: beside it, named after it."""
    return warehouse.with_name(warehouse.name + JOURNAL_SUFFIX)


def register(kind: str, make: Callable[..., Any]) -> None:
    """How to make a result of `kind` again from the arguments `note` was given (a cached function)."""
    _makers[kind] = make


def note(kind: str, *args: Any) -> None:
    """One use of a result: `kind` (registered) and the JSON-able arguments that make it again."""
    if _state["journal"] is None or getattr(_local, "replaying", False):
        return
    try:
        key = (kind, json.dumps(args, ensure_ascii=False))
    except (TypeError, ValueError):  # an argument JSON cannot hold: not journaled
        return
    with _lock:
        entry = _uses.setdefault(key, [0, 0.0])
        entry[0] += 1
        entry[1] = time.time()
        _state["dirty"] = True
        if len(_uses) > MEMORY_ENTRIES:  # a long-running server: every search and table page is an entry
            kept = _most_used(JOURNAL_ENTRIES)
            _uses.clear()
            _uses.update(kept)


def version_seen(version: object) -> None:
    """The warehouse version now (the watcher looks every WATCH_SECONDS): a new one (a rebuild) starts a replay."""
    if _state["journal"] is None or version == _state["version"]:
        return
    with _lock:
        previous, _state["version"] = _state["version"], version
    if previous is not None and previous != version:
        _replay_in_background()


@contextlib.contextmanager
def visitor() -> Iterator[None]:
    """A visitor's script run (app.py wraps each in this): a replay waits until none is running, so that
    on 2 cores it never takes CPU from the person waiting for a page."""
    with _lock:
        _state["visitors"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["visitors"] -= 1


def enable(journal: Path) -> None:
    """Note uses from now on, in `journal` (its entries, if any, are read: they rank what a replay makes)."""
    with _lock:
        _uses.update(_read(journal))
        _state["journal"] = journal


def start(journal: Path, version: Callable[[], object]) -> None:
    """`enable(journal)` and replay it in the background; then look at `version()` (the warehouse file's)
    every WATCH_SECONDS to replay after a rebuild, and write the journal every FLUSH_SECONDS and at exit."""
    enable(journal)
    with contextlib.suppress(Exception):  # no warehouse yet (a first build): the watcher sees it come
        _state["version"] = version()
    _stopping.clear()
    atexit.register(stop)
    _replay_in_background()
    _start_thread(_watch, version, name="journal-watch")


def stop() -> None:
    """End the background threads and write the journal (at exit). A thread still running when Python
    shuts down keeps the modules its frames reach alive, and DuckDB then reports its objects as leaked."""
    _stopping.set()
    for thread in list(_threads):
        thread.join(STOP_WAIT_SECONDS)
    flush()


def ranked(limit: int = REPLAY_ENTRIES) -> list[tuple[str, list[Any]]]:
    """The journal's entries to make again, most used (then most recent) first: (kind, arguments)."""
    with _lock:
        order = _most_used(limit)
    return [(kind, json.loads(args)) for (kind, args), _ in order]


def replay(generation: int | None = None) -> int:
    """Make the ranked entries again, in this thread, until a newer replay starts (a rebuild); says so in
    the server log. Returns how many were made."""
    started = time.monotonic()
    deadline, made, entries = started + REPLAY_SECONDS, 0, ranked()
    _local.replaying = True
    try:
        for kind, args in entries:
            while _state["visitors"] and time.monotonic() < deadline and not _stopping.is_set():
                time.sleep(GIVE_WAY_SECONDS)
            if time.monotonic() > deadline or generation not in (None, _state["replays"]) or _stopping.is_set():
                break
            make = _makers.get(kind)
            if make is None:
                continue
            # An entry that no longer applies (a renamed query, a timeout, a region gone) is skipped.
            with contextlib.suppress(Exception):
                make(*args)
                made += 1
    finally:
        _local.replaying = False
    if entries:
        skipped = f"（{len(entries) - made} 项未能重算）" if made < len(entries) else ""
        took = time.monotonic() - started
        print(f"{REPLAYED_LOG} {made} 项{skipped}，用时 {took:.1f} 秒", file=sys.stderr, flush=True)
    return made


def flush() -> None:
    """Write the journal (its JOURNAL_ENTRIES most used entries) if uses were noted since the last write."""
    journal = _state["journal"]
    if journal is None or not _state["dirty"]:
        return
    with _lock:
        _state["dirty"] = False
        order = _most_used(JOURNAL_ENTRIES)
    entries = [{"kind": k, "args": json.loads(a), "uses": int(n), "last": round(t)} for (k, a), (n, t) in order]
    text = json.dumps({"entries": entries}, ensure_ascii=False)
    # A new file renamed into place: a reader (another server on the same warehouse) never sees half of one.
    with contextlib.suppress(OSError):
        fd, temporary = tempfile.mkstemp(prefix=f".{journal.name}.", dir=journal.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, journal)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)


def _most_used(limit: int) -> list[tuple[tuple[str, str], list[float]]]:
    """The `limit` most used entries, then the most recently used (the caller holds _lock)."""
    return sorted(_uses.items(), key=lambda item: (-item[1][0], -item[1][1]))[:limit]


def _read(journal: Path) -> dict[tuple[str, str], list[float]]:
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))["entries"]
        return {
            (str(e["kind"]), json.dumps(e["args"], ensure_ascii=False)): [int(e["uses"]), float(e["last"])]
            for e in entries[:JOURNAL_ENTRIES]
        }
    except (OSError, ValueError, KeyError, TypeError):  # none yet, or damaged: start a new one
        return {}


def _watch(version: Callable[[], object]) -> None:
    flushed = time.monotonic()
    while not _stopping.wait(WATCH_SECONDS):
        with contextlib.suppress(Exception):  # no warehouse right now (a first build): nothing to replay
            version_seen(version())
        if time.monotonic() - flushed >= FLUSH_SECONDS:
            flush()
            flushed = time.monotonic()


def _replay_in_background() -> None:
    with _lock:
        _state["replays"] += 1
        generation = _state["replays"]
    _start_thread(replay, generation, name="journal-replay")


def _start_thread(target: Callable[..., Any], *args: Any, name: str) -> None:
    thread = threading.Thread(target=target, args=args, name=name, daemon=True)
    with _lock:
        _threads[:] = [t for t in _threads if t.is_alive()] + [thread]
    thread.start()
