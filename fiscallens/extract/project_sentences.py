"""Evaluated units read from sentences, and the sub-project table of project reports.

- `read_subproject_table`: 子项目名称 | 预算安排 | 实际到位资金 | 实际支出金额 | 结转结余金额 | 预算执行率
  → one `subproject` evaluation per row; its 合计 row restates the project's figures.
- `read_project_paragraphs`: a project heading followed by "(1) 资金使用情况：…预算数 620 万元（其中：
  财政拨款资金 620 万元，其他资金 0 元），执行数 620 万元，执行率 100%", or one item
  "N. <name>完成情况综述：项目全年预算数 X 万元，执行数 Y 万元"; and the department's summary
  "项目资金预算实际下达数 X 万元，…项目预算支出 Y 万元".
- `read_department_narrative`: the department's own figures in running text (年度预算金额, 总收入 …
  财政拨款收入 … 年初预算 … 年中追加, 支出总额 … 基本支出 … 项目支出, 预算执行率, the execution
  score), and "共支出资金 X 万元，结转结余 Y 万元，预算执行率为 Z%" for whichever unit it names.

Sentences are usually a second source: table readers run first, and `ReportContext.put` turns
a sentence that disagrees with its table into a warning. Text is read in passages: lines that
a PDF broke mid-sentence are joined back, and `<p>` blocks inside table cells are split apart,
with every character remembering its source line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from fiscallens.extract.context import SAME_FIGURE_TOLERANCE, ReportContext, Source, find_key, fmt, keys_of
from fiscallens.extract.evaluation import decide_unit, evaluation_for, put_evaluation, put_line, stated_unit
from fiscallens.extract.forms import MAX_NAME_CHARS, project_name_at
from fiscallens.extract.prose import (
    SPACED_AMOUNT,
    SPACED_NUMBER,
    Passage,
    amount_pattern,
    labelled_amount,
    passages,
    spaced_amount,
)
from fiscallens.extract.table import is_empty_cell, split_cells
from fiscallens.model import Document
from fiscallens.normalize import normalize_text, parse_number, parse_percent, squash, to_wan

# --- figures in sentences ------------------------------------------------------------------

NUM = SPACED_NUMBER
AMOUNT = SPACED_AMOUNT

# Project paragraphs: the fund sentence follows one of these markers.
FUND_MARKER = re.compile(r"资金使用情况|完成情况综述")
BUDGET = labelled_amount("(?:全年|年度)?预算数")
ADJUSTED = re.compile(rf"调整[^,;。]{{0,12}}?\s*{AMOUNT}")
ACTUAL = labelled_amount("执行数")
RATE = re.compile(rf"(?:执行率\s*(?:为|达到?)?|完成(?:全年)?预算的)\s*(?P<v>{NUM})\s*%")
FISCAL_PART = re.compile(rf"财政拨款(?:资金)?\s*{AMOUNT}")
OTHER_PART = re.compile(rf"其他资金\s*{AMOUNT}")
# A project's name: a heading line above the paragraph, or the item text before the marker.
# "14.2021 年…" is item 14 about the year 2021, not the number 14.2021; "2、2019 年…" (、 is never a
# decimal point) is item 2.
HEADING = re.compile(
    r"^(?:#+\s*)?(?:\*\*)?\s*"
    r"(?P<enum>\d{1,2}\s*、|\d{1,2}\s*\.(?!\d)|\d{1,2}\s*\.(?=(?:19|20)\d{2}\s*年)|[一二三四五六七八九十]+、)?"
    r"\s*(?P<name>.+?)\s*(?:\*\*)?$"
)
ENUMERATOR = re.compile(
    r"^\s*(?:[(]\s*[一二三四五六七八九十\d]+\s*[)]|\d{1,2}\s*、|\d{1,2}\s*\.(?!\d)|[一二三四五六七八九十]+、)\s*"
)
NAME_FORBIDDEN = re.compile(r"[。,;:!?]")
HEADING_LOOKBACK_LINES = 4
# The department's summary of its project funds.
DEPARTMENT_PROJECTS = re.compile(
    rf"项目资金预算(?:实际)?下达数\s*{amount_pattern(spaced=True, value='b', unit='bu')}[^。]{{0,40}}?"
    rf"项目(?:预算)?支出\s*{amount_pattern(spaced=True, value='a', unit='au')}"
)

# Department narrative.
DEPARTMENT_BUDGET = re.compile(rf"年度预算金额\s*:?\s*{AMOUNT}")
# The department's own totals, not "政府采购支出总额": the word before says whose total it is.
SELF = r"我中心|我单位|本单位|我局|本局|本部门|我部门|部门整体|单位整体"
OWN_TOTAL = rf"(?:年度|全年|{SELF})"
INCOME = labelled_amount(rf"{OWN_TOTAL}\s*(?P<k>总收入)")
FISCAL_INCOME = labelled_amount("财政拨款收入")
INITIAL = labelled_amount("年初预算(?:数)?")
ADDED = labelled_amount("(?:年中)?追加(?:预算)?")
OTHER_INCOME = labelled_amount("其他收入")
SPENDING = labelled_amount(rf"{OWN_TOTAL}\s*(?P<k>支出总额)")
BASIC = labelled_amount("基本支出")
PROJECT = labelled_amount("项目支出")
# The department's rate only when the sentence speaks of the department itself; a project's
# "执行率 100%" in the same document is not the department's.
DEPARTMENT_RATE = re.compile(rf"(?:{SELF})[^。]{{0,20}}?预算执行率\s*(?:为|达到?|是)?\s*(?P<v>{NUM})\s*%")
EXECUTION_SCORE = re.compile(
    rf"(?P<what>预算执行(?:情况|率))[^。]{{0,10}}?(?:总分|分值|满分)\s*(?:为)?\s*(?P<w>{NUM})\s*分"
    rf"\s*[,]?\s*得分\s*(?:为)?\s*(?P<s>{NUM})\s*分"
)
SPENT_AND_LEFT = re.compile(
    rf"(?P<subject>[^,;。:]{{0,40}}?)(?:共|累计)支出(?:资金)?\s*{amount_pattern(spaced=True, value='a', unit='au')}"
    rf"\s*,\s*结转结余\s*{amount_pattern(spaced=True, value='b', unit='bu')}"
    rf"(?:\s*,\s*(?:预算)?执行率\s*(?:为)?\s*(?P<r>{NUM})\s*%)?"
)
# How far after 支出总额 its parts (基本支出, 项目支出) are looked for.
PARTS_WINDOW_CHARS = 400

# --- sub-project tables --------------------------------------------------------------------

SUBPROJECT_HEADER = re.compile(r"^子项目(?:名称)?$")
# Checked in order: "预算执行率" is a rate although it says 预算.
SUBPROJECT_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("execution_rate_reported", re.compile(r"执行率")),
    ("balance", re.compile(r"结余")),
    ("received", re.compile(r"到位")),
    ("actual", re.compile(r"实际支出|支出金额|执行数")),
    ("budget_full_year", re.compile(r"预算|安排|计划")),
)
SUBPROJECT_TOTAL = re.compile(r"^(?:合计|总计)$")
MAX_SUBPROJECT_ROWS = 40


# ============================================================================================
# Figures in passages
# ============================================================================================


def _label(match: re.Match[str]) -> str:
    """The words of a matched "<label> <amount>" as printed: 全年预算数, 财政拨款资金 …
    (from the keyword group `k` when the pattern also matched whose figure it is)."""
    start = match.start("k") if "k" in match.groupdict() else match.start()
    return match.string[start : match.start("v")].strip()


def _percent(match: re.Match[str], group: str = "v") -> float | None:
    return parse_percent(match.group(group) + "%")


def _put_figures(
    doc: Document,
    passage: Passage,
    found: dict[str, tuple[float | None, int]],
    write: Callable[[Source, dict[str, float | None]], None],
) -> None:
    """Call `write(source, figures)` once per source line, so that each figure keeps its own line."""
    by_line: dict[int, dict[str, float | None]] = {}
    for name, (value, position) in sorted(found.items(), key=lambda item: item[1][1]):
        if value is not None:
            by_line.setdefault(passage.line_at(position), {})[name] = value
    for line, figures in by_line.items():
        write(Source(doc, line), figures)


def _parts_agree(
    ctx: ReportContext, source: Source, subject: str, whole: tuple[str, float], parts: list[tuple[str, float]]
) -> None:
    """A warning when printed parts do not add up to their printed whole (both are kept as printed)."""
    total = sum(v for _, v in parts)
    if abs(total - whole[1]) > SAME_FIGURE_TOLERANCE:
        listed = "、".join(f"{label} {fmt(v)} 万元" for label, v in parts)
        ctx.finding(
            "parts_do_not_sum",
            "warning",
            f"{subject}的{whole[0]}为 {fmt(whole[1])} 万元，但{listed}之和为 {fmt(total)} 万元，两者不符；"
            "按原文分别入库。",
            source,
        )


# ============================================================================================
# Project paragraphs
# ============================================================================================


def read_project_paragraphs(ctx: ReportContext, doc: Document) -> None:
    """Projects' fund sentences, and the department's summary of its project funds."""
    own: set[tuple[Any, ...]] = set()  # projects named by this call: siblings never merge by containment
    for passage in passages(doc):
        marker = FUND_MARKER.search(passage.text)
        if marker:
            _project_paragraph(ctx, doc, passage, marker, own)
        for match in DEPARTMENT_PROJECTS.finditer(passage.text):
            _department_projects(ctx, doc, passage, match)


def _project_paragraph(
    ctx: ReportContext, doc: Document, passage: Passage, marker: re.Match[str], own: set[tuple[Any, ...]]
) -> None:
    end = passage.text.find("。", marker.end())
    clause_end = len(passage.text) if end < 0 else end
    clause = passage.text[:clause_end]
    budget = BUDGET.search(clause, marker.end())
    actual = ACTUAL.search(clause, marker.end())
    if not budget or not actual:
        return
    name = _inline_name(passage.text[: marker.start()]) or _heading_above(doc, passage.first_line)
    source = Source(doc, passage.line_at(budget.start()))
    if not name:
        ctx.finding(
            "project_name_missing",
            "info",
            f"资金使用情况句（预算数 {fmt(spaced_amount(budget) or 0)} 万元）前找不到项目名称，未入库。",
            source,
        )
        return
    key, evaluation_id, name = evaluation_for(ctx, "project", name, exclude=own)
    own.add(key)
    found: dict[str, tuple[float | None, int]] = {
        "budget_full_year": (spaced_amount(budget), budget.start("v")),
        "actual": (spaced_amount(actual), actual.start("v")),
    }
    adjusted = ADJUSTED.search(clause, budget.end())
    if adjusted and adjusted.start() < actual.start():
        found["budget_initial"] = found["budget_full_year"]
        found["budget_full_year"] = (spaced_amount(adjusted), adjusted.start("v"))
        ctx.finding(
            "budget_adjusted",
            "info",
            f"“{name}”预算数 {fmt(spaced_amount(budget) or 0)} 万元经调整为 {fmt(spaced_amount(adjusted) or 0)} 万元："
            "前者记为年初预算数，后者记为全年预算数。",
            Source(doc, passage.line_at(adjusted.start())),
        )
    rate = RATE.search(clause, marker.end())
    if rate:
        found["execution_rate_reported"] = (_percent(rate), rate.start("v"))

    def evaluation(src: Source, figures: dict[str, float | None]) -> None:
        put_evaluation(ctx, key, evaluation_id, "project", name, src, figures)

    _put_figures(doc, passage, found, evaluation)

    if not any(k[0] == evaluation_id for k in keys_of(ctx, "execution_lines")):
        # No table gave this project's lines: the sentence's own become its lines. (With a table,
        # the evaluation's figures above are the comparison; repeating it per line would warn twice.)
        money = {f: v for f, v in found.items() if f != "execution_rate_reported"}
        label = _label(budget)
        _put_figures(doc, passage, money, lambda src, figs: put_line(ctx, evaluation_id, "total", label, src, figs))
    parts = []
    for line, pattern in (("fiscal", FISCAL_PART), ("other", OTHER_PART)):
        part = pattern.search(clause, marker.end())
        if part and part.start() < actual.start():
            value = spaced_amount(part)
            label = _label(part)
            if value is not None:
                parts.append((label, value))
                put_line(
                    ctx,
                    evaluation_id,
                    line,
                    label,
                    Source(doc, passage.line_at(part.start())),
                    {"budget_full_year": value},
                    second_source=True,
                )
    whole = found["budget_initial" if "budget_initial" in found else "budget_full_year"][0]
    if parts and whole is not None:
        _parts_agree(ctx, source, f"“{name}”", ("预算数", whole), parts)


def _inline_name(text: str) -> str | None:
    """The item text before 完成情况综述 ("1. 大数据发展专项资金——X项目"), if it is a name."""
    name = ENUMERATOR.sub("", text).strip()
    name = re.sub(r"^#+\s*|\*\*", "", name).strip()
    if 2 <= len(name) <= MAX_NAME_CHARS and not NAME_FORBIDDEN.search(name):
        return name
    return None


def _heading_above(doc: Document, line: int) -> str | None:
    """The project heading just above a paragraph ("#### 1.智慧黔南综合平台项目", "## **11、智能公文提醒**")."""
    # Only the nearest non-empty line may be the paragraph's heading.
    number = next(
        (n for n in range(line - 1, max(0, line - 1 - HEADING_LOOKBACK_LINES), -1) if doc.lines[n - 1].strip()), None
    )
    if number is None:
        return None
    text = normalize_text(doc.lines[number - 1])
    match = HEADING.match(text)
    if match is None or not (text.startswith("#") or match.group("enum")):
        return None
    name = match.group("name").strip("* ").strip()
    return name if 2 <= len(name) <= MAX_NAME_CHARS and not NAME_FORBIDDEN.search(name) else None


def _department_projects(ctx: ReportContext, doc: Document, passage: Passage, match: re.Match[str]) -> None:
    """ "项目资金预算实际下达数 X 万元，…项目预算支出 Y 万元": the department's project line, restated."""
    key, evaluation_id, name = evaluation_for(ctx, "department", None)
    if not name:
        return
    if ctx.get("evaluations", key) is None:
        put_evaluation(ctx, key, evaluation_id, "department", name, Source(doc, passage.line_at(match.start())), {})
    found = {
        "budget_full_year": (spaced_amount(match, "b", "bu"), match.start("b")),
        "actual": (spaced_amount(match, "a", "au"), match.start("a")),
    }
    _put_figures(
        doc,
        passage,
        found,
        lambda src, figs: put_line(ctx, evaluation_id, "project", "项目支出", src, figs, second_source=True),
    )


# ============================================================================================
# Department narrative
# ============================================================================================


def read_department_narrative(ctx: ReportContext, doc: Document) -> None:
    """The department's figures in running text, and "共支出…结转结余…预算执行率" for the unit it names."""
    for passage in passages(doc):
        for pattern, read in _NARRATIVE_READS:
            for match in pattern.finditer(passage.text):
                read(ctx, doc, passage, match)


def _department_budget(ctx: ReportContext, doc: Document, passage: Passage, match: re.Match[str]) -> None:
    _department(ctx, doc, passage, {"budget_full_year": (spaced_amount(match), match.start("v"))})


def _department_rate(ctx: ReportContext, doc: Document, passage: Passage, match: re.Match[str]) -> None:
    _department(ctx, doc, passage, {"execution_rate_reported": (_percent(match), match.start("v"))})


def _department(
    ctx: ReportContext, doc: Document, passage: Passage, found: dict[str, tuple[float | None, int]]
) -> str | None:
    key, evaluation_id, name = evaluation_for(ctx, "department", None)
    if not name:
        return None
    _put_figures(
        doc,
        passage,
        found,
        lambda src, figs: put_evaluation(ctx, key, evaluation_id, "department", name, src, figs),
    )
    return evaluation_id


def _sentence(text: str, start: int) -> str:
    end = text.find("。", start)
    return text[: len(text) if end < 0 else end]


def _income(ctx: ReportContext, doc: Document, passage: Passage, income: re.Match[str]) -> None:
    """总收入 X，其中财政拨款收入 F，包括年初预算 I，年中追加 J …；其他收入 K (one sentence)."""
    sentence = _sentence(passage.text, income.end())
    fiscal = FISCAL_INCOME.search(sentence, income.end())
    initial = INITIAL.search(sentence, income.end())
    added = ADDED.search(sentence, income.end())
    other = OTHER_INCOME.search(sentence, income.end())
    evaluation_id = _department(
        ctx, doc, passage, {"budget_initial": (spaced_amount(initial), initial.start("v"))} if initial else {}
    )
    if evaluation_id is None:
        evaluation_id = evaluation_for(ctx, "department", None)[1]
        if ctx.get("evaluations", ("department",)) is None:
            return

    def line(kind: str, match: re.Match[str], figures: dict[str, tuple[float | None, int]]) -> None:
        label = _label(match)
        _put_figures(doc, passage, figures, lambda src, figs: put_line(ctx, evaluation_id, kind, label, src, figs))

    line("income", income, {"budget_full_year": (spaced_amount(income), income.start("v"))})
    if fiscal:
        figures = {"budget_full_year": (spaced_amount(fiscal), fiscal.start("v"))}
        if initial:
            figures["budget_initial"] = (spaced_amount(initial), initial.start("v"))
        line("fiscal", fiscal, figures)
        if initial and added:
            _printed_parts_agree(
                ctx, doc, passage, ("财政拨款收入", fiscal), [("年初预算", initial), ("年中追加", added)]
            )
    if other:
        line("other", other, {"budget_full_year": (spaced_amount(other), other.start("v"))})
        if fiscal:
            _printed_parts_agree(ctx, doc, passage, ("总收入", income), [("财政拨款收入", fiscal), ("其他收入", other)])


def _printed_parts_agree(
    ctx: ReportContext,
    doc: Document,
    passage: Passage,
    whole: tuple[str, re.Match[str]],
    parts: list[tuple[str, re.Match[str]]],
) -> None:
    """`_parts_agree` on the department's printed amounts, when every one of them reads as an amount."""
    values = [spaced_amount(match) for _, match in (whole, *parts)]
    if None in values:
        return
    source = Source(doc, passage.line_at(whole[1].start()))
    named = [(label, value or 0.0) for (label, _), value in zip(parts, values[1:], strict=True)]
    _parts_agree(ctx, source, "部门", (whole[0], values[0] or 0.0), named)


def _spending(ctx: ReportContext, doc: Document, passage: Passage, total: re.Match[str]) -> None:
    """支出总额 X。包括基本支出 A …；项目支出 B …: the department's actual spending and its parts."""
    evaluation_id = _department(ctx, doc, passage, {"actual": (spaced_amount(total), total.start("v"))})
    if evaluation_id is None:
        return
    window = passage.text[: total.end() + PARTS_WINDOW_CHARS]
    parts = []
    for kind, pattern in (("total", None), ("basic", BASIC), ("project", PROJECT)):
        match = total if pattern is None else pattern.search(window, total.end())
        if match is None or spaced_amount(match) is None:
            continue
        label = _label(match)
        _put_figures(
            doc,
            passage,
            {"actual": (spaced_amount(match), match.start("v"))},
            lambda src, figs, kind=kind, label=label: put_line(ctx, evaluation_id, kind, label, src, figs),
        )
        if pattern is not None:
            parts.append((label, spaced_amount(match) or 0.0))
    if len(parts) == 2 and spaced_amount(total) is not None:
        _parts_agree(
            ctx, Source(doc, passage.line_at(total.start())), "部门", ("支出总额", spaced_amount(total) or 0.0), parts
        )


def _execution_score(ctx: ReportContext, doc: Document, passage: Passage, match: re.Match[str]) -> None:
    weight, score = parse_number(match.group("w")), parse_number(match.group("s"))
    _department(
        ctx,
        doc,
        passage,
        {"execution_weight": (weight, match.start("w")), "execution_score": (score, match.start("s"))},
    )
    if match.group("what") != "预算执行率":
        ctx.finding(
            "execution_score_scope",
            "info",
            f"原文“{match.group(0)}”评的是“{match.group('what')}”，口径可能宽于预算执行率单项；"
            f"按执行率指标的分值 {fmt(weight or 0)}、得分 {fmt(score or 0)} 入库。",
            Source(doc, passage.line_at(match.start())),
        )


def _spent_and_left(ctx: ReportContext, doc: Document, passage: Passage, match: re.Match[str]) -> None:
    """ "<subject>共支出资金 X 万元，结转结余 Y 万元，预算执行率为 Z%": the unit the subject names,
    else the report's project (project reports) or its department."""
    subject = match.group("subject")
    key = find_key(ctx, "evaluations", "project", subject)
    if key is not None:
        row = ctx.get("evaluations", key) or {}
        scope, name, evaluation_id = "project", row.get("name"), row.get("evaluation_id")
    elif ctx.classification.project_name:
        scope = "project"
        key, evaluation_id, name = evaluation_for(ctx, "project", ctx.classification.project_name)
    else:
        scope = "department"
        key, evaluation_id, name = evaluation_for(ctx, "department", None)
    if not name or not evaluation_id:
        return
    found: dict[str, tuple[float | None, int]] = {"actual": (spaced_amount(match, "a", "au"), match.start("a"))}
    if match.group("r"):
        found["execution_rate_reported"] = (_percent(match, "r"), match.start("r"))
    _put_figures(
        doc,
        passage,
        found,
        lambda src, figs: put_evaluation(ctx, key, evaluation_id, scope, name, src, figs),
    )
    _put_figures(
        doc,
        passage,
        {"actual": (spaced_amount(match, "b", "bu"), match.start("b"))},
        lambda src, figs: put_line(ctx, evaluation_id, "carryover", "结转结余", src, figs, second_source=True),
    )


# Each passage is read for these, in this order.
_NARRATIVE_READS: tuple[
    tuple[re.Pattern[str], Callable[[ReportContext, Document, Passage, re.Match[str]], None]], ...
] = (
    (DEPARTMENT_BUDGET, _department_budget),
    (INCOME, _income),
    (SPENDING, _spending),
    (DEPARTMENT_RATE, _department_rate),
    (EXECUTION_SCORE, _execution_score),
    (SPENT_AND_LEFT, _spent_and_left),
)


# ============================================================================================
# Sub-project tables
# ============================================================================================


def read_subproject_table(ctx: ReportContext, doc: Document) -> None:
    """Each 子项目 table: one `subproject` evaluation per row; the 合计 row restates the project."""
    for header_line, columns in _subproject_headers(doc):
        _read_subprojects(ctx, doc, header_line, columns)


def _subproject_headers(doc: Document) -> Iterator[tuple[int, dict[int, str]]]:
    for number, raw in enumerate(doc.lines, start=1):
        if "\t" not in raw:
            continue
        cells = split_cells(raw)
        first = next((i for i, c in enumerate(cells) if c.strip()), None)
        if first is None or not SUBPROJECT_HEADER.match(squash(cells[first])):
            continue
        cells = [squash(c) for c in cells]
        columns = {}
        for index, cell in enumerate(cells[first + 1 :], start=first + 1):
            field_name = next((f for f, pattern in SUBPROJECT_COLUMNS if pattern.search(cell)), None)
            if field_name and field_name not in columns.values():
                columns[index] = field_name
        if {"budget_full_year", "actual"} <= set(columns.values()):
            yield number, columns


def _read_subprojects(ctx: ReportContext, doc: Document, header_line: int, columns: dict[int, str]) -> None:
    rows: list[tuple[int, str, dict[str, float]]] = []
    for number in range(header_line + 1, min(len(doc.lines), header_line + MAX_SUBPROJECT_ROWS) + 1):
        raw = doc.lines[number - 1]
        if not raw.strip():
            break
        cells = split_cells(raw)
        name = re.sub(r"\s+", " ", cells[0]).strip() if cells else ""
        values = {}
        for index, field_name in columns.items():
            if index < len(cells) and not is_empty_cell(cells[index]):
                cell = cells[index]
                value = parse_percent(cell) if field_name == "execution_rate_reported" else parse_number(cell)
                if value is not None:
                    values[field_name] = value
        if not name or not values:
            break
        rows.append((number, name, values))
        if SUBPROJECT_TOTAL.match(name.replace(" ", "")):
            break
    if not rows:
        return
    header_source = Source(doc, header_line)
    stated = stated_unit(doc, header_line)
    money = [
        v for _, _, vals in rows for f, v in vals.items() if f in {"budget_full_year", "actual", "received", "balance"}
    ]
    last = rows[-1][0]
    unit = decide_unit(
        ctx, doc, stated, money, range(header_line, last + 1), f"子项目资金表（第{header_line}行起）", header_source
    )

    def wan(values: dict[str, float]) -> dict[str, float]:
        return {f: (v if f == "execution_rate_reported" else to_wan(v, unit)) for f, v in values.items()}

    items = [(n, name, wan(v)) for n, name, v in rows if not SUBPROJECT_TOTAL.match(name.replace(" ", ""))]
    total = next(((n, name, wan(v)) for n, name, v in rows if SUBPROJECT_TOTAL.match(name.replace(" ", ""))), None)
    for number, name, values in items:
        source = Source(doc, number)
        key, evaluation_id, name = evaluation_for(ctx, "subproject", name)
        figures = {f: values.get(f) for f in ("budget_full_year", "actual", "execution_rate_reported")}
        put_evaluation(ctx, key, evaluation_id, "subproject", name, source, figures)
        _balance_agrees(ctx, source, name, values)
    if total is None:
        return
    number, _, values = total
    source = Source(doc, number)
    _balance_agrees(ctx, source, "合计", values)
    for field_name in ("budget_full_year", "actual", "received", "balance"):
        printed = [v[field_name] for _, _, v in items if field_name in v]
        if field_name in values and printed and abs(sum(printed) - values[field_name]) > SAME_FIGURE_TOLERANCE:
            ctx.finding(
                "parts_do_not_sum",
                "warning",
                f"子项目资金表第{number}行合计的{_SUBPROJECT_LABELS[field_name]}为 {fmt(values[field_name])} 万元，"
                f"但各子项目之和为 {fmt(sum(printed))} 万元；按原文分别入库。",
                source,
            )
    project = ctx.classification.project_name or next(
        (found for n in range(header_line - 1, 0, -1) if (found := project_name_at(doc.lines[n - 1]))), None
    )
    if not project:
        ctx.finding(
            "subproject_total_unassigned", "info", "子项目资金表的合计行找不到所属项目，未作为项目数字入库。", source
        )
        return
    key, evaluation_id, project = evaluation_for(ctx, "project", project)
    figures = {f: values.get(f) for f in ("budget_full_year", "actual", "execution_rate_reported")}
    put_evaluation(ctx, key, evaluation_id, "project", project, source, figures)


_SUBPROJECT_LABELS = {
    "budget_full_year": "预算安排",
    "actual": "实际支出",
    "received": "实际到位资金",
    "balance": "结转结余",
}


def _balance_agrees(ctx: ReportContext, source: Source, name: str, values: dict[str, float]) -> None:
    """预算安排 − 实际支出 should be what is left (结转结余); a warning when the row says otherwise."""
    budget, actual, balance = values.get("budget_full_year"), values.get("actual"), values.get("balance")
    if budget is None or actual is None or balance is None:
        return
    if abs(budget - actual - balance) > SAME_FIGURE_TOLERANCE:
        ctx.finding(
            "balance_disagrees",
            "warning",
            f"“{name}”预算安排 {fmt(budget)} 万元减实际支出 {fmt(actual)} 万元应为 {fmt(budget - actual)} 万元，"
            f"但结转结余印作 {fmt(balance)} 万元；按原文入库。",
            source,
        )
