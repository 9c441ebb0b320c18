"""Shared fixtures: the bundled corpus and a warehouse built from it once per session."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fiscallens import pipeline  # noqa: E402
from fiscallens.warehouse import connect_readonly  # noqa: E402

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

REPORTS_DIR = ROOT / "data" / "reports"
# How long a worker waits for another worker's rendering of a PDF before parsing it itself.
RENDER_WAIT_SECONDS = 60


@pytest.fixture(scope="session")
def shared_renderings(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> None:
    """Parse each bundled PDF once per run, not once per process.

    Renderings go to a folder shared by the xdist workers (and the build processes they start, which
    inherit the variable). A worker claims a PDF before parsing it, so workers that start together
    split the parsing; a claimed PDF is waited for, not parsed twice."""
    from fiscallens.read import read_document
    from fiscallens.settings import RENDER_CACHE_ENV

    root = tmp_path_factory.getbasetemp()
    folder = (root.parent if worker_id != "master" else root) / "renderings"
    folder.mkdir(exist_ok=True)
    os.environ[RENDER_CACHE_ENV] = str(folder)
    waiting = []
    for path in sorted(REPORTS_DIR.glob("*.pdf")):
        try:
            os.close(os.open(folder / f"{path.name}.claim", os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            waiting.append(path)
            continue
        read_document(path)
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    for path in waiting:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        while not any(folder.glob(f"{digest}*.pickle")) and time.monotonic() < deadline:
            time.sleep(0.2)
        read_document(path)  # the other worker's rendering, or (after the deadline) our own


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory, shared_renderings: None) -> Path:
    """A private copy of data/reports, so tests never touch the bundled files."""
    target = tmp_path_factory.mktemp("corpus") / "reports"
    shutil.copytree(REPORTS_DIR, target)
    return target


@pytest.fixture(scope="session")
def warehouse(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db_path = tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb"
    pipeline.build([corpus_dir], db_path, rebuild=True)
    return db_path


def seed_path(prefix: str) -> Path:
    return next(REPORTS_DIR.glob(f"{prefix}_*.txt"))


def run_page(page: str, **params: str) -> AppTest:
    """AppTest of `pages/<page>.py` alone (as switch_page runs it, without app.py), with URL query parameters,
    after one run. Needs the `app_env` fixture for the warehouse."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """The rows of `sql` on a read-only connection (the app's configuration) to the warehouse `db`."""
    con = connect_readonly(db)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture
def app_env(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's environment for AppTest: the session warehouse, run from the repository root."""
    monkeypatch.setenv("FISCALLENS_DB", str(warehouse))
    monkeypatch.chdir(ROOT)
    return warehouse


@pytest.fixture
def prewarm_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """ui/prewarm.py as before a start: journaling off, nothing noted, no thread; its state restored after."""
    from ui import prewarm

    monkeypatch.setattr(prewarm, "_uses", {})
    monkeypatch.setattr(prewarm, "_state", {**prewarm._state, "journal": None, "version": None, "visitors": 0})
    monkeypatch.setattr(prewarm, "_stopping", threading.Event())
    monkeypatch.setattr(prewarm, "_threads", [])
