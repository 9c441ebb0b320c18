"""The one-page brief: one region (province or prefecture) and year on one 16:9 page.

KPIs, the execution chart, the 三公 trend, the score-vs-execution scatter, the summary sentences
and a footnote of the reports used and their data-quality warnings; written as PDF, PNG, SVG or
PPTX (`python -m fiscallens brief`, the 简报 page). Rendering is `fiscallens.figure_export`'s.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go

from fiscallens import brief_docx, brief_pptx, charts, palette
from fiscallens.figure_export import IMAGE_FORMATS, SLIDE_HEIGHT, SLIDE_WIDTH, figure_bytes, warehouse_date
from fiscallens.insights import HIGH_SCORE, LOW_EXECUTION, summary_sentences
from fiscallens.labels import rule_label
from fiscallens.presentation import format_amount, format_rate, source_note, text_width
from fiscallens.queries import get_query
from fiscallens.regions import default_index


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

    def kpi_rows(self) -> list[tuple[str, str]]:
        """(label, value) of the key figures, the same on every form of the brief."""
        k = self.kpis
        with_execution = int(k["reports_with_execution"])
        return [
            ("报告", f"{int(k['reports'])} 份（其中 {with_execution} 份列有预算与执行数）"),
            ("全年预算合计", format_amount(k["budget_full_year"])),
            ("执行数合计", format_amount(k["actual"])),
            ("总体执行率", format_rate(k["execution_rate"])),
            (
                "平均自评得分",
                f"{k['mean_score']:.2f} 分（{int(k['reports_with_score'])} 份有总分）"
                if k["reports_with_score"]
                else "—（无自评得分）",
            ),
        ]

    @functools.cached_property
    def _report_rows(self) -> dict[str, dict[str, object]]:
        # One pass over the reports: filtering the frame per name cost 1 ms a report (0.7 s for a province).
        rows: dict[str, dict[str, object]] = {}
        for row in self.reports.to_dict("records"):
            rows.setdefault(row["报告标识"], row)
        return rows

    def report_name(self, report_id: str) -> str:
        """A report as people name it: body[·project]（type，year）."""
        r = self._report_rows.get(report_id)
        if r is None:
            return report_id
        project = f"·{r['项目']}" if isinstance(r["项目"], str) and r["项目"] else ""
        return f"{r['部门（单位）']}{project}（{r['类型']}，{int(r['年度'])} 年）"

    def source_lines(self) -> list[str]:
        """The footnote: the reports used (named, at most FOOTNOTE_REPORTS) and a summary of their
        data-quality warnings by report and kind; every item whole, never cut mid-sentence."""
        years = self.reports["年度"].dropna().astype(int).tolist()
        names = [self.report_name(r) for r in self.reports["报告标识"]]
        used = "；".join(names[:FOOTNOTE_REPORTS]) + (f" 等 {len(names)} 份" if len(names) > FOOTNOTE_REPORTS else "")
        lines = [f"{source_note(len(self.reports), years)}：{used}。数据截至 {self.built_on}，财政绩效透视自动生成。"]
        if not self.findings.empty:
            by_report = self.findings.groupby("报告标识", sort=False)
            parts = []
            for report_id, group in sorted(by_report, key=lambda item: -len(item[1]))[:FOOTNOTE_WARNING_REPORTS]:
                kinds = group["规则"].map(rule_label).value_counts()
                detail = "、".join(f"{kind} {n} 条" for kind, n in kinds.items())
                parts.append(f"{self.report_name(report_id)} {len(group)} 条（{detail}）")
            more = by_report.ngroups - len(parts)
            tail = f"；另有 {more} 份报告的警告" if more > 0 else ""
            lines.append(
                f"数据质量警告 {len(self.findings)} 条（报告自相矛盾之处，原文数字未改）：{'；'.join(parts)}{tail}。"
                "逐条内容与原文行号见“数据质量”页。"
            )
        return lines

    def execution_rows(self) -> pd.DataFrame:
        """The execution chart's rows: at most EXEC_BARS reports, largest shortfall first, indexed by
        (name, year); the two rates in percent."""
        frame = self.execution.head(EXEC_BARS)
        index = pd.MultiIndex.from_arrays([frame["评价对象"].astype(str), frame["年度"].astype(int)])
        return frame[["执行率（%）", "占年初预算（%）"]].set_axis(index)

    def panel_titles(self) -> dict[str, str]:
        """The three charts' titles (their captions in the DOCX, slide titles in the PPTX)."""
        more = len(self.execution) > EXEC_BARS
        shown = f"（未执行金额最大的 {EXEC_BARS} 份，共 {len(self.execution)} 份）" if more else ""
        return {
            "execution": f"预算执行率（%）：执行数 ÷ 全年预算（深色）/ ÷ 年初预算（浅色）{shown}",
            "three_public": "“三公”经费决算数（万元，历年；空心点为推算）",
            "scores": "自评得分与执行率（阴影：自评 ≥ 90 分而执行率 < 80%）",
        }

    def three_public_totals(self) -> pd.DataFrame:
        """三公 totals (决算数) by department and year, for the trend chart."""
        frame = self.three_public
        if frame.empty:
            return frame
        totals = frame[(frame["item"] == "total") & frame["决算数（万元）"].notna()]
        return totals.sort_values(["部门（单位）", "年度"]).reset_index(drop=True)

    def panel_figures(self) -> dict[str, go.Figure]:
        """Each chart of the brief alone (for the DOCX), keyed by its caption."""
        return panel_figures(self)


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
        sentences=summary_sentences(execution, changes, scores, reports_total=len(execution)),
        reports=reports,
        findings=findings,
        built_on=warehouse_date(con),
    )


# --- the page plan ------------------------------------------------------------------------------
# Everything on the brief is placed in page pixels (SLIDE_WIDTH × SLIDE_HEIGHT, y down) by `_plan`,
# from the wrapped text's line count, so that no text box can reach another whatever the region:
# long names are wrapped or shortened, long lists are cut to whole items with "等 N 份" and sentences
# that do not fit are left out whole (the PPTX and DOCX carry them all).
PAD = 28
LEFT_WIDTH = 540  # KPIs and 要点
RIGHT_X = 600  # the charts' area starts here
TITLE_SIZE, KPI_SIZE, HEADING_SIZE, FOOT_SIZE, TICK_SIZE = 26, 18, 15, 11, 11
BULLET_SIZES = (14, 13, 12)  # the 要点 shrink to fit before a sentence is left out
LINE_SPACING = 1.3  # plotly's line height in multi-line annotations, × font size
TOP = 80  # below the title
# A panel's title line (20 px) above its plot area, and room for the top y tick label, which plotly
# centres on the plot's top edge so that it stands up to one tick font size above it.
PANEL_TITLE_GAP = 20 + TICK_SIZE + 5
# y tick labels kept this far (px) from the axis, so that the lowest one clears the x tick label at the
# plot's corner (e.g. "80" on the score axis and "0" on the execution axis).
Y_TICK_STANDOFF = 6
TICK_BAND = 20  # x tick labels under a plot
AXIS_TITLE_BAND = 22  # an x axis title under the tick labels
EXEC_LABEL_WIDTH = 170  # category labels left of the execution bars
SCORE_GUTTER, TREND_GUTTER = 70, 70  # y tick labels and the rotated y title left of a plot
EXEC_BARS = 12  # reports shown in the execution chart (largest shortfall first)
FOOTNOTE_REPORTS = 8  # reports named in the footnote before "等 N 份"
FOOTNOTE_WARNING_REPORTS = 3  # reports whose warnings are summarised in the footnote
LABELLED_POINTS = 5  # scatter points labelled with their name (more would collide)
LABELLED_SERIES = 3  # 三公 lines whose values are written at the points


def wrap_lines(text: str, width: float, size: float) -> list[str]:
    """Break `text` into lines of at most `width` px, after punctuation where possible, never inside a
    number (pieces are split at punctuation; a piece longer than a line is cut between characters)."""
    lines, current = [], ""
    for piece in re.split(r"(?<=[，；。、：）])", text):
        while text_width(piece, size) > width:  # a piece longer than a line: cut between characters
            room = width - text_width(current, size)
            cut = max(1, next((i for i in range(len(piece), 0, -1) if text_width(piece[:i], size) <= room), 0))
            if not current and cut < 1:
                break
            if text_width(piece[:cut], size) > room and current:
                lines.append(current)
                current = ""
                continue
            lines.append(current + piece[:cut])
            current, piece = "", piece[cut:]
        if current and text_width(current + piece, size) > width:
            lines.append(current)
            current = ""
        current += piece
    if current:
        lines.append(current)
    return lines


def _wrap(text: str, width: int) -> str:
    """`text` broken into lines of about `width` characters as annotation markup: escaped (names from
    documents and the URL; plotly renders a subset of HTML), lines joined by <br>."""
    return "<br>".join(html.escape(line) for line in wrap_lines(text, width * 14, 14))


def shorten(text: str, width: float, size: float) -> str:
    """`text` cut to fit `width` px, with "…" when cut (chart labels; the full name is in the footnote)."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


@dataclass(frozen=True)
class Box:
    """A rectangle on the page in pixels, y down: a text block or a plot with its tick labels."""

    name: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1


@dataclass
class Plan:
    """Where everything goes: text blocks (markup, font size, box) and the three plot areas."""

    texts: list[tuple[str, int, Box]] = field(default_factory=list)
    plots: dict[str, Box] = field(default_factory=dict)
    left_out: int = 0  # 要点 sentences that did not fit

    def boxes(self) -> list[Box]:
        """Every box that holds text: text blocks, and each plot with its tick labels and axis titles."""
        return [box for _, _, box in self.texts] + list(self.plots.values())


def _text_block(plan: Plan, name: str, lines: list[str], size: int, x: float, y: float, width: float) -> float:
    """Add a block of already wrapped lines at (x, y); returns the y below it."""
    height = len(lines) * size * LINE_SPACING
    plan.texts.append(("<br>".join(lines), size, Box(name, x, y, x + width, y + height)))
    return y + height


def _plan(data: BriefData) -> Plan:
    plan = Plan()
    _text_block(
        plan, "title", [f"<b>{html.escape(data.title)}</b>"], TITLE_SIZE, PAD, 20, text_width(data.title, TITLE_SIZE)
    )
    foot_width = SLIDE_WIDTH - 2 * PAD
    foot_lines = [html.escape(x) for line in data.source_lines() for x in wrap_lines(line, foot_width, FOOT_SIZE)]
    foot_top = SLIDE_HEIGHT - 12 - len(foot_lines) * FOOT_SIZE * LINE_SPACING
    _text_block(plan, "footnote", foot_lines, FOOT_SIZE, PAD, foot_top, foot_width)
    bottom = foot_top - 14
    kpis = [f"<span style='color:#666'>{label}</span>　<b>{html.escape(value)}</b>" for label, value in data.kpi_rows()]
    y = _text_block(plan, "kpis", kpis, KPI_SIZE, PAD, TOP, LEFT_WIDTH) + 14
    y = _text_block(plan, "heading", ["<b>要点</b>"], HEADING_SIZE, PAD, y, LEFT_WIDTH) + 6
    _bullets(plan, data.sentences, y, bottom)
    _plot_areas(plan, bottom)
    return plan


def _bullets(plan: Plan, sentences: list[str], top: float, bottom: float) -> None:
    """The 要点, as large as they fit; whole sentences that do not fit are left out and counted."""
    sentences = sentences or ["所选范围内没有可比较的执行、“三公”或得分数据。"]
    for size in BULLET_SIZES:
        lines: list[str] = []
        kept = 0
        for sentence in sentences:
            wrapped = wrap_lines("• " + sentence, LEFT_WIDTH, size)
            if (len(lines) + len(wrapped) + 1) * size * LINE_SPACING > bottom - top:
                break
            lines += [html.escape(line) for line in wrapped]
            kept += 1
        if kept == len(sentences) or size == BULLET_SIZES[-1]:
            break
    plan.left_out = len(sentences) - kept
    if plan.left_out:
        lines.append(html.escape(f"（另有 {plan.left_out} 条要点，见 PPTX/DOCX 简报）"))
    _text_block(plan, "bullets", lines, size, PAD, top, LEFT_WIDTH)


def _plot_areas(plan: Plan, bottom: float) -> None:
    """Three panels right of the text: execution on top, 三公 and scores side by side below."""
    right = SLIDE_WIDTH - PAD
    middle = TOP + (bottom - TOP) * 0.48
    plan.texts.append(("", 14, Box("title:execution", RIGHT_X, TOP, right, TOP + 20)))
    plan.plots["execution"] = Box("execution", RIGHT_X, TOP + PANEL_TITLE_GAP, right, middle - 16)
    split = RIGHT_X + (right - RIGHT_X) * 0.5
    low_top = middle + 12
    plan.texts.append(("", 14, Box("title:three_public", RIGHT_X, low_top, split - 20, low_top + 20)))
    plan.texts.append(("", 14, Box("title:scores", split + 20, low_top, right, low_top + 20)))
    plan.plots["three_public"] = Box("three_public", RIGHT_X, low_top + PANEL_TITLE_GAP, split - 20, bottom)
    plan.plots["scores"] = Box("scores", split + 20, low_top + PANEL_TITLE_GAP, right, bottom)


def brief_figure(data: BriefData) -> go.Figure:
    """The whole brief as one 16:9 figure: KPIs and 要点 on the left, three charts on the right,
    the sources and data-quality warnings at the foot; laid out by `_plan` so that nothing overlaps."""
    plan = _plan(data)
    fig = go.Figure()
    fig.update_layout(
        font={"family": charts.FONT_FAMILY, "size": 13},
        showlegend=False,
        template="plotly_white",
        width=SLIDE_WIDTH,
        height=SLIDE_HEIGHT,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    titles = {f"title:{key}": title for key, title in data.panel_titles().items()}
    for markup, size, box in plan.texts:
        text = f"<b>{html.escape(titles[box.name])}</b>" if box.name in titles else markup
        _place_text(fig, text, box, size, muted=box.name == "footnote")
    _execution_panel(fig, data, plan.plots["execution"])
    _three_public_panel(fig, data, plan.plots["three_public"])
    _score_panel(fig, data, plan.plots["scores"])
    return fig


def _place_text(fig: go.Figure, text: str, box: Box, size: int, muted: bool = False) -> None:
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=box.x0 / SLIDE_WIDTH,
        y=1 - box.y0 / SLIDE_HEIGHT,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        align="left",
        font={"size": size, "color": "#555" if muted else "#222"},
    )


def _domain(fig: go.Figure, box: Box, left: float = 0, below: float = TICK_BAND) -> dict[str, list[float]]:
    """Paper domains of a plot whose box includes `left` px of y labels and `below` px of x labels."""
    width, height = fig.layout.width, fig.layout.height
    return {"x": [(box.x0 + left) / width, box.x1 / width], "y": [1 - (box.y1 - below) / height, 1 - box.y0 / height]}


def _axes(fig: go.Figure, n: int, domain: dict[str, list[float]], x: dict, y: dict) -> None:
    suffix = "" if n == 1 else str(n)
    tick = {"tickfont": {"size": TICK_SIZE}, "automargin": False}
    fig.update_layout(
        {
            f"xaxis{suffix}": {"domain": domain["x"], "anchor": f"y{suffix}", **tick, **x},
            f"yaxis{suffix}": {
                "domain": domain["y"],
                "anchor": f"x{suffix}",
                "ticklabelstandoff": Y_TICK_STANDOFF,
                **tick,
                **y,
            },
        }
    )


def _empty_panel(fig: go.Figure, n: int, box: Box, sentence: str) -> None:
    """A panel without data says so in a sentence where its chart would be."""
    _axes(fig, n, _domain(fig, box), {"visible": False}, {"visible": False})
    fig.add_annotation(
        text="<br>".join(html.escape(line) for line in wrap_lines(sentence, (box.x1 - box.x0) * 0.9, 14)),
        xref="paper",
        yref="paper",
        x=(box.x0 + box.x1) / 2 / fig.layout.width,
        y=1 - (box.y0 + box.y1) / 2 / fig.layout.height,
        showarrow=False,
        font={"size": 14, "color": "#888"},
    )


def _execution_panel(fig: go.Figure, data: BriefData, box: Box) -> None:
    frame = data.execution_rows()
    if frame.empty:
        _empty_panel(fig, 1, box, "所选报告未同时列出全年预算与执行数（如部门预算），无执行率可比。")
        return
    labels = [shorten(f"{name}（{year}）", EXEC_LABEL_WIDTH - 12, TICK_SIZE) for name, year in frame.index]
    top = max(110.0, float(frame.max(numeric_only=True).max()) * 1.15)
    for column, name in (("占年初预算（%）", "执行数 ÷ 年初预算"), ("执行率（%）", "执行数 ÷ 全年预算")):
        values = frame[column]
        fig.add_trace(
            go.Bar(
                y=labels,
                x=values,
                orientation="h",
                name=name,
                marker_color=palette.series_color(name),
                text=[("" if pd.isna(v) else f"{v:.1f}%") for v in values],
                textposition="outside",
                textfont={"size": TICK_SIZE},
                cliponaxis=False,
            )
        )
    fig.add_vline(x=100, line_dash="dot", line_color=palette.NEUTRAL_LINE)
    _axes(
        fig, 1, _domain(fig, box, EXEC_LABEL_WIDTH), {"range": [0, top], "ticksuffix": "%"}, {"autorange": "reversed"}
    )


def _three_public_panel(fig: go.Figure, data: BriefData, box: Box) -> None:
    totals = data.three_public_totals()
    if totals.empty:
        _empty_panel(fig, 2, box, "所选地区的报告没有“三公”经费决算数。")
        return
    groups = list(totals.groupby("部门（单位）", sort=False))
    colors = palette.color_map(name for name, _ in groups)
    for name, group in groups:
        fig.add_trace(
            go.Scatter(
                x=group["年度"],
                y=group["决算数（万元）"],
                mode="lines+markers+text" if len(groups) <= LABELLED_SERIES else "lines+markers",
                name=name,
                xaxis="x2",
                yaxis="y2",
                line={"color": colors[name]},
                text=[f"{v:,.2f}" for v in group["决算数（万元）"]],
                textposition="top center",
                textfont={"size": TICK_SIZE},
                cliponaxis=False,
                marker={"size": 9, "symbol": ["circle-open" if d else "circle" for d in group["推算"]]},
            )
        )
    years = sorted(totals["年度"].astype(int).unique())
    _axes(
        fig,
        2,
        _domain(fig, box, TREND_GUTTER, TICK_BAND + AXIS_TITLE_BAND),
        {
            "title": {"text": "年度", "font": {"size": 12}},
            "tickvals": years,
            "range": [years[0] - 0.5, years[-1] + 0.5],
        },
        {"title": {"text": "万元", "font": {"size": 12}}, "rangemode": "tozero", "tickformat": ",~f"},
    )


def _score_panel(fig: go.Figure, data: BriefData, box: Box) -> None:
    points = data.scores.dropna(subset=["执行率（%）", "自评得分"])
    if points.empty:
        reason = (
            "有自评得分但未给出执行率。"
            if not data.scores.empty
            else "所选报告中没有自评得分（部门预算、决算不含自评）。"
        )
        _empty_panel(fig, 3, box, reason)
        return
    labelled = len(points) <= LABELLED_POINTS
    right = max(110.0, float(points["执行率（%）"].max()) + 5)
    fig.add_trace(
        go.Scatter(
            x=points["执行率（%）"],
            y=points["自评得分"],
            mode="markers+text" if labelled else "markers",
            xaxis="x3",
            yaxis="y3",
            text=[shorten(str(n), 130, TICK_SIZE) for n in points["评价对象"]],
            # Labels point into the plot, never off its right edge or over the y axis.
            textposition=["middle left" if x > right / 2 else "middle right" for x in points["执行率（%）"]],
            textfont={"size": TICK_SIZE},
            marker={"size": 11, "color": palette.SINGLE_COLOR, "line": {"width": 1, "color": "#333"}},
        )
    )
    low = max(0.0, float(points["自评得分"].min()) - 10)
    fig.add_shape(
        type="rect", xref="x3", yref="y3", x0=0, x1=LOW_EXECUTION, y0=HIGH_SCORE, y1=101,
        fillcolor=palette.WARNING_RED, opacity=0.12, line_width=0,
    )  # fmt: skip
    _axes(
        fig,
        3,
        _domain(fig, box, SCORE_GUTTER, TICK_BAND + AXIS_TITLE_BAND),
        {"title": {"text": "执行率（%）", "font": {"size": 12}}, "range": [0, right]},
        {"title": {"text": "自评得分", "font": {"size": 12}}, "range": [low, 101]},
    )


# Each chart alone (DOCX figures): (caption, panel function, axis number).
PANEL_SIZE = (1000, 520)
_PANELS = (
    ("execution", _execution_panel, 1),
    ("three_public", _three_public_panel, 2),
    ("scores", _score_panel, 3),
)


def panel_figures(data: BriefData) -> dict[str, go.Figure]:
    """Each chart of the brief as a figure of its own, keyed by its caption (DOCX)."""
    titles = data.panel_titles()
    width, height = PANEL_SIZE
    out = {}
    for key, draw, n in _PANELS:
        fig = go.Figure()
        fig.update_layout(
            font={"family": charts.FONT_FAMILY, "size": 13},
            showlegend=False,
            template="plotly_white",
            width=width,
            height=height,
            margin={"l": 0, "r": 0, "t": 0, "b": 0},
        )
        if n != 1:  # the figure's first axes would otherwise be drawn empty
            fig.update_layout(xaxis={"visible": False}, yaxis={"visible": False})
        draw(fig, data, Box(key, 16, 16, width - 24, height - 8))
        out[titles[key]] = fig
    return out


def text_boxes(data: BriefData) -> list[Box]:
    """The page's text and plot boxes as the brief lays them out (for tests and for the PPTX)."""
    return _plan(data).boxes()


def write_brief(data: BriefData, out: Path) -> Path:
    """Write the brief as .pdf, .png, .svg, .pptx or .docx (by the file's suffix)."""
    suffix = out.suffix.lower().lstrip(".")
    if suffix in IMAGE_FORMATS:
        out.write_bytes(figure_bytes(brief_figure(data), suffix))
    elif suffix == "pptx":
        out.write_bytes(brief_pptx.pptx_bytes(data))
    elif suffix == "docx":
        out.write_bytes(brief_docx.docx_bytes(data))
    else:
        raise BriefingError(f"不支持的输出格式 .{suffix}：请用 .pdf、.png、.svg、.pptx 或 .docx。")
    return out
