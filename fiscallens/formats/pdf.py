"""PDF with a text layer → text, tables as cell grids, and the page each line is on.

pdfplumber (MIT) finds the tables from the ruling lines of each page; every table row becomes a
line of tab-separated cells, so codes printed in 类 / 款 / 项 columns arrive as `201\t06\t01`
(the function-table reader joins them to 2010601). Text outside the tables becomes lines.
bench/README.md records why pdfplumber and not PyMuPDF (cell quality, speed, licence).

Lines are built from the characters' baselines, not their boxes: in Chinese government PDFs the
digits are set in a Latin font whose box sits lower than the Chinese glyphs beside them, and
grouping by box top (what pdfplumber's `extract_text` does) tears "收入合计2946.25万元" into two
lines with the number below. A gap of two character widths inside a line (a label and its
value, set apart) becomes a tab, a smaller one a space. A page whose text runs down or up it (a
landscape table on a page turned with /Rotate) is turned into its reading frame first.

A PDF whose pages are only images (a scan) has no text layer. When the offline OCR engine is
installed (rapidocr, `fiscallens/formats/ocr.py`) and the scan has at most `MAX_OCR_PAGES` pages, its
pages are read by OCR and the document carries an `ocr_used` info finding; otherwise — or when OCR
reads nothing — it is an error finding ("扫描件，无文字层，未提取"), never an empty report. Each page's
drawing size is decided from its size before it is drawn (`ocr.render_scale`, within OCR_MAX_PIXELS):
a page too large is drawn at a lower resolution, or skipped with a `pdf_page_too_large` finding.
"""

from __future__ import annotations

import io
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

from fiscallens.formats import CELL_SEPARATOR, FormatError, Rendered, flatten_cell, join_row
from fiscallens.model import Finding
from fiscallens.settings import MAX_PDF_PAGES, OCR_MAX_PIXELS, OCR_MIN_DPI

Char = dict[str, Any]

# Character gaps, in multiples of the font size: a wider gap inside a line is a tab (separate
# columns of a table drawn without ruling lines, "编制部门：…    单位：元"), a narrower one a space.
TAB_GAP = 2.0
SPACE_GAP = 0.3
# Characters whose baselines differ by less than this share of the font size are on one line.
BASELINE_TOLERANCE = 0.35
# The same glyph drawn again this close to itself is fake bold (overprinting), kept once.
OVERPRINT_TOLERANCE = 0.2
# A text layer made only of unmapped glyphs ("(cid:1234)") cannot be read.
MAX_UNMAPPED_SHARE = 0.5

SCANNED_MESSAGE = "扫描件，无文字层，未提取"
# A scan with more pages than this is not read by OCR (a few seconds a page): it stays an error.
MAX_OCR_PAGES = 60


def read_pdf(raw: bytes, source_file: str = "") -> Rendered:
    """Render a PDF. Raises FormatError for a scan, an encrypted or a broken file."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(raw))
    except Exception as exc:  # pdfminer raises many types for broken or encrypted files
        raise FormatError("pdf_unreadable", _unreadable(exc)) from exc
    with pdf:
        try:
            pages = pdf.pages
        except Exception as exc:
            raise FormatError("pdf_unreadable", _unreadable(exc)) from exc
        if len(pages) > MAX_PDF_PAGES:
            raise FormatError(
                "file_too_large",
                f"PDF 共 {len(pages)} 页（上限 {MAX_PDF_PAGES} 页），不像一份预决算或绩效报告，未入库。",
            )
        lines: list[str] = []
        page_starts: list[int] = []
        tables = 0
        image_only: list[int] = []
        chars_total = unmapped = 0
        for number, page in enumerate(pages, start=1):
            page_starts.append(len(lines) + 1)
            try:
                chars = page.chars
                if not chars:
                    if page.images:
                        image_only.append(number)
                    continue
                chars_total += len(chars)
                unmapped += sum(1 for c in chars if c["text"].startswith("(cid:"))
                page_lines, page_tables = _render_page(page, chars)
            except Exception as exc:
                raise FormatError(
                    "pdf_unreadable", f"PDF 第 {number} 页无法解析（{type(exc).__name__}），未入库。"
                ) from exc
            finally:
                page.close()
            lines.extend(page_lines)
            tables += page_tables
    if chars_total == 0:
        if image_only:
            return _read_scan(raw, len(pages), image_only, source_file)
        raise FormatError("file_empty", f"PDF 共 {len(pages)} 页，没有任何文字，未入库。")
    if unmapped / chars_total > MAX_UNMAPPED_SHARE:
        raise FormatError(
            "pdf_text_unmapped",
            "PDF 的文字层缺少字符编码映射（字体未嵌入 ToUnicode），取出的只是字形编号，无法识别文字，未入库。",
        )
    findings = []
    if image_only:
        findings.append(
            Finding(
                "pdf_pages_scanned",
                "warning",
                f"第 {_page_list(image_only)} 页是图像（{SCANNED_MESSAGE}），这些页上的数字不在仓库中。",
                source_file=source_file or None,
            )
        )
    return Rendered("\n".join(lines) + "\n", tuple(page_starts), tables, findings)


def _read_scan(raw: bytes, page_count: int, image_pages: list[int], source_file: str) -> Rendered:
    """A PDF with no text layer: its image pages read by offline OCR, or the `pdf_scanned` error."""
    head = f"{SCANNED_MESSAGE}：全部 {page_count} 页都是图像（扫描件），没有可读取的文字层；"
    advice = "请取得带文字层的 PDF 或文本版后再导入。"
    if page_count > MAX_OCR_PAGES:
        raise FormatError("pdf_scanned", f"{head}页数超过文字识别（OCR）的上限 {MAX_OCR_PAGES} 页，未做识别；{advice}")
    from fiscallens.formats import ocr  # standard library only at import: the engine loads on first use

    try:
        # The pixel budget is decided from each page's size before anything is drawn.
        sizes = ocr.page_sizes(raw, image_pages)
        scales = {number: ocr.render_scale(*sizes[number]) for number in image_pages}
        drawn = [number for number in image_pages if scales[number] is not None]
        read = ocr.read_pages(raw, drawn) if drawn else {}
    except ocr.OcrUnavailable:  # rapidocr, onnxruntime or its models not installed: the no-OCR behaviour
        raise FormatError("pdf_scanned", f"{head}本系统不做文字识别（OCR），{advice}") from None
    except Exception as exc:
        raise FormatError(
            "pdf_scanned", f"{head}离线文字识别（RapidOCR）出错（{type(exc).__name__}），未能读取；{advice}"
        ) from exc
    oversized = _oversized_pages(sizes, scales)
    if not drawn:
        raise FormatError("pdf_page_too_large", f"{head}{oversized}；{advice}")
    lines: list[str] = []
    page_starts: list[int] = []
    for number in range(1, page_count + 1):
        page_starts.append(len(lines) + 1)
        lines.extend(line for line in read.get(number, []) if line.strip())
    if not lines:
        raise FormatError("pdf_scanned", f"{head}离线文字识别（RapidOCR）也未识别出文字；{advice}")
    read_count = sum(1 for number in image_pages if read.get(number))
    finding = Finding(
        "ocr_used",
        "info",
        f"扫描件（无文字层），已用离线文字识别（RapidOCR）读取 {read_count} 页；识别结果可能有误，请核对原件。",
        source_file=source_file or None,
    )
    findings = [finding]
    if oversized:
        findings.append(
            Finding(
                "pdf_page_too_large",
                "warning",
                f"{oversized}，这些页上的数字不在仓库中。",
                source_file=source_file or None,
            )
        )
    reduced = {n: scale for n, scale in scales.items() if scale is not None and scale < ocr.OCR_DPI / 72}
    if reduced:
        dpi = round(min(reduced.values()) * 72)
        findings.append(
            Finding(
                "ocr_reduced",
                "info",
                f"第 {_page_list(sorted(reduced))} 页页面过大，按较低分辨率（最低约 {dpi} dpi，"
                f"每页至多 {OCR_MAX_PIXELS // 10_000} 万像素）做文字识别，小字可能识别有误，请核对原件。",
                source_file=source_file or None,
            )
        )
    return Rendered("\n".join(lines) + "\n", tuple(page_starts), 0, findings)


def _oversized_pages(sizes: dict[int, tuple[float, float]], scales: dict[int, float | None]) -> str:
    """'第 N 页页面过大（W × H 英寸）…' for the pages too large to draw for OCR; '' when there are none."""
    skipped = [number for number, scale in scales.items() if scale is None]
    if not skipped:
        return ""
    width, height = (side / 72 for side in sizes[skipped[0]])
    which = f"第 {skipped[0]} 页 " if len(skipped) > 1 else ""
    return (
        f"第 {_page_list(skipped)} 页页面过大（{which}{width:,.0f} × {height:,.0f} 英寸），"
        f"绘制成图像超过文字识别的像素上限（每页 {OCR_MAX_PIXELS // 10_000} 万像素，"
        f"不低于 {OCR_MIN_DPI} dpi），未做识别"
    )


def _unreadable(exc: Exception) -> str:
    name = type(exc).__name__
    if "Password" in name or "Encrypt" in name or "password" in str(exc).lower():
        return "PDF 已加密（需要密码），无法读取，未入库。"
    return f"PDF 文件已损坏或不是有效的 PDF（{name}），无法读取，未入库。"


def _page_list(pages: list[int]) -> str:
    return "、".join(str(p) for p in pages)


def _render_page(page: Any, chars: list[Char]) -> tuple[list[str], int]:
    """The lines of one page, top to bottom: text lines and table rows interleaved by position."""
    boxes = [[tuple(cell) for cell in table.cells] for table in page.find_tables()]
    turn = _turn_of(chars, page.width, page.height)
    if turn is not None:
        chars = [turn.char(c) for c in chars]
        boxes = [[turn.box(cell) for cell in cells] for cells in boxes]
    grids = [_Grid(cells) for cells in boxes if cells]
    free: list[Char] = []
    for char in chars:
        x, y = _center(char)
        grid = next((g for g in grids if g.contains(x, y)), None)
        if grid is None or not grid.add(char, x, y):
            free.append(char)
    blocks: list[tuple[float, list[str]]] = [(min(c["top"] for c in line), [_line_text(line)]) for line in _lines(free)]
    found = 0
    for grid in grids:
        rows = grid.rows()
        if rows:
            blocks.append((grid.top, rows))
            found += grid.is_table
    blocks.sort(key=lambda block: block[0])
    return [line for _, block in blocks for line in block if line.strip()], found


class _Turn:
    """Coordinates of a page whose text runs down or up it (a landscape table on a page with /Rotate),
    turned into the reading frame: x along the text, top across it, as on an upright page."""

    def __init__(self, downward: bool, width: float, height: float) -> None:
        self.downward = downward  # text runs down the page (glyph matrix (0, -1, 1, 0)); else up
        self.width = width
        self.height = height

    def box(self, box: tuple[float, ...]) -> tuple[float, float, float, float]:
        x0, top, x1, bottom = box
        if self.downward:  # lines follow one another right to left
            return top, self.width - x1, bottom, self.width - x0
        return self.height - bottom, x0, self.height - top, x1  # lines follow one another left to right

    def char(self, char: Char) -> Char:
        x0, top, x1, bottom = self.box((char["x0"], char["top"], char["x1"], char["bottom"]))
        across = char["matrix"][4]  # the baseline, a vertical line on the page
        base = self.width - across if self.downward else across
        return {**char, "x0": x0, "top": top, "x1": x1, "bottom": bottom, "baseline": base, "upright": True}


def _turn_of(chars: list[Char], width: float, height: float) -> _Turn | None:
    """The turn that makes most of a page's characters upright; None when they already are."""
    down = up = 0
    for char in chars:
        a, b, c, d = char.get("matrix", (1, 0, 0, 1, 0, 0))[:4]
        if abs(a) < 1e-6 and abs(d) < 1e-6:
            down += b < 0 < c
            up += c < 0 < b
    if max(down, up) * 2 <= len(chars):
        return None
    return _Turn(down >= up, width, height)


def _center(char: Char) -> tuple[float, float]:
    return (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2


def _baseline(char: Char) -> float:
    """Distance of a character's baseline from the top of the page.

    `matrix[5]` is the baseline in PDF space (y up); `y1` the box top in the same space, so
    top + (y1 − baseline) is the baseline measured like `top`, whatever the page's size or crop.
    Rotated characters have no horizontal baseline: their box bottom stands in (a page turned into
    its reading frame carries each character's `baseline`).
    """
    if "baseline" in char:
        return char["baseline"]
    if char.get("upright", True) and "matrix" in char:
        return char["top"] + (char["y1"] - char["matrix"][5])
    return char["bottom"]


def _lines(chars: Iterable[Char]) -> list[list[Char]]:
    """Characters grouped into lines by baseline, each line left to right, lines top to bottom."""
    out: list[list[Char]] = []
    current: list[Char] = []
    anchor = 0.0
    for char in sorted(chars, key=_baseline):
        base = _baseline(char)
        tolerance = BASELINE_TOLERANCE * max(char.get("size") or 0.0, 1.0)
        if current and base - anchor > tolerance:
            out.append(current)
            current = []
        if not current:
            anchor = base
        current.append(char)
    if current:
        out.append(current)
    return [sorted(line, key=lambda c: c["x0"]) for line in out]


def _line_text(line: Sequence[Char], tabs: bool = True) -> str:
    """One line's characters as text, with a space or a tab where the gap between them is wide."""
    parts: list[str] = []
    previous: Char | None = None
    for char in line:
        if previous is not None:
            size = max(previous.get("size") or 0.0, char.get("size") or 0.0, 1.0)
            if (
                char["text"] == previous["text"]
                and abs(char["x0"] - previous["x0"]) < OVERPRINT_TOLERANCE * size
                and abs(char["top"] - previous["top"]) < OVERPRINT_TOLERANCE * size
            ):
                continue  # overprinted (fake bold)
            gap = char["x0"] - previous["x1"]
            if gap > TAB_GAP * size and tabs:
                parts.append(CELL_SEPARATOR)
            elif gap > SPACE_GAP * size:
                parts.append(" ")
        parts.append(char["text"])
        previous = char
    return "".join(parts).strip(" ")


class _Grid:
    """One table pdfplumber found: its cells on a grid of column and row edges, and their characters.

    Rows and columns are the distinct edges of all cells, so a merged cell covers several slots; it is
    printed in its first (top-left) slot and the slots it covers stay empty.
    """

    def __init__(self, cells: list[tuple[float, ...]]) -> None:
        self.x0, self.y0 = min(c[0] for c in cells), min(c[1] for c in cells)
        self.x1, self.y1 = max(c[2] for c in cells), max(c[3] for c in cells)
        self.top = self.y0
        self.xs = sorted({c[0] for c in cells} | {c[2] for c in cells})
        self.ys = sorted({c[1] for c in cells} | {c[3] for c in cells})
        self.slots: dict[tuple[int, int], tuple[float, ...]] = {}
        self.first_slot: dict[tuple[float, ...], tuple[int, int]] = {}
        for cell in cells:
            first_row, first_col = self.ys.index(cell[1]), self.xs.index(cell[0])
            self.first_slot[cell] = (first_row, first_col)
            for r in range(first_row, self.ys.index(cell[3])):
                for c in range(first_col, self.xs.index(cell[2])):
                    self.slots[(r, c)] = cell
        self.chars: dict[tuple[float, ...], list[Char]] = {}
        self.is_table = False

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def add(self, char: Char, x: float, y: float) -> bool:
        """File a character under the cell its centre is in; False when it is in no cell."""
        column, row = bisect_right(self.xs, x) - 1, bisect_right(self.ys, y) - 1
        cell = self.slots.get((row, column))
        if cell is None:
            return False
        self.chars.setdefault(cell, []).append(char)
        return True

    def rows(self) -> list[str]:
        """Each row as a line of cells. A merged cell's text stays in its first (top-left) cell."""
        out = []
        filled_columns: set[int] = set()
        for r in range(len(self.ys) - 1):
            cells = []
            for c in range(len(self.xs) - 1):
                cell = self.slots.get((r, c))
                cells.append(self._text(cell) if cell is not None and self.first_slot[cell] == (r, c) else "")
            line = join_row(cells)
            if line:
                out.append(line)
                filled_columns.update(i for i, cell in enumerate(cells) if cell)
        # A table is a grid with text in at least two rows and two columns (not a framed paragraph).
        self.is_table = len(out) >= 2 and len(filled_columns) >= 2
        return out

    def _text(self, cell: tuple[float, ...]) -> str:
        chars = self.chars.get(tuple(cell))
        if not chars:
            return ""
        return flatten_cell("\n".join(_line_text(line, tabs=False) for line in _lines(chars)))
