"""Reference lists of the generator, loaded from the data files in ``fiscallens/synth/data/``.

Classes and 款 of the functional classification, economic codes, departments with their topics and
main 项, words for project names and sentences, indicator wordings. They are data, not logic: edit the
JSON files to change what the corpus says (the seeds then give other, still deterministic, corpora).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

DATA = resources.files("fiscallens.synth").joinpath("data")


def load(name: str) -> dict[str, Any]:
    """One data file of the generator, by file name."""
    return json.loads(DATA.joinpath(name).read_text(encoding="utf-8"))


_functional = load("functional_codes.json")
CLASS_NAMES: dict[str, str] = {c["code"]: c["name"] for c in _functional["classes"]}
CLASS_ORDINALS: dict[str, str] = {c["code"]: c["ordinal"] for c in _functional["classes"]}
KUAN_NAMES: dict[str, str] = _functional["kuan"]

_economic = load("economic_codes.json")
ECONOMIC_NAMES: dict[str, str] = _economic["names"]
WAGE_CODES: tuple[str, ...] = tuple(_economic["wage_codes"])
PUBLIC_CODES: tuple[str, ...] = tuple(_economic["public_codes"])

_departments = load("departments.json")
# (department, project topics, main 项: (code, name, basic|project)). The first 项 is the 行政运行 that
# carries wages and operating costs (基本支出); the others are project spending.
DEPARTMENTS: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, str, str], ...]], ...] = tuple(
    (d["name"], tuple(d["topics"]), tuple((code, name, kind) for code, name, kind in d["items"]))
    for d in _departments["departments"]
)
# Basic spending every department has: (code, name, share of basic spending, economic code it pays).
COMMON_BASIC: tuple[tuple[str, str, float, str], ...] = tuple(
    (c["code"], c["name"], c["share"], c["economic_code"]) for c in _departments["common_basic"]
)
# Project 项 a department may also have.
EXTRA_PROJECT: tuple[tuple[str, str], ...] = tuple((code, name) for code, name in _departments["extra_project"])
# Names long enough to be broken by extraction ("机关事业单位基本养老保 险缴费支出").
LONG_NAMES: tuple[str, ...] = tuple(_departments["long_names"])

_wording = load("wording.json")
PROJECT_SUFFIXES: tuple[str, ...] = tuple(_wording["project_suffixes"])
SUBPROJECT_WORDS: tuple[str, ...] = tuple(_wording["subproject_words"])
FUNCTION_SENTENCES: tuple[str, ...] = tuple(_wording["function_sentences"])
REASONS: tuple[str, ...] = tuple(_wording["reasons"])

INDICATORS: dict[str, Any] = load("indicators.json")
