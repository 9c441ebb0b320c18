"""Editions: one report identity, several files — parts, copies or different versions?

Documents with the same identity (type, scope, region, body, year) normally make one report:
a narrative and its 附件1 complement each other. A budget or final-accounts disclosure, though,
is published as one file, and two such files with one identity are either the same document
issued twice (a re-upload, a draft identical in its figures) — one report — or two versions
whose figures differ. Versions are both kept, as reports of their own (`R…-v2`), with a
finding; one never overwrites the other.

Files are told apart by their figures: extracted alone, two files that print many of the same
items (function codes, economic codes, 三公 items, totals) are the same document when every
shared figure agrees, and versions when some differ. Files sharing few items are parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fiscallens import extract
from fiscallens.extract.context import fmt, same_figure
from fiscallens.model import Classification, Document, Facts, Finding

# Types published as one self-contained file: two files of one identity may be versions.
SINGLE_FILE_TYPES = frozenset({"budget", "final_accounts"})
# Two files are the same document or versions of it when they share at least this share of the
# items the smaller one prints; below it they are parts of one report (tables in one, notes in another).
MIN_SHARED_ITEMS = 0.5
# A copy prints (nearly) every item the other prints: a file lacking a table is another version.
MIN_COPY_ITEMS = 0.95
# Differences quoted in a version finding.
QUOTED_DIFFERENCES = 3

Signature = dict[tuple[object, ...], float]
Documents = list[tuple[Document, Classification]]


@dataclass
class Edition:
    """Files that make one report; `report_id` is the identity's id, with -vN for later versions."""

    report_id: str
    version: int
    documents: Documents
    facts: Facts = field(default_factory=Facts)
    findings: list[Finding] = field(default_factory=list)

    @property
    def source_files(self) -> list[str]:
        return [doc.source_file for doc, _ in self.documents]


def signature(facts: Facts) -> Signature:
    """The comparable figures of a report: item → amount."""
    out: Signature = {}
    for row in facts.rows["function_spending"]:
        if row.get("total") is not None:
            out[("function", row.get("basis"), row["code"])] = float(row["total"])  # type: ignore[arg-type]
    for row in facts.rows["economic_spending"]:
        if row.get("amount") is not None:
            out[("economic", row.get("basis"), row["code"])] = float(row["amount"])  # type: ignore[arg-type]
    for row in facts.rows["three_public"]:
        for figure in ("budget", "actual"):
            if row.get(figure) is not None and not row.get("derived"):
                key = ("three_public", row.get("basis"), row.get("fiscal_year"), row["item"], figure)
                out[key] = float(row[figure])  # type: ignore[arg-type]
    for row in facts.rows["totals"]:
        if row.get("amount") is not None:
            out[("totals", row.get("basis"), row.get("statement"), row["side"], row["item"])] = float(row["amount"])  # type: ignore[arg-type]
    return out


def differences(a: Signature, b: Signature) -> list[tuple[object, ...]]:
    return [key for key in a.keys() & b.keys() if not same_figure(a[key], b[key])]


def shared_share(a: Signature, b: Signature, of: object = min) -> float:
    """Items both print, as a share of the smaller (or, with of=max, the larger) item set."""
    size = of(len(a), len(b))  # type: ignore[operator]
    return len(a.keys() & b.keys()) / size if size else 0.0


def is_copy(a: Signature, b: Signature) -> bool:
    return not differences(a, b) and shared_share(a, b, of=max) >= MIN_COPY_ITEMS


def extract_editions(report_id: str, documents: Documents) -> list[Edition]:
    """The report's editions, each with its facts and findings (most reports: one edition)."""
    documents = sorted(documents, key=lambda pair: pair[0].file_name)
    single = [pair for pair in documents if pair[1].doc_type in SINGLE_FILE_TYPES]
    if len(single) < 2:
        return [_extracted(Edition(report_id, 1, documents))]

    # Each file joins the first group it is a copy of, starts a new group when it is a version of
    # one (same items, other figures), and otherwise is a part of the first group.
    groups: list[tuple[Documents, Signature]] = []
    notes: list[Finding] = []
    versions: list[tuple[int, list[tuple[object, ...]], Signature, Signature]] = []
    for pair in documents:
        facts, _ = extract.extract_report(report_id, [pair])
        sig = signature(facts)
        match = next((g for g in groups if sig and shared_share(sig, g[1]) >= MIN_SHARED_ITEMS), None)
        if match is not None and is_copy(match[1], sig):
            match[0].append(pair)
            notes.append(_copy_finding(report_id, pair[0], match[0][0][0]))
        elif match is not None:
            groups.append(([pair], sig))
            versions.append((len(groups) - 1, _differing_items(match[1], sig), match[1], sig))
        elif groups:
            groups[0][0].append(pair)
            groups[0][1].update(sig)
        else:
            groups.append(([pair], sig))

    editions = [
        Edition(report_id if index == 0 else f"{report_id}-v{index + 1}", index + 1, members)
        for index, (members, _) in enumerate(groups)
    ]
    for edition in editions:
        _extracted(edition)
    editions[0].findings.extend(notes)
    for index, diff, first, second in versions:
        editions[index].findings.append(_version_finding(editions, index, diff, first, second))
    return editions


def _differing_items(a: Signature, b: Signature) -> list[tuple[object, ...]]:
    """Items printed with other figures, then items only one of the two prints."""
    return differences(a, b) + sorted(a.keys() ^ b.keys(), key=str)


def _extracted(edition: Edition) -> Edition:
    facts, findings = extract.extract_report(edition.report_id, edition.documents)
    edition.facts = facts
    edition.findings = findings + edition.findings
    return edition


def _copy_finding(report_id: str, doc: Document, original: Document) -> Finding:
    return Finding(
        "same_report_copy",
        "info",
        f"与 {original.file_name} 是同一份报告（同一部门、年度、类型与口径，共有数字全部相同），只计一次。",
        source_file=doc.source_file,
        report_id=report_id,
        stage="extract",
    )


def _describe(key: tuple[object, ...]) -> str:
    kind = key[0]
    if kind == "function":
        return f"功能分类 {key[2]} 合计"
    if kind == "economic":
        return f"经济分类 {key[2]}"
    if kind == "three_public":
        return f"“三公”经费 {key[3]}（{'预算数' if key[4] == 'budget' else '决算数'}）"
    side = {"income": "收入", "expenditure": "支出"}.get(str(key[3]), key[3])
    return f"总表数字（{key[2]}，{side} {key[4]}）"


def _version_finding(
    editions: list[Edition], index: int, diff: list[tuple[object, ...]], first: Signature, second: Signature
) -> Finding:
    base, other = editions[0], editions[index]
    quoted = "；".join(
        f"{_describe(key)}：前者 {fmt(first.get(key))}，后者 {fmt(second.get(key))}"
        for key in diff[:QUOTED_DIFFERENCES]
    )
    return Finding(
        "report_versions_differ",
        "warning",
        f"同一部门、年度、类型与口径有两份数字不同的文件：{base.documents[0][0].file_name}（版本 1）与 "
        f"{other.documents[0][0].file_name}（版本 {other.version}）有 {len(diff)} 处数字不同或只见于其中一份"
        f"（{quoted}）。"
        f"两份都作为版本保留，看板默认显示版本 1；请确认哪一份是正式公开的版本。",
        source_file=other.documents[0][0].source_file,
        report_id=other.report_id,
        stage="extract",
    )
