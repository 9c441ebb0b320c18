"""Which evaluated unit a part of a self-evaluation form belongs to.

A document may hold several forms (a department form and project forms, each perhaps
printed twice). A table inside a form belongs to the unit named at the top of that form:
the 项目名称 cell of a project form, or the department of a 部门整体 form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fiscallens.extract.context import ReportContext
from fiscallens.extract.table import clean_cell, is_empty_cell, split_cells
from fiscallens.model import Document
from fiscallens.normalize import normalize_text, squash

# Form titles that make everything below them (until the next title) the department's.
DEPARTMENT_FORM = re.compile(r"部门整体|单位整体|部门[(（][单単]位[)）](?:名称|总体)")
# The project-name label; OCR sometimes splits it ("项目名\t称") or misreads its last character.
PROJECT_NAME_LABEL = re.compile(r"^项目名称?$")
LABEL_SPILL_CHARS = 1
MIN_NAME_CHARS = 2
MAX_NAME_CHARS = 60
# How far above a table the form header may be.
FORM_LOOKBACK_LINES = 80


@dataclass(frozen=True)
class Owner:
    scope: str  # 'department' | 'project'
    name: str | None
    line: int  # where the owner was named


def project_name_at(raw: str) -> str | None:
    """The project name printed after a 项目名称 label on one line (its cells re-joined), or None."""
    if "\t" in raw:
        cells = list(split_cells(raw))
        at = next((i for i, c in enumerate(cells) if PROJECT_NAME_LABEL.match(squash(c))), None)
        if at is None:
            return None
        rest = [c for c in cells[at + 1 :] if c and not is_empty_cell(c)]
        if squash(cells[at]) != "项目名称" and rest and len(rest[0]) <= LABEL_SPILL_CHARS:
            rest = rest[1:]  # "项目名" | "称"
        name = "".join(squash(c) for c in rest)
    else:
        match = re.match(r"^\s*项目名称\s*[:：]?\s*(\S.*)$", normalize_text(raw))
        name = squash(match.group(1)) if match else ""
    return name if MIN_NAME_CHARS <= len(name) <= MAX_NAME_CHARS else None


def owner_of(ctx: ReportContext, doc: Document, line: int, lookback: int = FORM_LOOKBACK_LINES) -> Owner:
    """The unit whose form contains `line`: the nearest form header above it, else the report's main unit."""
    lines = doc.lines
    for number in range(line - 1, max(0, line - lookback), -1):
        text = lines[number - 1]
        name = project_name_at(text)
        if name:
            return Owner("project", name, number)
        if DEPARTMENT_FORM.search(squash(clean_cell(text))):
            return Owner("department", ctx.classification.department, number)
    return default_owner(ctx)


def default_owner(ctx: ReportContext) -> Owner:
    """A report's main unit: its project for a project self-evaluation, else the department."""
    c = ctx.classification
    if c.doc_type == "project_self_eval" and c.project_name:
        return Owner("project", c.project_name, c.title_line or 1)
    return Owner("department", c.department, c.title_line or 1)
