"""Damaged classification codes in tables (issue 13, "no silent drops").

A row whose code cannot be read as printed is repaired from the rows around it when that is certain
(an `info` finding says what and why), and otherwise kept with its name, its amounts and its code as
printed (an `info` finding again) — never dropped. Fixtures in tests/fixtures/tables/ (README there):
real table text as the PDF reader renders it, tab-separated, in 元.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from fiscallens.check import audit_rules, check_warehouse
from fiscallens.extract.codes import code_parts, repair_codes
from fiscallens.extract.context import ReportContext
from fiscallens.extract.economic_tables import read_economic_tables
from fiscallens.extract.function_tables import read_function_tables
from fiscallens.load import create_schema
from fiscallens.model import Classification, Document
from fiscallens.read import read_document

TABLES = Path(__file__).parent / "fixtures" / "tables"
# wanli-subdistrict-2024-budget.pdf, lines 423–459 (pages 29–30): the authentic "301 | 2 | 津贴补贴" rows.
WANLI_ECONOMIC = TABLES / "wanli-2024-economic-budget.txt"
# putuo-district-office-2025-budget.pdf, lines 130–155 (pages 11–12), the 类 cell of 2101102 edited to "7".
OFFICE_FUNCTION = TABLES / "office-2025-function-budget-damaged-class.txt"
BUDGET = Classification("budget", 2024, None, None, None, None, "上海市普陀区人民政府万里街道办事处")


def run(tmp_path: Path, text: str, reader: Callable[[ReportContext, Document], None]) -> tuple[ReportContext, Document]:
    path = tmp_path / "table.txt"
    path.write_text(text, encoding="utf-8")
    doc, _ = read_document(path)
    assert doc is not None
    ctx = ReportContext(report_id="R1", classification=BUDGET, documents=[doc])
    reader(ctx, doc)
    return ctx, doc


def by_code(ctx: ReportContext, table: str) -> dict[str, dict[str, object]]:
    return {str(r["code"]): r for r in ctx.rows(table) if r.get("basis") == "budget"}


def findings(ctx: ReportContext, rule: str) -> list[str]:
    return [f.message for f in ctx.findings if f.rule == rule]


def line_of(doc: Document, text: str) -> int:
    return next(n for n, line in enumerate(doc.lines, start=1) if line.startswith(text))


# --- the resolver --------------------------------------------------------------------------------


def test_resolver_reads_a_lost_zero_only_when_the_order_allows_one_reading() -> None:
    sequence = ["301", "30101", ("301", "2"), ("301", "7"), "30108", "30199"]
    repairs = repair_codes(sequence, (3, 2), "3")
    assert (repairs[2].code, repairs[3].code) == ("30102", "30107")
    assert repairs[2].printed == "301 2" and "30101" in repairs[2].reason and "30108" in repairs[2].reason
    # The last child: "9" may be 09 or 9x or x9 after 30113 — not certain; the parent is.
    last = repair_codes(["301", "30113", ("301", "9")], (3, 2), "3")[2]
    assert (last.code, last.parent) == (None, "301")


def test_resolver_takes_a_garbled_class_from_the_parent_printed_just_above() -> None:
    sequence = ["210", "21011", "2101101", ("7", "11", "02"), "221"]
    assert repair_codes(sequence, (3, 2, 2), "2")[3].code == "2101102"
    # A 款 under a garbled class that does not fit the class above is not guessed.
    assert repair_codes(["210", "21011", ("7", "12", "")], (3, 2, 2), "2")[2].code is None
    # A 项 whose 款 is not the one printed just above is not guessed either.
    assert repair_codes(["210", "21011", ("7", "12", "02")], (3, 2, 2), "2")[2].code is None
    # Codes printed hierarchically (blank 类 / 款 cells) continue the parent above.
    hierarchical = repair_codes(["201", ("", "03", ""), ("", "", "01")], (3, 2, 2), "2")
    assert (hierarchical[1].code, hierarchical[2].code) == ("20103", "2010301")
    # Nothing before it: no context, no guess.
    assert repair_codes([("", "11", "02")], (3, 2, 2), "2")[0].code is None


def test_code_parts_of_cells_and_merged_cells() -> None:
    assert code_parts(["7 11 02", "", ""], 3) == ("7", "11", "02")
    assert code_parts(["301 2"], 2) == ("301", "2")
    assert code_parts(["", "11", "02"], 3) == ("", "11", "02")
    assert code_parts(["", ""], 2) is None and code_parts(["12.5"], 2) is None


# --- economic tables ---------------------------------------------------------------------------


def test_real_economic_codes_without_leading_zero_are_repaired(tmp_path: Path) -> None:
    ctx, doc = run(tmp_path, WANLI_ECONOMIC.read_text(encoding="utf-8"), read_economic_tables)
    rows = by_code(ctx, "economic_spending")
    assert rows["30102"]["amount"] == pytest.approx(1662.381) and rows["30102"]["name"] == "津贴补贴"
    assert rows["30107"]["amount"] == pytest.approx(1144.71) and rows["30107"]["category"] == "personnel"
    assert rows["30102"]["source_line"] == line_of(doc, "301\t2\t")
    # Nothing is lost: the 款 of 301 add up to it (they did not before: 2,807.091 万元 were missing).
    children = sum(r["amount"] for c, r in rows.items() if len(c) == 5 and c.startswith("301"))
    assert children == pytest.approx(rows["301"]["amount"])
    repaired = findings(ctx, "table_code_repaired")
    assert len(repaired) == 2 and not findings(ctx, "table_code_unreadable")
    line = line_of(doc, "301\t2\t")
    assert "印作“301 2”，读作 30102“津贴补贴”" in repaired[0] and f"第 {line} 行" in repaired[0]
    assert {f.severity for f in ctx.findings if f.rule.startswith("table_code")} == {"info"}


@pytest.mark.parametrize(
    "printed",
    [
        "301 2 津贴补贴 16,623,810 16,623,810 0",  # the row, flattened (spaces only)
        "301 2\t津贴补贴\t16,623,810\t16,623,810\t0",  # 类 and 款 merged into one cell
    ],
)
def test_spaced_economic_code_in_other_layouts(tmp_path: Path, printed: str) -> None:
    text = WANLI_ECONOMIC.read_text(encoding="utf-8").replace("301\t2\t津贴补贴\t16,623,810\t16,623,810\t0", printed)
    ctx, _ = run(tmp_path, text, read_economic_tables)
    rows = by_code(ctx, "economic_spending")
    assert rows["30102"]["amount"] == pytest.approx(1662.381)
    assert any("30102" in m for m in findings(ctx, "table_code_repaired"))


def test_unreadable_economic_code_is_kept_as_printed(tmp_path: Path) -> None:
    # 30199 其他工资福利支出 printed "301 | 9": after 30113 it may be 09, 19 … 99 — not certain.
    text = WANLI_ECONOMIC.read_text(encoding="utf-8").replace("301\t99\t其他工资福利支出", "301\t9\t其他工资福利支出")
    ctx, doc = run(tmp_path, text, read_economic_tables)
    rows = by_code(ctx, "economic_spending")
    kept = rows["301 9"]
    assert (kept["name"], kept["category"]) == ("其他工资福利支出", "personnel")
    assert kept["amount"] == pytest.approx(4068.3477) and kept["source_line"] == line_of(doc, "301\t9\t")
    (message,) = findings(ctx, "table_code_unreadable")
    assert "印作“301 9”" in message and "其他工资福利支出" in message and "40683477" in message
    assert "归入上级科目 301" in message
    # The economic audit counts it under 301: no gap is faked, none hidden.
    assert audit(ctx, "economic_children_sum") == []


# --- functional tables ----------------------------------------------------------------------------


def test_function_code_with_a_garbled_class_cell_is_repaired(tmp_path: Path) -> None:
    ctx, doc = run(tmp_path, OFFICE_FUNCTION.read_text(encoding="utf-8"), read_function_tables)
    rows = by_code(ctx, "function_spending")
    row = rows["2101102"]
    assert (row["name"], row["level"], row["parent_code"]) == ("事业单位医疗", "项", "21011")
    assert row["total"] == pytest.approx(31.421815) and row["source_line"] == line_of(doc, "7\t11\t02")
    (message,) = findings(ctx, "table_code_repaired")
    assert "印作“7 11 02”，读作 2101102" in message and "210" in message
    assert audit(ctx, "function_children_sum") == []


def test_function_code_merged_into_one_cell(tmp_path: Path) -> None:
    text = OFFICE_FUNCTION.read_text(encoding="utf-8").replace("7\t11\t02\t", "7 11 02\t\t\t")
    ctx, _ = run(tmp_path, text, read_function_tables)
    assert by_code(ctx, "function_spending")["2101102"]["total"] == pytest.approx(31.421815)


def test_function_codes_printed_hierarchically(tmp_path: Path) -> None:
    # Some tables print only the new part of each code: the 类 once, then 款 and 项 alone.
    lines = []
    for line in OFFICE_FUNCTION.read_text(encoding="utf-8").replace("7\t11\t02\t", "210\t11\t02\t").splitlines():
        cells = line.split("\t")
        if cells[0].isdigit() and cells[1]:  # a 款 or 项 row: blank what its parent row printed
            cells[: 2 if cells[2] else 1] = [""] * (2 if cells[2] else 1)
        lines.append("\t".join(cells))
    text = "\n".join(lines) + "\n"
    assert "\t\t01\t行政运行" in text and "\t03\t\t政府办公厅" in text
    ctx, _ = run(tmp_path, text, read_function_tables)
    rows = by_code(ctx, "function_spending")
    assert {"201", "20103", "2010301", "2010399", "21011", "2101102", "2210203"} <= set(rows)
    assert len(findings(ctx, "table_code_repaired")) == 16 and not findings(ctx, "table_code_unreadable")


def test_unreadable_function_code_is_kept_under_its_parent(tmp_path: Path) -> None:
    # 2010350 事业运行 printed "201 | 03 | 5": between 02 and 99 it may be 05, 15 … 50–59.
    text = OFFICE_FUNCTION.read_text(encoding="utf-8").replace("201\t03\t50\t", "201\t03\t5\t")
    ctx, _ = run(tmp_path, text, read_function_tables)
    kept = by_code(ctx, "function_spending")["201 03 5"]
    assert (kept["name"], kept["level"], kept["parent_code"]) == ("事业运行", "项", "20103")
    assert kept["total"] == pytest.approx(380.729558)
    (message,) = findings(ctx, "table_code_unreadable")
    assert "印作“201 03 5”" in message and "事业运行" in message and "归入上级科目 20103" in message
    assert audit(ctx, "function_children_sum") == []


def test_unplaced_row_explains_its_parents_gap_instead_of_a_warning(tmp_path: Path) -> None:
    # 2101102 printed "7 | 1 | 02": neither the 类 nor the 款 part can be trusted, so its parent is unknown.
    text = OFFICE_FUNCTION.read_text(encoding="utf-8").replace("7\t11\t02\t", "7\t1\t02\t")
    ctx, doc = run(tmp_path, text, read_function_tables)
    kept = by_code(ctx, "function_spending")["7 1 02"]
    assert (kept["level"], kept["parent_code"], kept["name"]) == (None, None, "事业单位医疗")
    assert "上级科目不明" in findings(ctx, "table_code_unreadable")[0]
    # 21011 now lacks 31.42 万元 of children: the gap is the unplaced row's, said as info, not a warning.
    found = audit(ctx, "function_children_sum")
    line = line_of(doc, "7\t1\t02")
    assert {severity for severity, _ in found} == {"info"} and len(found) == 2  # 合计 and 基本支出
    assert all("21011" in message and f"第 {line} 行" in message for _, message in found)


def test_another_table_of_the_report_settles_a_code(tmp_path: Path) -> None:
    # The 款 row's 类 cell is garbled ("7" does not fit 210): the table alone cannot tell, but the
    # report's other table prints 21011 行政事业单位医疗 readably.
    damaged = OFFICE_FUNCTION.read_text(encoding="utf-8").replace("210\t11\t\t", "7\t11\t\t")
    clean = OFFICE_FUNCTION.read_text(encoding="utf-8").replace("7\t11\t02\t", "210\t11\t02\t")
    clean = clean.replace("2025年部门支出预算总表", "2025年部门一般公共预算支出功能分类预算表")
    ctx, _ = run(tmp_path, damaged + clean, read_function_tables)
    rows = by_code(ctx, "function_spending")
    assert "21011" in rows and not any(" " in code for code in rows)
    assert any("21011" in m and "以可读的编码列出同名科目" in m for m in findings(ctx, "table_code_repaired"))


def test_row_without_any_code_is_said_not_dropped(tmp_path: Path) -> None:
    text = OFFICE_FUNCTION.read_text(encoding="utf-8").replace("7\t11\t02\t", "\t\t\t")
    ctx, doc = run(tmp_path, text, read_function_tables)
    (message,) = findings(ctx, "table_lines_codeless")
    assert f"第 {line_of(doc, chr(9) * 3 + '事业单位医疗')} 行" in message and "科目编码栏空白" in message


def test_clean_real_table_has_no_code_findings(tmp_path: Path) -> None:
    text = OFFICE_FUNCTION.read_text(encoding="utf-8").replace("7\t11\t02\t", "210\t11\t02\t")
    ctx, _ = run(tmp_path, text, read_function_tables)
    assert not [f for f in ctx.findings if f.rule.startswith("table_code")]
    assert len(by_code(ctx, "function_spending")) == 21


# --- economic_children_sum --------------------------------------------------------------------------


def audit(ctx: ReportContext, rule: str) -> list[tuple[str, str]]:
    """A rule's findings on a warehouse holding `ctx`'s rows."""
    con = duckdb.connect(":memory:")
    create_schema(con)
    for table in ("function_spending", "economic_spending"):
        for row in ctx.rows(table):
            columns = [c for c in row if c != "printed_decimals"]
            names = ", ".join(columns)
            marks = ", ".join("?" for _ in columns)
            con.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", [row[c] for c in columns])
    return [(sev, msg) for _, _, _, sev, msg in con.execute(audit_rules()[rule]).fetchall()]


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    create_schema(con)
    con.execute("INSERT INTO reports (report_id, doc_type) VALUES ('R1', 'budget')")
    return con


def es(con: duckdb.DuckDBPyConnection, code: str, amount: float) -> None:
    con.execute(
        """INSERT INTO economic_spending (report_id, basis, code, name, amount, source_file, source_line)
           VALUES ('R1', 'budget', ?, ?, ?, 'r.pdf', 1)""",
        [code, f"科目{code}", amount],
    )


def economic(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return [(f.severity, f.message) for f in check_warehouse(con) if f.rule == "economic_children_sum"]


def test_economic_children_within_the_rounding_envelope_are_info(con: duckdb.DuckDBPyConnection) -> None:
    # 万元 table, 3 款: envelope (3 + 1) × 0.005 = 0.02.
    es(con, "301", 100.00)
    es(con, "30101", 33.33)
    es(con, "30102", 33.33)
    es(con, "30103", 33.34)
    assert economic(con) == []  # adds up exactly
    con.execute("UPDATE economic_spending SET amount = 100.02 WHERE code = '301'")
    (found,) = economic(con)
    assert found[0] == "info" and "允许误差 0.02 万元之内" in found[1]
    con.execute("UPDATE economic_spending SET amount = 100.03 WHERE code = '301'")
    (found,) = economic(con)
    assert found[0] == "warning" and "301" in found[1] and "超出" in found[1]


def test_economic_envelope_scales_for_tables_in_yuan(con: duckdb.DuckDBPyConnection) -> None:
    # 元 table (whole 元) converted to 万元: a 1 元 difference is rounding, 10 元 is not.
    es(con, "302", 11_168_569 / 10000)
    es(con, "30201", 4_755_518 / 10000)
    es(con, "30299", 6_413_051 / 10000)
    assert economic(con) == []
    con.execute("UPDATE economic_spending SET amount = 11168570 / 10000 WHERE code = '302'")
    assert [s for s, _ in economic(con)] == ["info"]
    con.execute("UPDATE economic_spending SET amount = 11168579 / 10000 WHERE code = '302'")
    assert [s for s, _ in economic(con)] == ["warning"]
    # With fen printed the unit is 0.01 元: 0.05 元 is already outside (3 × 0.005 元).
    con.execute("DELETE FROM economic_spending")
    es(con, "303", 1_303_660.05 / 10000)
    es(con, "30301", 114_940.00 / 10000)
    es(con, "30302", 1_188_720.00 / 10000)
    assert [s for s, _ in economic(con)] == ["warning"]


def test_economic_rule_ignores_totals_and_lone_classes(con: duckdb.DuckDBPyConnection) -> None:
    es(con, "personnel", 5.0)
    es(con, "public", 3.0)
    es(con, "310", 2.0)  # no 款 printed: nothing to compare
    assert economic(con) == []
