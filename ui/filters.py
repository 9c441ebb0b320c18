"""Sidebar filters whose state lives in the URL, so a link reproduces the view."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ui.data import named

ALL = "全部"


@dataclass(frozen=True)
class Selection:
    province: str | None
    prefecture: str | None
    year_from: int | None
    year_to: int | None

    def as_params(self) -> dict[str, object]:
        return {
            "province": self.province,
            "prefecture": self.prefecture,
            "year_from": self.year_from,
            "year_to": self.year_to,
        }

    def describe(self) -> str:
        place = self.prefecture or self.province or "全部地区"
        if self.year_from and self.year_to:
            years = f"{self.year_from}–{self.year_to} 年" if self.year_from != self.year_to else f"{self.year_from} 年"
        else:
            years = "全部年度"
        return f"{place}，{years}"


def _choice(label: str, options: list[str], key: str, help: str | None = None) -> str | None:
    current = st.query_params.get(key)
    choices = [ALL, *options]
    index = choices.index(current) if current in choices else 0
    value = st.sidebar.selectbox(label, choices, index=index, key=f"filter_{key}", help=help)
    if value == ALL:
        st.query_params.pop(key, None)
        return None
    st.query_params[key] = value
    return value


def region_year_filters() -> Selection:
    """Province → prefecture → year range, cascading, mirrored in st.query_params."""
    options = named("filter_options")
    st.sidebar.header("筛选")
    provinces = sorted(options["province"].dropna().unique().tolist())
    province = _choice("省份", provinces, "province")
    scoped = options if province is None else options[options["province"] == province]
    prefectures = sorted(scoped["prefecture"].dropna().unique().tolist())
    prefecture = _choice("市州", prefectures, "prefecture")
    if prefecture is not None:
        scoped = scoped[scoped["prefecture"] == prefecture]
    years = sorted(int(y) for y in scoped["fiscal_year"].dropna().unique())
    year_from = year_to = None
    if years:
        low, high = years[0], years[-1]
        wanted = (_int_param("year_from", low), _int_param("year_to", high))
        wanted = (min(max(wanted[0], low), high), max(min(wanted[1], high), low))
        if low < high:
            year_from, year_to = st.sidebar.slider(
                "年度",
                min_value=low,
                max_value=high,
                value=wanted,
                key="filter_years",
                help="资金所属年度（不是发布年份）",
            )
        else:
            year_from = year_to = low
            st.sidebar.caption(f"年度：{low}")
        for key, value, default in (("year_from", year_from, low), ("year_to", year_to, high)):
            if value == default:
                st.query_params.pop(key, None)
            else:
                st.query_params[key] = str(value)
    return Selection(province, prefecture, year_from, year_to)


def _int_param(key: str, default: int) -> int:
    try:
        return int(st.query_params.get(key, default))
    except (TypeError, ValueError):
        return default
