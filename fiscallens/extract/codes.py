"""Classification codes (政府收支分类科目): levels, parents, and the repair of damaged codes.

Functional codes are 类 3 digits, 款 5, 项 7; economic codes 类 3, 款 5. The functional-classification
readers write `function_spending` rows keyed by code, with a 合计 row of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from fiscallens.extract.table import is_empty_cell

# The fact table of functional-classification rows, and the rows' vocabulary.
FUNCTION_SPENDING = "function_spending"
LEVELS = {3: "类", 5: "款", 7: "项"}
TOTAL_CODE = "total"
TOTAL_LEVEL = "合计"
TOTAL_NAME = "合计"
FIGURES = ("total", "basic", "project", "budget_initial")  # every row carries all of them, empty or not
# A cell of a damaged code area: digits, maybe with spaces inside ("301 2", "7 11 02").
CODE_AREA_CELL_RE = re.compile(r"\d+(?:\s+\d+)*")


def parent_of(code: str) -> str | None:
    return code[:-2] if len(code) > 3 else None


# ---------------------------------------------------------------------------------------------
# Damaged codes: repaired from the rows around them when that is certain, else kept as printed
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeRepair:
    """What the context made of a damaged code: the code when certain, else None; the parent when certain."""

    printed: str  # the code cells as printed, parts separated by spaces: "301 2", "7 11 02"
    code: str | None
    parent: str | None
    reason: str  # why, in words for the finding (Chinese)


def code_parts(area: Sequence[str], columns: int) -> tuple[str, ...] | None:
    """The printed parts of a code area, one per code column ('' where blank); None unless every cell is
    blank or digits. One cell with spaces inside ("7 11 02", a merged 类 | 款 | 项) is split into parts."""
    texts = ["" if is_empty_cell(c) else c.strip() for c in area]
    if not any(texts) or not all(t == "" or CODE_AREA_CELL_RE.fullmatch(t) for t in texts):
        return None
    filled = [t for t in texts if t]
    if len(filled) == 1 and " " in filled[0] and (len(texts) < columns or texts[0]):
        groups = filled[0].split()
        return tuple(groups) + ("",) * (columns - len(groups)) if len(groups) <= columns else None
    if len(texts) == columns:
        return tuple(t.replace(" ", "") for t in texts)
    if len(filled) == 1 and texts[0]:
        return (filled[0], *[""] * (columns - 1))  # one code cell of the wrong length
    return None


def repair_codes(
    sequence: Sequence[str | tuple[str, ...]], widths: tuple[int, ...], family: str
) -> dict[int, CodeRepair]:
    """Codes for the damaged entries of a table's code column, read in table order.

    `sequence` holds every code of the table as read (str) or, for a damaged one, its printed parts per
    code column (tuple). A classification table lists codes in order, each parent before its children,
    so a damaged code is certain when:
    - its digits only have a space inside ("2080 5" → 20805);
    - a blank or garbled 类/款 cell is followed by parts that continue the parent printed just above
      ("7 | 11 | 02" after 21011 → 2101102; " | 03 | " under 201 → 20103);
    - its own part lost a digit ("301 | 2") and exactly one width-true reading lies between the
      siblings printed before and after it (30101 < 30102 < 30108) and is not printed elsewhere.
    Anything else stays unresolved (code None): the caller keeps the row as printed, with a finding.
    Sums are never used to decide, so a repair cannot hide a parent whose children do not add up.
    """
    lengths = tuple(accumulate(widths))
    resolved: list[str | None] = [e if isinstance(e, str) else None for e in sequence]
    printed_codes = {e for e in sequence if isinstance(e, str)}
    current: list[str | None] = [None] * len(widths)  # the code at each level of the rows read so far
    out: dict[int, CodeRepair] = {}
    for index, entry in enumerate(sequence):
        if isinstance(entry, tuple):
            repair = _repair_code(entry, index, sequence, resolved, current, printed_codes, widths, family)
            out[index] = repair
            resolved[index] = repair.code
        code = resolved[index]
        if code and len(code) in lengths:
            depth = lengths.index(len(code))
            current[: depth + 1] = [code[:n] for n in lengths[: depth + 1]]
            current[depth + 1 :] = [None] * (len(widths) - depth - 1)
    return out


def _repair_code(
    parts: tuple[str, ...],
    index: int,
    sequence: Sequence[str | tuple[str, ...]],
    resolved: list[str | None],
    current: list[str | None],
    printed_codes: set[str],
    widths: tuple[int, ...],
    family: str,
) -> CodeRepair:
    printed = " ".join(p for p in parts if p)
    lengths = tuple(accumulate(widths))
    joined = "".join(parts)
    # One code with a space inside ("2080 5"): the 类 is printed whole, the rest only split apart.
    whole_class = len(parts[0]) >= widths[0] and joined.startswith(family)
    if whole_class and len(joined) in lengths and joined not in printed_codes:
        return CodeRepair(printed, joined, parent_of(joined) if len(joined) > widths[0] else None, "编码中间夹有空格")
    depth = max(i for i, p in enumerate(parts) if p)

    def valid(level: int) -> bool:
        part = parts[level]
        return len(part) == widths[level] and (level > 0 or part.startswith(family))

    prefix, filled = "", False
    for level in range(depth):
        if valid(level):
            prefix += parts[level]
            continue
        context = current[level]
        confirmed = any(valid(k) for k in range(level + 1, depth))  # a printed part below checks the context
        if context is None or not context.startswith(prefix):
            return CodeRepair(printed, None, None, "前文没有可以接续的上级科目")
        if parts[level] and not confirmed and not _is_subsequence(parts[level], context[len(prefix) :]):
            return CodeRepair(printed, None, None, f"“{parts[level]}”与前文的上级科目 {context} 不符")
        prefix = context
        filled = True
    if filled and current[depth - 1] != prefix:
        return CodeRepair(printed, None, None, f"上级科目 {prefix} 不是紧接在前的上级科目")
    parent = prefix or None
    reasons = [f"空白或缺损的上级编码按紧接在前的上级科目 {prefix} 补全"] if filled else []
    if valid(depth):
        return CodeRepair(printed, prefix + parts[depth], parent, "；".join(reasons))
    before = _sibling(resolved[:index][::-1], prefix, lengths[depth])
    after = _sibling([e if isinstance(e, str) else None for e in sequence[index + 1 :]], prefix, lengths[depth])
    taken = printed_codes | {c for c in resolved if c}
    fits = [
        prefix + c
        for c in _widened(parts[depth], widths[depth])
        if (depth > 0 or c.startswith(family))
        and prefix + c not in taken
        and (before is None or prefix + c > before)
        and (after is None or prefix + c < after)
    ]
    if len(fits) != 1:
        bounds = f"（前为 {before or '无'}，后为 {after or '无'}）"
        return CodeRepair(printed, None, parent, f"“{parts[depth]}”位数不对，按同级科目的排列顺序{bounds}无法唯一确定")
    piece = fits[0][len(prefix) :]
    lost = "前面的 0 缺失" if piece == parts[depth].zfill(widths[depth]) else "缺了一位"
    reasons.append(
        f"“{parts[depth]}”位数不对（{lost}），同级科目前为 {before or '无'}、后为 {after or '无'}，"
        f"按排列顺序只能是 {piece}"
    )
    return CodeRepair(printed, fits[0], parent, "；".join(reasons))


def _sibling(codes: Iterable[str | None], prefix: str, length: int) -> str | None:
    """The first code of `length` under `prefix` in `codes`, before the parent's block ends."""
    for code in codes:
        if code is None:
            continue
        if not code.startswith(prefix):
            return None
        if len(code) == length:
            return code
    return None


def _is_subsequence(part: str, whole: str) -> bool:
    chars = iter(whole)
    return all(ch in chars for ch in part)


def _widened(part: str, width: int) -> list[str]:
    """Every `width`-digit string that keeps the printed digits in order (a lost 0 or a lost digit)."""
    if len(part) >= width:
        return []
    return [c for c in (f"{n:0{width}d}" for n in range(10**width)) if _is_subsequence(part, c)]
