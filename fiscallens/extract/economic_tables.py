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

A damaged code (`301 | 2 | 津贴补贴`, a 款 printed without its leading zero) is repaired from the codes
printed around it in its column group when that is certain (`codes.repair_codes`, an `info`
finding); otherwise the row is kept with its code as printed ("301 9"), its name and amount, and a
finding — it still counts under its 类 in the audit rule economic_children_sum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fiscallens.extract.codes import CODE_AREA_CELL_RE, CodeRepair, code_parts, repair_codes
from fiscallens.extract.context import ReportContext, Source, fmt, report_basis
from fiscallens.extract.prose import AMOUNT, prose_amounts
from fiscallens.extract.table import (
    Row,
    TableRange,
    cell_number,
    document_rows,
    is_empty_cell,
    is_name_cell,
    table_ranges,
    table_unit,
)
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
# Widths of the 类 | 款 parts, and the digit every economic 类 starts with: a damaged code ("301 | 2",
# "301 2") is repaired only within the family (codes.repair_codes).
ECONOMIC_PART_WIDTHS = (3, 2)
ECONOMIC_FAMILY = "3"
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


@dataclass
class _Group:
    """One (code, name, amount) group of a row; `start` is its cell index, the column group it stands in."""

    start: int
    code: str  # "" while a damaged code waits for `repair_codes`
    name: str
    value: float | None
    parts: tuple[str, ...] | None = None  # a damaged code's printed parts (类, 款)
    repair: CodeRepair | None = None

    @property
    def unresolved(self) -> bool:
        return self.parts is not None and (self.repair is None or self.repair.code is None)


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
    found: list[tuple[Row, _Group]] = []  # every group, blank amounts too: they bound the codes' order
    totals: list[tuple[Row, int, float]] = []
    columns: dict[int, int] = {}  # cell index → index into TOTALS, from a header naming the two columns
    for row in rows:
        groups = _groups(row.cells)
        found.extend((row, group) for group in groups)
        totals.extend((row, index, value) for index, value in _totals(row.text))
        if not found:
            columns = columns or _total_columns(row.cells)
        elif columns and not groups:
            totals.extend((row, index, value) for index, value in _column_totals(row.cells, columns))
    found = [(row, group) for row, group in found if group.value is not None] if _repair(found) else []
    if not found and not totals:
        return
    first_data = min(row.line for row, *_ in [*found, *totals])
    unit = table_unit(ctx, doc, table, first_data - 1)
    for row, group in found:
        code, key = group.code, (basis, group.code)
        if group.unresolved and group.repair is not None:
            code, key = group.repair.printed, (basis, group.repair.printed, group.name)
        row_of = (code, group.name, category_of(code))
        _put(ctx, key, Source(doc, row.line), row_of, to_wan(group.value, unit), source_table=table.title)
        if group.repair is not None:
            _note_code(ctx, doc, table, row, group, unit)
    for row, index, value in totals:
        _, code, name, category = TOTALS[index]
        _put(ctx, (basis, code), Source(doc, row.line), (code, name, category), to_wan(value, unit), table.title)


def _put(
    ctx: ReportContext,
    key: tuple[str, ...],
    source: Source,
    row: tuple[str, str, str],
    amount: float,
    source_table: str | None = None,
) -> None:
    """One economic_spending row: `row` is its (code, name, category); the key starts with its basis."""
    code, name, category = row
    extra = {"source_table": source_table} if source_table is not None else {}
    ctx.put(TABLE, key, source, {"amount": amount}, basis=key[0], code=code, name=name, category=category, **extra)


def _code_at(cells: tuple[str, ...], index: int) -> tuple[str, int, tuple[str, ...] | None] | None:
    """(code, index of its name cell, damaged parts) when a group starts at `index`: a code cell and a
    name cell, or a code split into 类 | 款 columns (`301 | 01 | 基本工资`, `301 |  | 工资福利支出`) and a
    name. A damaged code — a 款 that lost a digit (`301 | 2 | 津贴补贴`), digits with a space inside
    (`301 2 | 津贴补贴`), a blank 类 under its parent (` | 02 | 津贴补贴`) — comes back as parts, code ""."""
    if index + 1 >= len(cells):
        return None
    cell, following = cells[index], cells[index + 1]
    if ECONOMIC_CODE_RE.fullmatch(cell):
        if is_name_cell(following):
            return cell, index + 1, None
        if len(cell) == 3 and _named(cells, index + 2):
            if SPLIT_PART_RE.fullmatch(following):
                return cell + following, index + 2, None
            if is_empty_cell(following):
                return cell, index + 2, None
            if CODE_AREA_CELL_RE.fullmatch(following):  # a 款 that lost a digit: 301 | 2
                return _damaged(cells, index, 2)
        return None
    if cell[:1].isdigit():
        if " " in cell and CODE_AREA_CELL_RE.fullmatch(cell) and is_name_cell(following):  # 301 2 | 津贴补贴
            return _damaged(cells, index, 1)
    elif is_empty_cell(cell) and SPLIT_PART_RE.fullmatch(following) and _named(cells, index + 2):  # | 02 |
        return _damaged(cells, index, 2)
    return None


def _named(cells: tuple[str, ...], index: int) -> bool:
    return index < len(cells) and is_name_cell(cells[index])


def _damaged(cells: tuple[str, ...], index: int, width: int) -> tuple[str, int, tuple[str, ...] | None] | None:
    """A damaged code of `width` cells at `index`, its name right after: code "" and its parts."""
    parts = code_parts(cells[index : index + width], len(ECONOMIC_PART_WIDTHS))
    return ("", index + width, parts) if parts else None


def _groups(cells: tuple[str, ...]) -> list[_Group]:
    """(code, name, amount) groups of one row, wherever they stand; an empty amount is None (a blank
    states nothing, but its code still tells the order of the codes around it). In a flattened row a
    blank amount has vanished, so a cell that starts the next group is never taken as an amount. A
    budget table's row has more figures after the first (合计 | 人员经费 | 公用经费): the first is the
    group's amount."""
    groups = []
    index = 0
    while index < len(cells) - 1:
        start = _code_at(cells, index)
        if start is None:
            index += 1
            continue
        code, name_at, parts = start
        name = squash(cells[name_at])
        amount_at = name_at + 1
        starts_group = _code_at(cells, amount_at) is not None
        value = None if amount_at >= len(cells) or starts_group else cell_number(cells[amount_at])
        groups.append(_Group(index, code, name, value, parts))
        index = amount_at if starts_group else amount_at + 1
    return groups


def _repair(found: list[tuple[Row, _Group]]) -> bool:
    """Repair the damaged codes of a table's groups, column group by column group (each lists its codes
    in order); True when any group states an amount."""
    streams: dict[int, list[_Group]] = {}
    for _, group in found:
        streams.setdefault(group.start, []).append(group)
    for groups in streams.values():
        sequence = [g.parts if g.parts is not None else g.code for g in groups]
        for index, repair in repair_codes(sequence, ECONOMIC_PART_WIDTHS, ECONOMIC_FAMILY).items():
            groups[index].repair = repair
            groups[index].code = repair.code or ""
    return any(group.value is not None for _, group in found)


def _note_code(ctx: ReportContext, doc: Document, table: TableRange, row: Row, group: _Group, unit: str) -> None:
    """What a damaged code was read as and why, or that its row was kept as printed."""
    source, repair = Source(doc, row.line), group.repair
    if repair is None:
        return
    if repair.code is not None:
        ctx.finding(
            "table_code_repaired",
            "info",
            f"{table.title}（{source.where}）的经济分类科目编码印作“{repair.printed}”，读作 {repair.code}"
            f"“{group.name}”：{repair.reason}。",
            source,
        )
        return
    parent = f"，归入上级科目 {repair.parent}" if repair.parent else "，上级科目不明"
    ctx.finding(
        "table_code_unreadable",
        "info",
        f"{table.title}（{source.where}）的经济分类科目编码印作“{repair.printed}”，{repair.reason}，编码无法确定；"
        f"该行“{group.name}”（{fmt(group.value)} {unit}）按原样保留，编码记为“{repair.printed}”{parent}。",
        source,
    )


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
    for match, value, line in prose_amounts(ctx, doc, TOTAL_SENTENCE_RE):
        _, code, name, category = next(t for t in TOTALS if t[0] == match.group("label"))
        _put(ctx, (basis, code), Source(doc, line), (code, name, category), value)
