"""The synthetic generator's parts: its reference data files agree with one another, its numbers add up,
and one planned report is written the same way twice (fast: no corpus, no build)."""

from __future__ import annotations

import random

import pytest

from fiscallens.synth import corpus, indicators, money, plan, reference


def test_reference_lists_name_every_code_they_use() -> None:
    """Every 项 a department spends on has its 类 and 款 named; every economic code it pays is named."""
    items = [code for _, _, main in reference.DEPARTMENTS for code, _, _ in main]
    items += [code for code, *_ in reference.COMMON_BASIC] + [code for code, _ in reference.EXTRA_PROJECT]
    assert all(code[:3] in reference.CLASS_NAMES and code[:5] in reference.KUAN_NAMES for code in items)
    assert reference.CLASS_NAMES.keys() == reference.CLASS_ORDINALS.keys()
    paid = [econ for *_, econ in reference.COMMON_BASIC] + [*reference.WAGE_CODES, *reference.PUBLIC_CODES]
    assert all(code in reference.ECONOMIC_NAMES for code in paid)
    # The first 项 of a department carries its basic spending; the others are projects.
    assert all(
        main[0][2] == "basic" and all(k == "project" for _, _, k in main[1:]) for *_, main in reference.DEPARTMENTS
    )


def test_indicator_wordings_cover_every_kind() -> None:
    """Each 二级指标 is either a fixed phrase or a measured kind, and the groups leave 10 points to the rate."""
    kinds = [level2 for _, _, level2s in indicators.GROUPS for level2 in level2s]
    assert all((k in indicators.FIXED) != (k in indicators.MEASURES) for k in kinds)
    assert set(kinds) == set(indicators.TAB_LABELS)
    assert sum(indicators.GROUP_WEIGHTS.values()) + indicators.EXECUTION_WEIGHT == 100


@pytest.mark.parametrize("seed", range(20))
def test_split_adds_up_and_grades_follow_the_bands(seed: int) -> None:
    rng = random.Random(seed)
    total = money.loguniform(rng, 1, 5000)
    parts = money.split(total, rng.randint(1, 9), rng)
    assert sum(parts) == total and all(p >= 0 for p in parts)
    assert [money.grade(s) for s in (10000, 9000, 8999, 8000, 6000, 5999)] == ["优", "优", "良", "良", "中", "差"]
    assert money.money(123456, "spaced") == "1, 234. 56" and money.pct(9878) == "98.78"


def test_one_report_is_written_alike_twice() -> None:
    plans = plan.plan_corpus(8, seed=5, mix=dict.fromkeys(plan.DOC_TYPES, 0.25), inconsistent=0.5)
    for p in plans:
        first, second = corpus.write_report(p, seed=5), corpus.write_report(p, seed=5)
        assert first.files == second.files and first.truth.records == second.truth.records
        assert first.files and all(text.strip() for text in first.files.values())
