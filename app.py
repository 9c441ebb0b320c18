"""FiscalLens (财政绩效透视) — Streamlit entry point: page setup and navigation only."""

import streamlit as st

from ui import prewarm, timing
from ui.components import narrow_screen_support
from ui.filters import sync_url

st.set_page_config(page_title="财政绩效透视 FiscalLens", page_icon="📊", layout="wide")

navigation = st.navigation(
    {
        "分析": [
            st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),
            st.Page("pages/execution.py", title="预算执行", icon=":material/trending_up:", url_path="budget-execution"),
            st.Page(
                "pages/functions.py", title="功能分类", icon=":material/account_tree:", url_path="functional-spending"
            ),
            st.Page(
                "pages/three_public.py",
                title="三公经费",
                icon=":material/directions_car:",
                url_path="three-public-expenses",
            ),
            st.Page("pages/scores.py", title="绩效评分", icon=":material/grade:", url_path="evaluation-scores"),
            st.Page("pages/map.py", title="地图", icon=":material/map:", url_path="region-map"),
            st.Page("pages/rankings.py", title="排名", icon=":material/leaderboard:", url_path="rankings"),
            st.Page("pages/department.py", title="同类部门", icon=":material/groups:", url_path="peers"),
            st.Page("pages/brief.py", title="简报", icon=":material/slideshow:", url_path="briefing"),
        ],
        "报告": [
            st.Page("pages/reports.py", title="报告目录", icon=":material/folder_open:", url_path="report-list"),
            st.Page("pages/report_explorer.py", title="报告详情", icon=":material/search:", url_path="report-detail"),
            st.Page("pages/quality.py", title="数据质量", icon=":material/rule:", url_path="data-quality"),
        ],
        "工具": [
            st.Page("pages/sql_workbench.py", title="自助查询", icon=":material/terminal:", url_path="sql"),
        ],
    },
    expanded=True,  # every page listed: a folded list ends in Streamlit's English "View 3 more"
)
# URL paths differ from the file names on purpose: with a pages/ folder, Streamlit would
# otherwise serve a deep link such as /overview by running pages/overview.py alone,
# without this navigation. Unknown paths fall through to this script instead.
# The sidebar's navigation links drop the query string: the filters the session keeps go back into
# the URL of every page, also of the pages that show no filters (ui/filters.py).
# timing: a no-op unless FISCALLENS_TIMING(_LOG) is set (ui/timing.py); prewarm: background replays give way.
with timing.script_run(navigation.url_path), prewarm.visitor():
    sync_url()
    narrow_screen_support()
    navigation.run()
