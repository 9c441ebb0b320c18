"""FiscalLens (财政绩效透视) — Streamlit entry point: page setup and navigation only."""

import streamlit as st

st.set_page_config(page_title="财政绩效透视 FiscalLens", page_icon="📊", layout="wide")

navigation = st.navigation(
    {
        "报告": [
            st.Page("pages/reports.py", title="报告目录", icon="🗂️", default=True, url_path="reports"),
            st.Page("pages/quality.py", title="数据质量", icon="🩺", url_path="quality"),
        ],
    }
)
navigation.run()
