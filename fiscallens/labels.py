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


# Files read by Python only (no warehouse table): the UI's names for finding rules and fact columns.
UI_LABEL_FILES: dict[str, Path] = {
    "rules": REFERENCE_DIR / "rules.csv",
    "fact_columns": REFERENCE_DIR / "fact_columns.csv",
    "fact_codes": REFERENCE_DIR / "fact_codes.csv",
}
# A rule id nobody has named yet is still not shown raw (quality_flags.rule is open-ended).
UNNAMED_RULE = "其他检查"


@cache
def _ui_rows(name: str) -> tuple[dict[str, str], ...]:
    with UI_LABEL_FILES[name].open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


@cache
def rule_labels() -> dict[str, str]:
    """quality_flags.rule → its Chinese name (规则)."""
    return {row["rule"]: row["label"] for row in _ui_rows("rules")}


def rule_label(rule: str | None) -> str:
    """The Chinese name of a finding rule; an unnamed rule gets a generic name, never its id."""
    return rule_labels().get(rule or "", UNNAMED_RULE)


@cache
def fact_column_labels() -> dict[str, str]:
    """Column of a fact table → its Chinese header (budget_initial → 年初预算（万元）)."""
    return {row["column"]: row["label"] for row in _ui_rows("fact_columns")}


@cache
def code_labels() -> dict[str, dict[str, str]]:
    """Fact column → {stored code → Chinese label} (scope: department → 部门整体; basis: actual → 决算数).

    三公经费 items come from three_public_items.csv; codes of the totals table's `item` are not listed:
    its rows carry the original row name (`label`) instead."""
    out: dict[str, dict[str, str]] = {}
    for row in _ui_rows("fact_codes"):
        out.setdefault(row["column"], {})[row["code"]] = row["label"]
    return out
