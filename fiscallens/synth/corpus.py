"""The corpus: every planned report written into a folder, with its ground truth and a manifest.

A corpus folder holds the texts in ``reports/`` (what a build reads) and, beside them, the ground
truth (``ground_truth.jsonl``) and a ``manifest.json``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from fiscallens.synth import dept_evaluation, dept_self_eval, final_accounts, project_self_eval
from fiscallens.synth.plan import DEFAULT_MIX, DEFAULT_TRAPS, EXPECTED_RULES, Plan, plan_corpus
from fiscallens.synth.report import Draft, Written

# Layout of a corpus folder: the texts in reports/ (what a build reads), the ground truth beside them.
REPORTS_SUBDIR = "reports"
GROUND_TRUTH_FILE = "ground_truth.jsonl"
MANIFEST_FILE = "manifest.json"
WAREHOUSE_FILE = "synthetic.duckdb"

# One writer per document type.
WRITERS: dict[str, Callable[[Draft], dict[str, str]]] = {
    "final_accounts": final_accounts.write,
    "dept_self_eval": dept_self_eval.write,
    "dept_evaluation": dept_evaluation.write,
    "project_self_eval": project_self_eval.write,
}


def write_report(plan: Plan, seed: int = 0, trap_rates: dict[str, float] | None = None) -> Written:
    """The text(s) and ground truth of one planned report."""
    report = Draft(plan, seed, DEFAULT_TRAPS if trap_rates is None else trap_rates)
    report.report_facts()
    files = WRITERS[plan.doc_type](report)
    return Written(files, report.truth, report.traps, report.detail)


@dataclass
class SynthSummary:
    out_dir: Path
    reports: int
    files: int
    bytes: int
    facts: int
    planted: int
    by_type: dict[str, int]


def generate(
    n: int,
    out_dir: Path,
    seed: int = 0,
    inconsistent: float = 0.1,
    mix: dict[str, float] | None = None,
    traps: dict[str, float] | None = None,
    truth: bool = True,
) -> SynthSummary:
    """Write n synthetic reports into out_dir/reports/ and, with `truth`, ground_truth.jsonl and
    manifest.json into out_dir (beside the texts, outside the folder a build reads)."""
    out_dir = Path(out_dir)
    reports_dir = out_dir / REPORTS_SUBDIR
    reports_dir.mkdir(parents=True, exist_ok=True)
    plans = plan_corpus(n, seed, mix, inconsistent)
    summary = SynthSummary(out_dir, n, 0, 0, 0, 0, {})
    truth_file = (out_dir / GROUND_TRUTH_FILE).open("w", encoding="utf-8") if truth else None
    try:
        for plan in plans:
            written = write_report(plan, seed, traps)
            _write_texts(reports_dir, written, summary)
            summary.by_type[plan.doc_type] = summary.by_type.get(plan.doc_type, 0) + 1
            if truth_file is not None:
                _write_truth(truth_file, plan, written, summary)
    finally:
        if truth_file is not None:
            truth_file.close()
    if truth:
        _write_manifest(summary, seed, inconsistent, mix, traps)
    return summary


def _write_texts(reports_dir: Path, written: Written, summary: SynthSummary) -> None:
    for name, text in written.files.items():
        data = (text + "\n").encode("utf-8")
        (reports_dir / name).write_bytes(data)
        summary.bytes += len(data)
        summary.files += 1


def _write_truth(out: TextIO, plan: Plan, written: Written, summary: SynthSummary) -> None:
    """The report's records: the report, its planted inconsistency if any, the facts it states."""
    records: list[dict[str, Any]] = [
        {
            "record": "report",
            "file": plan.file,
            "files": sorted(written.files),
            "doc_type": plan.doc_type,
            "fiscal_year": plan.year,
            "region_code": plan.place.region.adcode,
            "department": plan.department,
            "project_name": plan.project.replace(" ", "") if plan.project else None,
            "traps": written.traps,
            "inconsistency": plan.inconsistency,
        }
    ]
    if plan.inconsistency:
        summary.planted += 1
        records.append(
            {
                "record": "inconsistency",
                "file": plan.file,
                "kind": plan.inconsistency,
                "rules": list(EXPECTED_RULES[plan.doc_type][plan.inconsistency]),
                "detail": written.detail,
            }
        )
    records += written.truth.records
    summary.facts += len(written.truth.records)
    out.write("".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in records))


def _write_manifest(
    summary: SynthSummary,
    seed: int,
    inconsistent: float,
    mix: dict[str, float] | None,
    traps: dict[str, float] | None,
) -> None:
    manifest = {
        "generator": "fiscallens.synth",
        "reports": summary.reports,
        "files": summary.files,
        "bytes": summary.bytes,
        "facts": summary.facts,
        "planted": summary.planted,
        "seed": seed,
        "inconsistent": inconsistent,
        "mix": mix or DEFAULT_MIX,
        "traps": DEFAULT_TRAPS if traps is None else traps,
        "by_type": summary.by_type,
        "expected_rules": EXPECTED_RULES,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (summary.out_dir / MANIFEST_FILE).write_text(text, encoding="utf-8")


def read_ground_truth(out_dir: Path) -> list[dict[str, Any]]:
    """All records of a corpus' ground_truth.jsonl."""
    with (Path(out_dir) / GROUND_TRUTH_FILE).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
