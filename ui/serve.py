"""Start the app: `python -m ui.serve [streamlit options]` (what `make run` does).

Same as `streamlit run app.py`, with one difference. Streamlit decides on a process's very first
script run whether the app uses the legacy `pages/` folder routing (MPA v1), before app.py has
called st.navigation. Our pages live in `pages/` (the design card's folder) but are routed by
st.navigation, so the first visitor of a deep link (/budget-execution?province=…) would see a
"Page not found" dialog. Streamlit 1.67 offers no supported switch for this, so the one private
flag we set is isolated in `disable_legacy_pages_folder`, and tests/unit/test_serve.py fails
loudly when a Streamlit upgrade changes what the flag means.
"""

from __future__ import annotations

import ast
import atexit
import contextlib
import gc
import importlib
import importlib.util
import sys
import threading
import time
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"
PAGES = APP.parent / "pages"


def disable_legacy_pages_folder() -> None:
    """Route `pages/` by st.navigation from the first request on (the only private Streamlit API we use).

    `PagesManager.uses_pages_directory` is what st.navigation itself sets to False on its first call; we
    set it before the first script run instead of after it.
    """
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


def page_modules() -> list[str]:
    """The modules app.py and the pages import (read from their source, not by running them), except
    streamlit and `ui`: their st.cache_data functions must be defined once Streamlit's runtime exists."""
    names: set[str] = set()
    for script in [APP, *sorted(PAGES.glob("*.py"))]:
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)  # maybe submodules
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
    return sorted(n for n in names if n.split(".")[0] not in ("ui", "streamlit") and _is_module(n))


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # `from x import function`: x.function is no module
        return False


def warm_up() -> None:
    """Import what the pages import, and let plotly load its lazily imported parts, before the first visitor.

    Otherwise the first visit after a start waits seconds for pandas, plotly, DuckDB and our modules
    (measured in bench/page_latency.py as "to script"). Nothing is queried: results stay cached per
    warehouse version as before.
    """
    sys.path.insert(0, str(APP.parent))
    for name in page_modules():
        importlib.import_module(name)
    import plotly.graph_objects as go

    traces = [go.Bar(x=[1], y=[1]), go.Scatter(x=[1], y=[1]), go.Heatmap(z=[[1]]), go.Box(y=[1])]
    traces += [go.Treemap(labels=["a"], parents=[""]), go.Choroplethmap(), go.Scattermap()]
    go.Figure(traces).update_layout(template="plotly_white").to_json()
    # What the imports made lives as long as the process: out of the collector's way, so that a full
    # collection (Python's own; Streamlit's after every run is off in .streamlit/config.toml) skips it.
    gc.collect()
    gc.freeze()
    # Back to the collector at exit: frozen objects are never freed, and DuckDB's bindings then print a
    # page of "leaked instance" warnings when the server stops.
    atexit.register(gc.unfreeze)


def start_renderer() -> None:
    """Start the server-side chart renderer (kaleido's Chromium) in the background: the 简报 page's
    preview and every image export then take ~0.3 s instead of ~4 s for the first one after a start."""
    import plotly.graph_objects as go

    from fiscallens import figure_export

    def start() -> None:
        if figure_export.export_problem() is None:  # no Chromium or CJK font: the pages say so when asked
            with contextlib.suppress(Exception):  # a failure here is reported again at the first export
                # kaleido starts its Chromium at the first image: render a blank one now.
                figure_export.figure_bytes(go.Figure(), "png", width=32, height=18, scale=1)

    threading.Thread(target=start, name="renderer-warm-up", daemon=True).start()


def load_national_map() -> None:
    """Read (or, the first time on this machine, simplify and store) the national map's boundaries and project
    them for the screen in the background: the 地图 page opens on it, and simplifying it takes seconds once
    per machine. Then store each province's view (≈ 0.25 s each, once per machine), so that choosing a
    province does not wait."""
    from fiscallens import geo, map_svg

    def load() -> None:
        if geo.package_root() is not None:
            with contextlib.suppress(Exception):  # the page reports a problem with the boundaries itself
                map_svg.projected(geo.map_view(None, None))  # read, then projected for the screen (0.1 s)
                for view in geo.province_views():
                    geo.store_view(view)

    threading.Thread(target=load, name="map-warm-up", daemon=True).start()


# How long the journal replay waits for Streamlit's runtime to exist (it starts within a second or two).
RUNTIME_WAIT_S = 60.0


def replay_journal() -> None:
    """Once Streamlit's runtime exists, turn on the journal beside the warehouse and make its most used
    results again in the background (ui/prewarm.py): a first visit after a start then finds its page's
    queries cached. `ui` is imported only then: its st.cache_data functions need the runtime."""

    def run() -> None:
        from streamlit.runtime import Runtime

        deadline = time.monotonic() + RUNTIME_WAIT_S
        while not Runtime.exists():
            if time.monotonic() > deadline:
                return
            time.sleep(0.05)
        from fiscallens.settings import db_path_from_env
        from ui import brief_render, data, prewarm  # noqa: F401 - brief_render registers what it makes again

        prewarm.start(prewarm.journal_path(db_path_from_env()), data.current_version)

    threading.Thread(target=run, name="journal-start", daemon=True).start()


def main(argv: list[str]) -> None:
    from streamlit.web import cli

    disable_legacy_pages_folder()
    warm_up()
    start_renderer()
    load_national_map()
    replay_journal()
    sys.argv = ["streamlit", "run", str(APP), *argv]
    sys.exit(cli.main())


def run(argv: list[str]) -> None:
    """main(), ending quietly on a Ctrl-C before Streamlit's own handler is installed (during the warm-up's
    imports, the first second or two of `make run`), where Python would print a KeyboardInterrupt traceback."""
    try:
        main(argv)
    except KeyboardInterrupt:
        print("已停止。", file=sys.stderr)
        raise SystemExit(130) from None


if __name__ == "__main__":
    run(sys.argv[1:])
