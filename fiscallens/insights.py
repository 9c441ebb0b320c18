"""Judgements the dashboards show: credibility bands and the auto-written summary sentences.

Every figure in a sentence comes from the frame passed in (the result of a named query),
so a sentence can be traced to the same rows as the chart beside it.
"""

from __future__ import annotations

import math

import pandas as pd

from fiscallens.presentation import format_amount, format_rate

# PEFA PI-1/PI-2 style bands on |execution rate − 100%|, as in the World Bank BOOST dashboards.
CREDIBILITY_BANDS: tuple[tuple[float, str], ...] = (
    (5.0, "±5% 以内"),
    (10.0, "±10% 以内"),
    (15.0, "±15% 以内"),
    (math.inf, "偏离超过 15%"),
)
BAND_COLORS = ("#2e7d32", "#9ccc65", "#ffca28", "#ef5350")
# "High score, low execution": the corner of the score/execution scatter worth a second look.
HIGH_SCORE = 90.0
LOW_EXECUTION = 80.0


def credibility_band(rate: float | None) -> str | None:
    """The band an execution rate (in percent) falls in; None when unknown."""
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return None
    deviation = abs(rate - 100.0)
    return next(label for limit, label in CREDIBILITY_BANDS if deviation <= limit)


def is_high_score_low_execution(score: float | None, rate: float | None) -> bool:
    if score is None or rate is None or pd.isna(score) or pd.isna(rate):
        return False
    return score >= HIGH_SCORE and rate < LOW_EXECUTION


def summary_sentences(
    execution: pd.DataFrame,
    three_public_changes: pd.DataFrame,
    scores: pd.DataFrame,
    flagged: pd.DataFrame | None = None,
    flagged_total: int | None = None,
) -> list[str]:
    """A few Chinese sentences on the selection: biggest shortfall, largest 三公 change, lowest score.

    `execution` is the result of queries/execution_by_report.sql, `three_public_changes` of
    three_public_changes.sql, `scores` of score_vs_execution.sql — whole, or only their first rows
    (each query puts the row a sentence needs first). The high-score, low-execution evaluations are
    taken from `scores` unless given: `flagged` (the first rows of high_score_low_execution.sql,
    lowest score first) and `flagged_total` (how many there are).
    """
    sentences = []
    if not execution.empty:
        row = (
            execution.assign(gap=execution["全年预算（万元）"] - execution["执行数（万元）"])
            .sort_values("gap", ascending=False)
            .iloc[0]
        )
        if row["gap"] > 0:
            sentences.append(
                f"执行缺口最大的是{row['地区']}{row['评价对象']}（{int(row['年度'])} 年）：全年预算 "
                f"{format_amount(row['全年预算（万元）'])}，执行 {format_amount(row['执行数（万元）'])}，"
                f"执行率 {format_rate(row['执行率（%）'])}，未执行 {format_amount(row['gap'])}。"
            )
        else:
            sentences.append("所选报告的执行数均不低于全年预算。")
    if not three_public_changes.empty:
        row = three_public_changes.iloc[0]
        change = row["增减（万元）"]
        direction = "增加" if change > 0 else ("减少" if change < 0 else "持平")
        derived = "（上年数由同比说明推算）" if bool(row["上年数为推算"]) else ""
        rate = row["增减率（%）"]
        rate_text = f"，{'增长' if change >= 0 else '下降'} {abs(rate):.2f}%" if pd.notna(rate) else ""
        sentences.append(
            f"“三公”经费变化最大的是{row['地区']}{row['部门（单位）']}：{int(row['年度'])} 年决算 "
            f"{format_amount(row['决算数（万元）'])}，较上年{direction} {format_amount(abs(change))}"
            f"{rate_text}{derived}。"
        )
    if not scores.empty:
        row = scores.sort_values("自评得分").iloc[0]
        rate = row["执行率（%）"]
        rate_text = f"，执行率 {format_rate(rate)}" if pd.notna(rate) else ""
        sentences.append(
            f"自评得分最低的是{row['地区']}{row['评价对象']}（{int(row['年度'])} 年）：{row['自评得分']:g} 分"
            f"（{row['等级'] or '未评级'}）{rate_text}。"
        )
        if flagged is None:
            ordered = scores.sort_values("自评得分", kind="stable")
            flagged = ordered[
                [
                    is_high_score_low_execution(s, r)
                    for s, r in zip(ordered["自评得分"], ordered["执行率（%）"], strict=True)
                ]
            ]
        total = len(flagged) if flagged_total is None else flagged_total
        if total and not flagged.empty:
            names = "、".join(
                f"{r['评价对象']}（{r['自评得分']:g} 分，执行率 {format_rate(r['执行率（%）'])}）"
                for _, r in flagged.head(3).iterrows()
            )
            sentences.append(f"自评 ≥ {HIGH_SCORE:g} 分而执行率 < {LOW_EXECUTION:g}% 的有 {total} 个：{names}。")
    return sentences
