"""The smallest Streamlit page of FiscalLens's shape, for bench/page_latency.py's floor (issue 17).

A sidebar with a 省份 selectbox, a title, a caption and, with `?chart=1`, one Plotly bar chart of five
bars whose values follow the selectbox. No warehouse, no query, no figure cache: whatever a fresh tab or a
filter change costs on this page is what Streamlit, Plotly and the browser cost on this machine, and a
FiscalLens page cannot settle faster.
"""

import plotly.graph_objects as go
import streamlit as st

PROVINCES = ["全部省份", "湖南省", "四川省", "广东省"]

province = st.sidebar.selectbox("省份", PROVINCES)
st.title("基准页")
st.caption("只有 Streamlit 与 Plotly 本身的开销")
if st.query_params.get("chart") == "1":
    shift = PROVINCES.index(province)
    bars = go.Bar(x=["甲", "乙", "丙", "丁", "戊"], y=[(i * 7 + shift * 3) % 11 + 1 for i in range(5)])
    st.plotly_chart(go.Figure(bars, layout={"title": {"text": "五个数（万元）"}, "height": 360}), key="floor")
