"""fiscallens.downloads: the one home for a frame as a file (dashboards, 自助查询, the CLI's output)."""

from __future__ import annotations

import datetime as dt
import io
import json

import duckdb
import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pytest

from fiscallens.downloads import EXPORT_FORMATS, csv_bytes, export_bytes, flat_frame, json_value, unique_columns


def test_repeated_column_names_are_numbered() -> None:
    frame = pd.DataFrame([[1, 2, 3]], columns=["a", "a", "b"])
    assert list(unique_columns(frame).columns) == ["a", "a_1", "b"]


def test_flat_cells_for_csv_and_excel() -> None:
    frame = pd.DataFrame({"list": [[1, 2]], "blob": [b"ab"], "text": ["x\x07y"]})
    plain, excel = flat_frame(frame).iloc[0], flat_frame(frame, excel=True).iloc[0]
    assert plain["list"] == "[1, 2]" and plain["blob"] == "6162" and plain["text"] == "x\x07y"
    assert excel["text"] == "xy"  # openpyxl refuses control characters


def test_json_values() -> None:
    assert json_value({"d": dt.date(2023, 1, 2), "n": float("nan"), "a": np.array([1, 2])}) == {
        "d": "2023-01-02",
        "n": None,
        "a": [1, 2],
    }


def test_every_format_and_the_bom() -> None:
    frame = pd.DataFrame({"地区": ["贵阳市"], "金额（万元）": [1.5]})
    assert csv_bytes(frame).startswith(b"\xef\xbb\xbf")
    for fmt in EXPORT_FORMATS:
        assert export_bytes(frame, fmt)
    assert pd.read_parquet(io.BytesIO(export_bytes(frame, "parquet"))).equals(frame)
    with pytest.raises(ValueError):
        export_bytes(frame, "ods")


# --- a full result as Arrow (issue 17): the same file contents, made without pandas ------------------

# Chinese text, quotes and commas, NULLs, decimals, dates, a list, a blob, a repeated column name.
FIXTURE_SQL = """
SELECT * FROM (VALUES
    ('贵阳市', '财政局,"本级"', 1511.89::DOUBLE, 12.50::DECIMAL(18, 2), 2023, DATE '2024-03-01', ['a.pdf', '乙.txt'],
     'ab'::BLOB, true, 1),
    ('湘潭市', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 2),
    ('钦州市', '多行
文本', -0.5::DOUBLE, 0.10::DECIMAL(18, 2), 2024, DATE '2025-12-31', [], NULL, false, 3)
) AS t(地区, 部门, 金额, 预算, 年度, 日期, 文件, 原文, 已审, 地区)
"""


def _fixture() -> tuple[pd.DataFrame, pa.Table]:
    con = duckdb.connect()
    return con.sql(FIXTURE_SQL).df(), con.sql(FIXTURE_SQL).to_arrow_table()


def test_arrow_csv_reads_back_as_the_frame_csv() -> None:
    frame, table = _fixture()
    before, after = export_bytes(frame, "csv"), export_bytes(table, "csv")
    assert after.startswith(b"\xef\xbb\xbf") and after.count(b"\xef\xbb\xbf") == 1
    assert after.splitlines()[0] == before.splitlines()[0]  # the same header: 地区,…,地区_1
    old = pd.read_csv(io.BytesIO(before), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    new = pd.read_csv(io.BytesIO(after), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert new.shape == (3, 10)
    for column in ("地区", "部门", "年度", "日期", "原文", "地区_1"):
        assert new[column].tolist() == old[column].tolist(), column
    for column in ("金额", "预算"):  # 12.50 vs 12.5: the same number
        assert pd.to_numeric(new[column]).equals(pd.to_numeric(old[column])), column
    assert [json.loads(v) if v else None for v in new["文件"]] == [["a.pdf", "乙.txt"], None, []]
    assert new["已审"].str.lower().tolist() == old["已审"].str.lower().tolist()  # true/false
    assert new["部门"].tolist()[2] == "多行\n文本"


def test_arrow_parquet_holds_the_same_values() -> None:
    frame, table = _fixture()
    old = pd.read_parquet(io.BytesIO(export_bytes(frame, "parquet")))
    new = pd.read_parquet(io.BytesIO(export_bytes(table, "parquet")))
    assert list(new.columns) == list(old.columns)
    for column in ("地区", "部门", "金额", "年度", "已审", "地区_1"):
        assert (
            new[column].astype(object).where(new[column].notna(), None).tolist()
            == old[column].astype(object).where(old[column].notna(), None).tolist()
        ), column
    assert [float(v) if v is not None else None for v in new["预算"]] == [12.5, None, 0.1]
    assert pd.to_datetime(new["日期"]).tolist()[::2] == pd.to_datetime(old["日期"]).tolist()[::2]
    assert list(new["文件"].iloc[0]) == ["a.pdf", "乙.txt"]


def test_excel_holds_at_most_the_cell_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    from fiscallens import downloads

    monkeypatch.setattr(downloads, "XLSX_MAX_CELLS", 40)
    assert downloads.xlsx_row_cap(10) == 4 and downloads.xlsx_row_cap(100) == 1
    table = pa.table({f"c{i}": list(range(25)) for i in range(4)})
    sheet = pd.read_excel(io.BytesIO(export_bytes(table, "xlsx")))
    assert len(sheet) == 10 and sheet["c0"].tolist() == list(range(10))  # the first rows
    assert len(pd.read_csv(io.BytesIO(export_bytes(table, "csv")), encoding="utf-8-sig")) == 25  # CSV: all


def test_excel_cells_stay_text_and_values() -> None:
    _, table = _fixture()
    sheet = openpyxl.load_workbook(io.BytesIO(export_bytes(table, "xlsx"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("地区", "部门", "金额") and rows[0][-1] == "地区_1"
    assert rows[1][2] == 1511.89 and rows[1][3] == 12.5 and rows[1][6] == '["a.pdf","乙.txt"]'
    assert rows[2][1] is None and rows[2][2] is None  # NULLs are empty cells
    formula = pa.table({"x": ["=1+1", "http://example.com"]})
    cells = openpyxl.load_workbook(io.BytesIO(export_bytes(formula, "xlsx"))).active
    assert [c.data_type for c in cells["A"][1:]] == ["s", "s"]  # text, never a formula or a link


def test_people_downloads_at_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    from fiscallens import downloads

    monkeypatch.setattr(downloads, "XLSX_MAX_CELLS", 6)
    frame = pd.DataFrame({"地区": ["甲", "乙", "丙", "丁"], "金额（万元）": [1234.5, None, 2.0, 3.0]})
    sheet = openpyxl.load_workbook(io.BytesIO(downloads.people_xlsx_bytes(frame))).active
    assert sheet.max_row == 4 and sheet["B2"].value == 1234.5 and sheet["B2"].number_format == "#,##0.00"
    assert sheet["B3"].value is None
    assert downloads.people_csv_bytes(frame).decode("utf-8-sig").count("\n") == 5  # CSV: every row


def test_a_missing_number_is_an_empty_cell_not_nan() -> None:
    """A NaN (pandas' missing number) must not reach a person's CSV as "nan"."""
    table = pa.table({"金额（万元）": [1.5, float("nan"), None]})
    text = export_bytes(table, "csv").decode("utf-8-sig")
    assert text.splitlines() == ["金额（万元）", "1.5", "", ""]
    assert "nan" not in text.lower()
