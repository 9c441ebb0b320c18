"""Stage 4, extract: table readers and sentence readers turn a report's documents into fact rows.

Readers are general: each recognises a recurring structure (a fund table, a functional
classification table, a 三公 sentence …) wherever it appears, and every document type
simply runs the readers that make sense for it. Table readers run before sentence
readers, so when a table and a sentence give the same figure the table's row is kept and
a disagreement is recorded as a finding.

A 部门预算 (doc_type 'budget') runs the final-accounts table readers; their rows carry
basis 'budget' instead of 'actual' (`context.report_basis`).

Modules. Readers define the functions in `READERS` and never import one another; shared modules
hold the machinery readers have in common and import no reader.

Readers: deviation_reasons, economic_tables, function_tables, fund_tables, indicators, project_sentences,
    scores, three_public, totals
Shared: codes, context, evaluation, forms, function_narrative, prose, stated_changes, table

- context: `ReportContext` (what readers write into), sources, figure comparison, name matching;
- table: rows and cells of a table, table titles, ranges and units;
- codes: classification codes, their levels and parents, repair of damaged codes;
- prose: the prose stream and passages of a document with their line maps, the amount grammar;
- evaluation: writing evaluated units (evaluation rows, execution lines) and deciding a table's unit;
- forms: which evaluated unit a part of a self-evaluation form belongs to;
- stated_changes: year-on-year and restated amounts that must agree with the sentence's figures;
- function_narrative: the functional classification's narrative, read after its tables by
  function_tables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from fiscallens.extract.context import ReportContext
from fiscallens.extract.deviation_reasons import read_deviation_reasons
from fiscallens.extract.economic_tables import read_economic_tables
from fiscallens.extract.function_tables import read_function_tables
from fiscallens.extract.fund_tables import read_function_codes, read_fund_tables
from fiscallens.extract.indicators import read_indicator_tables
from fiscallens.extract.project_sentences import (
    read_department_narrative,
    read_project_paragraphs,
    read_subproject_table,
)
from fiscallens.extract.scores import read_score_sentences
from fiscallens.extract.three_public import read_three_public
from fiscallens.extract.totals import read_totals
from fiscallens.model import Classification, Document, Facts, Finding

Reader = Callable[[ReportContext, Document], None]

# Reports that evaluate performance, and the final accounts that often carry one appended.
ALL_TYPES = frozenset({"final_accounts", "dept_self_eval", "dept_evaluation", "project_self_eval"})
ACCOUNTS = frozenset({"final_accounts"})
DEPARTMENT_WIDE = frozenset({"final_accounts", "dept_self_eval", "dept_evaluation"})
EVALUATIONS = frozenset({"dept_self_eval", "dept_evaluation", "project_self_eval"})
# 部门预算: the same nine-table layout as final accounts, with budget figures (basis 'budget').
BUDGETS = frozenset({"budget"})

# (reader, the document types it runs on), in the order they run: tables before sentences.
READERS: list[tuple[Reader, frozenset[str]]] = [
    (read_fund_tables, ALL_TYPES),
    # 支出功能科目编码 on a project form's cover.
    (read_function_codes, ALL_TYPES),
    (read_subproject_table, ALL_TYPES),
    (read_function_tables, ACCOUNTS | BUDGETS),
    # Summary tables and narrative totals; after the functional tables, whose 类 names it reuses.
    (read_totals, ACCOUNTS | BUDGETS),
    (read_economic_tables, DEPARTMENT_WIDE | BUDGETS),
    (read_three_public, DEPARTMENT_WIDE | BUDGETS),
    (read_indicator_tables, ALL_TYPES),
    (read_project_paragraphs, ALL_TYPES),
    # A final-accounts narrative belongs to the accounts readers above.
    (read_department_narrative, EVALUATIONS),
    # After every reader that names projects: a reason is stored on a unit already read.
    (read_deviation_reasons, ALL_TYPES),
    (read_score_sentences, ALL_TYPES),
]

# Rules the readers apply while they read, and the report types each applies to. Every report gets an
# outcome for each (audit_results): pass, fail, not_applicable or insufficient_data (nothing to compare).
EXTRACTION_RULES: dict[str, frozenset[str]] = {
    "stated_change_mismatch": ACCOUNTS | BUDGETS,
    "restated_amount_mismatch": BUDGETS,
    "completion_rate_base": ACCOUNTS,
    "direction_claim_mismatch": ACCOUNTS,
    "narrative_total_mismatch": ACCOUNTS | BUDGETS,
    "totals_items_sum": ACCOUNTS | BUDGETS,
    "totals_grand_sum": ACCOUNTS | BUDGETS,
    "totals_balance": ACCOUNTS | BUDGETS,
    "three_public_empty_table": DEPARTMENT_WIDE | BUDGETS,
}

# Score bands of the national template: (lower bound, grade), highest first.
GRADE_BANDS = ((90.0, "优"), (80.0, "良"), (60.0, "中"), (float("-inf"), "差"))


def extract_report(report_id: str, documents: list[tuple[Document, Classification]]) -> tuple[Facts, list[Finding]]:
    """Facts and extraction findings of one report, read from all of its documents."""
    documents = sorted(documents, key=lambda pair: pair[0].file_name)
    ctx = ReportContext(report_id, documents[0][1], [doc for doc, _ in documents])
    for reader, doc_types in READERS:
        for doc, classification in documents:
            if classification.doc_type in doc_types:
                reader(ctx, doc)
    facts = ctx.facts()
    evaluations = facts.rows["evaluations"]
    projects = [e["evaluation_id"] for e in evaluations if e.get("scope") == "project"]
    for evaluation in evaluations:
        _complete_evaluation(evaluation)
        if evaluation.get("scope") == "subproject" and len(projects) == 1:
            evaluation["parent_evaluation_id"] = projects[0]
    facts.outcomes = rule_outcomes(ctx)
    return facts, ctx.findings


def rule_outcomes(ctx: ReportContext) -> list[dict[str, object]]:
    """Each extraction rule's outcome on the report, from the comparisons it counted and its warnings."""
    doc_type = ctx.classification.doc_type
    failed = Counter(f.rule for f in ctx.findings if f.severity in {"error", "warning"})
    out = []
    for rule, doc_types in EXTRACTION_RULES.items():
        checked = ctx.checks.get(rule, 0)
        if doc_type not in doc_types:
            outcome = "not_applicable"
        elif failed.get(rule):
            outcome = "fail"
        else:
            outcome = "pass" if checked else "insufficient_data"
        out.append(
            {
                "report_id": ctx.report_id,
                "rule": rule,
                "stage": "extract",
                "outcome": outcome,
                "checked": checked,
                "failed": failed.get(rule, 0),
            }
        )
    return out


def grade_for(score: float) -> str:
    return next(grade for bound, grade in GRADE_BANDS if score >= bound)


def _complete_evaluation(row: dict[str, object]) -> None:
    """Figures the warehouse computes rather than reads: the execution rate and a missing grade."""
    budget, actual = row.get("budget_full_year"), row.get("actual")
    if isinstance(budget, float | int) and isinstance(actual, float | int) and budget:
        row["execution_rate"] = round(actual / budget * 100, 4)
    score = row.get("total_score")
    if row.get("grade"):
        row["grade_derived"] = False
    elif isinstance(score, float | int):
        row["grade"] = grade_for(float(score))
        row["grade_derived"] = True
