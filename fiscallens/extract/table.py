"""The general table reader: lines of extracted text → rows of cells, with their line numbers.

Reports reach us as text in which a table row is one of:
- tab-separated cells (`201\t一般公共服务支出\t208. 32`), sometimes with `<p>` markup inside a cell;
- a flattened line where label and figures are separated only by spaces
  (`年度资金总额： 1268万元 2226.98万元 2199.98万元 10 98.78% 9.88`);
- a cell broken over several physical lines (a long name wraps, the figures follow on the next line).

`Row` keeps the 1-based line where the row starts, so every fact traces back to its text.

A table of a report runs from its title line to its note or the next title (`table_ranges`); its
money unit is stated between the title and the first data row (`table_unit`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from fiscallens.extract.context import ReportContext, Source
from fiscallens.model import Document
from fiscallens.normalize import (
    compact_text,
    find_numbers,
    normalize_text,
    parse_number,
    parse_percent,
    unit_from_header,
)

# Cell contents that mean "nothing here" in the forms.
EMPTY_CELLS = frozenset({"", "—", "——", "-", "－", "–", "_", "/", "／", "无", "·"})
_TAGS = re.compile(r"<[^>]+>")
_NUMBER_WITH_UNIT_RE = re.compile(r"(.*?\d)\s*(?:万元|亿元|元|万|亿)")
_DISPLACED_WAN_RE = re.compile(r"万\s*(\d[\d,.\s]*)\s*元")
_EMPTY_TOKEN = re.compile(r"(?<!\S)(?:—+|－|–|-|_)(?!\S)")
# Documents whose derived indexes (prose stream, title lines) stay cached: the files of a report or two.
DOC_CACHE_SIZE = 16


@dataclass(frozen=True)
class Row:
    """One table row: its cells as printed (normalized), and where it starts."""

    line: int
    cells: tuple[str, ...]
    text: str

    @property
    def label(self) -> str:
        """The first non-empty, non-numeric cell: usually the row's name."""
        for cell in self.cells:
            if cell and not is_number_cell(cell):
                return cell
        return ""

    def numbers(self) -> list[float | None]:
        """Each cell read as a number; None for empty or non-numeric cells."""
        return [cell_number(c) for c in self.cells]

    def figures(self) -> list[float]:
        """The numeric cells only, in order."""
        return [n for n in self.numbers() if n is not None]


@functools.lru_cache(maxsize=1 << 16)
def clean_cell(text: str) -> str:
    """Normalize one cell: markup removed, full-width forms folded, spaces collapsed."""
    return normalize_text(_TAGS.sub(" ", text)).strip()


def is_empty_cell(cell: str) -> bool:
    return cell.strip() in EMPTY_CELLS


def is_number_cell(cell: str) -> bool:
    return cell_number(cell) is not None


@functools.lru_cache(maxsize=1 << 16)  # every reader asks about the same cells
def cell_number(cell: str) -> float | None:
    """A cell's numeric value, tolerating damage (`22, 070. 55`), a percent sign or a money unit."""
    cell = cell.strip()
    if is_empty_cell(cell):
        return None
    value = parse_number(cell)
    if value is not None:
        return value
    value = parse_percent(cell)
    if value is not None:
        return value
    match = _NUMBER_WITH_UNIT_RE.fullmatch(cell)
    if match:
        return parse_number(match.group(1))
    match = _DISPLACED_WAN_RE.fullmatch(cell)  # "万133.58元": a displaced 万
    return parse_number(match.group(1)) if match else None


@functools.lru_cache(maxsize=1 << 14)  # several readers split the same lines
def split_cells(line: str) -> tuple[str, ...]:
    """Cells of one line: by tabs when there are any, else label and number tokens by spaces."""
    if "\t" in line:
        return tuple(clean_cell(c) for c in line.split("\t"))
    return split_flat(clean_cell(line))


def split_flat(text: str) -> tuple[str, ...]:
    """A flattened row: each number token (with its unit or %) becomes a cell; text between is a cell.

    `年度资金总额： 1268万元 2226.98万元 10 98.78% 9.88` →
    `('年度资金总额：', '1268万元', '2226.98万元', '10', '98.78%', '9.88')`.
    """
    cells: list[str] = []
    cursor = 0
    spans = _number_spans(text)
    for start, end in spans:
        before = text[cursor:start]
        for piece in _EMPTY_TOKEN.split(before):
            if piece.strip():
                cells.append(piece.strip())
        cells.extend("—" for _ in _EMPTY_TOKEN.findall(before))
        cells.append(text[start:end].strip())
        cursor = end
    tail = text[cursor:]
    for piece in _EMPTY_TOKEN.split(tail):
        if piece.strip():
            cells.append(piece.strip())
    cells.extend("—" for _ in _EMPTY_TOKEN.findall(tail))
    return tuple(cells)


_UNIT_AFTER = re.compile(r"\s*(?:%|万元|亿元|元|万|亿)")


def _number_spans(text: str) -> list[tuple[int, int]]:
    """Number tokens that stand alone (not inside a word such as 2021年 or 5G), with a unit suffix."""
    spans = []
    for start, end, _ in find_numbers(text):
        if start > 0 and text[start - 1] in "万≥≧≤≦<>":  # "万133.58元" (displaced 万), "≧15亿"
            start -= 1
        unit = _UNIT_AFTER.match(text, end)
        if unit:
            end = unit.end()
        if end < len(text) and not text[end].isspace() and text[end] not in ",，;；)）":
            continue  # glued to a word: 2021年, 5G, 4楼
        spans.append((start, end))
    return spans


def document_rows(doc: Document, start: int = 1, end: int | None = None) -> list[Row]:
    """Non-empty rows of lines start..end (1-based, inclusive)."""
    lines = doc.lines
    stop = len(lines) if end is None else min(end, len(lines))
    rows = []
    for number in range(max(1, start), stop + 1):
        raw = lines[number - 1]
        if not raw.strip():
            continue
        cells = split_cells(raw)
        if any(cells):
            rows.append(Row(number, cells, clean_cell(raw.replace("\t", " "))))
    return rows


def find_lines(doc: Document, pattern: re.Pattern[str], start: int = 1, end: int | None = None) -> list[int]:
    """Line numbers (1-based) whose whitespace-free text matches `pattern`."""
    compact = doc.compact_lines
    stop = len(compact) if end is None else min(end, len(compact))
    return [n for n in range(max(1, start), stop + 1) if pattern.search(compact[n - 1])]


def section(doc: Document, title: re.Pattern[str], until: re.Pattern[str], start: int = 1) -> list[tuple[int, int]]:
    """Every (first, last) line range that starts at a `title` line and runs to the next `until` line."""
    ranges = []
    for first in find_lines(doc, title, start):
        stops = find_lines(doc, until, first + 1)
        last = stops[0] - 1 if stops else len(doc.lines)
        ranges.append((first, last))
    return ranges


def join_broken_rows(rows: Sequence[Row], is_complete: callable) -> Iterator[Row]:  # type: ignore[valid-type]
    """Merge rows whose cells continue on the next line(s) until `is_complete(row)` holds.

    The merged row keeps the first line's number; its text is the lines' text joined.
    """
    pending: Row | None = None
    for row in rows:
        if pending is None:
            pending = row
        else:
            pending = Row(pending.line, _merge_cells(pending.cells, row.cells), pending.text + row.text)
        if is_complete(pending):
            yield pending
            pending = None
    if pending is not None:
        yield pending


def _merge_cells(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    if first and second and not is_number_cell(first[-1]) and not is_number_cell(second[0]):
        return (*first[:-1], first[-1] + second[0], *second[1:])
    return (*first, *second)


def non_empty(cells: Iterable[str]) -> list[str]:
    return [c for c in cells if not is_empty_cell(c)]


def lines_above(line: int, count: int) -> range:
    """The `count` line numbers above `line`, nearest first."""
    return range(line - 1, max(0, line - 1 - count), -1)


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


_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_CODE_GROUP_START_RE = re.compile(r"\d{3}(?:\d{2}){0,2}\s")


def is_name_cell(cell: str) -> bool:
    """A cell holding a name: Chinese text, not a number, not a "code name …" group."""
    return (
        not is_empty_cell(cell)
        and cell_number(cell) is None
        and bool(_CJK_RE.search(cell))
        and not _CODE_GROUP_START_RE.match(cell)
    )


# --- tables of a report: title, extent, unit ---------------------------------------------------

DEFAULT_UNIT = "万元"
# A table runs from its title to the next note / title / part heading, but never further than this.
MAX_TABLE_LINES = 250
# Title lines are short; a longer line mentioning a table name is a sentence about it.
TITLE_MAX_CHARS = 40
# List markers in front of titles and headings: "- 二、", "3.", "(三)".
LIST_MARKER_RE = re.compile(r"^[-·•*]*(?:[一二三四五六七八九十]+、|\d+[.、]|\(?[一二三四五六七八九十\d]+\))?")
# What ends a table: its note, the next table's title, the next part of the report.
TABLE_END_RE = re.compile(r"^注[:：]|^第[一二三四五六七八九十]+部分|(?:决算|预算)(?:总|明细)?表$")


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


@functools.lru_cache(maxsize=DOC_CACHE_SIZE)
def _table_ends(doc: Document) -> tuple[int, ...]:
    return tuple(find_lines(doc, TABLE_END_RE))


@functools.lru_cache(maxsize=DOC_CACHE_SIZE)
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
