"""Hostile files are bounded (issue 14): a zip bomb in an .xlsx/.docx is refused from its central
directory before anything is unpacked; a page too large to draw for OCR is drawn smaller or skipped,
decided from its size before drawing; reading one file runs in a child process under a time and a
memory limit. Each case gets one error finding and no document, and the build goes on.

The hostile files are made here, small: the bombs are real deflate streams (about 1,000 to 1) written
in chunks, and the huge pages are 100-pixel images declared at 1 dpi. The OCR engine and pdfium's
drawing are stood in for, so nothing large is ever drawn and no OCR model runs.
"""

from __future__ import annotations

import io
import math
import os
import re
import signal
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from fiscallens import formats, pipeline, read
from fiscallens.formats import ocr
from fiscallens.settings import MAX_ARCHIVE_RATIO, MAX_ARCHIVE_UNPACKED_BYTES, OCR_MAX_PIXELS, OCR_MIN_DPI
from fiscallens.warehouse import connect_readonly

_MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"


def workbook_bytes(**cells: object) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "上海市普陀区测试局2024年部门预算"
    for ref, value in cells.items():
        sheet[ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def repack(raw: bytes, path: Path, padded: str | None = None, pad_bytes: int = 0, extra_entries: int = 0) -> Path:
    """The zip `raw` rewritten to `path`, with `pad_bytes` of blanks streamed into the XML entry `padded`
    just after its root's first child opens (valid XML that deflates about 1,000 to 1), and
    `extra_entries` tiny entries added."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename != padded:
                out.writestr(info, data)
                continue
            cut = re.search(rb"<[A-Za-z][^>]*>", data).end()  # type: ignore[union-attr]  # the root's start tag
            with out.open(info.filename, "w") as entry:
                entry.write(data[:cut])
                chunk = b" " * _MB
                for _ in range(pad_bytes // _MB):
                    entry.write(chunk)
                entry.write(data[cut:])
        for number in range(extra_entries):
            out.writestr(f"customXml/item{number}.xml", "<a/>")
    return path


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("上海市普陀区测试局2023年度部门决算")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def only_error(findings: list, rule: str) -> str:
    assert [(f.rule, f.severity) for f in findings] == [(rule, "error")], findings
    return findings[0].message


# --- Zip bombs ----------------------------------------------------------------------------------


def test_an_xlsx_zip_bomb_is_refused_by_its_unpacked_size(tmp_path: Path) -> None:
    bomb = repack(workbook_bytes(), tmp_path / "bomb.xlsx", SHEET, MAX_ARCHIVE_UNPACKED_BYTES + 10 * _MB)
    assert bomb.stat().st_size < 200_000  # packs about 1,000 to 1
    started = time.perf_counter()
    doc, findings = read.read_document(bomb)
    assert doc is None
    message = only_error(findings, "archive_too_large")
    assert "Excel" in message and "压缩炸弹" in message and f"上限 {MAX_ARCHIVE_UNPACKED_BYTES // _MB} MB" in message
    assert time.perf_counter() - started < 5


def test_the_limits_are_read_from_the_central_directory_before_any_entry_is_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fiscallens.formats.xlsx import read_xlsx

    bomb = repack(workbook_bytes(), tmp_path / "bomb.xlsx", SHEET, MAX_ARCHIVE_UNPACKED_BYTES + 10 * _MB).read_bytes()

    def no_unpacking(*args: object, **kwargs: object) -> None:
        raise AssertionError("an entry was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_unpacking)
    with pytest.raises(formats.FormatError) as refused:
        read_xlsx(bomb)  # in this process: nothing may be unpacked
    assert refused.value.rule == "archive_too_large"


def test_a_docx_entry_packed_like_a_bomb_is_refused_by_its_ratio(tmp_path: Path) -> None:
    ordinary = tmp_path / "ordinary.docx"
    ordinary.write_bytes(docx_bytes())
    doc, findings = read.read_document(ordinary)
    assert doc is not None and findings == []
    bomb = repack(docx_bytes(), tmp_path / "bomb.docx", "word/document.xml", 8 * _MB)
    doc, findings = read.read_document(bomb)
    assert doc is None
    message = only_error(findings, "archive_too_large")
    assert "Word" in message and "word/document.xml" in message and f"上限 {MAX_ARCHIVE_RATIO} 比 1" in message


def test_an_xlsx_with_thousands_of_entries_is_refused(tmp_path: Path) -> None:
    ordinary = repack(workbook_bytes(B2=1.5), tmp_path / "ordinary.xlsx", extra_entries=50)
    doc, findings = read.read_document(ordinary)
    assert doc is not None and findings == []
    crowded = repack(workbook_bytes(), tmp_path / "crowded.xlsx", extra_entries=6_000)
    doc, findings = read.read_document(crowded)
    assert doc is None
    assert "部件" in only_error(findings, "archive_too_large")


def test_a_sheet_range_larger_than_the_cell_limit_is_refused_before_it_is_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One far-off cell makes openpyxl's used range rows x columns: T1000 is 20,000 slots.
    monkeypatch.setattr("fiscallens.formats.xlsx.MAX_SHEET_CELLS", 10_000, raising=False)
    path = tmp_path / "sparse.xlsx"
    path.write_bytes(workbook_bytes(T1000="x"))
    doc, findings = read.read_document(path)
    assert doc is None
    message = only_error(findings, "sheet_too_large")
    assert "1,000 行 × 20 列" in message and "上限 10,000 个" in message


def test_the_build_goes_on_past_a_bomb(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    repack(workbook_bytes(), folder / "bomb.xlsx", extra_entries=6_000)
    report = next(Path("data/reports").glob("*.txt"), None)
    if report is None:
        pytest.skip("no bundled text report")
    (folder / report.name).write_bytes(report.read_bytes())
    db = tmp_path / "w.duckdb"
    summary = pipeline.build([folder], db, rebuild=True)
    assert summary.written and summary.documents_read == 1 and summary.documents_failed == 1
    con = connect_readonly(db)
    try:
        flags = con.execute("SELECT rule, severity, source_file FROM quality_flags WHERE rule = 'archive_too_large'")
        assert [(rule, severity, Path(source).name) for rule, severity, source in flags.fetchall()] == [
            ("archive_too_large", "error", "bomb.xlsx")
        ]
    finally:
        con.close()


# --- Pages too large to draw for OCR -------------------------------------------------------------


def test_the_ocr_scale_is_decided_from_the_page_size_within_the_pixel_budget() -> None:
    a4 = (595.0, 842.0)
    assert ocr.render_scale(*a4) == ocr.OCR_DPI / 72
    huge = 100 * 72.0  # a 100-inch page at 200 dpi would be 400 million pixels
    assert ocr.render_scale(huge, huge) is None
    large = 40 * 72.0
    scale = ocr.render_scale(large, large)
    assert scale is not None and OCR_MIN_DPI <= scale * 72 < ocr.OCR_DPI
    assert math.ceil(large * scale) ** 2 <= OCR_MAX_PIXELS
    # a long strip one point wide still fits
    strip = ocr.render_scale(1.0, 500_000.0)
    assert strip is None or math.ceil(strip) * math.ceil(500_000 * strip) <= OCR_MAX_PIXELS
    assert ocr.render_scale(0.0, 842.0) is None and ocr.render_scale(float("nan"), 842.0) is None


def image_pdf(path: Path, inches: float) -> Path:
    """An image-only PDF whose one page is `inches` square: a 100-pixel image declared at 100/inches dpi."""
    from PIL import Image

    Image.new("RGB", (100, 100), "white").save(path, "PDF", resolution=100 / inches)
    return path


@pytest.fixture
def stand_in_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfium draws nothing large and the engine reads back the size it was asked to draw; a drawing
    over the pixel budget fails as it would for real (MemoryError)."""
    import pypdfium2
    from PIL import Image

    asked: list[tuple[int, int]] = []

    def render(page: object, scale: float = 1, **kwargs: object) -> SimpleNamespace:
        width, height = page.get_size()  # type: ignore[attr-defined]
        size = (math.ceil(width * scale), math.ceil(height * scale))
        if size[0] * size[1] > OCR_MAX_PIXELS:
            raise MemoryError(f"{size} pixels")
        asked.append(size)
        return SimpleNamespace(to_pil=lambda: Image.new("RGB", (8, 8), "white"))

    def engine(image: object, use_cls: bool = True) -> SimpleNamespace:
        width, height = asked[-1]
        text = f"上海市普陀区测试局2023年度部门决算 {width}x{height}"
        return SimpleNamespace(boxes=[[(0, 0), (900, 0), (900, 40), (0, 40)]], txts=[text])

    monkeypatch.setattr(pypdfium2.PdfPage, "render", render)
    monkeypatch.setattr(ocr, "engine", lambda: engine)


def test_a_100_inch_scanned_page_is_not_drawn(tmp_path: Path, stand_in_ocr: None) -> None:
    path = image_pdf(tmp_path / "huge.pdf", 100)
    assert path.stat().st_size < 3000
    doc, findings = read.read_document(path)
    assert doc is None
    message = only_error(findings, "pdf_page_too_large")
    assert "第 1 页页面过大（100 × 100 英寸）" in message and "1600 万像素" in message


def test_a_large_scanned_page_is_drawn_smaller_with_a_finding(tmp_path: Path, stand_in_ocr: None) -> None:
    doc, findings = read.read_document(image_pdf(tmp_path / "large.pdf", 40))
    assert doc is not None, findings
    width, height = (int(side) for side in doc.lines[0].split()[-1].split("x"))
    assert width * height <= OCR_MAX_PIXELS and width >= 40 * OCR_MIN_DPI
    assert [(f.rule, f.severity) for f in findings] == [("ocr_used", "info"), ("ocr_reduced", "info")]
    assert "第 1 页页面过大" in findings[1].message


# --- Time and memory per file --------------------------------------------------------------------


def stand_in_reader(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, body: object) -> Path:
    """A .pdf whose reader is `body` (run where the real reader runs)."""

    def reader(raw: bytes, source_file: str = "") -> formats.Rendered:
        body()  # type: ignore[operator]
        return formats.Rendered("上海市普陀区测试局2023年度部门决算\n")

    monkeypatch.setattr("fiscallens.formats.pdf.read_pdf", reader)
    path = tmp_path / f"slow-{time.monotonic_ns()}.pdf"
    path.write_bytes(b"%PDF-1.4 " + os.urandom(16))  # other bytes each time: not the render cache's entry
    return path


def test_a_file_over_its_time_limit_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "FILE_READ_SECONDS", 0.5, raising=False)
    path = stand_in_reader(monkeypatch, tmp_path, lambda: time.sleep(4))
    started = time.perf_counter()
    doc, findings = read.read_document(path)
    assert doc is None
    assert "文件解析超时" in only_error(findings, "file_timeout")
    assert time.perf_counter() - started < 3


def test_each_ocr_page_begun_extends_the_time_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "FILE_READ_SECONDS", 0.5, raising=False)
    monkeypatch.setattr(read, "OCR_PAGE_SECONDS", 3.0, raising=False)

    def two_pages() -> None:
        for _ in range(2):
            formats.report_progress()
            time.sleep(0.4)

    doc, findings = read.read_document(stand_in_reader(monkeypatch, tmp_path, two_pages))
    assert doc is not None and findings == []


def test_a_file_over_its_memory_limit_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "FILE_READ_MEMORY_BYTES", 100 * _MB, raising=False)
    path = stand_in_reader(monkeypatch, tmp_path, lambda: bytearray(400 * _MB))
    doc, findings = read.read_document(path)
    assert doc is None
    assert "超出内存限制（100 MB）" in only_error(findings, "file_memory")


def test_a_reader_killed_outright_is_a_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    test_process = os.getpid()

    def killed() -> None:
        if os.getpid() == test_process:  # never kill the test run itself (reading in-process)
            raise RuntimeError("read in the test's own process")
        os.kill(os.getpid(), signal.SIGKILL)  # what the kernel's OOM killer does

    doc, findings = read.read_document(stand_in_reader(monkeypatch, tmp_path, killed))
    assert doc is None
    assert "SIGKILL" in only_error(findings, "file_crashed")
