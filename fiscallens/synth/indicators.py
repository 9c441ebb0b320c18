"""Performance indicators of the evaluation forms (department and project self-evaluations).

Weights per 一级指标 add up to 50 / 30 / 10 (90 with the 10 points of the execution rate); scores
never exceed weights; a shortfall has its reason. The wordings are data (``data/indicators.json``).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fiscallens.synth.money import score_of, split, wan
from fiscallens.synth.reference import INDICATORS, REASONS
from fiscallens.synth.report import Draft

# Points of the execution rate in the self-evaluation forms (the indicators have the other 90).
EXECUTION_WEIGHT = 10
# (一级指标, its points, its 二级指标) in form order.
GROUPS: tuple[tuple[str, int, tuple[str, ...]], ...] = tuple(
    (g["level1"], g["weight"], tuple(g["level2"])) for g in INDICATORS["groups"]
)
GROUP_WEIGHTS: dict[str, int] = {level1: weight for level1, weight, _ in GROUPS}
# The 二级指标 with several indicators (2 to 4); the others have one.
QUANTITY = "数量"
# How unevenly a group's points are spread over its indicators (split's floor).
WEIGHT_SPREAD = 0.6
TAB_LABELS: dict[str, str] = INDICATORS["labels"]
QUANTITY_UNITS: tuple[str, ...] = tuple(INDICATORS["quantity_units"])
QUANTITY_TASKS: tuple[str, ...] = tuple(INDICATORS["quantity_tasks"])
NAMES: dict[str, str] = INDICATORS["names"]
FIXED: dict[str, dict[str, str]] = INDICATORS["fixed"]


@dataclass
class Indicator:
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: int  # points
    score: int  # hundredths of a point
    reason: str | None = None


@dataclass(frozen=True)
class _Style:
    ge: str  # ≥, or ≧ in a report with full-width punctuation
    sp: str  # the space between a figure and its unit, in the tab layout
    tabbed: bool


def indicators(r: Draft, topic: str, spent_wan: int, tabbed: bool) -> list[Indicator]:
    """Indicators of one form (the reasons of shortfalls are printed in the tab layout only)."""
    rng = r.rng
    ge = "≧" if r.fw and rng.random() < 0.5 else "≥"
    sp = " " if tabbed and rng.random() < 0.5 else ""
    style = _Style(ge, sp, tabbed)
    out: list[Indicator] = []
    for level1, group_weight, level2s in GROUPS:
        counts = {l2: (rng.randint(2, 4) if l2 == QUANTITY else 1) for l2 in level2s}
        weights = split(group_weight, sum(counts.values()), rng, WEIGHT_SPREAD)
        weights = [max(1, w) for w in weights]
        weights[0] += group_weight - sum(weights)
        k = 0
        for level2, count in counts.items():
            for j in range(count):
                out.append(_indicator(rng, (level1, level2), topic, j, weights[k], spent_wan, style))
                k += 1
    return out


# A measured indicator: (rng, topic, j, full score, spent 万元, style) → (name, target, actual, score).
_Measure = Callable[[random.Random, str, int, int, int, _Style], tuple[str, str, str, int]]


def _quantity(
    rng: random.Random, topic: str, j: int, full: int, spent_wan: int, s: _Style
) -> tuple[str, str, str, int]:
    unit = rng.choice(QUANTITY_UNITS)
    task = QUANTITY_TASKS[j % len(QUANTITY_TASKS)].format(topic=topic)
    target = rng.randint(3, 60)
    actual = target + rng.randint(0, 8) if rng.random() < 0.85 else max(1, target - rng.randint(1, target // 2 + 1))
    score = full if actual >= target else (full * actual) // target
    return (task + "数量" if j else task), f"{s.ge}{target}{s.sp}{unit}", f"{actual}{s.sp}{unit}", score


def _quality(rng: random.Random, topic: str, j: int, full: int, spent_wan: int, s: _Style) -> tuple[str, str, str, int]:
    achieved = rng.choice((100, 100, 100, rng.randint(90, 99)))
    return NAMES["质量"].format(topic=topic), "100%", f"{achieved}%", (full * achieved) // 100


def _cost(rng: random.Random, topic: str, j: int, full: int, spent_wan: int, s: _Style) -> tuple[str, str, str, int]:
    ceiling = max(1, spent_wan + rng.randint(0, max(1, spent_wan // 5)))
    return NAMES["成本"], f"≤{ceiling}{s.sp}万元", f"{spent_wan}{s.sp}万元", full


def _satisfaction(
    rng: random.Random, topic: str, j: int, full: int, spent_wan: int, s: _Style
) -> tuple[str, str, str, int]:
    target = rng.choice((85, 90, 95))
    achieved = rng.randint(target - 3, 100)
    score = full if achieved >= target else (full * achieved) // target
    return NAMES["服务对象满意度"], f"{s.ge}{target}%", f"{achieved}%", score


MEASURES: dict[str, _Measure] = {
    QUANTITY: _quantity,
    "质量": _quality,
    "成本": _cost,
    "服务对象满意度": _satisfaction,
}


def _indicator(
    rng: random.Random, levels: tuple[str, str], topic: str, j: int, weight: int, spent_wan: int, style: _Style
) -> Indicator:
    level1, level2 = levels
    full = weight * 100
    label = TAB_LABELS[level2] if style.tabbed else level2
    if level2 in FIXED:
        name, value = FIXED[level2]["name"].format(topic=topic), FIXED[level2]["value"]
        return Indicator(level1, label, name, value, value, weight, full)
    name, target, actual, score = MEASURES[level2](rng, topic, j, full, spent_wan, style)
    reason = rng.choice(REASONS) if score < full else None
    return Indicator(level1, label, name, target, actual, weight, score, reason)


def indicator_facts(r: Draft, owner: dict[str, Any], items: list[Indicator]) -> None:
    """The ground truth of a form's indicators."""
    for ind in items:
        r.truth.fact(
            "indicators",
            {**owner, "level3": ind.name},
            level1=ind.level1,
            level2=ind.level2,
            target_text=ind.target,
            actual_text=ind.actual,
            weight=float(ind.weight),
            score=wan(ind.score),
        )


def plant_weights(r: Draft, items: list[Indicator]) -> None:
    """weights_110: one indicator's weight printed 10 points higher (its score unchanged)."""
    if r.planted("weights_110"):
        victim = r.rng.choice(items)
        victim.weight += 10
        r.detail = f"指标“{victim.name}”分值印作 {victim.weight}，各指标分值（含执行率 10 分）合计 110"


@dataclass
class Scoresheet:
    """A self-evaluation form's scores: its indicators and the execution rate's score."""

    items: list[Indicator]
    exec_score: int  # hundredths of a point

    @property
    def total(self) -> int:
        """The form's 总分 in hundredths of a point."""
        return sum(i.score for i in self.items) + self.exec_score


def scoresheet(r: Draft, spent_wan: int, tabbed: bool, printed_rate: int) -> Scoresheet:
    """The form's indicators on one of the department's topics (weights_110 planted), scored with the
    execution rate as printed."""
    items = indicators(r, r.rng.choice(r.plan.topics), spent_wan, tabbed)
    plant_weights(r, items)
    return Scoresheet(items, score_of(EXECUTION_WEIGHT, printed_rate))
