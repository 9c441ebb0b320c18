"""A frame as a file to download: CSV (UTF-8 with BOM), XLSX or Parquet, and its cells made flat.

The one home for "a result → a file": the dashboards' 下载 CSV/Excel buttons, the 自助查询
downloads and the terminal output of `python -m fiscallens sql` all write frames through here.

Two audiences: the dashboards' downloads are for people (`people_csv_bytes`: numbers as text with
thousands separators and two decimals; `people_xlsx_bytes`: numbers stay numbers, shown as #,##0.00),
while 自助查询 and the CLI write raw values for analysts (`export_bytes`), as the warehouse holds them.
"""

from __future__ import annotations

import io
import json
import math
import re
import time
from typing import Any

import pandas as pd
from openpyxl.utils import get_column_letter

from fiscallens.presentation import number_kind, people_frame
from fiscallens.settings import WORKBENCH_EXPORT_SECONDS
from fiscallens.warehouse import QueryTimeout

# format → (button label, file extension, MIME type)
EXPORT_FORMATS: dict[str, tuple[str, str, str]] = {
    "csv": ("CSV（Excel 可直接打开）", "csv", "text/csv"),
    "xlsx": ("Excel（XLSX）", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "parquet": ("Parquet", "parquet", "application/vnd.apache.parquet"),
}

_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


# Rows an XLSX download writes between two looks at the clock.
_XLSX_BLOCK_ROWS = 2_000


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV with a UTF-8 BOM, so Excel and WPS open the Chinese text ungarbled."""
    return frame.to_csv(index=False).encode("utf-8-sig")


# Excel number formats of the people's XLSX, by presentation.number_kind.
XLSX_NUMBER_FORMATS = {"decimal": "#,##0.00", "count": "#,##0", "plain": "0"}
# Column width (characters) of the people's XLSX: wide enough for a header or a long number.
_XLSX_MIN_WIDTH, _XLSX_MAX_WIDTH = 10, 60


def people_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for people: '8,209.68' rather than 8209.6797, blanks rather than nan (UTF-8 with BOM)."""
    return csv_bytes(people_frame(frame))


def people_xlsx_bytes(frame: pd.DataFrame, sheet: str = "数据") -> bytes:
    """XLSX for people: numbers stay numbers (they add up in Excel) with a #,##0.00 display format,
    missing values are empty cells, and columns are wide enough to read."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        flat_frame(frame, excel=True).to_excel(writer, index=False, sheet_name=sheet[:31])
        cells = writer.sheets[sheet[:31]]
        for index, column in enumerate(frame.columns, start=1):
            letter = get_column_letter(index)
            kind = number_kind(frame, column)
            if kind is not None:
                for (cell,) in cells.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = XLSX_NUMBER_FORMATS[kind]
            longest = max([len(str(column)) * 2, *(len(str(v)) for v in frame[column].head(200))], default=0)
            cells.column_dimensions[letter].width = max(_XLSX_MIN_WIDTH, min(_XLSX_MAX_WIDTH, longest + 2))
    return buffer.getvalue()


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "数据") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()


def export_bytes(frame: pd.DataFrame, fmt: str, *, timeout: float = WORKBENCH_EXPORT_SECONDS) -> bytes:
    """The whole frame as CSV (UTF-8 with BOM), XLSX or Parquet, written within `timeout` seconds.

    Raises QueryTimeout when the file takes longer (XLSX is written in blocks and stops between two).
    """
    started = time.perf_counter()
    if fmt == "csv":
        data = csv_bytes(flat_frame(frame))
    elif fmt == "xlsx":
        data = _xlsx_within(flat_frame(frame, excel=True), started, timeout)
    elif fmt == "parquet":
        buffer = io.BytesIO()
        unique_columns(frame).to_parquet(buffer, index=False)
        data = buffer.getvalue()
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    if time.perf_counter() - started > timeout:
        raise _export_timeout(timeout, time.perf_counter() - started)
    return data


def _xlsx_within(frame: pd.DataFrame, started: float, timeout: float) -> bytes:
    if len(frame) <= _XLSX_BLOCK_ROWS:
        return xlsx_bytes(frame, sheet="查询结果")
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for first in range(0, len(frame), _XLSX_BLOCK_ROWS):
            if first and time.perf_counter() - started > timeout:
                break  # raised below: the writer must close with its one sheet
            block = frame.iloc[first : first + _XLSX_BLOCK_ROWS]
            block.to_excel(
                writer, index=False, sheet_name="查询结果", header=first == 0, startrow=0 if first == 0 else first + 1
            )
    if time.perf_counter() - started > timeout:
        raise _export_timeout(timeout, time.perf_counter() - started)
    return buffer.getvalue()


def _export_timeout(timeout: float, elapsed: float) -> QueryTimeout:
    return QueryTimeout(
        f"生成下载文件超时（已用 {elapsed:.1f} 秒，上限 {timeout:g} 秒），已中止。"
        "请缩小结果范围，或改用 CSV，或在终端用 python -m fiscallens sql … --format csv。"
    )


def unique_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with repeated column names numbered (a, a_1, …): files need distinct names."""
    seen: dict[str, int] = {}
    names = []
    for name in map(str, frame.columns):
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}_{seen[name] - 1}")
    return frame.set_axis(names, axis=1)


def flat_frame(frame: pd.DataFrame, excel: bool = False) -> pd.DataFrame:
    """Cells a flat file can hold: lists, structs and maps as JSON text, blobs as hex.

    For Excel also no time zones and no control characters (openpyxl refuses both).
    """
    out = unique_columns(frame).copy()
    for name in out.columns:
        column = out[name]
        if excel and isinstance(column.dtype, pd.DatetimeTZDtype):
            out[name] = column.dt.tz_localize(None)
        elif column.dtype == object or (excel and pd.api.types.is_string_dtype(column.dtype)):
            out[name] = column.map(lambda v: _flat_cell(v, excel)).astype(object)
    return out


def _flat_cell(value: Any, excel: bool) -> Any:
    if isinstance(value, str):
        return _ILLEGAL_XLSX.sub("", value) if excel else value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if value is None or isinstance(value, (int, float, bool)):
        return value
    if isinstance(value, (list, tuple, dict)) or hasattr(value, "tolist"):
        text = json.dumps(json_value(value), ensure_ascii=False)
        return _ILLEGAL_XLSX.sub("", text) if excel else text
    return str(value)


def json_value(value: Any) -> Any:
    """A value JSON can hold: NULLs as None, dates in ISO 8601, blobs as hex, the rest as text."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return json_value(value.tolist())
    if value is pd.NaT or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return None
    if hasattr(value, "isoformat"):  # datetime, date, time, pandas Timestamp
        return value.isoformat()
    if isinstance(value, pd.Timedelta):
        return value.isoformat()
    return str(value)
