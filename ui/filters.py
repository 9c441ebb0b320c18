"""Sidebar filters whose state lives in the URL, so a link reproduces the view.

Cascade: province → prefecture → department → fiscal-year range → document type.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from fiscallens.labels import DOC_TYPE_LABELS
from ui.data import named

ALL = "全部"


@dataclass(frozen=True)
class Selection:
    province: str | None = None
    prefecture: str | None = None
    department: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    doc_type: str | None = None

    def as_params(self) -> dict[str, object]:
        return {
            "province": self.province,
            "prefecture": self.prefecture,
            "department": self.department,
            "year_from": self.year_from,
            "year_to": self.year_to,
            "doc_type": self.doc_type,
        }

    def describe(self) -> str:
        """The active filters in words, for chart subtitles and briefings."""
        place = self.department or self.prefecture or self.province or "全部地区"
        if self.year_from and self.year_to:
            years = f"{self.year_from}–{self.year_to} 年" if self.year_from != self.year_to else f"{self.year_from} 年"
        elif self.year_from:
            years = f"{self.year_from} 年起"
        else:
            years = "全部年度"
        kind = DOC_TYPE_LABELS.get(self.doc_type, "全部类型") if self.doc_type else "全部类型"
        return f"{place} · {years} · {kind}"


def _choice(
    label: str, options: list[str], key: str, help: str | None = None, labels: dict | None = None
) -> str | None:
    current = st.query_params.get(key)
    choices = [ALL, *options]
    index = choices.index(current) if current in choices else 0
    value = st.sidebar.selectbox(
        label,
        choices,
        index=index,
        key=f"filter_{key}",
        help=help,
        format_func=(lambda v: labels.get(v, v)) if labels else str,
    )
    if value == ALL:
        st.query_params.pop(key, None)
        return None
    st.query_params[key] = value
    return value


def _values(frame: pd.DataFrame, column: str) -> list[str]:
    return sorted(frame[column].dropna().unique().tolist())


def sidebar_filters() -> Selection:
    """The cascading filters; each level only offers what the levels above leave."""
    options = named("filter_options")
    st.sidebar.header("筛选")
    province = _choice("省份", _values(options, "province"), "province")
    scoped = options if province is None else options[options["province"] == province]
    prefecture = _choice("市州", _values(scoped, "prefecture"), "prefecture")
    if prefecture is not None:
        scoped = scoped[scoped["prefecture"] == prefecture]
    department = _choice("部门（单位）", _values(scoped, "department"), "department")
    if department is not None:
        scoped = scoped[scoped["department"] == department]
    year_from, year_to = _year_range(scoped)
    if year_from is not None:
        scoped = scoped[(scoped["fiscal_year"] >= year_from) & (scoped["fiscal_year"] <= year_to)]
    doc_type = _choice("文档类型", _values(scoped, "doc_type"), "doc_type", labels=DOC_TYPE_LABELS)
    return Selection(province, prefecture, department, year_from, year_to, doc_type)


def _year_range(scoped: pd.DataFrame) -> tuple[int | None, int | None]:
    years = sorted(int(y) for y in scoped["fiscal_year"].dropna().unique())
    if not years:
        return None, None
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
    return year_from, year_to


def _int_param(key: str, default: int) -> int:
    try:
        return int(st.query_params.get(key, default))
    except (TypeError, ValueError):
        return default
