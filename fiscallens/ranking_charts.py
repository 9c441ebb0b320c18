"""Figures of the rankings and peer pages: a ranking, a measure across a peer group, a department's years.

Built on charts.py's layout (titles with the selection, the palette's own colours, one unit per chart
chosen by magnitude and written in the title). No Streamlit here.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from fiscallens import charts, palette
from fiscallens.peers import MEASURES
from fiscallens.presentation import amount_unit

# The department a leader picked is drawn in this colour among its peers (not a warning hue).
HIGHLIGHT_COLOR = "#1f4e79"
PEER_COLOR = "#9ecae1"
# A peer group larger than this is drawn as its highest and lowest PEER_ENDS bars plus the chosen
# department's: thousands of bars (every 财政局 of a country) say nothing and cost the browser seconds.
MAX_PEER_BARS = 40
PEER_ENDS = 15


def _unit_and_divisor(unit: str, values: pd.Series) -> tuple[str, float]:
    """Amount measures take 万元 or 亿元 by magnitude; rates and scores keep their unit."""
    return amount_unit(values.tolist()) if unit == "万元" else (unit, 1.0)


def ranking_bars(frame: pd.DataFrame, measure: str, label_column: str, title: str, selection: str) -> go.Figure:
    """Horizontal bars of a ranking (rows in rank order, first at the top), the value's unit in the title."""
    name, unit = MEASURES[measure]
    shown_unit, divisor = _unit_and_divisor(unit, frame["数值"])
    values = frame["数值"] / divisor
    labels = frame[label_column].astype(str)
    if "年度" in frame.columns:
        labels = labels + " · " + frame["年度"].astype(str)
    number = ",.2f"
    # A click opens the report behind a department's bar, or narrows the filters to a region's.
    clicks = "报告标识" if "报告标识" in frame.columns else label_column
    fig = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            name=name,
            marker={"color": palette.SINGLE_COLOR},
            text=[f"{v:{number}}" for v in values],
            textposition="outside",
            cliponaxis=False,
            customdata=frame[[clicks]].to_numpy(),
            hovertemplate=f"%{{y}}<br>{name}：%{{x:{number}}} {shown_unit}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=f"{name}（{shown_unit}）", tickformat=palette.AXIS_AMOUNT_FORMAT)
    height = max(260, 90 + 34 * len(frame))
    return charts._layout(fig, f"{title}：{name}（{shown_unit}）", selection, height=height)


def peer_bars(frame: pd.DataFrame, column: str, chosen: str | None, kind: str) -> go.Figure:
    """One measure (a column of peer_compare) for each report of a peer group; the chosen department stands out."""
    data, total = peer_sample(frame.dropna(subset=[column]), column, chosen)
    name, _, unit = column.partition("（")
    unit = unit.rstrip("）")
    shown_unit, divisor = _unit_and_divisor(unit, data[column])
    values = data[column] / divisor
    labels = data["地区"].astype(str) + " · " + data["年度"].astype(str)
    colors = [HIGHLIGHT_COLOR if d == chosen else PEER_COLOR for d in data["部门（单位）"]]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=values,
            name=name,
            marker={"color": colors},
            text=[f"{v:,.2f}" for v in values],
            textposition="outside",
            cliponaxis=False,
            # The department for the hover; a click opens the bar's report.
            customdata=data[["部门（单位）", *(["报告标识"] if "报告标识" in data.columns else [])]].to_numpy(),
            hovertemplate=f"%{{customdata[0]}}<br>%{{x}}<br>{name}：%{{y:,.2f}} {shown_unit}<extra></extra>",
        )
    )
    fig.update_xaxes(title=None, type="category")
    fig.update_yaxes(title=f"{name}（{shown_unit}）" if shown_unit else name, tickformat=palette.AXIS_AMOUNT_FORMAT)
    departments = frame["部门（单位）"].nunique()
    subtitle = f"同类部门：{kind}（{departments:,} 个部门）" + ("，深色为所选部门" if chosen else "")
    if len(data) < total:
        subtitle += f"；共 {total:,} 份报告，显示最高与最低各 {PEER_ENDS} 份及所选部门的"
    title = f"{name}（{shown_unit}）" if shown_unit else name
    return charts._layout(fig, f"同类部门对比：{title}", subtitle, height=380)


def peer_sample(data: pd.DataFrame, column: str, chosen: str | None) -> tuple[pd.DataFrame, int]:
    """(the rows to draw, how many there are): all of them up to MAX_PEER_BARS, else the PEER_ENDS highest
    and lowest by `column` and every row of the chosen department, from highest to lowest."""
    if len(data) <= MAX_PEER_BARS:
        return data, len(data)
    ranked = data.sort_values(column, ascending=False, kind="stable")
    keep = ranked.index[:PEER_ENDS].union(ranked.index[-PEER_ENDS:])
    keep = keep.union(ranked.index[ranked["部门（单位）"] == chosen])
    return ranked[ranked.index.isin(keep)], len(data)


def trend_bars(frame: pd.DataFrame, department: str) -> go.Figure:
    """A department's spending per year, 基本/项目 stacked where the report splits them, one unit for the chart."""
    data = frame.dropna(subset=["支出合计（万元）"])
    shown_unit, divisor = amount_unit(data["支出合计（万元）"].tolist())
    x = data["年度"].astype(str) + " " + data["文档类型"].astype(str)
    split = data["基本支出（万元）"].notna() & data["项目支出（万元）"].notna()
    # A click narrows the filters to the department and the bar's year.
    clicks = [[department, str(int(year))] for year in data["年度"]]
    fig = go.Figure()
    for series in ("基本支出", "项目支出"):
        values = data[f"{series}（万元）"].where(split) / divisor
        fig.add_bar(
            x=x,
            y=values,
            name=series,
            marker={"color": palette.SERIES_COLORS[series]},
            customdata=clicks,
            hovertemplate=f"%{{x}}<br>{series}：%{{y:,.2f}} {shown_unit}<extra></extra>",
        )
    unsplit = (data["支出合计（万元）"].where(~split)) / divisor
    if unsplit.notna().any():
        fig.add_bar(
            x=x,
            y=unsplit,
            name="支出合计",
            marker={"color": palette.SERIES_COLORS["执行数"]},
            customdata=clicks,
            hovertemplate=f"%{{x}}<br>支出合计：%{{y:,.2f}} {shown_unit}<extra></extra>",
        )
    totals = data["支出合计（万元）"] / divisor
    fig.add_scatter(
        x=x,
        y=totals,
        mode="text",
        text=[f"{v:,.2f}" for v in totals],
        textposition="top center",
        showlegend=False,
        hoverinfo="skip",
    )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=None, type="category")
    fig.update_yaxes(title=f"支出（{shown_unit}）", tickformat=palette.AXIS_AMOUNT_FORMAT)
    basis = "、".join(dict.fromkeys(data["口径"].astype(str))) if "口径" in data.columns else ""
    return charts._layout(fig, f"逐年支出（{shown_unit}）", f"{department} · 口径：{basis}", height=400)
