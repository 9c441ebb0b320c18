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


def subject(region: object, name: object, year: object = None, *extra: str) -> str:
    """A body or project named in a sentence: “name”（region，year 年）.

    The region is never glued in front of the name: “湘西州” + “州智慧湘西建设专项” would read
    “湘西州州…”, and a name that already starts with its region (贵阳市大数据发展管理局) would repeat it.
    The region is dropped when the name already begins with it."""
    name_text = str(name).strip() if name is not None and not pd.isna(name) else "（未注明名称）"
    details = []
    if region is not None and not pd.isna(region) and str(region) and not name_text.startswith(str(region)):
        details.append(str(region))
    if year is not None and not pd.isna(year):
        details.append(f"{int(year)} 年")
    details.extend(extra)
    return f"“{name_text}”" + (f"（{'，'.join(details)}）" if details else "")


def _execution_sentence(execution: pd.DataFrame, reports_total: int | None, low_items: bool) -> str:
    """The report-level sentence: the biggest shortfall of a whole report (部门 or project as a whole)."""
    row = (
        execution.assign(gap=execution["全年预算（万元）"] - execution["执行数（万元）"])
        .sort_values("gap", ascending=False)
        .iloc[0]
    )
    if row["gap"] > 0:
        return (
            f"按报告合计，执行缺口最大的是{subject(row['地区'], row['评价对象'], row['年度'])}：全年预算 "
            f"{format_amount(row['全年预算（万元）'])}，执行 {format_amount(row['执行数（万元）'])}，"
            f"执行率 {format_rate(row['执行率（%）'])}，未执行 {format_amount(row['gap'])}。"
        )
    counted = f" {reports_total} 份" if reports_total else ""
    # A whole report at 100 % can still hold projects far below it: say which population is meant.
    caveat = "；这是报告整体的合计，报告所列项目中仍有执行率偏低的，见下文" if low_items else ""
    return f"按报告合计，所选{counted}同时列出全年预算与执行数的报告，执行数均不低于全年预算{caveat}。"


def _three_public_sentence(changes: pd.DataFrame) -> str:
    row = changes.iloc[0]
    change = row["增减（万元）"]
    direction = "增加" if change > 0 else ("减少" if change < 0 else "持平")
    derived = "（上年数由同比说明推算）" if bool(row["上年数为推算"]) else ""
    rate = row["增减率（%）"]
    rate_text = f"，{'增长' if change >= 0 else '下降'} {abs(rate):.2f}%" if pd.notna(rate) else ""
    return (
        f"各部门“三公”经费合计与上年相比，变化最大的是{subject(row['地区'], row['部门（单位）'])}："
        f"{int(row['年度'])} 年决算 {format_amount(row['决算数（万元）'])}，较上年{direction} "
        f"{format_amount(abs(change))}{rate_text}{derived}。"
    )


def _flagged(scores: pd.DataFrame) -> pd.DataFrame:
    ordered = scores.sort_values("自评得分", kind="stable")
    return ordered[
        [is_high_score_low_execution(s, r) for s, r in zip(ordered["自评得分"], ordered["执行率（%）"], strict=True)]
    ]


def summary_sentences(
    execution: pd.DataFrame,
    three_public_changes: pd.DataFrame,
    scores: pd.DataFrame,
    flagged: pd.DataFrame | None = None,
    flagged_total: int | None = None,
    reports_total: int | None = None,
) -> list[str]:
    """A few Chinese sentences on the selection: biggest shortfall, largest 三公 change, lowest score.

    `execution` is the result of queries/execution_by_report.sql, `three_public_changes` of
    three_public_changes.sql, `scores` of score_vs_execution.sql — whole, or only their first rows
    (each query puts the row a sentence needs first). The high-score, low-execution evaluations are
    taken from `scores` unless given: `flagged` (the first rows of high_score_low_execution.sql,
    lowest score first) and `flagged_total` (how many there are). `reports_total` is how many
    reports `execution` covers (its length when omitted and the frame is whole).

    Each sentence names the population it speaks of: whole reports (按报告合计) for execution,
    departments for 三公, evaluated objects (部门整体 and projects) for scores, so that "no report
    under-executed" and "a project at 0 %" can both be true and read so.
    """
    if scores.empty:
        flagged, total = scores, 0
    else:
        flagged = _flagged(scores) if flagged is None else flagged
        total = len(flagged) if flagged_total is None else flagged_total
    sentences = []
    if not execution.empty:
        sentences.append(_execution_sentence(execution, reports_total, bool(total and not flagged.empty)))
    if not three_public_changes.empty:
        sentences.append(_three_public_sentence(three_public_changes))
    if not scores.empty:
        row = scores.sort_values("自评得分").iloc[0]
        rate = row["执行率（%）"]
        rate_text = f"，执行率 {format_rate(rate)}" if pd.notna(rate) else ""
        lowest = subject(row["地区"], row["评价对象"], row["年度"])
        sentences.append(
            f"有自评得分的评价对象（部门整体或项目）中，得分最低的是{lowest}："
            f"{row['自评得分']:g} 分（{row['等级'] or '未评级'}）{rate_text}。"
        )
        if total and not flagged.empty:
            names = "、".join(
                subject(
                    r["地区"],
                    r["评价对象"],
                    r["年度"],
                    f"{r['自评得分']:g} 分",
                    f"执行率 {format_rate(r['执行率（%）'])}",
                )
                for _, r in flagged.head(3).iterrows()
            )
            sentences.append(
                f"评价对象（部门整体或项目）中，自评 ≥ {HIGH_SCORE:g} 分而执行率 < {LOW_EXECUTION:g}% 的"
                f"有 {total} 个：{names}。"
            )
    return sentences
