"""A report being written: its plan, its random stream, its traps, and the ground truth it states.

Every writer (one module per document type) receives a `Draft` and returns its file texts; the
facts it records in `Draft.truth` are what extraction should yield from those texts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from fiscallens.synth.money import grade, wan
from fiscallens.synth.plan import TRAPS_BY_TYPE, Plan
from fiscallens.synth.reference import FUNCTION_SENTENCES

# Narrative punctuation and its full-width form (the fullwidth trap).
FULLWIDTH = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", "%": "％", ";": "；"})


@dataclass
class Truth:
    """The facts one report states, as extraction should yield them."""

    file: str
    records: list[dict[str, Any]] = field(default_factory=list)

    def fact(self, table: str, key: dict[str, Any], **values: Any) -> None:
        """One record per stated value; None means the document does not state it (no record)."""
        for name, value in values.items():
            if value is None:
                continue
            if isinstance(value, float):
                value = round(value, 4)
            self.records.append(
                {"record": "fact", "file": self.file, "table": table, "key": key, "field": name, "value": value}
            )


@dataclass
class Written:
    """What one report came to: its texts, its ground truth, its traps."""

    files: dict[str, str]  # file name → text
    truth: Truth
    traps: list[str]
    detail: str | None = None  # what the planted inconsistency changed


class Draft:
    """State shared by the templates while one report is written."""

    def __init__(self, plan: Plan, seed: int, trap_rates: dict[str, float]) -> None:
        self.plan = plan
        self.rng = random.Random(f"fiscallens-synth/{seed}/{plan.index}")  # noqa: S311 - reproducible test data
        self.truth = Truth(plan.file)
        self.traps = [t for t in TRAPS_BY_TYPE[plan.doc_type] if self.rng.random() < trap_rates.get(t, 0.0)]
        self.detail: str | None = None
        self.fw = "fullwidth" in self.traps

    def has(self, trap: str) -> bool:
        """Whether this report carries the trap."""
        return trap in self.traps

    def p(self, text: str) -> str:
        """Punctuation of a narrative line, full-width when the report has that trap."""
        if not self.fw:
            return text
        return text.translate(FULLWIDTH)

    def planted(self, kind: str) -> bool:
        """Whether this report carries the deliberate inconsistency of that kind."""
        return self.plan.inconsistency == kind

    def report_facts(self) -> None:
        """The identity the classifier should give the report."""
        plan, place = self.plan, self.plan.place
        self.truth.fact(
            "reports",
            {},
            doc_type=plan.doc_type,
            fiscal_year=plan.year,
            region_code=place.region.adcode,
            province=place.province.name,
            prefecture=place.prefecture.name,
            county=place.county.name if place.county else None,
            department=plan.department,
            project_name=plan.project.replace(" ", "") if plan.project else None,
        )

    def functions_text(self) -> list[str]:
        """Three to six sentences of the department's duties, in a random order."""
        sentences = list(FUNCTION_SENTENCES)
        self.rng.shuffle(sentences)
        return sentences[: self.rng.randint(3, 6)]


def evaluation_fact(
    truth: Truth,
    key: dict[str, Any],
    amounts: tuple[int, int, int],
    scores: tuple[int, int, int, int],
    **first: Any,
) -> None:
    """The ``evaluations`` fact of a department or project: `first` (fields printed before the money),
    amounts (年初预算, 全年预算, 全年执行), scores (rate as printed, weight in points, execution score,
    total score; rate and scores in hundredths)."""
    initial, full, actual = amounts
    rate, weight, exec_score, score = scores
    truth.fact(
        "evaluations",
        key,
        **first,
        budget_initial=wan(initial),
        budget_full_year=wan(full),
        actual=wan(actual),
        execution_rate_reported=wan(rate),
        execution_weight=float(weight),
        execution_score=wan(exec_score),
        total_score=wan(score),
        grade=grade(score),
    )
