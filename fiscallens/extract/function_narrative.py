"""The narrative of a report's functional classification: what the tables lack, and a second source.

A 部门决算 explains its general-budget appropriations in sentences: the initial budget and the actual
figure of each 项 ("X(类)Y(款)Z(项)。年初预算为A万元,支出决算为B万元,完成年初预算的C%") and of the whole
("一般公共预算财政拨款支出年初预算为…"), and the 类 totals once more ("一般公共服务支出(类)208.32万元,
占0.94%"). A 部门预算 names each 项 by its path (“一般公共服务支出-政府办公厅(室)及相关机构事务-行政运行”
科目1,202.95万元). Printed names are matched to the codes the tables gave (`_Catalogue`); the figures go
through `ReportContext.put` as a second source, so disagreements with the tables show. The completion
rate and a "决算数大于/小于预算数" claim that follow the figures are checked against them.

Used by the functional-classification reader (`function_tables`), after its tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fiscallens.extract.codes import FIGURES, FUNCTION_SPENDING, LEVELS, TOTAL_CODE, TOTAL_LEVEL, TOTAL_NAME
from fiscallens.extract.context import (
    FLOAT_SLACK,
    SAME_FIGURE_TOLERANCE,
    TRUNCATION_SCORE,
    ReportContext,
    Source,
    fmt,
    half_unit,
    name_score,
    same_figure,
)
from fiscallens.extract.prose import (
    AMOUNT,
    Passage,
    Printed,
    clean_name,
    printed_decimals,
    prose_amount,
    sentence_amount,
)
from fiscallens.model import Document

NARRATIVE_BASIS = "actual"
# A classification name inside a sentence: no punctuation, no line fence.
_NAME = r"[^\n()。:;,、%]{1,40}?"
# "。年初预算为A万元,支出决算为B万元,完成年初预算的C%"; tolerates 初预算 (年 lost) and 万A元. Some
# documents add the adjusted budget ("全年预算为F万元") and say which budget the rate is of.
_BUDGET_ACTUAL = (
    rf"[。.:]?年?初预算数?为(?P<budget>{AMOUNT}),?"
    rf"(?:(?:全年|调整后)预算数?为(?P<full>{AMOUNT}),?)?"
    rf"(?:支出)?决算数?为(?P<actual>{AMOUNT})"
    r"(?:,?完成(?P<base>年初|全年|调整后)?预算数?的(?P<rate>\d+(?:\.\d+)?)%)?"
)
# What follows the figures may say how they compare: "。决算数小于预算数的主要原因…".
DIRECTION_CLAIM_RE = re.compile(
    r"[。.,;]?[^。\n]{0,24}?决算数?(?P<word>大于|高于|超过|小于|低于|等于)(?P<base>年初|全年|调整后)?预算数?"
)
CLAIM_SIGNS = {"大于": 1, "高于": 1, "超过": 1, "小于": -1, "低于": -1, "等于": 0}
# What an item is spent on may stand between the item and its figures: "(项)。主要用于:…基本支出。年初预算为…".
_PURPOSE = r"(?:[。.]?主要用于[:：]?[^。\n]{0,80}。)?"
ITEM_RE = re.compile(
    rf"(?P<lei>{_NAME})\(类\)(?:(?P<kuan>{_NAME})\(款\))?(?:(?P<xiang>{_NAME})\(项\))?{_PURPOSE}{_BUDGET_ACTUAL}"
)
SUMMARY_RE = re.compile(rf"一般公共预算财政拨款支出{_BUDGET_ACTUAL}")
# "一般公共服务支出(类)208.32万元", "科学技术(类)支出14419.03万元".
CLASS_SHARE_RE = re.compile(rf"(?P<name>{_NAME})\(类\)(?P<suffix>支出)?(?P<amount>{AMOUNT})")
# “一般公共服务支出-政府办公厅(室)及相关机构事务-行政运行”科目1,202.95万元 (budget narrative).
# The path may also be marked by level, and 科目 left out: “一般公共服务支出(类)统计信息事务(款)统计管理(项)”2.63万元.
BUDGET_ITEM_RE = re.compile(rf"[“\"](?P<path>[^”\"\n]{{2,90}})[”\"](?P<subject>科目)?(?P<amount>{AMOUNT})")
LEVEL_MARK_RE = re.compile(r"\((类|款|项)\)")

# A printed name is matched to a code's name from this similarity on (`name_score`).
NAME_MATCH_MIN = 0.8
# A printed figure or rate stands for every value within half a unit of its last printed digit
# (`Printed`): a rate, a change or a "大于/小于" claim is wrong only when no such values give it.


def read_narrative(ctx: ReportContext, doc: Document, prose: Passage, basis: str) -> None:
    """The narrative's functional figures: a budget's item paths and 类 totals, or a final account's
    summary, items and 类 totals."""
    noted: set[tuple[str, str]] = set()  # (printed name, code) pairs already explained by a finding
    if basis == "budget":
        _read_budget_items(ctx, doc, prose, noted)
        _read_class_shares(ctx, doc, prose, noted, "budget")
        return
    _read_summary(ctx, doc, prose)
    _read_items(ctx, doc, prose, noted)
    _read_class_shares(ctx, doc, prose, noted, NARRATIVE_BASIS)


def _read_summary(ctx: ReportContext, doc: Document, prose: Passage) -> None:
    for match in SUMMARY_RE.finditer(prose.text):
        values = _budget_actual(ctx, doc, prose, match)
        if values is None:
            continue
        budget, actual, source = values
        _check_figures(ctx, source, "一般公共预算财政拨款支出", match, prose.text)
        ctx.put(
            FUNCTION_SPENDING,
            (NARRATIVE_BASIS, TOTAL_CODE),
            source,
            {**dict.fromkeys(FIGURES), "total": actual, "budget_initial": budget},
            printed_decimals=_decimals_of(match, total="actual", budget_initial="budget"),
            basis=NARRATIVE_BASIS,
            code=TOTAL_CODE,
            level=TOTAL_LEVEL,
            name=TOTAL_NAME,
            parent_code=None,
            source_table=None,
        )


def _read_items(ctx: ReportContext, doc: Document, prose: Passage, noted: set[tuple[str, str]]) -> None:
    catalogue = _Catalogue(ctx)
    for match in ITEM_RE.finditer(prose.text):
        values = _budget_actual(ctx, doc, prose, match)
        if values is None:
            continue
        budget, actual, source = values
        printed = [clean_name(match.group(g)) for g in ("lei", "kuan", "xiang")]
        subject = "".join(f"{n}({lv})" for n, lv in zip(printed, LEVELS.values(), strict=True) if n)
        _check_figures(ctx, source, subject, match, prose.text)
        decimals = _decimals_of(match, total="actual", budget_initial="budget")
        code = catalogue.match(ctx, source, printed, actual, noted, decimals["total"])
        if code is None:
            continue
        ctx.put(
            FUNCTION_SPENDING,
            (NARRATIVE_BASIS, code),
            source,
            {"total": actual, "budget_initial": budget},
            printed_decimals=decimals,
        )


def _read_budget_items(ctx: ReportContext, doc: Document, prose: Passage, noted: set[tuple[str, str]]) -> None:
    """A budget's narrative names each 项 by its path: “一般公共服务支出-政府办公厅(室)及相关机构事务-行政运行”科目
    1,202.95万元 — a second source for the tables' 项 totals. The amount belongs to the most specific level
    the path names: it is compared with that 项 (or 款), never with its 类."""
    catalogue = _Catalogue(ctx, "budget")
    for match in BUDGET_ITEM_RE.finditer(prose.text):
        amount = sentence_amount(match.group("amount"))
        printed = _path_names(match.group("path"))
        if amount is None or printed is None:
            continue
        if match.group("subject") is None and not LEVEL_MARK_RE.search(match.group("path")):
            continue  # a quoted phrase followed by an amount, not a classification path
        source = Source(doc, prose.line_at(match.start("amount")))
        decimals = printed_decimals(match.group("amount"))
        code = catalogue.match(ctx, source, printed, amount[0], noted, decimals)
        if code is not None:
            ctx.put(FUNCTION_SPENDING, ("budget", code), source, {"total": amount[0]}, printed_decimals=decimals)


def _path_names(path: str) -> list[str] | None:
    """The 类, 款 and 项 names of a printed path ("A-B-C" or "A(类)B(款)C(项)"); '' for a level not named."""
    parts = LEVEL_MARK_RE.split(path)
    if len(parts) > 1:
        names = dict.fromkeys(LEVELS.values(), "")
        for name, level in zip(parts[0::2], parts[1::2], strict=False):
            names[level] = clean_name(name.strip("-"))
        return list(names.values())
    printed = [clean_name(n) for n in path.split("-")]
    if len(printed) > len(LEVELS):
        return None
    return printed + [""] * (len(LEVELS) - len(printed))


def _read_class_shares(
    ctx: ReportContext, doc: Document, prose: Passage, noted: set[tuple[str, str]], basis: str
) -> None:
    catalogue = _Catalogue(ctx, basis)
    for match in CLASS_SHARE_RE.finditer(prose.text):
        amount = sentence_amount(match.group("amount"))
        if amount is None:
            continue
        name = clean_name(match.group("name"))
        if match.group("suffix") and not name.endswith("支出"):
            name += "支出"  # "科学技术(类)支出": the suffix was pushed behind the marker
        source = Source(doc, prose.line_at(match.start("amount")))
        decimals = printed_decimals(match.group("amount"))
        code = catalogue.match(ctx, source, [name, "", ""], amount[0], noted, decimals)
        if code is not None:
            ctx.put(FUNCTION_SPENDING, (basis, code), source, {"total": amount[0]}, printed_decimals=decimals)


def _budget_actual(
    ctx: ReportContext, doc: Document, prose: Passage, match: re.Match[str]
) -> tuple[float, float, Source] | None:
    budget = prose_amount(ctx, doc, prose, match, "budget")
    actual = prose_amount(ctx, doc, prose, match, "actual")
    if budget is None or actual is None:
        return None
    return budget[0], actual[0], Source(doc, actual[1])


def _decimals_of(match: re.Match[str], **groups: str) -> dict[str, int]:
    """Printed decimals per figure name, from the match groups that printed them."""
    return {name: printed_decimals(match.group(group)) for name, group in groups.items() if match.group(group)}


def _ratio_range(numerator: Printed, denominator: Printed) -> tuple[float, float] | None:
    """Every percentage numerator ÷ denominator can be, given the rounding of both; None when the
    denominator may be zero."""
    if denominator.low <= 0:
        return None
    low = max(numerator.low, 0.0) / denominator.high * 100
    return low, numerator.high / denominator.low * 100


@dataclass(frozen=True)
class _Said:
    """What one budget-and-actual sentence printed: where, about what, and its figures."""

    source: Source
    subject: str
    initial: Printed
    full: Printed | None
    actual: Printed


def _check_figures(ctx: ReportContext, source: Source, subject: str, match: re.Match[str], text: str) -> None:
    """The completion rate and the "决算数大于/小于/等于预算数" claim that follow a sentence's figures."""
    initial, actual = Printed.of(match.group("budget")), Printed.of(match.group("actual"))
    full = Printed.of(match.group("full")) if match.group("full") else None
    if initial is None or actual is None:
        return
    said = _Said(source, subject, initial, full, actual)
    if match.group("rate"):
        _check_rate(ctx, said, match.group("rate"), match.group("base"))
    claim = DIRECTION_CLAIM_RE.match(text, match.end())
    if claim is not None:
        _check_direction(ctx, said, claim)


def _check_rate(ctx: ReportContext, said: _Said, rate: str, base: str | None) -> None:
    """A printed completion rate must follow from the printed figures, within their rounding; a rate
    "of the initial budget" whose initial budget is 0, or that is actual ÷ the full-year budget, names
    the wrong base."""
    source, subject, initial, full, actual = said.source, said.subject, said.initial, said.full, said.actual
    printed = float(rate)
    slack = half_unit(len(rate.partition(".")[2])) + FLOAT_SLACK
    of_full = base in ("全年", "调整后")
    budget = full if of_full else initial
    if budget is None:
        return  # a rate of the full-year budget, which the sentence does not print: nothing to check against
    label = "全年预算" if of_full else "年初预算"
    ctx.checked("completion_rate_base")
    within = _ratio_range(actual, budget)
    if within is None:
        if printed > 0 and actual.low > 0:
            ctx.finding(
                "completion_rate_base",
                "warning",
                f"{subject}的{label}写作 {fmt(budget.value)} 万元，却写“完成{label}的 {fmt(printed)}%”"
                f"（支出决算 {fmt(actual.value)} 万元）：以 0 为基数算不出完成比例，这一比例用的是别的基数"
                "（通常是全年预算），两处至少一处有误；保留原文数字。",
                source,
            )
        return
    if within[0] - slack <= printed <= within[1] + slack:
        return
    other = initial if of_full else full
    by_other = _ratio_range(actual, other) if other is not None else None
    if by_other is not None and by_other[0] - slack <= printed <= by_other[1] + slack:
        other_label = "年初预算" if of_full else "全年预算"
        ctx.finding(
            "completion_rate_base",
            "warning",
            f"{subject}写“完成{label}的 {fmt(printed)}%”，但支出决算 {fmt(actual.value)} 万元 ÷ {label} "
            f"{fmt(budget.value)} 万元 = {actual.value / budget.value * 100:.2f}%；{fmt(printed)}% 是除以{other_label} "
            f"{fmt(other.value)} 万元得出的，比例的基数写错了；保留原文数字。",
            source,
        )
        return
    ctx.finding(
        "completion_rate_mismatch",
        "warning",
        f"{subject}的完成{label}比例写作 {fmt(printed)}%，但支出决算 {fmt(actual.value)} 万元 ÷ {label} "
        f"{fmt(budget.value)} 万元 = {actual.value / budget.value * 100:.2f}%，两者不符；保留原文数字。",
        source,
    )


def _check_direction(ctx: ReportContext, said: _Said, claim: re.Match[str]) -> None:
    """ "决算数大于预算数" must be possible for the printed figures (within their rounding); with both an
    initial and a full-year budget printed and no base named, it must fail for both to be wrong."""
    source, subject, initial, full, actual = said.source, said.subject, said.initial, said.full, said.actual
    sign = CLAIM_SIGNS[claim.group("word")]
    if claim.group("base") in ("全年", "调整后"):
        budgets = [full] if full else []
    elif claim.group("base") == "年初" or full is None:
        budgets = [initial]
    else:
        budgets = [initial, full]
    if budgets:
        ctx.checked("direction_claim_mismatch")
    if not budgets or any(_may_hold(sign, actual, b) for b in budgets):
        return
    budget = budgets[0]
    how = {1: "大于", -1: "小于", 0: "等于"}
    truth = (
        0
        if abs(actual.value - budget.value) <= actual.error + budget.error
        else (1 if actual.value > budget.value else -1)
    )
    ctx.finding(
        "direction_claim_mismatch",
        "warning",
        f"{subject}的说明写“决算数{claim.group('word')}预算数”，但文中支出决算 {fmt(actual.value)} 万元"
        f"{how[truth]}预算 {fmt(budget.value)} 万元，说法与数字相反；保留原文。",
        source,
    )


def _may_hold(sign: int, actual: Printed, budget: Printed) -> bool:
    """Whether "actual > / < / = budget" holds for some true values the printed figures stand for."""
    if sign > 0:
        return actual.high > budget.low + FLOAT_SLACK
    if sign < 0:
        return actual.low < budget.high - FLOAT_SLACK
    return abs(actual.value - budget.value) <= actual.error + budget.error + FLOAT_SLACK


class _Catalogue:
    """The report's functional codes read so far (of one basis): name and total per code."""

    def __init__(self, ctx: ReportContext, basis: str = NARRATIVE_BASIS) -> None:
        self.basis = basis
        self.rows = {
            r["code"]: r
            for r in ctx.rows(FUNCTION_SPENDING)
            if r.get("basis") == basis and str(r.get("code", "")).isdigit()
        }

    @property
    def _figure(self) -> str:
        return "预算" if self.basis == "budget" else "支出决算"

    def children(self, parent: str | None, length: int) -> list[str]:
        return [c for c in self.rows if len(c) == length and (parent is None or c.startswith(parent))]

    def best(self, printed: str, codes: list[str]) -> tuple[str | None, float]:
        scored = sorted(((name_score(printed, self.rows[c].get("name") or ""), c) for c in codes), reverse=True)
        if not scored or scored[0][0] < NAME_MATCH_MIN:
            return None, 0.0
        if len(scored) > 1 and scored[1][0] == scored[0][0]:
            return None, 0.0  # two codes fit equally well: let the amount decide
        return scored[0][1], scored[0][0]

    def match(
        self,
        ctx: ReportContext,
        source: Source,
        printed: list[str],
        actual: float | None,
        noted: set[tuple[str, str]],
        decimals: int | None = None,
    ) -> str | None:
        """Code for a printed 类/款/项 path: names level by level, then the amount (compared at the
        precision it is printed with, `decimals`) among the children of the deepest parent that matched."""
        path = "".join(f"{n}({lv})" for n, lv in zip(printed, LEVELS.values(), strict=True) if n)
        if not self.rows:
            ctx.finding(
                "narrative_unmatched",
                "info",
                f"文字说明中的“{path}”找不到功能分类表可对应，未入库。",
                source,
            )
            return None
        deepest = max(length for name, length in zip(printed, LEVELS, strict=True) if name)
        parent: str | None = None
        code: str | None = None
        for printed_name, length in zip(printed, LEVELS, strict=True):
            if not printed_name:
                continue
            code, score = self.best(printed_name, self.children(parent, length))
            if code is None:
                return self._by_amount(ctx, source, path, printed_name, parent, deepest, actual, decimals)
            if score < TRUNCATION_SCORE and (printed_name, code) not in noted:
                noted.add((printed_name, code))
                ctx.finding(
                    "narrative_name_similar",
                    "info",
                    f"文字说明中的科目名称“{printed_name}”与表中 {code}“{self.rows[code].get('name')}”不完全一致，"
                    "按名称相近对应。",
                    source,
                )
            parent = code
        return code

    def _by_amount(
        self,
        ctx: ReportContext,
        source: Source,
        path: str,
        printed_name: str,
        parent: str | None,
        length: int,
        actual: float | None,
        decimals: int | None = None,
    ) -> str | None:
        pool = self.children(parent, length)
        within = f" {parent}“{self.rows[parent].get('name')}”下" if parent else "表中"
        tolerance = max(SAME_FIGURE_TOLERANCE, half_unit(decimals) + FLOAT_SLACK) if decimals is not None else None
        hits = [
            c
            for c in pool
            if actual is not None and same_figure(self.rows[c].get("total"), actual, tolerance or SAME_FIGURE_TOLERANCE)
        ]
        if len(hits) != 1:
            ctx.finding(
                "narrative_unmatched",
                "warning",
                f"文字说明“{path}”中的“{printed_name}”与{within}的{LEVELS[length]}级科目名称都对不上，"
                + (f"{self._figure}数 {fmt(actual)} 万元也无法唯一确定科目，" if actual is not None else "")
                + "未入库。",
                source,
            )
            return None
        code = hits[0]
        namesakes = [
            c
            for c in self.children(None, length)
            if c != code and name_score(printed_name, self.rows[c].get("name") or "") == 1
        ]
        also = "".join(
            f"（同名科目 {c}“{self.rows[c].get('name')}”的{self._figure[-2:]}数为 "
            f"{fmt(self.rows[c].get('total'))} 万元，不符）"
            for c in namesakes
            if self.rows[c].get("total") is not None
        )
        ctx.finding(
            "narrative_matched_by_amount",
            "info",
            f"文字说明“{path}”中的“{printed_name}”与{within}的{LEVELS[length]}级科目名称都对不上{also}；"
            f"按{self._figure}数 {fmt(actual)} 万元对应到 {code}“{self.rows[code].get('name')}”。",
            source,
        )
        return code
