"""Indicator tables of self-evaluation forms → `indicators`, and their 总分 rows → total scores.

Header: 一级指标 / 二级指标 / 三级指标 / 年度指标值 / 实际完成值 / 分值 / 得分 / 原因. Two layouts:
- tab-separated rows, where leading cells are often empty (merged cells) or missing; a row is
  read from its right end: the last two plain numbers are 分值 and 得分, the cells before them
  are 实际完成值, 年度指标值, 三级指标 and then the level labels, the cells after are the reason;
- flattened rows (no tabs), where level labels stand on their own lines (even one character a
  line: 产/出/指/标), long names and qualitative values wrap over several lines, and blank lines
  separate cells; a row ends on a line that ends with two plain numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fiscallens.extract.context import ReportContext, Source, normalize_name
from fiscallens.extract.evaluation import evaluation_row
from fiscallens.extract.forms import owner_of
from fiscallens.extract.table import clean_cell, find_lines, is_empty_cell
from fiscallens.model import Document
from fiscallens.normalize import parse_number, parse_target, squash

HEADER = re.compile(r"一级指标.*(?:二级指标|三级指标)")
TOTAL_ROW = re.compile(r"^总分")
# A table ends at its 总分 row, or at the first line of what follows a form.
TABLE_END = re.compile(r"^(?:总分|[一二三四五六七八九十]+、|注[:：]|自评结论|绩效结论|单位负责人|联系人)")
MAX_TABLE_LINES = 260
LEVEL1_KEYWORDS = (("产出", "产出指标"), ("效益", "效益指标"), ("满意", "满意度指标"))
LEVEL2_KEYWORDS = (
    "数量",
    "质量",
    "时效",
    "成本",
    "经济效益",
    "社会效益",
    "生态效益",
    "可持续影响",
    "服务对象满意度",
    "满意度",
)
# An unknown level label is kept only when it reads as Chinese (OCR noise such as "Пе́ј" is not).
CJK_LABEL = re.compile(r"[\u4e00-\u9fff]{3,12}")
WEIGHT_NOTE = re.compile(r"^\(?\d+\s*分\)?$")
PLACEHOLDER_CELLS = frozenset({"_", "—", "-", "·", "I", "|"})
# "6 7" in a weight cell: two indicators were printed in one row.
MERGED_FIGURES = re.compile(r"\d+(?:\.\d+)?\s+\d+(?:\.\d+)?")
# Level-2 labels imply their level-1 group (the national template's structure).
LEVEL1_OF_LEVEL2 = (
    (("数量", "质量", "时效", "成本"), "产出指标"),
    (("经济效益", "社会效益", "生态效益", "可持续影响"), "效益指标"),
    (("满意度", "服务对象"), "满意度指标"),
)


@dataclass
class _Row:
    line: int
    level1: str | None
    level2: str | None
    level3: str | None
    target: str | None
    actual: str | None
    weight: float
    score: float
    reason: str | None = None


@dataclass
class _Table:
    header: int
    end: int
    rows: list[_Row] = field(default_factory=list)
    total: tuple[int, float | None, float | None] | None = None  # (line, weights, score)
    merged_rows: list[int] = field(default_factory=list)  # lines holding two indicators in one row
    anomalies: int = 0  # damage seen while reading; the cleaner of two prints is trusted first


def plain_number(cell: str) -> float | None:
    """A weight or score cell: a bare number, no unit, no percent."""
    cell = cell.strip()
    if "%" in cell or not re.fullmatch(r"[\d\s.,]+", cell):
        return None
    return parse_number(cell)


def read_indicator_tables(ctx: ReportContext, doc: Document) -> None:
    # A form printed twice yields two tables for one unit: read the cleaner print first, so
    # its names and labels are kept and the damaged print only fills gaps.
    for table in sorted(find_tables(doc), key=lambda t: (t.anomalies, t.header)):
        for line in table.merged_rows:
            ctx.finding(
                "indicator_row_merged",
                "info",
                "此行把两个指标挤在同一行（分值、得分各有两个数），无法可靠拆分，未从此行取数；"
                "若同一表格在文中另有打印，以另一处为准。",
                Source(doc, line),
            )
        owner = owner_of(ctx, doc, table.header)
        evaluation = evaluation_row(ctx, owner, Source(doc, table.header))
        evaluation_id = evaluation["evaluation_id"]
        for row in table.rows:
            _put_indicator(ctx, doc, evaluation_id, row)
        if table.total:
            line, _, score = table.total
            if score is not None:
                ctx.put(
                    "evaluations",
                    ctx.key_of("evaluations", evaluation),
                    Source(doc, line),
                    {"total_score": score},
                )


def _put_indicator(ctx: ReportContext, doc: Document, evaluation_id: str, row: _Row) -> None:
    target = parse_target(row.target) if row.target else None
    actual = parse_target(row.actual) if row.actual else None
    unit = (target.unit if target and target.unit else None) or (actual.unit if actual else None)
    if unit == "↑":
        unit = "个"
    ctx.put(
        "indicators",
        (evaluation_id, normalize_name(row.level3) or f"line{row.line}"),
        Source(doc, row.line),
        {"weight": row.weight, "score": row.score},
        evaluation_id=evaluation_id,
        level1=row.level1,
        level2=row.level2,
        level3=row.level3,
        target_text=row.target,
        actual_text=row.actual,
        target_value=target.value if target else None,
        actual_value=actual.value if actual else None,
        unit=unit,
        direction=target.direction if target else None,
        shortfall_reason=row.reason,
    )


def find_tables(doc: Document) -> list[_Table]:
    tables = []
    for header in find_lines(doc, HEADER):
        end = _table_end(doc, header)
        uses_tabs = "\t" in doc.lines[header - 1]
        table = _Table(header, end)
        (_read_tab_rows if uses_tabs else _read_flat_rows)(doc, table)
        _settle_levels(table)
        tables.append(table)
    return tables


def _settle_levels(table: _Table) -> None:
    """Merged label cells are printed mid-span, so the first rows may precede their label:
    they take the next label seen. A level-2 label also fixes its level-1 group."""
    for attr in ("level1", "level2"):
        following = None
        for row in reversed(table.rows):
            value = getattr(row, attr)
            if value is None:
                if following is not None:
                    setattr(row, attr, following)
                    table.anomalies += 1
            else:
                following = value
    for row in table.rows:
        for keywords, group in LEVEL1_OF_LEVEL2:
            if row.level2 and row.level2.startswith(keywords) and row.level1 != group:
                row.level1 = group


def _table_end(doc: Document, header: int) -> int:
    lines = doc.lines
    last = min(len(lines), header + MAX_TABLE_LINES)
    for number in range(header + 1, last + 1):
        compact = squash(clean_cell(lines[number - 1]))
        if TOTAL_ROW.match(compact):
            return number
        if HEADER.search(compact) or (TABLE_END.match(compact) and number > header + 1):
            return number - 1
    return last


def _level1(text: str) -> str | None:
    compact = re.sub(r"[\s()（）\d分]+", "", text)
    if not compact.endswith(("指标", "指", "标")) and len(compact) > 6:
        return None
    for keyword, canonical in LEVEL1_KEYWORDS:
        if keyword in compact and "指" in compact:
            return canonical
    return None


def _level2(text: str) -> str | None:
    compact = squash(text)
    for keyword in LEVEL2_KEYWORDS:
        if compact.startswith(keyword) and len(compact) <= len(keyword) + 2:
            return compact
    return None


# --- tab-separated tables ---------------------------------------------------------


def _read_tab_rows(doc: Document, table: _Table) -> None:
    level1 = level2 = None
    fragment = ""
    for number in range(table.header + 1, table.end + 1):
        raw = doc.lines[number - 1]
        cells = [clean_cell(c) for c in raw.split("\t")]
        compact = squash("".join(cells))
        if not compact:
            continue
        if TOTAL_ROW.match(compact):
            numbers = [n for n in (plain_number(c) for c in cells) if n is not None]
            weights = numbers[0] if len(numbers) >= 2 else None
            table.total = (number, weights, numbers[-1] if numbers else None)
            continue
        pair = _last_number_pair(cells)
        if pair is None:
            if any(MERGED_FIGURES.fullmatch(c) for c in cells):
                table.merged_rows.append(number)
                table.anomalies += 1
                continue
            texts = [c for c in cells if c and c not in PLACEHOLDER_CELLS and not is_empty_cell(c)]
            for text in texts:
                level1 = _level1(text) or level1
                level2 = _level2(text) or level2
            names = [t for t in texts if not _level1(t) and not _level2(t) and not WEIGHT_NOTE.match(t)]
            if not names:
                continue
            table.anomalies += 1
            piece = squash(names[-1])
            if any(c in PLACEHOLDER_CELLS for c in cells) or not table.rows or table.rows[-1].line < number - 3:
                # The first line of a row whose figures were pushed to the next line.
                fragment = piece
            else:
                # A name wrapped onto its own line: the end of the previous row's 三级指标.
                previous = table.rows[-1]
                previous.level3 = (previous.level3 or "") + piece
            continue
        j = pair
        before = cells[: j - 1]
        actual = before[-1] if before else None
        target = before[-2] if len(before) >= 2 else None
        name = before[-3] if len(before) >= 3 else None
        for label in before[:-3]:
            if label and not is_empty_cell(label):
                level1 = _level1(label) or level1
                level2 = _level2(label) or level2
                if not _level1(label) and not _level2(label) and CJK_LABEL.fullmatch(squash(label)):
                    level2 = squash(label)  # a label outside the template, kept as printed
        reason = "".join(c for c in cells[j + 1 :] if c and c not in PLACEHOLDER_CELLS) or None
        table.rows.append(
            _Row(
                number,
                level1,
                level2,
                (fragment + squash(name or "")) or None,
                actual=_clean_value(actual),
                target=_clean_value(target),
                weight=plain_number(cells[j - 1]) or 0.0,
                score=plain_number(cells[j]) or 0.0,
                reason=reason,
            )
        )
        fragment = ""


def _last_number_pair(cells: list[str]) -> int | None:
    """Index of the 得分 cell: the right cell of the last pair of adjacent plain numbers."""
    for j in range(len(cells) - 1, 0, -1):
        if plain_number(cells[j]) is not None and plain_number(cells[j - 1]) is not None:
            return j
    return None


def _clean_value(text: str | None) -> str | None:
    if text is None or is_empty_cell(text):
        return None
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text.strip())


# --- flattened tables --------------------------------------------------------------


def _read_flat_rows(doc: Document, table: _Table) -> None:
    level1 = level2 = None
    blocks: list[list[str]] = []  # blank-line-separated groups of lines since the last row
    current: list[str] = []
    for number in range(table.header + 1, table.end + 1):
        text = clean_cell(doc.lines[number - 1])
        if not text:
            if current:
                blocks.append(current)
                current = []
            continue
        compact = squash(text)
        if TOTAL_ROW.match(compact):
            numbers = [n for n in (plain_number(t) for t in text.split()) if n is not None]
            table.total = (number, numbers[0] if len(numbers) >= 2 else None, numbers[-1] if numbers else None)
            continue
        tokens = text.split()
        if len(tokens) >= 2 and plain_number(tokens[-1]) is not None and plain_number(tokens[-2]) is not None:
            if current:
                blocks.append(current)
                current = []
            labels, cells = _split_labels(blocks, tokens[:-2])
            for label in labels:
                level1 = _level1(label) or level1
                level2 = _level2(label) or level2
            if len(cells) >= 3:
                name, target, actual = "".join(cells[:-2]) or None, cells[-2], cells[-1]
            elif len(cells) == 2:
                name, target = _name_and_target(cells[0])
                actual = cells[1]
            else:
                name, target, actual = (cells[0] if cells else None), None, None
            table.rows.append(
                _Row(
                    number,
                    level1,
                    level2,
                    name,
                    target=_clean_value(target),
                    actual=_clean_value(actual),
                    weight=plain_number(tokens[-2]) or 0.0,
                    score=plain_number(tokens[-1]) or 0.0,
                )
            )
            blocks = []
            continue
        current.append(text)


def _split_labels(blocks: list[list[str]], row_tokens: list[str]) -> tuple[list[str], list[str]]:
    """Separate level labels from the row's cells: (labels, [name…, target, actual])."""
    labels: list[str] = []
    cells: list[str] = []
    for block in blocks:
        joined = "".join(block)
        if all(len(line) <= 2 for line in block) or WEIGHT_NOTE.match(joined) or _level2(joined):
            labels.append(joined)
        else:
            cells.append(joined)
    tokens = list(row_tokens)
    while tokens and (_level2(tokens[0]) or _level1(tokens[0])):
        labels.append(tokens.pop(0))
    if len(tokens) >= 2:
        # The line holds target and actual; any earlier tokens and blocks form the name.
        return labels, ["".join(cells) + "".join(tokens[:-2]), tokens[-2], tokens[-1]]
    return labels, cells + tokens


def _name_and_target(text: str) -> tuple[str | None, str]:
    """One block holding both the indicator's name and its (qualitative) target.

    Forms print them side by side, so extraction leaves either a space between them
    ("推广应用。 推广应用") or, when the target restates the name, the same text twice.
    """
    if " " in text:
        name, target = text.rsplit(" ", 1)
        return name.strip(), target.strip()
    half = len(text) // 2
    if len(text) % 2 == 0 and text[:half] == text[half:]:
        return text[:half], text[half:]
    return None, text
