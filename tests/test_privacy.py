"""Issue 14: personal data printed in reports is masked wherever source text is shown."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from fiscallens.explain import explain
from fiscallens.presentation import mask_personal
from fiscallens.sources import source_excerpt

# (text, what must not survive, what is shown instead)
PERSONAL = [
    ("手机 185-0854-2270", "185-0854-2270", "185-****-2270"),
    ("手机 185 0854 2270", "185 0854 2270", "185 **** 2270"),
    ("电话(0854)8221234", "8221234", "(0854)***1234"),
    ("0854 8221234", "8221234", "0854 ***1234"),
    ("010-12345678", "12345678", "010-****5678"),
    ("+8618508542270", "18508542270", "+86185****2270"),
    ("+86 185 0854 2270", "185 0854", "+86 185 **** 2270"),
    ("联系电话：１８５０８５４２２７０", "１８５０８５４２２７０", "１８５****２２７０"),
    ("电话：０８５４－８２２１２３４", "８２２１２３４", "０８５４－***１２３４"),
    ("联系电话：8221234", "8221234", "***1234"),
    ("身份证号：52010219850312123X", "19850312", "520102********123X"),
    ("522701198503121234", "19850312", "522701********1234"),
    ("联系人：张三", "张三", "联系人：张*"),
    ("联系人：欧阳娜娜，电话 15274311637", "欧阳娜娜", "联系人：欧***，"),
    ("经办人：李四  联系电话：0854-8221234", "李四", "经办人：李*"),
    ("填报人 王五（财务科）", "王五", "填报人 王*（财务科）"),
    ("联系电话：赵六 0854-8221234", "赵六", "联系电话：赵* 0854-***1234"),
    ("联系人\t孙七\t联系电话\t15274311637", "孙七", "联系人\t孙*\t"),
]
# Amounts, years and codes look like numbers too, and must stay as printed.
NOT_PERSONAL = [
    "支出合计 2,995.39 万元",
    "年初预算 20000000 元",
    "2024年部门预算",
    "2060499 其他技术研究与开发支出",
    "2023年度 区划 520101 日期 20240101",
    "合计\t15000000000.00",
    "13512345678元",
    "经办人员培训费 3.5 万元",
    "邮电费 12345678.00",
    "统一社会信用代码 12522700429340000W",
]


@pytest.mark.parametrize(("text", "gone", "shown"), PERSONAL)
def test_every_common_format_is_masked(text: str, gone: str, shown: str) -> None:
    masked = mask_personal(text)
    assert gone not in masked, masked
    assert shown in masked, masked
    assert len(masked) == len(text)  # one mark per character: the line keeps its layout


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_amounts_years_and_codes_are_not_masked(text: str) -> None:
    # Beside a phone number in a new format, which is masked, the number-like text stays as printed.
    assert mask_personal(f"{text}；手机 185 0854 2270") == f"{text}；手机 185 **** 2270"


def test_source_context_masks_every_format(tmp_path: Path) -> None:
    source = tmp_path / "report.txt"
    lines = ["联系电话：15274311637", "电话：0854-8221234"] + [text for text, _, _ in PERSONAL]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shown = "\n".join(text for _, text in source_excerpt(str(source), 10, radius=len(lines)))
    for gone in ["15274311637", "0854-8221234", *(gone for _, gone, _ in PERSONAL)]:
        assert gone not in shown


def test_downloads_and_tables_are_masked() -> None:
    from fiscallens.presentation import mask_frame  # new with issue 14

    frame = pd.DataFrame({"说明": ["联系人：张三，电话 185-0854-2270", None], "金额": [2995.39, 1.0]})
    masked = mask_frame(frame)
    assert masked["说明"][0] == "联系人：张*，电话 185-****-2270"
    assert masked["金额"].tolist() == [2995.39, 1.0]
    assert frame["说明"][0].startswith("联系人：张三")  # the original is left alone


def test_explain_masks_personal_data_in_findings(warehouse: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copy(warehouse, db)
    con = duckdb.connect(str(db))
    try:
        report_id = con.execute("SELECT min(report_id) FROM reports").fetchone()[0]
        con.execute(
            "INSERT INTO quality_flags (report_id, source_file, source_line, stage, rule, severity, message) "
            "VALUES (?, 'x.txt', 1, 'audit', 'test_contact', 'info', ?)",
            [report_id, "联系人：张三，联系电话：185 0854 2270，身份证 52010219850312123X"],
        )
        text = explain(con, report_id)
    finally:
        con.close()
    assert "test_contact" in text
    assert "张三" not in text and "185 0854 2270" not in text and "19850312" not in text
    assert "联系人：张*" in text and "185 **** 2270" in text
