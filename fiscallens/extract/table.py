"""The general table reader: lines of extracted text → rows of cells, with their line numbers.

Reports reach us as text in which a table row is one of:
- tab-separated cells (`201\t一般公共服务支出\t208. 32`), sometimes with `<p>` markup inside a cell;
- a flattened line where label and figures are separated only by spaces
  (`年度资金总额： 1268万元 2226.98万元 2199.98万元 10 98.78% 9.88`);
- a cell broken over several physical lines (a long name wraps, the figures follow on the next line).

`Row` keeps the 1-based line where the row starts, so every fact traces back to its text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from fiscallens.model import Document
from fiscallens.normalize import find_numbers, normalize_text, parse_number, parse_percent

# Cell contents that mean "nothing here" in the forms.
EMPTY_CELLS = frozenset({"", "—", "——", "-", "－", "–", "_", "/", "／", "无", "·"})
_TAGS = re.compile(r"<[^>]+>")
_NUMBER_WITH_UNIT_RE = re.compile(r"(.*?\d)\s*(?:万元|亿元|元|万|亿)")
_DISPLACED_WAN_RE = re.compile(r"万\s*(\d[\d,.\s]*)\s*元")
_EMPTY_TOKEN = re.compile(r"(?<!\S)(?:—+|－|–|-|_)(?!\S)")


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
