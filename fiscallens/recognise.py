"""Stage 3, classify (second half): is a classified document really a report?

A title such as "2024年度部门决算" appears in many files that are not disclosures: blank
official templates ("上海市XX局"), budget review check-sheets (审核表), notes and READMEs that
describe a report. A file becomes a report only when its structure says so: a budget or
final-accounts disclosure prints its standard tables with amounts in them; an evaluation prints
its funds or scores. Keywords alone never make a report.
"""

from __future__ import annotations

import re

from fiscallens.classify import is_placeholder_name
from fiscallens.model import Classification, Document, Finding

# An amount as tables print it: a decimal (2,940.05 / 0.95) or an integer with thousands
# separators (16,623,810). Plain integers are codes (30101), years or counts as often as amounts.
AMOUNT_TOKEN_RE = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d{1,4})(?![\d.,%])")
# A whole table cell holding a plain integer amount (an 元 table without separators): it is an
# amount, not a code, when the next filled cell is not a name.
_INTEGER_CELL_RE = re.compile(r"\d{4,}")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")

# Table rows with amounts a disclosure must have: a budget or final-accounts file prints nine or
# more tables of dozens of rows (the real ones seen have 100–300 such rows; templates, notes and
# check-sheet stubs none). A row is a line of cells (tabs) or a line with two amounts or more.
MIN_AMOUNT_LINES = {"budget": 3, "final_accounts": 3}
MIN_EVALUATION_AMOUNT_LINES = 2
_SCORE_RE = re.compile(r"(?:总分|得分|自评分|评价得分|自评得分)\D{0,12}\d{1,3}(?:\.\d+)?")

# Placeholders left in a blank template: 上海市XX局, XX单位, ××部门, 某某街道, XX（部门）.
PLACEHOLDER_RE = re.compile(
    r"(?:XX|xx|ＸＸ|××|某某)[)）(（]*(?:部门|单位|局|委员会|委|办公室|办|中心|街道|镇|乡|厅|院|学校|医院)"
)
# A check-sheet or review form about a budget is not the budget.
CHECK_SHEET_RE = re.compile(r"审核表|审核意见表|审核情况表|核对表|检查表|审查表|评审表")
NOTE_SUFFIXES = frozenset({".md", ".markdown"})

NON_REPORT_LABELS = {
    "template": "模板",
    "check_sheet": "审核表",
    "note": "说明文件",
    "no_figures": "没有数字的文件",
}


def amount_lines(doc: Document, enough: int | None = None) -> int:
    """Table rows that carry amounts: a line of cells with an amount, or a line with two amounts or more.
    Counting stops at `enough` (a report is recognised as soon as it has that many)."""
    count = 0
    for line in doc.lines:
        tokens = len(AMOUNT_TOKEN_RE.findall(line))
        if tokens >= 2 or ("\t" in line and (tokens or _has_integer_amount_cell(line))):
            count += 1
            if enough is not None and count >= enough:
                break
    return count


def _has_integer_amount_cell(line: str) -> bool:
    cells = [cell.strip() for cell in line.split("\t")]
    filled = [cell for cell in cells if cell]
    for index, cell in enumerate(filled):
        if _INTEGER_CELL_RE.fullmatch(cell) and not (cell.startswith(("19", "20")) and len(cell) == 4):
            following = filled[index + 1] if index + 1 < len(filled) else ""
            if not _CJK_RE.search(following):
                return True
    return False


def non_report_kind(doc: Document, classification: Classification) -> str | None:
    """Why a classified document is not a report ('template', 'check_sheet', 'note', 'no_figures'), or None."""
    title = classification.title or ""
    if CHECK_SHEET_RE.search(re.sub(r"\s+", "", title)):
        return "check_sheet"
    # A template's body is a stand-in name (classify.is_placeholder_name); its title may name one too.
    if is_placeholder_name(classification.department or "") or PLACEHOLDER_RE.search(re.sub(r"\s+", "", title)):
        return "template"
    minimum = MIN_AMOUNT_LINES.get(classification.doc_type)
    enough = MIN_EVALUATION_AMOUNT_LINES if minimum is None else minimum
    has_figures = amount_lines(doc, enough) >= enough or (minimum is None and _SCORE_RE.search(doc.text))
    if not has_figures:
        return "note" if doc.path.suffix.lower() in NOTE_SUFFIXES else "no_figures"
    return None


def not_a_report_finding(doc: Document, classification: Classification, kind: str) -> Finding:
    """The one `info` finding a non-report gets; it makes no report row."""
    reason = {
        "template": f"单位名称或标题是占位文字（{classification.department or classification.title}），是空白模板",
        "check_sheet": f"标题“{classification.title}”是审核表/检查表，不是公开的预决算",
        "note": "是介绍或说明文件（Markdown 等），没有预决算表格中的数字",
        "no_figures": "标题像预决算或绩效报告，但全文没有表格中的金额，可能是模板、目录或说明",
    }[kind]
    return Finding(
        "not_a_report",
        "info",
        f"不是预决算报告：{NON_REPORT_LABELS[kind]}——{reason}；未作为报告入库。",
        source_file=doc.source_file,
        source_line=classification.title_line,
        stage="classify",
    )
