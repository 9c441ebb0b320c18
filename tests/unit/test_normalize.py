"""Tests for fiscallens.normalize: number, amount, target and unit parsing.

Examples come from the sample reports in /work/shared/seeds (see DOMAIN.md,
"Traps"): spaced thousands/decimals, full-width forms, glued units, the
displaced 万, ≧ vs ≥, dashes for empty cells.
"""

from __future__ import annotations

import random

import pytest

from fiscallens.normalize import (
    Amount,
    Target,
    find_numbers,
    normalize_text,
    parse_amount,
    parse_number,
    parse_percent,
    parse_target,
    to_wan,
    unit_from_header,
)

# ---------------------------------------------------------------- normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("１２６８万元", "1268万元"),
        ("ＡＢＣ　ａｂｃ", "ABC abc"),
        ("（元）", "(元)"),
        ("９８．７８％", "98.78%"),
        ("金额单位：万元；合计，", "金额单位:万元;合计,"),
        ("a\u00a0\u00a0b", "a b"),
        ("a\u200bb\ufeffc", "abc"),
        ("  a  \t b\t\tc  ", "a b c"),
        ("、。“”", "、。“”"),
        ("≧6户 ≦1", "≧6户 ≦1"),
        ("", ""),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_normalize_text_keeps_line_breaks_and_strips_lines() -> None:
    assert normalize_text("  a  b \r\n  c\rd  \n") == "a b\nc\nd"


def test_normalize_text_keep_tabs_preserves_cells() -> None:
    # Leading empty cell survives; spaces around tabs are dropped.
    assert normalize_text("\t(元)  \t 其中 \t\t", keep_tabs=True) == "\t(元)\t其中\t\t"


def test_normalize_text_minus_sign() -> None:
    assert normalize_text("\u22123.2") == "-3.2"


# ---------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("22, 070. 55", 22070.55),
        ("14, 419. 03", 14419.03),
        ("1,268", 1268.0),
        ("1,268.00", 1268.0),
        ("20,000,000.00", 20000000.0),
        ("98.78%", 98.78),
        ("98.78 ％", 98.78),
        ("-3.2", -3.2),
        ("－3.2", -3.2),
        ("\u22123.2", -3.2),
        ("-1, 234. 5", -1234.5),
        ("１２６８", 1268.0),
        ("１，２６８．５", 1268.5),
        ("0", 0.0),
        ("0.00", 0.0),
        ("  577.4  ", 577.4),
        ("20000000", 20000000.0),
        ("+3", 3.0),
    ],
)
def test_parse_number(raw: str, expected: float) -> None:
    assert parse_number(raw) == expected


def test_parse_number_zero_is_not_none() -> None:
    assert parse_number("0") is not None


@pytest.mark.parametrize(
    "raw",
    ["—", "–", "-", "－", "", "/", "无", "_", "——", "   ", "合计", "abc"],
)
def test_parse_number_empty_markers(raw: str) -> None:
    assert parse_number(raw) is None


@pytest.mark.parametrize(
    "raw",
    [
        "577.4 577.4",  # two cells flattened into one line
        "10 98.78",
        "1, 2345",  # group after a comma must be exactly 3 digits
        "1,23",
        "1. 2021",  # item number then a year, not 1.2021
        "2024.7.18",  # a date
        "1 268",
    ],
)
def test_parse_number_refuses_to_glue(raw: str) -> None:
    assert parse_number(raw) is None


@pytest.mark.parametrize("raw", ["1268万元", "≥95%", "约100", "15.7亿", "3.2元"])
def test_parse_number_is_for_bare_numbers_only(raw: str) -> None:
    # Units, directions and words are for parse_amount / parse_target.
    assert parse_number(raw) is None


def test_parse_number_round_trips_damaged_formatting() -> None:
    rng = random.Random(20240718)
    for _ in range(2000):
        magnitude = 10 ** rng.randint(0, 9)
        x = rng.uniform(-magnitude, magnitude)
        printed = f"{x:,.2f}"
        expected = float(f"{x:.2f}")
        # Inject 0-2 spaces after each comma and after the dot, as PDF
        # extraction does; sometimes use full-width comma/dot/digits.
        damaged = ""
        for ch in printed:
            if ch == ",":
                damaged += rng.choice([",", "，"]) + " " * rng.randint(0, 2)
            elif ch == ".":
                damaged += rng.choice([".", "．"]) + " " * rng.randint(0, 2)
            elif ch.isdigit() and rng.random() < 0.1:
                damaged += chr(ord(ch) + 0xFEE0)
            else:
                damaged += ch
        assert parse_number(damaged) == expected, damaged
        assert parse_number(printed.replace(",", "")) == expected


def test_parse_number_long_fraction_without_spaces() -> None:
    assert parse_number("0.9878") == 0.9878
    assert parse_number("3.14159") == 3.14159


# ---------------------------------------------------------------- find_numbers


def test_find_numbers_indicator_row() -> None:
    line = "年度资金总额： 1268万元 2226.98万元 2199.98万元 10 98.78% 9.88"
    found = find_numbers(line)
    assert [v for _, _, v in found] == [1268.0, 2226.98, 2199.98, 10.0, 98.78, 9.88]
    # Spans index into the original line and cover the number only.
    assert [line[a:b] for a, b, _ in found] == [
        "1268",
        "2226.98",
        "2199.98",
        "10",
        "98.78",
        "9.88",
    ]


def test_find_numbers_spaced_thousands() -> None:
    line = "22, 070. 55 14, 419. 03"
    found = find_numbers(line)
    assert [v for _, _, v in found] == [22070.55, 14419.03]
    assert [line[a:b] for a, b, _ in found] == ["22, 070. 55", "14, 419. 03"]


def test_find_numbers_tab_row_from_final_accounts() -> None:
    line = "20699 其他科学技术支出 2,928\t\t2, 928. 00\t2, 928. 00\t\t"
    assert [v for _, _, v in find_numbers(line)] == [20699.0, 2928.0, 2928.0, 2928.0]


def test_find_numbers_does_not_glue_repeated_cells() -> None:
    assert [v for _, _, v in find_numbers("基本支出 577.4万元 577.4万元 — — —")] == [
        577.4,
        577.4,
    ]
    assert [v for _, _, v in find_numbers("577.4 577.4")] == [577.4, 577.4]


def test_find_numbers_range_dash_is_not_a_sign() -> None:
    assert [v for _, _, v in find_numbers("100-80%")] == [100.0, 80.0]
    assert [v for _, _, v in find_numbers("2021年1月-12月底")] == [2021.0, 1.0, 12.0]


def test_find_numbers_negative_after_boundary() -> None:
    assert [v for _, _, v in find_numbers("增减 -3.2\t－1.5 (−2)")] == [
        -3.2,
        -1.5,
        -2.0,
    ]


def test_find_numbers_skips_dotted_dates() -> None:
    assert [v for _, _, v in find_numbers("填报日期: 2024.7.18 得分 96.5")] == [96.5]


def test_find_numbers_full_width_offsets() -> None:
    line = "合计：１２６８万元"
    ((start, end, value),) = find_numbers(line)
    assert value == 1268.0
    assert line[start:end] == "１２６８"


def test_find_numbers_empty() -> None:
    assert find_numbers("按时完成") == []
    assert find_numbers("") == []


# ---------------------------------------------------------------- parse_amount


@pytest.mark.parametrize(
    ("raw", "value", "unit"),
    [
        ("1268万元", 1268.0, "万元"),
        ("2226.98 万元", 2226.98, "万元"),
        ("15.7亿", 15.7, "亿元"),
        ("15.7亿元", 15.7, "亿元"),
        ("20000000元", 20000000.0, "元"),
        ("万133.58元", 133.58, "万元"),  # displaced 万
        ("万0元", 0.0, "万元"),
        ("11168.82 万元", 11168.82, "万元"),
        ("１２６８万元", 1268.0, "万元"),
        ("9.8 万", 9.8, "万元"),
        ("1268 万 元", 1268.0, "万元"),
        ("22, 070. 55万元", 22070.55, "万元"),
        ("0万元", 0.0, "万元"),
        ("-3.2万元", -3.2, "万元"),
        ("1234千元", 1234.0, "千元"),
    ],
)
def test_parse_amount(raw: str, value: float, unit: str) -> None:
    assert parse_amount(raw) == Amount(value, unit)


def test_parse_amount_default_unit() -> None:
    assert parse_amount("20,000,000.00") is None
    assert parse_amount("20,000,000.00", default_unit="元") == Amount(20000000.0, "元")
    assert parse_amount("1268", default_unit="万元") == Amount(1268.0, "万元")
    # A unit in the text wins over the header's default.
    assert parse_amount("1268万元", default_unit="元") == Amount(1268.0, "万元")
    assert parse_amount("15.7", default_unit="亿") == Amount(15.7, "亿元")


def test_parse_amount_unknown_default_unit_raises() -> None:
    with pytest.raises(ValueError):
        parse_amount("12", default_unit="美元")


@pytest.mark.parametrize(
    "raw",
    [
        "≧15亿",
        "≥1000万元",
        "98.78%",
        "—",
        "",
        "1268万元 2226.98万元",
        "约1268万元",
        "(元)",
    ],
)
def test_parse_amount_rejects(raw: str) -> None:
    assert parse_amount(raw) is None
    assert parse_amount(raw, default_unit="万元") is None


def test_amount_to_wan() -> None:
    assert Amount(20000000.0, "元").to_wan() == 2000.0
    assert Amount(133.58, "万元").to_wan() == 133.58
    assert Amount(15.7, "亿元").to_wan() == 157000.0
    assert parse_amount("万133.58元").to_wan() == 133.58


def test_amount_is_frozen() -> None:
    amount = Amount(1.0, "万元")
    with pytest.raises(AttributeError):
        amount.value = 2.0  # type: ignore[misc]


# ---------------------------------------------------------------- parse_percent


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("98.78%", 98.78),
        ("98.78 ％", 98.78),
        ("100%", 100.0),
        ("0%", 0.0),
        ("64.47%", 64.47),
        ("95. 56%", 95.56),
        ("-5%", -5.0),
    ],
)
def test_parse_percent(raw: str, expected: float) -> None:
    assert parse_percent(raw) == expected


@pytest.mark.parametrize("raw", ["0.9878", "98.78", "≥95%", "—", "", "%", "100%(未收到)"])
def test_parse_percent_rejects(raw: str) -> None:
    assert parse_percent(raw) is None


# ---------------------------------------------------------------- parse_target


@pytest.mark.parametrize(
    ("raw", "direction", "value", "unit"),
    [
        ("≥95%", ">=", 95.0, "%"),
        ("≧6户", ">=", 6.0, "户"),
        ("≤1000万元", "<=", 1000.0, "万元"),
        ("48 个", "=", 48.0, "个"),
        ("≥73. 29 亿元", ">=", 73.29, "亿元"),
        (">=90%", ">=", 90.0, "%"),
        ("＞＝90％", ">=", 90.0, "%"),
        ("不低于90%", ">=", 90.0, "%"),
        ("不高于5%", "<=", 5.0, "%"),
        ("不超过3次", "<=", 3.0, "次"),
        ("≤5664 万元", "<=", 5664.0, "万元"),
        ("≦1", "<=", 1.0, None),
        ("<=2天", "<=", 2.0, "天"),
        ("大于5家", ">", 5.0, "家"),
        ("大于等于5家", ">=", 5.0, "家"),
        ("小于3小时", "<", 3.0, "小时"),
        ("小于等于5%", "<=", 5.0, "%"),
        ("100%", "=", 100.0, "%"),
        ("15.7亿", "=", 15.7, "亿"),
        ("≧15亿", ">=", 15.0, "亿"),
        ("1700人", "=", 1700.0, "人"),
        ("≧1000人", ">=", 1000.0, "人"),
        ("≥350 人", ">=", 350.0, "人"),
        ("≥55", ">=", 55.0, None),
        ("3 栋", "=", 3.0, "栋"),
        ("≥20项", ">=", 20.0, "项"),
        ("30分钟", "=", 30.0, "分钟"),
        ("≥20亿万条", ">=", 20.0, "亿万条"),
        ("≥5次/年", ">=", 5.0, "次/年"),
        ("≥3年", ">=", 3.0, "年"),  # a duration, not a year
        ("95%以上", ">=", 95.0, "%"),
        ("1小时以内", "<=", 1.0, "小时"),
        ("≥2 ↑", ">=", 2.0, "个"),  # ↑ is a garbled 个 (same table printed twice)
        ("0", "=", 0.0, None),
    ],
)
def test_parse_target(raw: str, direction: str, value: float, unit: str | None) -> None:
    assert parse_target(raw) == Target(direction, value, unit, raw)


@pytest.mark.parametrize(
    "raw",
    [
        "按时完成",
        "完成",
        "有效提升",
        "及时",
        "控制在批复内",
        "按时完成年度部门工作预期目标",
        "2021年1月-12月底",  # a date range is not a quantity
        "12月底",
        "2021年",
        "2023年底",
        "40 家 ≥25 个",  # two targets in one cell
        "≥*",
        "—",
        "",
        "≥5以下",  # contradictory directions
    ],
)
def test_parse_target_qualitative(raw: str) -> None:
    assert parse_target(raw) == Target("qualitative", None, None, raw)


def test_parse_target_keeps_original_text() -> None:
    assert parse_target("  ≧6户 ").text == "≧6户"
    assert parse_target("１７００人") == Target("=", 1700.0, "人", "１７００人")


# ---------------------------------------------------------------- to_wan


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (20000000.0, "元", 2000.0),
        (10000.0, "元", 1.0),
        (1234.0, "千元", 123.4),
        (1268.0, "万元", 1268.0),
        (15.7, "亿元", 157000.0),
        (15.7, "亿", 157000.0),
        (0.0, "元", 0.0),
    ],
)
def test_to_wan(value: float, unit: str, expected: float) -> None:
    assert to_wan(value, unit) == pytest.approx(expected)


def test_to_wan_exact_for_yuan() -> None:
    assert to_wan(20000000, "元") == 2000.0
    assert to_wan(1335800, "元") == 133.58


def test_to_wan_unknown_unit() -> None:
    with pytest.raises(ValueError):
        to_wan(1.0, "美元")


# ---------------------------------------------------------------- unit_from_header


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("金额单位：万元", "万元"),
        ("金额单位:万元", "万元"),
        ("金额单位: 万元", "万元"),
        ("单位:元", "元"),
        ("单位：万元", "万元"),
        ("(元)", "元"),
        ("（元）", "元"),
        ("（万元）", "万元"),
        ("(单位：万元)", "万元"),
        ("资金（万元）", "万元"),
        ("计划投资额（万元）\t1800", "万元"),
        ("部门(単位)总体资金(元)", "元"),
        ("金额单位:万\n元", "万元"),  # unit broken over two lines
        ("单位：亿元", "亿元"),
    ],
)
def test_unit_from_header(header: str, expected: str) -> None:
    assert unit_from_header(header) == expected


@pytest.mark.parametrize(
    "header",
    ["年度资金总额", "单位: 贵阳市大数据发展管理局", "", "(单位)", "公开 04 表"],
)
def test_unit_from_header_none(header: str) -> None:
    assert unit_from_header(header) is None
