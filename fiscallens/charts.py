"""Plotly figures for the dashboards and briefings, built from named-query results.

No Streamlit here: the same figure is shown on a page, exported as PNG/SVG and laid out in a
briefing. Every figure carries its title (with the selection in words) and axis units, so a
screenshot explains itself.
"""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from fiscallens.insights import BAND_COLORS, HIGH_SCORE, LOW_EXECUTION
from fiscallens.presentation import amount_unit

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
ITEM_ORDER = ["因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]


def _layout(fig: go.Figure, title: str, subtitle: str | None = None, height: int = 460) -> go.Figure:
    text = title if not subtitle else f"{title}<br><sup>{subtitle}</sup>"
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


def execution_rates(frame: pd.DataFrame, selection: str) -> go.Figure:
    """Execution rate per report, grouped by region and year, over the credibility bands."""
    data = frame.assign(对象=frame["地区"] + "·" + frame["评价对象"], 年度=frame["年度"].astype(str))
    fig = px.bar(
        data,
        x="对象",
        y="执行率（%）",
        color="年度",
        barmode="group",
        text=data["执行率（%）"].map(lambda v: f"{v:.1f}%"),
        hover_data={"全年预算（万元）": ":,.2f", "执行数（万元）": ":,.2f", "对象": False},
    )
    upper = max(120.0, float(data["执行率（%）"].max() or 0) + 10)
    bands = [(95, 105, 0), (90, 95, 1), (105, 110, 1), (85, 90, 2), (110, 115, 2), (0, 85, 3), (115, upper, 3)]
    for low, high, index in bands:
        fig.add_hrect(y0=low, y1=high, fillcolor=BAND_COLORS[index], opacity=0.12, line_width=0, layer="below")
    fig.add_hline(y=100, line_dash="dot", line_color="#555", annotation_text="100%", annotation_position="top left")
    fig.update_yaxes(title="执行率（%）", range=[0, upper])
    fig.update_xaxes(title=None)
    return _layout(
        fig, "预算执行率（执行数 ÷ 全年预算数）", f"{selection} · 底色：偏离 100% 在 ±5%/±10%/±15% 以内及以外"
    )


def execution_two_views(frame: pd.DataFrame, selection: str) -> go.Figure:
    """Actual against the adjusted budget and against the initial budget, side by side."""
    data = frame.assign(对象=frame["地区"] + "·" + frame["评价对象"] + "（" + frame["年度"].astype(str) + "）")
    long = data.melt(
        id_vars=["对象"],
        value_vars=["执行率（%）", "占年初预算（%）"],
        var_name="口径",
        value_name="比例（%）",
    ).dropna()
    long["口径"] = long["口径"].map({"执行率（%）": "执行数 ÷ 全年预算", "占年初预算（%）": "执行数 ÷ 年初预算"})
    fig = px.bar(
        long, x="对象", y="比例（%）", color="口径", barmode="group", text=long["比例（%）"].map("{:.1f}%".format)
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
    data, unit = _scaled(frame, ["合计（万元）", "基本支出（万元）", "项目支出（万元）"])
    data = data.assign(对象=data["地区"] + "·" + data["年度"].astype(str) + "·" + data["口径"])
    fig = px.bar(
        data, x="对象", y="合计（万元）", color="部门（单位）", text=data["合计（万元）"].map("{:,.2f}".format)
    )
    fig.update_yaxes(title=f"支出（{unit}）")
    fig.update_xaxes(title=None)
    return _layout(fig, f"科目 {code_label} 跨地区、跨年度比较（{unit}）", selection)


def three_public_trend(frame: pd.DataFrame, selection: str) -> go.Figure:
    """Total 三公 spending over the years per department; derived prior-year points are hollow."""
    totals = frame[(frame["item"] == "total") & frame["决算数（万元）"].notna()].copy()
    totals["系列"] = totals["地区"] + "·" + totals["部门（单位）"]
    totals["数据"] = totals["推算"].map({True: "推算（由同比说明得出）", False: "原文"})
    fig = go.Figure()
    for series, group in totals.sort_values("年度").groupby("系列"):
        fig.add_trace(
            go.Scatter(
                x=group["年度"],
                y=group["决算数（万元）"],
                mode="lines+markers+text",
                name=series,
                text=[
                    f"{v:.2f}" + ("（推算）" if d else "")
                    for v, d in zip(group["决算数（万元）"], group["推算"], strict=True)
                ],
                textposition="top center",
                marker={
                    "size": 11,
                    "symbol": ["circle-open" if d else "circle" for d in group["推算"]],
                    "line": {"width": 2},
                },
            )
        )
    years = totals["年度"].dropna()
    if not years.empty:  # room for the labels of the first and last points
        fig.update_xaxes(range=[years.min() - 0.6, years.max() + 0.6])
    fig.update_xaxes(title="年度", dtick=1)
    fig.update_yaxes(title="决算数（万元）", rangemode="tozero")
    return _layout(fig, "“三公”经费决算数趋势（万元）", f"{selection} · 空心点为由“较上年增减”推算的上年数")


def three_public_items(frame: pd.DataFrame, selection: str) -> go.Figure:
    """The items (出国, 车辆购置, 车辆运行, 接待) stacked per department and year, budget vs actual."""
    items = frame[frame["项目"].isin(ITEM_ORDER)].copy()
    long = items.melt(
        id_vars=["地区", "部门（单位）", "年度", "项目", "推算"],
        value_vars=["预算数（万元）", "决算数（万元）"],
        var_name="口径",
        value_name="金额（万元）",
    ).dropna(subset=["金额（万元）"])
    long["口径"] = long["口径"].str.replace("（万元）", "")
    long["对象"] = (
        long["地区"]
        + "·"
        + long["年度"].astype(str)
        + "·"
        + long["口径"]
        + long["推算"].map({True: "（推算）", False: ""})
    )
    fig = px.bar(
        long,
        x="对象",
        y="金额（万元）",
        color="项目",
        category_orders={"项目": ITEM_ORDER},
        barmode="stack",
    )
    fig.update_xaxes(title=None)
    fig.update_yaxes(title="金额（万元）")
    return _layout(fig, "“三公”经费分项：预算数与决算数（万元）", selection)


def score_distribution(frame: pd.DataFrame, selection: str) -> go.Figure:
    fig = px.box(frame, x="地区", y="自评得分", points="all", color="地区", hover_data=["评价对象", "年度", "等级"])
    fig.update_yaxes(title="自评得分（满分 100）")
    fig.update_xaxes(title=None)
    fig.update_layout(showlegend=False)
    return _layout(fig, "自评得分分布（按地区）", selection)


def grade_counts(frame: pd.DataFrame, selection: str) -> go.Figure:
    counts = frame.assign(等级=frame["等级"].fillna("未评级")).groupby(["等级", "层级"]).size().reset_index(name="个数")
    fig = px.bar(
        counts, x="等级", y="个数", color="层级", category_orders={"等级": ["优", "良", "中", "较差", "差", "未评级"]}
    )
    fig.update_yaxes(title="评价对象数（个）", dtick=1)
    return _layout(fig, "自评等级分布", selection)


def score_vs_execution(frame: pd.DataFrame, selection: str) -> go.Figure:
    """One dot per evaluation; the high-score, low-execution corner is shaded."""
    data = frame.dropna(subset=["执行率（%）"])
    fig = px.scatter(
        data,
        x="执行率（%）",
        y="自评得分",
        color="地区",
        symbol="层级",
        hover_name="评价对象",
        hover_data={"年度": True, "全年预算（万元）": ":,.2f", "执行数（万元）": ":,.2f", "等级": True},
    )
    fig.update_traces(marker={"size": 12, "line": {"width": 1, "color": "#333"}})
    low_x = min(0.0, float(data["执行率（%）"].min()) - 5) if not data.empty else 0.0
    fig.add_shape(
        type="rect", x0=low_x, x1=LOW_EXECUTION, y0=HIGH_SCORE, y1=101, fillcolor="#ef5350", opacity=0.12, line_width=0
    )
    fig.add_annotation(
        x=LOW_EXECUTION, y=HIGH_SCORE, text="高分低执行", showarrow=False, xanchor="right", yanchor="bottom"
    )
    fig.update_xaxes(title="执行率（%）")
    fig.update_yaxes(
        title="自评得分", range=[max(0.0, float(frame["自评得分"].min()) - 10 if not frame.empty else 0), 101]
    )
    return _layout(
        fig, "自评得分与预算执行率", f"{selection} · 阴影区：自评 ≥ {HIGH_SCORE:g} 分且执行率 < {LOW_EXECUTION:g}%"
    )


def indicator_losses(frame: pd.DataFrame, selection: str, top: int = 15) -> go.Figure:
    data = frame.head(top).iloc[::-1]
    labels = data["评价对象"].str.slice(0, 12) + "·" + data["三级指标"].fillna("")
    fig = px.bar(data, x="失分", y=labels, orientation="h", hover_data=["年度指标值", "实际完成值", "分值", "得分"])
    fig.update_xaxes(title="失分（分值 − 得分）")
    fig.update_yaxes(title=None)
    return _layout(fig, f"失分最多的 {min(top, len(frame))} 个指标", selection, height=max(320, 40 * len(data) + 120))


def coverage_matrix(frame: pd.DataFrame, selection: str) -> go.Figure:
    """Which reports exist: region · document type against year; an empty cell is a gap."""
    matrix = frame.pivot_table(index=["地区", "类型"], columns="年度", values="报告数", aggfunc="sum", fill_value=0)
    fig = px.imshow(
        matrix.to_numpy(),
        x=[str(c) for c in matrix.columns],
        y=[f"{region} · {kind}" for region, kind in matrix.index],
        text_auto=True,
        color_continuous_scale="Blues",
        aspect="auto",
    )
    fig.update_layout(coloraxis_showscale=False)
    fig.update_xaxes(title="年度", type="category")
    fig.update_yaxes(title=None)
    return _layout(
        fig,
        "各地区、各年度已有的报告（份）",
        f"{selection} · 0 即缺少该年度该类报告",
        height=max(280, 60 * len(matrix) + 140),
    )
