"""The workbench's errors: what was refused or failed, in Chinese, with the line and column DuckDB gave."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import duckdb

from fiscallens.settings import QUERY_MEMORY_MB
from fiscallens.warehouse import mask_paths


class WorkbenchError(Exception):
    """A query the workbench did not run to completion; `message` is for people (Chinese)."""

    def __init__(self, message: str, detail: str = "", line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.line = line
        self.column = column

    @property
    def where(self) -> str:
        """'第 3 行第 11 列', or '' when DuckDB gave no position."""
        if self.line is None:
            return ""
        return f"第 {self.line} 行第 {self.column} 列" if self.column is not None else f"第 {self.line} 行"

    def __str__(self) -> str:
        head = f"{self.message}（{self.where}）" if self.where else self.message
        return f"{head}\n{self.detail}" if self.detail else head


class QueryRefused(WorkbenchError):
    """Refused before running: empty, several statements, or not a reading statement."""


class WorkbenchBusy(WorkbenchError):
    """Every analyst-query slot stayed taken while this query waited."""


class SqlError(WorkbenchError):
    """DuckDB rejected the statement; `detail` is DuckDB's own message."""


_CONTEXT = re.compile(r"^LINE (\d+): (.*)\n( *)\^+", re.MULTILINE)


# DuckDB's advice after some errors: commands the workbench refuses (SET …, PRAGMA …) and a web link.
_REFUSED_HINTS = re.compile(r"\n*Possible solutions:.*?(?=\n\n(?!\*)|\Z)|\n*See also https?://\S+", re.DOTALL)
_NOT_CONVERTED = re.compile(r"Could not convert string '(.*?)' to (\w+)")
_TYPE_NAMES = {"INT8": "整数", "INT16": "整数", "INT32": "整数", "INT64": "整数", "DOUBLE": "数字", "DATE": "日期"}


def sql_error(
    exc: duckdb.Error, sql: str, params: Mapping[str, Any] | None = None, paths: re.Pattern[str] | None = None
) -> SqlError:
    """DuckDB's message (server paths masked, refused advice removed), a Chinese headline, line and column."""
    text = _REFUSED_HINTS.sub("", str(exc)).strip()
    if paths is not None:
        text = mask_paths(text, paths)
    line, column = error_position(text, sql)
    headline = _headline(exc, text)
    culprit = _parameter_at_fault(text, params or {})
    if culprit is not None:
        # the position DuckDB gives is inside the table macro the parameter was passed to
        headline, line, column = culprit, None, None
        text = _CONTEXT.sub("", text).strip()
    return SqlError(headline, detail=text, line=line, column=column)


def _parameter_at_fault(text: str, params: Mapping[str, Any]) -> str | None:
    """'参数 $year 的值“abc”不能转换为整数（INT32）' when a conversion failed on a parameter's value."""
    match = _NOT_CONVERTED.search(text)
    if not match:
        return None
    names = [n for n, v in params.items() if v is not None and str(v) == match.group(1)]
    if not names:
        return None
    kind = match.group(2)
    wanted = f"{_TYPE_NAMES[kind]}（{kind}）" if kind in _TYPE_NAMES else kind
    listed = "、".join(f"${n}" for n in names)
    return f"参数 {listed} 的值“{match.group(1)}”不能转换为{wanted}，请改正该参数（留空 = 不限）"


def _headline(exc: duckdb.Error, text: str) -> str:
    if isinstance(exc, duckdb.OutOfMemoryException) or "Out of Memory" in text:
        return (
            f"查询所需内存超过上限（{QUERY_MEMORY_MB:,} MB），已中止。"
            "请缩小范围（加 WHERE 条件、少取列、先分组汇总）后重试。"
        )
    if isinstance(exc, duckdb.PermissionException) or "disabled by configuration" in text:
        return "已拒绝：自助查询不能访问服务器上的文件、网络或扩展，只能查询仓库中的表和视图。"
    if "read-only mode" in text:
        return "已拒绝：仓库以只读方式打开，不能写入或修改。"
    if "configuration has been locked" in text:
        return "已拒绝：仓库连接的设置已锁定，不能修改。"
    if isinstance(exc, duckdb.ParserException):
        return "SQL 语法错误"
    if isinstance(exc, duckdb.CatalogException):
        return "找不到表、视图或函数"
    if isinstance(exc, duckdb.BinderException):
        return "找不到列或类型不匹配"
    if isinstance(exc, duckdb.ConversionException):
        return "数据类型转换失败"
    if "parameters" in text.lower() or "parameter" in text.lower():
        return "查询参数有误"
    return "查询出错"


def _width(char: str) -> int:
    """Columns a character takes in DuckDB's error context (wide CJK = 2, control = 0)."""
    if unicodedata.category(char) in ("Cc", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def error_position(message: str, sql: str) -> tuple[int | None, int | None]:
    """1-based (line, column) of the `LINE n:` context DuckDB puts under an error, if any.

    DuckDB pads the caret by display width and may show only a window of a long line
    (`...` at either end); the window is looked up in the real line to get the column.
    """
    match = _CONTEXT.search(message)
    if not match:
        return None, None
    line = int(match.group(1))
    shown = match.group(2)
    caret = len(match.group(3)) - len(f"LINE {line}: ")
    index, width = 0, 0
    while index < len(shown) and width < caret:
        width += _width(shown[index])
        index += 1
    lines = sql.split("\n")
    if not 1 <= line <= len(lines):
        return None, None  # not a line of this text (a view's or a macro's)
    actual = lines[line - 1]
    if shown.startswith("..."):
        window = shown[3:].removesuffix("...")
        found = actual.find(window[: max(1, min(len(window), 40))])
        return line, (found + index - 3 + 1) if found >= 0 else None
    return line, index + 1
