"""Total scores and grades stated in sentences: "自评得90分,自评等级为“优”", "评分：96.5 等级：优".

A sentence belongs to the unit it names: "部门整体…" is the department's; a sentence about a
project belongs to the project named in its paragraph or to the form it follows.
"""

from __future__ import annotations

import re

from fiscallens.extract.context import ReportContext, Source, normalize_name
from fiscallens.extract.evaluation import evaluation_row
from fiscallens.extract.forms import Owner, owner_of
from fiscallens.extract.table import clean_cell
from fiscallens.model import Document
from fiscallens.normalize import parse_number

SCORE = re.compile(r"(?:自评|评价|评分)[^。;；\d]{0,12}?(\d{1,3}(?:\.\s?\d{1,2})?)\s*分")
SCORE_LABELLED = re.compile(r"评分\s*[:：]\s*(\d{1,3}(?:\.\d{1,2})?)")
GRADE = re.compile(r"等级\s*(?:为|是|[:：])?\s*[\"“”'‘’]?\s*(优秀|优|良好|良|中等|中|较差|合格|差)")
# Sentences about a part of the score, not the total.
PARTIAL_SCORE = re.compile(r"预算执行|执行情况|满分|分值|得分最高|权重")
GRADE_CANONICAL = {"优秀": "优", "良好": "良", "中等": "中"}
PARAGRAPH_LOOKBACK = 3


def read_score_sentences(ctx: ReportContext, doc: Document) -> None:
    for number, raw in enumerate(doc.lines, start=1):
        compact = doc.compact_lines[number - 1]
        if "评" not in compact and "等级" not in compact:
            continue  # every score and grade pattern needs one of them
        text = clean_cell(raw)
        if not text or PARTIAL_SCORE.search(text):
            continue
        score_match = SCORE_LABELLED.search(text) or SCORE.search(text)
        grade_match = GRADE.search(text)
        if not score_match and not grade_match:
            continue
        owner = _owner(ctx, doc, number, text)
        if owner is None:
            continue
        source = Source(doc, number)
        evaluation = evaluation_row(ctx, owner, source)
        key = ctx.key_of("evaluations", evaluation)
        figures = {}
        if score_match:
            figures["total_score"] = parse_number(score_match.group(1))
        grade = GRADE_CANONICAL.get(grade_match.group(1), grade_match.group(1)) if grade_match else None
        ctx.put("evaluations", key, source, figures, grade=grade)


def _owner(ctx: ReportContext, doc: Document, number: int, text: str) -> Owner | None:
    if "部门整体" in text or "单位整体" in text:
        return Owner("department", ctx.classification.department, number)
    owner = owner_of(ctx, doc, number)
    if "项目" not in text:
        return owner
    # A paragraph that names a recorded project is about that project, wherever it stands.
    start = max(1, number - PARAGRAPH_LOOKBACK)
    paragraph = normalize_name("".join(clean_cell(line) for line in doc.lines[start - 1 : number]))
    for row in ctx.rows("evaluations"):
        name = normalize_name(row.get("name"))
        if row.get("scope") == "project" and name and name in paragraph:
            return Owner("project", row["name"], number)
    return owner if owner.scope == "project" else None
