"""Text and number normalisation for figures extracted from budget reports.

PDF/Word extraction damages numbers in predictable ways (see DOMAIN.md,
"Traps"): spaces after thousands commas and decimal points (`22, 070. 55`),
full-width digits and punctuation, units glued to numbers (`1268万元`), a
displaced 万 (`万133.58元`), dashes for empty cells. Everything here is
tolerant of that damage but refuses to guess when a string could be two
numbers (`577.4 577.4`): an ambiguous cell returns None rather than a wrong
figure. Stdlib only; nothing here raises on bad text (only on a bad unit
argument from a caller).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

__all__ = [
    "Amount",
    "Target",
    "find_numbers",
    "normalize_text",
    "parse_amount",
    "parse_number",
    "parse_percent",
    "parse_target",
    "to_wan",
    "unit_from_header",
]

# --------------------------------------------------------------------------
# Character-level normalisation
# --------------------------------------------------------------------------

# U+FF01..U+FF5E are the full-width twins of ASCII '!'..'~' at a fixed offset.
_FULLWIDTH_FIRST, _FULLWIDTH_LAST = 0xFF01, 0xFF5E
_FULLWIDTH_OFFSET = 0xFEE0
# Ideographic space, NBSP and the typographic spaces PDF tools emit.
SPACE_LIKE_CHARS = "\u3000\u00a0\u202f\u205f" + "".join(map(chr, range(0x2000, 0x200B)))
# Invisible characters that split tokens without showing (ZWSP, ZWNJ, ZWJ,
# word joiner, BOM, soft hyphen).
ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# U+2212 MINUS SIGN only ever means minus; dashes (— –) are left alone
# because reports use them as "empty cell" markers.
MINUS_SIGN = "\u2212"

_TRANSLATE: dict[int, str | None] = {
    cp: chr(cp - _FULLWIDTH_OFFSET) for cp in range(_FULLWIDTH_FIRST, _FULLWIDTH_LAST + 1)
}
_TRANSLATE.update({ord(c): " " for c in SPACE_LIKE_CHARS})
_TRANSLATE.update({ord(c): None for c in ZERO_WIDTH_CHARS})
_TRANSLATE[ord(MINUS_SIGN)] = "-"

# The characters _TRANSLATE changes: replacing the few matches is ~5x faster than str.translate,
# which looks every character up (most of a Chinese line is left as it is).
_FOLDABLE_RE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_TRANSLATE)) + "]")
_FOLDED = {chr(cp): replacement or "" for cp, replacement in _TRANSLATE.items()}


def _fold(s: str) -> str:
    """`s.translate(_TRANSLATE)`, faster."""
    return _FOLDABLE_RE.sub(lambda m: _FOLDED[m.group()], s) if _FOLDABLE_RE.search(s) else s


_INLINE_WS_RE = re.compile(r"[ \t\f\v]+")
_INLINE_SPACES_RE = re.compile(r"[ \f\v]+")
_SPACES_AROUND_TAB_RE = re.compile(r" *\t *")


_WHITESPACE_RE = re.compile(r"\s+")


@functools.lru_cache(maxsize=1 << 16)  # table cells and labels repeat across rows and reports
def squash(text: str) -> str:
    """Text without any whitespace (names and labels are broken by extraction: "公务接 待费")."""
    return _WHITESPACE_RE.sub("", text)


def compact_text(s: str) -> str:
    """`s` normalized and without any whitespace: what line patterns match against.
    (Not cached itself: whole lines rarely repeat, and normalize_text is cached.)"""
    return _WHITESPACE_RE.sub("", normalize_text(s))


@functools.lru_cache(maxsize=1 << 16)  # readers normalize the same lines again and again
def normalize_text(s: str, *, keep_tabs: bool = False) -> str:
    """Full-width → half-width, odd spaces → ' ', zero-width chars removed.

    Runs of spaces/tabs inside each line collapse to one space and each line
    is stripped; line breaks are kept (CRLF/CR become LF). Chinese punctuation
    with no ASCII twin (、。“”) and comparison signs (≧ ≦ ≥ ≤) are unchanged.

    keep_tabs=True keeps tabs (cell separators in tab-separated table rows,
    where an empty leading cell matters): only spaces collapse, spaces next to
    a tab are dropped, and lines are stripped of spaces only.
    """
    text = _fold(s)
    if "\n" not in text and "\r" not in text:  # one line, the common case
        if keep_tabs:
            return _SPACES_AROUND_TAB_RE.sub("\t", _INLINE_SPACES_RE.sub(" ", text)).strip(" ").strip("\n ")
        return _INLINE_WS_RE.sub(" ", text).strip(" ").strip()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for line in text.split("\n"):
        if keep_tabs:
            line = _SPACES_AROUND_TAB_RE.sub("\t", _INLINE_SPACES_RE.sub(" ", line)).strip(" ")
        else:
            line = _INLINE_WS_RE.sub(" ", line).strip(" ")
        lines.append(line)
    joined = "\n".join(lines)
    return joined.strip("\n ") if keep_tabs else joined.strip()


# --------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------

_D = "[0-9０-９]"
_COMMA = "[,，]"
_DOT = "[.．]"
# Spaces PDF extraction inserts inside a number. Tabs are NOT included: a tab
# is a cell boundary, so "22,\t070" is two cells.
_NUM_SPACE = "[ \u00a0\u3000]"
_SIGN = "[-+－＋\u2212]"
# A spaced fraction ("22, 070. 55") is only accepted with this many digits at
# most: money and percentages carry 2 decimals, while "1. 2021年…" is an item
# number followed by a year and must not become 1.2021.
MAX_SPACED_FRACTION_DIGITS = 2

# Unsigned number body. Thousands groups: a comma (ASCII or full-width),
# optional spaces, exactly 3 digits not followed by another digit; the
# leading group has 1-3 digits. Otherwise a plain digit run.
_BODY = rf"""
    (?P<int>
        {_D}{{1,3}}(?:{_COMMA}{_NUM_SPACE}*{_D}{{3}}(?!{_D}))+
      | {_D}+
    )
    (?P<frac>
        {_DOT}(?:{_D}+|{_NUM_SPACE}+{_D}{{1,{MAX_SPACED_FRACTION_DIGITS}}}(?!{_D}))
    )?
"""
NUMBER_RE = re.compile(rf"(?P<sign>{_SIGN})?{_BODY}", re.VERBOSE)

# In running text a '-' is only a sign after a boundary like these; after a
# digit or a CJK character it is a range dash ("100-80%", "1月-12月").
_SIGN_MAY_FOLLOW = r"\s(（\[:：=,，;；≥≤≧≦<>~"
# Dotted runs with 2+ dots are dates or versions (填报日期 2024.7.18), not
# numbers; they are matched first so that their pieces are skipped.
_TOKEN_RE = re.compile(
    rf"""
    (?P<dotted>(?<!{_D}){_D}+(?:{_DOT}{_D}+){{2,}})
  | (?P<number>(?:(?<![^{_SIGN_MAY_FOLLOW}])(?P<sign>{_SIGN}))?{_BODY})
    """,
    re.VERBOSE,
)

_DIGIT_TABLE = {ord(c): str(i) for i, c in enumerate("０１２３４５６７８９")}
_NEGATIVE_SIGNS = frozenset("-－\u2212")
_PERCENT_SUFFIX_RE = re.compile(r"\s*[%％]$")
_NON_DIGIT_RE = re.compile(r"[^0-9０-９]")


def _match_value(m: re.Match[str]) -> float:
    """Float from a NUMBER_RE/_TOKEN_RE match, dropping separators and spaces."""
    int_digits = _NON_DIGIT_RE.sub("", m.group("int")).translate(_DIGIT_TABLE)
    frac = m.group("frac")
    frac_digits = _NON_DIGIT_RE.sub("", frac).translate(_DIGIT_TABLE) if frac else "0"
    sign = "-" if m.group("sign") and m.group("sign") in _NEGATIVE_SIGNS else ""
    return float(f"{sign}{int_digits}.{frac_digits}")


def parse_number(s: str) -> float | None:
    """One bare number, possibly damaged by extraction, or None.

    "22, 070. 55" → 22070.55, "1,268" → 1268.0, "98.78%" → 98.78 (a trailing
    percent sign is ignored), "-3.2" → -3.2. Returns None for empty markers
    (— – - / 无 …), for text, for two numbers ("577.4 577.4"), and for numbers
    with a unit or other words attached ("1268万元": use parse_amount or
    parse_target) — this function is for cells that should hold only a number.
    """
    text = _PERCENT_SUFFIX_RE.sub("", normalize_text(s))
    m = NUMBER_RE.fullmatch(text)
    return _match_value(m) if m else None


def find_numbers(s: str) -> list[tuple[int, int, float]]:
    """(start, end, value) of every number in a line, left to right.

    Same damage-tolerant rules as parse_number, applied to the text as given
    (offsets index into `s`; full-width digits are understood without
    normalising first). The span covers the number only: a following '%' or
    unit starts at `end`. Dotted dates like 2024.7.18 yield nothing.
    """
    found = []
    for m in _TOKEN_RE.finditer(s):
        if m.group("number") is not None:
            found.append((m.start(), m.end(), _match_value(m)))
    return found


# --------------------------------------------------------------------------
# Money
# --------------------------------------------------------------------------

# Power of ten that turns one unit into 万元. Exact powers keep division
# exact-ish (20000000 元 → 2000.0, not 2000.0000000000002).
_WAN_EXPONENT = {
    "元": -4,
    "千元": -1,
    "万元": 0,
    "万": 0,
    "百万元": 2,
    "亿元": 4,
    "亿": 4,
}
# Decimals kept when a smaller unit is divided into 万元: a 元 figure's 分 are the 6th decimal.
_DIVIDED_DECIMALS = 8
# Canonical printed unit for an Amount; bare 万/亿 mean 万元/亿元 in reports
# ("9.8 万", "15.7亿").
AMOUNT_UNITS = {
    "元": "元",
    "千元": "千元",
    "万元": "万元",
    "万": "万元",
    "百万元": "百万元",
    "亿元": "亿元",
    "亿": "亿元",
}
# Longest first so that 万元 wins over 万 and 元; spaces between unit
# characters are extraction damage ("万 元").
_MONEY_UNIT = r"百\s*万\s*元|千\s*元|万\s*元|亿\s*元|万|亿|元"
_AMOUNT_RE = re.compile(rf"(?P<sign>{_SIGN})?{_BODY} \s* (?P<unit>{_MONEY_UNIT})?", re.VERBOSE)
# "万133.58元": extraction moved 万 in front of the number; it means 万元.
_DISPLACED_WAN_RE = re.compile(rf"万 \s* (?P<sign>{_SIGN})?{_BODY} \s* 元", re.VERBOSE)


def to_wan(value: float, unit: str) -> float:
    """Convert `value` in `unit` (元, 千元, 万元, 亿元, 亿, …) to 万元."""
    key = unit.strip()
    if key not in _WAN_EXPONENT:
        raise ValueError(f"unknown money unit {unit!r}; expected one of {sorted(_WAN_EXPONENT)}")
    exp = _WAN_EXPONENT[key]
    if exp >= 0:
        return value * 10**exp
    # 元 → 万元 moves the decimal point; rounding drops the float noise of the division
    # (91016775.35 元 → 9101.677535, not 9101.677534999999) and nothing a table prints.
    return round(value / 10**-exp, _DIVIDED_DECIMALS)


@dataclass(frozen=True)
class Amount:
    """A money figure with its unit as printed (canonical: 元/千元/万元/百万元/亿元)."""

    value: float
    unit: str

    def to_wan(self) -> float:
        """The value in 万元, the unit the warehouse stores."""
        return to_wan(self.value, self.unit)


def _canonical_unit(unit: str) -> str:
    key = re.sub(r"\s+", "", unit)
    if key not in AMOUNT_UNITS:
        raise ValueError(f"unknown money unit {unit!r}; expected one of {sorted(AMOUNT_UNITS)}")
    return AMOUNT_UNITS[key]


def parse_amount(s: str, default_unit: str | None = None) -> Amount | None:
    """A single money figure: "1268万元", "2226.98 万元", "15.7亿", "万133.58元".

    Without a unit in the text, `default_unit` (e.g. from unit_from_header)
    is used; with neither, None. Returns None for anything that is not
    exactly one number plus an optional money unit — including targets with
    a direction ("≧15亿": use parse_target) and percentages.
    Raises ValueError only for an unknown `default_unit`.
    """
    default = _canonical_unit(default_unit) if default_unit is not None else None
    text = normalize_text(s)
    m = _DISPLACED_WAN_RE.fullmatch(text)
    if m:
        return Amount(_match_value(m), "万元")
    m = _AMOUNT_RE.fullmatch(text)
    if not m:
        return None
    value = _match_value(m)
    if m.group("unit"):
        return Amount(value, _canonical_unit(m.group("unit")))
    return Amount(value, default) if default is not None else None


def parse_percent(s: str) -> float | None:
    """Percentage points from "98.78%", "98.78 ％", "100%"; None without a sign.

    "0.9878" → None: a bare fraction could be a ratio or a percentage, and
    only the caller knows which.
    """
    text = normalize_text(s)
    if not _PERCENT_SUFFIX_RE.search(text):
        return None
    return parse_number(text)


# --------------------------------------------------------------------------
# Indicator targets (年度指标值)
# --------------------------------------------------------------------------

# Prefix words/signs → direction. Matched longest first, so 大于等于 is not
# read as 大于 and 不低于 is not read as 低于.
DIRECTION_PREFIXES: dict[str, str] = {
    ">=": ">=",
    "≥": ">=",
    "≧": ">=",
    "⩾": ">=",
    "大于等于": ">=",
    "大于或等于": ">=",
    "不低于": ">=",
    "不少于": ">=",
    "不小于": ">=",
    "至少": ">=",
    "<=": "<=",
    "≤": "<=",
    "≦": "<=",
    "⩽": "<=",
    "小于等于": "<=",
    "小于或等于": "<=",
    "不高于": "<=",
    "不超过": "<=",
    "不大于": "<=",
    "不多于": "<=",
    "至多": "<=",
    "最多": "<=",
    ">": ">",
    "大于": ">",
    "高于": ">",
    "超过": ">",
    "多于": ">",
    "<": "<",
    "小于": "<",
    "低于": "<",
    "少于": "<",
    "=": "=",
    "等于": "=",
}
_PREFIXES_LONGEST_FIRST = sorted(DIRECTION_PREFIXES, key=len, reverse=True)
# Suffix words ("95%以上", "1小时以内") → direction.
DIRECTION_SUFFIXES: dict[str, str] = {
    "及以上": ">=",
    "以上": ">=",
    "及以下": "<=",
    "以下": "<=",
    "以内": "<=",
    "之内": "<=",
}
_SUFFIXES_LONGEST_FIRST = sorted(DIRECTION_SUFFIXES, key=len, reverse=True)
# A unit is the short word after the number: %, ‰, or up to this many
# letters/ideographs, optionally with a '/' ("次/年"). Longer text after the
# number means the cell is a sentence, not a quantity.
MAX_UNIT_CHARS = 4
_UNIT_RE = re.compile(r"%|‰|[^\W\d_](?:[^\W\d_]|/(?=[^\W\d_]))*")
# Extraction artefacts in unit position. "↑" is 个 garbled: 001_… prints the
# same table twice, once "≥200 ↑" and once "≥200 个".
UNIT_ARTEFACTS = {"↑": "个"}
# Calendar points are not quantities: "12月底", "6月" (June; a duration
# is 6个月), and a year number followed by 年 ("2021年", "2023年底").
_CALENDAR_MONTH_RE = re.compile(r"月")
_YEAR_UNIT_RE = re.compile(r"年")
CALENDAR_YEAR_RANGE = (1900, 2100)

QUALITATIVE = "qualitative"


@dataclass(frozen=True)
class Target:
    """An indicator target: direction '>=' '<=' '>' '<' '=' or 'qualitative'.

    `text` is the cell as given (stripped), kept for provenance.
    """

    direction: str
    value: float | None
    unit: str | None
    text: str


def _is_calendar(value: float, unit: str) -> bool:
    if _CALENDAR_MONTH_RE.match(unit):
        return True
    low, high = CALENDAR_YEAR_RANGE
    return bool(_YEAR_UNIT_RE.match(unit)) and value.is_integer() and low <= value <= high


def parse_target(s: str) -> Target:
    """Parse a 年度指标值 cell: "≥95%", "≧6户", "≤1000万元", "48 个", "按时完成".

    Anything that is not exactly [direction] number [unit] [以上/以下…] is
    qualitative with value and unit None — including date ranges
    ("2021年1月-12月底") and cells holding two targets ("40 家 ≥25 个").
    """
    original = s.strip()
    qualitative = Target(QUALITATIVE, None, None, original)
    text = normalize_text(s)

    prefix_dir = None
    for token in _PREFIXES_LONGEST_FIRST:
        if text.startswith(token):
            prefix_dir = DIRECTION_PREFIXES[token]
            text = text[len(token) :].lstrip()
            break

    m = NUMBER_RE.match(text)
    if not m:
        return qualitative
    value = _match_value(m)
    rest = text[m.end() :].strip()

    suffix_dir = None
    for token in _SUFFIXES_LONGEST_FIRST:
        if rest.endswith(token):
            suffix_dir = DIRECTION_SUFFIXES[token]
            rest = rest[: -len(token)]
            break
    if prefix_dir and suffix_dir and prefix_dir != suffix_dir:
        return qualitative  # contradictory, e.g. "≥5以下"

    unit = rest.replace(" ", "")
    unit = UNIT_ARTEFACTS.get(unit, unit)
    if unit:
        if len(unit) > MAX_UNIT_CHARS or not _UNIT_RE.fullmatch(unit):
            return qualitative
        if _is_calendar(value, unit):
            return qualitative
    direction = prefix_dir or suffix_dir or "="
    return Target(direction, value, unit or None, original)


# --------------------------------------------------------------------------
# Table headers
# --------------------------------------------------------------------------

# "金额单位：万元", "单位:元", "单位:万\n元" (broken line), "(元)", "（万元）",
# "(单位：万元)". After 单位 the unit must not run on into a word: "单位:
# 贵阳市…" names an organisation (单位 = unit/department), not a currency.
_HEADER_UNIT_RE = re.compile(
    rf"""
    单位\s*[:：]?\s*(?:人民币)?\s*(?P<u1>{_MONEY_UNIT})(?![\u4e00-\u9fff])
  | [(（]\s*(?:(?:金额)?单位\s*[:：]?\s*)?(?:人民币)?\s*(?P<u2>{_MONEY_UNIT})\s*[)）]
    """,
    re.VERBOSE,
)


def unit_from_header(s: str) -> str | None:
    """Money unit a table header states ('元', '万元', '亿元', …), or None.

    The first stated unit wins. The stated unit can be wrong (DOMAIN.md: a
    "(元)" table holding 万元): reconcile before trusting it.
    """
    m = _HEADER_UNIT_RE.search(normalize_text(s))
    if not m:
        return None
    return _canonical_unit(m.group("u1") or m.group("u2"))
