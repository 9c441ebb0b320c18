from __future__ import annotations

import io

import pandas as pd
import pytest

from fiscallens.downloads import csv_bytes, xlsx_bytes
from fiscallens.presentation import amount_unit, excerpt_html, format_amount, format_rate, source_note


@pytest.mark.parametrize(
    ("wan", "text"),
    [(2226.98, "2,226.98 万元"), (65130.41, "6.51 亿元"), (0.71, "0.71 万元"), (None, "—"), (float("nan"), "—")],
)
def test_format_amount_always_shows_the_unit(wan: float | None, text: str) -> None:
    assert format_amount(wan) == text


def test_series_unit_follows_its_largest_value() -> None:
    assert amount_unit([1.0, 22070.55, None]) == ("亿元", 10_000.0)
    assert amount_unit([1.0, 9999.0]) == ("万元", 1.0)
    assert format_amount(9999.0, "亿元") == "1.00 亿元"


def test_rates_and_source_notes() -> None:
    assert format_rate(98.7876) == "98.79%"
    assert source_note(4, [2023, 2021, None, 2022]) == "数据来源：4 份报告，2021–2023"
    assert source_note(1, [2022]) == "数据来源：1 份报告，2022"


def test_csv_download_starts_with_a_bom_and_round_trips() -> None:
    frame = pd.DataFrame({"地区": ["黔南州"], "执行率": [98.78]})
    data = csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    assert pd.read_csv(io.BytesIO(data), encoding="utf-8-sig").equals(frame)


def test_xlsx_keeps_chinese_headers() -> None:
    frame = pd.DataFrame({"地区": ["湘西州"], "金额（万元）": [1800.0]})
    assert list(pd.read_excel(io.BytesIO(xlsx_bytes(frame))).columns) == ["地区", "金额（万元）"]


def test_an_excerpt_is_escaped_text_with_its_line_marked() -> None:
    block = excerpt_html([(9, "一、收入 <script>alert(1)</script>"), (10, "合计 2,946.25 & 说明"), (11, "")], marked=10)
    assert block.startswith("<pre") and block.endswith("</pre>")
    assert "<script>" not in block and "&lt;script&gt;alert(1)&lt;/script&gt;" in block
    lines = block.split(">", 1)[1].removesuffix("</pre>").split("\n")
    assert lines == [
        "      9 │ 一、收入 &lt;script&gt;alert(1)&lt;/script&gt;",
        "<b>▶    10 │ 合计 2,946.25 &amp; 说明</b>",
        "     11 │ ",
    ]
