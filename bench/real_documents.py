"""Real documents: facts, report identity and audit precision/recall against hand annotations.

    .venv/bin/python bench/real_documents.py          (or `make bench`)

Builds one warehouse from the bundled corpus (`data/reports/`) plus the edited final accounts with
planted errors (`tests/fixtures/pdfs/`), then reports, over the real documents:
- facts right / wrong / missing / extra against the hand-checked golden `explain` outputs
  (`tests/golden/<prefix>.txt`, for the bundled PDFs);
- reports right: type, scope, year, region and body as annotated (`tests/annotations/*.toml`);
- findings at `warning` level: precision (share matching an annotated problem) and recall (share of
  annotated problems caught), with every false warning and every missed problem listed.
Writes bench/results/real_documents.json.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fiscallens import pipeline  # noqa: E402
from fiscallens.annotations import golden_facts, load_annotations, score_document, score_facts  # noqa: E402
from fiscallens.explain import explain  # noqa: E402
from fiscallens.warehouse import connect_readonly  # noqa: E402

EDITED = ROOT / "tests/fixtures/pdfs/putuo-finance-bureau-2024-final-accounts-EDITED-with-planted-errors.pdf"
RESULTS = ROOT / "bench/results/real_documents.json"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "reports"
        shutil.copytree(ROOT / "data/reports", corpus)
        shutil.copy(EDITED, corpus / EDITED.name)
        db = Path(tmp) / "w.duckdb"
        pipeline.build([corpus], db, rebuild=True)
        con = connect_readonly(db)

        facts = {"right": 0, "wrong": 0, "missing": 0, "extra": 0, "documents": {}}
        for golden_path in sorted((ROOT / "tests/golden").glob("*.txt")):
            prefix = golden_path.stem
            source = next((ROOT / "data/reports").glob(f"{prefix}_*"), None)
            if source is None or source.suffix != ".pdf":
                continue
            report_id = con.execute(
                "SELECT report_id FROM reports WHERE split_part(source_files[1], '/', -1) = ?", [source.name]
            ).fetchone()
            current = golden_facts(explain(con, report_id[0])) if report_id else {}
            score = score_facts(golden_facts(golden_path.read_text(encoding="utf-8")), current)
            facts["documents"][source.name] = score.__dict__
            for name in ("right", "wrong", "missing", "extra"):
                facts[name] += getattr(score, name)

        documents = [score_document(con, a) for a in load_annotations(ROOT / "tests/annotations")]
        warnings = sum(d.warnings for d in documents)
        true = sum(d.true_warnings for d in documents)
        problems = sum(d.problems for d in documents)
        caught = sum(d.caught for d in documents)
        results = {
            "facts": facts,
            "reports_right": sum(d.report_right for d in documents),
            "reports_annotated": len(documents),
            "warnings": warnings,
            "true_warnings": true,
            "precision": round(true / warnings, 4) if warnings else None,
            "problems": problems,
            "caught": caught,
            "recall": round(caught / problems, 4) if problems else None,
            "documents": [d.__dict__ for d in documents],
        }
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        f"facts: {facts['right']} right, {facts['wrong']} wrong, {facts['missing']} missing, {facts['extra']} extra\n"
        f"reports right: {results['reports_right']} / {results['reports_annotated']}\n"
        f"warnings: {true} of {warnings} true (precision {results['precision']}); "
        f"problems caught: {caught} of {problems} (recall {results['recall']})"
    )
    for d in documents:
        for miss in d.missed:
            print(f"  missed  {d.document}: {miss}")
        for false in d.false_warnings:
            print(f"  false   {d.document}: {false[:160]}")


if __name__ == "__main__":
    main()
