"""The audit against the annotated problems of real documents (tests/annotations/*.toml).

Every annotated problem is caught by its rule on the right page, and every `warning` the audit raises
on a real document is one of them: a warning is a claim that the document is wrong.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fiscallens import pipeline
from fiscallens.annotations import Annotation, load_annotations, score_document
from fiscallens.warehouse import connect_readonly
from tests.conftest import REPORTS_DIR

ANNOTATIONS = load_annotations(Path(__file__).parent / "annotations")
FIXTURE_PDFS = Path(__file__).parent / "fixtures" / "pdfs"


def test_every_bundled_real_document_is_annotated() -> None:
    annotated = {a.document for a in ANNOTATIONS}
    assert {p.name for p in REPORTS_DIR.glob("*.pdf")} <= annotated
    assert any(not a.authentic for a in ANNOTATIONS)


@pytest.mark.parametrize("annotation", [a for a in ANNOTATIONS if a.authentic], ids=lambda a: a.document[:3])
def test_authentic_documents(warehouse: Path, annotation: Annotation) -> None:
    score = score_document(connect_readonly(warehouse), annotation)
    assert score.identity_misses == []
    assert score.missed == []
    assert score.false_warnings == []


@pytest.fixture(scope="module")
def edited_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The edited copy with planted errors, beside the authentic file it was made from."""
    folder = tmp_path_factory.mktemp("edited") / "in"
    folder.mkdir()
    shutil.copy(FIXTURE_PDFS / "putuo-finance-bureau-2024-final-accounts-EDITED-with-planted-errors.pdf", folder)
    shutil.copy(next(REPORTS_DIR.glob("005_*.pdf")), folder)
    db = folder.parent / "w.duckdb"
    pipeline.build([folder], db, rebuild=True)
    return db


def test_planted_errors_are_all_caught_and_nothing_else(edited_warehouse: Path) -> None:
    annotation = next(a for a in ANNOTATIONS if not a.authentic)
    score = score_document(connect_readonly(edited_warehouse), annotation)
    assert score.identity_misses == []
    assert score.missed == []
    assert score.false_warnings == []
    assert score.caught == len(annotation.problems) >= 8
