"""Golden output: every fact of every bundled report, as `fiscallens explain` prints it.

A change in extraction shows up here as a readable diff. After checking the diff is an
improvement, refresh with:  UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fiscallens.explain import explain
from fiscallens.warehouse import connect_readonly

GOLDEN_DIR = Path(__file__).parent / "golden"


def _reports(warehouse: Path) -> list[tuple[str, str]]:
    con = connect_readonly(warehouse)
    return con.execute("SELECT report_id, split_part(source_files[1], '/', -1) FROM reports ORDER BY 2").fetchall()


def test_golden_files_cover_every_report(warehouse: Path) -> None:
    names = {f"{Path(first).stem[:3]}.txt" for _, first in _reports(warehouse)}
    if os.environ.get("UPDATE_GOLDEN"):
        for stale in set(p.name for p in GOLDEN_DIR.glob("*.txt")) - names:
            (GOLDEN_DIR / stale).unlink()
    assert names == {p.name for p in GOLDEN_DIR.glob("*.txt")}


@pytest.mark.parametrize("prefix", ["000", "001", "003", "004", "005", "006", "007", "008", "009", "010", "011"])
def test_report_matches_golden(warehouse: Path, prefix: str) -> None:
    con = connect_readonly(warehouse)
    report_id = next(rid for rid, first in _reports(warehouse) if first.startswith(prefix))
    text = explain(con, report_id)
    golden = GOLDEN_DIR / f"{prefix}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
