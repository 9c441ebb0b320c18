"""`make run` relies on one private Streamlit flag (ui/serve.py). These tests pin what the flag means in the
installed Streamlit, so an upgrade that renames or drops it fails here, not silently in front of a user."""

from __future__ import annotations

import inspect
import tomllib
from pathlib import Path

import pytest

pytest.importorskip("streamlit")

from streamlit.commands import navigation
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import script_runner

from ui import serve

UPGRADE_HINT = (
    "Streamlit changed how it detects the legacy pages/ folder: revisit ui/serve.disable_legacy_pages_folder "
    "(and drop it if st.navigation now wins from the first request)"
)


@pytest.fixture
def flag():
    saved = PagesManager.uses_pages_directory
    yield
    PagesManager.uses_pages_directory = saved


def test_without_the_workaround_streamlit_still_detects_the_pages_folder(flag) -> None:
    """The workaround is still needed: left alone, Streamlit turns legacy routing on because pages/ exists."""
    PagesManager.uses_pages_directory = None
    manager = PagesManager(str(serve.APP))
    assert manager.main_script_parent == serve.APP.parent
    assert PagesManager.uses_pages_directory is True, UPGRADE_HINT


def test_the_workaround_turns_legacy_routing_off_before_the_first_run(flag) -> None:
    PagesManager.uses_pages_directory = None
    serve.disable_legacy_pages_folder()
    PagesManager(str(serve.APP))
    assert PagesManager.uses_pages_directory is False, UPGRADE_HINT


def test_the_flag_is_what_the_script_runner_and_st_navigation_consult() -> None:
    """The runner picks legacy routing from this flag, and st.navigation sets it to False itself."""
    assert "PagesManager.uses_pages_directory" in inspect.getsource(script_runner.ScriptRunner), UPGRADE_HINT
    assert "PagesManager.uses_pages_directory = False" in inspect.getsource(navigation.navigation), UPGRADE_HINT


def test_warm_up_imports_what_the_pages_import_but_not_the_ui() -> None:
    """issue 17: the first visit after a start waited seconds for imports; the server does them first."""
    from ui import serve

    modules = serve.page_modules()
    assert {"fiscallens.charts", "fiscallens.map_charts", "pandas", "plotly.graph_objects"} <= set(modules)
    assert not [m for m in modules if m.split(".")[0] in ("ui", "streamlit")]


def test_no_full_garbage_collection_after_every_script_run() -> None:
    """issue 17: Streamlit's collection after each run held the GIL 130–160 ms while the run's last messages
    waited (py-spy); the option is Streamlit's own (hidden) one, and the runner still reads it."""
    config = tomllib.loads((Path(serve.APP).parent / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False
    assert 'config.get_option("runner.postScriptGC")' in inspect.getsource(script_runner.ScriptRunner), UPGRADE_HINT


def test_the_frozen_imports_are_freed_at_exit() -> None:
    """gc.freeze() after warm-up kept DuckDB's objects past shutdown; nanobind then printed ~60 lines of
    "leaked instance" warnings whenever the server stopped (seen on `make run`)."""
    import subprocess
    import sys

    code = "import sys; sys.argv = ['x']; from ui import serve; serve.warm_up()"
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(serve.APP).parent, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "leaked" not in done.stderr


def test_the_chart_library_chunks_are_found_in_this_streamlit_build() -> None:
    """ui/components.CHART_LIBRARY_JS imports Streamlit's ECharts, component and Plotly chunks by file name: a
    Streamlit upgrade that renames or splits one must fail here, not quietly turn the idle-tab import off."""
    from ui.components import chart_library_chunks, chart_library_js

    chunks = chart_library_chunks()
    assert [file.split(".")[0] for file, _ in chunks] == ["EChartsChart", "BidiComponent", "PlotlyChart"]
    assert all(file.endswith(".js") for file, _ in chunks)
    script = chart_library_js()
    assert all(f'"{file}"' in script for file, _ in chunks) and "CHUNKS" not in script and "IDLE_MS" not in script


def test_ctrl_c_during_the_warm_up_ends_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C in the first second of `make run` (the warm-up's imports, before Streamlit installs its signal
    handler) printed a KeyboardInterrupt traceback; it ends with a short message and the usual exit code."""

    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(serve, "disable_legacy_pages_folder", lambda: None)
    monkeypatch.setattr(serve, "warm_up", interrupted)
    with pytest.raises(SystemExit) as stopped:
        serve.run([])
    assert stopped.value.code == 130
    err = capsys.readouterr().err
    assert "已停止" in err and "Traceback" not in err


def test_the_benchmark_waits_longer_than_the_idle_tab() -> None:
    """bench/page_latency.py's navigation_idle leaves a tab idle long enough for CHART_LIBRARY_JS to import
    Plotly (its wait plus ≈ 1 s of evaluation): were the wait raised, the scenario would measure nothing."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    import page_latency

    from ui.components import CHART_LIBRARY_IDLE_MS

    assert page_latency.IDLE_S * 1000 >= CHART_LIBRARY_IDLE_MS + 2000
