"""Chinese labels of the codes the warehouse stores, read from the reference files that the build also
loads into the reference tables `doc_types` and `three_public_items` (fiscallens/reference/*.csv).

A neutral module, not a pipeline stage: the UI and the benchmarks take labels from here, SQL from the
reference tables, so a label is written once.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from pathlib import Path

REFERENCE_DIR = Path(str(resources.files("fiscallens").joinpath("reference")))
# Reference table → its CSV file; create_schema loads each into the table of the same name.
REFERENCE_TABLES: dict[str, Path] = {
    "doc_types": REFERENCE_DIR / "doc_types.csv",
    "three_public_items": REFERENCE_DIR / "three_public_items.csv",
}


@cache
def _rows(table: str) -> tuple[dict[str, str], ...]:
    with REFERENCE_TABLES[table].open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def doc_type_labels() -> dict[str, str]:
    """doc_type → 类型 label (部门决算 …), in the reference file's order."""
    return {row["doc_type"]: row["label"] for row in _rows("doc_types")}


def three_public_item_labels() -> dict[str, str]:
    """three_public.item → 项目 label (因公出国（境）费 …)."""
    return {row["item"]: row["label"] for row in _rows("three_public_items")}


DOC_TYPE_LABELS: dict[str, str] = doc_type_labels()
