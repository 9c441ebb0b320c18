"""A page's views as tabs whose content runs only when its tab is open (issue 17).

A page used to build every chart and table it has on every run, most of them below the fold. Now a
page shows its views as tabs: only the open tab's queries, figures and tables are made and sent, and
switching tabs reruns the page (its other results are cached). The open tab is kept in the URL
(`?tab=…`), so a shared link opens the same view. In 简报模式 every view is shown, one after another,
as a briefing needs them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from ui.slide_mode import brief_mode

# The URL parameter (and session key) of the open tab: one name on every page, since one page runs at a time.
TAB_KEY = "tab"


@dataclass
class View:
    """One view of a page: a container to write into (`with view:`) and whether its content should run."""

    container: Any
    open: bool

    def __enter__(self) -> Any:
        return self.container.__enter__()

    def __exit__(self, *exc: object) -> Any:
        return self.container.__exit__(*exc)


def page_views(labels: Sequence[str]) -> list[View]:
    """The views of a page, one per label; only the open one (the first unless the URL names another) runs."""
    if brief_mode():
        return [View(st.container(), True) for _ in labels]
    _forget_unknown_tab(labels)
    tabs = st.tabs(list(labels), key=TAB_KEY, on_change="rerun", bind="query-params")
    return [View(tab, bool(tab.open)) for tab in tabs]


def _forget_unknown_tab(labels: Sequence[str]) -> None:
    """A tab named by another page (the session keeps the key across pages) or by an old link: start at the first."""
    if st.session_state.get(TAB_KEY) not in (None, *labels):
        del st.session_state[TAB_KEY]
    if st.query_params.get(TAB_KEY) not in (None, *labels):
        del st.query_params[TAB_KEY]
