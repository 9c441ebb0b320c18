"""Golden tests on two PDFs exactly as a district published them (tests/fixtures/pdfs, see SOURCES.md):
上海市普陀区财政局 2024 部门决算 (25 pages, 万元) and 上海市普陀区人民政府办公室 2025 部门预算 (22 pages,
tables in 元, narrative and 三公 in 万元).

Each PDF is read, classified and extracted once per session; the figures below are the ones printed
in the PDFs.
"""

from __future__ import annotations

import shutil
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fiscallens import classify, extract, pipeline, read
from fiscallens.model import Classification, Document, Finding

FIXTURES = Path(__file__).parent / "fixtures" / "pdfs"
FINAL_ACCOUNTS = FIXTURES / "putuo-finance-bureau-2024-final-accounts.pdf"
BUDGET = FIXTURES / "putuo-district-office-2025-budget.pdf"


@dataclass
class Ingested:
    doc: Document
    classification: Classification
    rows: dict[str, list[dict[str, Any]]]
    findings: list[Finding]

    def by(self, table: str, *key: str) -> dict[Any, dict[str, Any]]:
        return {tuple(r[k] for k in key) if len(key) > 1 else r[key[0]]: r for r in self.rows[table]}


def ingest(path: Path) -> Ingested:
    doc, findings = read.read_document(path)
    assert doc is not None and findings == []
    classification, class_findings = classify.classify(doc)
    assert classification is not None and class_findings == []
    facts, extract_findings = extract.extract_report("R", [(doc, classification)])
    return Ingested(doc, classification, facts.rows, extract_findings)


@pytest.fixture(scope="session")
def accounts() -> Ingested:
    return ingest(FINAL_ACCOUNTS)


@pytest.fixture(scope="session")
def budget() -> Ingested:
    return ingest(BUDGET)


def counts(ingested: Ingested) -> dict[str, int]:
    return {table: len(rows) for table, rows in ingested.rows.items() if rows}


def close(value: object, expected: float) -> bool:
    return isinstance(value, float | int) and abs(value - expected) < 1e-6


# --- 部门决算 ---------------------------------------------------------------------------------------


def test_final_accounts_is_read_as_pages_and_tables(accounts: Ingested) -> None:
    doc = accounts.doc
    assert (doc.file_format, doc.pages, doc.tables_found) == ("pdf", 25, 15)
    lines = doc.lines
    # codes printed in 类 | 款 | 项 columns arrive as cells; narrative numbers stay in their sentence
    assert "201\t06\t01\t行政运行\t1,511.89\t1,503.52\t8.37" in lines
    assert any(line.startswith("本年收入合计2946.25万元") for line in lines)
    title = lines.index("一般公共预算财政拨款支出决算表") + 1
    assert doc.page_of(title) == 15


def test_final_accounts_classification(accounts: Ingested) -> None:
    c = accounts.classification
    assert (c.doc_type, c.department, c.fiscal_year, c.region_code) == (
        "final_accounts",
        "上海市普陀区财政局",
        2024,
        "310107",
    )
    assert (c.province, c.county) == ("上海市", "普陀区")


def test_final_accounts_figures(accounts: Ingested) -> None:
    functions = accounts.by("function_spending", "basis", "code")
    assert {basis for basis, _ in functions} == {"actual"}
    total = functions[("actual", "total")]
    assert (total["total"], total["basic"], total["project"], total["budget_initial"]) == (
        2940.05,
        2336.91,
        603.14,
        2993.92,
    )
    running = functions[("actual", "2010601")]
    assert (running["name"], running["total"], running["basic"], running["project"]) == (
        "行政运行",
        1511.89,
        1503.52,
        8.37,
    )
    assert running["budget_initial"] == 1560.05  # from the narrative: "年初预算为1560.05万元"
    assert functions[("actual", "2010608")]["total"] == 449.52
    assert functions[("actual", "2080505")]["total"] == 160.75
    assert functions[("actual", "2080505")]["name"] == "机关事业单位基本养老保险缴费支出"
    # 收入合计 2946.25 ≠ 支出合计 2940.05: the income table is noted, not merged into spending
    scope = next(f for f in accounts.findings if f.rule == "table_scope_differs")
    assert "2946.25" in scope.message and "2940.05" in scope.message


def test_final_accounts_economic_and_three_public(accounts: Ingested) -> None:
    economic = accounts.by("economic_spending", "code")
    assert {r["basis"] for r in economic.values()} == {"actual"}
    assert economic["30101"]["amount"] == 262.33 and economic["30201"]["amount"] == 21.21  # side-by-side groups
    assert (economic["personnel"]["amount"], economic["public"]["amount"]) == (2152.26, 184.65)
    assert economic["operating"]["amount"] == 184.65  # 机关运行经费支出184.65万元
    three = {r["item"]: r for r in accounts.rows["three_public"] if not r["derived"]}  # as printed, 2024
    assert {r["basis"] for r in three.values()} == {"actual"}
    # the table alternates 预算数 | 决算数 per item: 0.95 is the 合计 and 接待 budget
    assert (three["total"]["budget"], three["total"]["actual"]) == (0.95, 0.0)
    assert (three["reception"]["budget"], three["reception"]["actual"]) == (0.95, 0.0)
    assert three["outbound"]["budget"] == 0.0 and three["vehicle_operation"]["budget"] == 0.0


def test_final_accounts_row_counts_and_provenance(accounts: Ingested) -> None:
    # 三公: 6 printed rows and 2023's total derived from "与2023年度持平"; totals: the two summary tables
    # and the narrative's totals.
    assert counts(accounts) == {"function_spending": 20, "economic_spending": 30, "three_public": 7, "totals": 30}
    tables = Counter(r.get("source_table") for r in accounts.rows["function_spending"])
    assert tables == {"一般公共预算财政拨款支出决算表": 20}
    for table, rows in accounts.rows.items():
        for row in rows:
            assert row["source_page"] == accounts.doc.page_of(row["source_line"]), table
    assert Counter(f.rule for f in accounts.findings) == {
        "table_scope_differs": 1,
        "three_public_blank_as_zero": 1,
        "three_public_actual_not_stated": 1,
        "three_public_derived": 1,
        "narrative_total_mismatch": 1,
    }
    # The one warning is the document's own error (p. 21 says 财政拨款收入支出总计0.3万元; the table, 2,961.68).
    (warning,) = [f for f in accounts.findings if f.severity == "warning"]
    assert "0.3万元" in warning.message and "2961.68" in warning.message


# --- 部门预算 ---------------------------------------------------------------------------------------


def test_budget_classification(budget: Ingested) -> None:
    c = budget.classification
    assert (c.doc_type, c.department, c.fiscal_year, c.region_code) == (
        "budget",
        "上海市普陀区人民政府办公室",
        2025,
        "310107",
    )
    assert (budget.doc.pages, budget.doc.tables_found) == (22, 13)


def test_budget_tables_in_yuan_land_in_wan(budget: Ingested) -> None:
    functions = budget.by("function_spending", "basis", "code")
    assert {basis for basis, _ in functions} == {"budget"}
    total = functions[("budget", "total")]
    assert close(total["total"], 9101.677535)  # 91,016,775.35 元
    assert close(total["basic"], 2460.677535) and close(total["project"], 6641.0)
    running = functions[("budget", "2010301")]
    assert running["name"] == "行政运行" and close(running["total"], 1202.950184)
    assert close(running["basic"], 1191.950184) and close(running["project"], 11.0)
    assert close(functions[("budget", "2101102")]["total"], 31.421815)
    economic = budget.by("economic_spending", "code")
    assert {r["basis"] for r in economic.values()} == {"budget"}
    assert close(economic["30101"]["amount"], 254.0192)
    assert close(economic["personnel"]["amount"], 2247.399781)
    assert close(economic["public"]["amount"], 213.277754)
    assert economic["operating"]["amount"] == 213.28  # 机关运行经费, from the 三公 table in 万元


def test_budget_three_public_in_wan(budget: Ingested) -> None:
    three = {r["item"]: r for r in budget.rows["three_public"] if not r["derived"]}
    assert {(r["basis"], r["fiscal_year"]) for r in three.values()} == {("budget", 2025)}
    # "与2024年预算持平" gives 2024's figures, kept as derived rows of 2024.
    derived = {r["item"]: r for r in budget.rows["three_public"] if r["derived"]}
    assert {r["fiscal_year"] for r in derived.values()} == {2024} and derived["total"]["budget"] == 867.5
    assert {item: r["budget"] for item, r in three.items()} == {
        "total": 867.5,
        "outbound": 839.0,
        "reception": 28.5,
        "vehicle_total": 0.0,
        "vehicle_purchase": 0.0,
        "vehicle_operation": 0.0,
    }
    assert all(r["actual"] is None for r in three.values())


def test_budget_row_counts(budget: Ingested) -> None:
    assert counts(budget) == {"function_spending": 21, "economic_spending": 32, "three_public": 12, "totals": 17}
    tables = Counter(r.get("source_table") for r in budget.rows["function_spending"])
    assert tables == {"2025年部门支出预算总表": 21}
    assert Counter(f.rule for f in budget.findings) == {"three_public_blank_as_zero": 1, "three_public_derived": 6}


# --- speed --------------------------------------------------------------------------------------


def test_the_25_page_pdf_ingests_in_under_5_seconds_of_cpu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read, classify, extract, load and check, with nothing cached (bench/ records the cost per page)."""
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(FINAL_ACCOUNTS, src)
    monkeypatch.setattr(read, "_RENDERED", OrderedDict())  # a cold parse; the session's cache is kept
    started = time.process_time()
    summary = pipeline.build([src], tmp_path / "w.duckdb", rebuild=True)
    cpu = time.process_time() - started
    assert summary.files[0].pages == 25 and summary.reports == 1
    assert cpu < 5.0, f"{cpu:.2f} s of CPU for 25 pages"
