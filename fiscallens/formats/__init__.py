"""Readers of published file formats: PDF, Word (.docx) and Excel (.xlsx / .xls).

Each reader renders its file to the text the extraction readers already understand —
paragraphs as lines, every table row as one line of tab-separated cells — so a PDF goes
through the same classify → extract → load → check stages as a text file. A merged table
cell keeps its value in its first (top-left) cell and leaves the cells it covers empty, as
text and HTML exports of such tables do.

A reader gets the file's bytes and returns a `Rendered`, or raises `FormatError` with a rule
and a Chinese message when the file cannot be read (a scan without a text layer, a broken or
encrypted file). Library imports are local to each reader, so the pipeline does not load them
for text files.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from fiscallens.model import Finding

# One line of rendered text per table row; cells separated by this.
CELL_SEPARATOR = "\t"


@dataclass(frozen=True)
class Rendered:
    """A structured file as text, with its page map and what the reader noticed."""

    text: str
    page_starts: tuple[int, ...] = ()  # 1-based line where each page begins (paginated formats only)
    tables_found: int = 0
    findings: list[Finding] = field(default_factory=list)


class FormatError(Exception):
    """The file cannot be read as its format: becomes one `error` finding, and no document."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


Reader = Callable[[bytes, str], Rendered]

_progress: Callable[[], None] | None = None


def set_progress(callback: Callable[[], None] | None) -> None:
    """Who hears `report_progress` (fiscallens/read.py, which runs readers under a time limit)."""
    global _progress
    _progress = callback


def report_progress() -> None:
    """A slow reader starts one more long step (an OCR page): its time limit is extended by one step."""
    if _progress is not None:
        _progress()


def reader_for(suffix: str) -> Reader | None:
    """The reader of a file suffix (lower case, with the dot), or None when none is implemented."""
    if suffix == ".pdf":
        from fiscallens.formats.pdf import read_pdf

        return read_pdf
    if suffix == ".docx":
        from fiscallens.formats.docx import read_docx

        return read_docx
    if suffix in {".xlsx", ".xlsm"}:
        from fiscallens.formats.xlsx import read_xlsx

        return read_xlsx
    if suffix == ".xls":
        from fiscallens.formats.xlsx import read_xls

        return read_xls
    return None


# The libraries each reader imports on first use.
_LIBRARIES = {
    ".pdf": ("pdfplumber", "pypdfium2"),
    ".docx": ("docx",),
    ".xlsx": ("openpyxl",),
    ".xlsm": ("openpyxl",),
    ".xls": ("xlrd",),
}


def preload(suffix: str) -> None:
    """Import a reader's libraries now: a reader run in forked child processes then finds them loaded,
    instead of importing them again in every child. A missing library is left to the reader to report."""
    for name in _LIBRARIES.get(suffix, ()):
        with contextlib.suppress(Exception):
            importlib.import_module(name)


def _is_wide(ch: str) -> bool:
    """CJK characters and full-width forms: text in them is written without spaces."""
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"


def flatten_cell(text: str | None) -> str:
    """A cell's text on one line. A cell wraps its text ("本年收入合" / "计"), so its lines are joined
    without a space where either side is Chinese, with one space between Latin words; tabs and runs
    of spaces become one space (a cell never contains the cell separator)."""
    if not text:
        return ""
    out = ""
    for part in (" ".join(line.split()) for line in text.splitlines()):
        if not part:
            continue
        if out and not (_is_wide(out[-1]) or _is_wide(part[0])):
            out += " "
        out += part
    return out


def join_row(cells: list[str | None]) -> str:
    """One table row as a line of tab-separated cells; '' when every cell is empty."""
    cleaned = [flatten_cell(cell) for cell in cells]
    return CELL_SEPARATOR.join(cleaned) if any(cleaned) else ""
