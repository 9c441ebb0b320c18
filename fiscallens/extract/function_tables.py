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
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from fiscallens.extract.context import ReportContext, Source, fmt, normalize_name, same_figure
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
    for row in rows:
        if header is not None and row.line <= header.line:
            continue
        tabbed = "\t" in doc.lines[row.line - 1]
        parsed = _code_row(row, table.layout, tabbed) or _total_row(row, table.layout, tabbed)
        if parsed is None:
            if CODE_GROUP_RE.search(row.text):
                table.unread.append(row.line)
            continue
        code_row, damaged, certain = parsed
        if all(v is None for v in code_row.figures.values()):
            continue  # a code printed with empty cells states nothing
        table.rows.append(code_row)
        table.first_data_line = min(table.first_data_line, row.line)
        if damaged:
            code_row.damaged = True
            table.damaged.append(row.line)
        if not certain:
            table.uncertain.append(row.line)
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
    if table.damaged:
        ctx.finding(
            "table_rows_damaged",
            "info",
            f"{title}有 {len(table.damaged)} 行（第 {line_list(table.damaged)} 行）开头混有相邻行的残留文字，"
            "或科目编码与名称粘连；已略去残留，按“科目编码—科目名称—金额”的列位置读取，并与其他表相互核对。",
            Source(doc, table.damaged[0]),
        )
    if table.unread:
        ctx.finding(
            "table_lines_unread",
            "info",
            f"{title}第 {line_list(table.unread)} 行只有残留文字，找不到“科目编码—科目名称—金额”的单元格，未读取。",
            Source(doc, table.unread[0]),
        )
    if table.uncertain:
        ctx.finding(
            "table_columns_uncertain",
            "info",
            f"{title}第 {line_list(table.uncertain)} 行的单元格以空格分隔、空白单元格已丢失，"
            "只读取第一列（合计），其余列无法确定位置，未读取。",
            Source(doc, table.uncertain[0]),
        )


def _put_tables(ctx: ReportContext, doc: Document, tables: list[_FunctionTable]) -> None:
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


def _best_names(tables: list[_FunctionTable]) -> dict[str, str]:
    """Per code, the fullest printed name: the most frequent, lengthened when another printing extends it
    (tables truncate long names: 机关事业单位基本养老保险 / …缴费支出)."""
    seen: dict[str, Counter[str]] = {}
    for table in tables:
        for row in table.rows:
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
    if row.code == TOTAL_CODE:
        attributes = {"code": TOTAL_CODE, "level": TOTAL_LEVEL, "name": TOTAL_NAME, "parent_code": None}
    else:
        attributes = {
            "code": row.code,
            "level": LEVELS[len(row.code)],
            "name": name,
            "parent_code": parent_of(row.code),
        }
    ctx.put(
        TABLE,
        (table.basis, row.code),
        Source(doc, row.line),
        figures,
        basis=table.basis,
        source_table=table.range.title,
        **attributes,
    )


def parent_of(code: str) -> str | None:
    return code[:-2] if len(code) > 3 else None


# ---------------------------------------------------------------------------------------------
# Narrative: 一般公共预算财政拨款支出决算具体情况 / 结构情况
# ---------------------------------------------------------------------------------------------

NARRATIVE_BASIS = "actual"
# A classification name inside a sentence: no punctuation, no line fence.
_NAME = r"[^\n()。:;,、%]{1,40}?"
# "。年初预算为A万元,支出决算为B万元,完成年初预算的C%"; tolerates 初预算 (年 lost) and 万A元.
_BUDGET_ACTUAL = (
    rf"[。.:]?年?初预算数?为(?P<budget>{AMOUNT}),?(?:支出)?决算数?为(?P<actual>{AMOUNT})"
    r"(?:,?完成(?:年初|全年)?预算数?的(?P<rate>\d+(?:\.\d+)?)%)?"
)
# What an item is spent on may stand between the item and its figures: "(项)。主要用于:…基本支出。年初预算为…".
_PURPOSE = r"(?:[。.]?主要用于[:：]?[^。\n]{0,80}。)?"
ITEM_RE = re.compile(
    rf"(?P<lei>{_NAME})\(类\)(?:(?P<kuan>{_NAME})\(款\))?(?:(?P<xiang>{_NAME})\(项\))?{_PURPOSE}{_BUDGET_ACTUAL}"
)
SUMMARY_RE = re.compile(rf"一般公共预算财政拨款支出{_BUDGET_ACTUAL}")
# "一般公共服务支出(类)208.32万元", "科学技术(类)支出14419.03万元".
CLASS_SHARE_RE = re.compile(rf"(?P<name>{_NAME})\(类\)(?P<suffix>支出)?(?P<amount>{AMOUNT})")
# “一般公共服务支出-政府办公厅(室)及相关机构事务-行政运行”科目1,202.95万元 (budget narrative).
BUDGET_ITEM_RE = re.compile(rf"[“\"](?P<path>[^”\"\n]{{2,90}})[”\"]科目(?P<amount>{AMOUNT})")
_NUMBERING_RE = re.compile(r"^(?:\d+[.、]|[一二三四五六七八九十]+、|\([一二三四五六七八九十\d]+\))+")

# Names in sentences are truncated or misprinted (资源勘探信息等支出 for 资源勘探工业信息等支出).
NAME_MATCH_MIN = 0.8
TRUNCATION_SCORE = 0.95
MIN_TRUNCATED_NAME = 2
# Printed figures are rounded to 0.01 万元 and rates to 0.01 points: a rate is wrong only when no
# figures within that rounding give it.
FIGURE_ROUNDING = 0.005
RATE_ROUNDING = 0.005


def _read_summary(ctx: ReportContext, doc: Document, prose: Prose) -> None:
    for match in SUMMARY_RE.finditer(prose.text):
        values = _budget_actual(ctx, doc, prose, match)
        if values is None:
            continue
        budget, actual, source = values
        _check_rate(ctx, source, "一般公共预算财政拨款支出", budget, actual, match.group("rate"))
        ctx.put(
            TABLE,
            (NARRATIVE_BASIS, TOTAL_CODE),
            source,
            {**dict.fromkeys(FIGURES), "total": actual, "budget_initial": budget},
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
        _check_rate(ctx, source, subject, budget, actual, match.group("rate"))
        code = catalogue.match(ctx, source, printed, actual, noted)
        if code is None:
            continue
        ctx.put(TABLE, (NARRATIVE_BASIS, code), source, {"total": actual, "budget_initial": budget})


def _read_budget_items(ctx: ReportContext, doc: Document, prose: Prose, noted: set[tuple[str, str]]) -> None:
    """A budget's narrative names each 项 by its path: “一般公共服务支出-政府办公厅(室)及相关机构事务-行政运行”科目
    1,202.95万元 — a second source for the tables' 项 totals."""
    catalogue = _Catalogue(ctx, "budget")
    for match in BUDGET_ITEM_RE.finditer(prose.text):
        amount = sentence_amount(match.group("amount"))
        if amount is None:
            continue
        printed = [_clean_name(n) for n in match.group("path").split("-")]
        if len(printed) > len(LEVELS):
            continue
        printed += [""] * (len(LEVELS) - len(printed))
        source = Source(doc, prose.line_at(match.start("amount")))
        code = catalogue.match(ctx, source, printed, amount[0], noted)
        if code is not None:
            ctx.put(TABLE, ("budget", code), source, {"total": amount[0]})


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
        code = catalogue.match(ctx, source, [name, "", ""], amount[0], noted)
        if code is not None:
            ctx.put(TABLE, (basis, code), source, {"total": amount[0]})


def _budget_actual(
    ctx: ReportContext, doc: Document, prose: Prose, match: re.Match[str]
) -> tuple[float, float, Source] | None:
    budget = prose_amount(ctx, doc, prose, match, "budget")
    actual = prose_amount(ctx, doc, prose, match, "actual")
    if budget is None or actual is None:
        return None
    return budget[0], actual[0], Source(doc, actual[1])


def _clean_name(name: str | None) -> str:
    return _NUMBERING_RE.sub("", name or "")


def _check_rate(
    ctx: ReportContext, source: Source, subject: str, budget: float, actual: float, rate: str | None
) -> None:
    """A printed completion rate must follow from the printed figures, within their rounding."""
    if rate is None or budget <= FIGURE_ROUNDING:
        return
    printed = float(rate)
    low = max(actual - FIGURE_ROUNDING, 0) / (budget + FIGURE_ROUNDING) * 100
    high = (actual + FIGURE_ROUNDING) / (budget - FIGURE_ROUNDING) * 100
    if low - RATE_ROUNDING <= printed <= high + RATE_ROUNDING:
        return
    ctx.finding(
        "completion_rate_mismatch",
        "warning",
        f"{subject}的完成年初预算比例写作 {fmt(printed)}%，但支出决算 {fmt(actual)} 万元 ÷ 年初预算 {fmt(budget)} 万元 "
        f"= {actual / budget * 100:.2f}%，两者不符；保留原文数字。",
        source,
    )


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
    ) -> str | None:
        """Code for a printed 类/款/项 path: names level by level, then the amount among the children
        of the deepest parent that matched."""
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
                return self._by_amount(ctx, source, path, printed_name, parent, deepest, actual)
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
    ) -> str | None:
        pool = self.children(parent, length)
        within = f" {parent}“{self.rows[parent].get('name')}”下" if parent else "表中"
        hits = [c for c in pool if actual is not None and same_figure(self.rows[c].get("total"), actual)]
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
