"""Published formats end to end: PDF (text layer and scans), Word and Excel files that the tests write,
each going through read → classify → extract → load like a text report.

The renderers' contract: paragraphs become lines, a table row one line of tab-separated cells, a merged
cell keeps its value in its first cell, and a PDF's lines map back to their pages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fiscallens import cli, pipeline, read
from fiscallens.formats import flatten_cell, join_row
from fiscallens.model import Document
from tests.conftest import rows

TITLE = ("上海市普陀区测试局", "2023年度部门决算")
# A final-accounts table with a header over three rows, the code split over 类 | 款 | 项 and a merged
# heading ("项目" over the four code and name columns).
HEADER = [
    ["项目", "", "", "", "合计", "基本支出", "项目支出"],
    ["科目编码", "", "", "科目名称", "", "", ""],
    ["类", "款", "项", "", "", "", ""],
]
BODY = [
    ["201", "", "", "一般公共服务支出", "120.50", "100.00", "20.50"],
    ["201", "06", "", "财政事务", "120.50", "100.00", "20.50"],
    ["201", "06", "01", "行政运行", "100.00", "100.00", ""],
    ["201", "06", "02", "一般行政管理事务", "20.50", "", "20.50"],
    ["合计", "", "", "", "120.50", "100.00", "20.50"],
]
NARRATIVE = (
    "一般公共预算财政拨款支出年初预算为130.00万元，支出决算为120.50万元，完成年初预算的92.69%。"
    "“三公”经费财政拨款支出决算为0.50万元，其中：公务接待费0.50万元。"
)


def build(tmp_path: Path, *files: Path) -> tuple[Path, pipeline.BuildSummary]:
    db = tmp_path / "w.duckdb"
    return db, pipeline.build(list(files), db, rebuild=True)


def function_rows(db: Path) -> dict[str, tuple]:
    return {
        r[0]: r[1:]
        for r in rows(
            db, "SELECT code, basis, total, basic, project, budget_initial, source_page FROM function_spending"
        )
    }


# --- PDF ----------------------------------------------------------------------------------------


def write_pdf(path: Path) -> Path:
    """A two-page final accounts drawn with reportlab's built-in Chinese CID font (no font file needed)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=11, leading=16)
    table = Table(HEADER + BODY)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("SPAN", (0, 0), (3, 0)),
            ]
        )
    )
    story = [Paragraph(TITLE[0], style), Paragraph(TITLE[1], style), PageBreak()]
    story += [Paragraph("一般公共预算财政拨款支出决算表", style), Paragraph("单位：万元", style), table]
    story += [Paragraph(NARRATIVE, style)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def test_pdf_tables_become_cell_rows_and_lines_know_their_page(tmp_path: Path) -> None:
    doc, findings = read.read_document(write_pdf(tmp_path / "accounts.pdf"))
    assert doc is not None and findings == []
    assert doc.file_format == "pdf" and doc.pages == 2 and doc.tables_found == 1
    lines = doc.lines
    assert lines[:2] == list(TITLE)
    assert "201\t06\t01\t行政运行\t100.00\t100.00\t" in lines
    # the merged heading stays in its first cell, the covered cells are empty
    assert "项目\t\t\t\t合计\t基本支出\t项目支出" in lines
    assert doc.page_of(1) == 1 and doc.page_of(lines.index("一般公共预算财政拨款支出决算表") + 1) == 2


def test_synthetic_pdf_goes_through_every_stage(tmp_path: Path) -> None:
    db, summary = build(tmp_path, write_pdf(tmp_path / "accounts.pdf"))
    assert summary.reports == 1
    assert rows(db, "SELECT doc_type, department, fiscal_year, region_code FROM reports") == [
        ("final_accounts", "上海市普陀区测试局", 2023, "310107")
    ]
    got = function_rows(db)
    assert got["2010601"] == ("actual", 100.0, 100.0, None, None, 2)
    assert got["2010602"][1:4] == (20.5, None, 20.5)
    assert got["total"] == ("actual", 120.5, 100.0, 20.5, 130.0, 2)
    # every fact of a PDF carries its page and its line in the rendered text
    assert rows(db, "SELECT count(*) FROM function_spending WHERE source_page IS NULL OR source_line IS NULL") == [(0,)]
    stats = summary.files[0]
    assert (stats.pages, stats.tables, stats.facts) == (2, 1, 7)  # 5 function rows, 2 三公 rows
    assert rows(db, "SELECT item, actual, source_page FROM three_public ORDER BY item") == [
        ("reception", 0.5, 2),
        ("total", 0.5, 2),
    ]


def test_a_rotated_page_is_read_in_its_reading_direction(tmp_path: Path) -> None:
    """A landscape table on a page with /Rotate: pdfplumber reports its text running down (or up) the
    page; the renderer turns the characters and the cell grid into the reading frame."""
    from reportlab.lib import colors
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    from reportlab.platypus import Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    for rotation in (90, 270):
        path = tmp_path / f"rotated{rotation}.pdf"
        page = canvas.Canvas(str(path))
        page.setPageRotation(rotation)
        page.setFont("STSong-Light", 12)
        page.drawString(60, 780, "一般公共预算财政拨款支出决算表")
        table = Table(HEADER + BODY)
        table.setStyle(
            TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("GRID", (0, 0), (-1, -1), 0.5, colors.black)])
        )
        _, height = table.wrapOn(page, 500, 700)
        table.drawOn(page, 60, 760 - height)
        page.save()
        doc, _ = read.read_document(path)
        assert doc is not None
        assert doc.lines[0] == "一般公共预算财政拨款支出决算表", rotation
        assert "201\t06\t01\t行政运行\t100.00\t100.00\t" in doc.lines, rotation


def write_scan(path: Path, pages: int = 2) -> Path:
    """An image-only PDF, as a scanner makes it: Pillow draws a page and saves it as PDF. The page is
    an empty form (a frame, no text), so even OCR reads nothing on it: a scan OCR does read is in
    tests/test_ocr.py."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (595, 842), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([60, 80, 535, 140], outline="black")
    image.save(path, "PDF", resolution=72, save_all=True, append_images=[image.copy() for _ in range(pages - 1)])
    return path


@pytest.mark.ocr  # runs the OCR engine on a blank page (seconds): the OCR layer of `make test`
def test_a_scan_is_refused_with_a_finding_not_an_empty_report(tmp_path: Path) -> None:
    scan = write_scan(tmp_path / "scan.pdf")
    doc, findings = read.read_document(scan)
    assert doc is None
    assert [(f.rule, f.severity) for f in findings] == [("pdf_scanned", "error")]
    assert "扫描件，无文字层，未提取" in findings[0].message
    db, summary = build(tmp_path, scan, write_pdf(tmp_path / "accounts.pdf"))
    assert summary.reports == 1 and summary.documents_failed == 1
    assert rows(db, "SELECT rule, severity FROM quality_flags WHERE source_file LIKE '%scan.pdf'") == [
        ("pdf_scanned", "error")
    ]
    assert rows(db, "SELECT count(*) FROM documents WHERE file_name = 'scan.pdf'") == [(0,)]


def test_an_image_page_inside_a_text_pdf_is_a_warning(tmp_path: Path) -> None:
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    image = tmp_path / "page.png"
    Image.new("RGB", (200, 100), "white").save(image)
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "mixed.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("STSong-Light", 12)
    page.drawString(60, 780, TITLE[0] + TITLE[1])
    page.showPage()
    page.drawImage(ImageReader(str(image)), 60, 500, 200, 100)
    page.showPage()
    page.save()
    doc, findings = read.read_document(path)
    assert doc is not None and doc.pages == 2
    assert [(f.rule, f.severity, f.source_file) for f in findings] == [("pdf_pages_scanned", "warning", str(path))]
    assert "第 2 页" in findings[0].message


def test_a_damaged_pdf_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(write_pdf(tmp_path / "whole.pdf").read_bytes()[:400])
    doc, findings = read.read_document(path)
    assert doc is None and [f.severity for f in findings] == ["error"]
    assert findings[0].rule in {"pdf_unreadable", "file_empty"}


# --- Word -----------------------------------------------------------------------------------------


def write_docx(path: Path) -> Path:
    """Title paragraphs, a table whose heading "项目" spans four columns (gridSpan) and whose 类 code
    spans two rows (vMerge), then the narrative — in body order."""
    import docx

    document = docx.Document()
    for line in (*TITLE, "一般公共预算财政拨款支出决算表", "单位：万元"):
        document.add_paragraph(line)
    grid = HEADER + BODY
    table = document.add_table(rows=len(grid), cols=len(grid[0]))
    for r, values in enumerate(grid):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(0, 0).merge(table.cell(0, 3)).text = "项目"
    table.cell(3, 0).merge(table.cell(4, 0)).text = "201"  # a 类 code printed once for two rows
    document.add_paragraph(NARRATIVE)
    document.save(str(path))
    return path


def test_docx_keeps_body_order_and_merged_cells_in_their_first_cell(tmp_path: Path) -> None:
    doc, findings = read.read_document(write_docx(tmp_path / "accounts.docx"))
    assert doc is not None and findings == []
    lines = [line for line in doc.lines if line]
    assert lines[:4] == [*TITLE, "一般公共预算财政拨款支出决算表", "单位：万元"]
    assert lines[4] == "项目\t\t\t\t合计\t基本支出\t项目支出"
    assert lines[8] == "\t06\t\t财政事务\t120.50\t100.00\t20.50"  # the 类 cell merged down: empty below
    assert lines[-1] == NARRATIVE
    assert doc.pages is None and doc.tables_found == 1


def test_docx_goes_through_every_stage(tmp_path: Path) -> None:
    db, _ = build(tmp_path, write_docx(tmp_path / "accounts.docx"))
    got = function_rows(db)
    assert got["2010601"] == ("actual", 100.0, 100.0, None, None, None)
    assert got["total"][1:5] == (120.5, 100.0, 20.5, 130.0)


# --- Excel ----------------------------------------------------------------------------------------


def write_xlsx(path: Path) -> Path:
    """A 部门预算 sheet in 元 with merged title and heading cells, and a sentence in 万元 below it."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "支出预算"
    grid = [
        ["上海市普陀区测试局2024年部门预算", "", "", "", "", "", ""],
        ["2024年部门支出预算总表", "", "", "", "", "", ""],
        ["编制部门：上海市普陀区测试局", "", "", "", "", "", "单位：元"],
        ["项目", "", "", "", "支出预算", "", ""],
        ["功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出", "项目支出"],
        ["类", "款", "项", "", "", "", ""],
        ["201", "", "", "一般公共服务支出", 1205000.5, 1005000.5, 200000],
        ["201", "03", "", "政府办公厅（室）及相关机构事务", 1205000.5, 1005000.5, 200000],
        ["201", "03", "01", "行政运行", 1205000.5, 1005000.5, 200000],
        ["合计", "", "", "", 1205000.5, 1005000.5, 200000],
        ["2024年“三公”经费预算数为1.50万元，其中：公务接待费1.50万元。", "", "", "", "", "", ""],
    ]
    for values in grid:
        sheet.append([v if v != "" else None for v in values])
    sheet.merge_cells("A1:G1")
    sheet.merge_cells("A2:G2")
    sheet.merge_cells("E4:G4")
    sheet.merge_cells("A4:D4")
    book.save(path)
    return path


def test_xlsx_merged_cells_and_units(tmp_path: Path) -> None:
    doc, findings = read.read_document(write_xlsx(tmp_path / "budget.xlsx"))
    assert doc is not None and findings == []
    lines = doc.lines
    assert lines[0] == "上海市普陀区测试局2024年部门预算"  # a merged title: one cell, the rest empty
    assert "项目\t\t\t\t支出预算" in lines
    assert "201\t03\t01\t行政运行\t1205000.5\t1005000.5\t200000" in lines
    db, _ = build(tmp_path, tmp_path / "budget.xlsx")
    assert rows(db, "SELECT doc_type, department, fiscal_year FROM reports") == [("budget", "上海市普陀区测试局", 2024)]
    got = function_rows(db)
    # the table is in 元, the sentence in 万元: both land in 万元
    assert got["2010301"][:4] == ("budget", 120.50005, 100.50005, 20.0)
    assert rows(db, "SELECT basis, item, budget, actual FROM three_public ORDER BY item") == [
        ("budget", "reception", 1.5, None),
        ("budget", "total", 1.5, None),
    ]


# --- the build summary ----------------------------------------------------------------------------


@pytest.mark.ocr  # includes a blank scan, which goes through the OCR engine
def test_build_summary_lists_structured_files_only_when_there_are_some(tmp_path: Path) -> None:
    _, summary = build(tmp_path, write_pdf(tmp_path / "accounts.pdf"), write_scan(tmp_path / "scan.pdf"))
    text = cli.format_summary(summary)
    assert "各文件：" in text
    table = {line.split()[0]: line.split()[1:] for line in text.splitlines()[text.splitlines().index("各文件：") + 1 :]}
    assert table["accounts.pdf"] == ["2", "1", "7", "0/0/0"]
    assert table["scan.pdf"] == ["—", "—", "未读取", "1/0/0"]
    note = tmp_path / "notes" / "report.txt"
    note.parent.mkdir()
    note.write_text("遵义市教育局2022年度部门决算\n", encoding="utf-8")
    _, text_only = build(tmp_path / "notes", note)
    assert "各文件" not in cli.format_summary(text_only)


# --- renderer helpers ------------------------------------------------------------------------------


def test_cells_are_flattened_without_breaking_chinese_words() -> None:
    assert flatten_cell("本年收入合\n计") == "本年收入合计"
    assert flatten_cell("Total\nincome") == "Total income"
    assert flatten_cell("a\tb") == "a b"
    assert join_row(["201", None, "", "x"]) == "201\t\t\tx"
    assert join_row(["", None]) == ""


def test_page_map_of_a_document() -> None:
    doc = Document(Path("x.pdf"), "x.pdf", "0", 0, "", "pdf", "a\nb\nc\nd\n", page_starts=(1, 3, 3, 4))
    assert [doc.page_of(n) for n in (1, 2, 3, 4, 5)] == [1, 1, 3, 4, 4]  # page 2 is empty
    assert doc.pages == 4
    text = Document(Path("x.txt"), "x.txt", "0", 0, "utf-8", "txt", "a\n")
    assert text.pages is None and text.page_of(1) is None
