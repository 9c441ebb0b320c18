"""A frame as a file to download: CSV (UTF-8 with BOM), XLSX or Parquet, and its cells made flat.

The one home for "a result → a file": the dashboards' 下载 CSV/Excel buttons, the 自助查询
downloads and the terminal output of `python -m fiscallens sql` all write frames through here.

Two audiences: the dashboards' downloads are for people (`people_csv_bytes`: numbers as text with
thousands separators and two decimals; `people_xlsx_bytes`: numbers stay numbers, shown as #,##0.00),
while 自助查询 and the CLI write raw values for analysts (`export_bytes`), as the warehouse holds them.

A full 自助查询 result (up to 100,000 rows) arrives as an Arrow table and never becomes pandas: a
private in-memory DuckDB, which sees only that table, turns nested values into JSON and writes the CSV
(Parquet: pyarrow) whole columns at a time. Excel files are written cell by cell (xlsxwriter, rows
streamed to disk), so they hold at most XLSX_MAX_CELLS cells (`xlsx_row_cap`); the buttons say so.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import math
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import xlsxwriter

from fiscallens.presentation import number_kind, people_frame
from fiscallens.settings import WORKBENCH_EXPORT_SECONDS, XLSX_MAX_CELLS
from fiscallens.warehouse import QueryTimeout

# format → (button label, file extension, MIME type)
EXPORT_FORMATS: dict[str, tuple[str, str, str]] = {
    "csv": ("CSV（Excel 可直接打开）", "csv", "text/csv"),
    "xlsx": ("Excel（XLSX）", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "parquet": ("Parquet", "parquet", "application/vnd.apache.parquet"),
}

_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BOM = "\ufeff".encode()

# Rows an XLSX download writes between two looks at the clock.
_XLSX_BLOCK_ROWS = 2_000
# xlsxwriter: rows go to a temporary file as they are written (memory stays flat), and text stays
# text — a cell starting with "=" is no formula, "http://…" no link, "1e5" no number.
_XLSX_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "remove_timezone": True,
    "nan_inf_to_errors": True,
}
_XLSX_DATE_FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm:ss", "time": "hh:mm:ss"}


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV with a UTF-8 BOM, so Excel and WPS open the Chinese text ungarbled."""
    return frame.to_csv(index=False).encode("utf-8-sig")


# Excel number formats of the people's XLSX, by presentation.number_kind.
XLSX_NUMBER_FORMATS = {"decimal": "#,##0.00", "count": "#,##0", "plain": "0"}
# Column width (characters) of the people's XLSX: wide enough for a header or a long number.
_XLSX_MIN_WIDTH, _XLSX_MAX_WIDTH = 10, 60


def xlsx_row_cap(columns: int) -> int:
    """Rows an Excel download of `columns` columns holds (XLSX_MAX_CELLS cells)."""
    return max(1, XLSX_MAX_CELLS // max(1, columns))


def people_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for people: '8,209.68' rather than 8209.6797, blanks rather than nan (UTF-8 with BOM)."""
    return csv_bytes(people_frame(frame))


def people_xlsx_bytes(frame: pd.DataFrame, sheet: str = "数据") -> bytes:
    """XLSX for people: numbers stay numbers (they add up in Excel) with a #,##0.00 display format,
    missing values are empty cells, and columns are wide enough to read. At most `xlsx_row_cap` rows."""
    frame = frame.head(xlsx_row_cap(len(frame.columns)))
    widths = []
    for column in frame.columns:
        longest = max([len(str(column)) * 2, *(len(str(v)) for v in frame[column].head(200))], default=0)
        widths.append(max(_XLSX_MIN_WIDTH, min(_XLSX_MAX_WIDTH, longest + 2)))
    kinds = [number_kind(frame, column) for column in frame.columns]
    return _xlsx(arrow_table(frame, excel=True), sheet, kinds=kinds, widths=widths)


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "数据") -> bytes:
    return _xlsx(arrow_table(frame, excel=True), sheet)


def export_bytes(data: pd.DataFrame | pa.Table, fmt: str, *, timeout: float = WORKBENCH_EXPORT_SECONDS) -> bytes:
    """The whole result as CSV (UTF-8 with BOM) or Parquet, or its first `xlsx_row_cap` rows as XLSX,
    written within `timeout` seconds. `data`: a page's DataFrame, or a full result's Arrow table.

    Raises QueryTimeout when the file takes longer (XLSX is written in blocks and stops between two).
    """
    started = time.perf_counter()
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if fmt == "xlsx":
        table = data if isinstance(data, pa.Table) else arrow_table(data, excel=True)
        rows = xlsx_row_cap(table.num_columns)
        data = _xlsx(table.slice(0, rows), "查询结果", started=started, timeout=timeout)
    elif isinstance(data, pa.Table):
        data = _arrow_csv(data) if fmt == "csv" else _arrow_parquet(data)
    elif fmt == "csv":
        data = csv_bytes(flat_frame(data))
    else:
        buffer = io.BytesIO()
        unique_columns(data).to_parquet(buffer, index=False)
        data = buffer.getvalue()
    if time.perf_counter() - started > timeout:
        raise _export_timeout(timeout, time.perf_counter() - started)
    return data


def _export_timeout(timeout: float, elapsed: float) -> QueryTimeout:
    return QueryTimeout(
        f"生成下载文件超时（已用 {elapsed:.1f} 秒，上限 {timeout:g} 秒），已中止。"
        "请缩小结果范围，或改用 CSV，或在终端用 python -m fiscallens sql … --format csv。"
    )


# --- Arrow tables to files ---------------------------------------------------------------------


def unique_names(names: list[str]) -> list[str]:
    """Repeated column names numbered (a, a_1, …): files need distinct names."""
    seen: dict[str, int] = {}
    out = []
    for name in map(str, names):
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name] - 1}")
    return out


def _arrow_parquet(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(_intervals_as_text(table).rename_columns(unique_names(table.column_names)), buffer)
    return buffer.getvalue()


def _intervals_as_text(table: pa.Table) -> pa.Table:
    """Parquet has no month-day-nanosecond interval: such columns as DuckDB's text ('1 day 02:00:00')."""
    for index, kind in enumerate(table.schema.types):
        if pa.types.is_interval(kind):
            con = duckdb.connect(":memory:")
            try:
                text = con.from_arrow(table.select([index]).rename_columns(["c"]))
                column = text.select(duckdb.ColumnExpression("c").cast(duckdb.sqltype("VARCHAR"))).to_arrow_table()
            finally:
                con.close()
            table = table.set_column(index, table.field(index).name, column.column(0))
    return table


def _arrow_csv(table: pa.Table) -> bytes:
    """CSV of an Arrow table by DuckDB's writer: quotes only where needed, nested values as JSON."""
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(unique_names(table.column_names))
    with tempfile.TemporaryDirectory(prefix="fiscallens-download-") as folder:
        path = Path(folder) / "result.csv"
        with _flat_relation(table) as relation:
            relation.write_csv(str(path), header=False)
        return _BOM + header.getvalue().encode("utf-8") + path.read_bytes()


@contextlib.contextmanager
def _flat_relation(table: pa.Table) -> Iterator[duckdb.DuckDBPyRelation]:
    """The table in a private in-memory DuckDB (it sees nothing else): lists, structs and maps as JSON
    text, blobs as hex, the columns named c0, c1, … (the expression API takes no quoting)."""
    con = duckdb.connect(":memory:")
    try:
        relation = con.from_arrow(table.rename_columns([f"c{i}" for i in range(table.num_columns)]))
        yield relation.select(*(_flat_expression(n, t) for n, t in zip(relation.columns, relation.types, strict=True)))
    finally:
        con.close()


_JSON_TYPES = {"list", "struct", "map", "union", "array"}


def _flat_expression(name: str, kind: duckdb.DuckDBPyType) -> duckdb.Expression:
    column = duckdb.ColumnExpression(name)
    if kind.id in _JSON_TYPES:
        return duckdb.FunctionExpression("to_json", column).alias(name)
    if kind.id == "blob":
        return duckdb.FunctionExpression("lower", duckdb.FunctionExpression("hex", column)).alias(name)
    if kind.id in ("float", "double"):  # NaN (pandas' missing number) is an empty cell, never "nan"
        missing = duckdb.FunctionExpression("isnan", column)
        return duckdb.CaseExpression(missing, duckdb.ConstantExpression(None)).otherwise(column).alias(name)
    return column


def arrow_table(frame: pd.DataFrame, excel: bool = False) -> pa.Table:
    """A DataFrame's flat cells (`flat_frame`) as an Arrow table; a column Arrow cannot type becomes text."""
    flat = flat_frame(frame, excel=excel)
    columns = []
    for name in flat.columns:
        try:
            columns.append(pa.array(flat[name], from_pandas=True))
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            columns.append(pa.array([None if _missing(v) else str(v) for v in flat[name]], pa.string()))
    return pa.Table.from_arrays(columns, names=list(flat.columns))


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


# --- XLSX ------------------------------------------------------------------------------------


def _xlsx(
    table: pa.Table,
    sheet: str,
    *,
    kinds: list[str | None] | None = None,
    widths: list[float] | None = None,
    started: float | None = None,
    timeout: float | None = None,
) -> bytes:
    """The table as one sheet, rows streamed; stops with QueryTimeout between two blocks past `timeout`."""
    started = time.perf_counter() if started is None else started
    table = _excel_cells(table)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, _XLSX_OPTIONS)
    try:
        cells = book.add_worksheet(sheet[:31])
        codes = {**XLSX_NUMBER_FORMATS, **_XLSX_DATE_FORMATS}
        styles = {kind: book.add_format({"num_format": code}) for kind, code in codes.items()}
        for index, width in enumerate(widths or []):
            cells.set_column(index, index, width)
        for index, name in enumerate(unique_names(table.column_names)):
            cells.write_string(0, index, name)
        number_kinds = kinds or [None] * table.num_columns
        writers = [
            _cell_writer(cells, column.type, styles.get(kind or ""), styles)
            for column, kind in zip(table.columns, number_kinds, strict=True)
        ]
        row = 1
        for batch in table.to_batches(_XLSX_BLOCK_ROWS):
            if timeout is not None and row > 1 and time.perf_counter() - started > timeout:
                raise _export_timeout(timeout, time.perf_counter() - started)
            for values in zip(*(column.to_pylist() for column in batch.columns), strict=True):
                for index, value in enumerate(values):
                    if value is not None:
                        writers[index](row, index, value)
                row += 1
    finally:
        book.close()
    if timeout is not None and time.perf_counter() - started > timeout:
        raise _export_timeout(timeout, time.perf_counter() - started)
    return buffer.getvalue()


def _excel_cells(table: pa.Table) -> pa.Table:
    """Cells Excel holds: nested values as JSON text, blobs as hex, decimals as numbers, no control
    characters in text, NaN as an empty cell."""
    table = _intervals_as_text(table)
    if any(pa.types.is_nested(t) or pa.types.is_binary(t) or pa.types.is_large_binary(t) for t in table.schema.types):
        with _flat_relation(table) as relation:
            table = relation.to_arrow_table().rename_columns(table.column_names)
    columns = []
    for column in table.columns:
        kind = column.type
        if pa.types.is_dictionary(kind):
            column, kind = column.cast(kind.value_type), kind.value_type
        if pa.types.is_decimal(kind):
            column = column.cast(pa.float64())
        elif pa.types.is_floating(kind):
            column = pc.if_else(pc.is_nan(column), pa.scalar(None, kind), column)
        elif (pa.types.is_string(kind) or pa.types.is_large_string(kind)) and pc.any(
            pc.match_substring_regex(column, _ILLEGAL_XLSX.pattern)
        ).as_py():
            column = pc.replace_substring_regex(column, _ILLEGAL_XLSX.pattern, "")
        columns.append(column)
    return pa.Table.from_arrays(columns, names=table.column_names)


def _cell_writer(
    cells: Any, kind: pa.DataType, number_style: Any, styles: dict[str, Any]
) -> Callable[[int, int, Any], Any]:
    """The xlsxwriter call for one column's values (chosen once per column, not per cell)."""
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        return cells.write_string
    if pa.types.is_boolean(kind):
        return cells.write_boolean
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        return lambda row, col, value: cells.write_number(row, col, value, number_style)
    if pa.types.is_timestamp(kind) or pa.types.is_date64(kind):
        return lambda row, col, value: cells.write_datetime(row, col, value, styles["datetime"])
    if pa.types.is_date32(kind):
        return lambda row, col, value: cells.write_datetime(row, col, value, styles["date"])
    if pa.types.is_time(kind):
        return lambda row, col, value: cells.write_datetime(row, col, value, styles["time"])
    return lambda row, col, value: cells.write_string(row, col, _text(value))


def _text(value: Any) -> str:
    if isinstance(value, (dt.timedelta, pd.Timedelta)):
        return pd.Timedelta(value).isoformat()
    return str(value)


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
    if value is None or value is pd.NA or value is pd.NaT:
        return None  # a NULL list or blob: an empty cell, not "<NA>"
    if isinstance(value, (int, float, bool)):
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
