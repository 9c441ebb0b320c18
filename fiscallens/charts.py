"""Plotly figures for the dashboards and briefings, built from named-query results.

No Streamlit here: the same figure is shown on a page, exported as PNG/SVG and laid out in a
briefing. Every figure carries its title (with the selection in words) and axis units, so a
screenshot explains itself.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from fiscallens.insights import BAND_COLORS, HIGH_SCORE, LOW_EXECUTION
from fiscallens.presentation import amount_unit

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
ITEM_ORDER = ["因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]


def _layout(fig: go.Figure, title: str, subtitle: str | None = None, height: int = 460) -> go.Figure:
    # Titles carry the selection in words (department names from the URL and the documents): plotly
    # renders a subset of HTML in titles, so they are escaped; only the <br>/<sup> here are markup.
    text = html.escape(title) if not subtitle else f"{html.escape(title)}<br><sup>{html.escape(subtitle)}</sup>"
    fig.update_layout(
        title={"text": text, "x": 0.01, "xanchor": "left"},
        font={"family": FONT_FAMILY, "size": 13},
        height=height,
        margin={"l": 60, "r": 30, "t": 80, "b": 60},
        legend={"title": None},
        template="plotly_white",
    )
    return fig


def _scaled(frame: pd.DataFrame, columns: list[str]) -> tuple[pd.DataFrame, str]:
    """Amount columns (万元) rescaled to the unit the largest value calls for."""
    unit, divisor = amount_unit(v for c in columns for v in frame[c].tolist())
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


def execution_rates(frame: pd.DataFrame, selection: str) -> go.Figure:
    """Execution rate per region and year (sum of actuals ÷ sum of budgets), over the credibility bands."""
    data = frame.assign(对象=_objects(frame), 年度=frame["年度"].astype(str))
    hover = {"全年预算（万元）": ":,.2f", "执行数（万元）": ":,.2f", "对象": False}
    if "报告数" in data.columns:
        hover["报告数"] = True
    fig = px.bar(
        data,
        x="对象",
        y="执行率（%）",
        color="年度",
        barmode="group",
        text=_labels(data["执行率（%）"], "{:.1f}%"),
        hover_data=hover,
    )
    upper = max(120.0, float(data["执行率（%）"].max() or 0) + 10)
    bands = [(95, 105, 0), (90, 95, 1), (105, 110, 1), (85, 90, 2), (110, 115, 2), (0, 85, 3), (115, upper, 3)]
    for low, high, index in bands:
        fig.add_hrect(y0=low, y1=high, fillcolor=BAND_COLORS[index], opacity=0.12, line_width=0, layer="below")
    fig.add_hline(y=100, line_dash="dot", line_color="#555", annotation_text="100%", annotation_position="top left")
    fig.update_yaxes(title="执行率（%）", range=[0, upper])
    fig.update_xaxes(title=None)
    per = "各地区、各年度合计" if "评价对象" not in frame.columns else "各报告"
    return _layout(
        fig,
        f"预算执行率（执行数 ÷ 全年预算数，{per}）",
        f"{selection} · 底色：偏离 100% 在 ±5%/±10%/±15% 以内及以外",
    )


def execution_two_views(frame: pd.DataFrame, selection: str) -> go.Figure:
    """Actual against the adjusted budget and against the initial budget, side by side."""
    data = frame.assign(对象=_objects(frame) + "（" + frame["年度"].astype(str) + "）")
    long = data.melt(
        id_vars=["对象"],
        value_vars=["执行率（%）", "占年初预算（%）"],
        var_name="口径",
        value_name="比例（%）",
    ).dropna()
    long["口径"] = long["口径"].map({"执行率（%）": "执行数 ÷ 全年预算", "占年初预算（%）": "执行数 ÷ 年初预算"})
    fig = px.bar(
        long, x="对象", y="比例（%）", color="口径", barmode="group", text=_labels(long["比例（%）"], "{:.1f}%")
    )
    fig.add_hline(y=100, line_dash="dot", line_color="#555")
    fig.update_yaxes(title="占预算比例（%）")
    fig.update_xaxes(title=None)
    return _layout(fig, "执行数占全年预算与占年初预算", f"{selection} · 两者差距反映年中预算调整幅度")


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
        )
    )
    return _layout(fig, f"支出功能分类结构（{unit}）", f"{selection} · 点击方块下钻，上方路径返回", height=560)


def function_split(tree: pd.DataFrame, selection: str) -> go.Figure:
    """Basic vs project spending for each 类."""
    top = tree[tree["级次"] == "类"]
    data, unit = _scaled(top, ["基本支出（万元）", "项目支出（万元）"])
    data = data.assign(科目=data["科目编码"] + " " + data["科目名称"].fillna(""))
    long = data.melt(
        id_vars=["科目"], value_vars=["基本支出（万元）", "项目支出（万元）"], var_name="类别", value_name="金额"
    )
    long["类别"] = long["类别"].str.replace("（万元）", "")
    fig = px.bar(long, y="科目", x="金额", color="类别", orientation="h", barmode="stack")
    fig.update_xaxes(title=f"金额（{unit}）")
    fig.update_yaxes(title=None, autorange="reversed")
    return _layout(fig, f"各类支出的基本支出与项目支出（{unit}）", selection)


def function_code_compare(frame: pd.DataFrame, code_label: str, selection: str) -> go.Figure:
    """One code per region, year and basis (summed over the reports), or per report when given those rows."""
    data, unit = _scaled(frame, ["合计（万元）", "基本支出（万元）", "项目支出（万元）"])
    data = data.assign(对象=data["地区"] + "·" + data["年度"].astype(str) + "·" + data["口径"])
    color = "部门（单位）" if "部门（单位）" in data.columns else "口径"
    hover = {"报告数": True} if "报告数" in data.columns else None
    fig = px.bar(
        data, x="对象", y="合计（万元）", color=color, text=_labels(data["合计（万元）"], "{:,.2f}"), hover_data=hover
    )
    fig.update_yaxes(title=f"支出（{unit}）")
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
    fig = go.Figure()
    for series, group in data.sort_values("年度").groupby("系列"):
        fig.add_trace(
            go.Scatter(
                x=group["年度"],
                y=group["决算数（万元）"],
                mode="lines+markers+text" if len(data) <= MAX_LABELLED_BARS else "lines+markers",
                name=series,
                text=[
                    f"{v:,.2f}" + ("（推算）" if d else "")
                    for v, d in zip(group["决算数（万元）"], group[derived], strict=True)
                ],
                textposition="top center",
                marker={
                    "size": 11,
                    "symbol": ["circle-open" if d else "circle" for d in group[derived]],
                    "line": {"width": 2},
                },
            )
        )
    years = data["年度"].dropna()
    if not years.empty:  # room for the labels of the first and last points
        fig.update_xaxes(range=[years.min() - 0.6, years.max() + 0.6])
    fig.update_xaxes(title="年度", dtick=1)
    fig.update_yaxes(title=f"决算数（{unit}）", rangemode="tozero")
    hollow = "空心点为由“较上年增减”推算的上年数" if derived == "推算" else "空心点：该年合计只由推算的上年数构成"
    return _layout(fig, f"“三公”经费决算数趋势（{unit}）", f"{selection} · {hollow}")


def three_public_items(frame: pd.DataFrame, selection: str) -> go.Figure:
    """The items (出国, 车辆购置, 车辆运行, 接待) stacked per year, budget vs actual, summed over the selection."""
    items = frame[frame["项目"].isin(ITEM_ORDER)]
    long = items.melt(
        id_vars=["年度", "项目"],
        value_vars=["预算数（万元）", "决算数（万元）"],
        var_name="口径",
        value_name="金额（万元）",
    ).dropna(subset=["金额（万元）"])
    long["口径"] = long["口径"].str.replace("数（万元）", "")
    long = long.groupby(["年度", "口径", "项目"], as_index=False)["金额（万元）"].sum()
    data, unit = _scaled(long, ["金额（万元）"])
    data["对象"] = data["年度"].astype(str) + "·" + data["口径"]
    fig = px.bar(
        data.sort_values(["年度", "口径"]),
        x="对象",
        y="金额（万元）",
        color="项目",
        category_orders={"项目": ITEM_ORDER},
        barmode="stack",
    )
    fig.update_xaxes(title=None)
    fig.update_yaxes(title=f"金额（{unit}）")
    return _layout(fig, f"“三公”经费分项：预算数与决算数（{unit}，所选范围合计）", selection)


def score_distribution(frame: pd.DataFrame, selection: str) -> go.Figure:
    """A box per region from the quartiles computed in SQL (queries/score_by_region.sql)."""
    fig = go.Figure(
        go.Box(
            x=frame["地区"],
            q1=frame["下四分位"],
            median=frame["中位数"],
            q3=frame["上四分位"],
            lowerfence=frame["最低分"],
            upperfence=frame["最高分"],
            mean=frame["平均分"],
            customdata=frame[["评价对象数"]].to_numpy(),
            hovertemplate="%{x}<br>%{customdata[0]} 个评价对象<extra></extra>",
            marker_color="#1f77b4",
        )
    )
    fig.update_yaxes(title="自评得分（满分 100）")
    fig.update_xaxes(title=None)
    fig.update_layout(showlegend=False)
    return _layout(fig, "自评得分分布（按地区：最低、四分位、中位数、最高）", selection)


def grade_counts(frame: pd.DataFrame, selection: str) -> go.Figure:
    fig = px.bar(
        frame, x="等级", y="个数", color="层级", category_orders={"等级": ["优", "良", "中", "较差", "差", "未评级"]}
    )
    fig.update_yaxes(title="评价对象数（个）", rangemode="tozero")
    return _layout(fig, "自评等级分布", selection)


def score_vs_execution(frame: pd.DataFrame, selection: str) -> go.Figure:
    """Evaluations binned by execution rate (5 points) and score (2 points); a bubble's area is the count.
    The high-score, low-execution corner is shaded."""
    data = frame.assign(
        执行率=frame["执行率（%）"] + 2.5,
        得分=frame["自评得分"] + 1,
        箱=frame["执行率（%）"].map("{:g}".format) + "–" + (frame["执行率（%）"] + 5).map("{:g}%".format),
    )
    fig = px.scatter(
        data,
        x="执行率",
        y="得分",
        size="评价对象数",
        size_max=40,
        hover_data={"评价对象数": True, "箱": True, "执行率": False, "得分": False},
    )
    fig.update_traces(marker={"line": {"width": 1, "color": "#333"}, "color": "#1f77b4", "opacity": 0.7})
    low_x = min(0.0, float(data["执行率"].min()) - 5) if not data.empty else 0.0
    fig.add_shape(
        type="rect", x0=low_x, x1=LOW_EXECUTION, y0=HIGH_SCORE, y1=101, fillcolor="#ef5350", opacity=0.12, line_width=0
    )
    fig.add_annotation(
        x=LOW_EXECUTION, y=HIGH_SCORE, text="高分低执行", showarrow=False, xanchor="right", yanchor="bottom"
    )
    fig.update_xaxes(title="执行率（%，每 5 个百分点一箱）")
    fig.update_yaxes(
        title="自评得分（每 2 分一箱）",
        range=[max(0.0, float(frame["自评得分"].min()) - 10 if not frame.empty else 0), 101],
    )
    return _layout(
        fig,
        "自评得分与预算执行率（气泡大小 = 评价对象数）",
        f"{selection} · 阴影区：自评 ≥ {HIGH_SCORE:g} 分且执行率 < {LOW_EXECUTION:g}%",
    )


def indicator_losses(frame: pd.DataFrame, selection: str, top: int = 15) -> go.Figure:
    data = frame.head(top).iloc[::-1]
    labels = data["评价对象"].str.slice(0, 12) + "·" + data["三级指标"].fillna("")
    fig = px.bar(data, x="失分", y=labels, orientation="h", hover_data=["年度指标值", "实际完成值", "分值", "得分"])
    fig.update_xaxes(title="失分（分值 − 得分）")
    fig.update_yaxes(title=None)
    return _layout(fig, f"失分最多的 {min(top, len(frame))} 个指标", selection, height=max(320, 40 * len(data) + 120))


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
