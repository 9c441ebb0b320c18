"""What readers write into: one `ReportContext` per report, shared by all of its documents.

A report may be split over several files (a narrative and its 附件1) and may print
the same figure twice (a table printed twice; a table and a sentence). Readers
therefore do not append rows blindly: evaluations and keyed facts go through
`ReportContext`, which keeps the first value it was given, fills gaps from later
sources, and records a `warning` when a later source disagrees.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from fiscallens.model import Classification, Document, Facts, Finding

# Two printed figures are "the same" when they differ by no more than this (万元 or points):
# tables are rounded to 0.01 and a 万元 figure converted from 元 may carry rounding noise.
SAME_FIGURE_TOLERANCE = 0.0051
# A printed figure stands for every value that rounds to it: half a unit of its last printed digit.
# Figures printed to 0.01 万元 are off by up to ROUNDING_UNIT each, so a sum of n of them may differ
# from its printed total by (n + 1) × ROUNDING_UNIT (the envelope of budget-disclosure checkers).
ROUNDING_UNIT = 0.005
# Float noise on top of a rounding bound (12.345 - 12.34 is 0.005000000000000782).
FLOAT_SLACK = 1e-9

EVALUATION_FIGURES = (
    "budget_initial",
    "budget_full_year",
    "actual",
    "execution_rate_reported",
    "execution_weight",
    "execution_score",
    "total_score",
)

FIGURE_LABELS = {
    "budget_initial": "年初预算数",
    "budget_full_year": "全年预算数",
    "actual": "全年执行数",
    "execution_rate_reported": "执行率",
    "execution_weight": "执行率分值",
    "execution_score": "执行率得分",
    "total_score": "总分",
    "total": "合计",
    "basic": "基本支出",
    "project": "项目支出",
    "amount": "金额",
    "budget": "预算数",
}


@dataclass(frozen=True)
class Source:
    """Where a value was read: a document and a 1-based line (and page, for paginated inputs).

    The page is looked up in the document's page map when not given, so readers never pass it.
    """

    doc: Document
    line: int
    page: int | None = None

    def __post_init__(self) -> None:
        if self.page is None and self.doc.page_starts:
            object.__setattr__(self, "page", self.doc.page_of(self.line))

    @property
    def where(self) -> str:
        page = f"（第 {self.page} 页）" if self.page else ""
        return f"{self.doc.file_name} 第 {self.line} 行{page}"


def fmt(value: float | None) -> str:
    """A figure for a message, as printed: 20000000, 21592.76, 0 (`:g` would print 2e+07 or 21592.8)."""
    if value is None:
        return "（空）"
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in {"", "-0"} else text


def same_figure(a: float | None, b: float | None, tolerance: float = SAME_FIGURE_TOLERANCE) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, abs_tol=tolerance)


def rounding_envelope(n: int) -> float:
    """How far a sum of `n` figures rounded to 0.01 万元 may be from its printed (rounded) total."""
    return (n + 1) * ROUNDING_UNIT + FLOAT_SLACK


def half_unit(decimals: int) -> float:
    """Half a unit of the last printed digit: 0.5 for "12,789万元", 0.005 for "12.79万元"."""
    return 0.5 * 10.0 ** (-decimals)


@dataclass
class _Keyed:
    row: dict[str, Any]
    sources: dict[str, Source]
    # Decimals each figure was printed with, when its reader knew them (sentences do; see `put`).
    decimals: dict[str, int] = field(default_factory=dict)


@dataclass
class ReportContext:
    report_id: str
    classification: Classification
    documents: list[Document]
    findings: list[Finding] = field(default_factory=list)
    # How many comparisons each extraction-time rule made (audit_results: a rule that never ran says so).
    checks: Counter[str] = field(default_factory=Counter)
    _keyed: dict[tuple[str, tuple[Any, ...]], _Keyed] = field(default_factory=dict)
    _plain: Facts = field(default_factory=Facts)

    # --- identifiers --------------------------------------------------------------

    def evaluation_id(self, scope: str, name: str | None) -> str:
        digest = hashlib.sha256(f"{scope}|{normalize_name(name)}".encode()).hexdigest()[:10]
        return f"{self.report_id}-{scope[0]}{digest}"

    # --- writing facts ------------------------------------------------------------

    def put(
        self,
        table: str,
        key: tuple[Any, ...],
        source: Source,
        figures: dict[str, float | None],
        printed_decimals: int | dict[str, int] | None = None,
        **attributes: Any,
    ) -> dict[str, Any]:
        """Record a keyed fact once. Later sources fill missing figures; disagreements become warnings.

        `key` identifies the fact within the report (e.g. ('department', name) for an
        evaluation, (code,) for a function-classification row); `figures` are the numbers
        compared across sources; `attributes` are descriptive columns kept from the first source.
        `printed_decimals` (one for all figures, or per figure) says how many decimals the source
        printed, in 万元: two figures are compared at the precision of the less precise one, so
        "12,789万元" in a sentence equals 12,788.6849 in a table (an `info`, not a warning).
        """
        decimals = (
            dict.fromkeys(figures, printed_decimals) if isinstance(printed_decimals, int) else printed_decimals or {}
        )
        entry = self._keyed.get((table, key))
        if entry is None:
            row = {
                "report_id": self.report_id,
                "source_file": source.doc.source_file,
                "source_line": source.line,
                "source_page": source.page,
                **attributes,
                **figures,
            }
            entry = _Keyed(
                row,
                {name: source for name, value in figures.items() if value is not None},
                {name: d for name, d in decimals.items() if figures.get(name) is not None},
            )
            self._keyed[(table, key)] = entry
            return entry.row
        for name, value in attributes.items():
            if entry.row.get(name) is None and value is not None:
                entry.row[name] = value
        for name, value in figures.items():
            if value is None:
                continue
            current = entry.row.get(name)
            if current is None:
                entry.row[name] = value
                entry.sources[name] = source
                if name in decimals:
                    entry.decimals[name] = decimals[name]
            elif not same_figure(current, value):
                first = entry.sources.get(name)
                label = FIGURE_LABELS.get(name, name)
                known = [d for d in (entry.decimals.get(name), decimals.get(name)) if d is not None]
                coarse = min(known) if known else None
                if coarse is not None and abs(current - value) <= half_unit(coarse) + FLOAT_SLACK:
                    self.finding(
                        "figure_rounded",
                        "info",
                        f"{self._subject(table, entry.row, key)}的{label}在 {first.where if first else '前文'} "
                        f"为 {fmt(current)}，在 {source.where} 为 {fmt(value)}：其中一处只印到"
                        f"{_precision_words(coarse)}，按此四舍五入后两者一致，不是矛盾；保留前者。",
                        source,
                    )
                    continue
                self.finding(
                    "figure_disagrees",
                    "warning",
                    f"同一数字两处不一致：{self._subject(table, entry.row, key)}的{label}"
                    f"在 {first.where if first else '前文'} 为 {fmt(current)}，"
                    f"在 {source.where} 为 {fmt(value)}；保留前者。",
                    source,
                )
        return entry.row

    def _subject(self, table: str, row: dict[str, Any], key: tuple[Any, ...]) -> str:
        """What a fact is about, in words: a unit's name, a code, or a unit's fund line."""
        if table == "execution_lines":
            owner = next(
                (
                    e.row.get("name")
                    for (t, _), e in self._keyed.items()
                    if t == "evaluations" and e.row.get("evaluation_id") == row.get("evaluation_id")
                ),
                None,
            )
            return f"{owner or '评价对象'}“{row.get('label') or row.get('line')}”行"
        name = row.get("name") or row.get("level3")
        code = row.get("code")
        if code and name:
            return f"{code} {name} "
        return f"{name or code or '/'.join(map(str, key))} "

    def add(self, table: str, source: Source, **row: Any) -> None:
        """Append an unkeyed fact row (no de-duplication)."""
        self._plain.add(
            table,
            report_id=self.report_id,
            source_file=source.doc.source_file,
            source_line=source.line,
            source_page=source.page,
            **row,
        )

    def has(self, table: str, key: tuple[Any, ...]) -> bool:
        return (table, key) in self._keyed

    def get(self, table: str, key: tuple[Any, ...]) -> dict[str, Any] | None:
        entry = self._keyed.get((table, key))
        return entry.row if entry else None

    def key_of(self, table: str, row: dict[str, Any]) -> tuple[Any, ...]:
        """The key under which a row returned by `put`/`get`/`rows` was recorded."""
        for (name, key), entry in self._keyed.items():
            if name == table and entry.row is row:
                return key
        raise KeyError(f"{table} row is not keyed")

    def rows(self, table: str) -> list[dict[str, Any]]:
        keyed = [e.row for (t, _), e in self._keyed.items() if t == table]
        return keyed + list(self._plain.rows[table])

    def checked(self, rule: str, n: int = 1) -> None:
        """Count a comparison `rule` made, whether or not it found a problem."""
        self.checks[rule] += n

    def finding(self, rule: str, severity: str, message: str, source: Source | None = None) -> None:
        self.findings.append(
            Finding(
                rule,
                severity,
                message,
                source_file=source.doc.source_file if source else None,
                source_line=source.line if source else None,
                report_id=self.report_id,
                stage="extract",
            )
        )

    def facts(self) -> Facts:
        """All rows, keyed and plain, ready for loading."""
        out = Facts()
        for (table, _), entry in self._keyed.items():
            out.rows[table].append(dict(entry.row))
        for table, rows in self._plain.rows.items():
            out.rows[table].extend(rows)
        return out


def _precision_words(decimals: int) -> str:
    if decimals > 0:
        return f"小数点后 {decimals} 位"
    return "个位（万元）" if decimals == 0 else f"{fmt(10.0 ** (-decimals))} 万元"


def normalize_name(name: str | None) -> str:
    """Names compared across sources: no spaces or punctuation variants."""
    if not name:
        return ""
    return "".join(ch for ch in name if not ch.isspace() and ch not in "\"'“”‘’《》()（）:：,，。.、")


# Names in sentences and tables are truncated or misprinted (资源勘探信息等支出 for 资源勘探工业信息等支出).
TRUNCATION_SCORE = 0.95
MIN_TRUNCATED_NAME = 2


@functools.lru_cache(maxsize=4096)  # the same names are compared across a report's sentences and reports
def name_score(printed: str, name: str) -> float:
    """1 for the same name, TRUNCATION_SCORE when one is the other cut short, else a similarity ratio."""
    a, b = normalize_name(printed), normalize_name(name)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if min(len(a), len(b)) >= MIN_TRUNCATED_NAME and (a.startswith(b) or b.startswith(a)):
        return TRUNCATION_SCORE
    return SequenceMatcher(None, a, b).ratio()


def report_basis(ctx: ReportContext) -> str:
    """What a report's figures are: a budget document's are budgets, every other report's actuals."""
    return "budget" if ctx.classification.doc_type == "budget" else "actual"


# --- matching keys across sources (appended for the evaluation readers) ----------------

# A name contained in another only identifies the same unit when it is at least this long:
# "项目" or "专项" alone is contained in every project name.
MIN_CONTAINED_NAME_CHARS = 4


def keys_of(ctx: ReportContext, table: str) -> list[tuple[Any, ...]]:
    """Keys already recorded for `table`, in the order they were first put."""
    return [key for (name, key) in ctx._keyed if name == table]


def find_key(
    ctx: ReportContext,
    table: str,
    scope: str,
    name: str | None,
    exclude: frozenset[tuple[Any, ...]] | set[tuple[Any, ...]] = frozenset(),
) -> tuple[Any, ...] | None:
    """The key of an existing `(scope, normalized name)` fact that names the same unit as `name`.

    Narrative and table spell a project differently ("大数据发展专项资金——X项目" vs "X"), so after
    an exact match a key whose normalized name contains, or is contained in, `name` is accepted —
    but only when exactly one key qualifies (two candidates mean the name is too generic to tell)
    and the shorter name has at least MIN_CONTAINED_NAME_CHARS characters. Keys in `exclude`
    (typically those the caller created itself from sibling items of one list, such as
    "X项目" and "X项目相关工作经费") are never matched by containment.
    """
    target = normalize_name(name)
    if not target:
        return None
    candidates = [k for k in keys_of(ctx, table) if len(k) == 2 and k[0] == scope]
    for key in candidates:
        if key[1] == target:
            return key
    contained = []
    for key in candidates:
        if key in exclude:
            continue
        shorter, longer = sorted((str(key[1]), target), key=len)
        if len(shorter) >= MIN_CONTAINED_NAME_CHARS and shorter in longer:
            contained.append(key)
    return contained[0] if len(contained) == 1 else None
