"""Presentation helpers without Streamlit: amounts with units, glossary, notes, masking, literal Markdown.

Kept in the core so they are unit-tested and shared by the app, the CLI and the brief. Files to
download (CSV, XLSX, Parquet) are `fiscallens.downloads`.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable

import pandas as pd

from fiscallens.labels import code_labels, fact_column_labels, rule_label, three_public_item_labels

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


# --- personal data -------------------------------------------------------------------------
# Contact details printed in reports (phone numbers, ID numbers, the names of contact persons) are
# not analytic data: they are masked wherever source text is shown. Matching runs on a copy with
# full-width digits and punctuation made ASCII (one character for one, so positions carry over).
_FULL_WIDTH = str.maketrans(
    {**{chr(0xFF10 + d): str(d) for d in range(10)}, "＋": "+", "－": "-", "（": "(", "）": ")", "\u3000": " "}
)
# Separators people put inside a phone number: a space or a hyphen (ASCII, full-width or dash).
_SEP = r"[ \-—]?"
# Not part of a longer number or an amount (2,995.39; 15000000000.00; 13512345678元).
_NOT_BEFORE = r"(?<![\d.,])"
_NOT_AFTER = r"(?![\d]|[.,]\d|\s*(?:万?元|亿))"
# Mobile: 1[3-9]x xxxx xxxx, optionally after +86 / 0086 / 86.
_MOBILE = re.compile(_NOT_BEFORE + rf"(?:(?:\+|00)?86{_SEP})?1[3-9]\d{_SEP}(?P<mask>\d{{4}}){_SEP}\d{{4}}" + _NOT_AFTER)
# Landline with its area code: 0854-8221234, 0854 8221234, (0854)8221234, 010-12345678, 08548221234.
_LANDLINE = re.compile(
    _NOT_BEFORE
    + r"(?:\(0\d{2,3}\) ?|0\d{2,3}[ \-—]|0\d{2,3}(?=\d{7,8}(?!\d)))(?P<mask>\d{3,4})[ \-]?\d{4}"
    + _NOT_AFTER
)
# Resident ID number: 6-digit region, birth date 19xx/20xx, 3 digits and a check digit or X.
_ID_NUMBER = re.compile(
    r"(?<![\dA-Za-z])[1-9]\d{5}(?P<mask>(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))\d{3}[\dXx](?![\dA-Za-z])"
)
# A number of 7 or more digits right after a phone label, whatever its format (8221234 alone).
_LABELLED_PHONE = re.compile(
    r"(?:电话|手机|传真|座机|联系方式)(?:号码)?[ \t:：]*(?P<number>\(?\d[\d \-()]{5,}\d)" + _NOT_AFTER
)
# The name after a contact label: 联系人：张三, 经办人 李四, 联系电话：王五 0854-8221234.
_CONTACT_NAME = re.compile(
    r"(?:联系人|经办人|填报人|联系电话)(?:及联系电话|及电话)?[ \t]*[:：][ \t]*|(?:联系人|经办人|填报人)[ \t]+"
)
_NAME = re.compile(
    r"[\u4e00-\u9fa5][\u4e00-\u9fa5·]{1,3}?(?=联系|电话|手机|座机|传真|邮箱|职务|单位|$|[^\u4e00-\u9fa5·])"
)
# Cheap prefilter: a run of 7 digits (full-width too) or a contact label.
_ANY_PERSONAL = re.compile(r"[\d０-９]{3}.?[\d０-９]{4}|联系人|经办人|填报人|联系电话")
MASK = "*"


def mask_personal(text: str) -> str:
    """Mask personal data in source text: phone numbers in the common Chinese formats (mobile with
    separators or +86, landlines with area codes, full-width digits), resident ID numbers, and the
    names after 联系人/经办人/填报人/联系电话. 15274311637 → 152****1637, 0854-8221234 → 0854-***1234,
    联系人：张三 → 联系人：张*. Amounts, years and classification codes are left alone."""
    if not _ANY_PERSONAL.search(text):
        return text
    plain = text.translate(_FULL_WIDTH)
    masked: set[int] = set()
    for pattern in (_MOBILE, _LANDLINE, _ID_NUMBER):
        for m in pattern.finditer(plain):
            masked.update(range(*m.span("mask")))
    for m in _LABELLED_PHONE.finditer(plain):
        start, stop = m.span("number")
        if masked.isdisjoint(range(start, stop)):  # not already masked in its own format
            digits = [i for i in range(start, stop) if plain[i].isdigit()]
            masked.update(digits[:-4])  # the last four digits stay, as for the other numbers
    for m in _CONTACT_NAME.finditer(plain):
        name = _NAME.match(plain, m.end())
        if name:
            masked.update(range(name.start() + 1, name.end()))  # the family name stays
    if not masked:
        return text
    return "".join(MASK if i in masked else c for i, c in enumerate(text))


def mask_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with personal data masked in its text columns (for display and downloads)."""
    text = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    if not text:
        return frame
    out = frame.copy()
    for column in text:
        out[column] = out[column].map(lambda v: mask_personal(v) if isinstance(v, str) else v)
    return out


# --- Markdown and links ----------------------------------------------------------------------
# Characters that start Markdown, HTML or Streamlit markup (links, emphasis, code, tags, entities,
# :colour[...] directives, :icons:, $math$, tables). A backslash makes each one literal text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&~$:|#!@{}])")
_LIST_START = re.compile(r"^(\s*|\s*\d+)([-+.)])")
_WWW = re.compile(r"(?i)(www)\.")


def markdown_text(value: object) -> str:
    """A value from a URL, a document or a query result as literal text inside Streamlit Markdown:
    `[点我](http://x)` and `<img src=x>` come out as the characters they are, on one line."""
    text = " ".join(str(value).split("\n"))
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = _LIST_START.sub(r"\1\\\2", text)  # "- x" and "1. x" at the start are not list items
    return _WWW.sub(r"\1\\.", text)  # no bare-address autolink either


# The source lines around a fact, as preformatted text. Not st.code: its syntax highlighter is a 1.5 MB
# script the browser loads and compiles on the first excerpt of a visit (0.6 s of 报告详情's first view here).
EXCERPT_STYLE = (
    "margin:0;padding:0.75rem 1rem;border-radius:0.5rem;background:rgba(128,128,128,0.08);"
    "font-family:'Source Code Pro',monospace;font-size:0.85rem;line-height:1.6;white-space:pre;overflow-x:auto"
)


def excerpt_html(lines: Iterable[tuple[int, str]], marked: int) -> str:
    """Numbered source lines as an HTML block (for st.html), the line `marked` with ▶ and in bold; the
    document's text is escaped, so markup in it is shown as the characters it is."""
    rows = []
    for number, text in lines:
        row = html.escape(f"{'▶' if number == marked else ' '} {number:>5} │ {text}")
        rows.append(f"<b>{row}</b>" if number == marked else row)
    return f'<pre style="{EXCERPT_STYLE}">' + "\n".join(rows) + "</pre>"


# --- tables for people -----------------------------------------------------------------------
# Headers whose integers are identifiers, printed without thousands separators (2,023 is no year).
PLAIN_INTEGER_COLUMNS = frozenset({"年度", "行号", "页码", "区划代码", "报告年度"})
# Decimal places of every non-integer number shown or written for people.
PEOPLE_DECIMALS = 2
# Free text that needs room in a table: a finding, a stated reason, names of projects and bodies.
WIDE_TEXT_COLUMNS = frozenset(
    {"说明", "偏差原因（报告原文）", "偏差原因", "原文行名", "评价对象", "项目", "部门（单位）", "名称", "所属评价对象"}
)
# Shown for a missing value instead of None/nan.
MISSING = "—"


def number_kind(frame: pd.DataFrame, column: str) -> str | None:
    """'plain' (years, line numbers), 'count' (other integers), 'decimal' or None (not a number)."""
    dtype = frame[column].dtype
    if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
        return None
    if column in PLAIN_INTEGER_COLUMNS:
        return "plain"
    if pd.api.types.is_integer_dtype(dtype):
        return "count"
    return "decimal"


def people_cell(value: object, kind: str | None) -> object:
    """One cell as a person reads it: 8209.6797 → '8,209.68', 2023 → '2023', None/nan → ''."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if kind == "decimal":
        return f"{float(value):,.{PEOPLE_DECIMALS}f}"
    if kind == "count":
        return f"{int(value):,}"
    if kind == "plain":
        return str(int(value))
    return value


def people_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every number as text with thousands separators and two decimals, missing values blank:
    the CSV a department's staff opens (analysts download raw values from 自助查询)."""
    out = frame.copy()
    for column in frame.columns:
        kind = number_kind(frame, column)
        out[column] = frame[column].map(lambda v, k=kind: people_cell(v, k)).astype(object)
    return out


def readable_findings(frame: pd.DataFrame) -> pd.DataFrame:
    """Findings with the rule's Chinese name in 规则 instead of its id."""
    if "规则" not in frame.columns:
        return frame
    return frame.assign(规则=frame["规则"].map(rule_label))


def readable_facts(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A fact table of one report as people read it: Chinese headers and Chinese names of stored codes
    (scope department → 部门整体, basis actual → 决算数, a 三公 item → its name)."""
    codes = {**code_labels(), "item": three_public_item_labels()} if table == "three_public" else code_labels()
    out = frame.drop(columns=["item"]) if table == "totals" and "label" in frame.columns else frame.copy()
    for column, names in codes.items():
        if column in out.columns:
            out[column] = out[column].map(lambda v, n=names: n.get(str(v), v) if v is not None else v)
    return out.rename(columns=fact_column_labels())


def text_width(text: str, size: float) -> float:
    """Pixel width of one line: CJK and full-width characters one em, others about half."""
    return sum(size if ord(ch) > 0x2E7F else (0.3 if ch == " " else 0.58) * size for ch in text)
