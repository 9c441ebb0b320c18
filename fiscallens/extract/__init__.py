"""Stage 4, extract: table readers and sentence readers turn a document into fact rows.

Each document type combines the general readers it needs; nothing here is keyed
to one sample file.
"""

from __future__ import annotations

from fiscallens.model import Classification, Document, Facts, Finding


def extract_document(doc: Document, classification: Classification, report_id: str) -> tuple[Facts, list[Finding]]:
    """Facts and extraction findings of one classified document."""
    facts = Facts()
    findings: list[Finding] = []
    return facts, findings
