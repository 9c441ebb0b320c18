from __future__ import annotations

import pandas as pd
import pytest

from fiscallens.insights import credibility_band, is_high_score_low_execution, summary_sentences


@pytest.mark.parametrize(
    ("rate", "band"),
    [
        (100.0, "±5% 以内"),
        (95.0, "±5% 以内"),
        (104.99, "±5% 以内"),
        (90.5, "±10% 以内"),
        (113.0, "±15% 以内"),
        (64.47, "偏离超过 15%"),
        (None, None),
        (float("nan"), None),
    ],
)
def test_credibility_bands(rate: float | None, band: str | None) -> None:
    assert credibility_band(rate) == band


def test_high_score_low_execution_corner() -> None:
    assert is_high_score_low_execution(96.5, 64.47)
    assert not is_high_score_low_execution(96.5, 98.0)
    assert not is_high_score_low_execution(85.0, 10.0)
    assert not is_high_score_low_execution(None, 10.0)


def test_summary_sentences_take_every_figure_from_the_frames() -> None:
    execution = pd.DataFrame(
        {
            "地区": ["湘西州", "贵阳市"],
            "评价对象": ["州智慧湘西建设专项", "某局"],
            "年度": [2022, 2023],
            "全年预算（万元）": [1800.0, 100.0],
            "执行数（万元）": [1160.49, 100.0],
            "执行率（%）": [64.47, 100.0],
        }
    )
    changes = pd.DataFrame(
        {
            "地区": ["贵阳市"],
            "部门（单位）": ["某局"],
            "年度": [2023],
            "决算数（万元）": [2.82],
            "增减（万元）": [0.29],
            "增减率（%）": [11.46],
            "上年数为推算": [True],
        }
    )
    scores = pd.DataFrame(
        {
            "地区": ["湘西州", "贵阳市"],
            "评价对象": ["州智慧湘西建设专项", "某局"],
            "年度": [2022, 2023],
            "自评得分": [96.5, 98.34],
            "等级": ["优", "优"],
            "执行率（%）": [64.47, 100.0],
        }
    )
    text = "\n".join(summary_sentences(execution, changes, scores))
    for figure in ["1,800.00 万元", "1,160.49 万元", "64.47%", "639.51 万元", "0.29 万元", "11.46%", "推算", "96.5 分"]:
        assert figure in text
    assert "自评 ≥ 90 分而执行率 < 80% 的有 1 个" in text


def test_summary_sentences_on_nothing() -> None:
    empty = pd.DataFrame()
    assert summary_sentences(empty, empty, empty) == []
