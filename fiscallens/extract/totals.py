"""Summary tables (收支总表) and the narrative's totals: what a report received, spent and carried over.

Every 部门决算 and 部门预算 opens its tables with one or two two-sided summaries:
收入支出决算总表 / 部门财务收支预算总表 / 部门收支总表 (all funds, statement 'all') and 财政拨款收入支出决算总表 /
部门财政拨款收支预算总表 (appropriations only, statement 'fiscal'). Income is on the left, expenditure on the
right, one item a side per row:

    项目                        决算数    项目                    决算数
    一、一般公共预算财政拨款收入   2,940.05  一、一般公共服务支出      2,106.66
    …
    本年收入合计                 2,946.25  本年支出合计            2,940.05
    年初结转和结余                  49.14  年末结转和结余             55.34
    总计                         2,995.39  总计                   2,995.39

Rows are read by the header's column positions (the two 项目 cells, skipping 行次 columns); a row
flattened by extraction, without its empty cells, is read as label–amount segments in order, the
side told by the label. Each figure lands in `totals` with a canonical `item` (schema.sql documents
the keys) and its line; empty cells (a blank template) yield nothing.

The arithmetic of the table is checked where it was printed: the items sum to 本年收入合计 (or, in a
table without one, to 收入总计); 本年收入合计 + 上年结转 (+ 使用结余) = 收入总计, and the same for
expenditure with 年末结转和结余; listed sub-items sum to their parent; 收入总计 = 支出总计. A sum of n
rounded figures may be off by (n + 1) × half the last printed digit (0.005 万元 for a 万元 table with
two decimals, proportionally less for a 元 table): within that envelope a difference is `info`.

The narrative restates the totals ("2024年度收入支出总计2995.39万元", "财政拨款收入支出总计…",
"本年收入合计2946.25万元", a budget's "收入预算9,101.68万元"): they are stored with statement
'narrative' / 'narrative_fiscal' and compared with the tables. A narrative figure rounded to fewer
decimals that matches after rounding is `info`; any other difference is a `warning`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from fiscallens.extract.context import ReportContext, Source, fmt, name_score, report_basis
from fiscallens.extract.prose import AMOUNT, prose_amount, prose_of
from fiscallens.extract.table import Row, TableRange, cell_number, document_rows, is_name_cell, table_ranges, table_unit
from fiscallens.model import Document
from fiscallens.normalize import compact_text, to_wan

TABLE = "totals"
ALL = "all"
FISCAL = "fiscal"
NARRATIVE = "narrative"
NARRATIVE_FISCAL = "narrative_fiscal"
# Which table a narrative statement restates.
NARRATED = {NARRATIVE: ALL, NARRATIVE_FISCAL: FISCAL}
STATEMENT_NAMES = {ALL: "收支总表", FISCAL: "财政拨款收支总表"}
INCOME, EXPENDITURE = "income", "expenditure"
SIDE_NAMES = {INCOME: "收入", EXPENDITURE: "支出"}

# Titles: 收入支出决算总表, 财政拨款收入支出决算总表, 部门财务收支预算总表, 部门财政拨款收支预算总表, 部门收支总表 …
TOTALS_TITLE_RE = re.compile(r".{0,40}?(?:收支|收入支出)(?:决算|预算)?总表")
# Header cells: the label column of each side, and the row-number column of the national template.
LABEL_HEADER_RE = re.compile(r"(?:收入|支出)?项目")
SIDE_HEADER_RE = {
    INCOME: re.compile(r"(?:本年|财政拨款)?收入"),
    EXPENDITURE: re.compile(r"(?:本年|财政拨款)?支出"),
}
ROW_NUMBER_HEADER = "行次"
# Labels of header rows that carry numbers (the column-number row "栏次 1 … 栏次 2").
HEADER_LABELS = frozenset({"栏次", "行次", "项目", "金额", "合计"})
# List markers: "一、" starts a top-level item; "1." / "1、" / "(一)" a sub-item of the one before.
MARKER_RE = re.compile(r"^(?:(?P<top>[一二三四五六七八九十]+)[、.]|(?P<sub>\d+[.、]|[(][一二三四五六七八九十\d]+[)]))")
_DECIMALS_RE = re.compile(r"[.．](\d+)")

# Canonical items (schema.sql documents them). Items that are not sources or kinds of money but the
# table's structure: they are never summed as items.
GRAND_TOTAL = "grand_total"
CURRENT_TOTAL = "current_total"
CARRYOVER_START = "carryover_start"
CARRYOVER_END = "carryover_end"
STRUCTURE = frozenset({GRAND_TOTAL, CURRENT_TOTAL, CARRYOVER_START, CARRYOVER_END, "reserve_use", "distribution"})
CARRYOVERS = {INCOME: CARRYOVER_START, EXPENDITURE: CARRYOVER_END}
AMONG = "其中"
# A line after a carry-over that names a carry-over or balance is part of it (基本支出结转, 项目支出结转和结余).
CARRYOVER_WORD_RE = re.compile(r"结转|结余")
UNCLASSIFIED = "unclassified"
FUNCTION_PREFIX = "function_"

# The three kinds of appropriation: a source of income, and the breakdown of a carry-over.
FUND_ITEMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("general_budget", re.compile(r"^一般公共预算")),
    ("government_fund", re.compile(r"^政府性基金")),
    ("state_capital", re.compile(r"^国有资本经营(?:预算)?(?:财政拨款|资金|收入|$)")),
)
STRUCTURE_ITEMS: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    INCOME: (
        (GRAND_TOTAL, re.compile(r"总计$")),
        (CURRENT_TOTAL, re.compile(r"^(?:本年)?收入(?:合计|小计)$|^本年收入$")),
        (CARRYOVER_START, re.compile(r"^(?:年初|上年|以前年度).{0,10}(?:结转|结余)")),
        ("reserve_use", re.compile(r"^使用.{0,12}结余|^用事业基金弥补")),
    ),
    EXPENDITURE: (
        (GRAND_TOTAL, re.compile(r"总计$")),
        (CURRENT_TOTAL, re.compile(r"^(?:本年)?支出(?:合计|小计)$|^本年支出$")),
        (CARRYOVER_END, re.compile(r"^(?:年末|结转下年).{0,10}(?:结转|结余)?")),
        ("distribution", re.compile(r"^结余分配")),
    ),
}
SOURCE_ITEMS: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    INCOME: (
        *FUND_ITEMS,
        ("fiscal", re.compile(r"^财政拨款")),
        ("special_account", re.compile(r"财政专户")),
        ("unit_funds", re.compile(r"^单位资金")),
        ("superior_subsidy", re.compile(r"^上级补助")),
        ("operating", re.compile(r"经营收入$")),
        ("business", re.compile(r"^事业收入")),
        ("subsidiary_remit", re.compile(r"^附属单位上缴")),
        ("other", re.compile(r"^其他收入")),
    ),
    EXPENDITURE: (
        ("basic", re.compile(r"^基本支出")),
        ("personnel", re.compile(r"^人员经费")),
        ("public", re.compile(r"^公用经费")),
        ("project", re.compile(r"^项目支出")),
        ("superior_remit", re.compile(r"^上缴上级支出")),
        ("operating", re.compile(r"经营支出$")),
        ("subsidiary_subsidy", re.compile(r"^对附属单位补助")),
    ),
}
# Items that belong under another when printed without markers.
IMPLIED_PARENTS = {
    "general_budget": "fiscal",
    "government_fund": "fiscal",
    "state_capital": "fiscal",
    "personnel": "basic",
    "public": "basic",
}
# Functional classes (支出功能分类 类) by their national names, current and former: the expenditure side
# of most summaries lists them. Names are matched after normalization, tolerating truncation.
FUNCTION_CLASSES = {
    "201": ("一般公共服务支出",),
    "202": ("外交支出",),
    "203": ("国防支出",),
    "204": ("公共安全支出",),
    "205": ("教育支出",),
    "206": ("科学技术支出",),
    "207": ("文化旅游体育与传媒支出", "文化体育与传媒支出"),
    "208": ("社会保障和就业支出",),
    "209": ("社会保险基金支出",),
    "210": ("卫生健康支出", "医疗卫生与计划生育支出", "医疗卫生支出"),
    "211": ("节能环保支出",),
    "212": ("城乡社区支出",),
    "213": ("农林水支出",),
    "214": ("交通运输支出",),
    "215": ("资源勘探工业信息等支出", "资源勘探信息等支出"),
    "216": ("商业服务业等支出",),
    "217": ("金融支出",),
    "219": ("援助其他地区支出",),
    "220": ("自然资源海洋气象等支出", "国土海洋气象等支出"),
    "221": ("住房保障支出",),
    "222": ("粮油物资储备支出",),
    "223": ("国有资本经营预算支出",),
    "224": ("灾害防治及应急管理支出",),
    "227": ("预备费",),
    "229": ("其他支出",),
    "230": ("转移性支出",),
    "231": ("债务还本支出",),
    "232": ("债务付息支出",),
    "233": ("债务发行费用支出",),
    "234": ("抗疫特别国债安排的支出",),
}
# A printed class name counts as a national one from this similarity on (context.name_score).
CLASS_NAME_MIN_SCORE = 0.9

# Printed figures are rounded to half their last digit; a sum of n of them to (n + 1) halves.
HALF_DIGIT = 0.5
# Differences below this (in the table's unit) are float noise, not rounding.
FLOAT_NOISE = 1e-6
# A narrative figure this many times the table's (or a ten-thousandth of it) misstates the unit.
UNIT_FACTOR = 10_000
# The table side of a narrative comparison is rounded to 0.01 万元 (or finer).
TABLE_HALF_DIGIT_WAN = 0.005

# --- narrative ----------------------------------------------------------------------------------

# "收入支出总计2995.39万元", "收入、支出决算总计", "收支决算总计", "财政拨款收入支出总计0.3万元",
# "收入总计X万元", "本年收入合计X万元", "2024年度收入合计X万元" (never a change: "总计减少56.95万元").
_IS = r"(?:为|是|共|均为)?"
NARRATIVE_RE = re.compile(
    # The lookahead lets the scan skip every position that cannot start a phrase (5× faster).
    rf"(?=[财收支本年])(?P<fiscal>财政拨款)?(?:"
    rf"(?P<both>收入[、和与及]?支出|收支)(?:决算|预算)?总计{_IS}"
    rf"|(?P<side>收入|支出)(?:决算|预算)?总计{_IS}"
    rf"|(?P<current>本年|年度)(?P<cside>收入|支出)(?:决算|预算)?合计{_IS}"
    rf"|(?P<budget>收入|支出)预算(?:总额|总数|合计)?{_IS}"
    rf")(?P<amount>{AMOUNT})"
)
# A budget's "X收入预算A万元" / "支出预算A万元" is the whole only when the word before is the body, the
# year or the start of a clause, not a kind of money (财政拨款支出预算, 基本支出预算, 项目支出预算).
BUDGET_TOTAL_AFTER = frozenset("。,;:!?\n局委会室处办院校所站心队部厅馆社团镇乡区县市省年度")
# A phrase about the other kind of figure ("收入预算总计" in a final account) is not this report's total.
OTHER_BASIS_WORD = {"budget": "决算", "actual": "预算"}
# Whose figure a phrase states: a year before it must be the report's, never last year's.
_YEAR_BEFORE_RE = re.compile(r"(?P<year>\d{4})(?:年度?)?$")
_PRIOR_BEFORE_RE = re.compile(r"(?:上年|去年|上一年度?|上年度)$")
# The narrative keywords, to skip documents without any quickly.
_NARRATIVE_HINTS = ("总计", "合计", "收入预算", "支出预算")


# Cells repeat across a corpus's summary tables (the same labels in every report): decided once.
_name_cell = functools.lru_cache(maxsize=1 << 14)(is_name_cell)


@dataclass
class _Entry:
    """One figure of a summary table as printed (in the table's unit)."""

    side: str
    item: str
    label: str
    value: float
    decimals: int
    line: int
    level: int = 1  # 0 structure, 1 item, 2 sub-item
    part: bool = False  # "其中：…": a part named for itself, not one of parts that add up
    parent: _Entry | None = None
    children: list[_Entry] = field(default_factory=list)


@dataclass
class _Layout:
    """Column positions from the header: each side's label column, and 行次 columns to skip."""

    label_columns: dict[str, int] = field(default_factory=dict)
    row_number_columns: frozenset[int] = frozenset()

    @property
    def positional(self) -> bool:
        return INCOME in self.label_columns and EXPENDITURE in self.label_columns


def read_totals(ctx: ReportContext, doc: Document) -> None:
    """Figures of every summary table in `doc`, their arithmetic, then the narrative's totals."""
    basis = report_basis(ctx)
    tables = table_ranges(doc, TOTALS_TITLE_RE)
    classes = _class_names(ctx) if tables else {}
    for table in tables:
        _read_table(ctx, doc, table, basis, classes)
    _read_narrative(ctx, doc, basis)
    _compare_narrative(ctx, doc, basis)


# --- tables ------------------------------------------------------------------------------------


def _read_table(ctx: ReportContext, doc: Document, table: TableRange, basis: str, classes: dict[str, str]) -> None:
    statement = FISCAL if "财政拨款" in table.title else ALL
    rows = document_rows(doc, table.first + 1, table.last)
    layout = _Layout()
    entries: list[_Entry] = []
    first_data: int | None = None
    for row in rows:
        tabbed = "\t" in doc.lines[row.line - 1]  # a flattened row has lost its empty cells and positions
        pairs = _row_pairs(row, layout, tabbed)
        if not pairs:
            if first_data is None and tabbed:
                _read_header(row, layout)
            continue
        for side, label, cell in pairs:
            value = cell_number(cell)
            if value is None or _is_header_label(label):
                continue
            first_data = first_data or row.line
            entries.append(_Entry(side, "", label, value, _decimals(cell), row.line))
    if not entries or first_data is None:
        return  # a blank template prints the labels only
    unit = table_unit(ctx, doc, table, first_data)
    for side in (INCOME, EXPENDITURE):
        mine = [e for e in entries if e.side == side]
        _classify(mine, side, classes)
        for entry in mine:
            _put(ctx, doc, basis, statement, entry, unit)
        _check_side(ctx, doc, table, mine, unit)
    _check_balance(ctx, doc, table, entries, unit)


def _read_header(row: Row, layout: _Layout) -> None:
    """Column positions from a header row."""
    cells = [compact_text(c) for c in row.cells]
    labels = [i for i, c in enumerate(cells) if LABEL_HEADER_RE.fullmatch(c)]
    if len(labels) >= 2:
        layout.label_columns = {INCOME: labels[0], EXPENDITURE: labels[1]}
    elif not layout.positional:
        income = next((i for i, c in enumerate(cells) if SIDE_HEADER_RE[INCOME].fullmatch(c)), None)
        spending = next((i for i, c in enumerate(cells) if SIDE_HEADER_RE[EXPENDITURE].fullmatch(c)), None)
        if income is not None and spending is not None and income < spending:
            layout.label_columns = {INCOME: income, EXPENDITURE: spending}
    numbers = {i for i, c in enumerate(cells) if c == ROW_NUMBER_HEADER}
    if numbers:
        layout.row_number_columns = frozenset(numbers)


def _row_pairs(row: Row, layout: _Layout, tabbed: bool) -> list[tuple[str, str, str]]:
    """(side, label, amount cell) of a data row; empty when the row holds no label with a figure."""
    cells = row.cells
    if not any(cell_number(c) is not None for c in cells):
        return []
    names = [i for i, c in enumerate(cells) if _name_cell(c)]
    if not names:
        return []
    if tabbed and layout.positional and len(cells) > layout.label_columns[EXPENDITURE]:
        pairs = _positional_pairs(cells, names, layout)
        if pairs is not None:
            return pairs
    return _segment_pairs(cells, names, layout)


def _positional_pairs(cells: tuple[str, ...], names: list[int], layout: _Layout) -> list[tuple[str, str, str]] | None:
    """By the header's columns: the label of each side in its block, its figure the next non-行次 cell."""
    split = layout.label_columns[EXPENDITURE]
    blocks = {INCOME: (0, split), EXPENDITURE: (split, len(cells))}
    pairs = []
    for side, (start, stop) in blocks.items():
        label_index = next((i for i in names if start <= i < stop), None)
        if label_index is None:
            continue
        amount_index = next((i for i in range(label_index + 1, stop) if i not in layout.row_number_columns), None)
        if amount_index is None:
            continue
        if any(_name_cell(cells[i]) for i in range(label_index + 1, amount_index + 1)):
            return None  # cells out of place: read the row in order instead
        pairs.append((side, cells[label_index], cells[amount_index]))
    return pairs


def _segment_pairs(cells: tuple[str, ...], names: list[int], layout: _Layout) -> list[tuple[str, str, str]]:
    """A row without usable positions: each label and the first figure after it (a 行次 skipped);
    two labels are income then expenditure, one label's side is told by its wording."""
    segments = []
    for k, start in enumerate(names):
        stop = names[k + 1] if k + 1 < len(names) else len(cells)
        figures = [cells[i] for i in range(start + 1, stop) if cell_number(cells[i]) is not None]
        if layout.row_number_columns and len(figures) > 1 and _looks_like_row_number(figures[0]):
            figures = figures[1:]
        if figures:
            segments.append((cells[start], figures[0]))
    if len(segments) == 2:
        return [(INCOME, *segments[0]), (EXPENDITURE, *segments[1])]
    out = []
    for label, cell in segments[:1]:
        side = _side_of(label)
        if side is not None:
            out.append((side, label, cell))
    return out


def _looks_like_row_number(cell: str) -> bool:
    return cell.strip().isdigit() and len(cell.strip()) <= 2


def _side_of(label: str) -> str | None:
    """The side a label belongs to by its wording alone (总计 alone belongs to neither)."""
    text = _plain_label(label)
    if any(word in text for word in ("支出", "年末", "结余分配", "结转下年")):
        return EXPENDITURE
    if any(word in text for word in ("收入", "年初", "上年", "资金", "拨款", "使用")):
        return INCOME
    return None


def _is_header_label(label: str) -> bool:
    return _plain_label(label) in HEADER_LABELS


def _plain_label(label: str) -> str:
    return MARKER_RE.sub("", compact_text(label), count=1)


def _decimals(cell: str) -> int:
    match = _DECIMALS_RE.search(cell)
    return len(match.group(1)) if match else 0


def _classify(entries: list[_Entry], side: str, classes: dict[str, str]) -> None:
    """Canonical item, level and parent of each figure of one side, in printed order."""
    top: _Entry | None = None  # the last top-level line: parent of a sub-item
    top_numbered = False  # whether it was numbered 一、二、…, so that "1." below it is a sub-item
    carryover: _Entry | None = None  # the carry-over whose breakdown may follow
    by_item: dict[str, _Entry] = {}
    for entry in entries:
        numbered, sub, among, plain, structure, fund, item = _label_parts(entry.label, side)
        marker = numbered or sub
        if structure is None:
            item = item or _function_item(plain, side, classes) or UNCLASSIFIED
        if structure is not None:
            entry.item, entry.level = structure, 0
            carryover = entry if structure in CARRYOVERS.values() else None
            top = entry if structure not in (GRAND_TOTAL, CURRENT_TOTAL) else None
            top_numbered = True
        elif carryover is not None and (fund is not None or sub or among or CARRYOVER_WORD_RE.search(plain)):
            # A carry-over broken down by fund ("一、一般公共预算财政拨款", numbered anew) or by kind (基本支出结转).
            entry.item = f"{carryover.item}_{item}"
            entry.part = among
            _attach(entry, carryover)
        else:
            carryover = None
            entry.item = item
            implied = by_item.get(IMPLIED_PARENTS.get(item, ""))
            if top is not None and (among or (sub and top_numbered)):
                entry.part = among
                _attach(entry, top)
            elif not marker and implied is not None:
                _attach(entry, implied)
            else:
                # "1、2、3、" numbering the items themselves (no 一、 above) keeps them side by side.
                top, top_numbered = entry, numbered
        by_item.setdefault(entry.item, entry)


@functools.lru_cache(maxsize=1 << 12)  # the same labels in every summary table of a corpus
def _label_parts(label: str, side: str) -> tuple[bool, bool, bool, str, str | None, str | None, str | None]:
    """A printed label read once: numbered 一、, numbered 1./(一), "其中", the text without them, and the
    structure line, fund or source item it names (None when it names none of them)."""
    text = compact_text(label)
    marker = MARKER_RE.match(text)
    numbered = marker is not None and marker.group("top") is not None
    sub = marker is not None and marker.group("sub") is not None
    plain = text[marker.end() :] if marker else text
    among = plain.startswith(AMONG)  # "其中：教育收费" is a part of the line above
    plain = plain.removeprefix(AMONG).lstrip(":")
    structure = None if among else _match(STRUCTURE_ITEMS[side], plain)
    fund = _match(FUND_ITEMS, plain)
    item = None if structure else fund or _match(SOURCE_ITEMS[side], plain)
    return numbered, sub, among, plain, structure, fund, item


def _attach(entry: _Entry, parent: _Entry) -> None:
    entry.level, entry.parent = 2, parent
    parent.children.append(entry)


def _match(patterns: Iterable[tuple[str, re.Pattern[str]]], text: str) -> str | None:
    return next((item for item, pattern in patterns if pattern.search(text)), None)


def _class_names(ctx: ReportContext) -> dict[str, str]:
    """Functional class code per name: the national names, and the 类 rows the report's tables printed."""
    names = {name: code for code, printed in FUNCTION_CLASSES.items() for name in printed}
    for row in ctx.rows("function_spending"):
        code, name = str(row.get("code") or ""), row.get("name")
        if len(code) == 3 and code.isdigit() and name:
            names.setdefault(compact_text(str(name)), code)
    return names


def _function_item(text: str, side: str, classes: dict[str, str]) -> str | None:
    if side != EXPENDITURE:
        return None
    code = classes.get(text)
    if code is None:
        scored = max(((name_score(text, name), c) for name, c in classes.items()), default=(0.0, ""))
        code = scored[1] if scored[0] >= CLASS_NAME_MIN_SCORE else None
    return f"{FUNCTION_PREFIX}{code}" if code else None


def _put(ctx: ReportContext, doc: Document, basis: str, statement: str, entry: _Entry, unit: str) -> None:
    key: tuple[str, ...] = (basis, statement, entry.side, entry.item)
    if entry.item.endswith(UNCLASSIFIED):
        key += (_plain_label(entry.label),)
    ctx.put(
        TABLE,
        key,
        Source(doc, entry.line),
        {"amount": to_wan(entry.value, unit)},
        basis=basis,
        statement=statement,
        side=entry.side,
        item=entry.item,
        label=compact_text(entry.label),
    )


# --- arithmetic ----------------------------------------------------------------------------------


def _envelope(figures: list[_Entry]) -> float:
    """Rounding allowed for a sum of these figures against a printed total: (n + 1) half digits."""
    decimals = max((e.decimals for e in figures), default=2)
    return (len(figures)) * HALF_DIGIT * 10.0**-decimals


def _check_side(ctx: ReportContext, doc: Document, table: TableRange, entries: list[_Entry], unit: str) -> None:
    side_name = SIDE_NAMES[entries[0].side] if entries else ""
    current = next((e for e in entries if e.item == CURRENT_TOTAL), None)
    grand = next((e for e in entries if e.item == GRAND_TOTAL), None)
    tops = [e for e in entries if e.level == 1]
    if current is not None:
        items = [e for e in tops if e.line < current.line]
        if items:
            _check_sum(ctx, doc, table, unit, f"{side_name}各项之和", items, current, "totals_items_sum")
        if grand is not None:
            parts = [current] + [
                e for e in entries if e.line > current.line and e is not grand and e.level < 2 and e.line <= grand.line
            ]
            _check_sum(ctx, doc, table, unit, _joined(parts), parts, grand, "totals_grand_sum")
    elif grand is not None:
        parts = [e for e in entries if e.level < 2 and e is not grand and e.line <= grand.line]
        if parts:
            _check_sum(ctx, doc, table, unit, f"{side_name}各项之和", parts, grand, "totals_items_sum")
    for parent in entries:
        if parent.children and not any(child.part for child in parent.children):
            _check_sum(ctx, doc, table, unit, _joined(parent.children), parent.children, parent, "totals_children_sum")


def _lines(doc: Document, lines: list[int]) -> str:
    """Where figures stand, for a message: "第 87–94 行（第 6 页）", "第 113–116 行（第 6–7 页）"."""
    first, last = min(lines), max(lines)
    where = f"第 {first} 行" if first == last else f"第 {first}–{last} 行"
    pages = sorted({p for p in (doc.page_of(first), doc.page_of(last)) if p})
    if pages:
        where += f"（第 {pages[0]} 页）" if len(pages) == 1 else f"（第 {pages[0]}–{pages[-1]} 页）"
    return where


def _joined(entries: list[_Entry]) -> str:
    return "“" + "”“".join(compact_text(e.label) for e in entries) + "”之和"


def _check_sum(
    ctx: ReportContext,
    doc: Document,
    table: TableRange,
    unit: str,
    what: str,
    parts: list[_Entry],
    total: _Entry,
    rule: str,
) -> None:
    printed = sum(e.value for e in parts)
    gap = abs(printed - total.value)
    ctx.checked(rule)
    if gap <= FLOAT_NOISE:
        return
    envelope = _envelope([*parts, total])
    head = (
        f"{table.title}中{what}为 {fmt(round(printed, 6))} {unit}（{_lines(doc, [e.line for e in parts])}），"
        f"而“{compact_text(total.label)}”为 {fmt(total.value)} {unit}（{_lines(doc, [total.line])}），"
        f"相差 {fmt(round(gap, 6))} {unit}"
    )
    if gap <= envelope + FLOAT_NOISE:
        ctx.finding(
            rule,
            "info",
            f"{head}，在 {len(parts)} 个数字四舍五入的误差（±{fmt(envelope)} {unit}）之内。",
            Source(doc, total.line),
        )
    else:
        ctx.finding(
            rule,
            "warning",
            f"{head}，超出四舍五入的误差（±{fmt(envelope)} {unit}），相加不符；保留原文数字。",
            Source(doc, total.line),
        )


def _check_balance(ctx: ReportContext, doc: Document, table: TableRange, entries: list[_Entry], unit: str) -> None:
    """收入总计 = 支出总计: the two sides of a summary always balance."""
    income = next((e for e in entries if e.side == INCOME and e.item == GRAND_TOTAL), None)
    spending = next((e for e in entries if e.side == EXPENDITURE and e.item == GRAND_TOTAL), None)
    if income is None or spending is None:
        return
    ctx.checked("totals_balance")
    gap = abs(income.value - spending.value)
    if gap <= FLOAT_NOISE:
        return
    envelope = _envelope([income, spending])
    severity = "info" if gap <= envelope + FLOAT_NOISE else "warning"
    ctx.finding(
        "totals_balance",
        severity,
        f"{table.title}的收入总计 {fmt(income.value)} {unit}（{_lines(doc, [income.line])}）"
        f"与支出总计 {fmt(spending.value)} {unit}（{_lines(doc, [spending.line])}）不相等，"
        f"相差 {fmt(round(gap, 6))} {unit}"
        + ("，在四舍五入的误差之内。" if severity == "info" else "；收支总表两边应当相等，保留原文数字。"),
        Source(doc, spending.line),
    )


# --- narrative -----------------------------------------------------------------------------------


def _read_narrative(ctx: ReportContext, doc: Document, basis: str) -> None:
    prose = prose_of(doc)
    if not any(hint in prose.text for hint in _NARRATIVE_HINTS):
        return
    year = ctx.classification.fiscal_year
    for match in NARRATIVE_RE.finditer(prose.text):
        if not _states_this_year(prose.text, match.start(), year):
            continue
        if match.group("budget") and (
            basis != "budget" or match.group("fiscal") or not _budget_total_position(prose.text, match)
        ):
            continue  # a final account's "收入预算" is its budget, not a total of its figures
        if OTHER_BASIS_WORD[basis] in match.group():
            continue
        amount = prose_amount(ctx, doc, prose, match)
        if amount is None:
            continue
        value, line = amount
        statement = NARRATIVE_FISCAL if match.group("fiscal") else NARRATIVE
        if match.group("both"):
            targets = [(INCOME, GRAND_TOTAL), (EXPENDITURE, GRAND_TOTAL)]
        elif match.group("side"):
            targets = [(_side_word(match.group("side")), GRAND_TOTAL)]
        else:
            targets = [(_side_word(match.group("cside") or match.group("budget")), CURRENT_TOTAL)]
        label = match.group()
        for side, item in targets:
            ctx.put(
                TABLE,
                (basis, statement, side, item),
                Source(doc, line),
                {"amount": value},
                basis=basis,
                statement=statement,
                side=side,
                item=item,
                label=label,
            )


def _side_word(word: str) -> str:
    return INCOME if word == "收入" else EXPENDITURE


def _states_this_year(text: str, start: int, year: int | None) -> bool:
    before = text[max(0, start - 8) : start]
    if _PRIOR_BEFORE_RE.search(before):
        return False
    stated = _YEAR_BEFORE_RE.search(before)
    return stated is None or year is None or int(stated.group("year")) == year


def _budget_total_position(text: str, match: re.Match[str]) -> bool:
    start = match.start()
    return start == 0 or text[start - 1] in BUDGET_TOTAL_AFTER


def _compare_narrative(ctx: ReportContext, doc: Document, basis: str) -> None:
    """Narrative totals against the tables' (each pair once: when the later of its two sources is read)."""
    rows = [r for r in ctx.rows(TABLE) if r.get("basis") == basis]
    reported: set[tuple[int, str, float]] = set()
    for said in rows:
        statement = NARRATED.get(str(said.get("statement")))
        if statement is None:
            continue
        printed = _table_row(rows, statement, str(said["side"]), str(said["item"]))
        if printed is None or doc.source_file not in (said["source_file"], printed["source_file"]):
            continue
        key = (int(said["source_line"]), str(said["label"]), round(float(printed["amount"]), 6))
        if key in reported:
            continue  # "收入支出总计X": one finding for both sides
        reported.add(key)
        _compare(ctx, said, printed, statement, rows)


def _table_row(rows: list[dict], statement: str, side: str, item: str) -> dict | None:
    """The table figure a narrative total restates: the same item, or for 本年收入合计 in a table without
    one, the 总计 of a side that has nothing besides the year's money (no carry-over)."""
    mine = [r for r in rows if r.get("statement") == statement and r.get("side") == side]
    same = next((r for r in mine if r.get("item") == item and r.get("amount") is not None), None)
    if same is not None or item != CURRENT_TOTAL:
        return same
    if any(r.get("item") in STRUCTURE - {GRAND_TOTAL, CURRENT_TOTAL} for r in mine):
        return None
    return next((r for r in mine if r.get("item") == GRAND_TOTAL and r.get("amount") is not None), None)


def _compare(ctx: ReportContext, said: dict, printed: dict, statement: str, rows: list[dict]) -> None:
    value, table_value = float(said["amount"]), float(printed["amount"])
    ctx.checked("narrative_total_mismatch")
    gap = abs(value - table_value)
    if gap <= TABLE_HALF_DIGIT_WAN + FLOAT_NOISE:
        return  # the same figure at the table's precision
    token = re.search(AMOUNT, str(said["label"]))
    decimals = _decimals(token.group()) if token else 2
    rounding = HALF_DIGIT * 10.0**-decimals
    same_item = [r for r in rows if r.get("statement") == statement and r.get("item") == printed.get("item")]
    sides = "、".join(
        f"{SIDE_NAMES[str(r['side'])]}{ITEM_NAMES.get(str(r['item']), str(r['item']))}"
        for r in sorted(same_item, key=lambda r: r["side"] != INCOME)
        if r.get("amount") is not None and abs(float(r["amount"]) - table_value) <= FLOAT_NOISE
    )
    said_at, table_at = _source_of(ctx, said), _source_of(ctx, printed)
    subject = (
        f"文字说明中的“{said['label']}”（{said_at.where}）与{STATEMENT_NAMES[statement]}的{sides} "
        f"{fmt(table_value)} 万元（{table_at.where}）"
    )
    if gap <= rounding + TABLE_HALF_DIGIT_WAN + FLOAT_NOISE:
        ctx.finding(
            "narrative_total_rounded",
            "info",
            f"{subject}相差 {fmt(round(gap, 6))} 万元，是文字说明按 {decimals} 位小数四舍五入所致。",
            said_at,
        )
        return
    unit_note = ""
    if value and any(
        abs(value * factor - table_value) <= TABLE_HALF_DIGIT_WAN for factor in (UNIT_FACTOR, 1 / UNIT_FACTOR)
    ):
        unit_note = "两者正好相差一万倍，可能是表格或文字的金额单位标错；"
    ctx.finding(
        "narrative_total_mismatch",
        "warning",
        f"{subject}不一致，相差 {fmt(round(gap, 6))} 万元；{unit_note}保留原文数字。",
        said_at,
    )


# What a table figure is called in a message.
ITEM_NAMES = {GRAND_TOTAL: "总计", CURRENT_TOTAL: "本年合计"}


def _source_of(ctx: ReportContext, row: dict) -> Source:
    """Where a stored row was read: its document among the report's, and its line."""
    doc = next((d for d in ctx.documents if d.source_file == row["source_file"]), ctx.documents[0])
    return Source(doc, int(row["source_line"]), row.get("source_page"))
