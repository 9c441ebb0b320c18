"""Basic spending by economic classification (部门预算支出经济分类): the 基本支出决算明细表 and its narrative.

The table prints several (科目代码, 科目名称, 决算数) groups side by side — 人员经费 on the left,
公用经费 to the right — so a row is read as a sequence of groups wherever they start, not by fixed
columns. The category (personnel / public) follows from the code's 类, not from where the group
stands on the page. The 人员经费合计 / 公用经费合计 totals, and the sentences "人员经费 X 万元 …
公用经费 Y 万元" of the narrative, become rows 'personnel' and 'public'; the narrative is a second
source, so a disagreement with the table becomes a warning.

A 部门预算 prints the same classification as 一般公共预算基本支出部门预算经济分类预算表 (basis
'budget'), with the code split over 类 | 款 columns (`301 | 01 | 基本工资`) and three figures per
row (合计 | 人员经费 | 公用经费): the first is the row's amount, and the 合计 row's figures under the
人员经费 / 公用经费 headings are the two totals. Its sentences are budgets too.
"""

from __future__ import annotations

import re

from fiscallens.extract.context import ReportContext, Source
from fiscallens.extract.function_tables import (
    AMOUNT,
    TableRange,
    is_name_cell,
    prose_amount,
    prose_of,
    report_basis,
    table_ranges,
    table_unit,
)
from fiscallens.extract.table import Row, cell_number, document_rows, is_empty_cell
from fiscallens.model import Document
from fiscallens.normalize import find_numbers, squash, to_wan

TABLE = "economic_spending"
# 一般公共预算财政拨款基本支出决算明细表, 基本支出预算明细表, 财政拨款基本支出决算表,
# 一般公共预算基本支出部门预算经济分类预算表 …
ECONOMIC_TITLE_RE = re.compile(
    r"[^,，。:：;；]{0,30}?基本支出(?P<kind>决算|预算)?(?:部门预算)?(?:明细|经济分类)?(?P<kind2>决算|预算)?表"
)
# Budget tables give the two totals as columns of the 合计 row: 合计 | 人员经费 | 公用经费.
TOTAL_COLUMNS = {"人员经费": 0, "公用经费": 1}  # column label → index into TOTALS
# Economic classification codes: 类 301, 款 30101; a 款 printed in its own column: 01.
ECONOMIC_CODE_RE = re.compile(r"3\d{2}(?:\d{2})?")
SPLIT_PART_RE = re.compile(r"\d{2}")
# Category by 类 (the first three digits): 人员经费 = wages and transfers to persons; everything else
# a 基本支出 table lists is 公用经费 (goods and services, interest, capital items, other).
CATEGORY_BY_CLASS = {
    "301": "personnel",
    "303": "personnel",
    "302": "public",
    "307": "public",
    "310": "public",
    "399": "public",
}
OTHER_CATEGORY = "other"
# The two totals: (label printed, code stored, name stored, category).
TOTALS = (
    ("人员经费", "personnel", "人员经费合计", "personnel"),
    ("公用经费", "public", "公用经费合计", "public"),
)
_TOTAL_LABEL_RE = re.compile(r"(?P<label>人员经费|公用经费)\s*合\s*计\s*[:：]?")
# Between a total's label and its figure only spaces or empty markers may stand.
_GAP_RE = re.compile(r"[\s—\-–_/]*")
# "(一)人员经费382.73万元", "其中人员经费 775.02 万元，公用经费 127.31 万元".
TOTAL_SENTENCE_RE = re.compile(rf"(?P<label>人员经费|公用经费)(?:支出)?(?:合计)?(?:为|共计?)?:?(?P<amount>{AMOUNT})")


def read_economic_tables(ctx: ReportContext, doc: Document) -> None:
    """Rows of every basic-spending detail table in `doc`, then the 人员经费/公用经费 sentences."""
    for table in table_ranges(doc, ECONOMIC_TITLE_RE):
        _read_table(ctx, doc, table)
    _read_sentences(ctx, doc)


def category_of(code: str) -> str:
    return CATEGORY_BY_CLASS.get(code[:3], OTHER_CATEGORY)


def _read_table(ctx: ReportContext, doc: Document, table: TableRange) -> None:
    match = ECONOMIC_TITLE_RE.fullmatch(table.title)
    kind = (match.group("kind2") or match.group("kind")) if match else None
    basis = "budget" if kind == "预算" else "actual"
    rows = document_rows(doc, table.first + 1, table.last)
    found: list[tuple[Row, str, str, float]] = []
    totals: list[tuple[Row, int, float]] = []
    columns: dict[int, int] = {}  # cell index → index into TOTALS, from a header naming the two columns
    for row in rows:
        groups = _groups(row.cells)
        found.extend((row, code, name, value) for code, name, value in groups)
        totals.extend((row, index, value) for index, value in _totals(row.text))
        if not found:
            columns = columns or _total_columns(row.cells)
        elif columns and not groups:
            totals.extend((row, index, value) for index, value in _column_totals(row.cells, columns))
    if not found and not totals:
        return
    first_data = min(row.line for row, *_ in [*found, *totals])
    unit = table_unit(ctx, doc, table, first_data - 1)
    for row, code, name, value in found:
        ctx.put(
            TABLE,
            (basis, code),
            Source(doc, row.line),
            {"amount": to_wan(value, unit)},
            basis=basis,
            code=code,
            name=name,
            category=category_of(code),
            source_table=table.title,
        )
    for row, index, value in totals:
        _, code, name, category = TOTALS[index]
        ctx.put(
            TABLE,
            (basis, code),
            Source(doc, row.line),
            {"amount": to_wan(value, unit)},
            basis=basis,
            code=code,
            name=name,
            category=category,
            source_table=table.title,
        )


def _code_at(cells: tuple[str, ...], index: int) -> tuple[str, int] | None:
    """(code, index of its name cell) when a group starts at `index`: a code cell and a name cell,
    or a code split into 类 | 款 columns (`301 | 01 | 基本工资`, `301 |  | 工资福利支出`) and a name."""
    if index + 1 >= len(cells) or not ECONOMIC_CODE_RE.fullmatch(cells[index]):
        return None
    if is_name_cell(cells[index + 1]):
        return cells[index], index + 1
    part = cells[index + 1]
    if len(cells[index]) == 3 and index + 2 < len(cells) and is_name_cell(cells[index + 2]):
        if SPLIT_PART_RE.fullmatch(part):
            return cells[index] + part, index + 2
        if is_empty_cell(part):
            return cells[index], index + 2
    return None


def _groups(cells: tuple[str, ...]) -> list[tuple[str, str, float]]:
    """(code, name, amount) groups of one row, wherever they stand; groups with an empty amount are
    skipped (a blank states nothing). In a flattened row a blank amount has vanished, so a cell that
    starts the next group is never taken as an amount. A budget table's row has more figures after
    the first (合计 | 人员经费 | 公用经费): the first is the group's amount."""
    groups = []
    index = 0
    while index < len(cells) - 1:
        start = _code_at(cells, index)
        if start is None:
            index += 1
            continue
        code, name_at = start
        name = squash(cells[name_at])
        amount_at = name_at + 1
        starts_group = _code_at(cells, amount_at) is not None
        value = None if amount_at >= len(cells) or starts_group else cell_number(cells[amount_at])
        if value is not None:
            groups.append((code, name, value))
        index = amount_at if starts_group else amount_at + 1
    return groups


def _total_columns(cells: tuple[str, ...]) -> dict[int, int]:
    """A header row with both a 人员经费 and a 公用经费 column: cell index → index into TOTALS."""
    found = {i: TOTAL_COLUMNS[squash(c)] for i, c in enumerate(cells) if squash(c) in TOTAL_COLUMNS}
    return found if len(set(found.values())) == len(TOTAL_COLUMNS) else {}


def _column_totals(cells: tuple[str, ...], columns: dict[int, int]) -> list[tuple[int, float]]:
    """The figures of the 合计 row under the 人员经费 / 公用经费 columns."""
    if not cells or squash(next((c for c in cells if c.strip()), "")) not in ("合计", "总计"):
        return []
    out = []
    for index, total in columns.items():
        value = cell_number(cells[index]) if index < len(cells) else None
        if value is not None:
            out.append((total, value))
    return out


def _totals(text: str) -> list[tuple[int, float]]:
    """(index into TOTALS, figure) for "人员经费合计 382.73 … 公用经费 合计 95.07"."""
    out = []
    labels = [t[0] for t in TOTALS]
    numbers = find_numbers(text)
    for match in _TOTAL_LABEL_RE.finditer(text):
        following = [(start, value) for start, _, value in numbers if start >= match.end()]
        if following and _GAP_RE.fullmatch(text[match.end() : following[0][0]]):
            out.append((labels.index(match.group("label")), following[0][1]))
    return out


def _read_sentences(ctx: ReportContext, doc: Document) -> None:
    """Final accounts and evaluations state what was spent, a budget what is planned."""
    basis = report_basis(ctx)
    prose = prose_of(doc)
    for match in TOTAL_SENTENCE_RE.finditer(prose.text):
        found = prose_amount(ctx, doc, prose, match)
        if found is None:
            continue
        value, line = found
        _, code, name, category = next(t for t in TOTALS if t[0] == match.group("label"))
        ctx.put(
            TABLE,
            (basis, code),
            Source(doc, line),
            {"amount": value},
            basis=basis,
            code=code,
            name=name,
            category=category,
        )
