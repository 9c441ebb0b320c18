"""Scanned PDFs read by offline OCR (RapidOCR, models from its wheel): a page image drawn with Pillow
in a Chinese font, saved as an image-only PDF, comes back as lines with table cells tab-separated,
an `ocr_used` info finding and its page map. Skipped without rapidocr or a CJK font."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from fiscallens import read
from fiscallens.formats import ocr
from fiscallens.formats.ocr import Box, rebuild_lines

pytestmark = pytest.mark.ocr


def cjk_font() -> str | None:
    if not shutil.which("fc-match"):
        return None
    found = subprocess.run(
        ["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return found if "CJK" in found and Path(found).is_file() else None


def write_scan_with_text(path: Path) -> Path:
    """Two scanned A5 pages at 150 dpi: the title on page 1, a table row on page 2."""
    from PIL import Image, ImageDraw, ImageFont

    font = cjk_font()
    if font is None:
        pytest.skip("no Noto Sans CJK font (fonts-noto-cjk)")
    big, small = ImageFont.truetype(font, 44), ImageFont.truetype(font, 30)
    first = Image.new("RGB", (874, 1240), "white")
    ImageDraw.Draw(first).text((120, 200), "某市某局2023年度部门决算", font=big, fill="black")
    second = Image.new("RGB", (874, 1240), "white")
    draw = ImageDraw.Draw(second)
    draw.text((80, 150), "一般公共预算财政拨款支出决算表", font=small, fill="black")
    for x, cell in ((80, "2010601"), (300, "行政运行"), (620, "1,511.89")):
        draw.text((x, 260), cell, font=small, fill="black")
    first.save(path, "PDF", resolution=150, save_all=True, append_images=[second])
    return path


def test_rows_are_rebuilt_from_boxes_with_tabs_at_wide_gaps() -> None:
    boxes = [
        Box("1,511.89", 600, 101, 700, 131),
        Box("2010601", 80, 100, 180, 130),
        Box("行政运行", 300, 98, 420, 132),
        Box("合计", 80, 200, 140, 230),
        Box("Total", 80, 300, 150, 330),
        Box("2023", 160, 302, 220, 331),
        Box("年度", 225, 300, 280, 330),
    ]
    assert rebuild_lines(boxes) == ["2010601\t行政运行\t1,511.89", "合计", "Total 2023年度"]


def test_a_scan_is_read_by_ocr_with_a_finding_and_its_pages(tmp_path: Path) -> None:
    pytest.importorskip("rapidocr")
    pytest.importorskip("onnxruntime")
    scan = write_scan_with_text(tmp_path / "scan.pdf")
    doc, findings = read.read_document(scan)
    assert doc is not None, findings
    assert [(f.rule, f.severity) for f in findings] == [("ocr_used", "info")]
    assert "RapidOCR" in findings[0].message and "读取 2 页" in findings[0].message
    assert doc.pages == 2 and doc.page_starts[0] == 1
    row = next(i for i, line in enumerate(doc.lines, start=1) if "行政运行" in line)
    assert "1,511.89" in doc.lines[row - 1] or "1511.89" in doc.lines[row - 1]
    assert doc.lines[row - 1].split("\t")[0] == "2010601"
    assert doc.page_of(row) == 2
    assert doc.page_of(1) == 1 and "2023年度" in doc.lines[0]


def test_the_models_come_from_the_wheel_not_a_download() -> None:
    pytest.importorskip("rapidocr")
    models = ocr.model_dir()
    assert all((models / name).is_file() for name in ocr._MODELS.values())


def test_without_the_engine_a_scan_is_the_old_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    def unavailable(raw: bytes, pages: list[int]) -> dict[int, list[str]]:
        raise ocr.OcrUnavailable("rapidocr 不可用（ImportError）")

    monkeypatch.setattr(ocr, "read_pages", unavailable)
    scan = tmp_path / "scan.pdf"
    Image.new("RGB", (200, 300), "white").save(scan, "PDF", resolution=72)
    doc, findings = read.read_document(scan)
    assert doc is None
    assert [(f.rule, f.severity, f.message) for f in findings] == [
        (
            "pdf_scanned",
            "error",
            "扫描件，无文字层，未提取：全部 1 页都是图像（扫描件），没有可读取的文字层；"
            "本系统不做文字识别（OCR），请取得带文字层的 PDF 或文本版后再导入。",
        )
    ]

    def broken(raw: bytes, pages: list[int]) -> dict[int, list[str]]:
        raise RuntimeError("onnx")

    monkeypatch.setattr(ocr, "read_pages", broken)
    scan.write_bytes(scan.read_bytes() + b"\n")  # other bytes: not the render cache's entry
    _, findings = read.read_document(scan)
    assert [f.rule for f in findings] == ["pdf_scanned"]
    assert "扫描件，无文字层，未提取" in findings[0].message and "RuntimeError" in findings[0].message
