"""The pipeline: read → normalize → classify → extract → load → check, for a set of sources.

Documents are read and classified one by one; facts are then extracted per report,
from all of the report's documents together (a report may be split over several
files). A report is re-extracted whenever one of its files is new or changed.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from fiscallens import check, classify, extract, read
from fiscallens.load import WarehouseWriter
from fiscallens.model import FACT_TABLES, Classification, Document, Finding

ProgressCallback = Callable[[int, int, Path], None]


@dataclass
class BuildSummary:
    db_path: Path
    files_seen: int = 0
    documents_read: int = 0
    documents_unchanged: int = 0
    documents_failed: int = 0
    reports: int = 0
    reports_extracted: int = 0
    facts: dict[str, int] = field(default_factory=dict)
    findings: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    written: bool = False

    @property
    def nothing_readable(self) -> bool:
        return self.documents_read + self.documents_unchanged == 0


class NothingReadable(Exception):
    """No source yielded a document: the warehouse is left as it was."""

    def __init__(self, summary: BuildSummary, findings: list[Finding]) -> None:
        super().__init__("nothing could be read")
        self.summary = summary
        self.findings = findings


@dataclass
class _Pending:
    """Documents read in this build, and the reports whose facts must be extracted again."""

    documents: dict[str, tuple[Document, Classification]] = field(default_factory=dict)
    reports: set[str] = field(default_factory=set)


def build(
    sources: Iterable[Path],
    db_path: Path,
    rebuild: bool = False,
    progress: ProgressCallback | None = None,
) -> BuildSummary:
    """Ingest `sources` (files or folders) into the warehouse at `db_path`.

    Unchanged files (same path, same bytes) are skipped; a changed file replaces
    what it contributed before. Raises `load.WarehouseError` only when the
    warehouse cannot be written; bad documents become findings.
    """
    started = time.perf_counter()
    summary = BuildSummary(db_path=db_path)
    files, discover_findings = read.discover(list(sources))
    summary.files_seen = len(files)

    with WarehouseWriter(db_path, rebuild=rebuild) as writer:
        if writer.carried_over:
            known = {read.display_path(f) for f in files}
            files += [Path(p) for p in writer.carried_over if p not in known and Path(p).is_file()]
        writer.add_findings(discover_findings)
        pending = _Pending()
        for index, path in enumerate(files, start=1):
            if progress:
                progress(index, len(files), path)
            _ingest_file(writer, path, summary, pending)
        if summary.nothing_readable:
            raise NothingReadable(summary, discover_findings + _flags_of(writer))
        for report_id in sorted(pending.reports):
            _extract_report(writer, report_id, pending)
            summary.reports_extracted += 1
        writer.refresh_reports()
        writer.replace_check_findings(check.check_warehouse(writer.db))
        _summarise(writer, summary)
    summary.written = True
    summary.seconds = time.perf_counter() - started
    return summary


def _ingest_file(writer: WarehouseWriter, path: Path, summary: BuildSummary, pending: _Pending) -> None:
    doc, findings = read.read_document(path)
    source_file = read.display_path(path)
    if doc is None:
        pending.reports.update(writer.forget_source(source_file))
        writer.add_findings(findings)
        summary.documents_failed += 1
        return
    state = writer.document_state(doc.source_file, doc.sha256)
    if state == "unchanged":
        summary.documents_unchanged += 1
        return
    pending.reports.update(writer.forget_source(doc.source_file))
    if state == "duplicate":
        original = writer.duplicate_of(doc.sha256)
        writer.add_findings(
            [
                Finding(
                    "duplicate_file",
                    "info",
                    f"与已入库的 {original} 内容完全相同（SHA-256 一致），只计一次。",
                    source_file=doc.source_file,
                )
            ]
        )
        summary.documents_unchanged += 1
        return

    summary.documents_read += 1
    classification, class_findings = classify.classify(doc)
    findings += class_findings
    report_id = classify.report_id_for(classification) if classification else None
    writer.add_document(doc, classification, report_id, check.content_markers(doc))
    if classification and report_id:
        pending.documents[doc.source_file] = (doc, classification)
        pending.reports.add(report_id)
    writer.add_findings([_with_report(f, report_id) for f in findings])


def _extract_report(writer: WarehouseWriter, report_id: str, pending: _Pending) -> None:
    """(Re-)extract one report from all of its documents, read now or re-read from disk."""
    writer.forget_report_facts(report_id)
    documents: list[tuple[Document, Classification]] = []
    for source_file in writer.report_sources(report_id):
        if source_file in pending.documents:
            documents.append(pending.documents[source_file])
            continue
        doc, _ = read.read_document(Path(source_file))
        classification = classify.classify(doc)[0] if doc else None
        if doc is None or classification is None:
            writer.add_findings(
                [
                    Finding(
                        "source_unavailable",
                        "warning",
                        "报告的这一部分文件已无法重新读取，本次未能抽取其数字。",
                        source_file=source_file,
                        report_id=report_id,
                        stage="extract",
                    )
                ]
            )
            continue
        documents.append((doc, classification))
    if not documents:
        return
    facts, findings = extract.extract_report(report_id, documents)
    writer.add_facts(facts)
    writer.add_findings(findings)


def _with_report(finding: Finding, report_id: str | None) -> Finding:
    if finding.report_id or report_id is None:
        return finding
    return Finding(**{**finding.__dict__, "report_id": report_id})


def _flags_of(writer: WarehouseWriter) -> list[Finding]:
    rows = writer.db.execute(
        "SELECT rule, severity, message, source_file, source_line FROM quality_flags ORDER BY flag_id"
    ).fetchall()
    return [Finding(*row) for row in rows]


def _summarise(writer: WarehouseWriter, summary: BuildSummary) -> None:
    db = writer.db
    summary.reports = db.execute("SELECT count(*) FROM reports").fetchone()[0]
    for table in FACT_TABLES:
        summary.facts[table] = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    summary.findings = Counter(dict(db.execute("SELECT severity, count(*) FROM quality_flags GROUP BY 1").fetchall()))
