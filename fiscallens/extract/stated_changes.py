"""Sentences whose figures must agree with each other: a stated change and a restated amount.

- "比2025年减少1.10%" must follow from the amounts the sentence (or the one before) states for the two
  years, within the rounding of their printed digits;
- a budget item's paragraph that states its amount twice ("“A(类)B(款)C(项)”45.41万元……2023年预算安排
  45.41万元") must state the same amount.
Both are checks only: they record findings and count comparisons, and write no facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fiscallens.extract.context import FLOAT_SLACK, ReportContext, Source, fmt, half_unit
from fiscallens.extract.prose import AMOUNT, AMOUNT_RE, Passage, Printed, clean_name, printed_decimals, sentence_amount
from fiscallens.model import Document

CHANGE_SIGNS = {"增加": 1, "增长": 1, "上升": 1, "提高": 1, "减少": -1, "下降": -1, "降低": -1}
_CHANGE_WORD = "|".join(CHANGE_SIGNS)
# "比2024年预算减少10万元", "比2022年(上一年度,下同)预算增加…", "比2022年预算执行数增加77.70%",
# "与2023年度相比,收入支出总计减少56.95万元,下降1.87%". The subject after 相比 names what changed.
CHANGE_RE = re.compile(
    r"(?P<cmp>(?:比|较|与)(?:上一?年度?|(?P<year>\d{4})年度?)(?:\([^)\n]{0,12}\))?"
    r"(?P<what>[^,。;:\d%()\n]{0,12}?)(?:(?:相比|相较),?(?P<subject>[^,。;:\d%()\n]{2,30}?))?)"
    rf"(?P<dir>{_CHANGE_WORD})(?P<delta>{AMOUNT})?"
    rf"(?:,?(?P<pdir>{_CHANGE_WORD})?(?P<pct>\d+(?:\.\d+)?)%)?"
)
_YEAR_RE = re.compile(r"(\d{4})年")
_CLAUSE_MARKS = ",:"
# A ";" ends the clause chain a comparison reads its amounts from ("…增加1421.25万元;政府性基金…0万元,比…").
_SENTENCE_MARKS = "。!?\n;"
# An amount right after a change word is a change, never the base of another comparison.
_AFTER_CHANGE_RE = re.compile(rf"(?:{_CHANGE_WORD}|持平)$")
# How far back a comparison that opens its sentence ("与2023年度相比,X减少…") looks for "X<amount>".
CHANGE_SUBJECT_LOOKBACK = 300
# Between the current amount and its comparison only a comma may stand ("36.56万元,比2024年…").
_ADJACENT_RE = re.compile(r",?")
# How much of a sentence a finding quotes.
QUOTE_CHARS = 90
# How far back a sentence or clause start is looked for (a longer run is not one sentence of figures).
SENTENCE_WINDOW = 400


def check_stated_changes(ctx: ReportContext, doc: Document, prose: Passage) -> None:
    """Year-on-year sentences whose stated change contradicts the amounts they state: the change in
    万元 or in % against "Y0年…A万元, Y1年…B万元", the % against the current amount and the change in
    万元, and an increase larger than the amount it led to. A change of a base printed as 0 is left alone."""
    text = prose.text
    for match in CHANGE_RE.finditer(text):
        if not (match.group("delta") or match.group("pct")):
            continue
        change = _StatedChange.read(ctx, text, match)
        if change is None:
            continue
        ctx.checked("stated_change_mismatch")
        problem = change.problem()
        if problem:
            quote = text[change.quote_from : match.end()]
            if len(quote) > QUOTE_CHARS:
                quote = "…" + quote[-QUOTE_CHARS:]
            ctx.finding(
                "stated_change_mismatch",
                "warning",
                f"“{quote}”：{problem}；保留原文数字。",
                Source(doc, prose.line_at(match.start("dir"))),
            )


# A budget item's paragraph states its amount twice: "“A（类）B（款）C（项）”45.41万元，主要用于……。
# 2022年当年预算执行数为11.67万元，2023年预算安排45.41万元，……". The restatement is of the report's year.
RESTATED_RE = re.compile(
    rf"[“\"](?P<path>[^”\"\n]{{2,90}})[”\"](?:科目)?(?P<amount>{AMOUNT})"
    rf"(?P<between>[^“\"\n]{{0,200}}?)(?P<year>20\d{{2}})年(?:预算安排|预算数为|预算为)(?P<restated>{AMOUNT})"
)


def check_restated_amounts(ctx: ReportContext, doc: Document, prose: Passage) -> None:
    """An item's amount and its restatement as "本年预算安排X万元" in the same paragraph must agree
    (compared at the precision of the less precise figure)."""
    year = ctx.classification.fiscal_year
    if year is None or "预算" not in prose.text:
        return
    for match in RESTATED_RE.finditer(prose.text):
        if int(match.group("year")) != year:
            continue
        first, second = sentence_amount(match.group("amount")), sentence_amount(match.group("restated"))
        if first is None or second is None:
            continue
        decimals = min(printed_decimals(match.group("amount")), printed_decimals(match.group("restated")))
        ctx.checked("restated_amount_mismatch")
        if abs(first[0] - second[0]) <= half_unit(decimals) * 2 + FLOAT_SLACK:
            continue
        line = prose.line_at(match.start("restated"))
        ctx.finding(
            "restated_amount_mismatch",
            "warning",
            f"“{clean_name(match.group('path'))}”的金额写作 {match.group('amount')}"
            f"（{Source(doc, prose.line_at(match.start('amount'))).where}），同一段又写“{year}年预算安排"
            f"{match.group('restated')}”（{Source(doc, line).where}），两处不一致；保留原文数字。",
            Source(doc, line),
        )


@dataclass(frozen=True)
class _StatedChange:
    """A comparison with another year and the amounts it can be checked against."""

    sign: int
    current: Printed
    prior: Printed | None
    delta: Printed | None
    pct_sign: int
    pct: float | None
    pct_error: float
    prior_label: str
    current_label: str
    words: str  # the change as printed: "减少1.10%"
    quote_from: int

    @classmethod
    def read(cls, ctx: ReportContext, text: str, match: re.Match[str]) -> _StatedChange | None:
        start = _last_mark(text, _SENTENCE_MARKS, match.start())
        amounts = list(AMOUNT_RE.finditer(text, start, match.start()))
        year = match.group("year") or (
            str(ctx.classification.fiscal_year - 1) if ctx.classification.fiscal_year else None
        )
        current_at: re.Match[str] | None = None
        if amounts and _ADJACENT_RE.fullmatch(text, amounts[-1].end(), match.start()):
            current_at = amounts[-1]
        elif not amounts and match.group("subject"):
            subject_re = re.compile(re.escape(match.group("subject")) + rf"(?:为|是|达到?|共计?)?({AMOUNT})")
            found = list(subject_re.finditer(text, max(0, start - CHANGE_SUBJECT_LOOKBACK), start))
            current_at = found[-1] if found else None
        if current_at is None or _year_label(text, current_at) == year:
            return None
        current = Printed.of(current_at.group(current_at.lastindex or 0))
        prior_at = next(
            (
                a
                for a in reversed(amounts[:-1])
                if year is not None
                and _year_label(text, a) == year
                and not _AFTER_CHANGE_RE.search(text, max(0, a.start() - 2), a.start())
            ),
            None,
        )
        prior = Printed.of(prior_at.group()) if prior_at else None
        delta = Printed.of(match.group("delta")) if match.group("delta") else None
        if current is None:
            return None
        sign = CHANGE_SIGNS[match.group("dir")]
        pct = match.group("pct")
        return cls(
            sign=sign,
            current=current,
            prior=prior,
            delta=delta,
            pct_sign=CHANGE_SIGNS[match.group("pdir")] if match.group("pdir") else sign,
            pct=float(pct) if pct else None,
            pct_error=half_unit(len(pct.partition(".")[2])) if pct else 0.0,
            prior_label=f"{year}年" if match.group("year") else "上年",
            current_label=f"{label}年" if (label := _year_label(text, current_at)) else "本年",
            words=text[match.start("dir") : match.end()],
            # a comparison that opens its sentence is quoted from its subject in the sentence before
            quote_from=current_at.start()
            if current_at.lastindex
            else _clause_start(text, (prior_at or current_at).start()),
        )

    def problem(self) -> str | None:
        """What contradicts, in words; None when the statement can be true within the rounding."""
        if self.prior is not None:
            return self._against_both()
        if self.delta is not None:
            return self._against_delta()
        return None

    def _against_both(self) -> str | None:
        prior, current = self.prior, self.current
        assert prior is not None
        low, high = current.low - prior.high, current.high - prior.low
        amounts = f"{self.prior_label} {fmt(prior.value)} 万元、{self.current_label} {fmt(current.value)} 万元"
        change = current.value - prior.value
        if (self.sign > 0 and high <= FLOAT_SLACK) or (self.sign < 0 and low >= -FLOAT_SLACK):
            actually = "增加" if change > 0 else "减少" if change < 0 else "持平"
            return f"按文中 {amounts}，实际是{actually}，与所写“{self.words}”方向相反"
        if self.delta is not None:
            stated = (self.sign * self.delta.value - self.delta.error, self.sign * self.delta.value + self.delta.error)
            if stated[0] > high + FLOAT_SLACK or stated[1] < low - FLOAT_SLACK:
                return f"按文中 {amounts}，差额为 {change:+.2f} 万元，与所写“{self.words}”不符"
        if self.pct is not None and prior.low > 0:
            pct_low, pct_high = (current.low / prior.high - 1) * 100, (current.high / prior.low - 1) * 100
            if not self._pct_within(pct_low, pct_high):
                return f"按文中 {amounts}，变化为 {change / prior.value * 100:+.2f}%，与所写“{self.words}”不符"
        return None

    def _against_delta(self) -> str | None:
        delta, current = self.delta, self.current
        assert delta is not None
        prior_value = current.value - self.sign * delta.value
        if self.sign > 0 and delta.low > current.high + FLOAT_SLACK:
            return (
                f"{self.current_label} {fmt(current.value)} 万元却比{self.prior_label}增加 {fmt(delta.value)} 万元，"
                f"{self.prior_label}应为 {fmt(round(prior_value, 4))} 万元，不可能为负数"
            )
        if self.pct is None or prior_value <= 0:
            return None
        if self.sign > 0:  # prior = current − delta; the change in % grows with delta, falls with current
            if current.low - delta.high <= 0:
                return None
            pct_low = delta.low / (current.high - delta.low) * 100
            pct_high = delta.high / (current.low - delta.high) * 100
        else:
            pct_low = -delta.high / (current.low + delta.high) * 100
            pct_high = -max(delta.low, 0.0) / (current.high + delta.low) * 100
        if self._pct_within(pct_low, pct_high):
            return None
        how = "增加" if self.sign > 0 else "减少"
        return (
            f"按{self.current_label} {fmt(current.value)} 万元、{how} {fmt(delta.value)} 万元推算，"
            f"{self.prior_label}为 {fmt(round(prior_value, 4))} 万元，变化应为 "
            f"{self.sign * delta.value / prior_value * 100:+.2f}%，与所写“{self.words}”不符"
        )

    def _pct_within(self, low: float, high: float) -> bool:
        assert self.pct is not None
        stated = self.pct_sign * self.pct
        return low - self.pct_error - FLOAT_SLACK <= stated <= high + self.pct_error + FLOAT_SLACK


def _year_label(text: str, amount: re.Match[str]) -> str | None:
    """The year a clause names before its amount ("2022年当年预算执行数为1.48万元" → 2022)."""
    at = amount.start(amount.lastindex or 0)
    years = _YEAR_RE.findall(text, _clause_start(text, at), at)
    return years[-1] if years else None


def _clause_start(text: str, at: int) -> int:
    return _last_mark(text, _CLAUSE_MARKS + _SENTENCE_MARKS, at)


def _last_mark(text: str, marks: str, at: int) -> int:
    """Where the run that ends at `at` starts: after the last of `marks` (within SENTENCE_WINDOW)."""
    floor = max(0, at - SENTENCE_WINDOW)
    return max(floor - 1, *(text.rfind(m, floor, at) for m in marks)) + 1
