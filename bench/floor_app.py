"""The smallest Streamlit page of FiscalLens's shape, for bench/page_latency.py's floor (issue 17).

A sidebar with a 省份 selectbox, a title, a caption and, with `?chart=echarts` (as the pages draw their
charts) or `?chart=plotly` (as the map and the slides do), one bar chart of five bars whose values follow
the selectbox. No warehouse, no query, no figure cache: whatever a fresh tab or a filter change costs on this
page is what Streamlit, the chart library and the browser cost on this machine, and a FiscalLens page cannot
settle faster.
"""

import plotly.graph_objects as go
import streamlit as st

PROVINCES = ["全部省份", "湖南省", "四川省", "广东省"]
NAMES = ["甲", "乙", "丙", "丁", "戊"]

province = st.sidebar.selectbox("省份", PROVINCES)
st.title("基准页")
st.caption("只有 Streamlit 与图表库本身的开销")
shift = PROVINCES.index(province)
values = [(i * 7 + shift * 3) % 11 + 1 for i in range(5)]
chart = st.query_params.get("chart")
if chart == "plotly":
    figure = go.Figure(go.Bar(x=NAMES, y=values), layout={"title": {"text": "五个数（万元）"}, "height": 360})
    st.plotly_chart(figure, key="floor")
elif chart == "echarts":
    option = {
        "title": {"text": "五个数（万元）"},
        "xAxis": {"type": "category", "data": NAMES},
        "yAxis": {"type": "value"},
        "series": [{"type": "bar", "data": values}],
        "animation": False,
    }
    st.echarts_chart(option, height=360, key="floor", renderer="svg")
