"""Department kinds: which departments of different regions do the same job (peer groups).

A department's kind comes from its name by general rules, never from a list of departments:
1. text in brackets goes ((本级), （机关）);
2. region names at the start go (上海市普陀区财政局 → 财政局), longest first, as the regions
   table spells them (full and short names: 黔南布依族苗族自治州, 黔南州, 贵阳);
3. the synonyms table (fiscallens/reference/department_kind_synonyms.csv, regular expressions on
   what is left) names kinds whose names vary (大数据发展管理局 / 大数据局 / 大数据和产业创新发展中心);
4. otherwise suffix variants are made one: 委员会 → 委, 办公室 → 办, 发展管理局 / 管理局 → 局.
The user-editable table data/department_kinds.csv (department name → kind) overrides all of this;
a rebuild applies it. `refresh_department_kinds` writes the table `department_kinds` at each build.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from fiscallens.labels import REFERENCE_DIR
from fiscallens.settings import PROJECT_ROOT
from fiscallens.sqlfiles import package_statements

SYNONYMS_CSV = REFERENCE_DIR / "department_kind_synonyms.csv"
# The users' override table (department name as the report prints it → kind).
OVERRIDES_CSV = PROJECT_ROOT / "data" / "department_kinds.csv"

_BRACKETS = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
# Suffix variants of one kind of body, in order; the first that matches is applied.
_SUFFIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(发展管理|管理|发展)局$"), "局"),
    (re.compile(r"委员会$"), "委"),
    (re.compile(r"办公室$"), "办"),
)
# A region-stripped name shorter than this is not a kind (a name that is only a place, or one character).
MIN_CORE_CHARS = 2
# How each row's kind was decided (department_kinds.rule).
RULE_OVERRIDE, RULE_SYNONYM, RULE_NAME = "override", "synonym", "name"
# The measures a ranking can use (queries/ranking_*.sql `$measure`): key → (name, unit).
MEASURES: dict[str, tuple[str, str]] = {
    "execution_rate": ("执行率", "%"),
    "score": ("自评得分", "分"),
    "three_public": ("“三公”经费合计", "万元"),
    "spending": ("支出", "万元"),
}


@dataclass(frozen=True)
class DepartmentKind:
    department: str
    name_key: str  # the name without region and brackets: one body in one region, whatever its spelling
    kind: str
    rule: str


class RegionPrefixes:
    """Strips region names from the start of a department name, longest first (a set lookup per length,
    not one comparison per region: thousands of departments × thousands of region names)."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(n for n in names if n and len(n) >= MIN_CORE_CHARS)
        self.lengths = sorted({len(n) for n in self.names}, reverse=True)

    def strip(self, name: str) -> str:
        changed = True
        while changed:
            changed = False
            for length in self.lengths:
                if len(name) - length >= MIN_CORE_CHARS and name[:length] in self.names:
                    name, changed = name[length:], True
                    break
        return name


@cache
def synonyms(path: Path = SYNONYMS_CSV) -> tuple[tuple[re.Pattern[str], str], ...]:
    """(pattern, kind) rows of the synonyms table, in its order (the first match wins)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple((re.compile(row["pattern"]), row["kind"].strip()) for row in csv.DictReader(handle))


def read_overrides(path: Path = OVERRIDES_CSV) -> dict[str, str]:
    """department → kind from the users' table; a missing file or blank rows are no overrides."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.DictReader(handle)
        return {
            (row.get("department") or "").strip(): (row.get("kind") or "").strip()
            for row in rows
            if (row.get("department") or "").strip() and (row.get("kind") or "").strip()
        }


def name_key(department: str, regions: RegionPrefixes) -> str:
    """The department's own name: brackets and leading region names removed."""
    core = _BRACKETS.sub("", department).strip()
    return regions.strip(core) or core


def department_kind(
    department: str,
    regions: RegionPrefixes,
    overrides: dict[str, str] | None = None,
    synonym_rows: tuple[tuple[re.Pattern[str], str], ...] | None = None,
) -> DepartmentKind:
    """The kind of one department (see the module docstring for the rules, in order)."""
    key = name_key(department, regions)
    override = (overrides or {}).get(department)
    if override:
        return DepartmentKind(department, key, override, RULE_OVERRIDE)
    for pattern, kind in synonyms() if synonym_rows is None else synonym_rows:
        if pattern.search(key):
            return DepartmentKind(department, key, kind, RULE_SYNONYM)
    kind = key
    for pattern, replacement in _SUFFIXES:
        if pattern.search(kind):
            kind = pattern.sub(replacement, kind)
            break
    return DepartmentKind(department, key, kind, RULE_NAME)


def _region_names(con: duckdb.DuckDBPyConnection) -> RegionPrefixes:
    rows = con.execute("SELECT name, short_names FROM regions").fetchall()
    return RegionPrefixes([name for name, _ in rows] + [s for _, shorts in rows for s in shorts or []])


def _ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    """A warehouse of this schema version made before the table existed gets it (incremental build)."""
    present = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'department_kinds' AND schema_name = 'main'"
    ).fetchone()
    if present and present[0]:
        return
    for statement in package_statements("schema.sql"):
        if "department_kinds" in statement:
            con.execute(statement)


def refresh_department_kinds(con: duckdb.DuckDBPyConnection, overrides_path: Path = OVERRIDES_CSV) -> int:
    """Rewrite `department_kinds` for every department of `reports`; returns the number of rows."""
    _ensure_table(con)
    regions = _region_names(con)
    overrides = read_overrides(overrides_path)
    departments = [
        r[0] for r in con.execute("SELECT DISTINCT department FROM reports WHERE department IS NOT NULL").fetchall()
    ]
    rows = [department_kind(d, regions, overrides) for d in departments]
    frame = pd.DataFrame(
        [(r.department, r.name_key, r.kind, r.rule) for r in rows], columns=["department", "name_key", "kind", "rule"]
    )
    con.execute("DELETE FROM department_kinds")
    # One bulk insert from a registered frame (executemany inserts row by row: seconds at 10k departments).
    con.register("_department_kinds_new", frame)
    try:
        con.execute("INSERT INTO department_kinds BY NAME SELECT * FROM _department_kinds_new")
    finally:
        con.unregister("_department_kinds_new")
    return len(rows)
