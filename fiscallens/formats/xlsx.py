"""Excel → text: every sheet a table, every row a line of tab-separated cells.

.xlsx / .xlsm are read with openpyxl, old .xls with xlrd (both BSD-licensed). Cached values are
read, not formulas (a formula cell shows the figure Excel last computed); a row's trailing empty
cells are dropped (a sheet is as wide as its widest row). A merged range keeps
its value in its top-left cell and leaves the rest empty — which is what both libraries return,
and what text exports of merged tables look like. Numbers are printed as the sheet shows them:
a 0.9878 in a percent-formatted cell is "98.78%", a whole float "12" rather than "12.0".
Sheets follow one another in workbook order; hidden sheets are skipped.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from fiscallens.formats import FormatError, Rendered, join_row
from fiscallens.formats.archive import check_archive
from fiscallens.settings import MAX_SHEET_CELLS


def read_xlsx(raw: bytes, source_file: str = "") -> Rendered:
    import openpyxl

    check_archive(raw, "Excel")
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True, read_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FormatError(
            "xlsx_unreadable", f"Excel 文件已损坏或不是 .xlsx 格式（{type(exc).__name__}），无法读取，未入库。"
        ) from exc
    rendered = _rendered(_xlsx_sheets(book))
    book.close()
    return rendered


def read_xls(raw: bytes, source_file: str = "") -> Rendered:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=raw, formatting_info=False)
    except (xlrd.XLRDError, ValueError, AssertionError, OSError) as exc:
        raise FormatError(
            "xls_unreadable", f"Excel 文件已损坏或不是 .xls 格式（{type(exc).__name__}），无法读取，未入库。"
        ) from exc
    return _rendered(_xls_sheets(book))


def _xlsx_sheets(book: Any) -> Iterator[Iterator[list[str]]]:
    """The cell texts of each visible sheet, row by row (checked for size before its rows are made)."""
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        # iter_rows makes a cell for every slot of the used range: one far-off cell would make billions.
        _check_cells(sheet.title, sheet.max_row, sheet.max_column)
        yield _xlsx_rows(sheet)


def _xlsx_rows(sheet: Any) -> Iterator[list[str]]:
    for row in sheet.iter_rows():  # merged ranges: only the top-left cell holds the value
        yield [_cell_text(c.value, c.number_format) for c in row]


def _xls_sheets(book: Any) -> Iterator[Iterator[list[str]]]:
    """The cell texts of each visible sheet of an old .xls, row by row."""
    for sheet in book.sheets():
        if getattr(sheet, "visibility", 0) != 0:
            continue
        _check_cells(sheet.name, sheet.nrows, sheet.ncols)
        yield _xls_rows(book, sheet)


def _xls_rows(book: Any, sheet: Any) -> Iterator[list[str]]:
    import xlrd

    empty = (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR)
    for r in range(sheet.nrows):
        cells = []
        for c in range(sheet.ncols):
            cell = sheet.cell(r, c)
            value = cell.value
            if cell.ctype == xlrd.XL_CELL_DATE:
                value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
            elif cell.ctype in empty:
                value = None
            cells.append(_cell_text(value, "General"))
        yield cells


def _rendered(sheets: Iterable[Iterable[list[str]]]) -> Rendered:
    """Every sheet a table, every non-empty row a line of tab-separated cells."""
    lines: list[str] = []
    tables = 0
    for sheet in sheets:
        rows = [row for row in (join_row(_trimmed(cells)) for cells in sheet) if row]
        tables += bool(rows)
        lines.extend(rows)
    return Rendered("\n".join(lines) + "\n", (), tables, [])


def _check_cells(title: str, rows: int, columns: int) -> None:
    """Refuse a sheet whose used range is larger than any report table (MAX_SHEET_CELLS)."""
    if rows * columns > MAX_SHEET_CELLS:
        raise FormatError(
            "sheet_too_large",
            f"Excel 工作表“{title[:40]}”的数据区域为 {rows:,} 行 × {columns:,} 列（{rows * columns:,} 个单元格，"
            f"上限 {MAX_SHEET_CELLS:,} 个），不像一份预决算或绩效报告，未入库。",
        )


def _trimmed(cells: list[str]) -> list[str]:
    """A sheet row without its trailing empty cells (a sheet's used range is as wide as its widest row)."""
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _cell_text(value: object, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        if "%" in (number_format or ""):
            return f"{_number(value * 100)}%"
        return _number(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


def _number(value: float) -> str:
    """A figure as printed: no float noise (0.1 + 0.2 → 0.3), whole numbers without ".0"."""
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return "0" if text in {"", "-0"} else text
