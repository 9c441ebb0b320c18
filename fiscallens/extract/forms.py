"""Which evaluated unit a part of a self-evaluation form belongs to.

A document may hold several forms (a department form and project forms, each perhaps
printed twice). A table inside a form belongs to the unit named at the top of that form:
the 项目名称 cell of a project form, or the department of a 部门整体 form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fiscallens.extract.context import ReportContext, Source, normalize_name
from fiscallens.extract.table import clean_cell, is_empty_cell
from fiscallens.model import Document

# Form titles that make everything below them (until the next title) the department's.
DEPARTMENT_FORM_TITLE = re.compile(r"部门整体(?:支出)?绩效(?:目标)?自评表|部门整体(?:预算|支出)?绩效评价")
# The project-name label; OCR sometimes splits it ("项目名\t称") or misreads 称.
PROJECT_LABEL = re.compile(r"^项目名(?:称)?$")
# How far above a table the form header may be.
FORM_LOOKBACK_LINES = 80


@dataclass(frozen=True)
class Owner:
    scope: str  # 'department' | 'project'
    name: str | None
    line: int  # where the owner was named


def project_name_at(line: str) -> str | None:
    """The project named on a 项目名称 line (cells after the label, joined), or None."""
    cells = [clean_cell(c) for c in line.split("\t")] if "\t" in line else clean_cell(line).split(" ", 1)
    cells = [c for c in cells if c]
    for index, cell in enumerate(cells):
        compact = re.sub(r"\s+", "", cell)
        if PROJECT_LABEL.match(compact):
            rest = cells[index + 1 :]
            if compact == "项目名" and rest and len(rest[0]) == 1:
                rest = rest[1:]  # the label's last character, split into its own cell
            name = "".join(re.sub(r"\s+", "", c) for c in rest if not is_empty_cell(c))
            return name or None
        if compact.startswith("项目名称") and len(compact) > 4:
            return compact[4:].lstrip(":：") or None
    return None


def owner_of(ctx: ReportContext, doc: Document, line: int) -> Owner:
    """The unit whose form contains `line`: the nearest form header above it."""
    lines = doc.lines
    for number in range(line - 1, max(0, line - FORM_LOOKBACK_LINES), -1):
        text = lines[number - 1]
        name = project_name_at(text)
        if name:
            return Owner("project", name, number)
        if DEPARTMENT_FORM_TITLE.search(re.sub(r"\s+", "", clean_cell(text))):
            return Owner("department", ctx.classification.department, number)
    return default_owner(ctx)


def default_owner(ctx: ReportContext) -> Owner:
    """A report's main unit: its project for a project self-evaluation, else the department."""
    c = ctx.classification
    if c.doc_type == "project_self_eval" and c.project_name:
        return Owner("project", c.project_name, c.title_line or 1)
    return Owner("department", c.department, c.title_line or 1)


def evaluation_for(ctx: ReportContext, owner: Owner, source: Source) -> dict[str, Any]:
    """The evaluation row of `owner`, created if no reader has recorded it yet.

    Project names differ between a form and the narrative (one may carry a fund's
    name in front), so an existing project whose normalized name contains, or is
    contained in, this one is the same project.
    """
    if owner.scope == "department":
        key: tuple[Any, ...] = ("department",)
        name = owner.name or ctx.classification.department
    else:
        wanted = normalize_name(owner.name)
        for row in ctx.rows("evaluations"):
            have = normalize_name(row.get("name"))
            if row.get("scope") == owner.scope and have and wanted and (have in wanted or wanted in have):
                return row
        key = (owner.scope, wanted)
        name = owner.name
    existing = ctx.get("evaluations", key)
    if existing is not None:
        return existing
    return ctx.put(
        "evaluations",
        key,
        source,
        {},
        evaluation_id=ctx.evaluation_id(owner.scope, name),
        scope=owner.scope,
        name=name,
    )
