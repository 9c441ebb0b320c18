"""Stage 4, extract: table readers and sentence readers turn a report's documents into fact rows.

Readers are general: each recognises a recurring structure (a fund table, a functional
classification table, a 三公 sentence …) wherever it appears, and every document type
simply runs the readers that make sense for it. Table readers run before sentence
readers, so when a table and a sentence give the same figure the table's row is kept and
a disagreement is recorded as a finding.
"""

from __future__ import annotations

from collections.abc import Callable

from fiscallens.extract.context import ReportContext
from fiscallens.model import Classification, Document, Facts, Finding

Reader = Callable[[ReportContext, Document], None]

# (reader, the document types it runs on), in the order they run.
READERS: list[tuple[Reader, frozenset[str]]] = []


def extract_report(report_id: str, documents: list[tuple[Document, Classification]]) -> tuple[Facts, list[Finding]]:
    """Facts and extraction findings of one report, read from all of its documents."""
    documents = sorted(documents, key=lambda pair: pair[0].file_name)
    ctx = ReportContext(report_id, documents[0][1], [doc for doc, _ in documents])
    for reader, doc_types in READERS:
        for doc, classification in documents:
            if classification.doc_type in doc_types:
                reader(ctx, doc)
    return ctx.facts(), ctx.findings
