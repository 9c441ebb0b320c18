"""fiscallens/screen_charts.py: our figures drawn by ECharts keep their numbers, colours, marks and clicks."""

from __future__ import annotations

import json
from decimal import Decimal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from fiscallens import charts, palette, ranking_charts, screen_charts


def _rates(rate: float = 98.9) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "地区": ["黔南州", "湘潭市", "黔南州"],
            "年度": [2022, 2023, 2023],
            "报告数": [3, 1, 2],
            "全年预算（万元）": [2022.0, 12.0, 50.0],
            "执行数（万元）": [2000.0, 12.0, 40.0],
            "执行率（%）": [rate, 100.0, 80.0],
            "占年初预算（%）": [99.0, 120.0, 70.0],
        }
    )


def _option(fig: go.Figure) -> dict:
    return screen_charts.option(fig.to_dict())


def test_bars_keep_their_series_colours_values_and_categories() -> None:
    fig = charts.execution_rates(_rates(), "测试")
    option = _option(fig)
    assert [s["name"] for s in option["series"]] == ["2022", "2023"]
    assert [s["itemStyle"]["color"] for s in option["series"]] == [palette.year_color(2022), palette.year_color(2023)]
    assert option["xAxis"]["data"] == ["黔南州", "湘潭市"]
    assert [d["value"] for d in option["series"][1]["data"]] == [["湘潭市", 100.0], ["黔南州", 80.0]]
    assert option["legend"]["data"] == ["2022", "2023"]
    assert option["title"]["text"].startswith("预算执行率") and "测试" in option["title"]["subtext"]


def test_a_changed_number_is_drawn_changed() -> None:
    before, after = (
        _option(charts.execution_rates(_rates(98.9), "测试")),
        _option(charts.execution_rates(_rates(12.5), "测试")),
    )
    assert before["series"][0]["data"][0]["value"] == ["黔南州", 98.9]
    assert after["series"][0]["data"][0]["value"] == ["黔南州", 12.5]
    assert "12.5%" in after["series"][0]["data"][0]["label"]["formatter"]


def test_bands_and_the_100_line_are_marks_over_the_plot() -> None:
    option = _option(charts.execution_rates(_rates(), "测试"))
    first = option["series"][0]
    assert len(first["markArea"]["data"]) == 7
    assert all("yAxis" in start and "xAxis" not in start for start, _ in first["markArea"]["data"])
    assert [m["yAxis"] for m in first["markLine"]["data"]] == [100]
    assert first["markLine"]["data"][0]["label"]["formatter"] == "100%"


def test_the_shaded_corner_of_the_scatter_spans_its_two_axes() -> None:
    points = pd.DataFrame(
        {"执行率（%）": [40.0, 99.0], "自评得分": [95.0, 88.0], "地区": ["甲", "乙"], "年度": [2023, 2023]}
    ).assign(评价对象=["一", "二"], 报告标识=["R1", "R2"])
    option = _option(charts.score_vs_execution(points, "测试"))
    ((start, end),) = option["series"][0]["markArea"]["data"]
    assert {"xAxis", "yAxis"} <= set(start) and {"xAxis", "yAxis"} <= set(end)
    assert start["label"]["formatter"] == "高分低执行"
    assert option["xAxis"]["type"] == "value" and option["yAxis"]["type"] == "value"


def test_a_click_maps_back_to_the_figures_point() -> None:
    fig = charts.execution_rates(_rates(), "测试")
    figure = fig.to_dict()
    point = screen_charts.clicked_point(figure, 1, 1)  # the 2023 series' second bar
    assert point["x"] == "黔南州" and point["y"] == 80.0
    assert point["customdata"][:2] == ["黔南州", "2023"] and point["legendgroup"] == "2023"
    assert screen_charts.clicked_point(figure, 5, 0) is None and screen_charts.clicked_point(figure, 0, 9) is None


def test_horizontal_bars_put_the_value_first() -> None:
    frame = pd.DataFrame({"地区": ["湖南省", "贵州省"], "数值": [95.5, 90.25]})
    fig = ranking_charts.ranking_bars(frame, "execution_rate", "地区", "地区排名", "测试")
    option = _option(fig)
    assert option["yAxis"]["type"] == "category" and option["yAxis"]["inverse"] is True
    assert [d["value"] for d in option["series"][0]["data"]] == [[95.5, "湖南省"], [90.25, "贵州省"]]
    assert screen_charts.clicked_point(fig.to_dict(), 0, 1)["y"] == "贵州省"


def test_hover_text_is_escaped_and_not_read_as_a_template() -> None:
    fig = go.Figure(
        go.Bar(x=["<script>x</script>", "{b}"], y=[1, 2], hovertemplate="%{x}：%{y:,.2f} 万元<extra></extra>")
    )
    option = _option(fig)
    tips = [d["tooltip"]["formatter"] for d in option["series"][0]["data"]]
    assert tips[0] == "&lt;script&gt;x&lt;/script&gt;：1.00 万元"
    assert "{b}" not in tips[1] and "&#123;b}" in tips[1]


def test_treemap_boxes_cover_their_children() -> None:
    tree = pd.DataFrame(
        {
            "科目编码": ["201", "20101", "2010101"],
            "科目名称": ["一般公共服务支出", "人大事务", "行政运行"],
            "上级编码": [None, "201", "20101"],
            "级次": ["类", "款", "项"],
            "合计（万元）": [100.0, 60.0, 40.0],
            "基本支出（万元）": [50.0, 30.0, 20.0],
            "项目支出（万元）": [50.0, 30.0, 20.0],
        }
    )
    option = _option(charts.function_treemap(tree, "测试"))
    (root,) = option["series"][0]["data"]
    (child,) = root["children"]
    (leaf,) = child["children"]
    assert (root["value"], child["value"], leaf["value"]) == (100.0, 60.0, 40.0)
    assert "201 一般公共服务支出" in root["label"]["formatter"] and "\n" in root["label"]["formatter"]
    assert "selectedMode" not in option["series"][0]  # a click drills down, as Plotly's did


def test_boxes_line_up_with_the_region_axis() -> None:
    frame = pd.DataFrame(
        {
            "地区": ["甲", "乙"],
            "评价对象数": [10, 2],
            "最低分": [80.0, 85.0],
            "下四分位": [85.0, 86.0],
            "中位数": [90.0, 88.0],
            "上四分位": [95.0, 89.0],
            "最高分": [99.0, 90.0],
            "平均分": [90.0, 88.0],
            "各对象得分": [None, [85.0, 90.0]],
        }
    )
    option = _option(charts.score_distribution(frame, "测试"))
    assert option["xAxis"]["data"] == ["甲", "乙"]
    box, points = option["series"]
    assert box["type"] == "boxplot" and box["data"][0]["value"] == [80.0, 85.0, 90.0, 95.0, 99.0]
    assert box["data"][1] == "-"
    assert points["type"] == "scatter" and [d["value"] for d in points["data"]] == [["乙", 85.0], ["乙", 90.0]]


def test_heatmap_cells_and_their_scale() -> None:
    frame = pd.DataFrame(
        {"地区": ["甲", "甲", "乙"], "年度": [2022, 2023, 2023], "类型": ["决算"] * 3, "报告数": [1, 4, 2]}
    )
    option = _option(charts.coverage_matrix(frame, "测试"))
    assert option["visualMap"]["max"] == 4
    xs, ys = option["xAxis"]["data"], option["yAxis"]["data"]
    cells = {(xs[x], ys[y]): z for x, y, z in (d["value"] for d in option["series"][0]["data"])}
    assert cells[("2023", "甲")] == 4 and cells[("2022", "乙")] == 0 and cells[("2022", "甲")] == 1
    assert option["yAxis"]["inverse"] is True


def test_what_it_cannot_draw_is_left_to_plotly() -> None:
    assert screen_charts.drawable(charts.execution_rates(_rates(), "测试").to_dict())
    assert not screen_charts.drawable(go.Figure(go.Choropleth(locations=["a"], z=[1])).to_dict())
    assert not screen_charts.drawable(go.Figure().to_dict())


def test_the_option_is_plain_json() -> None:
    option = _option(charts.three_public_trend(_three(), "测试"))
    json.dumps(option, allow_nan=False)
    # Values as a query may hand them over: DuckDB decimals, missing values, numpy and pandas scalars.
    odd = go.Figure(
        go.Bar(x=["甲", "乙", "丙", "丁"], y=[Decimal("12.50"), float("nan"), pd.NA, np.int64(3)], customdata=[[1]] * 4)
    )
    option = screen_charts.option({"data": [odd.data[0].to_plotly_json()], "layout": {}})
    assert [d["value"][1] for d in option["series"][0]["data"]] == [12.5, None, None, 3]
    json.dumps(option, allow_nan=False)


def _three() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "地区": ["黔南州", "黔南州"],
            "年度": [2022, 2023],
            "item": ["total", "total"],
            "项目": ["合计", "合计"],
            "口径": ["决算", "决算"],
            "预算数（万元）": [3.0, 1.0],
            "决算数（万元）": [2.0, float("nan")],
            "含推算": [False, True],
        }
    )
