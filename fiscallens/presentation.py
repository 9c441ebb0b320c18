"""Presentation helpers without Streamlit: amounts with units, glossary, exports.

Kept in the core so they are unit-tested and shared by the app, the CLI and briefings.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable

import pandas as pd

# 1 亿元 = 10,000 万元. Series whose largest value reaches this are shown in 亿元.
WAN_PER_YI = 10_000.0

GLOSSARY = {
    "执行率": "全年执行数 ÷ 全年预算数（调整后预算）。反映预算是否按计划花出去；另可与年初预算相比，看年中调整的幅度。",
    "年初预算": "年初人代会批准的预算数（年初预算数）。",
    "全年预算": "全年预算数，即经过年中追加、调减后的调整后预算。执行率按它计算。",
    "基本支出": "保障机构正常运转的支出：人员经费（工资福利、对个人和家庭的补助）与公用经费（办公、差旅、会议等）。",
    "项目支出": "在基本支出之外，为完成特定任务和事业发展目标安排的支出。",
    "三公经费": "用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费、公务接待费。",
    "功能分类": (
        "政府支出功能分类科目：类（3 位）→ 款（5 位）→ 项（7 位），"
        "如 206 科学技术支出 → 20604 技术研究与开发 → 2060499 其他技术研究与开发支出。"
    ),
    "自评得分": "部门或项目按绩效指标自我打分，满分 100；等级 优 ≥ 90，良 80–90，中 60–80，差 < 60。",
}


def amount_unit(values: Iterable[float | None]) -> tuple[str, float]:
    """The unit to show a series of 万元 amounts in, and the divisor to get there."""
    largest = max((abs(v) for v in values if v is not None and not _nan(v)), default=0.0)
    return ("亿元", WAN_PER_YI) if largest >= WAN_PER_YI else ("万元", 1.0)


def format_amount(wan: float | None, unit: str | None = None) -> str:
    """One 万元 amount as text with its unit: 2226.98 → '2,226.98 万元'; 65130.41 → '6.51 亿元'."""
    if wan is None or _nan(wan):
        return "—"
    unit = unit or amount_unit([wan])[0]
    value = wan / WAN_PER_YI if unit == "亿元" else wan
    return f"{value:,.2f} {unit}"


def format_rate(rate: float | None) -> str:
    return "—" if rate is None or _nan(rate) else f"{rate:.2f}%"


def _nan(value: float) -> bool:
    return isinstance(value, float) and math.isnan(value)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV with a UTF-8 BOM, so Excel and WPS open the Chinese text ungarbled."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "数据") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()


def source_note(reports: int, years: Iterable[int | None]) -> str:
    """'数据来源：N 份报告，YYYY–YYYY' for a chart caption."""
    known = sorted({int(y) for y in years if y is not None and not _nan(y)})
    span = "" if not known else (f"，{known[0]}" if known[0] == known[-1] else f"，{known[0]}–{known[-1]}")
    return f"数据来源：{reports} 份报告{span}"


def concat_rows(*frames: pd.DataFrame) -> pd.DataFrame:
    """Frames of the same query stacked in order (e.g. a linked row ahead of the first page)."""
    return pd.concat([f for f in frames if not f.empty] or list(frames[:1]), ignore_index=True)


def year_span(first: float | None, last: float | None) -> str:
    """'2019–2023', '2023', or '—' when no year is known."""
    if first is None or last is None or pd.isna(first) or pd.isna(last):
        return "—"
    return f"{int(first)}–{int(last)}" if int(first) != int(last) else str(int(first))


def page_note(shown: int, total: int, offset: int = 0) -> str:
    """The note under a capped table: '显示前 100 条，共 2,345 条' or '显示第 101–200 条，共 2,345 条'."""
    if shown >= total and offset == 0:
        return f"共 {total:,} 条"
    if offset == 0:
        return f"显示前 {shown:,} 条，共 {total:,} 条"
    return f"显示第 {offset + 1:,}–{offset + shown:,} 条，共 {total:,} 条"


# Contact details printed in reports (mobile and landline numbers) are not analytic data.
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-)\d{3,4}(\d{4})(?!\d)")


def mask_personal(text: str) -> str:
    """Mask phone numbers: 15274311637 → 152****1637, 0854-8221234 → 0854-***1234."""
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)
    return _LANDLINE.sub(lambda m: f"{m.group(1)}***{m.group(2)}", text)
