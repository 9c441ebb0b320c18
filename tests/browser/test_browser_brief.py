"""The 简报 page in Debian's Chromium, as a briefing writer uses it (issue 16, item 6): each of the four
downloads (PDF, PNG, PPTX, DOCX) is clicked, saved and opened with the library Word/PowerPoint files are
read with; and the one-page brief, rendered to SVG by the real renderer, is measured by Chromium itself:
no two pieces of text may overlap, for a region with long names and one without scores."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from browserkit import Tab, settle

from fiscallens import palette
from fiscallens.brief import BriefData, brief_figure, collect
from fiscallens.figure_export import EXPORT_SCALE, SLIDE_HEIGHT, SLIDE_WIDTH, figure_bytes
from fiscallens.warehouse import connect_readonly

REGION, YEAR = "贵阳市", 2023  # the bundled region with execution, 三公 and scores
TITLE = f"{REGION} {YEAR} 年财政绩效简报"
DOWNLOAD_TIMEOUT_MS = 120_000  # the PDF and PNG start the server's renderer on first use
PICTURE_SHAPE = 13  # MSO_SHAPE_TYPE.PICTURE


def _download(tab: Tab, label: str, tmp_path: Path) -> bytes:
    page = tab.page
    page.get_by_role("button", name=f"生成 {label}").click()  # made on request, then offered for download
    ready = page.get_by_role("button", name=f"下载 {label}")
    ready.wait_for(timeout=DOWNLOAD_TIMEOUT_MS)
    with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as info:
        ready.click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert download.suggested_filename == f"{TITLE}.{label.lower()}"
    return path.read_bytes()


def _hex(rgb: object) -> str:
    return f"#{rgb}".lower()


def _pixels(png: bytes) -> set[str]:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    return {"#{:02x}{:02x}{:02x}".format(*c) for _, c in image.getcolors(maxcolors=1 << 24)}


def _check_pdf(data: bytes) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1
        text = re.sub(r"\s+", "", pdf.pages[0].extract_text() or "")
    assert TITLE.replace(" ", "") in text, text[:200]


def _check_png(data: bytes) -> None:
    from PIL import Image

    assert Image.open(io.BytesIO(data)).size == (SLIDE_WIDTH * EXPORT_SCALE, SLIDE_HEIGHT * EXPORT_SCALE)
    pixels = _pixels(data)
    for name in ("执行数 ÷ 全年预算", "执行数 ÷ 年初预算"):
        assert palette.series_color(name).lower() in pixels, f"the {name} bars lost their colour"


def _check_pptx(data: bytes) -> None:
    from pptx import Presentation

    slides = list(Presentation(io.BytesIO(data)).slides)
    assert len(slides) == 4
    assert TITLE in " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert not any(s.shape_type == PICTURE_SHAPE for slide in slides for s in slide.shapes)  # all editable
    execution, trend, scores = (next(s.chart for s in slide.shapes if s.has_chart) for slide in slides[1:])
    for series in execution.plots[0].series:
        assert _hex(series.format.fill.fore_color.rgb) == palette.series_color(series.name).lower()
        assert all(v is not None for v in series.values)  # the data is inside the chart
    lines = {s.name: _hex(s.format.line.color.rgb) for s in trend.plots[0].series}
    assert lines == {k: v.lower() for k, v in palette.color_map(lines).items()}
    (points,) = scores.plots[0].series
    assert _hex(points.marker.format.fill.fore_color.rgb) == palette.SINGLE_COLOR.lower()
    assert all(p.data_label.text_frame.text for p in points.points)  # each point named on the chart


def _check_docx(data: bytes) -> None:
    from docx import Document

    doc = Document(io.BytesIO(data))
    text = [p.text for p in doc.paragraphs]
    assert text[0] == TITLE
    headings = [t for t in text if re.match(r"^[一二三四五六七八九十]、", t)]
    assert headings[:3] == ["一、关键指标", "二、要点", "三、图表"], headings
    assert any(t.startswith("（一）") for t in text)  # the 要点 as editable paragraphs
    pictures = [
        doc.part.related_parts[s._inline.graphic.graphicData.pic.blipFill.blip.embed] for s in doc.inline_shapes
    ]
    assert len(pictures) == 3
    assert len([t for t in text if re.match(r"^图[123]　", t)]) == 3  # each chart with its caption
    execution = _pixels(pictures[0].blob)
    for name in ("执行数 ÷ 全年预算", "执行数 ÷ 年初预算"):
        assert palette.series_color(name).lower() in execution, f"the DOCX figure lost the {name} colour"


CHECKS = {"PDF": _check_pdf, "PNG": _check_png, "PPTX": _check_pptx, "DOCX": _check_docx}


def test_every_brief_download_opens_with_its_content(tab: Tab, app_url: str, tmp_path: Path) -> None:
    page = tab.page
    page.goto(f"{app_url}/briefing?region={REGION}&year={YEAR}")
    settle(page, timeout_s=120)  # the preview is rendered on the server
    tab.assert_healthy()
    assert page.get_by_role("img").count() >= 1  # the preview
    for label, check in CHECKS.items():
        check(_download(tab, label, tmp_path))
    tab.assert_healthy()


# --- the one-page brief measured by Chromium ------------------------------------------------------

# Every non-empty <text> of the SVG with the box Chromium gives it (its font's full line box: conservative).
_TEXT_BOXES_JS = """() => Array.from(document.querySelectorAll('svg text'))
  .filter(t => t.textContent.trim())
  .map(t => { const r = t.getBoundingClientRect();
              return {text: t.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}; })"""


def _overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["text"], b["text"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]
    ]


def _real(warehouse: Path, region: str, year: int) -> BriefData:
    return collect(connect_readonly(warehouse), region, year)


@pytest.mark.parametrize(
    ("region", "year", "what"),
    [
        (REGION, YEAR, "long project names, labelled points"),
        ("上海市", 2025, "budgets only: no execution, no scores"),
    ],
)
def test_rendered_brief_has_no_overlapping_text(
    browser, warehouse: Path, tmp_path: Path, region: str, year: int, what: str
) -> None:
    data = _real(warehouse, region, year)
    if what.startswith("budgets"):
        assert data.scores.empty and data.execution.empty  # still the case this test is about
    else:
        assert data.scores["评价对象"].str.len().max() > 20
    svg = figure_bytes(brief_figure(data), "svg").decode()
    page = browser.new_page(viewport={"width": SLIDE_WIDTH + 100, "height": SLIDE_HEIGHT + 100})
    try:
        page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
        boxes = page.evaluate(_TEXT_BOXES_JS)
        page.screenshot(path=str(tmp_path / "brief.png"))
    finally:
        page.close()
    assert len(boxes) > 15, boxes  # the title, KPIs, 要点, panel titles, ticks and footnote were drawn
    assert not _overlaps(boxes), _overlaps(boxes)
    assert all(0 <= b["x0"] < b["x1"] <= SLIDE_WIDTH and 0 <= b["y0"] < b["y1"] <= SLIDE_HEIGHT for b in boxes)
