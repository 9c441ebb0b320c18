"""The one visual language of every chart, on screen and exported: colours, units, number formats.

Colours are written into each figure (marker colours per trace), never left to a theme: Streamlit's
plotly theme hands out placeholder colours (#000001, #000002 …) that only its browser code resolves,
so a figure rendered anywhere else (kaleido's PNG/SVG/PDF, the brief) drew every series black.

The rules:
- a year has one colour everywhere (`year_color`: 2021, 2022 … mapped deterministically);
- a series kind has one colour everywhere (基本/项目支出, 决算/预算, 全年预算/执行数, the 三公 items);
- red and orange are warning colours (`WARNING_COLORS`: the ±15 % band, the 高分低执行 corner) and are
  used for nothing else; no year, series or category colour comes near them;
- one unit per chart, chosen by the magnitude of the largest amount it shows (`presentation.amount_unit`: 亿元
  from 1 亿元 up, else 万元), written in the chart's title and axis. Charts on one page showing
  comparable amounts therefore share a unit unless one of them reaches 1 亿元 and the other does not;
- amounts carry thousands separators and two decimals in hover text and axes (`AMOUNT_FORMAT`).
"""

from __future__ import annotations

from collections.abc import Iterable

from fiscallens.insights import BAND_COLORS

# Credibility bands from insights (green, light green, amber, red): the last two are warnings.
WARNING_COLORS: frozenset[str] = frozenset({BAND_COLORS[2].lower(), BAND_COLORS[3].lower(), "#ef5350", "#ff7f0e"})
WARNING_RED = BAND_COLORS[3]

# Ten colours for years, none red, orange or amber; consecutive years differ strongly.
YEAR_PALETTE: tuple[str, ...] = (
    "#1f77b4",  # blue
    "#9467bd",  # purple
    "#17becf",  # cyan
    "#8c564b",  # brown
    "#e377c2",  # pink
    "#393b79",  # indigo
    "#2ca089",  # teal green
    "#7b4173",  # plum
    "#6baed6",  # light blue
    "#637939",  # olive
)
# The year that takes the first colour; any year maps to YEAR_PALETTE[(year - BASE_YEAR) % 10].
BASE_YEAR = 2021

# Series kinds: the same kind has the same colour in every chart. Actuals dark, budgets light.
SERIES_COLORS: dict[str, str] = {
    "基本支出": "#4e79a7",
    "项目支出": "#76b7b2",
    "决算": "#1f4e79",
    "预算": "#9ecae1",
    "执行数": "#1f4e79",
    "全年预算": "#9ecae1",
    "年初预算": "#c6dbef",
    "执行数 ÷ 全年预算": "#1f4e79",
    "执行数 ÷ 年初预算": "#9ecae1",
    "因公出国（境）费": "#4e79a7",
    "公务用车购置费": "#b07aa1",
    "公务用车运行维护费": "#76b7b2",
    "公务接待费": "#9c755f",
    "部门整体": "#1f4e79",
    "项目": "#6baed6",
    "子项目": "#c6dbef",
}
# Other categories (regions, departments): in order of first appearance, no warning hues.
CATEGORY_PALETTE: tuple[str, ...] = (
    "#4e79a7",
    "#76b7b2",
    "#b07aa1",
    "#9c755f",
    "#59a14f",
    "#6b6ecf",
    "#17becf",
    "#8c6d31",
    "#393b79",
    "#e377c2",
)
# One series alone (a box, a scatter, a single bar series).
SINGLE_COLOR = "#1f77b4"
NEUTRAL_LINE = "#555555"
# Amounts: thousands separators and two decimals (hover); axes drop trailing zeros.
AMOUNT_FORMAT = ",.2f"
AXIS_AMOUNT_FORMAT = ",~f"


def year_color(year: int | str) -> str:
    """The colour of a fiscal year, the same in every chart and export."""
    return YEAR_PALETTE[(int(year) - BASE_YEAR) % len(YEAR_PALETTE)]


def series_color(name: str, index: int = 0) -> str:
    """The colour of a series kind; years by `year_color`; anything else from CATEGORY_PALETTE by index."""
    if name in SERIES_COLORS:
        return SERIES_COLORS[name]
    if name.isdigit() and len(name) == 4:
        return year_color(name)
    return CATEGORY_PALETTE[index % len(CATEGORY_PALETTE)]


def color_map(names: Iterable[object]) -> dict[str, str]:
    """A colour for each distinct name (a year, a series kind, else the next category colour)."""
    out: dict[str, str] = {}
    others = 0
    for name in dict.fromkeys(str(n) for n in names):
        known = name in SERIES_COLORS or (name.isdigit() and len(name) == 4)
        out[name] = series_color(name, others)
        others += not known
    return out


def is_placeholder(color: object) -> bool:
    """Streamlit's theme placeholders (#000001 … #000040) are not colours outside its browser code."""
    return isinstance(color, str) and len(color) == 7 and color.startswith("#0000") and color != "#000000"
