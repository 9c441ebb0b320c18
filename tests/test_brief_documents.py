"""The brief in every form (issue 16, items 6 and 7): the one-page figure laid out without overlaps for
any region, the PPTX with native editable charts, the DOCX 简报, and the 简报 page's downloads."""

from __future__ import annotations

import functools
import io
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from fiscallens import palette
from fiscallens.brief import BriefData, brief_figure, collect, text_boxes
from fiscallens.brief_docx import _notes, docx_bytes
from fiscallens.brief_pptx import pptx_bytes
from fiscallens.labels import rule_label
from fiscallens.warehouse import connect_readonly

HAS_CHROMIUM = shutil.which("chromium") is not None or Path("/usr/bin/chromium").exists()
LONG = "贵州省黔南布依族苗族自治州大数据发展管理局关于推进数字政府建设和政务数据共享开放的专项资金项目"
FILE_ID = re.compile(r"\d{3}_[0-9a-f]{16}|R[0-9a-f]{12}")


def _brief(reports: int, *, scores: bool = True, name: str = "某局", warnings: int = 2) -> BriefData:
    """A brief of `reports` reports without a warehouse: the extremes the layout must survive."""
    ids = [f"R{i:012x}" for i in range(reports)]
    names = [f"{name}{i}" for i in range(reports)]
    years = [2020 + i % 4 for i in range(reports)]
    listed = pd.DataFrame(
        {"报告标识": ids, "部门（单位）": names, "项目": [None] * reports, "类型": "部门决算", "年度": years}
    )
    execution = pd.DataFrame(
        {
            "地区": "某市",
            "评价对象": names,
            "年度": years,
            "全年预算（万元）": [100.0 + i for i in range(reports)],
            "执行数（万元）": [90.0] * reports,
            "执行率（%）": [90.0] * reports,
            "占年初预算（%）": [120.0] * reports,
            "报告标识": ids,
        }
    )
    three_public = pd.DataFrame(
        {
            "item": "total",
            "决算数（万元）": [2.5, 3.0],
            "部门（单位）": names[0],
            "年度": [2022, 2023],
            "推算": [True, False],
        }
    )
    scored = pd.DataFrame(
        {
            "地区": "某市",
            "评价对象": names,
            "年度": years,
            "自评得分": [95.0] * reports,
            "等级": "优",
            "执行率（%）": 60.0,
        }
    )
    findings = pd.DataFrame(
        {
            "报告标识": [ids[i % reports] for i in range(warnings)],
            "规则": "figure_disagrees",
            "说明": [
                f"同一数字两处不一致：{LONG}的合计在 001_bfbd4bd9ec360b9b.txt 第 {i} 行为 1.99。"
                for i in range(warnings)
            ],
            "文件": "data/reports/001_bfbd4bd9ec360b9b.txt",
            "行号": list(range(warnings)),
        }
    )
    kpis = pd.Series(
        {"reports": reports, "reports_with_execution": reports, "budget_full_year": 1e5, "actual": 9e4,
         "execution_rate": 90.0, "mean_score": 95.0, "reports_with_score": reports if scores else 0}
    )  # fmt: skip
    sentences = [f"按报告合计，执行缺口最大的是“{name}0”（某市，2020 年）：全年预算 100.00 万元。"] * 4
    return BriefData(
        region="某市",
        year=2023,
        params={},
        kpis=kpis,
        execution=execution,
        three_public=three_public,
        scores=scored if scores else scored.iloc[0:0],
        sentences=sentences,
        reports=listed,
        findings=findings,
        built_on="2026-12-07",
    )


EXTREMES = {
    "one report": _brief(1),
    "fifty reports, many warnings": _brief(50, warnings=60),
    "long names": _brief(6, name=LONG),
    "no scores": _brief(3, scores=False, warnings=0),
}


@pytest.mark.parametrize("data", EXTREMES.values(), ids=EXTREMES.keys())
def test_brief_layout_has_no_overlapping_boxes(data: BriefData) -> None:
    boxes = text_boxes(data)
    overlapping = [(a.name, b.name) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if a.overlaps(b)]
    assert not overlapping
    assert all(0 <= b.x0 < b.x1 <= 1600 and 0 <= b.y0 < b.y1 <= 900 for b in boxes), boxes


@pytest.mark.parametrize("data", EXTREMES.values(), ids=EXTREMES.keys())
def test_footnote_names_reports_and_never_cuts_a_warning(data: BriefData) -> None:
    footnote = "\n".join(data.source_lines())
    assert not FILE_ID.search(footnote)  # reports by name, not by file or report id
    assert footnote.rstrip().endswith("。")
    if not data.findings.empty:
        assert f"数据质量警告 {len(data.findings)} 条" in footnote and rule_label("figure_disagrees") in footnote


def test_an_empty_panel_says_why() -> None:
    fig = brief_figure(EXTREMES["no scores"])
    texts = " ".join(a.text for a in fig.layout.annotations)
    assert "没有自评得分" in texts


def test_pptx_has_native_charts_with_the_data_and_palette_colours() -> None:
    from pptx import Presentation

    data = EXTREMES["one report"]
    deck = Presentation(io.BytesIO(pptx_bytes(data)))
    slides = list(deck.slides)
    assert len(slides) == 4  # title and 要点, then one per chart
    first = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert data.title in first and "要点" in first and data.sentences[0] in first
    assert not any(s.shape_type == 13 for slide in slides for s in slide.shapes)  # no pictures
    charts = [s.chart for slide in slides[1:] for s in slide.shapes if s.has_chart]
    assert len(charts) == 3
    execution, trend, scores = charts
    assert list(execution.plots[0].categories) == ["某局0（2020）"]
    values = {s.name: list(s.values) for s in execution.plots[0].series}
    assert values == {"执行数 ÷ 全年预算": [90.0], "执行数 ÷ 年初预算": [120.0]}
    for series in execution.plots[0].series:
        assert f"#{series.format.fill.fore_color.rgb}".lower() == palette.series_color(series.name).lower()
    assert list(trend.plots[0].categories) == ["2022", "2023"]
    assert list(trend.plots[0].series[0].values) == [2.5, 3.0]
    assert list(scores.plots[0].series[0].values) == [95.0]


def test_pptx_says_so_where_a_chart_has_no_data() -> None:
    from pptx import Presentation

    deck = Presentation(io.BytesIO(pptx_bytes(EXTREMES["no scores"])))
    last = " ".join(s.text_frame.text for s in list(deck.slides)[3].shapes if s.has_text_frame)
    assert "没有" in last and not any(s.has_chart for s in list(deck.slides)[3].shapes)


def test_docx_is_a_government_brief() -> None:
    from docx import Document

    data = EXTREMES["fifty reports, many warnings"]
    doc = Document(io.BytesIO(_docx("fifty reports, many warnings")))
    text = [p.text for p in doc.paragraphs]
    assert text[0] == data.title
    for heading in ("一、关键指标", "二、要点", "三、图表", "四、数据质量"):
        assert heading in text
    assert any(t.startswith("（一）") and data.sentences[0] in t for t in text)  # 要点 as editable text
    assert any(t.startswith("图1") for t in text) and any(t.startswith("图3") for t in text)
    assert [c.text for c in doc.tables[0].rows[0].cells] == ["指标", "数值"]
    assert doc.tables[0].rows[1].cells[0].text == "报告"
    assert "注：" not in text and not any("［1］" in t for t in text)  # footnotes, no endnote list


W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


@functools.cache
def _docx(case: str) -> bytes:
    """One DOCX per test case, made once: the figures take Chromium a few seconds each."""
    return docx_bytes(EXTREMES[case])


def _footnotes(docx: bytes) -> tuple[dict[int, tuple[str | None, str]], list[object], list[object]]:
    """({w:id: (w:type, text)} of word/footnotes.xml, the body's w:footnoteReference elements, the
    FootnoteText paragraphs' text runs) of a .docx."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        notes = etree.fromstring(package.read("word/footnotes.xml"))
        body = etree.fromstring(package.read("word/document.xml"))
    found = {}
    for note in notes.iter(f"{W_NS}footnote"):
        text = "".join(t.text or "" for t in note.iter(f"{W_NS}t"))
        found[int(note.get(f"{W_NS}id"))] = (note.get(f"{W_NS}type"), text.strip())
    runs = [r for r in notes.iter(f"{W_NS}r") if r.find(f"{W_NS}t") is not None]
    return found, list(body.iter(f"{W_NS}footnoteReference")), runs


def test_docx_sources_are_real_word_footnotes() -> None:
    from docx import Document

    data = EXTREMES["fifty reports, many warnings"]
    made = _docx("fifty reports, many warnings")
    Document(io.BytesIO(made))  # opens again
    notes, references, runs = _footnotes(made)
    assert notes[-1] == ("separator", "") and notes[0] == ("continuationSeparator", "")
    texts = [text for note_id, (kind, text) in sorted(notes.items()) if note_id > 0 and kind is None]
    assert texts == _notes(data)
    # 1 the reports, 2–31 the first 30 of 60 warnings with file and line, 32 the count of the rest.
    assert len(texts) == 32 and texts[0].startswith("本简报所用报告 50 份：某局0（部门决算，2020 年）")
    assert all(t.startswith("数据质量警告（某局") and f"001_bfbd4bd9ec360b9b.txt 第 {i} 行）" in t
               for i, t in enumerate(texts[1:31]))  # fmt: skip
    assert texts[31] == "另有 30 条数据质量警告，见“数据质量”页。"
    ids = [int(r.get(f"{W_NS}id")) for r in references]
    assert ids == list(range(1, 33))  # one reference per note, in order
    styles = {r.getparent().find(f"{W_NS}rPr/{W_NS}rStyle").get(f"{W_NS}val") for r in references}
    assert styles == {"FootnoteReference"}
    fonts = {r.find(f"{W_NS}rPr/{W_NS}rFonts").get(f"{W_NS}eastAsia") for r in runs}
    assert fonts == {"仿宋"}  # the CJK face on every footnote's text
    with zipfile.ZipFile(io.BytesIO(made)) as package:
        types = package.read("[Content_Types].xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
        styles_xml = package.read("word/styles.xml").decode()
    assert f'PartName="/word/footnotes.xml" ContentType="{FOOTNOTES_TYPE}"' in types
    assert 'relationships/footnotes" Target="footnotes.xml"' in rels
    assert 'w:styleId="FootnoteText"' in styles_xml and 'w:styleId="FootnoteReference"' in styles_xml


def test_docx_footnotes_survive_a_python_docx_round_trip_and_without_warnings_there_is_one() -> None:
    from docx import Document

    made = _docx("no scores")
    notes, references, _ = _footnotes(made)
    assert sorted(notes) == [-1, 0, 1] and notes[1][1].startswith("本简报所用报告 3 份")
    assert [r.get(f"{W_NS}id") for r in references] == ["1"]
    doc = Document(io.BytesIO(made))
    assert "所用报告中没有数据质量警告。" in [p.text for p in doc.paragraphs]
    resaved = io.BytesIO()
    doc.save(resaved)
    assert _footnotes(resaved.getvalue())[0] == notes


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_prints_the_footnotes(tmp_path: Path) -> None:
    import subprocess

    import pdfplumber

    source = tmp_path / "brief.docx"
    source.write_bytes(_docx("one report"))
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with pdfplumber.open(tmp_path / "brief.pdf") as pdf:
        printed = re.sub(r"\s", "", "".join(page.extract_text() or "" for page in pdf.pages))
    for note in _notes(EXTREMES["one report"]):
        assert re.sub(r"\s", "", note)[:40] in printed


# --- on the bundled reports -----------------------------------------------------------------------


@pytest.mark.parametrize(("region", "year"), [("贵阳市", 2023), ("湖南省", 2022), ("上海市", 2025), ("黔南州", 2021)])
def test_real_briefs_lay_out_without_overlaps(warehouse: Path, region: str, year: int) -> None:
    data = collect(connect_readonly(warehouse), region, year)
    boxes = text_boxes(data)
    assert not [(a.name, b.name) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if a.overlaps(b)]
    assert not FILE_ID.search(" ".join(data.source_lines()))


def test_real_sentences_do_not_double_region_names(warehouse: Path) -> None:
    """ "湘西州州智慧湘西建设专项" and "贵阳市贵阳市大数据发展管理局" were the region glued to a name."""
    con = connect_readonly(warehouse)
    text = " ".join(collect(con, "湖南省", 2022).sentences + collect(con, "贵阳市", 2023).sentences)
    assert "湘西州州" not in text and "贵阳市贵阳市" not in text
    assert "“州智慧湘西建设专项”（湘西州，2022 年）" in text


# --- the PPTX scatter names its points ------------------------------------------------------------


def _scatter(deck_bytes: bytes) -> tuple[object, object]:
    """(the score slide, its scatter chart's series) of a brief deck."""
    from pptx import Presentation

    slide = list(Presentation(io.BytesIO(deck_bytes)).slides)[3]
    chart = next(s.chart for s in slide.shapes if s.has_chart)
    return slide, chart.plots[0].series[0]


def test_pptx_scatter_points_carry_their_names_as_data_labels() -> None:
    from fiscallens.brief_pptx import LABELLED_POINTS, POINT_LABEL_CHARS

    data = EXTREMES["long names"]
    assert len(data.scores) <= LABELLED_POINTS
    slide, series = _scatter(pptx_bytes(data))
    labels = [p.data_label.text_frame.text for p in series.points]
    assert len(labels) == len(data.scores)
    for label, name in zip(labels, data.scores["评价对象"], strict=True):
        assert label and len(label) <= POINT_LABEL_CHARS and name.startswith(label.rstrip("…"))
    texts = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert "评价对象：" not in texts  # the names are on the points, no separate text line
    notes = slide.notes_slide.notes_text_frame.text
    assert all(name in notes for name in data.scores["评价对象"])  # the whole names, for the speaker


def test_pptx_scatter_with_many_points_lists_the_names_instead() -> None:
    data = EXTREMES["fifty reports, many warnings"]
    slide, series = _scatter(pptx_bytes(data))
    assert not any(p.data_label.has_text_frame for p in series.points)
    texts = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert "评价对象：某局0：执行率 60.00%，95 分" in texts


# --- the 简报 page: four downloads, made when clicked ---------------------------------------------

DOWNLOAD_MAGIC = {"pdf": b"%PDF", "png": b"\x89PNG", "pptx": b"PK", "docx": b"PK"}


@pytest.mark.skipif(not HAS_CHROMIUM, reason="the preview is rendered by Chromium (apt package chromium)")
def test_brief_page_offers_four_downloads_in_chinese(app_env: Path) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "pages" / "brief.py"), default_timeout=120)
    at.query_params["region"], at.query_params["year"] = "贵阳市", "2023"
    at.run()
    assert not at.exception, at.exception
    # Made on request, not on every visit: four 生成 buttons, no file yet.
    assert [b.label for b in at.button] == ["生成 PDF", "生成 PNG", "生成 PPTX", "生成 DOCX"]
    assert not at.get("download_button")
    captions = " ".join(c.value for c in at.caption)
    assert "可编辑" in captions and "一、二、三" in captions
    at.button(key="make_pptx").click().run()
    assert not at.exception, at.exception
    ready = at.get("download_button")
    assert [b.proto.label for b in ready] == ["下载 PPTX"]
    assert [b.label for b in at.button] == ["生成 PDF", "生成 PNG", "生成 DOCX"]


@pytest.mark.parametrize("suffix", list(DOWNLOAD_MAGIC))
def test_brief_download_callables_make_each_file(app_env: Path, suffix: str) -> None:
    if suffix in ("pdf", "png") and not HAS_CHROMIUM:
        pytest.skip("PDF and PNG are rendered by Chromium (apt package chromium)")
    from ui.brief_render import brief_download

    made = brief_download("贵阳市", 2023, suffix)
    data = made()
    assert data.startswith(DOWNLOAD_MAGIC[suffix]) and len(data) > 10_000
    if suffix == "pptx":
        from pptx import Presentation

        assert Presentation(io.BytesIO(data)).core_properties.title == "贵阳市 2023 年财政绩效简报"


# --- 简报模式 on the map page: a 16:9 slide like every other chart ---------------------------------


def test_map_in_briefing_mode_is_slide_sized(app_env: Path) -> None:
    import json

    from streamlit.testing.v1 import AppTest

    from ui.slide_mode import BRIEF_HEIGHT, BRIEF_WIDTH

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "pages" / "map.py"), default_timeout=60)
    at.query_params["brief"], at.query_params["province"] = "1", "湖南省"
    at.run()
    assert not at.exception, at.exception
    (chart,) = at.get("plotly_chart")
    layout = json.loads(chart.proto.spec)["layout"]
    assert (layout["width"], layout["height"]) == (BRIEF_WIDTH, BRIEF_HEIGHT)
    assert any("数据截至" in a["text"] for a in layout["annotations"])  # filters, source and date drawn in
    assert not at.get("download_button")  # a slide offers no buttons
