"""Where a script run's time goes: a per-phase timing log, off by default.

`FISCALLENS_TIMING=1` writes one JSON line per script run to stderr (the server log);
`FISCALLENS_TIMING_LOG=/path/file.jsonl` appends it to that file instead. Both are read once, when this
module is imported, so that with timing off every hook costs one flag test and nothing else.

A line (see `bench/page_latency.py`, which reads it):

    {"page": "/budget-execution", "run": "<session>-3", "session": "…", "start": <epoch s>, "end": <epoch s>,
     "seconds": 0.412, "outcome": "finished" | "rerun" | "stopped" | "error",
     "phases": [{"kind": "query", "name": "execution_by_region", "seconds": 0.021, "cache": "miss"},
                {"kind": "figure", "name": "execution_rates", "seconds": 0.034},
                {"kind": "send", "name": "chart_rates", "seconds": 0.050, "bytes": 48211},
                {"kind": "table", "name": "table", "seconds": 0.004}, …],
     "by_kind": {"query": …, "figure": …, "send": …, "table": …}, "other_seconds": 0.3}

Phase seconds are exclusive: a phase inside another phase of a different kind (a query run while a
figure is built) is taken out of the outer one; inside one of the same kind (a chart function calling
another) it is not recorded at all. So the phases and `other_seconds` add up to `seconds`.
"send" is the `st.echarts_chart` (or, for the map, `st.plotly_chart`) call: serialising the chart to JSON and
queuing it for the websocket.
A phase outside a timed script run (a page run alone, a fragment rerun, another thread) is not logged.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

LOG_PATH: str = os.environ.get("FISCALLENS_TIMING_LOG", "")
ENABLED: bool = bool(LOG_PATH) or os.environ.get("FISCALLENS_TIMING", "") not in ("", "0")

# Chart modules whose figure-returning functions are timed as "figure" phases (wrapped when timing is on).
CHART_MODULES = ("fiscallens.charts", "fiscallens.ranking_charts", "fiscallens.map_charts")

_local = threading.local()
_write_lock = threading.Lock()
_install_lock = threading.Lock()
_installed = False
_runs_per_session: dict[str, int] = {}


@dataclass
class _Open:
    """A phase being timed: its record (None = not recorded) and the time its timed children took."""

    kind: str
    record: dict[str, Any] | None
    started: float
    children: float = 0.0


@dataclass
class _Run:
    page: str
    run_id: str
    session: str
    start_wall: float
    started: float
    phases: list[dict[str, Any]] = field(default_factory=list)
    stack: list[_Open] = field(default_factory=list)


class _Off:
    """The phase when timing is off or no run is being timed: enters into a dict nobody reads."""

    __slots__ = ()

    def __enter__(self) -> dict[str, Any]:
        return {}

    def __exit__(self, *exc: object) -> None:
        return None


_OFF = _Off()


class _Phase:
    __slots__ = ("open", "run")

    def __init__(self, run: _Run, kind: str, name: str, info: dict[str, Any]) -> None:
        self.run = run
        nested_same_kind = any(o.kind == kind for o in run.stack)
        record = None if nested_same_kind else {"kind": kind, "name": name, **info}
        self.open = _Open(kind, record, 0.0)

    def __enter__(self) -> dict[str, Any]:
        self.run.stack.append(self.open)
        self.open.started = time.perf_counter()
        return self.open.record if self.open.record is not None else {}

    def __exit__(self, *exc: object) -> None:
        elapsed = time.perf_counter() - self.open.started
        stack = self.run.stack
        if stack and stack[-1] is self.open:
            stack.pop()
        if self.open.record is None:  # inside a phase of its own kind: part of that one
            return
        self.open.record["seconds"] = round(elapsed - self.open.children, 6)
        self.run.phases.append(self.open.record)
        for outer in reversed(stack):  # the nearest recorded outer phase loses this time
            if outer.record is not None:
                outer.children += elapsed
                break


def _current() -> _Run | None:
    return getattr(_local, "run", None)


def phase(kind: str, name: str, **info: Any) -> Any:
    """`with phase("query", name) as info:` times a block of the current script run; `info` is its record
    (add fields to it). A no-op when timing is off or outside a timed run."""
    if not ENABLED:
        return _OFF
    run = _current()
    if run is None:
        return _OFF
    return _Phase(run, kind, name, info)


def cache_miss() -> None:
    """Called inside a cached function's body (it runs only on a miss): marks the enclosing query phase."""
    if not ENABLED:
        return
    run = _current()
    if run is None:
        return
    for open_ in reversed(run.stack):
        if open_.kind == "query" and open_.record is not None:
            open_.record["cache"] = "miss"
            return


def _session_id() -> str:
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        ctx = get_script_run_ctx(suppress_warning=True)
    except ImportError:
        ctx = None
    return ctx.session_id if ctx is not None else "no-session"


def _outcome(exc: BaseException | None) -> str:
    if exc is None:
        return "finished"
    name = type(exc).__name__
    return {"RerunException": "rerun", "StopException": "stopped"}.get(name, "error")


def line(run: _Run, ended: float, outcome: str) -> dict[str, Any]:
    """The JSON record of a finished run."""
    total = ended - run.started
    by_kind: dict[str, float] = {}
    for p in run.phases:
        by_kind[p["kind"]] = by_kind.get(p["kind"], 0.0) + p["seconds"]
    return {
        "page": run.page,
        "run": run.run_id,
        "session": run.session,
        "start": round(run.start_wall, 6),
        "end": round(run.start_wall + total, 6),
        "seconds": round(total, 6),
        "outcome": outcome,
        "phases": run.phases,
        "by_kind": {k: round(v, 6) for k, v in by_kind.items()},
        "other_seconds": round(total - sum(by_kind.values()), 6),
    }


def _write(record: dict[str, Any]) -> None:
    text = json.dumps(record, ensure_ascii=False) + "\n"
    with _write_lock:
        if LOG_PATH:
            with open(LOG_PATH, "a", encoding="utf-8") as out:
                out.write(text)
        else:
            sys.stderr.write(text)
            sys.stderr.flush()


@contextmanager
def script_run(page: str) -> Iterator[None]:
    """Time one script run of `page` (a URL path) and write its line, also when the run ends in a rerun."""
    if not ENABLED or _current() is not None:  # off, or nested (a run inside a run is part of it)
        yield
        return
    install()
    session = _session_id()
    with _write_lock:
        count = _runs_per_session[session] = _runs_per_session.get(session, 0) + 1
    run = _Run("/" + page.lstrip("/"), f"{session[:8]}-{count}", session, time.time(), time.perf_counter())
    _local.run = run
    failure: BaseException | None = None
    try:
        yield
    except BaseException as exc:  # Streamlit ends runs early with exceptions (rerun, stop): log, re-raise
        failure = exc
        raise
    finally:
        _local.run = None
        _write(line(run, time.perf_counter(), _outcome(failure)))


def timed(kind: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: each call a `kind` phase named after the function; with timing off, the function itself."""

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        if not ENABLED:
            return function

        @functools.wraps(function)
        def timed_call(*args: Any, **kwargs: Any) -> Any:
            with phase(kind, function.__name__):
                return function(*args, **kwargs)

        return timed_call

    return decorate


def timed_figure(function: Callable[..., Any]) -> Callable[..., Any]:
    """`function` timed as a "figure" phase named after it."""

    @functools.wraps(function)
    def timed_build(*args: Any, **kwargs: Any) -> Any:
        with phase("figure", function.__name__):
            return function(*args, **kwargs)

    timed_build.__wrapped_for_timing__ = True  # type: ignore[attr-defined]
    return timed_build


def _json_size(to_json: Callable[..., str]) -> Callable[..., str]:
    """plotly.io.to_json that adds the size of what it returns to the current "send" phase."""

    @functools.wraps(to_json)
    def sized(*args: Any, **kwargs: Any) -> str:
        text = to_json(*args, **kwargs)
        run = _current()
        if run is not None:
            for open_ in reversed(run.stack):
                if open_.kind == "send" and open_.record is not None:
                    open_.record["bytes"] = open_.record.get("bytes", 0) + len(text.encode("utf-8"))
                    break
        return text

    sized.__wrapped_for_timing__ = True  # type: ignore[attr-defined]
    return sized


def install() -> None:
    """With timing on, once per process: time the chart modules' figure functions and measure figure JSON.

    Pages call chart functions through their module (`charts.execution_rates`), so replacing the module
    attribute times every call, whichever page makes it. Does nothing when timing is off."""
    global _installed
    if not ENABLED or _installed:
        return
    with _install_lock:
        if _installed:
            return
        for module_name in CHART_MODULES:
            module = importlib.import_module(module_name)
            for name, value in list(vars(module).items()):
                returns = str(getattr(value, "__annotations__", {}).get("return", ""))
                if (
                    callable(value)
                    and not name.startswith("_")
                    and getattr(value, "__module__", "") == module_name
                    and returns.endswith("Figure")
                    and not getattr(value, "__wrapped_for_timing__", False)
                ):
                    setattr(module, name, timed_figure(value))
        import plotly.io

        if not getattr(plotly.io.to_json, "__wrapped_for_timing__", False):
            plotly.io.to_json = _json_size(plotly.io.to_json)
        _installed = True
