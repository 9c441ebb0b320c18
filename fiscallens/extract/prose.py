"""Text for sentence readers, and the one grammar for an amount in a sentence.

A `Passage` is text joined from one or more lines in which every character remembers its source
line. A document is read as passages in two ways:
- `prose_of(doc)`: the whole document as one normalized, whitespace-free stream (sentences are
  broken over lines and blank lines by extraction); each cell of a tab-separated line is a segment
  of its own, fenced by newlines, so a sentence never runs into a table;
- `passages(doc)`: short passages that keep the printed spaces: lines a PDF broke mid-sentence are
  joined back, and `<p>` blocks inside table cells are split apart.

An amount in a sentence is a number and its money unit (`amount_pattern`): "2.82万元", "1,268万元",
"20000000元", and in the whitespace-free stream also "1.5亿元" and "万133.58元" where extraction
moved 万 in front of the number. `Printed` is such a figure with the rounding its printed digits
allow.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from fiscallens.extract.context import ReportContext, Source, fmt, half_unit
from fiscallens.extract.table import DOC_CACHE_SIZE, clean_cell
from fiscallens.model import Document
from fiscallens.normalize import normalize_text, parse_amount, parse_number, squash, to_wan

# --- passages ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    """Text joined from one or more lines, each character remembering its source line."""

    text: str
    # Run-length line map: the characters from offsets[i] on come from line numbers[i].
    offsets: tuple[int, ...]
    numbers: tuple[int, ...]

    def line_at(self, index: int) -> int:
        if not self.text:
            return 1
        index = min(max(index, 0), len(self.text) - 1)
        return self.numbers[bisect_right(self.offsets, index) - 1]

    @property
    def first_line(self) -> int:
        return self.numbers[0]

    def sentences(self) -> Iterable[tuple[int, str]]:
        """(offset, sentence) pieces between 。！？ and segment fences."""
        for match in re.finditer(r"[^。！？!?\n]+", self.text):
            yield match.start(), match.group()


def _joined(pieces: Iterable[tuple[int, str]]) -> Passage:
    """One passage from (line, text) pieces in order."""
    chars: list[str] = []
    offsets: list[int] = []
    numbers: list[int] = []
    length = 0
    for number, text in pieces:
        chars.append(text)
        offsets.append(length)
        numbers.append(number)
        length += len(text)
    return Passage("".join(chars), tuple(offsets), tuple(numbers))


_BULLET_RE = re.compile(r"^\s*[-•·]\s+")


@functools.lru_cache(maxsize=1 << 14)  # table cells repeat across a report's tables and across reports
def _prose_cell(cell: str) -> str:
    return squash(clean_cell(_BULLET_RE.sub("", cell))).replace("**", "")


@functools.lru_cache(maxsize=DOC_CACHE_SIZE)
def prose_of(doc: Document) -> Passage:
    """The prose stream of a document; every sentence reader of a report asks for it, so it is built once."""
    return _joined(_prose_pieces(doc))


def _prose_pieces(doc: Document) -> Iterator[tuple[int, str]]:
    for number, raw in enumerate(doc.lines, start=1):
        if not raw.strip():
            continue
        cells = raw.split("\t")
        for cell in cells:
            text = _prose_cell(cell)
            if text:
                yield number, text + "\n" if len(cells) > 1 else text


_TAG = re.compile(r"<[^>]+>")
_BLOCK_TAG = re.compile(r"</?p\b[^>]*>", re.IGNORECASE)
# A line ending like this ends its sentence; otherwise the next line continues it (PDF breaks).
SENTENCE_END = "。!?;:"
_SENTENCE_ENDS = tuple(SENTENCE_END)
# A line starting like this begins a new item, even if the previous line did not end one.
ITEM_START = re.compile(
    r"^(?:#|\*\*|[(]\s*[一二三四五六七八九十\d]+\s*[)]|\d{1,2}\s*[.、](?!\d)|[一二三四五六七八九十]+、|-\s)"
)
# Lines joined into one passage at most (a sentence broken over a page edge spans 2-3).
MAX_JOINED_LINES = 4


@functools.lru_cache(maxsize=DOC_CACHE_SIZE)  # two readers walk the passages of each document of a report
def passages(doc: Document) -> tuple[Passage, ...]:
    """The document's text as passages: broken lines joined, `<p>` blocks of a cell separated."""
    pieces: list[tuple[int, str, bool]] = []  # (line, text, whole plain line)
    for number, raw in enumerate(doc.lines, start=1):
        if not raw.strip():
            continue
        blocks = _BLOCK_TAG.split(raw) if "<" in raw else [raw]
        plain = len(blocks) == 1 and "\t" not in raw
        for block in blocks:
            text = normalize_text((_TAG.sub(" ", block) if "<" in block else block).replace("\t", " "))
            if text:
                pieces.append((number, text, plain))
    out: list[Passage] = []
    index = 0
    while index < len(pieces):
        start = index
        _, text, plain = pieces[index]
        while (
            plain
            and index - start + 1 < MAX_JOINED_LINES
            and index + 1 < len(pieces)
            and pieces[index + 1][2]
            and not text.endswith(_SENTENCE_ENDS)
            and not text.startswith(("#", "**"))
            and not ITEM_START.match(pieces[index + 1][1])
        ):
            index += 1
            text = pieces[index][1]
        out.append(_joined((n, t) for n, t, _ in pieces[start : index + 1]))
        index += 1
    return tuple(out)


# --- the amount grammar -----------------------------------------------------------------------

_DIGITS = r"\d+(?:,\d{3})*"
# A bare 万/亿 counts only when no word follows (not 万人, 8.63 万个).
_NO_WORD_AFTER = r"(?![\u4e00-\u9fff])"
# A number in the whitespace-free stream, and in spaced text, where extraction may leave a space
# after the decimal point ("20. 5").
NUMBER = rf"{_DIGITS}(?:\.\d+)?"
SPACED_NUMBER = rf"{_DIGITS}(?:\.\s?\d+)?"
# Units of spaced text (万元 family); the stream also reads 亿元 and a displaced 万.
SPACED_UNIT = rf"万元|元|万{_NO_WORD_AFTER}"


def amount_pattern(*, spaced: bool = False, value: str = "v", unit: str = "u") -> str:
    """An amount in a sentence, as a regex fragment.

    Default: for the whitespace-free stream (`prose_of`), non-capturing so that one pattern may hold
    several; units 万元, 亿元, 元, a bare 万/亿, and 万 displaced in front ("万133.58元"). Its token
    reads with `sentence_amount`.
    `spaced`: for passages that keep the printed spaces ("620 万元", "20. 5万元"); units 万元, 元 and a
    bare 万; the number and unit are captured in groups `value` and `unit` (`spaced_amount`).
    """
    if spaced:
        return rf"(?P<{value}>{SPACED_NUMBER})\s*(?P<{unit}>{SPACED_UNIT})"
    return rf"(?:万{NUMBER}元|{NUMBER}(?:万元|亿元|元|万{_NO_WORD_AFTER}|亿{_NO_WORD_AFTER}))"


AMOUNT = amount_pattern()
AMOUNT_RE = re.compile(AMOUNT)
SPACED_AMOUNT = amount_pattern(spaced=True)


def sentence_amount(token: str) -> tuple[float, bool] | None:
    """An AMOUNT token in 万元, and whether its 万 was displaced ("万133.58元")."""
    amount = parse_amount(token)
    if amount is None:
        return None
    return amount.to_wan(), token.startswith("万") and not token.startswith("万元")


def spaced_amount(match: re.Match[str], value: str = "v", unit: str = "u") -> float | None:
    """A SPACED_AMOUNT match in 万元 (a bare 万 is 万元)."""
    number = parse_number(match.group(value))
    return None if number is None else to_wan(number, "万元" if match.group(unit) == "万" else match.group(unit))


def labelled_amount(label: str) -> re.Pattern[str]:
    """ "<label> 为 <amount>" in spaced text: 年初预算数为 620 万元, 基本支出 577.4万元."""
    return re.compile(rf"{label}\s*(?:为)?\s*{SPACED_AMOUNT}")


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
    ctx: ReportContext, doc: Document, prose: Passage, match: re.Match[str], group: str = "amount"
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


def prose_amounts(
    ctx: ReportContext, doc: Document, pattern: re.Pattern[str]
) -> Iterator[tuple[re.Match[str], float, int]]:
    """(match, amount in 万元, line) of every match of `pattern` in the document's prose stream whose
    `amount` group reads as an amount."""
    prose = prose_of(doc)
    for match in pattern.finditer(prose.text):
        found = prose_amount(ctx, doc, prose, match)
        if found is not None:
            yield match, found[0], found[1]


def note_displaced_wan(ctx: ReportContext, doc: Document, token: str, value: float, line: int) -> None:
    ctx.finding(
        "amount_displaced_wan",
        "info",
        f"“{token}”中的“万”字错位（应为“{token[1:-1]}万元”），按 {fmt(value)} 万元读取。",
        Source(doc, line),
    )


@dataclass(frozen=True)
class Printed:
    """A printed figure and the half unit of its last digit (how far its true value may be)."""

    value: float
    error: float

    @classmethod
    def of(cls, token: str) -> Printed | None:
        return _printed(token)

    @property
    def low(self) -> float:
        return self.value - self.error

    @property
    def high(self) -> float:
        return self.value + self.error


@functools.lru_cache(maxsize=4096)  # the same amounts recur across a report's sentences
def _printed(token: str) -> Printed | None:
    amount = sentence_amount(token)
    return Printed(amount[0], half_unit(printed_decimals(token))) if amount else None


# --- names in sentences -----------------------------------------------------------------------

_NUMBERING_RE = re.compile(r"^(?:\d+[.、]|[一二三四五六七八九十]+、|\([一二三四五六七八九十\d]+\))+")


def clean_name(name: str | None) -> str:
    """A name printed in a sentence, without the list numbering in front of it ("1.", "一、", "(二)")."""
    return _NUMBERING_RE.sub("", name or "")
