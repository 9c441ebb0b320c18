"""Why an evaluated unit spent less (or otherwise) than budgeted, in the report's own words.

Self-evaluations explain a shortfall in prose, in two shapes:
- a labelled paragraph: "(5) 分析原因：经与宣传公司磋商同意减少 2 万元宣传费用。" (also 偏差原因,
  未完成原因, 原因分析, 执行率偏低的原因 …: a short label ending in 原因 and a colon);
- a sentence in a passage about execution: "…预算执行率为 64.47%。主要原因为部分项目已完工但尚未办理
  竣工验收及结算审计，项目款未进行支付。", or "由于…" in a sentence that speaks of spending.

A reason belongs to the unit whose section it is in: the nearest heading above it that names an
evaluated project or sub-project (or a form's 项目名称). Under a heading that names no unit, or none,
a project report's reason is its project's; anywhere else it is left unassigned — a reason is never
attached to a unit the document does not tie it to. Table rows are left to the indicator reader.
The text is kept as printed (full-width punctuation and all), trimmed to its paragraph or sentence.
"""

from __future__ import annotations

import re
from typing import Any

from fiscallens.extract.context import ReportContext, Source, find_key, keys_of
from fiscallens.extract.forms import MAX_NAME_CHARS, project_name_at
from fiscallens.extract.prose import Passage, passages
from fiscallens.model import Document
from fiscallens.normalize import normalize_text

# A stored reason is cut at a sentence end within this many characters (a paragraph can run to a page).
MAX_REASON_CHARS = 500
TRUNCATION_MARK = "……"
# How far above a reason its section heading is looked for.
REASON_LOOKBACK_LINES = 60
# Units a reason can belong to (the department's own shortfall is summarised elsewhere).
REASON_SCOPES = ("project", "subproject")

# Cheap test before any pattern runs on a passage.
REASON_WORDS = ("原因", "由于")
# "(5) 分析原因：…", "偏差原因及改进措施：…", "执行率偏低的原因：…" at the start of a paragraph.
LABELLED = re.compile(
    r"^\s*(?:[(]\s*[一二三四五六七八九十\d]+\s*[)]|\d{1,2}\s*[、.](?!\d)|[一二三四五六七八九十]+、)?\s*"
    r"(?P<label>[^,;。:!?]{0,12}?原因(?:分析|说明)?(?:及(?:改进|整改)措施)?)\s*:\s*(?P<text>\S.*)$"
)
# "主要原因为…", "原因是…", "主要原因:…" inside a sentence.
STATED = re.compile(r"原因\s*(?:主要)?\s*(?:是|为|在于|系|:)")
# "由于…" counts only in a sentence about spending.
BECAUSE = re.compile(r"由于")
# Words that make a passage one about execution (a 主要原因 there explains the execution).
EXECUTION = re.compile(r"执行率|执行数|未执行|预算执行|执行进度|结转结余|未支付|未拨付|支付进度|尚未支付|未进行支付")
SPENDING = re.compile(r"执行|支付|拨付|结转|结余|支出进度")
# A reason that only points elsewhere ("偏差原因见项目支出绩效自评情况") or is a placeholder.
POINTER = re.compile(r"^(?:详见|见|参见|无|—|-|/)")
SENTENCE_END = "。！？!?"
CUT_AT = "。；;！？!?"

# A heading line: a Markdown heading, a bold line or an enumerated item, short and without
# sentence punctuation ("#### 4、州级移动安全平台", "（二）存在的问题及原因").
HEADING_START = re.compile(
    r"^(?:#+\s*|\*\*\s*)*"
    r"(?:[(]\s*[一二三四五六七八九十\d]+\s*[)]|\d{1,2}\s*、|\d{1,2}\s*\.(?!\d)|\d{1,2}\s*\.(?=(?:19|20)\d{2}\s*年)"
    r"|[一二三四五六七八九十]+、)?"
)
HEADING_FORBIDDEN = re.compile(r"[。,;:!?]")


def read_deviation_reasons(ctx: ReportContext, doc: Document) -> None:
    """Each reason the document states, stored on the project or sub-project it explains."""
    if not any(k[0] in REASON_SCOPES for k in keys_of(ctx, "evaluations")):
        return
    if not any(word in doc.text for word in REASON_WORDS):
        return
    lines = doc.lines
    for passage in passages(doc):
        if not any(word in passage.text for word in REASON_WORDS):
            continue
        raw = lines[passage.first_line - 1]
        if "\t" in raw and "<p" not in raw:
            continue  # a table row: the indicator reader reads its reason column
        found = _reason_in(passage)
        if found is None:
            continue
        start, end = found
        key = _unit_of(ctx, doc, passage.first_line)
        if key is None:
            continue
        _store(ctx, key, doc, passage, start, end)


def _reason_in(passage: Passage) -> tuple[int, int] | None:
    """(start, end) of the reason in the passage's text, or None."""
    text = passage.text
    labelled = LABELLED.match(text)
    if labelled:
        if POINTER.match(labelled.group("text")):
            return None
        return labelled.start("text"), len(text)
    if EXECUTION.search(text):
        stated = STATED.search(text)
        if stated:
            return _sentence_around(text, stated.start(), stated.end())
    for because in BECAUSE.finditer(text):
        start, end = _sentence_around(text, because.start(), because.end())
        if SPENDING.search(text, start, end):
            return start, end
    return None


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding text[start:end], with its closing punctuation."""
    begin = max(text.rfind(mark, 0, start) for mark in SENTENCE_END) + 1
    stops = [i for i in (text.find(mark, end) for mark in SENTENCE_END) if i >= 0]
    return begin, (min(stops) + 1 if stops else len(text))


def _unit_of(ctx: ReportContext, doc: Document, line: int) -> tuple[Any, ...] | None:
    """The evaluation key of the unit whose section holds `line` (see the module docstring)."""
    lines = doc.lines
    for number in range(line - 1, max(0, line - 1 - REASON_LOOKBACK_LINES), -1):
        name = _heading_name(lines[number - 1])
        if name is None:
            continue
        key = _named_unit(ctx, name)
        if key is not None:
            return key
        break
    c = ctx.classification
    if c.doc_type == "project_self_eval" and c.project_name:
        return find_key(ctx, "evaluations", "project", c.project_name)
    return None


def _heading_name(raw: str) -> str | None:
    """The text of a heading line (without its markers), or None when the line is not a heading."""
    if not raw.strip():
        return None
    form = project_name_at(raw)
    if form:
        return form
    if "\t" in raw:
        return None
    text = normalize_text(raw)
    marker = HEADING_START.match(text)
    if not marker or not marker.group(0).strip():
        return None
    name = text[marker.end() :].strip().strip("*").strip()
    if not 2 <= len(name) <= MAX_NAME_CHARS or HEADING_FORBIDDEN.search(name):
        return None
    return name


def _named_unit(ctx: ReportContext, name: str) -> tuple[Any, ...] | None:
    for scope in REASON_SCOPES:
        key = find_key(ctx, "evaluations", scope, name)
        if key is not None:
            return key
    return None


def _store(ctx: ReportContext, key: tuple[Any, ...], doc: Document, passage: Passage, start: int, end: int) -> None:
    """The first reason found for a unit is kept; a repeat of the same words adds nothing."""
    row = ctx.get("evaluations", key)
    if row is None or row.get("shortfall_reason"):
        return
    text = _trimmed(_printed(doc, passage, start, end))
    if not text:
        return
    source = Source(doc, passage.line_at(start))
    row["shortfall_reason"] = text
    # Where, in words (file name, line, page): stable across build folders, readable as it is.
    row["shortfall_reason_source"] = source.where
    row["shortfall_reason_line"] = source.line


def _printed(doc: Document, passage: Passage, start: int, end: int) -> str:
    """passage.text[start:end] as the document prints it: full-width punctuation kept, line breaks
    of the PDF removed. Falls back to the normalized text when the printed span cannot be found."""
    wanted = passage.text[start:end].strip()
    first, last = passage.line_at(start), passage.line_at(max(start, end - 1))
    raw = "\n".join(doc.lines[first - 1 : last])
    pattern = r"\s*".join(_char_class(ch) for ch in wanted if not ch.isspace())
    match = re.search(pattern, raw) if pattern else None
    if match is None:
        return wanted
    return re.sub(r"[ \t\u3000]+", " ", re.sub(r"\s*\n\s*", "", match.group(0))).strip()


def _char_class(ch: str) -> str:
    """A regex for one normalized character: itself or its full-width twin."""
    if "!" <= ch <= "~":
        return f"[{re.escape(ch)}{re.escape(chr(ord(ch) + 0xFEE0))}]"
    return re.escape(ch)


def _trimmed(text: str) -> str:
    """At most MAX_REASON_CHARS characters, cut after a sentence or clause where possible."""
    if len(text) <= MAX_REASON_CHARS:
        return text
    head = text[:MAX_REASON_CHARS]
    cut = max(head.rfind(mark) for mark in CUT_AT)
    return (head[: cut + 1] if cut > 0 else head) + TRUNCATION_MARK
