"""The synthetic corpus: deterministic, classifiable, and extracted as its ground truth says."""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb
import pytest

from fiscallens import classify, pipeline, read, synth
from fiscallens.synth import accuracy as synth_accuracy

# Equal shares, so that a small corpus holds every document type.
MIX = dict.fromkeys(synth.DOC_TYPES, 0.25)
SMALL = 8
SEED = 0
# Measured on this corpus (SMALL reports, SEED, half of them with a planted inconsistency): every fact
# right, including the report with the year_in_heading trap ("2、2017 年X项目" once kept whole as the
# project's name). Any miss is a regression.
MIN_SHARE_RIGHT = 1.0


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    synth.generate(SMALL, out, seed=SEED, inconsistent=0.5, mix=MIX)
    return out


@pytest.fixture(scope="module")
def built(corpus: Path) -> Path:
    db = corpus / synth.WAREHOUSE_FILE
    pipeline.build([corpus / synth.REPORTS_SUBDIR], db, rebuild=True)
    return db


def test_generation_is_deterministic(tmp_path: Path) -> None:
    for name in ("a", "b"):
        synth.generate(5, tmp_path / name, seed=7)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    synth.generate(5, tmp_path / "c", seed=8)
    assert (tmp_path / "c" / synth.GROUND_TRUTH_FILE).read_bytes() != (
        tmp_path / "a" / synth.GROUND_TRUTH_FILE
    ).read_bytes()


def test_writes_n_reports_and_their_ground_truth(corpus: Path) -> None:
    records = synth.read_ground_truth(corpus)
    reports = [r for r in records if r["record"] == "report"]
    assert len(reports) == SMALL
    assert {r["doc_type"] for r in reports} == set(synth.DOC_TYPES)
    written = sorted(p.name for p in (corpus / synth.REPORTS_SUBDIR).iterdir())
    assert written == sorted(f for r in reports for f in r["files"])
    assert all(synth.FIRST_YEAR <= r["fiscal_year"] <= synth.LAST_YEAR for r in reports)
    planted = [r for r in records if r["record"] == "inconsistency"]
    assert len(planted) == SMALL // 2
    assert len({r["kind"] for r in planted}) == 4  # kinds in turn across the corpus
    assert all(r["rules"] == list(synth.EXPECTED_RULES[_type(reports, r["file"])][r["kind"]]) for r in planted)
    facts = [r for r in records if r["record"] == "fact"]
    assert {f["file"] for f in facts} == {r["file"] for r in reports}


def _type(reports: list[dict], file: str) -> str:
    return next(r["doc_type"] for r in reports if r["file"] == file)


def test_every_file_classifies_as_intended(corpus: Path) -> None:
    for report in (r for r in synth.read_ground_truth(corpus) if r["record"] == "report"):
        for name in report["files"]:
            doc, findings = read.read_document(corpus / synth.REPORTS_SUBDIR / name)
            assert doc is not None, findings
            c, _ = classify.classify(doc)
            assert c is not None, name
            assert (c.doc_type, c.fiscal_year, c.region_code) == (
                report["doc_type"],
                report["fiscal_year"],
                report["region_code"],
            ), name
            assert c.project_name == report["project_name"], name
            if name == report["file"]:  # an attachment names the department in full
                assert c.department == report["department"], name


def test_extracted_facts_match_the_ground_truth(corpus: Path, built: Path) -> None:
    records = synth.read_ground_truth(corpus)
    con = duckdb.connect(str(built), read_only=True)
    try:
        accuracy = synth_accuracy.score_extraction(con, records)
    finally:
        con.close()
    assert accuracy.reports_unmatched == 0
    assert accuracy.overall.facts > 500
    assert accuracy.overall.share is not None and accuracy.overall.share >= MIN_SHARE_RIGHT, accuracy.examples[:5]
    assert not accuracy.examples, accuracy.examples[:5]


def test_planted_inconsistencies_raise_their_findings(corpus: Path, built: Path) -> None:
    con = duckdb.connect(str(built), read_only=True)
    try:
        score = synth_accuracy.score_findings(con, synth.read_ground_truth(corpus))
    finally:
        con.close()
    assert sum(score.planted.values()) == SMALL // 2
    assert score.caught == score.planted, score.missed
    assert not score.false_alarms, score.false_alarms


def test_cli_never_writes_into_the_real_data_folder(tmp_path: Path) -> None:
    args = argparse.Namespace(
        reports=1, out=Path("data/reports/synthetic"), seed=0, inconsistent=0.1, no_truth=False, build=False
    )
    assert synth.run_cli(args) == 2
    assert not Path("data/reports/synthetic").exists()
    args.out = tmp_path / "corpus"
    assert synth.run_cli(args) == 0
    assert len(list((tmp_path / "corpus" / synth.REPORTS_SUBDIR).iterdir())) >= 1
    assert synth.run_cli(args) == 2  # not into a folder that already holds a corpus
