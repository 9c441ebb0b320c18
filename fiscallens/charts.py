"""Plotly figures for the dashboards and briefings, built from named-query results.

No Streamlit here: the same figure is shown on a page (drawn there by ECharts, translated by
fiscallens.screen_charts), exported as PNG/SVG and laid out in a briefing. Every figure carries its title
(with the selection in words) and axis units, so a screenshot explains itself, and its own colours
(fiscallens.palette: a colour per year and per series kind, red/orange only for warnings), so an exported
image looks like the chart on screen.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from fiscallens import palette
from fiscallens.insights import BAND_COLORS, HIGH_SCORE, LOW_EXECUTION
from fiscallens.presentation import amount_unit

THEME = "plotly_white"  # plotly's theme under our own colours, fonts and margins
FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
ITEM_ORDER = ["因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]
# Interaction hints in subtitles: true on screen, wrong in a slide or an exported image.
TREEMAP_HINT = "点击方块下钻，下方路径返回"
INTERACTION_HINTS = (TREEMAP_HINT,)
# A group with fewer values than this is drawn as its points, not as a box: quartiles of 1–7
# values suggest a distribution that is not there.
MIN_BOX_VALUES = 8
# The score/execution scatter draws every evaluation up to this many (SVG points, still quick to draw).
MAX_SCATTER_POINTS = 5000
# Trace types whose series colour is one marker colour (the others use colour scales or lists).
SERIES_TRACES = frozenset({"bar", "scatter", "scattergl", "box", "histogram", "violin", "funnel"})


def _layout(fig: go.Figure, title: str, subtitle: str | None = None, height: int = 460) -> go.Figure:
    # Titles carry the selection in words (department names from the URL and the documents): plotly
    # renders a subset of HTML in titles, so they are escaped; only the <br>/<sup> here are markup.
    text = html.escape(title) if not subtitle else f"{html.escape(title)}<br><sup>{html.escape(subtitle)}</sup>"
    with_theme(fig)
    fig.update_layout(
        title={"text": text, "x": 0.01, "xanchor": "left"},
        font={"family": FONT_FAMILY, "size": 13},
        height=height,
        margin={"l": 60, "r": 30, "t": 80, "b": 60},
        legend={"title": None},
        colorway=list(palette.CATEGORY_PALETTE),
        separators=".,",
    )
    return own_colors(fig)


def with_theme(fig: go.Figure) -> go.Figure:
    """`fig` on plotly's "plotly_white" theme (THEME), set as plotly sets its default theme on a new figure:
    without validating it again. `update_layout(template=…)` validates a deep copy of the theme's hundreds of
    settings, 10–30 ms per figure on every filter change; the JSON is the same (tests/unit/test_charts.py)."""
    layout = fig.layout
    layout._validate = False  # plotly's own _initialize_layout_template does the same with its default theme
    try:
        layout.template = pio.templates[THEME]
    finally:
        layout._validate = fig._validate
    return fig


def own_colors(fig: go.Figure) -> go.Figure:
    """Every trace with an explicit colour: a theme's placeholder or an unset colour takes the palette's
    colour for the trace's name (a year, a series kind) or the next category colour."""
    others = 0
    for trace in fig.data:
        marker = getattr(trace, "marker", None)
        if marker is None or trace.type not in SERIES_TRACES:  # treemaps, heatmaps, maps: colour scales
            continue
        color = marker.color
        if color is not None and not palette.is_placeholder(color):
            continue
        name = str(trace.name or "")
        known = name in palette.SERIES_COLORS or (name.isdigit() and len(name) == 4)
        marker.color = palette.series_color(name, others)
        others += not known
        if trace.type == "scatter" and trace.line is not None:
            trace.line.color = marker.color
    return fig


def _amount_axis(fig: go.Figure, axis: str, title: str) -> None:
    """An amount axis: its unit in the title, thousands separators on the ticks and in the hover."""
    update = fig.update_yaxes if axis == "y" else fig.update_xaxes
    update(title=title, tickformat=palette.AXIS_AMOUNT_FORMAT)
    fig.update_traces(**{f"{axis}hoverformat": palette.AMOUNT_FORMAT}, selector={"type": "bar"})


def _scaled(frame: pd.DataFrame, columns: list[str], drawn: pd.Series | None = None) -> tuple[pd.DataFrame, str]:
    """Amount columns (万元) rescaled to the unit the largest drawn amount calls for (`drawn`: what a bar
    reaches, e.g. a stack's total; by default the columns' own values)."""
    values = drawn.tolist() if drawn is not None else [v for c in columns for v in frame[c].tolist()]
    unit, divisor = amount_unit(values)
    out = frame.copy()
    for column in columns:
        out[column] = out[column] / divisor
    return out, unit


# Bars beyond this many lose their value labels (the hover still shows them): fitting a label to
# every bar is what makes a chart of hundreds of bars slow to draw in the browser.
MAX_LABELLED_BARS = 60


def _labels(values: pd.Series, pattern: str) -> pd.Series | None:
    return values.map(pattern.format) if len(values) <= MAX_LABELLED_BARS else None


def _objects(frame: pd.DataFrame) -> pd.Series:
    """Bar labels: the region (rows aggregated per region and year), or region · object (per report)."""
    if "评价对象" in frame.columns:
        return frame["地区"] + "·" + frame["评价对象"]
    return frame["地区"]


# What a click on a point means (ui.filters.click_target reads a point's customdata first): the report
# behind a point that is one report, else its region and year. Listed before any hover values, so an
# amount or a count that looks like a year is never taken for one.
CLICK_COLUMNS = ("报告标识", "地区", "年度")


def click_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of `frame` that say what a click on its point opens or narrows to (CLICK_COLUMNS)."""
    if "报告标识" in frame.columns and "评价对象" in frame.columns:  # one point per report
        return ["报告标识"]
    return [c for c in CLICK_COLUMNS[1:] if c in frame.columns]


def _series_bars(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    order: list[str] | None = None,
    text: pd.Series | None = None,
    custom: list[str] | None = None,
    hover: dict[str, str] | None = None,
    horizontal: bool = False,
    barmode: str = "group",
    value_format: str = ",.2f",
) -> go.Figure:
    """One bar trace per value of `series` (in `order`, else as they come), coloured by palette.color_map:
    what plotly express's px.bar(color=series) draws, made directly. Express spent 30–110 ms per figure
    deriving these few traces, on every filter change. `custom` columns lead the customdata (a click reads
    them); `hover` adds columns to the hover, each with its number format ("" for none)."""
    custom, hover = list(custom or []), dict(hover or {})
    columns = [*custom, *hover]
    value, value_axis, category_axis = (x, "x", "y") if horizontal else (y, "y", "x")
    lines = [f"{series}：%{{fullData.name}}", f"%{{{category_axis}}}", f"{value}：%{{{value_axis}:{value_format}}}"]
    template = "<br>".join(lines + _customdata_lines(hover, start=len(custom))) + "<extra></extra>"
    keys = data[series].astype(str)
    names = [str(n) for n in (order if order is not None else dict.fromkeys(keys))]
    colors = palette.color_map(names)
    traces = []
    for name in names:
        rows = (keys == name).to_numpy()
        part = data[rows]
        if part.empty:
            continue
        traces.append(
            go.Bar(
                x=part[x],
                y=part[y],
                name=name,
                legendgroup=name,
                offsetgroup=name if barmode == "group" else None,  # side by side only when grouped
                orientation="h" if horizontal else "v",
                marker={"color": colors[name]},
                text=None if text is None else text[rows],
                textposition="auto",
                customdata=part[columns].to_numpy() if columns else None,
                hovertemplate=template,
            )
        )
    fig = go.Figure(traces)
    fig.update_layout(barmode=barmode, legend={"title": {"text": series}, "tracegroupgap": 0})
    fig.update_xaxes(title=x)
    fig.update_yaxes(title=y)
    return fig


def _customdata_lines(columns: dict[str, str], start: int) -> list[str]:
    """Hover lines "column：value" for customdata columns from index `start`, each with its number format
    ("" for none)."""
    return [
        f"{column}：%{{customdata[{i}]{':' + number_format if number_format else ''}}}"
        for i, (column, number_format) in enumerate(columns.items(), start=start)
    ]


def execution_rates(frame: pd.DataFrame, selection: str) -> go.Figure:
    """Execution rate per region and year (sum of actuals ÷ sum of budgets), over the credibility bands."""
    data = frame.assign(对象=_objects(frame), 年度=frame["年度"].astype(str))
    hover = {"全年预算（万元）": ",.2f", "执行数（万元）": ",.2f"}
    if "报告数" in data.columns:
        hover["报告数"] = ""
    fig = _series_bars(
        data,
        x="对象",
        y="执行率（%）",
        series="年度",
        order=sorted(data["年度"].unique()),
        text=_labels(data["执行率（%）"], "{:.1f}%"),
        custom=click_columns(data),
        hover=hover,
    )
    upper = max(120.0, float(data["执行率（%）"].max() or 0) + 10)
    bands = [(95, 105, 0), (90, 95, 1), (105, 110, 1), (85, 90, 2), (110, 115, 2), (0, 85, 3), (115, upper, 3)]
    # The bands and the 100 % line as plain shapes in one update: seven add_hrect calls cost plotly ~160 ms.
    band = {"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "opacity": 0.12, "layer": "below"}
    shapes = [{**band, "y0": lo, "y1": hi, "fillcolor": BAND_COLORS[i], "line": {"width": 0}} for lo, hi, i in bands]
    line = {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": 100, "y1": 100}
    shapes.append({**line, "line": {"dash": "dot", "color": palette.NEUTRAL_LINE}})
    note = {"text": "100%", "xref": "paper", "x": 0, "yref": "y", "y": 100, "showarrow": False}
    fig.update_layout(shapes=shapes, annotations=[{**note, "xanchor": "left", "yanchor": "bottom"}])
    fig.update_yaxes(title="执行率（%）", range=[0, upper])
    fig.update_xaxes(title=None)
    per = "各地区、各年度合计" if "评价对象" not in frame.columns else "各报告"
    return _layout(
        fig,
        f"预算执行率（%，执行数 ÷ 全年预算数，{per}）",
        f"{selection} · 底色：偏离 100% 在 ±5%/±10%/±15% 以内及以外",
    )


def execution_two_views(frame: pd.DataFrame, selection: str) -> go.Figure:
    """Actual against the adjusted budget and against the initial budget, side by side."""
    data = frame.assign(对象=_objects(frame) + "（" + frame["年度"].astype(str) + "）", 年度=frame["年度"].astype(str))
    clicks = click_columns(data)
    long = data.melt(
        id_vars=["对象", *clicks],
        value_vars=["执行率（%）", "占年初预算（%）"],
        var_name="口径",
        value_name="比例（%）",
    ).dropna()
    long["口径"] = long["口径"].map({"执行率（%）": "执行数 ÷ 全年预算", "占年初预算（%）": "执行数 ÷ 年初预算"})
    fig = _series_bars(
        long, x="对象", y="比例（%）", series="口径", text=_labels(long["比例（%）"], "{:.1f}%"), custom=clicks
    )
    fig.add_hline(y=100, line_dash="dot", line_color=palette.NEUTRAL_LINE)
    fig.update_yaxes(title="占预算比例（%）")
    fig.update_xaxes(title=None)
    return _layout(fig, "执行数占全年预算与占年初预算（%）", f"{selection} · 两者差距反映年中预算调整幅度")


def function_treemap(tree: pd.DataFrame, selection: str) -> go.Figure:
    """类 → 款 → 项 treemap: click a box to drill down, the path bar leads back."""
    data, unit = _scaled(tree, ["合计（万元）", "基本支出（万元）", "项目支出（万元）"])
    codes = set(data["科目编码"])
    parents = [p if p in codes else "" for p in data["上级编码"].fillna("")]
    children_sum = data.assign(parent=parents).groupby("parent")["合计（万元）"].sum()
    # Each box's own value is what its children do not account for, so the areas add up.
    own = [
        max(total - children_sum.get(code, 0.0), 0.0)
        for code, total in zip(data["科目编码"], data["合计（万元）"], strict=True)
    ]
    labels = (data["科目编码"] + " " + data["科目名称"].fillna("")).tolist()
    # A colour per 类 (the first three digits), shared by its 款 and 项.
    classes = list(dict.fromkeys(str(code)[:3] for code in data["科目编码"]))
    class_color = {c: palette.CATEGORY_PALETTE[i % len(palette.CATEGORY_PALETTE)] for i, c in enumerate(classes)}
    fig = go.Figure(
        go.Treemap(
            ids=data["科目编码"],
            labels=labels,
            parents=parents,
            values=own,
            branchvalues="remainder",
            customdata=data[["合计（万元）", "基本支出（万元）", "项目支出（万元）"]].fillna(0).to_numpy(),
            hovertemplate=(
                "%{label}<br>合计 %{customdata[0]:,.2f} "
                + unit
                + "<br>基本支出 %{customdata[1]:,.2f} "
                + unit
                + "<br>项目支出 %{customdata[2]:,.2f} "
                + unit
                + "<extra></extra>"
            ),
            texttemplate="%{label}<br>%{customdata[0]:,.2f} " + unit,
            pathbar={"visible": True},
            maxdepth=3,
            marker={"colors": [class_color[str(code)[:3]] for code in data["科目编码"]]},
        )
    )
    return _layout(fig, f"支出功能分类结构（{unit}）", f"{selection} · {TREEMAP_HINT}", height=560)


def function_split(tree: pd.DataFrame, selection: str) -> go.Figure:
    """Basic vs project spending for each 类."""
    top = tree[tree["级次"] == "类"]
    # The stacked bar reaches 合计: its unit is the treemap's above it.
    data, unit = _scaled(top, ["基本支出（万元）", "项目支出（万元）"], drawn=top["合计（万元）"])
    data = data.assign(科目=data["科目编码"] + " " + data["科目名称"].fillna(""))
    long = data.melt(
        id_vars=["科目"], value_vars=["基本支出（万元）", "项目支出（万元）"], var_name="类别", value_name="金额"
    )
    long["类别"] = long["类别"].str.replace("（万元）", "")
    fig = _series_bars(long, y="科目", x="金额", series="类别", horizontal=True, barmode="stack")
    _amount_axis(fig, "x", f"金额（{unit}）")
    fig.update_yaxes(title=None, autorange="reversed")
    return _layout(fig, f"各类支出的基本支出与项目支出（{unit}）", selection)


def function_code_compare(frame: pd.DataFrame, code_label: str, selection: str) -> go.Figure:
    """One code per region, year and basis (summed over the reports), or per report when given those rows."""
    data, unit = _scaled(frame, ["合计（万元）", "基本支出（万元）", "项目支出（万元）"])
    data = data.assign(
        对象=data["地区"] + "·" + data["年度"].astype(str) + "·" + data["口径"], 年度=data["年度"].astype(str)
    )
    color = "部门（单位）" if "部门（单位）" in data.columns else "口径"
    clicks = ["报告标识"] if "报告标识" in data.columns else click_columns(data)
    hover = {"报告数": ""} if "报告数" in data.columns else None
    total = f"合计（{unit}）"  # the amounts are in `unit` now; the hover says so
    fig = _series_bars(
        data.rename(columns={"合计（万元）": total}),
        x="对象",
        y=total,
        series=color,
        text=_labels(data["合计（万元）"], "{:,.2f}"),
        custom=clicks,
        hover=hover,
        barmode="relative",  # plotly express's default, kept: one bar per 对象
    )
    _amount_axis(fig, "y", f"支出（{unit}）")
    fig.update_xaxes(title=None)
    return _layout(fig, f"科目 {code_label} 跨地区、跨年度比较（{unit}）", selection)


def three_public_trend(frame: pd.DataFrame, selection: str) -> go.Figure:
    """Total 三公 spending over the years per region (or per department); derived points are hollow."""
    derived = "推算" if "推算" in frame.columns else "含推算"
    totals = frame[(frame["item"] == "total") & frame["决算数（万元）"].notna()].copy()
    totals = totals[totals["口径"] == "决算"] if "口径" in totals.columns else totals
    totals["系列"] = totals["地区"] + ("·" + totals["部门（单位）"] if "部门（单位）" in totals.columns else "")
    totals[derived] = totals[derived].fillna(False).astype(bool)
    data, unit = _scaled(totals, ["决算数（万元）"])
    # A click narrows to the point's department (or region) and year.
    who = "部门（单位）" if "部门（单位）" in data.columns else "地区"
    data = data.sort_values("年度", kind="stable")
    # Plain arrays sliced per series: a pandas group per series (Arrow strings) cost more than the figure.
    year, value, hollow_point = data["年度"].to_numpy(), data["决算数（万元）"].to_numpy(), data[derived].to_numpy()
    owner = data[who].astype(object).to_numpy()
    labelled = len(data) <= MAX_LABELLED_BARS
    series_rows = dict(sorted(data.groupby("系列").indices.items()))
    colors = palette.color_map(series_rows)
    traces = []
    for series, rows in series_rows.items():
        color = colors[series]
        traces.append(
            go.Scatter(
                x=year[rows],
                y=value[rows],
                mode="lines+markers+text" if labelled else "lines+markers",
                name=series,
                text=[
                    f"{v:,.2f}" + ("（推算）" if d else "")
                    for v, d in zip(value[rows], hollow_point[rows], strict=True)
                ],
                textposition="top center",
                marker={
                    "size": 11,
                    "symbol": ["circle-open" if d else "circle" for d in hollow_point[rows]],
                    "line": {"width": 2, "color": color},
                    "color": color,
                },
                line={"color": color},
                customdata=[[w, str(int(y))] for w, y in zip(owner[rows], year[rows], strict=True)],
                hovertemplate="%{x} 年：%{y:,.2f} " + unit + "<extra>%{fullData.name}</extra>",
            )
        )
    fig = go.Figure(traces)
    years = data["年度"].dropna()
    if not years.empty:  # room for the labels of the first and last points
        fig.update_xaxes(range=[years.min() - 0.6, years.max() + 0.6])
    fig.update_xaxes(title="年度", dtick=1)
    fig.update_yaxes(title=f"决算数（{unit}）", rangemode="tozero", tickformat=palette.AXIS_AMOUNT_FORMAT)
    hollow = "空心点为由“较上年增减”推算的上年数" if derived == "推算" else "空心点：该年合计只由推算的上年数构成"
    return _layout(fig, f"“三公”经费决算数趋势（{unit}）", f"{selection} · {hollow}")


def three_public_items(frame: pd.DataFrame, selection: str) -> go.Figure:
    """The items (出国, 车辆购置, 车辆运行, 接待) stacked in one bar per region, year and basis (预算/决算):
    regions and years are never added into one bar."""
    items = frame[frame["项目"].isin(ITEM_ORDER)]
    long = items.melt(
        id_vars=["地区", "年度", "项目"],
        value_vars=["预算数（万元）", "决算数（万元）"],
        var_name="口径",
        value_name="金额（万元）",
    ).dropna(subset=["金额（万元）"])
    long["口径"] = long["口径"].str.replace("数（万元）", "")
    long = long.groupby(["地区", "年度", "口径", "项目"], as_index=False)["金额（万元）"].sum()
    stacks = long.groupby(["地区", "年度", "口径"])["金额（万元）"].sum()
    data, unit = _scaled(long, ["金额（万元）"], drawn=stacks)
    data = data.sort_values(["地区", "年度", "口径"], ascending=[True, True, False])
    # Two-level axis: the region below, year · basis above, so each bar is one region's one year.
    fig = go.Figure()
    for item in ITEM_ORDER:
        rows = data[data["项目"] == item]
        if rows.empty:
            continue
        fig.add_trace(
            go.Bar(
                x=[rows["地区"].tolist(), (rows["年度"].astype(str) + "·" + rows["口径"]).tolist()],
                y=rows["金额（万元）"],
                name=item,
                marker={"color": palette.series_color(item)},
                customdata=[[r, str(int(y))] for r, y in zip(rows["地区"], rows["年度"], strict=True)],
                hovertemplate="%{x}<br>" + item + "：%{y:,.2f} " + unit + "<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=None)
    _amount_axis(fig, "y", f"金额（{unit}）")
    return _layout(fig, f"“三公”经费分项：各地区、各年度预算数与决算数（{unit}）", selection)


SCORE_LIST = "各对象得分"


def _score_points(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per score of the regions with fewer than MIN_BOX_VALUES scores (listed by the query)."""
    if SCORE_LIST not in frame.columns:
        return pd.DataFrame(columns=["地区", "自评得分"])
    few = frame[frame["评价对象数"] < MIN_BOX_VALUES]
    rows = [
        (region, float(score))
        for region, scores in zip(few["地区"], few[SCORE_LIST], strict=True)
        if scores is not None and not (isinstance(scores, float) and pd.isna(scores))
        for score in scores
    ]
    return pd.DataFrame(rows, columns=["地区", "自评得分"])


def score_distribution(frame: pd.DataFrame, selection: str) -> go.Figure:
    """A box per region from the quartiles computed in SQL (queries/score_by_region.sql); a region with
    fewer than MIN_BOX_VALUES scores shows its scores as points instead."""
    points = _score_points(frame)
    boxes = frame[~frame["地区"].isin(set(points["地区"]))]
    fig = go.Figure()
    if not boxes.empty:
        fig.add_trace(
            go.Box(
                x=boxes["地区"],
                q1=boxes["下四分位"],
                median=boxes["中位数"],
                q3=boxes["上四分位"],
                lowerfence=boxes["最低分"],
                upperfence=boxes["最高分"],
                mean=boxes["平均分"],
                # The region for a click; the count as text (2023 evaluations are not the year 2023).
                customdata=[[r, f"{int(n):,}"] for r, n in zip(boxes["地区"], boxes["评价对象数"], strict=True)],
                hovertemplate="%{x}<br>%{customdata[1]} 个评价对象<extra></extra>",
                marker_color=palette.SINGLE_COLOR,
                name=f"分布（{MIN_BOX_VALUES} 个及以上）",
            )
        )
    if not points.empty:
        fig.add_trace(
            go.Scatter(
                x=points["地区"],
                y=points["自评得分"],
                mode="markers",
                customdata=points[["地区"]].to_numpy(),
                marker={"color": palette.SINGLE_COLOR, "size": 10, "line": {"width": 1, "color": "#ffffff"}},
                hovertemplate="%{x}<br>%{y:.2f} 分<extra></extra>",
                name=f"各对象得分（不足 {MIN_BOX_VALUES} 个）",
            )
        )
    fig.update_yaxes(title="自评得分（满分 100）")
    fig.update_xaxes(title=None, type="category", categoryorder="array", categoryarray=frame["地区"].tolist())
    fig.update_layout(showlegend=not points.empty and not boxes.empty)
    if points.empty:
        how = "箱线：最低、四分位、中位数、最高"
    elif boxes.empty:
        how = f"评价对象不足 {MIN_BOX_VALUES} 个，逐个画点"
    else:
        how = f"不足 {MIN_BOX_VALUES} 个的地区逐个画点"
    return _layout(fig, "自评得分分布（按地区，分）", f"{selection} · {how}")


def grade_counts(frame: pd.DataFrame, selection: str) -> go.Figure:
    grades = ["优", "良", "中", "较差", "差", "未评级"]
    fig = _series_bars(frame, x="等级", y="个数", series="层级", barmode="relative", value_format=",")
    fig.update_xaxes(categoryorder="array", categoryarray=grades)
    fig.update_yaxes(title="评价对象数（个）", rangemode="tozero", tickformat=",d")
    return _layout(fig, "自评等级分布（个）", selection)


def score_vs_execution(frame: pd.DataFrame, selection: str) -> go.Figure:
    """Each evaluation at its own execution rate and score (queries/score_execution_points.sql); the
    axes take in every point, and the high-score, low-execution corner is shaded."""
    data = frame.dropna(subset=["执行率（%）", "自评得分"])
    total = int(data["评价对象总数"].iloc[0]) if "评价对象总数" in data.columns and not data.empty else len(data)
    names = data["地区"].fillna("") + " · " + data["年度"].astype("Int64").astype(str) + "<br>" + data["评价对象"]
    fig = go.Figure(
        go.Scatter(
            x=data["执行率（%）"],
            y=data["自评得分"],
            mode="markers",
            text=names,
            # A click opens the evaluation's report.
            customdata=data[["报告标识"]].to_numpy() if "报告标识" in data.columns else None,
            marker={"color": palette.SINGLE_COLOR, "size": 9, "opacity": 0.7, "line": {"width": 1, "color": "#333"}},
            hovertemplate="%{text}<br>执行率 %{x:,.2f}%<br>自评 %{y:.2f} 分<extra></extra>",
            name="评价对象",
        )
    )
    rates, scores = data["执行率（%）"], data["自评得分"]
    low_x = min(0.0, float(rates.min()) - 5) if not data.empty else 0.0
    high_x = max(110.0, float(rates.max()) + 5) if not data.empty else 110.0
    low_y = max(0.0, float(scores.min()) - 5) if not data.empty else 0.0
    high_y = max(101.0, float(scores.max()) + 2) if not data.empty else 101.0
    fig.add_shape(
        type="rect",
        x0=low_x,
        x1=LOW_EXECUTION,
        y0=HIGH_SCORE,
        y1=high_y,
        fillcolor=palette.WARNING_RED,
        opacity=0.12,
        line_width=0,
    )
    fig.add_annotation(
        x=LOW_EXECUTION, y=HIGH_SCORE, text="高分低执行", showarrow=False, xanchor="right", yanchor="bottom"
    )
    fig.update_xaxes(title="执行率（%）", range=[low_x, high_x])
    fig.update_yaxes(title="自评得分（分）", range=[low_y, high_y])
    shown = f"共 {total:,} 个评价对象" if total <= len(data) else f"共 {total:,} 个评价对象，图中显示 {len(data):,} 个"
    return _layout(
        fig,
        "自评得分与预算执行率（每点一个评价对象）",
        f"{selection} · {shown} · 阴影区：自评 ≥ {HIGH_SCORE:g} 分且执行率 < {LOW_EXECUTION:g}%",
    )


def indicator_losses(frame: pd.DataFrame, selection: str, top: int = 15) -> go.Figure:
    data = frame.head(top).iloc[::-1]
    labels = data["评价对象"].str.slice(0, 12) + "·" + data["三级指标"].fillna("")
    data = data.assign(年度=data["年度"].astype(str))
    clicks, shown = click_columns(data), ["年度指标值", "实际完成值", "分值", "得分"]
    hover = "".join(f"<br>{line}" for line in _customdata_lines(dict.fromkeys(shown, ""), start=len(clicks)))
    fig = go.Figure(
        go.Bar(
            x=data["失分"],
            y=labels,
            orientation="h",
            name="失分",
            showlegend=False,
            marker={"color": palette.SINGLE_COLOR},
            customdata=data[[*clicks, *shown]].to_numpy(),
            hovertemplate="%{y}<br>失分：%{x}" + hover + "<extra></extra>",
        )
    )
    fig.update_layout(barmode="relative")
    fig.update_xaxes(title="失分（分值 − 得分）")
    fig.update_yaxes(title=None)
    return _layout(
        fig, f"失分最多的 {min(top, len(frame))} 个指标（分）", selection, height=max(320, 40 * len(data) + 120)
    )


def coverage_matrix(frame: pd.DataFrame, selection: str) -> go.Figure:
    """Which reports exist: region against year (all types summed; the types are in the hover)."""
    matrix = frame.pivot_table(index="地区", columns="年度", values="报告数", aggfunc="sum", fill_value=0)
    kinds = (
        frame.assign(part=frame["类型"] + " " + frame["报告数"].astype(str))
        .groupby(["地区", "年度"])["part"]
        .agg("<br>".join)
    )
    hover = [[kinds.get((region, year), "") for year in matrix.columns] for region in matrix.index]
    fig = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(),
            x=[str(c) for c in matrix.columns],
            y=list(matrix.index),
            text=matrix.to_numpy(),
            texttemplate="%{text}",
            customdata=hover,
            hovertemplate="%{y} · %{x} 年<br>%{customdata}<extra></extra>",
            colorscale="Blues",
            showscale=False,
        )
    )
    fig.update_xaxes(title="年度", type="category")
    fig.update_yaxes(title=None, autorange="reversed", type="category")
    return _layout(
        fig,
        "各地区、各年度已有的报告（份）",
        f"{selection} · 0 即缺少该年度的报告；悬停可见各类型份数",
        height=max(280, 26 * len(matrix) + 160),
    )


def static_figure(fig: go.Figure) -> go.Figure:
    """A copy for a slide or an exported image: no hint to click, no treemap path bar, and (for figures
    built outside this module) no theme placeholder colours left for a browser to resolve."""
    out = go.Figure(fig)
    colorway = out.layout.template.layout.colorway or ()
    if any(palette.is_placeholder(c) for c in colorway):  # Streamlit's template: only its browser code knows it
        with_theme(out).update_layout(colorway=list(palette.CATEGORY_PALETTE))
    own_colors(out)
    title = out.layout.title.text or ""
    for hint in INTERACTION_HINTS:
        title = title.replace(f" · {hint}", "").replace(hint, "")
    out.update_layout(title_text=title)
    out.update_traces(pathbar={"visible": False}, selector={"type": "treemap"})
    return out
