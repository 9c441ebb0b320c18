"""Numbers of the generator: money as integer hundredths of 万元 ("cents"), so every sum is exact;
amounts drawn at random, split into parts that add up; figures, rates and scores as printed."""

from __future__ import annotations

import math
import random

# Grades by total score (hundredths of a point), best first.
GRADE_BANDS = ((9000, "优"), (8000, "良"), (6000, "中"))
LOWEST_GRADE = "差"


def wan(cents: int) -> float:
    """Integer hundredths of 万元 → 万元."""
    return round(cents / 100, 2)


def money(cents: int, style: str = "plain") -> str:
    """A 万元 figure as printed: plain 1234.50, comma 1,234.50, spaced 1, 234. 50 (PDF damage),
    nocomma-spaced 1234. 50, trim 1234.5 (narratives drop trailing zeros)."""
    whole, frac = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    if style == "trim":
        text = f"{whole}" if frac == 0 else f"{whole}.{frac:02d}".rstrip("0")
    elif style == "comma":
        text = f"{whole:,}.{frac:02d}"
    elif style == "spaced":
        text = f"{whole:,}".replace(",", ", ") + f". {frac:02d}"
    elif style == "spaced_nocomma":
        text = f"{whole}. {frac:02d}"
    else:
        text = f"{whole}.{frac:02d}"
    return sign + text


def yuan(cents: int) -> str:
    """A 万元 figure printed in 元 (hundredths of 万元 × 100 = 元)."""
    return f"{cents * 100}"


def rate_hp(actual: int, budget: int) -> int:
    """actual ÷ budget in hundredths of a percent, rounded half up (9878 = 98.78%)."""
    if budget <= 0:
        return 0
    return (actual * 20000 + budget) // (2 * budget)


def pct(hp: int) -> str:
    """Hundredths of a percent as printed, trailing zeros dropped: 10000 → 100, 9878 → 98.78."""
    return money(hp, "trim")


def score_of(weight: int, rate: int) -> int:
    """分值 × 执行率 in hundredths of a point: weight (points) × rate (hundredths of %) / 100."""
    return (weight * min(rate, 10000) * 2 + 100) // 200


def loguniform(rng: random.Random, low: float, high: float) -> int:
    """An amount in hundredths of 万元 between low and high 万元, spread evenly on a log scale."""
    return int(math.exp(rng.uniform(math.log(low), math.log(high))) * 100)


def split(total: int, k: int, rng: random.Random, floor: float = 0.3) -> list[int]:
    """k non-negative integers summing exactly to total."""
    if k <= 0:
        return []
    weights = [rng.uniform(floor, 1.0) for _ in range(k)]
    scale = sum(weights)
    parts = [int(total * w / scale) for w in weights]
    parts[0] += total - sum(parts)
    return parts


def grade(score_hundredths: int) -> str:
    """The grade of a total score in hundredths of a point (优 from 90, 良 from 80, 中 from 60)."""
    return next((word for floor, word in GRADE_BANDS if score_hundredths >= floor), LOWEST_GRADE)
