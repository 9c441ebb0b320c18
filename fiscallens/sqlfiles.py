"""SQL kept in .sql files: the statements of one file, and folders of named SQL files.

A named SQL file (a page query in queries/, an audit rule in fiscallens/audits/) is one statement
whose name is the file's stem and whose leading comment block holds `-- key: value` headers
(`-- param name: label` for a parameter). Both folders are read by `sql_folder`, so they are found
and described the same way; each reader picks the headers it knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

import duckdb

# `-- key: value` or `-- key name: value` in the leading comment block.
_HEADER = re.compile(r"^--\s*(\w+)\s*(\w*)\s*:\s*(.*)$")


@dataclass(frozen=True)
class SqlFile:
    """A named SQL file: its text and the headers of its leading comment block, in order."""

    name: str
    sql: str
    headers: tuple[tuple[str, str, str], ...]  # (key, argument or "", value)

    def header(self, key: str) -> str | None:
        """The value of the `-- key: value` header (the last one if it is repeated)."""
        return next((value for k, arg, value in reversed(self.headers) if k == key and not arg), None)

    def arguments(self, key: str) -> dict[str, str]:
        """`-- key name: value` headers as {name: value} (e.g. the labels of `-- param name: …`)."""
        return {arg: value for k, arg, value in self.headers if k == key and arg}


def parse_sql_file(name: str, sql: str) -> SqlFile:
    """Headers are read up to the first line that is neither blank nor a comment."""
    headers = []
    for line in sql.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("--"):
            break
        match = _HEADER.match(stripped)
        if match:
            key, arg, value = match.groups()
            headers.append((key, arg, value.strip()))
    return SqlFile(name, sql, tuple(headers))


def sql_folder(directory: Path | Traversable) -> dict[str, SqlFile]:
    """Every `*.sql` file of a folder by name (the file's stem), in name order."""
    entries = sorted((e for e in directory.iterdir() if e.name.endswith(".sql")), key=lambda e: e.name)
    return {
        e.name.removesuffix(".sql"): parse_sql_file(e.name.removesuffix(".sql"), e.read_text("utf-8")) for e in entries
    }


@cache
def package_statements(file_name: str) -> tuple[str, ...]:
    """The statements of a .sql file of the fiscallens package, split by DuckDB's own parser."""
    text = resources.files("fiscallens").joinpath(file_name).read_text(encoding="utf-8")
    return tuple(s.query.strip() for s in duckdb.extract_statements(text))
