"""The brief as an editable PowerPoint deck: a title and 要点 slide, then one slide per chart.

The charts are native PowerPoint charts (python-pptx chart objects carrying their data, editable
in PowerPoint and WPS), coloured like the dashboards (`fiscallens.palette`); text is in text boxes.
Takes a `fiscallens.brief.BriefData` (imported only for typing: brief.py calls this module).
"""

from __future__ import annotations

import io
import math
from datetime import datetime
from typing import TYPE_CHECKING

from pptx import Presentation
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.util import Emu, Pt

from fiscallens import palette

if TYPE_CHECKING:
    from pptx.chart.chart import Chart
    from pptx.chart.series import XySeries
    from pptx.slide import Slide

    from fiscallens.brief import BriefData

SLIDE_SIZE = (Emu(12192000), Emu(6858000))  # 13.333 × 7.5 in, 16:9
BLANK_LAYOUT = 6
MARGIN = Emu(457200)  # 0.5 in
FONT = "Microsoft YaHei"  # present on the Windows and WPS machines the deck is opened on
EXECUTION_SERIES = (("执行率（%）", "执行数 ÷ 全年预算"), ("占年初预算（%）", "执行数 ÷ 年初预算"))
# Scatter points named on the chart (editable data labels) up to this many; beyond it the labels would
# pile up, and the names go into a text line under the chart instead.
LABELLED_POINTS = 15
POINT_LABEL_SIZE = Pt(9)
POINT_LABEL_CHARS = 20  # longer names are cut with "…" on the chart; the slide's notes hold them whole


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


def _text(slide: Slide, lines: list[str], top: int, height: int, size: int, bold_first: bool = False) -> None:
    """A text box across the slide, one paragraph per line."""
    width = SLIDE_SIZE[0] - 2 * MARGIN
    frame = slide.shapes.add_textbox(MARGIN, top, width, height).text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.name = FONT
        run.font.bold = bold_first and i == 0


def _title_slide(deck: Presentation, data: BriefData) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[BLANK_LAYOUT])
    _text(slide, [data.title], Emu(300000), Emu(600000), 28, bold_first=True)
    kpis = [f"{label}：{value}" for label, value in data.kpi_rows()]
    _text(slide, ["关键指标", *kpis], Emu(1000000), Emu(1700000), 14, bold_first=True)
    bullets = ["要点", *("• " + s for s in data.sentences or ["所选范围内没有可比较的执行、“三公”或得分数据。"])]
    _text(slide, bullets, Emu(2750000), Emu(2600000), 13, bold_first=True)
    _text(slide, data.source_lines(), Emu(5500000), Emu(1200000), 9)
    slide.notes_slide.notes_text_frame.text = "\n".join([data.title, *data.sentences, *data.source_lines()])


def _chart_slide(deck: Presentation, title: str) -> Slide:
    slide = deck.slides.add_slide(deck.slide_layouts[BLANK_LAYOUT])
    _text(slide, [title], Emu(250000), Emu(550000), 20, bold_first=True)
    return slide


def _chart_box() -> tuple[int, int, int, int]:
    return MARGIN, Emu(900000), SLIDE_SIZE[0] - 2 * MARGIN, SLIDE_SIZE[1] - Emu(1300000)


def _no_data(slide: Slide, sentence: str) -> None:
    _text(slide, [sentence], Emu(3000000), Emu(600000), 16)


def _style(chart: Chart, legend: bool) -> None:
    chart.font.size = Pt(11)
    chart.font.name = FONT
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False


def _value(v: object) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def _execution_slide(deck: Presentation, data: BriefData, title: str) -> None:
    slide = _chart_slide(deck, title)
    frame = data.execution_rows()
    if frame.empty:
        _no_data(slide, "所选报告未同时列出全年预算与执行数（如部门预算），无执行率可比。")
        return
    chart_data = CategoryChartData(number_format='0.0"%"')
    chart_data.categories = [f"{name}（{year}）" for name, year in frame.index]
    for column, name in EXECUTION_SERIES:
        chart_data.add_series(name, [_value(v) for v in frame[column]])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, *_chart_box(), chart_data).chart
    _style(chart, legend=True)
    chart.category_axis.reverse_order = True  # largest shortfall on top, as on the page
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format, plot.data_labels.number_format_is_linked = '0.0"%"', False
    for series, (_, name) in zip(plot.series, EXECUTION_SERIES, strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(palette.series_color(name))


def _three_public_slide(deck: Presentation, data: BriefData, title: str) -> None:
    slide = _chart_slide(deck, title)
    totals = data.three_public_totals()
    if totals.empty:
        _no_data(slide, "所选地区的报告没有“三公”经费决算数。")
        return
    years = sorted(int(y) for y in totals["年度"].unique())
    table = totals.pivot_table(
        index="年度", columns="部门（单位）", values="决算数（万元）", aggfunc="first", sort=False
    )
    chart_data = CategoryChartData(number_format="#,##0.00")
    chart_data.categories = [str(y) for y in years]
    departments = list(dict.fromkeys(totals["部门（单位）"]))
    for department in departments:
        chart_data.add_series(department, [_value(table[department].get(y)) for y in years])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, *_chart_box(), chart_data).chart
    _style(chart, legend=True)
    chart.value_axis.has_title = True
    chart.value_axis.axis_title.text_frame.text = "万元"
    colors = palette.color_map(departments)
    for series, department in zip(chart.plots[0].series, departments, strict=True):
        series.format.line.color.rgb = _rgb(colors[department])
        series.marker.style = XL_MARKER_STYLE.CIRCLE
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = _rgb(colors[department])
        series.smooth = False


def _score_slide(deck: Presentation, data: BriefData, title: str) -> None:
    slide = _chart_slide(deck, title)
    points = data.scores.dropna(subset=["执行率（%）", "自评得分"])
    if points.empty:
        _no_data(slide, "所选报告中没有同时给出自评得分与执行率的评价对象。")
        return
    chart_data = XyChartData()
    series = chart_data.add_series("评价对象")
    for rate, score in zip(points["执行率（%）"], points["自评得分"], strict=True):
        series.add_data_point(float(rate), float(score))
    chart = slide.shapes.add_chart(XL_CHART_TYPE.XY_SCATTER, *_chart_box(), chart_data).chart
    _style(chart, legend=False)
    chart.category_axis.has_title = True
    chart.category_axis.axis_title.text_frame.text = "执行率（%）"
    chart.value_axis.has_title = True
    chart.value_axis.axis_title.text_frame.text = "自评得分"
    drawn = chart.plots[0].series[0]
    drawn.format.line.fill.background()  # points only, no connecting line
    drawn.marker.style = XL_MARKER_STYLE.CIRCLE
    drawn.marker.format.fill.solid()
    drawn.marker.format.fill.fore_color.rgb = _rgb(palette.SINGLE_COLOR)
    names = "；".join(
        f"{n}：执行率 {r:.2f}%，{s:g} 分"
        for n, r, s in zip(points["评价对象"], points["执行率（%）"], points["自评得分"], strict=True)
    )
    slide.notes_slide.notes_text_frame.text = f"评价对象：{names}"
    if len(points) <= LABELLED_POINTS:
        _label_points(drawn, [str(n) for n in points["评价对象"]])
    else:
        _text(slide, [f"评价对象：{names}"], SLIDE_SIZE[1] - Emu(420000), Emu(380000), 9)


def _label_points(series: XySeries, names: list[str]) -> None:
    """Each point's name as its own data label: text PowerPoint/WPS let users edit or move."""
    for point, name in zip(series.points, names, strict=True):
        label = point.data_label
        label.position = XL_LABEL_POSITION.RIGHT
        run = label.text_frame.paragraphs[0].add_run()
        run.text = name if len(name) <= POINT_LABEL_CHARS else name[: POINT_LABEL_CHARS - 1] + "…"
        run.font.size = POINT_LABEL_SIZE
        run.font.name = FONT


def pptx_bytes(data: BriefData) -> bytes:
    """The deck: title and 要点 slide, then execution, 三公 and score slides with native charts."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_SIZE
    _title_slide(deck, data)
    titles = data.panel_titles()
    _execution_slide(deck, data, titles["execution"])
    _three_public_slide(deck, data, titles["three_public"])
    _score_slide(deck, data, titles["scores"])
    deck.core_properties.title = data.title
    deck.core_properties.created = datetime.now()
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
