"""The one-page brief rendered for the 简报 page, cached (rendering goes through Chromium and takes seconds)."""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from fiscallens.brief import brief_figure, collect, write_brief
from fiscallens.figure_export import figure_bytes
from ui import prewarm
from ui.data import current_version, fresh, uncached

# The on-screen preview at the slide's own size (1600 × 900): a quarter of the pixels of the exported PNG,
# as sharp as the page column shows it, and rendered and sent faster.
PREVIEW_SCALE = 1


@st.cache_data(max_entries=16, show_spinner=False)
def _preview(region: str, year: int, version: tuple[int, int]) -> tuple[str, bytes]:
    data = fresh(version, lambda cur: collect(cur, region, year))
    return data.title, figure_bytes(brief_figure(data), "png", scale=PREVIEW_SCALE)


def brief_preview(region: str, year: int) -> tuple[str, bytes]:
    """(title, PNG) of the brief of one region and year."""
    prewarm.note("brief_preview", region, year)
    return uncached(_preview, region, year, current_version())


@st.cache_data(max_entries=16, show_spinner=False)
def _file(region: str, year: int, suffix: str, version: tuple[int, int]) -> bytes:
    data = fresh(version, lambda cur: collect(cur, region, year))
    with tempfile.TemporaryDirectory() as folder:
        return write_brief(data, Path(folder) / f"brief.{suffix}").read_bytes()


def brief_file(region: str, year: int, suffix: str) -> bytes:
    return uncached(_file, region, year, suffix, current_version())


prewarm.register("brief_preview", brief_preview)


def brief_download(region: str, year: int, suffix: str) -> Callable[[], bytes]:
    """A callable that makes the brief file (the 简报 page calls it when 生成 is pressed)."""
    return functools.partial(brief_file, region, year, suffix)
