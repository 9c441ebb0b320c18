"""Synthetic corpus at scale: report texts in the formats of the bundled samples, with their ground truth.

`generate(n, out_dir, seed=…)` writes n report files modelled on the five samples in `data/reports`,
one writer module per document type:

- ``final_accounts`` (like ``001``): the 部门决算 tables and the narrative that restates them;
- ``dept_self_eval`` (like ``000`` + ``002``): project paragraphs, then the 附件1 form with the flattened
  fund and indicator tables;
- ``dept_evaluation`` (like ``003``): one big tab table whose cells hold ``<p>`` narrative;
- ``project_self_eval`` (like ``004``): a project cover, ``<p>`` narrative, a tab sub-project table and
  the 附件1 form.

Every figure reconciles (children sum to parents, 基本 + 项目 = 合计, rate = 执行数 ÷ 预算数, score =
分值 × 执行率, indicator weights + execution weight = 100, scores sum to the total), except in a chosen
fraction of reports, each of which carries exactly one deliberate inconsistency of a kind an audit rule
should catch. The traps of the samples are reproduced at configurable rates: damaged numbers
(``14, 419. 03``), residue of neighbouring rows in front of table rows, names broken by a space, a
table in 元 among tables in 万元, a mangled 三公 header, a displaced 万 (``万133.58元``), full-width
punctuation, a fund row missing a column, a report split over two files (正文 + 附件1).

A corpus folder holds the texts in ``reports/`` (what a build reads) and, beside them, the ground
truth (``ground_truth.jsonl``) and a ``manifest.json``: one ``report`` record per report
(its files, type, year, region, department, traps, planted inconsistency), one ``fact`` record per
value the report states (table, key, field, value — what extraction should yield), and one
``inconsistency`` record per planted inconsistency (kind and the audit rules expected to flag it).

Deterministic: the same arguments and ``seed`` give byte-identical files.

Modules: `plan` (which reports: types, years, regions, departments, plants, traps), `reference` (the
reference lists, loaded from ``data/*.json``), `money` (amounts, rounding, rates, scores), `ledger`
(a final account's function and economic trees with consistent sums), `report` (a report being written
and its ground truth), `indicators` (the evaluation forms' indicators), the writers `final_accounts`,
`dept_self_eval`, `dept_evaluation`, `project_self_eval`, `corpus` (the folder), `command` (the CLI),
and `accuracy` (a warehouse built from a corpus, scored against its ground truth).
"""

from fiscallens.synth.command import add_arguments, run_cli
from fiscallens.synth.corpus import (
    GROUND_TRUTH_FILE,
    MANIFEST_FILE,
    REPORTS_SUBDIR,
    WAREHOUSE_FILE,
    SynthSummary,
    generate,
    read_ground_truth,
    write_report,
)
from fiscallens.synth.plan import (
    DEFAULT_MIX,
    DEFAULT_TRAPS,
    DOC_TYPES,
    EXPECTED_RULES,
    FIRST_YEAR,
    LAST_YEAR,
    Plan,
    plan_corpus,
)

__all__ = [
    "DEFAULT_MIX",
    "DEFAULT_TRAPS",
    "DOC_TYPES",
    "EXPECTED_RULES",
    "FIRST_YEAR",
    "GROUND_TRUTH_FILE",
    "LAST_YEAR",
    "MANIFEST_FILE",
    "REPORTS_SUBDIR",
    "WAREHOUSE_FILE",
    "Plan",
    "SynthSummary",
    "add_arguments",
    "generate",
    "plan_corpus",
    "read_ground_truth",
    "run_cli",
    "write_report",
]
