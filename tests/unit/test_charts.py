"""Charts carry one visual language of their own (issue 16): explicit colours per year and series kind,
warning colours only for warnings, small samples as points, real points on the scatter, units in titles."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from fiscallens import charts, figure_export, palette


@pytest.fixture(autouse=True, scope="module")
def streamlit_theme() -> Iterator[None]:
    """Charts are built inside the app, where Streamlit makes its placeholder template the default."""
    from streamlit.elements.lib.streamlit_plotly_theme import configure_streamlit_plotly_theme

    before = pio.templates.default
    configure_streamlit_plotly_theme()
    assert pio.templates.default == "streamlit"
    yield
    pio.templates.default = before


def _execution() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "地区": ["贵州省", "湖南省", "湖南省", "贵州省"],
            "年度": [2021, 2022, 2023, 2023],
            "报告数": [1, 1, 1, 1],
            "年初预算（万元）": [1268.0, None, 1329.07, 65130.41],
            "全年预算（万元）": [1300.0, 800.0, 1400.0, 65130.41],
            "执行数（万元）": [1284.2, 790.0, 1400.0, 65130.41],
            "执行率（%）": [98.79, 98.75, 100.0, 100.0],
            "占年初预算（%）": [101.3, None, 105.3, 100.0],
        }
    )


def _three_public() -> pd.DataFrame:
    rows = []
    for region, year in [("贵阳市", 2022), ("贵阳市", 2023), ("湘潭市", 2023)]:
        for item, label in [("total", "合计"), ("abroad", "因公出国（境）费"), ("reception", "公务接待费")]:
            for basis in ["预算", "决算"]:
                rows.append((region, year, item, label, basis, 1, 1, 10.0, 8.5, False))
    columns = ["地区", "年度", "item", "项目", "口径", "部门数", "报告数", "预算数（万元）", "决算数（万元）", "含推算"]
    return pd.DataFrame(rows, columns=columns)


def _tree() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "科目编码": ["201", "20101", "208", "20805"],
            "上级编码": [None, "201", None, "208"],
            "级次": ["类", "款", "类", "款"],
            "科目名称": ["一般公共服务支出", "人大事务", "社会保障和就业支出", "行政事业单位养老支出"],
            "合计（万元）": [1200.5, 800.0, 30000.0, 20000.0],
            "基本支出（万元）": [1000.0, 700.0, 25000.0, 20000.0],
            "项目支出（万元）": [200.5, 100.0, 5000.0, 0.0],
            "报告数": [1, 1, 1, 1],
        }
    )


def _scores() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "地区": ["贵州省", "湖南省"],
            "评价对象数": [12, 3],
            "报告数": [3, 1],
            "最低分": [80.0, 88.0],
            "下四分位": [85.0, 90.0],
            "中位数": [90.0, 92.0],
            "上四分位": [94.0, 93.0],
            "最高分": [99.0, 95.0],
            "平均分": [90.0, 91.7],
            charts.SCORE_LIST: [None, [88.0, 92.0, 95.0]],
        }
    )


def _points() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "地区": ["贵阳市", "湘潭市", "黔南州"],
            "年度": [2023, 2023, 2021],
            "部门（单位）": ["甲", "乙", "丙"],
            "评价对象": ["智慧城市", "数据中心", "部门整体"],
            "自评得分": [96.0, 72.0, 100.0],
            "执行率（%）": [0.0, 163.4, 98.8],
            "评价对象总数": [3, 3, 3],
            "报告标识": ["R1", "R2", "R3"],
        }
    )


FIGURES = ["rates", "two_views", "split", "compare", "trend", "items", "box", "grades", "scatter"]


@pytest.fixture(scope="module")
def figures(streamlit_theme: None) -> dict[str, go.Figure]:
    """Every chart kind, built once (plotly express takes a moment per figure)."""
    return _all_figures()


def _all_figures() -> dict[str, go.Figure]:
    tree = _tree()
    compare = pd.DataFrame(
        {
            "地区": ["贵阳市", "湘潭市"],
            "年度": [2023, 2023],
            "口径": ["决算", "预算"],
            "报告数": [1, 1],
            "合计（万元）": [1200.0, 15000.0],
            "基本支出（万元）": [1000.0, 9000.0],
            "项目支出（万元）": [200.0, 6000.0],
        }
    )
    grades = pd.DataFrame({"等级": ["优", "良", "优"], "层级": ["部门整体", "项目", "项目"], "个数": [3, 1, 2]})
    return {
        "rates": charts.execution_rates(_execution(), "全部"),
        "two_views": charts.execution_two_views(_execution().dropna(subset=["占年初预算（%）"]), "全部"),
        "split": charts.function_split(tree, "全部"),
        "compare": charts.function_code_compare(compare, "201", "全部"),
        "trend": charts.three_public_trend(_three_public(), "全部"),
        "items": charts.three_public_items(_three_public(), "全部"),
        "box": charts.score_distribution(_scores(), "全部"),
        "grades": charts.grade_counts(grades, "全部"),
        "scatter": charts.score_vs_execution(_points(), "全部"),
    }


def _trace_colors(fig: go.Figure) -> list[str]:
    return [t.marker.color for t in fig.data if isinstance(t.marker.color, str)]


@pytest.mark.parametrize("name", FIGURES)
def test_every_trace_carries_a_real_colour(name: str, figures: dict[str, go.Figure]) -> None:
    """Placeholder colours (#000001 …) are what made 7 of 12 exported images all black."""
    fig = figures[name]
    for trace in fig.data:
        color = trace.marker.color
        assert color is not None, (name, trace.name)
        colors = [color] if isinstance(color, str) else list(color)
        assert not any(palette.is_placeholder(c) for c in colors), (name, trace.name, color)
    colors = _trace_colors(fig) if name != "box" else []  # boxes and the few points: one measure, one colour
    assert len(set(colors)) == len(colors), f"{name}: two series share a colour {colors}"


def test_a_year_has_one_colour_and_it_is_not_a_warning_colour(figures: dict[str, go.Figure]) -> None:
    rates = figures["rates"]
    by_year = {t.name: t.marker.color for t in rates.data}
    assert by_year == {y: palette.year_color(int(y)) for y in ["2021", "2022", "2023"]}
    for year in range(2015, 2035):
        assert palette.year_color(year).lower() not in palette.WARNING_COLORS
    # the same year in another selection (2023 alone) keeps its colour
    alone = charts.execution_rates(_execution()[_execution()["年度"] == 2023], "湖南省")
    assert alone.data[0].marker.color == by_year["2023"]


@pytest.mark.parametrize("name", FIGURES)
def test_warning_colours_only_for_warnings(name: str, figures: dict[str, go.Figure]) -> None:
    for color in _trace_colors(figures[name]):
        assert color.lower() not in palette.WARNING_COLORS, (name, color)
    for color in list(palette.SERIES_COLORS.values()) + list(palette.CATEGORY_PALETTE):
        assert color.lower() not in palette.WARNING_COLORS


def test_series_kinds_have_the_same_colour_everywhere(figures: dict[str, go.Figure]) -> None:
    split = {t.name: t.marker.color for t in figures["split"].data}
    assert split == {"基本支出": palette.SERIES_COLORS["基本支出"], "项目支出": palette.SERIES_COLORS["项目支出"]}
    items = {t.name: t.marker.color for t in figures["items"].data}
    assert items["公务接待费"] == palette.SERIES_COLORS["公务接待费"]


def test_three_public_items_never_add_regions_or_years_into_one_bar() -> None:
    fig = charts.three_public_items(_three_public(), "全部")
    for trace in fig.data:
        regions, year_basis = trace.x
        pairs = list(zip(regions, year_basis, strict=True))
        assert len(pairs) == len(set(pairs)), "one bar per region, year and basis"
    first = fig.data[0]
    assert ("湘潭市", "2023·决算") in list(zip(*first.x, strict=True))
    assert "湘潭市" in first.x[0] and "贵阳市" in first.x[0]


def test_small_groups_are_points_not_boxes() -> None:
    fig = charts.score_distribution(_scores(), "全部")
    boxes = [t for t in fig.data if t.type == "box"]
    points = [t for t in fig.data if t.type == "scatter"]
    assert list(boxes[0].x) == ["贵州省"]  # 12 scores: a box
    assert list(points[0].x) == ["湖南省"] * 3 and list(points[0].y) == [88.0, 92.0, 95.0]


def test_scatter_draws_each_point_at_its_value_and_the_axes_hold_them_all() -> None:
    fig = charts.score_vs_execution(_points(), "全部")
    trace = fig.data[0]
    assert list(trace.x) == [0.0, 163.4, 98.8] and list(trace.y) == [96.0, 72.0, 100.0]
    x0, x1 = fig.layout.xaxis.range
    y0, y1 = fig.layout.yaxis.range
    assert x0 <= 0.0 and x1 > 163.4 and y0 < 72.0 and y1 > 100.0


def test_amount_charts_name_their_unit_in_the_title(figures: dict[str, go.Figure]) -> None:
    assert "亿元" in figures["split"].layout.title.text  # 30,000 万元 → 亿元
    assert "亿元" in figures["compare"].layout.title.text
    assert "万元" in figures["trend"].layout.title.text and "万元" in figures["items"].layout.title.text
    assert "%" in figures["rates"].layout.title.text
    assert figures["split"].layout.xaxis.tickformat.startswith(",")  # thousands separators


def test_slides_and_exports_drop_the_click_hint() -> None:
    fig = charts.function_treemap(_tree(), "全部")
    assert charts.TREEMAP_HINT in fig.layout.title.text
    static = figure_export.with_context(fig, "全部", "数据来源", "2026-12-07")
    assert "点击" not in static.layout.title.text and "下钻" not in static.layout.title.text
    assert static.data[0].pathbar.visible is False
    assert len(set(static.data[0].marker.colors)) == 2  # a colour per 类, its 款 share it


def test_export_without_chromium_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(figure_export, "chromium_path", lambda: None)
    monkeypatch.setattr(figure_export, "has_cjk_font", lambda: True)
    message = figure_export.export_problem()
    assert message is not None and "Chromium" in message and "apt install chromium fonts-noto-cjk" in message
    with pytest.raises(figure_export.ExportUnavailable, match="缺少Chromium"):
        figure_export.figure_bytes(go.Figure(), "png")


def test_export_without_a_chinese_font_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(figure_export, "chromium_path", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(figure_export, "has_cjk_font", lambda: False)
    message = figure_export.export_problem()
    assert message is not None and "中文字体" in message and "Chromium 浏览器" not in message


def test_exports_recolour_figures_built_elsewhere_under_the_streamlit_theme() -> None:
    """A figure from another module (px under Streamlit's default template) still exports in colour."""
    import plotly.express as px

    raw = px.bar(pd.DataFrame({"年度": ["2022", "2023"], "值": [1.0, 2.0]}), x="年度", y="值", color="年度")
    assert all(palette.is_placeholder(t.marker.color) for t in raw.data)
    out = figure_export.with_context(raw, "全部", "数据来源", "2026-12-07")
    assert [t.marker.color for t in out.data] == [palette.year_color(2022), palette.year_color(2023)]
    assert not any(palette.is_placeholder(c) for c in out.layout.template.layout.colorway or ())


def test_a_stacked_bar_takes_its_unit_from_the_stack_not_its_parts() -> None:
    """基本 0.6 亿 + 项目 0.6 亿 stack to 1.2 亿: the split chart says 亿元, like the treemap above it."""
    tree = _tree().assign(**{"合计（万元）": [12000.0, 800.0, 900.0, 500.0]})
    tree.loc[0, ["基本支出（万元）", "项目支出（万元）"]] = [6000.0, 6000.0]
    assert "亿元" in charts.function_split(tree, "全部").layout.title.text
    assert "亿元" in charts.function_treemap(tree, "全部").layout.title.text


def test_the_theme_set_without_validation_is_plotly_white_as_validated() -> None:
    """charts.with_theme skips plotly's validation of the theme: the JSON must be what validating gives,
    and changing one figure's theme must not change the registered theme other figures start from."""
    fast = charts.with_theme(go.Figure())
    slow = go.Figure().update_layout(template=charts.THEME)
    assert fast.to_dict()["layout"]["template"] == slow.to_dict()["layout"]["template"]
    fast.update_layout(template_layout_colorway=["#111111"])
    assert pio.templates[charts.THEME].layout.colorway[0] != "#111111"
    assert charts.with_theme(go.Figure()).to_dict() == slow.to_dict()


@pytest.mark.parametrize("barmode", ["group", "relative", "stack"])
def test_series_bars_draw_what_plotly_express_draws(barmode: str) -> None:
    """charts._series_bars replaced px.bar(color=…) for speed: the same traces, bars, colours and layout."""
    import plotly.express as px

    frame = _execution().assign(年度=lambda f: f["年度"].astype(str))
    colors = palette.color_map(frame["年度"])
    express = px.bar(
        frame, x="地区", y="执行率（%）", color="年度", color_discrete_map=colors, barmode=barmode,
        custom_data=["地区", "年度"],
    )  # fmt: skip
    ours = charts._series_bars(
        frame, x="地区", y="执行率（%）", series="年度", custom=["地区", "年度"], barmode=barmode
    )
    assert ours.layout.barmode == express.layout.barmode
    assert len(ours.data) == len(express.data)
    for mine, theirs in zip(ours.data, express.data, strict=True):
        assert (mine.name, mine.marker.color, mine.orientation) == (theirs.name, theirs.marker.color, "v")
        assert list(mine.x) == list(theirs.x) and list(mine.y) == list(theirs.y)
        assert mine.customdata.tolist() == theirs.customdata.tolist()
        assert mine.offsetgroup == theirs.offsetgroup  # side by side only when grouped
