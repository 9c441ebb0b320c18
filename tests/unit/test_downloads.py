"""fiscallens.downloads: the one home for a frame as a file (dashboards, 自助查询, the CLI's output)."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
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
