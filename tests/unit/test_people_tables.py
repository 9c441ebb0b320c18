"""Tables and downloads for people (issue 16): formatted numbers, Chinese names, no raw values."""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import openpyxl
import pandas as pd

from fiscallens.downloads import people_csv_bytes, people_xlsx_bytes
from fiscallens.labels import UNNAMED_RULE, rule_label, rule_labels
from fiscallens.presentation import people_frame, readable_facts

PACKAGE = Path(__file__).resolve().parents[2] / "fiscallens"
FRAME = pd.DataFrame(
    {"年度": [2023, 2024], "执行数（万元）": [8209.6797, None], "名称": ["甲", None], "报告数": [1200, 3]}
)


def test_people_csv_has_separators_two_decimals_and_blanks() -> None:
    text = people_csv_bytes(FRAME).decode("utf-8-sig")
    assert '2023,"8,209.68",甲,"1,200"' in text
    assert "nan" not in text and "None" not in text
    assert people_frame(FRAME)["年度"].tolist() == ["2023", "2024"]


def test_people_xlsx_keeps_numbers_with_a_number_format() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(people_xlsx_bytes(FRAME))).active
    assert [(c.value, c.number_format) for c in sheet[2]] == [
        (2023, "0"),
        (8209.6797, "#,##0.00"),
        ("甲", "General"),
        (1200, "#,##0"),
    ]


def test_every_rule_the_code_emits_has_a_chinese_name() -> None:
    emitted = set()
    for path in PACKAGE.rglob("*.py"):
        if "synth" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if "finding" in name.lower() or "fail" in name.lower() or name in {"Finding", "_not_found", "_skipped"}:
                    emitted |= {
                        a.value
                        for a in node.args[:3]
                        if isinstance(a, ast.Constant)
                        and isinstance(a.value, str)
                        and re.fullmatch(r"[a-z][a-z0-9_]+", a.value)
                        and a.value not in {"info", "warning", "error"}
                    }
    for path in (PACKAGE / "audits").glob("*.sql"):
        emitted.add(re.search(r"^-- rule: (\S+)", path.read_text(encoding="utf-8"), re.M).group(1))
    assert emitted - set(rule_labels()) == set()
    assert rule_label("figure_disagrees") == "同一数字前后不一致"
    assert rule_label("a_new_rule") == UNNAMED_RULE


def test_fact_tables_get_chinese_headers_and_code_names() -> None:
    frame = pd.DataFrame({"scope": ["department"], "budget_initial": [1.0], "basis": ["actual"], "item": ["reception"]})
    shown = readable_facts("three_public", frame)
    assert list(shown.columns) == ["范围", "年初预算（万元）", "口径", "项目"]
    assert shown.iloc[0].tolist()[0] == "部门整体" and shown.iloc[0]["口径"] == "决算数"
    assert all(not str(c).isascii() for c in shown.columns)
