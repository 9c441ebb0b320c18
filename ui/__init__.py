"""Streamlit glue shared by the pages: cached connection, named queries, filters.

Kept outside `fiscallens/` so the core never imports Streamlit.
"""
