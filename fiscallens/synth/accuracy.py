"""How well a warehouse built from a synthetic corpus matches the corpus' ground truth.

Two measures (see `fiscallens.synth` for the corpus and its ``ground_truth.jsonl``):

- extraction accuracy: each value the generator wrote (a ``fact`` record: table, key, field, value)
  is looked up in the warehouse and counts as *right* only when the row exists and the value is the
  same (numbers to 0.005, i.e. as printed; text after normalisation and with whitespace removed).
  Rows the warehouse holds for the corpus' reports that no fact record describes are counted as
  *unexpected rows*, per table;
- findings against the deliberate inconsistencies: a planted inconsistency is *caught* when its
  report has a ``warning`` finding of one of the rules expected for it (recall per kind); a (report,
  rule) pair of ``warning`` findings is a *true alarm* when an inconsistency expected to raise that
  rule was planted in that report (precision per rule; every other warning pair is a false alarm).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from fiscallens.normalize import normalize_text
from fiscallens.synth.corpus import read_ground_truth

NUMBER_TOLERANCE = 0.005 + 1e-9
MAX_EXAMPLES = 25


def norm_text(value: Any) -> str:
    """Text compared across sources: full-width folded, all whitespace removed."""
    return re.sub(r"\s+", "", normalize_text(str(value)))


def same_value(expected: Any, got: Any) -> bool:
    if got is None:
        return False
    if isinstance(expected, bool) or isinstance(got, bool):
        return bool(expected) == bool(got)
    if isinstance(expected, int | float):
        try:
            return abs(float(got) - float(expected)) <= NUMBER_TOLERANCE
        except (TypeError, ValueError):
            return False
    return norm_text(expected) == norm_text(got)


# The outcome of one fact: the row and the value are right, the row is missing, or the value differs.
OUTCOMES = ("right", "missing_row", "wrong_value")


def _ratio(part: int, whole: int) -> float | None:
    """part ÷ whole to four places; None when there is nothing to divide by."""
    return round(part / whole, 4) if whole else None


def _rates(totals: Counter[str], hits: Counter[str], names: tuple[str, str, str]) -> dict[str, dict[str, Any]]:
    """Per key, sorted: its total, its hits and their ratio, under the three given names."""
    total, hit, ratio = names
    return {key: {total: n, hit: hits[key], ratio: _ratio(hits[key], n)} for key, n in sorted(totals.items())}


@dataclass
class Tally:
    """Facts by outcome."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: str) -> None:
        self.counts[outcome if outcome in OUTCOMES else "wrong_value"] += 1

    @property
    def facts(self) -> int:
        return sum(self.counts.values())

    @property
    def share(self) -> float | None:
        return self.counts["right"] / self.facts if self.facts else None

    def as_dict(self) -> dict[str, Any]:
        outcomes = {outcome: self.counts[outcome] for outcome in OUTCOMES}
        return {"facts": self.facts, **outcomes, "share_right": _ratio(self.counts["right"], self.facts)}


@dataclass
class Accuracy:
    overall: Tally = field(default_factory=Tally)
    by_table: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_field: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_doc_type: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_trap: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    unexpected_rows: Counter[str] = field(default_factory=Counter)
    reports_unmatched: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall.as_dict(),
            "by_table": {k: v.as_dict() for k, v in sorted(self.by_table.items())},
            "by_field": {k: v.as_dict() for k, v in sorted(self.by_field.items())},
            "by_doc_type": {k: v.as_dict() for k, v in sorted(self.by_doc_type.items())},
            "by_trap": {k: v.as_dict() for k, v in sorted(self.by_trap.items())},
            "unexpected_rows": dict(sorted(self.unexpected_rows.items())),
            "reports_unmatched": self.reports_unmatched,
            "examples": self.examples,
        }


@dataclass
class FindingScore:
    planted: Counter[str] = field(default_factory=Counter)  # kind → planted
    caught: Counter[str] = field(default_factory=Counter)  # kind → caught by the expected rule
    alarms: Counter[str] = field(default_factory=Counter)  # rule → (report, rule) warning pairs
    true_alarms: Counter[str] = field(default_factory=Counter)  # rule → pairs that match a plant
    missed: list[dict[str, Any]] = field(default_factory=list)
    false_alarms: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        planted, caught = sum(self.planted.values()), sum(self.caught.values())
        alarms, true = sum(self.alarms.values()), sum(self.true_alarms.values())
        return {
            "planted": planted,
            "caught": caught,
            "recall": _ratio(caught, planted),
            "warning_pairs": alarms,
            "true_pairs": true,
            "precision": _ratio(true, alarms),
            "by_kind": _rates(self.planted, self.caught, ("planted", "caught", "recall")),
            "by_rule": _rates(self.alarms, self.true_alarms, ("alarms", "true", "precision")),
            "missed": self.missed[:MAX_EXAMPLES],
            "false_alarms": self.false_alarms[:MAX_EXAMPLES],
        }


def _report_ids(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """file name → report_id, for every document in the warehouse that became a report."""
    rows = con.execute("SELECT file_name, report_id FROM documents WHERE report_id IS NOT NULL").fetchall()
    return dict(rows)


def _warehouse_rows(con: duckdb.DuckDBPyConnection) -> dict[str, dict[tuple[Any, ...], dict[str, Any]]]:
    """Warehouse rows by table and by the key the ground truth uses."""

    def fetch(sql: str) -> list[dict[str, Any]]:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    out: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = defaultdict(dict)
    for row in fetch("SELECT * FROM reports"):
        out["reports"][(row["report_id"],)] = row
    for table in ("function_spending", "economic_spending"):
        for row in fetch(f"SELECT * FROM {table}"):
            out[table][(row["report_id"], row["basis"], row["code"])] = row
    for row in fetch("SELECT * FROM three_public"):
        out["three_public"][(row["report_id"], row["fiscal_year"], row["item"])] = row
    for row in fetch("SELECT * FROM evaluations"):
        out["evaluations"][_owner_key(row["report_id"], row["scope"], row["name"])] = row
    for row in fetch(
        """SELECT l.*, e.scope AS owner_scope, e.name AS owner_name
           FROM execution_lines AS l JOIN evaluations AS e USING (evaluation_id)"""
    ):
        key = (
            *_owner_key(row["report_id"], row["owner_scope"], row["owner_name"]),
            row["line"],
            norm_text(row["label"]),
        )
        out["execution_lines"][key] = row
    for row in fetch(
        """SELECT i.*, e.scope AS owner_scope, e.name AS owner_name
           FROM indicators AS i JOIN evaluations AS e USING (evaluation_id)"""
    ):
        key = (*_owner_key(row["report_id"], row["owner_scope"], row["owner_name"]), norm_text(row["level3"] or ""))
        out["indicators"][key] = row
    return out


def _owner_key(report_id: str, scope: str, name: str | None) -> tuple[Any, ...]:
    """A report has one department: matched by scope alone. Projects and sub-projects by name."""
    return (report_id, scope) if scope == "department" else (report_id, scope, norm_text(name or ""))


def _truth_key(report_id: str, table: str, key: dict[str, Any]) -> tuple[Any, ...]:
    if table == "reports":
        return (report_id,)
    if table in ("function_spending", "economic_spending"):
        return (report_id, key["basis"], key["code"])
    if table == "three_public":
        return (report_id, key["fiscal_year"], key["item"])
    if table == "evaluations":
        return _owner_key(report_id, key["scope"], key.get("name"))
    if table == "execution_lines":
        return (*_owner_key(report_id, key["scope"], key.get("owner")), key["line"], norm_text(key["label"]))
    if table == "indicators":
        return (*_owner_key(report_id, key["scope"], key.get("name")), norm_text(key["level3"]))
    raise ValueError(f"unknown table {table}")


def score_extraction(con: duckdb.DuckDBPyConnection, records: Iterable[dict[str, Any]]) -> Accuracy:
    """Every fact record of the ground truth, looked up in the warehouse."""
    records = list(records)
    ids = _report_ids(con)
    rows = _warehouse_rows(con)
    reports = {r["file"]: r for r in records if r["record"] == "report"}
    acc = Accuracy()
    expected_keys: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    unmatched: set[str] = set()
    for rec in records:
        if rec["record"] != "fact":
            continue
        report = reports[rec["file"]]
        report_id = ids.get(rec["file"])
        table, name = rec["table"], rec["field"]
        if report_id is None:
            outcome, got = "missing_row", None
            unmatched.add(rec["file"])
        else:
            key = _truth_key(report_id, table, rec["key"])
            expected_keys[table].add(key)
            row = rows[table].get(key)
            got = row.get(name) if row is not None else None
            outcome = "missing_row" if row is None else "right" if same_value(rec["value"], got) else "wrong_value"
        for tally in (
            acc.overall,
            acc.by_table[table],
            acc.by_field[f"{table}.{name}"],
            acc.by_doc_type[report["doc_type"]],
            *(acc.by_trap[trap] for trap in report["traps"] or ["(none)"]),
        ):
            tally.add(outcome)
        if outcome != "right" and len(acc.examples) < MAX_EXAMPLES:
            acc.examples.append(
                {
                    "file": rec["file"],
                    "table": table,
                    "key": rec["key"],
                    "field": name,
                    "expected": rec["value"],
                    "got": got if not isinstance(got, float) else round(got, 4),
                    "outcome": outcome,
                }
            )
    acc.reports_unmatched = len(unmatched)
    corpus_ids = {ids[f] for f in reports if f in ids}
    for table, by_key in rows.items():
        for key in by_key:
            if key[0] in corpus_ids and key not in expected_keys[table]:
                acc.unexpected_rows[table] += 1
    return acc


def score_findings(con: duckdb.DuckDBPyConnection, records: Iterable[dict[str, Any]]) -> FindingScore:
    """Warning findings against the planted inconsistencies, at (report, rule) grain."""
    records = list(records)
    ids = _report_ids(con)
    files = {v: k for k, v in ids.items() if k in {r["file"] for r in records if r["record"] == "report"}}
    plants = [r for r in records if r["record"] == "inconsistency"]
    expected = {(ids.get(r["file"]), rule) for r in plants for rule in r["rules"]}
    found: dict[tuple[str, str], str] = {}
    for report_id, rule, message in con.execute(
        "SELECT report_id, rule, min(message) FROM quality_flags WHERE severity = 'warning' GROUP BY 1, 2"
    ).fetchall():
        if report_id in files:
            found[(report_id, rule)] = message
    score = FindingScore()
    for rec in plants:
        report_id = ids.get(rec["file"])
        score.planted[rec["kind"]] += 1
        if any((report_id, rule) in found for rule in rec["rules"]):
            score.caught[rec["kind"]] += 1
        else:
            score.missed.append(
                {"file": rec["file"], "kind": rec["kind"], "rules": rec["rules"], "detail": rec["detail"]}
            )
    for (report_id, rule), message in sorted(found.items()):
        score.alarms[rule] += 1
        if (report_id, rule) in expected:
            score.true_alarms[rule] += 1
        else:
            score.false_alarms.append({"file": files[report_id], "rule": rule, "message": message})
    return score


def evaluate(db_path: Path, corpus_dir: Path) -> dict[str, Any]:
    """Both measures for a warehouse built from the corpus in `corpus_dir`."""
    records = read_ground_truth(corpus_dir)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return {
            "extraction": score_extraction(con, records).as_dict(),
            "findings": score_findings(con, records).as_dict(),
        }
    finally:
        con.close()
