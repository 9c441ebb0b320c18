"""Offline text recognition (OCR) of scanned PDF pages: RapidOCR (Apache-2.0) on onnxruntime.

Used only for a PDF none of whose pages has a text layer (see `pdf.read_pdf`). Each page is drawn
to an image with pypdfium2 (installed with pdfplumber) at `OCR_DPI`, RapidOCR finds and reads the
text boxes, and the boxes are rebuilt into lines: boxes that overlap vertically form one row, left
to right; a wide gap between two boxes is a tab (table cells, as the table readers expect), a
narrow one nothing between Chinese characters and a space between Latin words or numbers.

The Chinese detection, direction and recognition models are the ONNX files shipped inside the
rapidocr wheel; the engine is given their paths explicitly, so it never downloads anything (RapidOCR
downloads a model only when no path is set). The engine is made on first use, once per process,
never at import. When rapidocr, onnxruntime or the models are missing, `OcrUnavailable` is raised and
the caller keeps its no-OCR behaviour.
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from fiscallens.formats import CELL_SEPARATOR, _is_wide, report_progress
from fiscallens.settings import OCR_MAX_PIXELS, OCR_MIN_DPI

# Page image resolution: 200 dpi reads 9-point table digits reliably.
OCR_DPI = 200
# Text detection works on the page scaled so its longer side is this many pixels (speed vs. small
# print: 1280 px keeps a 200-dpi A4 page's 9-point text readable at about half the time of full size).
DET_SIDE_LEN = 1280
# Boxes whose vertical overlap is at least this share of the shorter box are on one row.
ROW_OVERLAP = 0.5
# A horizontal gap wider than this many text heights between two boxes of a row separates cells.
TAB_GAP = 1.2
# The model files inside the rapidocr wheel (PP-OCRv6 small det/rec, PP-OCRv4 mobile direction).
_MODELS = {
    "Det": "PP-OCRv6_det_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
}


class OcrUnavailable(Exception):
    """No OCR engine in this installation (rapidocr / onnxruntime / models missing)."""


_engine: Any = None
_engine_error: OcrUnavailable | None = None
_lock = threading.Lock()
_run_lock = threading.Lock()  # a RapidOCR call sets per-call options on the shared engine: one at a time


def _forget_engine() -> None:
    """In a forked child: an onnxruntime session does not survive fork (its thread pool stays behind),
    and a lock another thread held at the fork would never be released; the child makes its own."""
    global _engine, _engine_error, _lock, _run_lock
    _engine, _engine_error = None, None
    _lock, _run_lock = threading.Lock(), threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_engine)


@dataclass(frozen=True)
class Box:
    """One recognised text box, in page-image pixels."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)


def model_dir() -> Path:
    """Where the rapidocr wheel keeps its models (raises OcrUnavailable without rapidocr)."""
    try:
        import rapidocr
    except Exception as exc:  # ImportError, or a broken dependency (cv2, onnxruntime) failing at import
        raise OcrUnavailable(f"rapidocr 不可用（{type(exc).__name__}）") from exc
    return Path(rapidocr.__file__).parent / "models"


def engine() -> Any:
    """The process's RapidOCR engine, made on first use. Raises OcrUnavailable."""
    global _engine, _engine_error
    with _lock:
        if _engine is not None:
            return _engine
        if _engine_error is not None:
            raise _engine_error
        try:
            _engine = _make_engine()
        except OcrUnavailable as exc:
            _engine_error = exc
            raise
        return _engine


def _make_engine() -> Any:
    models = model_dir()
    params: dict[str, Any] = {
        "Global.log_level": "warning",
        "Det.limit_type": "max",
        "Det.limit_side_len": DET_SIDE_LEN,
    }
    for stage, name in _MODELS.items():
        path = models / name
        if not path.is_file():  # without a path RapidOCR would download the model: never
            raise OcrUnavailable(f"rapidocr 的模型文件缺失（{name}）")
        params[f"{stage}.model_path"] = str(path)
    try:
        import onnxruntime  # noqa: F401  (rapidocr does not require it; say so plainly when absent)
        from rapidocr import RapidOCR

        return RapidOCR(params=params)
    except Exception as exc:
        raise OcrUnavailable(f"离线文字识别引擎无法启动（{type(exc).__name__}）") from exc


def render_scale(width: float, height: float) -> float | None:
    """The scale a page of `width` x `height` points is drawn at for OCR, decided before drawing it.

    OCR_DPI, lowered so that the image has at most OCR_MAX_PIXELS pixels (a 100-inch page at 200 dpi
    would be 400 million pixels, gigabytes of memory); None when even that would be under OCR_MIN_DPI,
    too coarse to read: the page is skipped.
    """
    if not (math.isfinite(width) and math.isfinite(height)) or width <= 0 or height <= 0:
        return None
    scale = OCR_DPI / 72
    if math.ceil(width * scale) * math.ceil(height * scale) <= OCR_MAX_PIXELS:
        return scale
    scale = math.sqrt(OCR_MAX_PIXELS / (width * height)) * 0.999  # pdfium rounds each side up
    while scale * 72 >= OCR_MIN_DPI and math.ceil(width * scale) * math.ceil(height * scale) > OCR_MAX_PIXELS:
        scale *= 0.99
    return scale if scale * 72 >= OCR_MIN_DPI else None


def page_sizes(raw: bytes, pages: list[int]) -> dict[int, tuple[float, float]]:
    """Width and height in points, as pdfium draws them (crop box, rotation), of the given 1-based pages."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(raw)
    try:
        sizes = {}
        for number in pages:
            page = pdf[number - 1]
            try:
                sizes[number] = page.get_size()
            finally:
                page.close()
        return sizes
    finally:
        pdf.close()


def read_pages(raw: bytes, pages: list[int]) -> dict[int, list[str]]:
    """The text lines OCR reads on each of the given 1-based pages of a PDF.

    A page too large to draw within the pixel budget (`render_scale` None) is not read; the caller
    finds those with `page_sizes` and says so.
    Raises OcrUnavailable when there is no engine; other errors (a page pdfium cannot draw) propagate.
    """
    import numpy as np
    import pypdfium2

    ocr = engine()
    out: dict[int, list[str]] = {}
    pdf = pypdfium2.PdfDocument(raw)
    try:
        for number in pages:
            page = pdf[number - 1]
            try:
                scale = render_scale(*page.get_size())
                if scale is None:
                    continue
                report_progress()  # each page has a time limit of its own (OCR_PAGE_SECONDS)
                image = page.render(scale=scale).to_pil().convert("RGB")
            finally:
                page.close()
            with _run_lock:
                result = ocr(np.asarray(image), use_cls=True)
            out[number] = rebuild_lines(_boxes(result))
    finally:
        pdf.close()
    return out


def _boxes(result: Any) -> list[Box]:
    if result is None or result.boxes is None or result.txts is None:
        return []
    boxes = []
    for quad, text in zip(result.boxes, result.txts, strict=False):
        text = " ".join(str(text).split())
        if not text:
            continue
        xs = [float(p[0]) for p in quad]
        ys = [float(p[1]) for p in quad]
        boxes.append(Box(text, min(xs), min(ys), max(xs), max(ys)))
    return boxes


def rebuild_lines(boxes: list[Box]) -> list[str]:
    """Boxes → lines, top to bottom: rows by vertical overlap, boxes left to right, tabs at wide gaps."""
    rows: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        row = rows[-1] if rows else None
        if row is not None:
            top, bottom = min(b.top for b in row), max(b.bottom for b in row)
            overlap = min(bottom, box.bottom) - max(top, box.top)
            if overlap >= ROW_OVERLAP * min(box.height, bottom - top):
                row.append(box)
                continue
        rows.append([box])
    lines = []
    for row in rows:
        row.sort(key=lambda b: b.x0)
        height = sorted(b.height for b in row)[len(row) // 2]
        line = row[0].text
        for previous, box in pairwise(row):
            gap = box.x0 - previous.x1
            if gap > TAB_GAP * height:
                line += CELL_SEPARATOR
            elif not (_is_wide(line[-1]) or _is_wide(box.text[0])):
                line += " "
            line += box.text
        lines.append(line)
    return lines
