"""The pipeline: read → normalize → classify → extract → load → check, for a set of sources.

Documents are read and classified one by one; facts are then extracted per report,
from all of the report's documents together (a report may be split over several
files). A report is re-extracted whenever one of its files is new or changed.
With `jobs` > 1 both steps run in worker processes; one writer loads their results.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from fiscallens import check, classify, editions, read, recognise
from fiscallens.load import BUILD_LOCK_WAIT_SECONDS, Notify, WarehouseWriter
from fiscallens.model import Classification, Document, Facts, Finding
from fiscallens.settings import STRUCTURED_SUFFIXES

ProgressCallback = Callable[[int, int, Path], None]
T = TypeVar("T")
R = TypeVar("R")


# Items per task sent to a worker process (documents to read, reports to extract).
MAX_CHUNK = 32
STRUCTURED_FORMATS = frozenset(suffix.lstrip(".") for suffix in STRUCTURED_SUFFIXES)


@dataclass
class FileStats:
    """What one file read in this build gave: its pages and tables, the facts loaded from it, its findings."""

    source_file: str
    file_format: str
    read: bool  # False: the file could not be read (see its findings)
    pages: int | None = None  # paginated formats only
    tables: int | None = None  # tables found as cell grids (PDF: per page; structured formats only)
    facts: int = 0
    findings: Counter[str] = field(default_factory=Counter)  # severity → count

    @property
    def structured(self) -> bool:
        return self.file_format in STRUCTURED_FORMATS


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
    removed_files: int = 0  # files gone from a scanned folder whose data this build removed
    notices: list[str] = field(default_factory=list)  # what was settled beside the warehouse (locks, .wal, leftovers)
    files: list[FileStats] = field(default_factory=list)  # files read (or failed) in this build

    @property
    def nothing_readable(self) -> bool:
        return self.documents_read + self.documents_unchanged == 0


class SourcesMissing(Exception):
    """A path given to the build does not exist: nothing is built (a typo must not look like an empty folder)."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__("、".join(paths))
        self.paths = paths


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
    paths: dict[str, read.SourceFile] = field(default_factory=dict)  # source file → the file found on disk


def _scope(sources: list[Path]) -> Callable[[str], bool]:
    """Whether a stored source file lies in what this build scans: one of its folders, or a file it names."""
    files = {read.display_path(s) for s in sources if not s.is_dir()}
    folders = [read.display_path(s) for s in sources if s.is_dir()]
    prefixes = tuple(folder.rstrip("/") + "/" for folder in folders if folder != ".")
    everything_relative = "." in folders

    def in_scope(source_file: str) -> bool:
        if source_file in files or source_file.startswith(prefixes):
            return True
        return everything_relative and not source_file.startswith("/")

    return in_scope


def build(
    sources: Iterable[Path],
    db_path: Path,
    rebuild: bool = False,
    progress: ProgressCallback | None = None,
    jobs: int = 1,
    notify: Notify | None = None,
    lock_wait: float = BUILD_LOCK_WAIT_SECONDS,
) -> BuildSummary:
    """Ingest `sources` (files or folders) into the warehouse at `db_path`.

    Unchanged files (same path, same bytes) are skipped; a changed file replaces
    what it contributed before. Raises `load.WarehouseError` only when the
    warehouse cannot be written; bad documents become findings.

    With `jobs` > 1, reading + classifying files and extracting reports run in that many
    worker processes; the one writer stays in this process, so the warehouse is still
    written once, into a new file that is renamed into place.

    One build per warehouse at a time (`load.BuildLock`; `lock_wait` seconds, then
    `load.WarehouseBusy`). A file gone from a scanned folder takes its data with it; content
    already stored under another path is one document. Raises `SourcesMissing` before touching
    the warehouse when a given path does not exist.
    """
    started = time.perf_counter()
    sources = list(sources)
    summary = BuildSummary(db_path=db_path)
    files, discover_findings = read.discover(sources)
    missing = [f.source_file or "" for f in discover_findings if f.rule == "source_missing"]
    if missing:
        raise SourcesMissing(missing)
    summary.files_seen = len(files)
    jobs = max(1, jobs if jobs > 0 else (os.cpu_count() or 1))
    in_scope = _scope(sources)

    with WarehouseWriter(db_path, rebuild=rebuild, notify=notify, lock_wait=lock_wait) as writer:
        summary.notices = writer.notices
        found = [read.identify(path) for path in files]  # each file's provenance name, worked out once
        known = {file.name: file for file in found}
        if writer.carried_over:
            found += [read.identify(Path(p)) for p in writer.carried_over if p not in known and Path(p).is_file()]
        writer.replace_discover_findings(discover_findings, read.DISCOVER_RULES, in_scope)
        pending = _Pending(paths=known)
        # Files gone from a scanned folder (deleted, moved or renamed) go first: a renamed file's
        # content is then new again and keeps its report, not a duplicate of a file that is gone.
        for source_file in writer.stored_sources(read.DISCOVER_RULES):
            if in_scope(source_file) and source_file not in known and not Path(source_file).is_file():
                pending.reports.update(writer.forget_source(source_file))
                summary.removed_files += 1
        todo = [file for file in found if not _unchanged_by_digest(writer, file, summary)]
        for index, (file, result) in enumerate(zip(todo, _map(_read_one, todo, jobs), strict=True), start=1):
            if progress:
                progress(index, len(todo), file.path)
            _ingest_file(writer, file, result, summary, pending)
        if summary.nothing_readable:
            raise NothingReadable(summary, discover_findings + writer.findings())
        batches = [(report_id, _documents_of(writer, report_id, pending)) for report_id in sorted(pending.reports)]
        batches = [(report_id, documents) for report_id, documents in batches if documents]
        for report_id, extracted in zip(
            (report_id for report_id, _ in batches), _map(_extract_one, batches, jobs), strict=True
        ):
            writer.assign_editions(report_id, [(edition_id, files) for edition_id, files, _, _ in extracted])
            for _, _, facts, findings in extracted:
                writer.add_facts(facts)
                writer.add_findings(findings)
                summary.reports_extracted += 1
        writer.refresh_reports()
        writer.replace_check_findings(*check.check_warehouse_with_results(writer.db))
        _summarise(writer, summary)
    summary.written = True
    summary.seconds = time.perf_counter() - started
    return summary


def _map(function: Callable[[T], R], items: list[T], jobs: int) -> Iterator[R]:
    """`map` in order, in worker processes when there is more than one job and enough work."""
    if jobs <= 1 or len(items) < 2:
        yield from map(function, items)
        return
    # Small chunks: a worker left alone with a big last chunk would idle the other cores at the end.
    chunk = max(1, min(MAX_CHUNK, len(items) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(function, items, chunksize=chunk)


@dataclass
class _ReadResult:
    doc: Document | None
    findings: list[Finding]
    classification: Classification | None
    report_id: str | None = None
    markers: list[str] = field(default_factory=list)


def _read_one(file: read.SourceFile) -> _ReadResult:
    """Read and classify one file (runs in a worker process with --jobs, so that the one writer
    process only writes: everything derived from the file alone is computed here)."""
    doc, findings = read.read_document(file.path, file.name)
    name = read.name_finding(file.path, file.name)
    if name is not None:
        findings = [name, *findings]
        if doc is not None:  # later stages quote the file name: give them the decoded one
            doc = replace(doc, path=Path(doc.source_file))
    if doc is None:
        return _ReadResult(None, findings, None)
    classification, class_findings = classify.classify(doc)
    if classification is not None:
        kind = recognise.non_report_kind(doc, classification)
        if kind is not None:
            # Its classify warnings (no year, no region …) would only be noise about a non-report.
            return _ReadResult(doc, [*findings, recognise.not_a_report_finding(doc, classification, kind)], None)
    if classification is None:
        return _ReadResult(doc, findings + class_findings, None)
    report_id = classify.report_id_for(classification)
    checked = check.document_findings(doc, classification)
    return _ReadResult(doc, findings + class_findings + checked, classification, report_id, check.content_markers(doc))


def _extract_one(
    batch: tuple[str, list[tuple[Document, Classification]]],
) -> list[tuple[str, list[str], Facts, list[Finding]]]:
    """A report's editions (usually one; see fiscallens/editions.py): id, files, facts, findings.
    Documents are not sent back: a worker returns rows only."""
    report_id, documents = batch
    return [
        (edition.report_id, edition.source_files, edition.facts, edition.findings)
        for edition in editions.extract_editions(report_id, documents)
    ]


def _unchanged_by_digest(writer: WarehouseWriter, file: read.SourceFile, summary: BuildSummary) -> bool:
    """Parsing a PDF costs far more than hashing it: an unchanged file is recognised by its bytes.
    (A changed file is hashed again as it is read: the document's id is the digest of the bytes parsed.)"""
    if file.path.suffix.lower() not in STRUCTURED_SUFFIXES:
        return False
    digest = read.file_digest(file.path)
    if digest and writer.document_state(file.name, digest) == "unchanged":
        summary.documents_unchanged += 1
        return True
    return False


def _ingest_file(
    writer: WarehouseWriter, file: read.SourceFile, result: _ReadResult, summary: BuildSummary, pending: _Pending
) -> None:
    doc, findings = result.doc, list(result.findings)
    source_file = doc.source_file if doc else file.name
    if doc is None:
        pending.reports.update(writer.forget_source(source_file))
        writer.add_findings(findings)
        summary.documents_failed += 1
        summary.files.append(FileStats(source_file, file.path.suffix.lower().lstrip(".") or "txt", read=False))
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
    summary.files.append(
        FileStats(
            doc.source_file,
            doc.file_format,
            read=True,
            pages=doc.pages,
            tables=doc.tables_found if doc.file_format in STRUCTURED_FORMATS else None,
        )
    )
    classification, report_id = result.classification, result.report_id
    writer.add_document(doc, classification, report_id, result.markers)
    if classification and report_id:
        pending.documents[doc.source_file] = (doc, classification)
        pending.reports.add(report_id)
    writer.add_findings([_with_report(f, report_id) for f in findings])


def _documents_of(writer: WarehouseWriter, report_id: str, pending: _Pending) -> list[tuple[Document, Classification]]:
    """All documents of a report, read in this build or re-read from disk; its old facts are dropped."""
    writer.forget_report_facts(report_id)
    documents: list[tuple[Document, Classification]] = []
    for source_file in writer.report_sources(report_id):
        if source_file in pending.documents:
            documents.append(pending.documents[source_file])
            continue
        result = _read_one(pending.paths.get(source_file) or read.identify(Path(source_file)))
        if result.doc is None or result.classification is None:
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
        documents.append((result.doc, result.classification))
    return documents


def _with_report(finding: Finding, report_id: str | None) -> Finding:
    if finding.report_id or report_id is None:
        return finding
    return Finding(**{**finding.__dict__, "report_id": report_id})


def _summarise(writer: WarehouseWriter, summary: BuildSummary) -> None:
    counts = writer.counts(per_file=bool(summary.files))
    summary.reports = counts.reports
    summary.facts.update(counts.facts)
    summary.findings = counts.findings
    for stats in summary.files:
        stats.facts = counts.facts_by_file.get(stats.source_file, 0)
        stats.findings = counts.findings_by_file.get(stats.source_file, Counter())
