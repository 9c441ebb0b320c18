"""Objects passed between pipeline stages: documents, findings, classifications."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from fiscallens.normalize import compact_text

# Per-document indexes every reader uses; computed once, never pickled to worker processes.
_CACHED = ("lines", "compact_lines")

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One data-quality finding; becomes a row of `quality_flags`."""

    rule: str
    severity: str
    message: str
    source_file: str | None = None
    source_line: int | None = None
    report_id: str | None = None
    stage: str = "read"

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")


@dataclass(frozen=True)
class Document:
    """A source file decoded to text. Lines are 1-based in provenance.

    A paginated file (PDF) is rendered to the same kind of text as a text file: paragraphs as
    lines, each table row as one line of tab-separated cells. `page_starts` then holds the
    1-based line at which each page begins (an empty page starts where the next one does),
    so every line maps back to its page; text files have no page map.
    """

    path: Path
    source_file: str
    sha256: str
    size_bytes: int
    encoding: str
    file_format: str
    text: str
    page_starts: tuple[int, ...] = ()
    tables_found: int = 0  # tables the reader found as cell grids (PDF, Word, Excel)

    @cached_property
    def lines(self) -> list[str]:
        """The text's lines (index 0 is line 1). Shared by every reader: do not modify."""
        return self.text.split("\n")

    @cached_property
    def compact_lines(self) -> list[str]:
        """Each line normalized (full-width folded) with all whitespace removed: what patterns match against."""
        return [compact_text(line) for line in self.lines]

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k not in _CACHED}

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def pages(self) -> int | None:
        """Number of pages of a paginated file; None for text files."""
        return len(self.page_starts) or None

    def page_of(self, line: int) -> int | None:
        """The 1-based page a 1-based line of the rendered text is on; None without a page map."""
        if not self.page_starts:
            return None
        return max(1, bisect_right(self.page_starts, line))


@dataclass
class Classification:
    """Who, when and what a document is about."""

    doc_type: str
    fiscal_year: int | None
    region_code: str | None
    province: str | None
    prefecture: str | None
    county: str | None
    department: str | None
    project_name: str | None = None
    # Who the figures cover: 'department' (部门, the department with its units), 'unit' (单位, one
    # unit's own), 'project' (a project self-evaluation). Part of a report's identity.
    scope: str | None = None
    published_on: str | None = None
    title: str | None = None
    title_line: int | None = None
    evidence: dict[str, int] = field(default_factory=dict)  # field -> source line


FACT_TABLES = (
    "evaluations",
    "execution_lines",
    "function_spending",
    "economic_spending",
    "three_public",
    "indicators",
    "totals",
)


@dataclass
class Facts:
    """Rows for the fact tables, keyed by table name; each row a column → value dict."""

    rows: dict[str, list[dict[str, object]]] = field(default_factory=lambda: {t: [] for t in FACT_TABLES})
    # How each extraction-time rule ended on this report: rows of audit_results (stage 'extract').
    outcomes: list[dict[str, object]] = field(default_factory=list)

    def add(self, table: str, **row: object) -> None:
        self.rows[table].append(row)

    def count(self, table: str) -> int:
        return len(self.rows[table])
