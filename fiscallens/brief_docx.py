"""The brief as a Word document in the shape of a government 简报, for staff who finish it in Word/WPS.

Title and date; numbered sections (一、二、三、四): key figures as a table, the 要点 as editable
paragraphs, each chart as a picture with a numbered caption (图1 …), and the sources as real Word
footnotes (`fiscallens.docx_footnotes`): note 1, referenced under the key figures, lists the reports
used; the notes after it, referenced together in 四、数据质量, give each data-quality warning with its
report, file and line, and the count of warnings not listed. Word renumbers them when the text is edited.
Takes a `fiscallens.brief.BriefData` (imported only for typing: brief.py calls this module).
"""

from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from fiscallens.docx_footnotes import Footnotes
from fiscallens.figure_export import figure_bytes

if TYPE_CHECKING:
    from docx.document import Document as DocumentType

    from fiscallens.brief import BriefData

SECTION_NUMBERS = "一二三四五六七八九十"
BODY_FONT, HEADING_FONT = "仿宋", "黑体"  # the usual faces of a government document
FIGURE_WIDTH = Cm(15.5)
NOTE_WARNINGS = 30  # warnings listed one by one in the notes; the rest are counted
NOTE_SIZE = 9  # 小五, the usual size of a footnote


def _font(run: object, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)  # CJK face


def _paragraph(doc: DocumentType, text: str, size: float = 14, name: str = BODY_FONT, **kwargs: object) -> object:
    paragraph = doc.add_paragraph()
    _font(paragraph.add_run(text), name, size, bool(kwargs.get("bold")))
    if kwargs.get("center"):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _heading(doc: DocumentType, number: int, text: str) -> None:
    _paragraph(doc, f"{SECTION_NUMBERS[number - 1]}、{text}", 15, HEADING_FONT, bold=True)


def _kpi_table(doc: DocumentType, data: BriefData) -> None:
    rows = data.kpi_rows()
    table = doc.add_table(rows=len(rows) + 1, cols=2)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("指标", "数值"), strict=True):
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, 12, bold=True)
    for row, (label, value) in zip(table.rows[1:], rows, strict=True):
        _font(row.cells[0].paragraphs[0].add_run(label), BODY_FONT, 12)
        _font(row.cells[1].paragraphs[0].add_run(value), BODY_FONT, 12)


def _figures(doc: DocumentType, data: BriefData) -> None:
    for number, (caption, fig) in enumerate(data.panel_figures().items(), start=1):
        try:
            picture = figure_bytes(fig, "png", width=fig.layout.width, height=fig.layout.height)
        except RuntimeError as exc:  # no Chromium or CJK font here: say so in place of the picture
            _paragraph(doc, f"（图{number}未能生成：{exc}）", 12)
        else:
            doc.add_picture(io.BytesIO(picture), width=FIGURE_WIDTH)
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _paragraph(doc, f"图{number}　{caption}", 12, center=True)


def _notes(data: BriefData) -> list[str]:
    """The footnotes: 1 the reports used, then every warning (its report, file and line)."""
    names = "；".join(data.report_name(r) for r in data.reports["报告标识"])
    notes = [f"本简报所用报告 {len(data.reports)} 份：{names}。数据截至 {data.built_on}，财政绩效透视自动生成。"]
    for _, row in data.findings.head(NOTE_WARNINGS).iterrows():
        where = f"{str(row['文件']).rsplit('/', 1)[-1]} 第 {int(row['行号'])} 行" if row["行号"] == row["行号"] else ""
        notes.append(f"数据质量警告（{data.report_name(row['报告标识'])}，{where}）：{row['说明']}")
    if len(data.findings) > NOTE_WARNINGS:
        notes.append(f"另有 {len(data.findings) - NOTE_WARNINGS} 条数据质量警告，见“数据质量”页。")
    return notes


def _quality(doc: DocumentType, data: BriefData, footnotes: Footnotes, notes: list[str]) -> None:
    """Section 四's sentence, with the references of every warning note (2 … n) at its end."""
    if data.findings.empty:
        _paragraph(doc, "所用报告中没有数据质量警告。")
        return
    text = f"所用报告中有数据质量警告 {len(data.findings)} 条（报告自相矛盾之处，原文数字未改），逐条见页下脚注"
    paragraph = _paragraph(doc, text)
    for number, note in enumerate(notes[1:]):
        if number:  # a superscript comma between marks, as in 见脚注 2,3,4
            comma = paragraph.add_run(",")
            _font(comma, BODY_FONT, 14)
            comma.font.superscript = True
        footnotes.add(paragraph, note, size=14)
    _font(paragraph.add_run("。"), BODY_FONT, 14)


def docx_bytes(data: BriefData, today: date | None = None) -> bytes:
    """The 简报 as .docx: title, date, sections 一 to 四, and the sources as footnotes."""
    doc = Document()
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(2.6)
    footnotes = Footnotes(doc, BODY_FONT, NOTE_SIZE)
    _paragraph(doc, data.title, 22, HEADING_FONT, bold=True, center=True)
    day = today or date.today()
    _paragraph(doc, f"财政绩效透视　{day.year}年{day.month}月{day.day}日　数据截至 {data.built_on}", 12, center=True)
    notes = _notes(data)
    _heading(doc, 1, "关键指标")
    _kpi_table(doc, data)
    sources = _paragraph(doc, "数据来源：所用报告", 12)
    footnotes.add(sources, notes[0], size=12)
    _font(sources.add_run("。"), BODY_FONT, 12)
    _heading(doc, 2, "要点")
    for number, sentence in enumerate(data.sentences or ["所选范围内没有可比较的执行、“三公”或得分数据。"], 1):
        _paragraph(doc, f"（{SECTION_NUMBERS[number - 1]}）{sentence}")
    _heading(doc, 3, "图表")
    _figures(doc, data)
    _heading(doc, 4, "数据质量")
    _quality(doc, data, footnotes, notes)
    doc.core_properties.title = data.title
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
