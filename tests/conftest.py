"""Shared fixtures: the bundled corpus and a warehouse built from it once per session."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fiscallens import pipeline  # noqa: E402

REPORTS_DIR = ROOT / "data" / "reports"


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
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
