"""“三公”经费 (official trips abroad, official vehicles, official hospitality): table, sentences, last year.

Sources, in the order they are read (the first keeps its figure, later ones fill gaps or are flagged):
- the 三公 table (公开09表): 预算数 and 决算数, six columns each — 合计, 因公出国(境)费, 公务用车小计,
  购置费, 运行维护费, 公务接待费. Its header is often mangled by extraction, so a data row of twelve
  numeric-or-empty cells is read in that standard order (and a finding says so);
- sentences: "因公出国(境)费预算 0 万元,支出决算 0 万元", "“三公”经费控制数为5.44万元,其中公务接待费
  2.24万元…". Within a sentence the last budget word (预算/控制数) or actual word (决算/实际支出)
  decides what a following amount is, and a "其中" list inherits it;
- year-on-year clauses ("较上年增加 0.29 万元", "与上年决算数持平") give last year's actual figure,
  stored as a derived row for fiscal_year − 1.

Tables read from a PDF keep their header as a grid (one header row per printed row, a merged
heading in its first cell), so their columns are read by their headings wherever they stand:
the final accounts alternate 预算数 | 决算数 under each item, a 部门预算 orders 合计, 因公出国(境)费,
公务接待费, 公务用车 … and adds a 机关运行经费 column. Only when the headings cannot be read is the
standard order assumed.

In a 部门预算 (basis 'budget') every figure is a budget: a sentence without a budget or actual word
states the budget. The 机关运行经费 (the general-budget 公用经费 of administrative units) printed
beside the 三公 figures — in the table or as "机关运行经费预算为213.28万元" / "机关运行经费支出184.65万元"
— is recorded in economic_spending as the category total `operating` (category public).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fiscallens.extract.context import ReportContext, Source, fmt, report_basis, rounding_envelope, same_figure
from fiscallens.extract.prose import (
    AMOUNT,
    note_displaced_wan,
    printed_decimals,
    prose_amounts,
    prose_of,
    sentence_amount,
)
from fiscallens.extract.table import (
    Row,
    TableRange,
    cell_number,
    document_rows,
    is_empty_cell,
    table_ranges,
    table_unit,
)
from fiscallens.model import Document
from fiscallens.normalize import compact_text, squash, to_wan

TABLE = "three_public"
# Final accounts (basis actual) carry both the budget and the actual figure in one row; a 部门预算's
# rows (basis budget) only the budget.
ITEMS = ("total", "outbound", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception")
ITEM_LABELS = {
    "total": "“三公”经费合计",
    "outbound": "因公出国(境)费",
    "vehicle_total": "公务用车购置及运行维护费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行维护费",
    "reception": "公务接待费",
}
FIGURES = ("budget", "actual")
FIGURE_LABELS = {"budget": "预算数", "actual": "决算数"}

# --- table ------------------------------------------------------------------------------------

THREE_PUBLIC_TITLE_RE = re.compile(r"[^,，。:：;；]{0,20}?[“\"]?三公[”\"]?经费[^,，。:：;；]{0,20}?表")
# Column headings, checked from the most specific (lowest) heading of a column up.
COLUMN_ITEMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("operating", re.compile(r"机关运行经费")),
    ("outbound", re.compile(r"出国")),
    ("reception", re.compile(r"接待")),
    ("vehicle_total", re.compile(r"购置[及和]运行|小计")),
    ("vehicle_purchase", re.compile(r"购置")),
    ("vehicle_operation", re.compile(r"运行|维护")),
    ("total", re.compile(r"^合计$|^总计$|三公")),
)
COLUMN_FIGURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("actual", re.compile(r"决算|实际|执行数")),
    ("budget", re.compile(r"预算|控制数")),
)
# 机关运行经费 (economic_spending's category total `operating`).
ECONOMIC_TABLE = "economic_spending"
OPERATING = {"code": "operating", "name": "机关运行经费", "category": "public"}
OPERATING_SENTENCE_RE = re.compile(rf"机关运行经费(?:支出|预算)?数?(?:为|共计?)?:?(?P<amount>{AMOUNT})")
# The standard column order of one group (预算数, then 决算数) is ITEMS; a readable header shows
# these words in that order once per group.
HEADER_GROUP_RE = re.compile(r"合计.*?出国.*?小计.*?购置.*?运行.*?接待")
# Figures are rounded to 0.01 万元: a total and the sum of its three parts (出国 + 公务用车 + 接待) may
# differ by the rounding envelope of three figures (the envelope of two covers 公务用车 = 购置 + 运行).
SUM_TOLERANCE = rounding_envelope(3)

# --- sentences --------------------------------------------------------------------------------

# Longer phrases first: 公务用车购置及运行维护费 must not be read as 公务用车购置(费).
# Documents also write 公务车 and 公务车用车 ("公务车购置及运行费" is the vehicle total, not 购置).
_VEHICLE = r"公务(?:用车|车用车|车)"
ITEM_PATTERNS: tuple[tuple[str, str], ...] = (
    ("vehicle_total", rf"{_VEHICLE}购置[及和]运行(?:维护)?费"),
    ("vehicle_operation", rf"{_VEHICLE}运(?:行维护|行|维)(?:费|支出)"),
    ("vehicle_purchase", rf"{_VEHICLE}购置(?:费|支出)?"),
    ("outbound", r"因公出国\(境\)费?用?|出国\(境\)费|出国出境费|因公出国费"),
    ("reception", r"公务接待费"),
    ("total", r"[“\"]?三公[”\"]?经费"),
)
# Parts of an item that are not items of their own: an amount after them belongs to no item.
SUB_ITEM_RE = r"国内(?:公务)?接待费|国\(境\)外(?:公务)?接待费|外宾接待费"
# An amount after a bound is a target or a ceiling ("控制在5万元以内", "≤5万元"), not a figure.
BOUND_RE = r"[≤≥≦≧<>]|不超过|不高于|控制在"
BUDGET_WORDS = r"预算数?|控制数|预算控制数"
ACTUAL_WORDS = r"决算数?|实际支出|实际使用|支出"
# "较上年增加0.29万元", "比上年减少1.2万元", "与上年决算数持平", "比2024年预算减少10万元,下降20.86%",
# "与2023年度持平". A change from another year is a change: its amount is never the item's figure.
YOY = (
    r"(?:较|比|与)(?:上一?年度?|(?P<yoy_year>\d{4})年度?)(?:\([^)\n]{0,12}\))?"
    r"(?P<yoy_what>预算执行数|执行数|预算数?|决算数?|控制数)?(?:相比)?,?"
    rf"(?:(?P<dir>增加|减少|增长|下降)(?P<delta>{AMOUNT})?(?:,?(?:增加|减少|增长|下降)?\d+(?:\.\d+)?%)?|(?:基本)?持平)"
)
# What the comparison is with: last year's actual (决算, 执行数) or budget (预算, 控制数).
YOY_FIGURES: tuple[tuple[str, str], ...] = (
    ("执行", "actual"),
    ("决算", "actual"),
    ("预算", "budget"),
    ("控制", "budget"),
)
TOKEN_RE = re.compile(
    "|".join(
        [
            rf"(?P<yoy>{YOY})",
            rf"(?P<sub>{SUB_ITEM_RE})",
            rf"(?P<bound>{BOUND_RE})",
            *(rf"(?P<{item}>{pattern})" for item, pattern in ITEM_PATTERNS),
            rf"(?P<budget>{BUDGET_WORDS})",
            rf"(?P<actual>{ACTUAL_WORDS})",
            rf"(?P<amount>{AMOUNT})",
        ]
    )
)
# A sentence with no budget or actual word reports what was spent.
DEFAULT_SENTENCE_FIGURE = "actual"
YOY_SIGN = {"增加": -1, "增长": -1, "减少": 1, "下降": 1, None: 0}
# Derived figures are rounded to the precision they are printed with, not float noise.
DERIVED_DECIMALS = 4


def read_three_public(ctx: ReportContext, doc: Document) -> None:
    """三公 rows of `doc`: its 三公 table(s), its 三公 sentences and the year-on-year derivations;
    and the 机关运行经费 printed with them."""
    year = ctx.classification.fiscal_year
    tables = table_ranges(doc, THREE_PUBLIC_TITLE_RE)
    for table in tables:
        _read_table(ctx, doc, table, year)
    stated = _read_sentences(ctx, doc, year)
    _check_empty_tables(ctx, doc, tables, stated, year)
    _read_operating_sentences(ctx, doc)
    _note_unstated(ctx, doc, year)


def _put(
    ctx: ReportContext,
    source: Source,
    year: int | None,
    item: str,
    figures: dict[str, float | None],
    decimals: int | None = None,
    derived: bool = False,
) -> None:
    figures = {name: figures.get(name) for name in FIGURES}  # every row carries both columns
    basis = report_basis(ctx)
    ctx.put(
        TABLE,
        (year, item),
        source,
        figures,
        printed_decimals=decimals,
        basis=basis,
        fiscal_year=year,
        item=item,
        derived=derived,
    )


def _put_operating(ctx: ReportContext, source: Source, basis: str, amount: float, table: str | None) -> None:
    ctx.put(
        ECONOMIC_TABLE,
        (basis, OPERATING["code"]),
        source,
        {"amount": amount},
        basis=basis,
        source_table=table,
        **OPERATING,
    )


def _read_table(ctx: ReportContext, doc: Document, table: TableRange, year: int | None) -> None:
    rows = document_rows(doc, table.first + 1, table.last)
    if _read_by_headings(ctx, doc, table, rows, year):
        return
    data = next(((row, values) for row in rows if (values := _data_cells(row)) is not None), None)
    if data is None:
        return
    row, values = data
    header = squash(" ".join(doc.lines[table.first : row.line - 1]))
    unit = table_unit(ctx, doc, table, row.line - 1)
    source = Source(doc, row.line)
    if len(values) == len(ITEMS):
        has_budget, has_actual = "预算" in header, "决算" in header
        if has_budget == has_actual:
            ctx.finding(
                "three_public_table_unclear",
                "warning",
                f"{table.title}第 {row.line} 行只有六列数字，表头看不出是预算数还是决算数，未读取。",
                source,
            )
            return
        groups = {"budget" if has_budget else "actual": values}
    else:
        groups = {"budget": values[: len(ITEMS)], "actual": values[len(ITEMS) :]}
    if len(HEADER_GROUP_RE.findall(header)) < len(groups):
        ctx.finding(
            "three_public_header_assumed",
            "info",
            f"{table.title}表头文字残缺，第 {row.line} 行的 {len(values)} 列按标准列序读取："
            + ("预算数、决算数各六列：" if len(groups) == 2 else "")
            + "合计、因公出国(境)费、公务用车购置及运行维护费小计、购置费、运行维护费、公务接待费。",
            source,
        )
    for figure, group in groups.items():
        groups[figure] = _blanks_as_zero(ctx, source, table.title, figure, group)
    for index, item in enumerate(ITEMS):
        figures = {f: (to_wan(g[index], unit) if g[index] is not None else None) for f, g in groups.items()}
        _put(ctx, source, year, item, figures)


def _read_by_headings(ctx: ReportContext, doc: Document, table: TableRange, rows: list[Row], year: int | None) -> bool:
    """Read a 三公 table whose header is a grid (tab-separated rows) by its column headings.
    False when the headings do not name every filled column (the caller then assumes the standard order)."""
    tabbed = [row for row in rows if "\t" in doc.lines[row.line - 1]]
    data_at = next((i for i, row in enumerate(tabbed) if _numeric_cells(row.cells) is not None), None)
    if data_at is None or data_at == 0:
        return False
    row = tabbed[data_at]
    cells = row.cells
    meanings = [_column_meaning(labels, report_basis(ctx)) for labels in _column_labels(tabbed[:data_at], len(cells))]
    values = [cell_number(c) for c in cells]
    filled = [i for i, v in enumerate(values) if v is not None]
    items = [m for m in meanings if m is not None]
    if not filled or any(meanings[i] is None for i in filled) or len(set(items)) != len(items):
        return False
    source = Source(doc, row.line)
    unit = table_unit(ctx, doc, table, row.line - 1)
    groups: dict[str, list[float | None]] = {}
    for (item, figure), value in ((m, v) for m, v in zip(meanings, values, strict=True) if m is not None):
        if item == "operating":
            if value is not None:
                _put_operating(ctx, source, figure, to_wan(value, unit), table.title)
            continue
        groups.setdefault(figure, [None] * len(ITEMS))[ITEMS.index(item)] = value
    for figure, group in groups.items():
        groups[figure] = _blanks_as_zero(ctx, source, table.title, figure, group)
    for index, item in enumerate(ITEMS):
        figures = {f: (to_wan(g[index], unit) if g[index] is not None else None) for f, g in groups.items()}
        if any(v is not None for v in figures.values()):
            _put(ctx, source, year, item, figures)
    return True


def _column_labels(header: list[Row], width: int) -> list[list[str]]:
    """Each column's headings, top to bottom. A merged heading stands in the first cell of its span and
    covers the columns up to the next heading of its row within the span of the heading above it."""
    labels: list[list[str]] = [[] for _ in range(width)]
    spans = [(0, width)]
    for row in header:
        cells = [squash(c) for c in row.cells[:width]] + [""] * max(0, width - len(row.cells))
        if not any(cells):
            continue
        narrower = []
        for first, end in spans:
            starts = [i for i in range(first, end) if cells[i]]
            if not starts:
                narrower.append((first, end))
                continue
            if starts[0] > first:
                narrower.append((first, starts[0]))
            for k, start in enumerate(starts):
                stop = starts[k + 1] if k + 1 < len(starts) else end
                for column in range(start, stop):
                    labels[column].append(cells[start])
                narrower.append((start, stop))
        spans = narrower
    return labels


def _column_meaning(labels: list[str], basis: str) -> tuple[str, str] | None:
    """(item, figure) a column's headings name, the lowest heading first; a budget document's columns
    are budgets unless a heading says otherwise."""
    item = next((i for label in reversed(labels) for i, p in COLUMN_ITEMS if p.search(label)), None)
    figure = next((f for label in reversed(labels) for f, p in COLUMN_FIGURES if p.search(label)), None)
    if item is None:
        return None
    if figure is None:
        figure = "budget" if basis == "budget" else None
    return (item, figure) if figure else None


def _numeric_cells(cells: tuple[str, ...]) -> list[float | None] | None:
    """The values of a data row: every filled cell a number, at least one, and not the column numbers."""
    values = [cell_number(c) for c in cells]
    if any(v is None and not is_empty_cell(c) for v, c in zip(values, cells, strict=True)):
        return None
    figures = [v for v in values if v is not None]
    if not figures or (len(figures) > 2 and figures == [float(i) for i in range(1, len(figures) + 1)]):
        return None
    return values


def _read_operating_sentences(ctx: ReportContext, doc: Document) -> None:
    basis = report_basis(ctx)
    for _, value, line in prose_amounts(ctx, doc, OPERATING_SENTENCE_RE):
        _put_operating(ctx, Source(doc, line), basis, value, None)


def _data_cells(row: Row) -> list[float | None] | None:
    """The figures of a 三公 data row: 12 (or 6) numeric-or-empty cells, after an optional label cell.
    The column-number row (1 2 3 … 12) is not data."""
    cells = list(row.cells)
    if cells and not is_empty_cell(cells[0]) and cell_number(cells[0]) is None:
        cells = cells[1:]  # a label such as 合计 or the department's name
    while len(cells) > 2 * len(ITEMS) and is_empty_cell(cells[-1]):
        cells.pop()
    values = [cell_number(c) for c in cells]
    if len(cells) not in (len(ITEMS), 2 * len(ITEMS)):
        return None
    if any(v is None and not is_empty_cell(c) for v, c in zip(values, cells, strict=True)):
        return None
    figures = [v for v in values if v is not None]
    if not figures or figures == [float(i) for i in range(1, len(figures) + 1)]:
        return None
    return values


def _blanks_as_zero(
    ctx: ReportContext, source: Source, title: str, figure: str, values: list[float | None]
) -> list[float | None]:
    """Blank cells of a group are zeros when the group adds up with them as zeros
    (合计 = 出国 + 公务用车 + 接待, 公务用车 = 购置 + 运行); otherwise they stay empty."""
    blanks = [ITEMS[i] for i, v in enumerate(values) if v is None]
    total, outbound, vehicle, purchase, operation, reception = (v or 0.0 for v in values)
    if not blanks or values[0] is None:
        return values
    if (
        abs(total - outbound - vehicle - reception) > SUM_TOLERANCE
        or abs(vehicle - purchase - operation) > SUM_TOLERANCE
    ):
        return values
    ctx.finding(
        "three_public_blank_as_zero",
        "info",
        f"{title}{FIGURE_LABELS[figure]}中{'、'.join(ITEM_LABELS[b] for b in blanks)}为空白；"
        f"以 0 计时各项之和等于合计 {fmt(total)} 万元，故按 0 万元读取。",
        source,
    )
    return [v if v is not None else 0.0 for v in values]


# --- sentences --------------------------------------------------------------------------------


_ABOUT_THREE_PUBLIC_RE = re.compile(r"三公|公务接待|公务用车|出国")


def _read_sentences(ctx: ReportContext, doc: Document, year: int | None) -> list[_Stated]:
    """Read the 三公 sentences; returns the figures they state for `year` (not the derived ones)."""
    prose = prose_of(doc)
    read: list[_Stated] = []
    for offset, sentence in prose.sentences():
        if not _ABOUT_THREE_PUBLIC_RE.search(sentence):
            continue
        item: str | None = None
        figure: str | None = None
        stated: dict[str, dict[str, float]] = {}  # figures this sentence gave, per item and figure
        bounded = False
        for token in TOKEN_RE.finditer(sentence):
            kind = token.lastgroup
            line = prose.line_at(offset + token.start())
            if kind == "bound":
                bounded = True
            elif kind == "amount" and bounded:
                bounded = False
            elif kind == "sub":
                item = None
            elif kind in ITEMS:
                item = kind
            elif kind in ("budget", "actual"):
                figure = kind
            elif kind == "amount" and item is not None:
                amount = sentence_amount(token.group())
                if amount is None:
                    continue
                if amount[1]:
                    note_displaced_wan(ctx, doc, token.group(), amount[0], line)
                which = figure or ("budget" if report_basis(ctx) == "budget" else DEFAULT_SENTENCE_FIGURE)
                _put(ctx, Source(doc, line), year, item, {which: amount[0]}, printed_decimals(token.group()))
                stated.setdefault(item, {})[which] = amount[0]
                read.append(_Stated(item, which, amount[0], line))
            elif kind == "yoy" and item is not None:
                _derive_last_year(ctx, doc, line, year, item, token, stated.get(item, {}))
    return read


def _derive_last_year(
    ctx: ReportContext,
    doc: Document,
    line: int,
    year: int | None,
    item: str,
    token: re.Match[str],
    stated: dict[str, float],
) -> None:
    """The compared year's figure of `item` from a year-on-year clause, as a derived row: last year's actual
    (决算, 执行数) or budget (预算) as the clause says, else the kind of figure the report is about."""
    source = Source(doc, line)
    what = token.group("yoy_what") or ""
    kind = next((f for word, f in YOY_FIGURES if word in what), None)
    if kind is None:  # "较上年增加…": what a report is about, actuals in final accounts, budgets in a budget
        kind = "budget" if report_basis(ctx) == "budget" else "actual"
    base = stated.get(kind)
    if base is None:
        row = ctx.get(TABLE, (year, item))
        base = row.get(kind) if row else None
    direction = token.group("dir")
    if direction and not token.group("delta"):
        return  # a change in % only: last year's figure cannot be told exactly
    other_year = int(token.group("yoy_year")) if token.group("yoy_year") else (year - 1 if year else None)
    if base is None or year is None or other_year is None or other_year == year:
        ctx.finding(
            "three_public_yoy_unused",
            "info",
            f"{ITEM_LABELS[item]}的同比说明“{token.group()}”缺少本年{FIGURE_LABELS[kind]}或年度，无法推算上年数。",
            source,
        )
        return
    delta = sentence_amount(token.group("delta"))[0] if direction else 0.0
    value = round(base + YOY_SIGN[direction] * delta, DERIVED_DECIMALS)
    _put(ctx, source, other_year, item, {kind: value}, derived=True)
    sign = "−" if YOY_SIGN[direction] < 0 else "+"
    how = f"{year} 年 {fmt(base)} {sign} {fmt(delta)}" if direction else f"与 {year} 年 {fmt(base)} 万元持平"
    ctx.finding(
        "three_public_derived",
        "info",
        f"由“{token.group()}”推算 {other_year} 年{ITEM_LABELS[item]}{FIGURE_LABELS[kind]}为 {fmt(value)} 万元"
        f"（{how}），记为推算值（derived）。",
        source,
    )


# --- a table said to be empty ------------------------------------------------------------------

# "注:本部门2024年无“三公”经费和机关运行经费预算,故本表为空表。", "本表无数据", "本单位无“三公”经费支出".
EMPTY_CLAIM_RE = re.compile(r"本表无数据|为空表|本表为空|本(?:部门|单位)[^。]{0,12}?无[^。]{0,12}?三公[”\"]?经费")
# A 三公 table's header names its columns right under its title; a title line without them (a contents
# entry) is no table.
HEADER_WORDS_RE = re.compile(r"出国|接待|公务用车")
HEADER_LINES = 4
# How much of a note a finding quotes.
NOTE_QUOTE_CHARS = 60
# The note under a table may wrap onto this many lines.
NOTE_LINES = 3


@dataclass(frozen=True)
class _Stated:
    item: str
    figure: str
    amount: float
    line: int


def _table_emptiness(doc: Document, table: TableRange) -> tuple[str, int] | None:
    """How a 三公 table says it is empty, and where: a note ("本表无数据", "为空表") under or in it, or a
    header with no figure under it. None for a table with figures and no such note, or for no table."""
    header = doc.lines[table.first : min(table.last, table.first + HEADER_LINES)]
    if not any(HEADER_WORDS_RE.search(squash(text)) for text in header):
        return None
    last = table.last
    if table.last < len(doc.lines) and compact_text(doc.lines[table.last]).startswith("注"):
        last = min(len(doc.lines), table.last + NOTE_LINES)  # the table's note, which ended its range
    for number in range(table.first + 1, last + 1):
        text = compact_text(doc.lines[number - 1])
        claim = EMPTY_CLAIM_RE.search(text)
        if claim:
            note = text[: max(claim.end(), text.find("。", claim.end()))].removeprefix("注").lstrip(":")
            return f"注明“{note[:NOTE_QUOTE_CHARS]}”", number
    rows = document_rows(doc, table.first + 1, table.last)
    if any(_data_cells(row) is not None or _numeric_cells(row.cells) is not None for row in rows):
        return None
    return "各栏均为空白、没有数字", table.first


def _check_empty_tables(
    ctx: ReportContext, doc: Document, tables: list[TableRange], stated: list[_Stated], year: int | None
) -> None:
    """A 三公 table said to be empty (or printed blank) while the narrative gives non-zero 三公 figures."""
    given = [s for s in stated if s.amount > 0]
    if not given:
        return
    for table in tables:
        ctx.checked("three_public_empty_table")
        empty = _table_emptiness(doc, table)
        if empty is None:
            continue
        how, line = empty
        first = given[0]
        more = f"等 {len(given)} 处" if len(given) > 1 else ""
        ctx.finding(
            "three_public_empty_table",
            "warning",
            f"{table.title}（{Source(doc, line).where}）{how}，但文字说明写明{year or ''}年"
            f"{ITEM_LABELS[first.item]}{FIGURE_LABELS[first.figure]} {fmt(first.amount)} 万元"
            f"（{Source(doc, first.line).where}）{more}；表与说明不一致。",
            Source(doc, line),
        )


def _note_unstated(ctx: ReportContext, doc: Document, year: int | None) -> None:
    """Items whose budget is given but whose actual figure the document never states stay empty;
    say so, and whether the stated items already add up to the total (then the missing ones are 0)."""
    rows = {r["item"]: r for r in ctx.rows(TABLE) if r.get("fiscal_year") == year and not r.get("derived")}
    total = rows.get("total", {}).get("actual")
    missing = [
        i for i in ITEMS[1:] if i in rows and rows[i].get("budget") is not None and rows[i].get("actual") is None
    ]
    if total is None or not missing:
        return
    parts = [i for i in ("outbound", "vehicle_total", "reception") if rows.get(i, {}).get("actual") is not None]
    if rows.get("vehicle_total", {}).get("actual") is None:
        parts += [i for i in ("vehicle_purchase", "vehicle_operation") if rows.get(i, {}).get("actual") is not None]
    stated = sum(rows[i]["actual"] for i in parts)
    adds_up = same_figure(stated, total, SUM_TOLERANCE)
    detail = " + ".join(f"{ITEM_LABELS[i]} {fmt(rows[i]['actual'])}" for i in parts)
    first = rows[missing[0]]
    ctx.finding(
        "three_public_actual_not_stated",
        "info",
        f"文中未写明{'、'.join(ITEM_LABELS[i] for i in missing)}的决算数（只写了预算数），保留为空"
        + (f"；合计 {fmt(total)} = {detail}，可知其应为 0，但原文未写，不入库。" if adds_up and parts else "。"),
        Source(doc, first.get("source_line") or 1),
    )
