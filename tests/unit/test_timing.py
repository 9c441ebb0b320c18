"""ui/timing.py: the per-phase timing log of a script run — its format, and silence when it is off."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui import timing

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "timing.jsonl"
    monkeypatch.setattr(timing, "ENABLED", True)
    monkeypatch.setattr(timing, "LOG_PATH", str(path))
    monkeypatch.setattr(timing, "_installed", True)  # the chart modules stay as they are (see the install test)
    return path


def lines(path: Path) -> list[dict]:
    return [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_a_run_writes_one_line_with_exclusive_phases_that_add_up(log: Path) -> None:
    @timing.timed("table")  # decorated while timing is on: wrapped
    def show_table() -> str:
        return "shown"

    def to_json(fig: object) -> str:
        return '{"data": "图"}'

    sized = timing._json_size(to_json)
    with timing.script_run("budget-execution"):
        with timing.phase("query", "execution_by_region", cache="hit"):
            timing.cache_miss()  # what a cached function's body says when it runs
        with timing.phase("query", "filter_options", cache="hit"):
            pass
        with timing.phase("figure", "execution_rates"):
            with timing.phase("figure", "own_colors"):  # same kind inside: part of the outer one
                pass
            with timing.phase("query", "labels", cache="hit"):  # other kind inside: taken out of the figure
                sum(range(20_000))
        with timing.phase("send", "chart_rates"):
            sized(object())
        assert show_table() == "shown"
    (record,) = lines(log)
    assert record["page"] == "/budget-execution"
    assert record["outcome"] == "finished"
    assert record["run"].endswith("-1") and record["session"]
    assert record["end"] >= record["start"]
    phases = {(p["kind"], p["name"]): p for p in record["phases"]}
    assert set(phases) == {
        ("query", "execution_by_region"),
        ("query", "filter_options"),
        ("figure", "execution_rates"),
        ("query", "labels"),
        ("send", "chart_rates"),
        ("table", "show_table"),
    }
    assert phases["query", "execution_by_region"]["cache"] == "miss"
    assert phases["query", "filter_options"]["cache"] == "hit"
    assert phases["send", "chart_rates"]["bytes"] == len('{"data": "图"}'.encode())
    assert all(p["seconds"] >= 0 for p in record["phases"])
    total = sum(record["by_kind"].values()) + record["other_seconds"]
    assert total == pytest.approx(record["seconds"], abs=1e-5)
    assert record["by_kind"]["query"] == pytest.approx(
        sum(p["seconds"] for p in record["phases"] if p["kind"] == "query"), abs=1e-5
    )


def test_a_run_ended_by_a_rerun_is_logged_and_the_rerun_goes_on(log: Path) -> None:
    class RerunException(Exception):  # Streamlit's name for it
        pass

    with pytest.raises(RerunException), timing.script_run(""), timing.phase("query", "overview_kpis"):
        raise RerunException()
    (record,) = lines(log)
    assert record["page"] == "/"
    assert record["outcome"] == "rerun"
    assert [p["name"] for p in record["phases"]] == ["overview_kpis"]


def test_runs_of_one_session_are_numbered_and_a_nested_run_is_part_of_the_outer(log: Path) -> None:
    with timing.script_run("sql"), timing.script_run("inner"):
        pass
    with timing.script_run("sql"):
        pass
    first, second = lines(log)
    assert (first["page"], second["page"]) == ("/sql", "/sql")
    assert first["session"] == second["session"]
    assert int(second["run"].rsplit("-", 1)[1]) == int(first["run"].rsplit("-", 1)[1]) + 1


def test_phases_outside_a_run_are_not_logged(log: Path) -> None:
    with timing.phase("query", "overview_kpis") as info:
        info["cache"] = "hit"  # a page run without app.py (AppTest) writes into a record nobody keeps
        timing.cache_miss()
    assert lines(log) == []


def test_silent_when_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "timing.jsonl"
    monkeypatch.setattr(timing, "ENABLED", False)
    monkeypatch.setattr(timing, "LOG_PATH", str(path))

    def show_table() -> None:
        pass

    assert timing.timed("table")(show_table) is show_table  # off: not even a wrapper
    with timing.script_run("budget-execution"):
        assert timing.phase("query", "x") is timing._OFF
        with timing.phase("send", "chart"):
            timing.cache_miss()
    assert not path.exists()
    assert capsys.readouterr() == ("", "")


def test_the_flag_is_read_from_the_environment_once(tmp_path: Path) -> None:
    code = "import ui.timing as t; print(t.ENABLED, t.LOG_PATH or '-')"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FISCALLENS_TIMING")}

    def read(**extra: str) -> str:
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env={**env, **extra}, capture_output=True, text=True, check=True
        )
        return out.stdout.strip()

    assert read() == "False -"
    assert read(FISCALLENS_TIMING="0") == "False -"
    assert read(FISCALLENS_TIMING="1") == "True -"
    assert read(FISCALLENS_TIMING_LOG=str(tmp_path / "t.jsonl")) == f"True {tmp_path / 't.jsonl'}"


def test_install_times_every_figure_function_of_the_chart_modules(log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import plotly.graph_objects as go
    import plotly.io

    modules = [importlib.import_module(name) for name in timing.CHART_MODULES]
    for module in modules:  # monkeypatch puts back whatever install() replaces
        for name, value in list(vars(module).items()):
            if callable(value):
                monkeypatch.setattr(module, name, value)
    monkeypatch.setattr(plotly.io, "to_json", plotly.io.to_json)
    monkeypatch.setattr(timing, "_installed", False)
    charts = modules[0]
    original = charts.static_figure
    timing.install()
    assert charts.static_figure is not original and charts.static_figure.__wrapped__ is original
    assert not getattr(charts.click_columns, "__wrapped_for_timing__", False)  # returns no figure
    timing.install()  # once only
    assert charts.static_figure.__wrapped__ is original
    with timing.script_run("x"), timing.phase("send", "chart"):
        text = plotly.io.to_json(go.Figure(go.Bar(x=["甲"], y=[1])), validate=False)
    (record,) = lines(log)
    assert record["phases"][0]["bytes"] == len(text.encode("utf-8"))
