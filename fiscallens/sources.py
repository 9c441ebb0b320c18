"""A source file's text around one line, as the extractor saw it: the report-detail page's context view.

Kept apart from fiscallens.explain (which reads the warehouse only) because it re-reads the file
through the read stage, which UI glue may not import.
"""

from __future__ import annotations

from pathlib import Path

from fiscallens.presentation import mask_personal
from fiscallens.read import read_document


def source_excerpt(source_file: str, line: int, radius: int = 3) -> list[tuple[int, str]]:
    """The numbered lines around `line` of a source file, as the extractor saw them, personal data masked."""
    doc, _ = read_document(Path(source_file))
    if doc is None:
        return []
    lines = doc.lines
    start, stop = max(1, line - radius), min(len(lines), line + radius)
    return [(n, mask_personal(lines[n - 1])) for n in range(start, stop + 1)]
