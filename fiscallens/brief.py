"""The one-page brief: one region (province or prefecture) and year on one 16:9 page.

KPIs, the execution chart, the 三公 trend, the score-vs-execution scatter, the summary sentences
and a footnote of the reports used and their data-quality warnings; written as PDF, PNG, SVG or
PPTX (`python -m fiscallens brief`, the 简报 page). Rendering is `fiscallens.figure_export`'s.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from fiscallens import charts
from fiscallens.figure_export import IMAGE_FORMATS, SLIDE_HEIGHT, SLIDE_WIDTH, figure_bytes, warehouse_date
from fiscallens.insights import HIGH_SCORE, LOW_EXECUTION, summary_sentences
from fiscallens.presentation import format_amount, format_rate, source_note
from fiscallens.queries import get_query
from fiscallens.regions import default_index

FOOTNOTE_FINDINGS = 6


class BriefingError(Exception):
    """The brief cannot be made (unknown region, no reports): the message says why, in Chinese."""


@dataclass
class BriefData:
    region: str
    year: int
    params: dict[str, object]
    kpis: pd.Series
    execution: pd.DataFrame
    three_public: pd.DataFrame
    scores: pd.DataFrame
    sentences: list[str]
    reports: pd.DataFrame
    findings: pd.DataFrame
    built_on: str
    notes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.region} {self.year} 年财政绩效简报"


def collect(con: duckdb.DuckDBPyConnection, region: str, year: int) -> BriefData:
    """Everything a brief shows, from named queries, for one region (province or prefecture) and year."""
    found = default_index().resolve(region)
    if found is None:
        raise BriefingError(f"无法识别地区“{region}”：请写省或地级行政区的全称或常用简称，如 贵阳市、黔南州。")
    if found.level == "county":
        raise BriefingError(f"“{found.name}”是县级行政区，简报目前按省或地级行政区汇总。")
    key = "province" if found.level == "province" else "prefecture"
    base = {"province": None, "prefecture": None, "department": None, "doc_type": None}
    params = {**base, key: found.name, "year_from": year, "year_to": year}
    all_years = {**params, "year_from": None, "year_to": None}

    def run(name: str, **values: object) -> pd.DataFrame:
        query = get_query(name)
        return query.run(con, **{p: values.get(p) for p in query.params})

    # The brief's figures count each disclosure once (reports.in_default_view): a unit report already
    # contained in its department's, or a later version, is not among the reports it used.
    reports = run("reports", **params)
    reports = reports[reports["计入汇总"] == "是"]
    if reports.empty:
        raise BriefingError(f"{found.name} 没有 {year} 年的报告，无法生成简报。")
    execution = run("execution_by_report", **params)
    scores = run("score_vs_execution", **params)
    changes = run("three_public_changes", **params)
    findings = run("quality_flags", severity="warning")
    findings = findings[findings["报告标识"].isin(reports["报告标识"])]
    return BriefData(
        region=found.name,
        year=year,
        params=params,
        kpis=run("overview_kpis", **params).iloc[0],
        execution=execution,
        three_public=run("three_public_trend", **all_years),
        scores=scores,
        sentences=summary_sentences(execution, changes, scores),
        reports=reports,
        findings=findings,
        built_on=warehouse_date(con),
    )


def brief_figure(data: BriefData) -> go.Figure:
    """The whole brief as one 16:9 figure: KPIs and sentences on the left, three charts around them."""
    fig = make_subplots(
        rows=2,
        cols=2,
        column_widths=[0.5, 0.5],
        row_heights=[0.5, 0.5],
        specs=[[None, {"type": "xy"}], [{"type": "xy"}, {"type": "xy"}]],
        # One title per existing subplot, in order (the top-left cell holds the KPIs).
        subplot_titles=(
            "预算执行率（%）：执行数 ÷ 全年预算 / ÷ 年初预算",
            "“三公”经费决算数（万元，历年；空心点为推算）",
            "自评得分与执行率（阴影：高分低执行）",
        ),
        horizontal_spacing=0.08,
        vertical_spacing=0.16,
    )
    for trace in _execution_traces(data.execution):
        fig.add_trace(trace, row=1, col=2)
    fig.add_hline(y=100, line_dash="dot", line_color="#555", row=1, col=2)
    three_public = _three_public_traces(data.three_public)
    for trace in three_public:
        fig.add_trace(trace, row=2, col=1)
    if not three_public:
        _no_data(fig, "所选地区的报告中没有“三公”经费数据", row=2, col=1)
    if data.execution.empty:
        _no_data(fig, "报告未同时给出预算数与执行数", row=1, col=2)
    for trace in _score_traces(data.scores):
        fig.add_trace(trace, row=2, col=2)
    fig.add_shape(
        type="rect",
        x0=0,
        x1=LOW_EXECUTION,
        y0=HIGH_SCORE,
        y1=101,
        fillcolor="#ef5350",
        opacity=0.12,
        line_width=0,
        row=2,
        col=2,
    )
    fig.update_yaxes(title_text="%", row=1, col=2)
    fig.update_yaxes(title_text="万元", rangemode="tozero", row=2, col=1)
    fig.update_xaxes(title_text="年度", dtick=1, row=2, col=1)
    fig.update_xaxes(title_text="执行率（%）", row=2, col=2)
    fig.update_yaxes(title_text="自评得分", range=[max(0, _min_score(data) - 10), 101], row=2, col=2)
    _kpi_block(fig, data)
    fig.update_layout(
        title={"text": f"<b>{html.escape(data.title)}</b>", "x": 0.01, "font": {"size": 26}},
        font={"family": charts.FONT_FAMILY, "size": 13},
        showlegend=False,
        template="plotly_white",
        width=SLIDE_WIDTH,
        height=SLIDE_HEIGHT,
        margin={"l": 40, "r": 80, "t": 80, "b": 110},
    )
    _left_text(fig, footnote(data), 0, {"size": 11, "color": "#555"}, yanchor="bottom", yshift=-100)
    return fig


def footnote(data: BriefData) -> str:
    years = data.reports["年度"].dropna().astype(int).tolist()
    used = "；".join(
        f"{r['部门（单位）']}{'·' + r['项目'] if r['项目'] else ''}（{r['类型']}）" for _, r in data.reports.iterrows()
    )
    lines = [f"{source_note(len(data.reports), years)}：{used}。数据截至 {data.built_on}，财政绩效透视自动生成。"]
    if not data.findings.empty:
        shown = data.findings.head(FOOTNOTE_FINDINGS)
        more = len(data.findings) - len(shown)
        items = "；".join(f"{r['说明'][:48]}" for _, r in shown.iterrows())
        lines.append(
            f"数据质量警告 {len(data.findings)} 条：{items}" + (f"；另有 {more} 条" if more > 0 else "") + "。"
        )
    return "<br>".join(_wrap(line, 150) for line in lines)


def _wrap(text: str, width: int) -> str:
    """Break a line for a figure annotation, after punctuation where possible, never inside a number.
    The text (names from documents and the URL) is escaped: plotly renders a subset of HTML."""
    lines, current = [], ""
    for piece in re.split(r"(?<=[，；。、：）])", text):
        if current and len(current) + len(piece) > width:
            lines.append(html.escape(current))
            current = ""
        current += piece
    lines.append(html.escape(current))
    return "<br>".join(lines)


def _kpi_block(fig: go.Figure, data: BriefData) -> None:
    k = data.kpis
    rows = [
        ("报告", f"{int(k['reports'])} 份"),
        ("全年预算合计", format_amount(k["budget_full_year"])),
        ("执行数合计", format_amount(k["actual"])),
        ("总体执行率", format_rate(k["execution_rate"])),
        ("平均自评得分", f"{k['mean_score']:.2f} 分" if k["reports_with_score"] else "—"),
    ]
    text = "<br>".join(f"<span style='color:#666'>{label}</span>　<b>{value}</b>" for label, value in rows)
    _left_text(fig, text, 1.0, {"size": 20})
    sentences = (
        "<br>".join("• " + _wrap(s, 38) for s in data.sentences) or "（所选范围内无可比较的执行、三公或得分数据）"
    )
    _left_text(fig, sentences, 0.69, {"size": 13})


def _left_text(fig: go.Figure, text: str, y: float, font: dict, yanchor: str = "top", **shift: float) -> None:
    """Left-aligned text at the page's left edge, `y` up the page (the KPIs, the sentences, the footnote)."""
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=0,
        y=y,
        xanchor="left",
        yanchor=yanchor,
        showarrow=False,
        align="left",
        font=font,
        **shift,
    )


def _execution_traces(frame: pd.DataFrame) -> list[go.BaseTraceType]:
    if frame.empty:
        return []
    labels = (frame["地区"] + "·" + frame["评价对象"].str.slice(0, 14)).tolist()
    return [
        go.Bar(
            x=labels, y=frame["执行率（%）"], name="执行数 ÷ 全年预算", text=frame["执行率（%）"].map("{:.1f}%".format)
        ),
        go.Bar(
            x=labels,
            y=frame["占年初预算（%）"],
            name="执行数 ÷ 年初预算",
            marker_color="#90caf9",
            text=frame["占年初预算（%）"].map(lambda v: "" if pd.isna(v) else f"{v:.1f}%"),
        ),
    ]


def _three_public_traces(frame: pd.DataFrame) -> list[go.BaseTraceType]:
    totals = frame[(frame["item"] == "total") & frame["决算数（万元）"].notna()].sort_values("年度")
    traces = []
    for department, group in totals.groupby("部门（单位）"):
        traces.append(
            go.Scatter(
                x=group["年度"],
                y=group["决算数（万元）"],
                mode="lines+markers+text",
                name=department,
                text=[
                    f"{v:.2f}{'（推算）' if d else ''}"
                    for v, d in zip(group["决算数（万元）"], group["推算"], strict=True)
                ],
                textposition="top center",
                marker={"size": 10, "symbol": ["circle-open" if d else "circle" for d in group["推算"]]},
            )
        )
    return traces


def _score_traces(frame: pd.DataFrame) -> list[go.BaseTraceType]:
    data = frame.dropna(subset=["执行率（%）"])
    if data.empty:
        return []
    return [
        go.Scatter(
            x=data["执行率（%）"],
            y=data["自评得分"],
            mode="markers+text",
            text=data["评价对象"].str.slice(0, 10),
            textposition="bottom center",
            marker={"size": 12, "line": {"width": 1, "color": "#333"}},
        )
    ]


def _no_data(fig: go.Figure, text: str, row: int, col: int) -> None:
    fig.add_trace(
        go.Scatter(x=[0], y=[0], mode="text", text=[text], textfont={"size": 15, "color": "#888"}), row=row, col=col
    )
    fig.update_xaxes(visible=False, range=[-1, 1], row=row, col=col)
    fig.update_yaxes(visible=False, range=[-1, 1], row=row, col=col)


def _min_score(data: BriefData) -> float:
    return float(data.scores["自评得分"].min()) if not data.scores.empty else 90.0


def write_brief(data: BriefData, out: Path) -> Path:
    """Write the brief as .pdf, .png, .svg or .pptx (by the file's suffix)."""
    suffix = out.suffix.lower().lstrip(".")
    if suffix in IMAGE_FORMATS:
        out.write_bytes(figure_bytes(brief_figure(data), suffix))
    elif suffix == "pptx":
        out.write_bytes(pptx_bytes(data))
    else:
        raise BriefingError(f"不支持的输出格式 .{suffix}：请用 .pdf、.png、.svg 或 .pptx。")
    return out


def pptx_bytes(data: BriefData) -> bytes:
    """One 16:9 slide: the brief rendered as a picture, with its sentences also as editable text."""
    from pptx import Presentation
    from pptx.util import Emu, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)  # 13.333 × 7.5 in
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    picture = io.BytesIO(figure_bytes(brief_figure(data), "png"))
    slide.shapes.add_picture(picture, 0, 0, width=deck.slide_width, height=deck.slide_height)
    notes = slide.notes_slide.notes_text_frame
    plain_footnote = html.unescape(footnote(data).replace("<br>", "\n"))
    notes.text = data.title + "\n" + "\n".join(data.sentences) + "\n" + plain_footnote
    for paragraph in notes.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(12)
    buffer = io.BytesIO()
    deck.core_properties.title = data.title
    deck.core_properties.created = datetime.now()
    deck.save(buffer)
    return buffer.getvalue()
