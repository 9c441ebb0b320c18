"""Fund tables of self-evaluation forms, and the evaluated units they describe.

A self-evaluation form (项目支出绩效自评表, 部门整体支出绩效自评表) carries one fund table:

    资金来源 | 年初预算数 | 全年预算数(A) | 全年执行数(B) | 分值 | 执行率 | 得分
    年度资金总额 | …   → the evaluation's figures and its `total` line
    基本支出 / 项目支出 / 上年结转资金 / 财政拨款 / 其他资金 … → execution lines

It reaches us damaged: rows flattened into one line (cells lost, "—" for empty), header
cells split in two ("全年执行" | "行数(E)"), numbers split over two cells ("20000" | "0000"),
stray brackets ("(0"), and a header unit that can be wrong ("(元)" over 万元 figures).
Each row's figures are therefore placed by enumerating the order-preserving ways its
printed figures can fill the header's columns and keeping the one that best agrees with
(1) the table's own arithmetic (执行率 × 全年预算数 ≈ 全年执行数; parts never exceed the
total; parts sum to the total) and (2) the cell positions under the header. The money unit
is chosen by comparing the figures, read in each candidate unit, with the 万元 amounts the
report states elsewhere. Every such decision is recorded as a finding.

`read_function_codes`, a reader of its own, takes the 支出功能科目编码 printed on a project form's
cover as the project's function_code.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from fiscallens.extract.context import SAME_FIGURE_TOLERANCE, ReportContext, Source, fmt
from fiscallens.extract.evaluation import (
    clean_label,
    decide_unit,
    evaluation_for,
    put_evaluation,
    put_line,
    stated_unit,
)
from fiscallens.extract.forms import owner_of, project_name_at
from fiscallens.extract.table import find_lines, is_empty_cell, lines_above, split_cells
from fiscallens.model import Document
from fiscallens.normalize import compact_text, find_numbers, parse_amount, parse_number, parse_percent, squash, to_wan

# --- the fund table's columns and rows -----------------------------------------------------

MONEY_FIELDS = ("budget_initial", "budget_full_year", "actual")
SCORE_FIELDS = ("execution_weight", "execution_rate_reported", "execution_score")
COLUMN_LABELS = {
    "budget_initial": "年初预算数",
    "budget_full_year": "全年预算数",
    "actual": "全年执行数",
    "execution_weight": "分值",
    "execution_rate_reported": "执行率",
    "execution_score": "得分",
}
# Header words of each column, matched on whitespace-free text. "全年执" alone counts: the
# header cell is sometimes cut in two ("全年执" | "行数(E)").
COLUMN_PATTERNS = re.compile(
    r"(?P<budget_initial>年初预算)"
    r"|(?P<budget_full_year>全年预算|调整后预算)"
    r"|(?P<actual>全年执|执行数|决算数|实际支出)"
    r"|(?P<execution_weight>分值)"
    r"|(?P<execution_rate_reported>执行率)"
    r"|(?P<execution_score>得分)"
)
# A header row names at least this many money columns and one of these words, and is not a
# sentence: no figures, no sentence punctuation (narrative also says "全年预算数…执行率").
MIN_HEADER_MONEY_COLUMNS = 2
HEADER_REQUIRES = re.compile(r"资金来源|分值|执行率|得分")
NOT_A_HEADER = re.compile(r"[，。；,;]")

# Row labels → execution line kinds. Checked in order: 上年结转资金 is carryover, not fiscal.
LINE_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("carryover", re.compile(r"结转")),
    ("total", re.compile(r"资金总额|^合计$|^总计$")),
    ("basic", re.compile(r"基本支出")),
    ("project", re.compile(r"项目支出")),
    ("other", re.compile(r"其他资金|^(?:其中)?:?其他$")),
    ("fiscal", re.compile(r"财政拨款|财政资金|本级安排|上级补助|本级财政")),
)
# A row label is a short cell; longer cells are narrative that happens to mention 项目支出.
MAX_LABEL_CHARS = 16
# Physical lines after the header that may still hold fund rows.
MAX_FUND_ROW_LINES = 12
# Rows that start the next part of the form (its goals and indicators, whose 成本指标 rows
# repeat "基本支出 577.4万元 …" with other meanings).
FORM_CONTINUES = re.compile(r"总体目标|预期目标|实际完成|绩效指标|一级指标|年度总")

# --- the evaluated unit --------------------------------------------------------------------

# Lines above the header searched for what the form evaluates (the form title is ~10 lines up).
FORM_LOOKBACK_LINES = 12
# "项目名" | "称" (or an OCR'd "陈"): the label's last character spilled into the next cell.
# Longer "names" are sentences that happen to start with 项目名称.
# "支出功能科目编码 2299999" on a project form's cover, a few lines below its 项目名称.
FUNCTION_CODE = re.compile(r"功能(?:分类)?科目(?:编码|代码)[:：]?(\d{3,7})(?!\d)")
FUNCTION_CODE_WINDOW = 6


# --- damaged cells -----------------------------------------------------------------------

# Brackets OCR leaves around a figure: "(0" is 0.
STRAY_CHARS = "()（）[]【】"
# A cell of digits starting with 0 ("0000") is never a figure on its own: it is the tail of a
# number whose other part is in the previous cell.
SPLIT_TAIL = re.compile(r"0\d+")
# Execution rates are printed rounded (98 % for 97.88 %): agreement within this many points.
RATE_TOLERANCE_POINTS = 1.0
# Relative slack when comparing a part with the total it belongs to.
PART_TOLERANCE = 1e-6
# Flattened rows with fewer figures than columns: joint placements tried at most.
MAX_JOINT_PLACEMENTS = 729


def line_kind(label: str) -> str | None:
    text = clean_label(label)
    if not text or len(text) > MAX_LABEL_CHARS:
        return None
    for kind, pattern in LINE_KINDS:
        if pattern.search(text):
            return kind
    return None


# ============================================================================================
# Reading one fund table
# ============================================================================================


@dataclass(frozen=True)
class Column:
    field: str
    first: int | None  # cell span under the header; None for a flattened header
    last: int | None


@dataclass
class Token:
    """One printed cell after the row label: a figure (maybe several readings) or an empty marker."""

    index: int | None  # cell index in a tab row; None in a flattened row
    ordinal: int
    kind: str  # "blank" | "amount" (money unit printed) | "percent" | "number"
    values: tuple[float, ...] = ()  # readings; several when a split cell was re-joined
    unit: str | None = None
    text: str = ""
    repaired: str | None = None  # how the cell was repaired, for the finding


@dataclass
class FundRow:
    line: int
    kind: str | None
    label: str
    tokens: list[Token]
    flat: bool
    outside_label: list[str] = field(default_factory=list)  # cells left of the label (unit notes)


@dataclass
class Placement:
    """One way to put a row's tokens into the columns: field → (token, value)."""

    cells: dict[str, tuple[Token, float]]
    agreement: int  # arithmetic agreement (higher is better)
    distance: int  # distance from the printed positions (lower is better)
    alternates: int  # re-joined readings other than the plain one


@dataclass
class FundTable:
    header_line: int
    columns: list[Column]
    rows: list[FundRow]


def read_fund_tables(ctx: ReportContext, doc: Document) -> None:
    """Every fund table of a self-evaluation form in `doc`: evaluation figures and execution lines."""
    # HEADER_REQUIRES is one of _header_columns' conditions: testing it first skips most lines cheaply.
    header_lines = [
        n
        for n, compact in enumerate(doc.compact_lines, start=1)
        if HEADER_REQUIRES.search(compact) and _header_columns(doc.lines[n - 1])
    ]
    for header_line in header_lines:
        table = _parse_table(doc, header_line)
        if table.rows:
            _read_table(ctx, doc, table)


def _header_columns(raw: str) -> list[Column]:
    """The fund-table columns a header line names, with their cell spans; [] when it is no header."""
    line = compact_text(raw)
    columns: list[Column] = []
    if "\t" in raw:
        for index, cell in enumerate(split_cells(raw)):
            text = squash(cell)
            match = COLUMN_PATTERNS.search(text) if text else None
            if match and match.lastgroup not in {c.field for c in columns}:
                columns.append(Column(match.lastgroup or "", index, index))
            elif text and columns and not is_empty_cell(text):
                # An unrecognised fragment ("行数(E)") continues the column on its left.
                last = columns[-1]
                columns[-1] = Column(last.field, last.first, index)
    else:
        for match in COLUMN_PATTERNS.finditer(line):
            if match.lastgroup not in {c.field for c in columns}:
                columns.append(Column(match.lastgroup or "", None, None))
    money = [c for c in columns if c.field in MONEY_FIELDS]
    if len(money) < MIN_HEADER_MONEY_COLUMNS or not HEADER_REQUIRES.search(line):
        return []
    if NOT_A_HEADER.search(line) or find_numbers(line):
        return []
    return columns


def _parse_table(doc: Document, header_line: int) -> FundTable:
    columns = _header_columns(doc.lines[header_line - 1])
    rows: list[FundRow] = []
    last = min(len(doc.lines), header_line + MAX_FUND_ROW_LINES)
    for number in range(header_line + 1, last + 1):
        raw = doc.lines[number - 1]
        if not raw.strip():
            continue
        if _header_columns(raw):
            break  # the next table
        row = _fund_row(number, raw)
        if row is None or (row.kind is None and FORM_CONTINUES.search(clean_label(raw))):
            break  # the form has moved on (年度总体目标 …)
        rows.append(row)
    return FundTable(header_line, columns, rows)


def _fund_row(number: int, raw: str) -> FundRow | None:
    cells = split_cells(raw)
    flat = "\t" not in raw
    label_at = next((i for i, c in enumerate(cells) if line_kind(c)), None)
    if label_at is None:
        # A row whose label is unreadable ("本" for 本级安排) but holds figures is kept, to be reported.
        label_at = next((i for i, c in enumerate(cells) if c and _token(c, i, 0).kind == "blank"), None)
        tokens = _tokens(cells, label_at, flat) if label_at is not None else []
        if not any(t.kind != "blank" for t in tokens):
            return None
        return FundRow(number, None, cells[label_at] if label_at is not None else "", tokens, flat)
    return FundRow(
        number,
        line_kind(cells[label_at]),
        clean_label(cells[label_at]),
        _tokens(cells, label_at, flat),
        flat,
        [c for c in cells[:label_at] if c],
    )


def _tokens(cells: Sequence[str], label_at: int, flat: bool) -> list[Token]:
    tokens: list[Token] = []
    for index in range(label_at + 1, len(cells)):
        cell = cells[index]
        if not cell and not flat:
            continue  # an empty cell keeps its position but prints nothing
        token = _token(cell, None if flat else index, len(tokens))
        previous = tokens[-1] if tokens else None
        if (
            previous is not None
            and not flat
            and token.kind == "number"
            and previous.kind == "number"
            and previous.index == index - 1
            and SPLIT_TAIL.fullmatch(cell)
            and not previous.repaired
        ):
            tokens[-1] = _joined(previous, cell)
            continue
        tokens.append(token)
    return tokens


def _token(cell: str, index: int | None, ordinal: int) -> Token:
    text = cell.strip()
    if is_empty_cell(text) or not re.search(r"\d", text):
        return Token(index, ordinal, "blank", text=text)
    percent = parse_percent(text)
    if percent is not None:
        return Token(index, ordinal, "percent", (percent,), text=text)
    amount = parse_amount(text)
    if amount is not None:
        return Token(index, ordinal, "amount", (amount.value,), amount.unit, text)
    value = parse_number(text)
    if value is not None:
        return Token(index, ordinal, "number", (value,), text=text)
    stripped = text.strip(STRAY_CHARS)
    value = parse_number(stripped) if stripped != text else None
    if value is not None:
        return Token(index, ordinal, "number", (value,), text=text, repaired="stray")
    return Token(index, ordinal, "blank", text=text)


def _joined(head: Token, tail: str) -> Token:
    """A number printed over two cells. Extraction sometimes repeats the character at the cut
    ("2000[0] | [0]000" for 20000000), so both the plain and the de-duplicated joins are readings."""
    plain = head.text + tail
    readings = [parse_number(plain)]
    if head.text and head.text[-1] == tail[0]:
        readings.append(parse_number(head.text + tail[1:]))
    values = tuple(v for v in readings if v is not None)
    return Token(head.index, head.ordinal, "number", values, text=f"{head.text}|{tail}", repaired="split")


# --- placing a row's figures in the columns ------------------------------------------------


def _placements(row: FundRow, columns: list[Column], total: dict[str, float] | None) -> list[Placement]:
    """Every feasible placement of the row's tokens, best first."""
    tokens = list(row.tokens)
    while len(tokens) > len(columns) and tokens[-1].kind == "blank":
        tokens.pop()  # trailing junk ("I", "·") beyond the last column
    if len(tokens) > len(columns):
        return []
    found = []
    for chosen in itertools.combinations(range(len(columns)), len(tokens)):
        pairs = [(t, columns[c]) for t, c in zip(tokens, chosen, strict=True)]
        if not all(_fits(t, col, total is None) for t, col in pairs):
            continue
        distance = sum(_distance(t, col, c) for (t, col), c in zip(pairs, chosen, strict=True))
        figures = [(t, col) for t, col in pairs if t.kind != "blank"]
        for readings in itertools.product(*(range(len(t.values)) for t, _ in figures)):
            cells = {col.field: (t, t.values[r]) for (t, col), r in zip(figures, readings, strict=True)}
            found.append(Placement(cells, _agreement(cells, total), distance, sum(readings)))
    found.sort(key=lambda p: (-p.agreement, p.distance, p.alternates))
    return found


def _fits(token: Token, column: Column, is_total: bool) -> bool:
    if token.kind == "blank":
        return True
    money = column.field in MONEY_FIELDS
    if token.kind == "percent":
        return column.field == "execution_rate_reported"
    if token.kind == "amount" or not is_total:
        return money  # 分值/执行率/得分 belong to the total row only
    if column.field == "execution_weight":
        return 0 <= token.values[0] <= 100
    return True


def _distance(token: Token, column: Column, position: int) -> int:
    if token.index is None or column.first is None or column.last is None:
        return position - token.ordinal  # flattened: printed left to right, leftmost fits best
    if column.first <= token.index <= column.last:
        return 0
    return min(abs(token.index - column.first), abs(token.index - column.last))


def _agreement(cells: dict[str, tuple[Token, float]], total: dict[str, float] | None) -> int:
    value = {f: v for f, (_, v) in cells.items()}
    if total is not None:
        # A part never exceeds the total of its column.
        return -sum(
            1 for f in MONEY_FIELDS if f in value and f in total and value[f] > total[f] * (1 + PART_TOLERANCE) + 1e-9
        )
    score = 0
    full, actual, rate = value.get("budget_full_year"), value.get("actual"), value.get("execution_rate_reported")
    if full and actual is not None and rate is not None:
        score += 1 if abs(actual / full * 100 - rate) <= RATE_TOLERANCE_POINTS else -1
    weight, points = value.get("execution_weight"), value.get("execution_score")
    if weight is not None and points is not None and points > weight:
        score -= 1
    return score


def _joint_sums(
    rows: list[FundRow], options: dict[int, list[Placement]], total: dict[str, float]
) -> tuple[dict[int, Placement], dict[int, str]]:
    """Flattened rows with fewer figures than money columns cannot say which column is empty.

    Decide jointly: the parts (基本支出, 项目支出, 上年结转, 其他资金) must add up to the total in
    each money column. A row leaves the printed left-to-right order only when every placement
    with the most agreeing columns puts it the same way, and that beats the printed order.
    Returns the chosen placement per row index and, per ambiguous row, the reason (Chinese).
    """
    chosen = {i: opts[0] for i, opts in options.items()}
    parts = [i for i, r in enumerate(rows) if r.kind in {"basic", "project", "carryover", "other"}]
    ambiguous = {}
    for i in parts:
        if i not in options:
            continue
        money = [p for p in options[i] if p.agreement == options[i][0].agreement]
        distinct = _distinct_money(money)
        if len(distinct) > 1 and rows[i].flat:
            ambiguous[i] = distinct
    if not ambiguous or not any(r.kind in {"basic", "project"} for r in rows):
        return chosen, {}
    combos = list(itertools.islice(itertools.product(*ambiguous.values()), MAX_JOINT_PLACEMENTS))

    def agreeing(combo: Sequence[Placement]) -> list[str]:
        placed = dict(chosen)
        placed.update(zip(ambiguous, combo, strict=True))
        out = []
        for f in MONEY_FIELDS:
            if f not in total:
                continue
            parts_sum = sum(placed[i].cells[f][1] for i in parts if i in placed and f in placed[i].cells)
            if abs(parts_sum - total[f]) <= SAME_FIGURE_TOLERANCE:
                out.append(f)
        return out

    default = tuple(chosen[i] for i in ambiguous)
    default_agree = agreeing(default)
    scored = [(len(agreeing(c)), c) for c in combos]
    best = max(s for s, _ in scored)
    winners = [c for s, c in scored if s == best]
    reasons = {}
    for position, i in enumerate(ambiguous):
        fields_of = {tuple(sorted(c[position].cells)) for c in winners}
        if best > len(default_agree) and len(fields_of) == 1:
            chosen[i] = winners[0][position]
            reasons[i] = (
                f"按各部分之和核对：记为{_fields_text(chosen[i])}时，各行之和在{best}个金额列与年度资金总额相符"
                f"（{_fields_text_list(agreeing(winners[0]))}），按原文列序记为{_fields_text(default[position])}"
                f"时只有{len(default_agree)}个列相符"
            )
        else:
            reasons[i] = f"各部分之和无法判定哪一列空缺，按原文列序记为{_fields_text(chosen[i])}"
    return chosen, reasons


def _distinct_money(placements: Iterable[Placement]) -> list[Placement]:
    seen, out = set(), []
    for p in sorted(placements, key=lambda p: (p.distance, p.alternates)):
        signature = tuple(sorted((f, v) for f, (_, v) in p.cells.items() if f in MONEY_FIELDS))
        if signature not in seen:
            seen.add(signature)
            out.append(p)
    return out


def _fields_text(placement: Placement) -> str:
    return _fields_text_list([f for f in MONEY_FIELDS if f in placement.cells])


def _fields_text_list(fields: Iterable[str]) -> str:
    return "、".join(COLUMN_LABELS[f] for f in fields)


# --- the evaluated unit --------------------------------------------------------------------


def _evaluated_unit(ctx: ReportContext, doc: Document, header_line: int) -> tuple[str, str | None] | None:
    """(scope, name) of the unit a form evaluates: the nearest 项目名称 or department-form marker above."""
    owner = owner_of(ctx, doc, header_line, lookback=FORM_LOOKBACK_LINES)
    if owner.line >= header_line - FORM_LOOKBACK_LINES and owner.line < header_line:
        return owner.scope, owner.name
    # No form header: only a self-evaluation report has a main unit to give the table to.
    return (owner.scope, owner.name) if ctx.classification.doc_type != "final_accounts" else None


# --- writing one table ---------------------------------------------------------------------


def _read_table(ctx: ReportContext, doc: Document, table: FundTable) -> None:
    subject = _evaluated_unit(ctx, doc, table.header_line)
    header_source = Source(doc, table.header_line)
    if subject is None or not subject[1]:
        ctx.finding("fund_table_unassigned", "info", "资金表找不到所评价的部门或项目名称，未入库。", header_source)
        return
    scope, name = subject
    what = f"{'部门整体' if scope == 'department' else '项目“' + str(name) + '”'}资金表（第{table.header_line}行起）"

    total_row = next((r for r in table.rows if r.kind == "total"), None)
    total_placement = None
    if total_row is not None:
        options = _placements(total_row, table.columns, None)
        total_placement = options[0] if options else None
        if total_placement is None:
            _unplaceable(ctx, doc, total_row, table)
    total = {f: v for f, (_, v) in total_placement.cells.items()} if total_placement else {}

    parts = [r for r in table.rows if r is not total_row and r.kind is not None]
    options = {i: _placements(r, table.columns, total) for i, r in enumerate(parts)}
    for i, opts in options.items():
        if not opts:
            _unplaceable(ctx, doc, parts[i], table)
    chosen, reasons = _joint_sums(parts, {i: o for i, o in options.items() if o}, total)

    placed: list[tuple[FundRow, Placement]] = []
    if total_row is not None and total_placement is not None:
        placed.append((total_row, total_placement))
    placed += [(parts[i], chosen[i]) for i in sorted(chosen)]
    for row in table.rows:
        if row.kind is None:
            ctx.finding(
                "fund_row_unrecognized",
                "info",
                f"{what}第{row.line}行行名“{row.label}”无法识别为资金来源，其数字未入库。",
                Source(doc, row.line),
            )

    unit = _table_unit(ctx, doc, table, placed, what, header_source)
    key, evaluation_id, name = evaluation_for(ctx, scope, name)
    for row, placement in placed:
        source = Source(doc, row.line)
        money = {f: to_wan(v, t.unit or unit) for f, (t, v) in placement.cells.items() if f in MONEY_FIELDS}
        _report_repairs(ctx, row, placement, source, total_row is row)
        if (
            row.flat
            and len([t for t in row.tokens if t.kind != "blank"])
            < len([c for c in table.columns if c.field in MONEY_FIELDS])
            and row.kind != "total"
        ):
            _report_missing_columns(ctx, row, placement, reasons.get(parts.index(row)), source)
        if row is total_row:
            scores = {f: v for f, (_, v) in placement.cells.items() if f in SCORE_FIELDS}
            put_evaluation(ctx, key, evaluation_id, scope, name, source, {**money, **scores})
        if any(v is not None for v in money.values()):
            put_line(ctx, evaluation_id, row.kind or "other", row.label, source, money)
    if total_row is None:
        put_evaluation(ctx, key, evaluation_id, scope, name, header_source, {})


def _table_unit(
    ctx: ReportContext,
    doc: Document,
    table: FundTable,
    placed: list[tuple[FundRow, Placement]],
    what: str,
    source: Source,
) -> str:
    """The stated unit (header, the lines just above it, the label column) settled by reconciliation."""
    stated = stated_unit(doc, table.header_line, [cell for row in table.rows for cell in row.outside_label])
    bare = [v for _, p in placed for f, (t, v) in p.cells.items() if f in MONEY_FIELDS and not t.unit]
    last = max(r.line for r in table.rows)
    if not [v for v in bare if v]:
        units = sorted({t.unit for _, p in placed for f, (t, _) in p.cells.items() if f in MONEY_FIELDS and t.unit})
        if units:
            ctx.finding(
                "unit_decision",
                "info",
                f"{what}各金额自带单位“{'、'.join(units)}”，按其所写换算为万元"
                + (f"（表头亦写“{stated}”）" if stated else "")
                + "。",
                source,
            )
            return stated or units[0]
    return decide_unit(ctx, doc, stated, bare, range(table.header_line, last + 1), what, source)


def _report_repairs(ctx: ReportContext, row: FundRow, placement: Placement, source: Source, is_total: bool) -> None:
    for field_name, (token, value) in placement.cells.items():
        column = COLUMN_LABELS[field_name]
        if token.repaired == "stray":
            ctx.finding(
                "cell_repaired",
                "info",
                f"第{row.line}行“{row.label}”的{column}印作“{token.text}”，去掉多余括号读作 {fmt(value)}。",
                source,
            )
        elif token.repaired == "split":
            head, tail = token.text.split("|")
            plain = parse_number(head + tail)
            evidence = (
                "执行率 × 全年预算数与之相符"
                if is_total and placement.agreement > 0
                else "不超过年度资金总额的同列数字"
                if not is_total and placement.agreement == 0
                else ""
            )
            if evidence:
                dedup = "（两格交界处的字符重复印了一次）" if value != plain else ""
                ctx.finding(
                    "split_cells_joined",
                    "info",
                    f"第{row.line}行“{row.label}”的{column}被拆印在两格（“{head}”“{tail}”），"
                    f"重新拼接为 {fmt(value)}{dedup}：{evidence}。",
                    source,
                )
            else:
                ctx.finding(
                    "split_cells_joined",
                    "warning",
                    f"第{row.line}行“{row.label}”的{column}被拆印在两格（“{head}”“{tail}”），"
                    f"无法核对，按原样拼接为 {fmt(value)}，请人工核对。",
                    source,
                )


def _report_missing_columns(
    ctx: ReportContext, row: FundRow, placement: Placement, reason: str | None, source: Source
) -> None:
    printed = [t for t in row.tokens if t.kind != "blank"]
    empty = [COLUMN_LABELS[f] for f in MONEY_FIELDS if f not in placement.cells]
    ctx.finding(
        "column_assignment",
        "info",
        f"第{row.line}行“{row.label}”只印了 {len(printed)} 个金额（{'、'.join(t.text for t in printed)}），"
        f"少于金额列数；{reason or '按原文列序'}；{'、'.join(empty)}留空。",
        source,
    )


def _unplaceable(ctx: ReportContext, doc: Document, row: FundRow, table: FundTable) -> None:
    ctx.finding(
        "fund_row_unplaceable",
        "warning",
        f"第{row.line}行“{row.label}”印了 {len(row.tokens)} 格数字，无法与表头（第{table.header_line}行）"
        f"的 {len(table.columns)} 列对应，未入库。",
        Source(doc, row.line),
    )


# --- function codes on project covers ------------------------------------------------------


def read_function_codes(ctx: ReportContext, doc: Document) -> None:
    """支出功能科目编码 belongs to the project named on the nearest 项目名称 line above it."""
    for number in find_lines(doc, FUNCTION_CODE):
        match = FUNCTION_CODE.search(doc.compact_lines[number - 1])
        if match is None:
            continue
        name = next(
            (
                found
                for n in [number, *lines_above(number, FUNCTION_CODE_WINDOW)]
                if (found := project_name_at(doc.lines[n - 1]))
            ),
            ctx.classification.project_name if ctx.classification.doc_type == "project_self_eval" else None,
        )
        if not name:
            continue
        key, evaluation_id, name = evaluation_for(ctx, "project", name)
        put_evaluation(ctx, key, evaluation_id, "project", name, Source(doc, number), {}, function_code=match.group(1))
