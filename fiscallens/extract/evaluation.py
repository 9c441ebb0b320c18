"""Writing evaluated units: their evaluation rows, their execution lines, and the money unit of their tables.

Every reader of self-evaluations writes through these: an evaluated unit (the department, a project, a
sub-project) is resolved to its one evaluation row (`evaluation_for`), its figures go into that row
(`put_evaluation`) and its fund lines into `execution_lines` (`put_line`). A table of bare figures
takes its money unit from reconciliation with the 万元 amounts the report states elsewhere
(`decide_unit`), since a printed header unit can be wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from fiscallens.extract.context import (
    SAME_FIGURE_TOLERANCE,
    ReportContext,
    Source,
    find_key,
    fmt,
    keys_of,
    normalize_name,
)
from fiscallens.extract.forms import Owner
from fiscallens.extract.table import DEFAULT_UNIT, clean_cell, lines_above
from fiscallens.model import Document
from fiscallens.normalize import compact_text, find_numbers, to_wan, unit_from_header

# --- units -------------------------------------------------------------------------------

# Lines above the header searched for a unit note ("资金（万元）", "单位：万元").
UNIT_LOOKBACK_LINES = 4
CANDIDATE_UNITS = ("万元", "元")
# No department or project of these reports is worth more than this (1000 亿元): a reading
# beyond it is the wrong unit.
MAX_PLAUSIBLE_WAN = 1e7
# A money figure stated in running text: a number followed by a money unit. A bare 万 counts
# only when no word follows (8.63 万个 is a count).
_MONEY_AFTER = re.compile(r"\s*(亿元|万元|千元|元|万(?![\u4e00-\u9fff]))")
MAX_EVIDENCE_SHOWN = 2


# ============================================================================================
# Evaluations and execution lines
# ============================================================================================


def evaluation_for(
    ctx: ReportContext,
    scope: str,
    name: str | None,
    exclude: frozenset[tuple[Any, ...]] | set[tuple[Any, ...]] = frozenset(),
) -> tuple[tuple[Any, ...], str, str | None]:
    """(key, evaluation_id, name) of an evaluated unit: an existing row when one names it, else new.

    The department is one per report; projects and sub-projects are matched by name (see
    `find_key`), keeping the first source's spelling as the canonical name.
    """
    if scope == "department":
        key: tuple[Any, ...] = ("department",)
        name = name or ctx.classification.department
    else:
        key = find_key(ctx, "evaluations", scope, name, exclude) or (scope, normalize_name(name))
    row = ctx.get("evaluations", key)
    if row is not None:
        return key, row["evaluation_id"], row.get("name")
    return key, ctx.evaluation_id(scope, name), name


def evaluation_row(ctx: ReportContext, owner: Owner, source: Source) -> dict[str, Any]:
    """The evaluation row of `owner`, created (with no figures yet) if no reader has recorded it."""
    key, evaluation_id, name = evaluation_for(ctx, owner.scope, owner.name)
    return ctx.get("evaluations", key) or ctx.put(
        "evaluations", key, source, {}, evaluation_id=evaluation_id, scope=owner.scope, name=name
    )


def put_evaluation(
    ctx: ReportContext,
    key: tuple[Any, ...],
    evaluation_id: str,
    scope: str,
    name: str | None,
    source: Source,
    figures: dict[str, float | None],
    **attributes: Any,
) -> None:
    ctx.put(
        "evaluations",
        key,
        source,
        figures,
        evaluation_id=evaluation_id,
        scope=scope,
        name=name,
        **attributes,
    )


def line_concept(line: str, label: str) -> str:
    """What a line means beyond its kind: 上年结转 (brought forward) differs from 结转结余 (left over)."""
    if line == "carryover":
        return "balance" if re.search(r"结余|年末|年底", label) else "brought_forward"
    return line


def put_line(
    ctx: ReportContext,
    evaluation_id: str,
    line: str,
    label: str,
    source: Source,
    figures: dict[str, float | None],
    second_source: bool = False,
) -> None:
    """Record one execution line, keyed by its printed label.

    A `second_source` (a sentence restating a table's line in other words: 项目资金预算实际下达数
    for the table's 项目支出) reuses the label of the one existing line of the same kind and
    meaning, so that its figures are compared with the table's instead of becoming a parallel row.
    """
    label = clean_label(label)
    same = [
        k
        for k in keys_of(ctx, "execution_lines")
        if k[0] == evaluation_id and k[1] == line and line_concept(line, k[2]) == line_concept(line, label)
    ]
    key = (evaluation_id, line, label)
    if second_source and key not in same and len(same) == 1:
        key = same[0]
    ctx.put("execution_lines", key, source, figures, evaluation_id=evaluation_id, line=line, label=key[2])


def clean_label(label: str) -> str:
    """A row label as printed, without the spaces and trailing colon that vary between copies."""
    return compact_text(label).rstrip(":：")


# ============================================================================================
# Units: decided by reconciliation with amounts stated elsewhere
# ============================================================================================


def stated_unit(doc: Document, header_line: int, beside: Iterable[str] = ()) -> str | None:
    """The unit a table states, nearest first: in its header line, in cells `beside` its rows (a label
    column "项目资金 (元)"), or in a note on the lines just above it ("资金（万元）", "单位：万元")."""
    notes = [doc.lines[header_line - 1], *beside]
    notes += [doc.lines[n - 1] for n in lines_above(header_line, UNIT_LOOKBACK_LINES)]
    return next((u for u in (unit_from_header(n) for n in notes) if u), None)


@lru_cache(maxsize=64)
def stated_amounts(doc: Document) -> tuple[tuple[float, int], ...]:
    """Every (amount in 万元, line) the document prints with an explicit money unit."""
    found = []
    for number, raw in enumerate(doc.lines, start=1):
        text = clean_cell(raw.replace("\t", " "))
        for _, end, value in find_numbers(text):
            unit = _MONEY_AFTER.match(text, end)
            if unit:
                found.append((to_wan(value, unit.group(1)), number))
    return tuple(found)


def decide_unit(
    ctx: ReportContext,
    doc: Document,
    stated: str | None,
    amounts: Iterable[float],
    lines: range,
    what: str,
    source: Source,
) -> str:
    """The unit of a table's bare figures, chosen by reconciliation, with a finding saying why.

    Each candidate unit (the stated one, 万元, 元) converts the figures to 万元; a candidate
    scores one point per figure equal to a 万元 amount the report states outside the table
    (`lines` of `doc`), and is ruled out when a figure becomes implausibly large. The best
    score wins; ties keep the stated unit. When the winner is not the stated unit the header
    contradicts the document: a `unit_contradiction` warning.
    """
    values = sorted({v for v in amounts if v})
    candidates = [stated] if stated else []
    candidates += [u for u in CANDIDATE_UNITS if u not in candidates]
    references = [
        (value, Source(other, line))
        for other in ctx.documents
        for value, line in stated_amounts(other)
        if not (other is doc and line in lines)
    ]
    scored = []
    for unit in candidates:
        converted = [(v, to_wan(v, unit)) for v in values]
        plausible = all(w <= MAX_PLAUSIBLE_WAN for _, w in converted)
        evidence = []
        for raw, wan in converted:
            match = next((src for ref, src in references if abs(ref - wan) <= SAME_FIGURE_TOLERANCE), None)
            if match:
                evidence.append((raw, wan, match))
        scored.append((plausible, len(evidence), unit == stated, unit, evidence))
    if not values:
        chosen = stated or DEFAULT_UNIT
        reason = f"表头写“{stated}”" if stated else f"表头未写单位，按常见的“{DEFAULT_UNIT}”"
        ctx.finding("unit_decision", "info", f"{what}：非零金额均无待定单位，{reason}。", source)
        return chosen
    plausible, score, _, chosen, evidence = max(scored, key=lambda s: s[:3])
    shown = "；".join(
        f"{fmt(raw)} 折合 {fmt(wan)} 万元，与{src.where}所写 {fmt(wan)} 万元相符"
        for raw, wan, src in evidence[:MAX_EVIDENCE_SHOWN]
    )
    others = "；".join(
        f"按“{unit}”读有 {n} 个相符" + ("" if ok else "且金额大得不合理")
        for ok, n, _, unit, _ in scored
        if unit != chosen
    )
    if score:
        why = f"按“{chosen}”读有 {score} 个金额与文中其他处相符（{shown}）；{others}"
    elif stated and chosen == stated:
        why = f"文中找不到可核对的金额，沿用表头单位；{others}"
    else:
        why = f"文中找不到可核对的金额，{others}，按“{chosen}”读"
    ctx.finding(
        "unit_decision",
        "info",
        f"{what}金额单位取“{chosen}”（表头{'写“' + stated + '”' if stated else '未写单位'}）：{why}。",
        source,
    )
    if stated and chosen != stated:
        stated_score = next(s for s in scored if s[3] == stated)
        against = f"按“{stated}”读{'金额大得不合理' if not stated_score[0] else f'只有 {stated_score[1]} 个相符'}"
        ctx.finding(
            "unit_contradiction",
            "warning",
            f"{what}表头单位为“{stated}”，与文中金额矛盾：按“{chosen}”读{'（' + shown + '）' if shown else ''}"
            f"，{against}；已按“{chosen}”换算入库，原文数字未改。",
            source,
        )
    return chosen
