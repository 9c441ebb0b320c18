"""Functional-classification tables of final accounts (部门决算) and the narrative that explains them.

A 部门决算 prints spending by functional classification (支出功能分类: 类 3 digits, 款 5, 项 7) in
up to three tables: 收入决算表 (income per code), 支出决算表 (all funds: total, basic, project) and
一般公共预算财政拨款支出决算表 (general-budget appropriations: total, basic, project). Normally they
print the same figures, and PDF extraction damages each one differently: rows prefixed by text of
neighbouring rows, a code glued to its name, blank cells. So every table is read, the tables are
ranked by how trustworthy they look, and rows go through `ReportContext.put` in that order: the
first table sets a figure, later ones fill gaps, and a disagreement becomes a warning naming both
lines. Tables whose 合计 differ cover different money (e.g. all funds vs appropriations only) and
are not merged.

The narrative adds what the tables lack: the initial budget of each 项 ("X(类)Y(款)Z(项)。年初预算为
A万元,支出决算为B万元") and of the whole ("一般公共预算财政拨款支出年初预算为…"), and the 类 totals
once more ("一般公共服务支出(类)208.32万元,占0.94%"), read as a second source so disagreements show.

A 部门预算 prints the same tables as budgets (部门收入预算总表, 部门支出预算总表, 一般公共预算支出功能分类
预算表, often in 元): their rows are basis 'budget', and its narrative names each 项 by its path
(“一般公共服务支出-政府办公厅(室)及相关机构事务-行政运行”科目1,202.95万元), read as a second source.
Tables read from PDFs print their header over several rows of one grid; the figure columns are then
found by their labels in any of those rows.

This module also holds the small text helpers the other final-accounts readers share (table ranges,
table units, the prose stream with its line map, sentence amounts).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import accumulate

from fiscallens.extract.context import (
    FLOAT_SLACK,
    SAME_FIGURE_TOLERANCE,
    ReportContext,
    Source,
    fmt,
    half_unit,
    normalize_name,
    same_figure,
)
from fiscallens.extract.table import Row, cell_number, clean_cell, document_rows, find_lines, is_empty_cell
from fiscallens.model import Document
from fiscallens.normalize import compact_text, parse_amount, squash, to_wan, unit_from_header

# ---------------------------------------------------------------------------------------------
# Shared helpers: table ranges, units, prose, amounts in sentences
# ---------------------------------------------------------------------------------------------

DEFAULT_UNIT = "万元"
# A table runs from its title to the next note / title / part heading, but never further than this.
MAX_TABLE_LINES = 250
# Title lines are short; a longer line mentioning a table name is a sentence about it.
TITLE_MAX_CHARS = 40
# List markers in front of titles and headings: "- 二、", "3.", "(三)".
LIST_MARKER_RE = re.compile(r"^[-·•*]*(?:[一二三四五六七八九十]+、|\d+[.、]|\(?[一二三四五六七八九十\d]+\))?")
# What ends a table: its note, the next table's title, the next part of the report.
TABLE_END_RE = re.compile(r"^注[:：]|^第[一二三四五六七八九十]+部分|(?:决算|预算)(?:总|明细)?表$")
_BULLET_RE = re.compile(r"^\s*[-•·]\s+")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")

# An amount in whitespace-free prose: "2.82万元", "1,268万元", "20000000元", and "万133.58元" where
# extraction moved 万 in front of the number. A bare 万/亿 counts only when no word follows (not 万人).
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
AMOUNT = rf"(?:万{_NUM}元|{_NUM}(?:万元|亿元|元|万(?![\u4e00-\u9fff])|亿(?![\u4e00-\u9fff])))"
AMOUNT_RE = re.compile(AMOUNT)
_CODE_GROUP_START_RE = re.compile(r"\d{3}(?:\d{2}){0,2}\s")
# Documents whose derived indexes (prose stream, title lines) stay cached: the files of a report or two.
PROSE_CACHE_SIZE = 16


@dataclass(frozen=True)
class TableRange:
    """A table: its title as printed (markers and spaces removed), the title line and its last line."""

    title: str
    first: int
    last: int


def title_text(line: str) -> str:
    """A line as a title: normalized, spaces and list markers removed."""
    return LIST_MARKER_RE.sub("", compact_text(line), count=1)


def table_ranges(doc: Document, title: re.Pattern[str]) -> list[TableRange]:
    """Every table whose title line fully matches `title`, with the lines it spans."""
    ends = _table_ends(doc)
    ranges = []
    for number, text in _title_candidates(doc):
        if not title.fullmatch(text):
            continue
        following = [n for n in ends if n > number]
        last = following[0] - 1 if following else len(doc.lines)
        ranges.append(TableRange(text, number, min(last, number + MAX_TABLE_LINES)))
    return ranges


@functools.lru_cache(maxsize=PROSE_CACHE_SIZE)
def _table_ends(doc: Document) -> tuple[int, ...]:
    return tuple(find_lines(doc, TABLE_END_RE))


@functools.lru_cache(maxsize=PROSE_CACHE_SIZE)
def _title_candidates(doc: Document) -> tuple[tuple[int, str], ...]:
    """Lines that could be a table title, as title text; every table reader of a report asks, so built once."""
    candidates = []
    for number, raw in enumerate(doc.lines, start=1):
        cells = [c for c in raw.split("\t") if c.strip()]
        if len(cells) != 1:
            continue  # a title stands alone on its line (a spreadsheet export may pad it with empty cells)
        text = title_text(cells[0])
        if text and len(text) <= TITLE_MAX_CHARS:
            candidates.append((number, text))
    return tuple(candidates)


def table_unit(ctx: ReportContext, doc: Document, table: TableRange, header_end: int) -> str:
    """The money unit stated between a table's title and its first data row; 万元 (noted) when none is."""
    header = " ".join(doc.lines[table.first - 1 : max(table.first, header_end)])
    unit = unit_from_header(header)
    if unit is None:
        ctx.finding(
            "unit_assumed",
            "info",
            f"{table.title}（第 {table.first} 行起）未注明金额单位，按万元读取。",
            Source(doc, table.first),
        )
        return DEFAULT_UNIT
    return unit


def is_name_cell(cell: str) -> bool:
    """A cell holding a name: Chinese text, not a number, not a "code name …" group."""
    return (
        not is_empty_cell(cell)
        and cell_number(cell) is None
        and bool(_CJK_RE.search(cell))
        and not _CODE_GROUP_START_RE.match(cell)
    )


def line_list(lines: Iterable[int]) -> str:
    """Line numbers with consecutive runs collapsed: 165、168–182."""
    numbers = sorted(set(lines))
    parts: list[str] = []
    start = prev = None
    for n in [*numbers, None]:
        if start is not None and (n is None or n != prev + 1):
            parts.append(str(start) if start == prev else f"{start}–{prev}")
            start = None
        if n is not None and start is None:
            start = n
        prev = n
    return "、".join(parts)


@dataclass(frozen=True)
class Prose:
    """A document's text for sentence readers: normalized, whitespace-free, with each character's line.

    Lines join into one stream (sentences are broken over lines and blank lines by extraction);
    each cell of a tab-separated line is a segment of its own, fenced by newlines, so a sentence
    never runs into a table.
    """

    text: str
    # Run-length line map: the characters from offsets[i] on come from line numbers[i].
    offsets: tuple[int, ...]
    numbers: tuple[int, ...]

    def line_at(self, index: int) -> int:
        if not self.text:
            return 1
        index = min(max(index, 0), len(self.text) - 1)
        return self.numbers[bisect_right(self.offsets, index) - 1]

    def sentences(self) -> Iterable[tuple[int, str]]:
        """(offset, sentence) pieces between 。！？ and segment fences."""
        for match in re.finditer(r"[^。！？!?\n]+", self.text):
            yield match.start(), match.group()


@functools.lru_cache(maxsize=1 << 14)  # table cells repeat across a report's tables and across reports
def _prose_cell(cell: str) -> str:
    return squash(clean_cell(_BULLET_RE.sub("", cell))).replace("**", "")


@functools.lru_cache(maxsize=PROSE_CACHE_SIZE)
def prose_of(doc: Document) -> Prose:
    """The prose stream of a document; every sentence reader of a report asks for it, so it is built once."""
    pieces: list[str] = []
    offsets: list[int] = []
    numbers: list[int] = []
    length = 0
    for number, raw in enumerate(doc.lines, start=1):
        if not raw.strip():
            continue
        cells = raw.split("\t")
        for cell in cells:
            text = _prose_cell(cell)
            if text:
                if len(cells) > 1:
                    text += "\n"
                pieces.append(text)
                offsets.append(length)
                numbers.append(number)
                length += len(text)
    return Prose("".join(pieces), tuple(offsets), tuple(numbers))


def sentence_amount(token: str) -> tuple[float, bool] | None:
    """An AMOUNT token in 万元, and whether its 万 was displaced ("万133.58元")."""
    amount = parse_amount(token)
    if amount is None:
        return None
    return amount.to_wan(), token.startswith("万") and not token.startswith("万元")


_PRINTED_NUMBER_RE = re.compile(r"\d+(?:,\d{3})*(?:\.(?P<fraction>\d+))?")
# Decimals a figure in 元 or 亿元 gains or loses when it is read in 万元.
UNIT_DECIMAL_SHIFT = {"元": 4, "亿": -4}


def printed_decimals(token: str) -> int:
    """How many decimals an AMOUNT token carries in 万元: "12,789万元" 0, "43.83万元" 2, "20000000元" 4,
    "1.5亿元" −3. Two figures are compared at the precision of the less precise one."""
    number = _PRINTED_NUMBER_RE.search(token)
    decimals = len(number.group("fraction") or "") if number else 0
    unit = token[number.end() :] if number else ""
    if unit.startswith("元") or (token.startswith("万") and not token.startswith("万元")):
        return decimals + (0 if token.startswith("万") else UNIT_DECIMAL_SHIFT["元"])
    if unit.startswith("亿"):
        return decimals + UNIT_DECIMAL_SHIFT["亿"]
    return decimals


def prose_amount(
    ctx: ReportContext, doc: Document, prose: Prose, match: re.Match[str], group: str = "amount"
) -> tuple[float, int] | None:
    """A sentence match's AMOUNT group in 万元 and its line; a displaced 万 is noted as a finding."""
    token = match.group(group)
    amount = sentence_amount(token)
    if amount is None:
        return None
    line = prose.line_at(match.start(group))
    if amount[1]:
        note_displaced_wan(ctx, doc, token, amount[0], line)
    return amount[0], line


def note_displaced_wan(ctx: ReportContext, doc: Document, token: str, value: float, line: int) -> None:
    ctx.finding(
        "amount_displaced_wan",
        "info",
        f"“{token}”中的“万”字错位（应为“{token[1:-1]}万元”），按 {fmt(value)} 万元读取。",
        Source(doc, line),
    )


# ---------------------------------------------------------------------------------------------
# Functional-classification tables
# ---------------------------------------------------------------------------------------------

TABLE = "function_spending"
LEVELS = {3: "类", 5: "款", 7: "项"}
TOTAL_CODE = "total"
TOTAL_LEVEL = "合计"
TOTAL_NAME = "合计"
TOTAL_LABELS = frozenset({"合计", "总计"})
# The row numbering the columns ("栏次 1 2 3 …") carries numbers that are not amounts.
COLUMN_NUMBER_LABELS = frozenset({"栏次", "行次", "序号"})
FIGURES = ("total", "basic", "project", "budget_initial")  # every row carries all of them, empty or not

# Titles of functional-classification tables (after list markers and spaces are removed):
# 收入决算表, 支出决算表, 一般公共预算财政拨款支出决算表, and budget twins (部门收入预算总表, 部门支出预算总表,
# 一般公共预算支出功能分类预算表, 一般公共预算支出表).
FUNCTION_TITLE_RE = re.compile(r"[^,，。:：;；]{0,30}?(?P<side>收入|支出)(?:功能分类)?(?P<kind>决算|预算)?总?表")
# Tables with other rows or other money: income-and-spending summaries (收入支出决算总表, 财务收支预算总表,
# 财政拨款收支预算总表 list 类 names without codes), economic detail, 三公, funds other than the general budget.
FUNCTION_TITLE_EXCLUDED = ("收支", "收入支出", "明细", "三公", "基本支出", "经济分类", "政府性基金", "国有资本")
# A code cell: 类 201, 款 20132, 项 2013202. Split code columns (201 | 06 | 01) are joined.
CODE_RE = re.compile(r"\d{3}(?:\d{2}){0,2}")
SPLIT_CODE_PART_RE = re.compile(r"\d{2}")
# A cell where extraction glued code and name (and maybe a fragment of the next cell) together.
MERGED_CODE_NAME_RE = re.compile(r"(?P<code>\d{3}(?:\d{2}){0,2})\s+(?P<name>[^\d\s][^\d]*?)(?:\s+[\d,.\s]+)?")
# One "code name" group; a cell with several of them is text run in from neighbouring rows.
CODE_GROUP_RE = re.compile(r"(?<![\d.,])\d{3}(?:\d{2}){0,2}\s+[^\d\s]")
# A cell of a damaged code area: digits, maybe with spaces inside ("301 2", "7 11 02").
CODE_AREA_CELL_RE = re.compile(r"\d+(?:\s+\d+)*")
# Widths of the 类 | 款 | 项 parts of a functional code, and the digit every expenditure 类 starts with
# (政府收支分类科目: 2xx functional, 3xx economic); a damaged part is only widened to codes of the family.
FUNCTION_PART_WIDTHS = (3, 2, 2)
FUNCTION_FAMILY = "2"
HEADER_LABEL_RE = re.compile(r"科目(?:代码|编码|名称)|功能分类")
# Headings of the split code columns.
CODE_HEADINGS = frozenset(LEVELS.values())
# Figure columns by header label; offsets are counted from the name column.
FIGURE_HEADERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("total", re.compile(r"(?:本年)?(?:支出|收入)?(?:合计|小计|总计)(?:数)?")),
    ("basic", re.compile(r"基本支出")),
    ("project", re.compile(r"项目支出")),
)
COLUMN_LABELS = {"total": "合计", "basic": "基本支出", "project": "项目支出"}
# The standard column order, used when a header cannot be read.
DEFAULT_LAYOUTS = {
    "spending": {1: "total", 2: "basic", 3: "project"},
    "income": {1: "total"},
}


@dataclass
class _CodeRow:
    line: int
    code: str
    name: str
    figures: dict[str, float | None]
    damaged: bool = False
    # A code printed damaged: its parts per code column as printed, and what the context made of them.
    parts: tuple[str, ...] | None = None
    repair: CodeRepair | None = None

    @property
    def unresolved(self) -> bool:
        return self.parts is not None and (self.repair is None or self.repair.code is None)


@dataclass
class _FunctionTable:
    range: TableRange
    basis: str
    side: str  # 'spending' | 'income'
    layout: dict[int, str]
    layout_from_header: bool
    first_data_line: int
    rows: list[_CodeRow] = field(default_factory=list)
    damaged: list[int] = field(default_factory=list)
    unread: list[int] = field(default_factory=list)
    uncertain: list[int] = field(default_factory=list)
    codeless: list[int] = field(default_factory=list)  # a name and figures, but no code printed at all
    unit: str = DEFAULT_UNIT

    @property
    def has_split(self) -> bool:
        return any(f in ("basic", "project") for f in self.layout.values())

    @property
    def total_row(self) -> _CodeRow | None:
        return next((r for r in self.rows if r.code == TOTAL_CODE), None)

    def rank(self) -> tuple[int, float, int, int]:
        """Most trusted first: has the basic/project split, fewest damaged rows, appropriations table."""
        share = len(self.damaged) / max(1, len(self.rows))
        return (0 if self.has_split else 1, share, 0 if "财政拨款" in self.range.title else 1, self.range.first)


def read_function_tables(ctx: ReportContext, doc: Document) -> None:
    """Functional-classification rows of every table in `doc`, then the narrative's budgets and 类 totals."""
    tables = [t for t in (_parse_table(ctx, doc, r) for r in _function_ranges(doc)) if t is not None]
    _put_tables(ctx, doc, tables)
    prose = prose_of(doc)
    noted: set[tuple[str, str]] = set()  # (printed name, code) pairs already explained by a finding
    check_stated_changes(ctx, doc, prose)
    check_restated_amounts(ctx, doc, prose)
    if report_basis(ctx) == "budget":
        _read_budget_items(ctx, doc, prose, noted)
        _read_class_shares(ctx, doc, prose, noted, "budget")
        return
    _read_summary(ctx, doc, prose)
    _read_items(ctx, doc, prose, noted)
    _read_class_shares(ctx, doc, prose, noted, NARRATIVE_BASIS)


def report_basis(ctx: ReportContext) -> str:
    """What a report's figures are: a budget document's are budgets, every other report's actuals."""
    return "budget" if ctx.classification.doc_type == "budget" else "actual"


def _function_ranges(doc: Document) -> list[tuple[TableRange, str, str]]:
    out = []
    for table in table_ranges(doc, FUNCTION_TITLE_RE):
        if any(word in table.title for word in FUNCTION_TITLE_EXCLUDED):
            continue
        match = FUNCTION_TITLE_RE.fullmatch(table.title)
        if match is None:
            continue
        kind = match.group("kind")
        if kind is None and not table.title.startswith("一般公共预算"):
            continue  # "…支出表" without 决算/预算 is only a budget table when it says whose budget
        basis = "actual" if kind == "决算" else "budget"
        out.append((table, basis, "income" if match.group("side") == "收入" else "spending"))
    return out


def _parse_table(ctx: ReportContext, doc: Document, spec: tuple[TableRange, str, str]) -> _FunctionTable | None:
    rng, basis, side = spec
    rows = document_rows(doc, rng.first + 1, rng.last)
    header = next((r for r in rows if any(HEADER_LABEL_RE.search(squash(c)) for c in r.cells)), None)
    layout = _header_layout(header, side) if header else {}
    if not layout:
        # A header over several rows (PDF tables: 项目 / 支出功能分类 | 科目名称 / 科目编码 / 类 | 款 | 项,
        # with the figure columns' labels on the first row): read the rows above the first data row as one.
        layout = _stacked_layout(_header_rows(rows), side)
    table = _FunctionTable(rng, basis, side, layout or DEFAULT_LAYOUTS[side], bool(layout), rng.last)
    # Every code in table order (empty rows too: they bound the order), or the parts of a damaged one.
    sequence: list[str | tuple[str, ...]] = []
    pending: dict[int, _CodeRow] = {}
    for row in rows:
        if header is not None and row.line <= header.line:
            continue
        tabbed = "\t" in doc.lines[row.line - 1]
        parsed = (
            _code_row(row, table.layout, tabbed)
            or _total_row(row, table.layout, tabbed)
            or _damaged_code_row(row, table.layout, tabbed)
        )
        if parsed is None:
            if CODE_GROUP_RE.search(row.text):
                table.unread.append(row.line)
            elif _codeless_row(row, table.layout, tabbed):
                table.codeless.append(row.line)
            continue
        code_row, damaged, certain = parsed
        if code_row.parts is not None:
            pending[len(sequence)] = code_row
            sequence.append(code_row.parts)
        elif code_row.code != TOTAL_CODE:
            sequence.append(code_row.code)
        if all(v is None for v in code_row.figures.values()):
            continue  # a code printed with empty cells states nothing
        table.rows.append(code_row)
        table.first_data_line = min(table.first_data_line, row.line)
        if damaged:
            code_row.damaged = True
            table.damaged.append(row.line)
        if not certain:
            table.uncertain.append(row.line)
    for index, repair in repair_codes(sequence, FUNCTION_PART_WIDTHS, FUNCTION_FAMILY).items():
        pending[index].repair = repair
        pending[index].code = repair.code or ""
    if not table.rows:
        return None
    header_end = header.line if header else table.first_data_line - 1
    table.unit = table_unit(ctx, doc, rng, header_end)
    _note_table(ctx, doc, table)
    return table


def _header_layout(header: Row, side: str) -> dict[int, str]:
    """Figure columns by offset from the name column, read from a header row such as
    科目代码 | 科目名称 | 小计 | 基本支出 | 项目支出."""
    cells = [squash(c) for c in header.cells]
    name_col = next((i for i, c in enumerate(cells) if "名称" in c), None)
    if name_col is None:
        code_col = next(i for i, c in enumerate(cells) if HEADER_LABEL_RE.search(c))
        name_col = code_col + 1  # the name label is often lost or printed on the line above
    wanted = ("total",) if side == "income" else ("total", "basic", "project")
    layout: dict[int, str] = {}
    for index in range(name_col + 1, len(cells)):
        for figure, pattern in FIGURE_HEADERS:
            if figure in wanted and figure not in layout.values() and pattern.fullmatch(cells[index]):
                layout[index - name_col] = figure
    return layout if "total" in layout.values() else {}


def _header_rows(rows: list[Row]) -> list[Row]:
    """The tab-separated rows above a table's first data row (a code or a 合计 row)."""
    out = []
    for row in rows:
        squashed = [squash(c) for c in row.cells]
        total_at = next((i for i, c in enumerate(squashed) if c in TOTAL_LABELS), None)
        if any(CODE_RE.fullmatch(c) for c in squashed) or (
            total_at is not None and any(cell_number(c) is not None for c in squashed[total_at + 1 :])
        ):
            break  # a code row, or a 合计 row with figures (a 合计 without figures is a column label)
        if len(row.cells) > 1:
            out.append(row)
    return out


def _stacked_layout(rows: list[Row], side: str) -> dict[int, str]:
    """Figure columns of a header printed over several rows of one cell grid: the name column is the
    one labelled …名称 on any row, and each later column takes the first figure label found in it."""
    grid = [[squash(c) for c in row.cells] for row in rows]
    name_col = next((i for cells in grid for i, c in enumerate(cells) if "名称" in c), None)
    if name_col is None:
        return {}
    wanted = ("total",) if side == "income" else ("total", "basic", "project")
    layout: dict[int, str] = {}
    width = max(len(cells) for cells in grid)
    for index in range(name_col + 1, width):
        for cells in grid:
            cell = cells[index] if index < len(cells) else ""
            figure = next(
                (f for f, pattern in FIGURE_HEADERS if f in wanted and pattern.fullmatch(cell)),
                None,
            )
            if figure and figure not in layout.values():
                layout[index - name_col] = figure
                break
    return layout if "total" in layout.values() else {}


def _code_row(row: Row, layout: dict[int, str], tabbed: bool) -> tuple[_CodeRow, bool, bool] | None:
    """A row with a functional code: the code cell followed by a name cell, wherever it starts.

    Cells before the code are text run in from neighbouring rows (or a stray fragment of a code):
    they are skipped and the row counts as damaged. Figures are read by their offset from the name.
    """
    cells = row.cells
    for start, cell in enumerate(cells):
        if not CODE_RE.fullmatch(cell):
            continue
        code, name_col = cell, start + 1
        if len(code) == 3:
            # 201 | 06 | 01: a code split into 类/款/项 columns (blank where the row is a 类 or 款).
            while name_col < len(cells) and name_col - start < 3:
                part = cells[name_col]
                if SPLIT_CODE_PART_RE.fullmatch(part):
                    code += part
                elif not is_empty_cell(part):
                    break
                name_col += 1
            if not is_name_cell(cells[name_col] if name_col < len(cells) else ""):
                code, name_col = cell, start + 1
        if name_col < len(cells) and is_name_cell(cells[name_col]) and len(code) in LEVELS:
            figures, certain = _figures(cells, name_col, layout, tabbed)
            damaged = any(not is_empty_cell(c) for c in cells[:start])
            return _CodeRow(row.line, code, squash(cells[name_col]), figures), damaged, certain
    for start, cell in enumerate(cells):
        match = MERGED_CODE_NAME_RE.fullmatch(cell)
        if match and len(CODE_GROUP_RE.findall(cell)) == 1:
            # The glued cell stands in the code column; the (vacated) name column follows it.
            figures, certain = _figures(cells, start + 1, layout, tabbed)
            return _CodeRow(row.line, match.group("code"), squash(match.group("name")), figures), True, certain
    return None


def _damaged_code_row(row: Row, layout: dict[int, str], tabbed: bool) -> tuple[_CodeRow, bool, bool] | None:
    """A row whose code cells hold digits that do not read as a code ("301 2", "7 | 11 | 02", a blank 类
    cell under its parent): the printed parts are kept for `repair_codes`, which decides from the rows
    around it. Only a clean row qualifies: nothing but blanks before the code cells, a name after them."""
    cells = row.cells
    name_col = next((i for i, c in enumerate(cells) if is_name_cell(c)), None)
    if not name_col:
        return None
    start = max(0, name_col - len(FUNCTION_PART_WIDTHS))
    if any(not is_empty_cell(c) for c in cells[:start]):
        return None
    parts = code_parts(cells[start:name_col], len(FUNCTION_PART_WIDTHS))
    if parts is None:
        return None
    figures, certain = _figures(cells, name_col, layout, tabbed)
    return _CodeRow(row.line, "", squash(cells[name_col]), figures, parts=parts), False, certain


def _codeless_row(row: Row, layout: dict[int, str], tabbed: bool) -> bool:
    """A row with a name and a figure in the figure columns but blank code cells: not read (nothing
    says which code it is), but said in a finding rather than dropped silently."""
    cells = row.cells
    name_col = next((i for i, c in enumerate(cells) if is_name_cell(c)), None)
    if not tabbed or not name_col or any(not is_empty_cell(c) for c in cells[:name_col]):
        return False
    if squash(cells[name_col]) in TOTAL_LABELS | CODE_HEADINGS | COLUMN_NUMBER_LABELS:
        return False
    figures, _ = _figures(cells, name_col, layout, tabbed)
    return any(v is not None for v in figures.values())


def _total_row(row: Row, layout: dict[int, str], tabbed: bool) -> tuple[_CodeRow, bool, bool] | None:
    """The 合计 row. Its label sits in the code or the name column, so the first filled cell after it
    is taken as the first figure column."""
    cells = row.cells
    label = next((i for i, c in enumerate(cells) if squash(c) in TOTAL_LABELS), None)
    if label is None:
        return None
    first = next((i for i in range(label + 1, len(cells)) if not is_empty_cell(cells[i])), None)
    if first is None or cell_number(cells[first]) is None:
        return None
    figures, certain = _figures(cells, first - min(layout), layout, tabbed)
    # The 类 | 款 | 项 headings of the code columns may share the 合计 row (one grid row in a PDF).
    damaged = any(not is_empty_cell(c) and squash(c) not in CODE_HEADINGS for c in cells[:label])
    return _CodeRow(row.line, TOTAL_CODE, TOTAL_NAME, figures), damaged, certain


def _figures(
    cells: tuple[str, ...], name_col: int, layout: dict[int, str], tabbed: bool
) -> tuple[dict[str, float | None], bool]:
    """Figures by column offset. A flattened (space-separated) row loses its blank cells, so beyond
    the first column its figures are placed only when every column is present."""
    if tabbed:
        return {
            f: (cell_number(cells[name_col + o]) if name_col + o < len(cells) else None) for o, f in layout.items()
        }, True
    values = [cell_number(c) for c in cells[name_col + 1 :]]
    if len(values) >= max(layout):
        return {f: values[o - 1] for o, f in layout.items()}, True
    first = layout.get(min(layout))
    figures: dict[str, float | None] = dict.fromkeys(layout.values())
    if values and first:
        figures[first] = values[0]
    return figures, len(values) <= 1


def _note_table(ctx: ReportContext, doc: Document, table: _FunctionTable) -> None:
    title, where = table.range.title, Source(doc, table.range.first)
    if not table.layout_from_header:
        columns = "、".join(COLUMN_LABELS[f] for f in table.layout.values())
        ctx.finding(
            "table_header_unreadable",
            "info",
            f"{title}（第 {table.range.first} 行起）表头无法识别，按标准列序（科目代码、科目名称、{columns}）读取。",
            where,
        )
    # Rows read with a repair, or not read: one `info` finding per kind, naming the lines.
    for rule, lines, message in (
        (
            "table_rows_damaged",
            table.damaged,
            f"有 {len(table.damaged)} 行（第 {line_list(table.damaged)} 行）开头混有相邻行的残留文字，"
            "或科目编码与名称粘连；已略去残留，按“科目编码—科目名称—金额”的列位置读取，并与其他表相互核对。",
        ),
        (
            "table_lines_unread",
            table.unread,
            f"第 {line_list(table.unread)} 行只有残留文字，找不到“科目编码—科目名称—金额”的单元格，未读取。",
        ),
        (
            "table_lines_codeless",
            table.codeless,
            f"第 {line_list(table.codeless)} 行有科目名称和金额，但科目编码栏空白，无法确定所属科目，未读取。",
        ),
    ):
        if lines:
            ctx.finding(rule, "info", title + message, Source(doc, lines[0]))
    if table.uncertain:
        ctx.finding(
            "table_columns_uncertain",
            "info",
            f"{title}第 {line_list(table.uncertain)} 行的单元格以空格分隔、空白单元格已丢失，"
            "只读取第一列（合计），其余列无法确定位置，未读取。",
            Source(doc, table.uncertain[0]),
        )


def _put_tables(ctx: ReportContext, doc: Document, tables: list[_FunctionTable]) -> None:
    _repair_across_tables(tables)
    names = _best_names(tables)
    # basis → the most trusted table with a 合计, and that 合计 in 万元: it defines the money covered.
    reference: dict[str, tuple[_FunctionTable, float]] = {}
    for table in sorted(tables, key=_FunctionTable.rank):
        total = table.total_row
        mine = total.figures.get("total") if total else None
        if total is not None and mine is not None:
            mine = to_wan(mine, table.unit)
            if table.basis not in reference:
                reference[table.basis] = (table, mine)
            ref, theirs = reference[table.basis]
            if not same_figure(mine, theirs):
                if table.side != ref.side:
                    # Income ≠ spending is normal (other income, carry-overs): say both, merge neither.
                    why = f"收入与支出之差 {fmt(round(mine - theirs, 2))} 万元，收入表的科目数字不并入支出数字"
                else:
                    why = "两表口径不同（资金范围不一致），未合并"
                ctx.finding(
                    "table_scope_differs",
                    "info",
                    f"{table.range.title}的合计 {fmt(mine)} 万元（第 {total.line} 行）与{ref.range.title}的合计 "
                    f"{fmt(theirs)} 万元不同，{why}；以{ref.range.title}为准。",
                    Source(doc, total.line),
                )
                continue
        for row in table.rows:
            _put_row(ctx, doc, table, row, names.get(row.code, row.name))
        _note_codes(ctx, doc, table)


def _repair_across_tables(tables: list[_FunctionTable]) -> None:
    """An unresolved code whose row another table prints with a readable code: same name, same level,
    and every part printed readably in the same place (the tables of one report list the same codes)."""
    readable = [(t, r) for t in tables for r in t.rows if not r.unresolved and r.code != TOTAL_CODE]
    lengths = tuple(accumulate(FUNCTION_PART_WIDTHS))
    for table in tables:
        for row in table.rows:
            if not row.unresolved or row.parts is None or row.repair is None:
                continue
            depth = max(i for i, p in enumerate(row.parts) if p)
            found = {
                (r.code, t.range.title, r.line)
                for t, r in readable
                if t is not table
                and normalize_name(r.name) == normalize_name(row.name)
                and len(r.code) == lengths[depth]
                and r.code.startswith(row.repair.parent or "")
                and _parts_agree(r.code, row.parts)
            }
            if len({code for code, _, _ in found}) == 1:
                code, title, line = min(found)
                reason = f"{title}第 {line} 行以可读的编码列出同名科目“{row.name}”"
                row.repair = CodeRepair(row.repair.printed, code, parent_of(code), reason)
                row.code = code


def _parts_agree(code: str, parts: tuple[str, ...]) -> bool:
    """Every part printed at its full width stands at its place in `code`."""
    offset = 0
    for part, width in zip(parts, FUNCTION_PART_WIDTHS, strict=False):
        if len(part) == width and code[offset : offset + width] != part:
            return False
        offset += width
    return True


def _note_codes(ctx: ReportContext, doc: Document, table: _FunctionTable) -> None:
    """One finding per damaged code: what it was read as and why, or that it was kept as printed."""
    for row in table.rows:
        if row.repair is None:
            continue
        source = Source(doc, row.line)
        repair = row.repair
        if repair.code is not None:
            ctx.finding(
                "table_code_repaired",
                "info",
                f"{table.range.title}（{source.where}）的科目编码印作“{repair.printed}”，读作 {repair.code}"
                f"“{row.name}”：{repair.reason}。",
                source,
            )
            continue
        figures = "，".join(
            f"{COLUMN_LABELS.get(f, f)} {fmt(v)} {table.unit}" for f, v in row.figures.items() if v is not None
        )
        parent = f"，归入上级科目 {repair.parent}" if repair.parent else "，上级科目不明"
        ctx.finding(
            "table_code_unreadable",
            "info",
            f"{table.range.title}（{source.where}）的科目编码印作“{repair.printed}”，{repair.reason}，编码无法确定；"
            f"该行“{row.name}”（{figures}）按原样保留，编码记为“{repair.printed}”{parent}。",
            source,
        )


def _best_names(tables: list[_FunctionTable]) -> dict[str, str]:
    """Per code, the fullest printed name: the most frequent, lengthened when another printing extends it
    (tables truncate long names: 机关事业单位基本养老保险 / …缴费支出)."""
    seen: dict[str, Counter[str]] = {}
    for table in tables:
        for row in table.rows:
            if not row.unresolved:
                seen.setdefault(row.code, Counter())[row.name] += 1
    best = {}
    for code, counter in seen.items():
        ranked = sorted(counter, key=lambda n: (-counter[n], -len(n)))
        name = ranked[0]
        for other in ranked[1:]:
            if other.startswith(name) and len(other) > len(name):
                name = other
        best[code] = name
    return best


def _put_row(ctx: ReportContext, doc: Document, table: _FunctionTable, row: _CodeRow, name: str) -> None:
    figures: dict[str, float | None] = dict.fromkeys(FIGURES)
    figures.update({f: (to_wan(v, table.unit) if v is not None else None) for f, v in row.figures.items()})
    key: tuple[str, ...] = (table.basis, row.code)
    if row.code == TOTAL_CODE:
        attributes = {"code": TOTAL_CODE, "level": TOTAL_LEVEL, "name": TOTAL_NAME, "parent_code": None}
    elif row.unresolved and row.repair is not None:
        # Kept as printed: the parent (when certain) places it in its parent's sum; no level without one.
        parent = row.repair.parent
        level = LEVELS.get(len(parent) + 2) if parent else None
        attributes = {"code": row.repair.printed, "level": level, "name": name, "parent_code": parent}
        key = (table.basis, row.repair.printed, parent or "", normalize_name(name))
    else:
        attributes = {
            "code": row.code,
            "level": LEVELS[len(row.code)],
            "name": name,
            "parent_code": parent_of(row.code),
        }
    ctx.put(
        TABLE,
        key,
        Source(doc, row.line),
        figures,
        basis=table.basis,
        source_table=table.range.title,
        **attributes,
    )


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


# ---------------------------------------------------------------------------------------------
# Narrative: 一般公共预算财政拨款支出决算具体情况 / 结构情况
# ---------------------------------------------------------------------------------------------

NARRATIVE_BASIS = "actual"
# A classification name inside a sentence: no punctuation, no line fence.
_NAME = r"[^\n()。:;,、%]{1,40}?"
# "。年初预算为A万元,支出决算为B万元,完成年初预算的C%"; tolerates 初预算 (年 lost) and 万A元. Some
# documents add the adjusted budget ("全年预算为F万元") and say which budget the rate is of.
_BUDGET_ACTUAL = (
    rf"[。.:]?年?初预算数?为(?P<budget>{AMOUNT}),?"
    rf"(?:(?:全年|调整后)预算数?为(?P<full>{AMOUNT}),?)?"
    rf"(?:支出)?决算数?为(?P<actual>{AMOUNT})"
    r"(?:,?完成(?P<base>年初|全年|调整后)?预算数?的(?P<rate>\d+(?:\.\d+)?)%)?"
)
# What follows the figures may say how they compare: "。决算数小于预算数的主要原因…".
DIRECTION_CLAIM_RE = re.compile(
    r"[。.,;]?[^。\n]{0,24}?决算数?(?P<word>大于|高于|超过|小于|低于|等于)(?P<base>年初|全年|调整后)?预算数?"
)
CLAIM_SIGNS = {"大于": 1, "高于": 1, "超过": 1, "小于": -1, "低于": -1, "等于": 0}
# What an item is spent on may stand between the item and its figures: "(项)。主要用于:…基本支出。年初预算为…".
_PURPOSE = r"(?:[。.]?主要用于[:：]?[^。\n]{0,80}。)?"
ITEM_RE = re.compile(
    rf"(?P<lei>{_NAME})\(类\)(?:(?P<kuan>{_NAME})\(款\))?(?:(?P<xiang>{_NAME})\(项\))?{_PURPOSE}{_BUDGET_ACTUAL}"
)
SUMMARY_RE = re.compile(rf"一般公共预算财政拨款支出{_BUDGET_ACTUAL}")
# "一般公共服务支出(类)208.32万元", "科学技术(类)支出14419.03万元".
CLASS_SHARE_RE = re.compile(rf"(?P<name>{_NAME})\(类\)(?P<suffix>支出)?(?P<amount>{AMOUNT})")
# “一般公共服务支出-政府办公厅(室)及相关机构事务-行政运行”科目1,202.95万元 (budget narrative).
# The path may also be marked by level, and 科目 left out: “一般公共服务支出(类)统计信息事务(款)统计管理(项)”2.63万元.
BUDGET_ITEM_RE = re.compile(rf"[“\"](?P<path>[^”\"\n]{{2,90}})[”\"](?P<subject>科目)?(?P<amount>{AMOUNT})")
LEVEL_MARK_RE = re.compile(r"\((类|款|项)\)")
_NUMBERING_RE = re.compile(r"^(?:\d+[.、]|[一二三四五六七八九十]+、|\([一二三四五六七八九十\d]+\))+")

# Names in sentences are truncated or misprinted (资源勘探信息等支出 for 资源勘探工业信息等支出).
NAME_MATCH_MIN = 0.8
TRUNCATION_SCORE = 0.95
MIN_TRUNCATED_NAME = 2
# A printed figure or rate stands for every value within half a unit of its last printed digit
# (`_Printed`): a rate, a change or a "大于/小于" claim is wrong only when no such values give it.


def _read_summary(ctx: ReportContext, doc: Document, prose: Prose) -> None:
    for match in SUMMARY_RE.finditer(prose.text):
        values = _budget_actual(ctx, doc, prose, match)
        if values is None:
            continue
        budget, actual, source = values
        _check_figures(ctx, source, "一般公共预算财政拨款支出", match, prose.text)
        ctx.put(
            TABLE,
            (NARRATIVE_BASIS, TOTAL_CODE),
            source,
            {**dict.fromkeys(FIGURES), "total": actual, "budget_initial": budget},
            printed_decimals=_decimals_of(match, total="actual", budget_initial="budget"),
            basis=NARRATIVE_BASIS,
            code=TOTAL_CODE,
            level=TOTAL_LEVEL,
            name=TOTAL_NAME,
            parent_code=None,
            source_table=None,
        )


def _read_items(ctx: ReportContext, doc: Document, prose: Prose, noted: set[tuple[str, str]]) -> None:
    catalogue = _Catalogue(ctx)
    for match in ITEM_RE.finditer(prose.text):
        values = _budget_actual(ctx, doc, prose, match)
        if values is None:
            continue
        budget, actual, source = values
        printed = [_clean_name(match.group(g)) for g in ("lei", "kuan", "xiang")]
        subject = "".join(f"{n}({lv})" for n, lv in zip(printed, LEVELS.values(), strict=True) if n)
        _check_figures(ctx, source, subject, match, prose.text)
        decimals = _decimals_of(match, total="actual", budget_initial="budget")
        code = catalogue.match(ctx, source, printed, actual, noted, decimals["total"])
        if code is None:
            continue
        ctx.put(
            TABLE,
            (NARRATIVE_BASIS, code),
            source,
            {"total": actual, "budget_initial": budget},
            printed_decimals=decimals,
        )


def _read_budget_items(ctx: ReportContext, doc: Document, prose: Prose, noted: set[tuple[str, str]]) -> None:
    """A budget's narrative names each 项 by its path: “一般公共服务支出-政府办公厅(室)及相关机构事务-行政运行”科目
    1,202.95万元 — a second source for the tables' 项 totals. The amount belongs to the most specific level
    the path names: it is compared with that 项 (or 款), never with its 类."""
    catalogue = _Catalogue(ctx, "budget")
    for match in BUDGET_ITEM_RE.finditer(prose.text):
        amount = sentence_amount(match.group("amount"))
        printed = _path_names(match.group("path"))
        if amount is None or printed is None:
            continue
        if match.group("subject") is None and not LEVEL_MARK_RE.search(match.group("path")):
            continue  # a quoted phrase followed by an amount, not a classification path
        source = Source(doc, prose.line_at(match.start("amount")))
        decimals = printed_decimals(match.group("amount"))
        code = catalogue.match(ctx, source, printed, amount[0], noted, decimals)
        if code is not None:
            ctx.put(TABLE, ("budget", code), source, {"total": amount[0]}, printed_decimals=decimals)


def _path_names(path: str) -> list[str] | None:
    """The 类, 款 and 项 names of a printed path ("A-B-C" or "A(类)B(款)C(项)"); '' for a level not named."""
    parts = LEVEL_MARK_RE.split(path)
    if len(parts) > 1:
        names = dict.fromkeys(LEVELS.values(), "")
        for name, level in zip(parts[0::2], parts[1::2], strict=False):
            names[level] = _clean_name(name.strip("-"))
        return list(names.values())
    printed = [_clean_name(n) for n in path.split("-")]
    if len(printed) > len(LEVELS):
        return None
    return printed + [""] * (len(LEVELS) - len(printed))


def _read_class_shares(
    ctx: ReportContext, doc: Document, prose: Prose, noted: set[tuple[str, str]], basis: str
) -> None:
    catalogue = _Catalogue(ctx, basis)
    for match in CLASS_SHARE_RE.finditer(prose.text):
        amount = sentence_amount(match.group("amount"))
        if amount is None:
            continue
        name = _clean_name(match.group("name"))
        if match.group("suffix") and not name.endswith("支出"):
            name += "支出"  # "科学技术(类)支出": the suffix was pushed behind the marker
        source = Source(doc, prose.line_at(match.start("amount")))
        decimals = printed_decimals(match.group("amount"))
        code = catalogue.match(ctx, source, [name, "", ""], amount[0], noted, decimals)
        if code is not None:
            ctx.put(TABLE, (basis, code), source, {"total": amount[0]}, printed_decimals=decimals)


def _budget_actual(
    ctx: ReportContext, doc: Document, prose: Prose, match: re.Match[str]
) -> tuple[float, float, Source] | None:
    budget = prose_amount(ctx, doc, prose, match, "budget")
    actual = prose_amount(ctx, doc, prose, match, "actual")
    if budget is None or actual is None:
        return None
    return budget[0], actual[0], Source(doc, actual[1])


def _decimals_of(match: re.Match[str], **groups: str) -> dict[str, int]:
    """Printed decimals per figure name, from the match groups that printed them."""
    return {name: printed_decimals(match.group(group)) for name, group in groups.items() if match.group(group)}


def _clean_name(name: str | None) -> str:
    return _NUMBERING_RE.sub("", name or "")


@dataclass(frozen=True)
class _Printed:
    """A printed figure and the half unit of its last digit (how far its true value may be)."""

    value: float
    error: float

    @classmethod
    def of(cls, token: str) -> _Printed | None:
        return _printed(token)

    @property
    def low(self) -> float:
        return self.value - self.error

    @property
    def high(self) -> float:
        return self.value + self.error


@functools.lru_cache(maxsize=4096)  # the same amounts recur across a report's sentences
def _printed(token: str) -> _Printed | None:
    amount = sentence_amount(token)
    return _Printed(amount[0], half_unit(printed_decimals(token))) if amount else None


def _ratio_range(numerator: _Printed, denominator: _Printed) -> tuple[float, float] | None:
    """Every percentage numerator ÷ denominator can be, given the rounding of both; None when the
    denominator may be zero."""
    if denominator.low <= 0:
        return None
    low = max(numerator.low, 0.0) / denominator.high * 100
    return low, numerator.high / denominator.low * 100


def _check_figures(ctx: ReportContext, source: Source, subject: str, match: re.Match[str], text: str) -> None:
    """The completion rate and the "决算数大于/小于/等于预算数" claim that follow a sentence's figures."""
    initial, actual = _Printed.of(match.group("budget")), _Printed.of(match.group("actual"))
    full = _Printed.of(match.group("full")) if match.group("full") else None
    if initial is None or actual is None:
        return
    if match.group("rate"):
        _check_rate(ctx, source, subject, initial, full, actual, match.group("rate"), match.group("base"))
    claim = DIRECTION_CLAIM_RE.match(text, match.end())
    if claim is not None:
        _check_direction(ctx, source, subject, initial, full, actual, claim)


def _check_rate(
    ctx: ReportContext,
    source: Source,
    subject: str,
    initial: _Printed,
    full: _Printed | None,
    actual: _Printed,
    rate: str,
    base: str | None,
) -> None:
    """A printed completion rate must follow from the printed figures, within their rounding; a rate
    "of the initial budget" whose initial budget is 0, or that is actual ÷ the full-year budget, names
    the wrong base."""
    printed = float(rate)
    slack = half_unit(len(rate.partition(".")[2])) + FLOAT_SLACK
    of_full = base in ("全年", "调整后")
    budget = full if of_full else initial
    if budget is None:
        return  # a rate of the full-year budget, which the sentence does not print: nothing to check against
    label = "全年预算" if of_full else "年初预算"
    ctx.checked("completion_rate_base")
    within = _ratio_range(actual, budget)
    if within is None:
        if printed > 0 and actual.low > 0:
            ctx.finding(
                "completion_rate_base",
                "warning",
                f"{subject}的{label}写作 {fmt(budget.value)} 万元，却写“完成{label}的 {fmt(printed)}%”"
                f"（支出决算 {fmt(actual.value)} 万元）：以 0 为基数算不出完成比例，这一比例用的是别的基数"
                "（通常是全年预算），两处至少一处有误；保留原文数字。",
                source,
            )
        return
    if within[0] - slack <= printed <= within[1] + slack:
        return
    other = initial if of_full else full
    by_other = _ratio_range(actual, other) if other is not None else None
    if by_other is not None and by_other[0] - slack <= printed <= by_other[1] + slack:
        other_label = "年初预算" if of_full else "全年预算"
        ctx.finding(
            "completion_rate_base",
            "warning",
            f"{subject}写“完成{label}的 {fmt(printed)}%”，但支出决算 {fmt(actual.value)} 万元 ÷ {label} "
            f"{fmt(budget.value)} 万元 = {actual.value / budget.value * 100:.2f}%；{fmt(printed)}% 是除以{other_label} "
            f"{fmt(other.value)} 万元得出的，比例的基数写错了；保留原文数字。",
            source,
        )
        return
    ctx.finding(
        "completion_rate_mismatch",
        "warning",
        f"{subject}的完成{label}比例写作 {fmt(printed)}%，但支出决算 {fmt(actual.value)} 万元 ÷ {label} "
        f"{fmt(budget.value)} 万元 = {actual.value / budget.value * 100:.2f}%，两者不符；保留原文数字。",
        source,
    )


def _check_direction(
    ctx: ReportContext,
    source: Source,
    subject: str,
    initial: _Printed,
    full: _Printed | None,
    actual: _Printed,
    claim: re.Match[str],
) -> None:
    """ "决算数大于预算数" must be possible for the printed figures (within their rounding); with both an
    initial and a full-year budget printed and no base named, it must fail for both to be wrong."""
    sign = CLAIM_SIGNS[claim.group("word")]
    if claim.group("base") in ("全年", "调整后"):
        budgets = [full] if full else []
    elif claim.group("base") == "年初" or full is None:
        budgets = [initial]
    else:
        budgets = [initial, full]
    if budgets:
        ctx.checked("direction_claim_mismatch")
    if not budgets or any(_may_hold(sign, actual, b) for b in budgets):
        return
    budget = budgets[0]
    how = {1: "大于", -1: "小于", 0: "等于"}
    truth = (
        0
        if abs(actual.value - budget.value) <= actual.error + budget.error
        else (1 if actual.value > budget.value else -1)
    )
    ctx.finding(
        "direction_claim_mismatch",
        "warning",
        f"{subject}的说明写“决算数{claim.group('word')}预算数”，但文中支出决算 {fmt(actual.value)} 万元"
        f"{how[truth]}预算 {fmt(budget.value)} 万元，说法与数字相反；保留原文。",
        source,
    )


def _may_hold(sign: int, actual: _Printed, budget: _Printed) -> bool:
    """Whether "actual > / < / = budget" holds for some true values the printed figures stand for."""
    if sign > 0:
        return actual.high > budget.low + FLOAT_SLACK
    if sign < 0:
        return actual.low < budget.high - FLOAT_SLACK
    return abs(actual.value - budget.value) <= actual.error + budget.error + FLOAT_SLACK


@functools.lru_cache(maxsize=4096)  # the same names are compared across a report's sentences and reports
def name_score(printed: str, name: str) -> float:
    """1 for the same name, TRUNCATION_SCORE when one is the other cut short, else a similarity ratio."""
    a, b = normalize_name(printed), normalize_name(name)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if min(len(a), len(b)) >= MIN_TRUNCATED_NAME and (a.startswith(b) or b.startswith(a)):
        return TRUNCATION_SCORE
    return SequenceMatcher(None, a, b).ratio()


class _Catalogue:
    """The report's functional codes read so far (of one basis): name and total per code."""

    def __init__(self, ctx: ReportContext, basis: str = NARRATIVE_BASIS) -> None:
        self.basis = basis
        self.rows = {
            r["code"]: r for r in ctx.rows(TABLE) if r.get("basis") == basis and str(r.get("code", "")).isdigit()
        }

    @property
    def _figure(self) -> str:
        return "预算" if self.basis == "budget" else "支出决算"

    def children(self, parent: str | None, length: int) -> list[str]:
        return [c for c in self.rows if len(c) == length and (parent is None or c.startswith(parent))]

    def best(self, printed: str, codes: list[str]) -> tuple[str | None, float]:
        scored = sorted(((name_score(printed, self.rows[c].get("name") or ""), c) for c in codes), reverse=True)
        if not scored or scored[0][0] < NAME_MATCH_MIN:
            return None, 0.0
        if len(scored) > 1 and scored[1][0] == scored[0][0]:
            return None, 0.0  # two codes fit equally well: let the amount decide
        return scored[0][1], scored[0][0]

    def match(
        self,
        ctx: ReportContext,
        source: Source,
        printed: list[str],
        actual: float | None,
        noted: set[tuple[str, str]],
        decimals: int | None = None,
    ) -> str | None:
        """Code for a printed 类/款/项 path: names level by level, then the amount (compared at the
        precision it is printed with, `decimals`) among the children of the deepest parent that matched."""
        path = "".join(f"{n}({lv})" for n, lv in zip(printed, LEVELS.values(), strict=True) if n)
        if not self.rows:
            ctx.finding(
                "narrative_unmatched",
                "info",
                f"文字说明中的“{path}”找不到功能分类表可对应，未入库。",
                source,
            )
            return None
        deepest = max(length for name, length in zip(printed, LEVELS, strict=True) if name)
        parent: str | None = None
        code: str | None = None
        for printed_name, length in zip(printed, LEVELS, strict=True):
            if not printed_name:
                continue
            code, score = self.best(printed_name, self.children(parent, length))
            if code is None:
                return self._by_amount(ctx, source, path, printed_name, parent, deepest, actual, decimals)
            if score < TRUNCATION_SCORE and (printed_name, code) not in noted:
                noted.add((printed_name, code))
                ctx.finding(
                    "narrative_name_similar",
                    "info",
                    f"文字说明中的科目名称“{printed_name}”与表中 {code}“{self.rows[code].get('name')}”不完全一致，"
                    "按名称相近对应。",
                    source,
                )
            parent = code
        return code

    def _by_amount(
        self,
        ctx: ReportContext,
        source: Source,
        path: str,
        printed_name: str,
        parent: str | None,
        length: int,
        actual: float | None,
        decimals: int | None = None,
    ) -> str | None:
        pool = self.children(parent, length)
        within = f" {parent}“{self.rows[parent].get('name')}”下" if parent else "表中"
        tolerance = max(SAME_FIGURE_TOLERANCE, half_unit(decimals) + FLOAT_SLACK) if decimals is not None else None
        hits = [
            c
            for c in pool
            if actual is not None and same_figure(self.rows[c].get("total"), actual, tolerance or SAME_FIGURE_TOLERANCE)
        ]
        if len(hits) != 1:
            ctx.finding(
                "narrative_unmatched",
                "warning",
                f"文字说明“{path}”中的“{printed_name}”与{within}的{LEVELS[length]}级科目名称都对不上，"
                + (f"{self._figure}数 {fmt(actual)} 万元也无法唯一确定科目，" if actual is not None else "")
                + "未入库。",
                source,
            )
            return None
        code = hits[0]
        namesakes = [
            c
            for c in self.children(None, length)
            if c != code and name_score(printed_name, self.rows[c].get("name") or "") == 1
        ]
        also = "".join(
            f"（同名科目 {c}“{self.rows[c].get('name')}”的{self._figure[-2:]}数为 "
            f"{fmt(self.rows[c].get('total'))} 万元，不符）"
            for c in namesakes
            if self.rows[c].get("total") is not None
        )
        ctx.finding(
            "narrative_matched_by_amount",
            "info",
            f"文字说明“{path}”中的“{printed_name}”与{within}的{LEVELS[length]}级科目名称都对不上{also}；"
            f"按{self._figure}数 {fmt(actual)} 万元对应到 {code}“{self.rows[code].get('name')}”。",
            source,
        )
        return code


# --- stated changes: "比2025年减少1.10%" must follow from the amounts the sentence states ---------------

CHANGE_SIGNS = {"增加": 1, "增长": 1, "上升": 1, "提高": 1, "减少": -1, "下降": -1, "降低": -1}
_CHANGE_WORD = "|".join(CHANGE_SIGNS)
# "比2024年预算减少10万元", "比2022年(上一年度,下同)预算增加…", "比2022年预算执行数增加77.70%",
# "与2023年度相比,收入支出总计减少56.95万元,下降1.87%". The subject after 相比 names what changed.
CHANGE_RE = re.compile(
    r"(?P<cmp>(?:比|较|与)(?:上一?年度?|(?P<year>\d{4})年度?)(?:\([^)\n]{0,12}\))?"
    r"(?P<what>[^,。;:\d%()\n]{0,12}?)(?:(?:相比|相较),?(?P<subject>[^,。;:\d%()\n]{2,30}?))?)"
    rf"(?P<dir>{_CHANGE_WORD})(?P<delta>{AMOUNT})?"
    rf"(?:,?(?P<pdir>{_CHANGE_WORD})?(?P<pct>\d+(?:\.\d+)?)%)?"
)
_YEAR_RE = re.compile(r"(\d{4})年")
_CLAUSE_MARKS = ",:"
# A ";" ends the clause chain a comparison reads its amounts from ("…增加1421.25万元;政府性基金…0万元,比…").
_SENTENCE_MARKS = "。!?\n;"
# An amount right after a change word is a change, never the base of another comparison.
_AFTER_CHANGE_RE = re.compile(rf"(?:{_CHANGE_WORD}|持平)$")
# How far back a comparison that opens its sentence ("与2023年度相比,X减少…") looks for "X<amount>".
CHANGE_SUBJECT_LOOKBACK = 300
# Between the current amount and its comparison only a comma may stand ("36.56万元,比2024年…").
_ADJACENT_RE = re.compile(r",?")
# How much of a sentence a finding quotes.
QUOTE_CHARS = 90
# How far back a sentence or clause start is looked for (a longer run is not one sentence of figures).
SENTENCE_WINDOW = 400


def check_stated_changes(ctx: ReportContext, doc: Document, prose: Prose) -> None:
    """Year-on-year sentences whose stated change contradicts the amounts they state: the change in
    万元 or in % against "Y0年…A万元, Y1年…B万元", the % against the current amount and the change in
    万元, and an increase larger than the amount it led to. A change of a base printed as 0 is left alone."""
    text = prose.text
    for match in CHANGE_RE.finditer(text):
        if not (match.group("delta") or match.group("pct")):
            continue
        change = _StatedChange.read(ctx, text, match)
        if change is None:
            continue
        ctx.checked("stated_change_mismatch")
        problem = change.problem()
        if problem:
            quote = text[change.quote_from : match.end()]
            if len(quote) > QUOTE_CHARS:
                quote = "…" + quote[-QUOTE_CHARS:]
            ctx.finding(
                "stated_change_mismatch",
                "warning",
                f"“{quote}”：{problem}；保留原文数字。",
                Source(doc, prose.line_at(match.start("dir"))),
            )


# A budget item's paragraph states its amount twice: "“A（类）B（款）C（项）”45.41万元，主要用于……。
# 2022年当年预算执行数为11.67万元，2023年预算安排45.41万元，……". The restatement is of the report's year.
RESTATED_RE = re.compile(
    rf"[“\"](?P<path>[^”\"\n]{{2,90}})[”\"](?:科目)?(?P<amount>{AMOUNT})"
    rf"(?P<between>[^“\"\n]{{0,200}}?)(?P<year>20\d{{2}})年(?:预算安排|预算数为|预算为)(?P<restated>{AMOUNT})"
)


def check_restated_amounts(ctx: ReportContext, doc: Document, prose: Prose) -> None:
    """An item's amount and its restatement as "本年预算安排X万元" in the same paragraph must agree
    (compared at the precision of the less precise figure)."""
    year = ctx.classification.fiscal_year
    if year is None or "预算" not in prose.text:
        return
    for match in RESTATED_RE.finditer(prose.text):
        if int(match.group("year")) != year:
            continue
        first, second = sentence_amount(match.group("amount")), sentence_amount(match.group("restated"))
        if first is None or second is None:
            continue
        decimals = min(printed_decimals(match.group("amount")), printed_decimals(match.group("restated")))
        ctx.checked("restated_amount_mismatch")
        if abs(first[0] - second[0]) <= half_unit(decimals) * 2 + FLOAT_SLACK:
            continue
        line = prose.line_at(match.start("restated"))
        ctx.finding(
            "restated_amount_mismatch",
            "warning",
            f"“{_clean_name(match.group('path'))}”的金额写作 {match.group('amount')}"
            f"（{Source(doc, prose.line_at(match.start('amount'))).where}），同一段又写“{year}年预算安排"
            f"{match.group('restated')}”（{Source(doc, line).where}），两处不一致；保留原文数字。",
            Source(doc, line),
        )


@dataclass(frozen=True)
class _StatedChange:
    """A comparison with another year and the amounts it can be checked against."""

    sign: int
    current: _Printed
    prior: _Printed | None
    delta: _Printed | None
    pct_sign: int
    pct: float | None
    pct_error: float
    prior_label: str
    current_label: str
    words: str  # the change as printed: "减少1.10%"
    quote_from: int

    @classmethod
    def read(cls, ctx: ReportContext, text: str, match: re.Match[str]) -> _StatedChange | None:
        start = _last_mark(text, _SENTENCE_MARKS, match.start())
        amounts = list(AMOUNT_RE.finditer(text, start, match.start()))
        year = match.group("year") or (
            str(ctx.classification.fiscal_year - 1) if ctx.classification.fiscal_year else None
        )
        current_at: re.Match[str] | None = None
        if amounts and _ADJACENT_RE.fullmatch(text, amounts[-1].end(), match.start()):
            current_at = amounts[-1]
        elif not amounts and match.group("subject"):
            subject_re = re.compile(re.escape(match.group("subject")) + rf"(?:为|是|达到?|共计?)?({AMOUNT})")
            found = list(subject_re.finditer(text, max(0, start - CHANGE_SUBJECT_LOOKBACK), start))
            current_at = found[-1] if found else None
        if current_at is None or _year_label(text, current_at) == year:
            return None
        current = _Printed.of(current_at.group(current_at.lastindex or 0))
        prior_at = next(
            (
                a
                for a in reversed(amounts[:-1])
                if year is not None
                and _year_label(text, a) == year
                and not _AFTER_CHANGE_RE.search(text, max(0, a.start() - 2), a.start())
            ),
            None,
        )
        prior = _Printed.of(prior_at.group()) if prior_at else None
        delta = _Printed.of(match.group("delta")) if match.group("delta") else None
        if current is None:
            return None
        sign = CHANGE_SIGNS[match.group("dir")]
        pct = match.group("pct")
        return cls(
            sign=sign,
            current=current,
            prior=prior,
            delta=delta,
            pct_sign=CHANGE_SIGNS[match.group("pdir")] if match.group("pdir") else sign,
            pct=float(pct) if pct else None,
            pct_error=half_unit(len(pct.partition(".")[2])) if pct else 0.0,
            prior_label=f"{year}年" if match.group("year") else "上年",
            current_label=f"{label}年" if (label := _year_label(text, current_at)) else "本年",
            words=text[match.start("dir") : match.end()],
            # a comparison that opens its sentence is quoted from its subject in the sentence before
            quote_from=current_at.start()
            if current_at.lastindex
            else _clause_start(text, (prior_at or current_at).start()),
        )

    def problem(self) -> str | None:
        """What contradicts, in words; None when the statement can be true within the rounding."""
        if self.prior is not None:
            return self._against_both()
        if self.delta is not None:
            return self._against_delta()
        return None

    def _against_both(self) -> str | None:
        prior, current = self.prior, self.current
        assert prior is not None
        low, high = current.low - prior.high, current.high - prior.low
        amounts = f"{self.prior_label} {fmt(prior.value)} 万元、{self.current_label} {fmt(current.value)} 万元"
        change = current.value - prior.value
        if (self.sign > 0 and high <= FLOAT_SLACK) or (self.sign < 0 and low >= -FLOAT_SLACK):
            actually = "增加" if change > 0 else "减少" if change < 0 else "持平"
            return f"按文中 {amounts}，实际是{actually}，与所写“{self.words}”方向相反"
        if self.delta is not None:
            stated = (self.sign * self.delta.value - self.delta.error, self.sign * self.delta.value + self.delta.error)
            if stated[0] > high + FLOAT_SLACK or stated[1] < low - FLOAT_SLACK:
                return f"按文中 {amounts}，差额为 {change:+.2f} 万元，与所写“{self.words}”不符"
        if self.pct is not None and prior.low > 0:
            pct_low, pct_high = (current.low / prior.high - 1) * 100, (current.high / prior.low - 1) * 100
            if not self._pct_within(pct_low, pct_high):
                return f"按文中 {amounts}，变化为 {change / prior.value * 100:+.2f}%，与所写“{self.words}”不符"
        return None

    def _against_delta(self) -> str | None:
        delta, current = self.delta, self.current
        assert delta is not None
        prior_value = current.value - self.sign * delta.value
        if self.sign > 0 and delta.low > current.high + FLOAT_SLACK:
            return (
                f"{self.current_label} {fmt(current.value)} 万元却比{self.prior_label}增加 {fmt(delta.value)} 万元，"
                f"{self.prior_label}应为 {fmt(round(prior_value, 4))} 万元，不可能为负数"
            )
        if self.pct is None or prior_value <= 0:
            return None
        if self.sign > 0:  # prior = current − delta; the change in % grows with delta, falls with current
            if current.low - delta.high <= 0:
                return None
            pct_low = delta.low / (current.high - delta.low) * 100
            pct_high = delta.high / (current.low - delta.high) * 100
        else:
            pct_low = -delta.high / (current.low + delta.high) * 100
            pct_high = -max(delta.low, 0.0) / (current.high + delta.low) * 100
        if self._pct_within(pct_low, pct_high):
            return None
        how = "增加" if self.sign > 0 else "减少"
        return (
            f"按{self.current_label} {fmt(current.value)} 万元、{how} {fmt(delta.value)} 万元推算，"
            f"{self.prior_label}为 {fmt(round(prior_value, 4))} 万元，变化应为 "
            f"{self.sign * delta.value / prior_value * 100:+.2f}%，与所写“{self.words}”不符"
        )

    def _pct_within(self, low: float, high: float) -> bool:
        assert self.pct is not None
        stated = self.pct_sign * self.pct
        return low - self.pct_error - FLOAT_SLACK <= stated <= high + self.pct_error + FLOAT_SLACK


def _year_label(text: str, amount: re.Match[str]) -> str | None:
    """The year a clause names before its amount ("2022年当年预算执行数为1.48万元" → 2022)."""
    at = amount.start(amount.lastindex or 0)
    years = _YEAR_RE.findall(text, _clause_start(text, at), at)
    return years[-1] if years else None


def _clause_start(text: str, at: int) -> int:
    return _last_mark(text, _CLAUSE_MARKS + _SENTENCE_MARKS, at)


def _last_mark(text: str, marks: str, at: int) -> int:
    """Where the run that ends at `at` starts: after the last of `marks` (within SENTENCE_WINDOW)."""
    floor = max(0, at - SENTENCE_WINDOW)
    return max(floor - 1, *(text.rfind(m, floor, at) for m in marks)) + 1
