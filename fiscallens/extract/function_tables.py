"""Functional-classification tables of final accounts (部门决算) and budgets, and the narrative that explains them.

A 部门决算 prints spending by functional classification (支出功能分类: 类 3 digits, 款 5, 项 7) in
up to three tables: 收入决算表 (income per code), 支出决算表 (all funds: total, basic, project) and
一般公共预算财政拨款支出决算表 (general-budget appropriations: total, basic, project). Normally they
print the same figures, and PDF extraction damages each one differently: rows prefixed by text of
neighbouring rows, a code glued to its name, blank cells. So every table is read, the tables are
ranked by how trustworthy they look, and rows go through `ReportContext.put` in that order: the
first table sets a figure, later ones fill gaps, and a disagreement becomes a warning naming both
lines. Tables whose 合计 differ cover different money (e.g. all funds vs appropriations only) and
are not merged. A damaged code is repaired from the codes around it when that is certain (`codes`).

A 部门预算 prints the same tables as budgets (部门收入预算总表, 部门支出预算总表, 一般公共预算支出功能分类
预算表, often in 元): their rows are basis 'budget'. Tables read from PDFs print their header over
several rows of one grid; the figure columns are then found by their labels in any of those rows.

After the tables, the reader checks the document's year-on-year and restated amounts
(`stated_changes`) and reads the narrative's functional figures as a second source
(`function_narrative`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate

from fiscallens.extract.codes import (
    FIGURES,
    FUNCTION_SPENDING,
    LEVELS,
    TOTAL_CODE,
    TOTAL_LEVEL,
    TOTAL_NAME,
    CodeRepair,
    code_parts,
    parent_of,
    repair_codes,
)
from fiscallens.extract.context import ReportContext, Source, fmt, normalize_name, report_basis, same_figure
from fiscallens.extract.function_narrative import read_narrative
from fiscallens.extract.prose import prose_of
from fiscallens.extract.stated_changes import check_restated_amounts, check_stated_changes
from fiscallens.extract.table import (
    DEFAULT_UNIT,
    Row,
    TableRange,
    cell_number,
    document_rows,
    is_empty_cell,
    is_name_cell,
    line_list,
    table_ranges,
    table_unit,
)
from fiscallens.model import Document
from fiscallens.normalize import squash, to_wan

# ---------------------------------------------------------------------------------------------
# Functional-classification tables
# ---------------------------------------------------------------------------------------------

TOTAL_LABELS = frozenset({"合计", "总计"})
# The row numbering the columns ("栏次 1 2 3 …") carries numbers that are not amounts.
COLUMN_NUMBER_LABELS = frozenset({"栏次", "行次", "序号"})

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
    check_stated_changes(ctx, doc, prose)
    check_restated_amounts(ctx, doc, prose)
    read_narrative(ctx, doc, prose, report_basis(ctx))


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
        FUNCTION_SPENDING,
        key,
        Source(doc, row.line),
        figures,
        basis=table.basis,
        source_table=table.range.title,
        **attributes,
    )
