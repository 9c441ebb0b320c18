"""Real-document evaluation: a warehouse against hand annotations and hand-checked golden facts.

`tests/annotations/<document>.toml` records, per real document, its identity and the problems a
reviewer found in it (pages, and the rule expected to catch each). `tests/golden/<prefix>.txt` holds
every fact of a bundled report as `fiscallens explain` prints it, checked by hand. From these:
- reports right: identity fields (type, scope, year, region, body) as annotated;
- facts right / wrong / missing: the warehouse's facts against the golden ones, by fact key;
- findings precision (warnings that match an annotated problem) and recall (problems caught).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from fiscallens.read import read_document

IDENTITY_FIELDS = ("doc_type", "scope", "fiscal_year", "region_code", "department")
# Columns that identify a fact row in the explain output; the other columns are its figures.
FACT_KEYS = {
    "function_spending": ("basis", "code"),
    "economic_spending": ("basis", "code"),
    "three_public": ("basis", "fiscal_year", "item"),
    "totals": ("basis", "statement", "side", "item"),
}
_SECTION_RE = re.compile(r"^== .* (?P<table>[a-z_]+)：\d+ 行$")
_ROW_RE = re.compile(r"^  (?P<fields>.+?)  ← (?P<where>\S+)")


@dataclass(frozen=True)
class Problem:
    """One true problem; any of `rules` may catch it (a planted 0 total also breaks the change sentence)."""

    id: str
    what: str
    pages: tuple[int, ...]
    rules: tuple[str, ...]


@dataclass
class Annotation:
    document: str
    authentic: bool
    identity: dict[str, object]
    problems: list[Problem] = field(default_factory=list)


def load_annotations(folder: Path) -> list[Annotation]:
    out = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        problems = [Problem(p["id"], p["what"], tuple(p.get("pages", ())), _rules(p)) for p in data.get("problem", [])]
        out.append(Annotation(data["document"], bool(data.get("authentic", True)), data["identity"], problems))
    return out


def _rules(problem: dict[str, object]) -> tuple[str, ...]:
    rule = problem.get("rule", problem.get("rules"))
    return (rule,) if isinstance(rule, str) else tuple(rule)  # type: ignore[arg-type]


@dataclass
class DocumentScore:
    document: str
    report_right: bool
    identity_misses: list[str]
    warnings: int
    true_warnings: int
    problems: int
    caught: int
    missed: list[str]
    false_warnings: list[str]


def score_document(con: duckdb.DuckDBPyConnection, annotation: Annotation) -> DocumentScore:
    """The warehouse's report and warnings for one annotated document, matched with its annotation."""
    row = con.execute(
        f"""SELECT r.report_id, {", ".join("r." + f for f in IDENTITY_FIELDS)}
            FROM reports r WHERE list_contains(list_transform(r.source_files, lambda f: split_part(f, '/', -1)), ?)""",
        [annotation.document],
    ).fetchone()
    misses = ["report"] if row is None else []
    if row is not None:
        got = dict(zip(IDENTITY_FIELDS, row[1:], strict=True))
        misses = [f for f in IDENTITY_FIELDS if str(got[f]) != str(annotation.identity.get(f))]
    flags = con.execute(
        """SELECT q.rule, q.source_line, q.message, d.file_name, q.source_file
           FROM quality_flags q JOIN documents d ON d.source_file = q.source_file
           WHERE d.file_name = ? AND q.severity = 'warning'""",
        [annotation.document],
    ).fetchall()
    pages = _pages_of(con, annotation.document)
    matched: set[str] = set()
    true_warnings, false_warnings = 0, []
    for rule, line, message, _, _ in flags:
        page = pages(line)
        hits = [p for p in annotation.problems if rule in p.rules and (page is None or not p.pages or page in p.pages)]
        if hits:
            true_warnings += 1
            matched.update(p.id for p in hits)
        else:
            false_warnings.append(f"{rule} 第{page}页：{message}")
    missed = [p.id for p in annotation.problems if p.id not in matched]
    return DocumentScore(
        annotation.document,
        not misses,
        misses,
        len(flags),
        true_warnings,
        len(annotation.problems),
        len(annotation.problems) - len(missed),
        missed,
        false_warnings,
    )


def _pages_of(con: duckdb.DuckDBPyConnection, file_name: str) -> Callable[[int | None], int | None]:
    """line → page for one document, from its page map (the file is read again, from the render cache)."""

    row = con.execute("SELECT source_file FROM documents WHERE file_name = ?", [file_name]).fetchone()
    doc = read_document(Path(row[0]))[0] if row else None
    return lambda line: doc.page_of(line) if doc is not None and line else None


@dataclass
class FactScore:
    right: int = 0
    wrong: int = 0
    missing: int = 0
    extra: int = 0
    wrong_examples: list[str] = field(default_factory=list)


def golden_facts(text: str) -> dict[tuple[str, ...], str]:
    """Fact key → figures, from `explain` output (only tables with a fact key)."""
    facts: dict[tuple[str, ...], str] = {}
    table = None
    for line in text.splitlines():
        section = _SECTION_RE.match(line)
        if section:
            table = section["table"]
            continue
        row = _ROW_RE.match(line)
        if row is None or table not in FACT_KEYS:
            continue
        fields = dict(part.split("=", 1) for part in row["fields"].split("  ") if "=" in part)
        key = (table, *(fields.get(k, "") for k in FACT_KEYS[table]))
        facts[key] = "  ".join(f"{k}={v}" for k, v in fields.items() if k not in FACT_KEYS[table])
    return facts


def score_facts(golden: dict[tuple[str, ...], str], current: dict[tuple[str, ...], str]) -> FactScore:
    score = FactScore()
    for key, figures in golden.items():
        if key not in current:
            score.missing += 1
        elif current[key] == figures:
            score.right += 1
        else:
            score.wrong += 1
            if len(score.wrong_examples) < 5:
                score.wrong_examples.append(f"{'/'.join(key)}: {figures} → {current[key]}")
    score.extra = len(current.keys() - golden.keys())
    return score
