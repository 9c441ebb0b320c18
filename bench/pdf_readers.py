"""pdfplumber vs PyMuPDF on the two published PDFs: table quality and speed per page.

    .venv/bin/python bench/pdf_readers.py          (or `make bench`)

Writes bench/results/pdf_readers.json. PyMuPDF is not a dependency of FiscalLens (AGPL); `make bench`
installs it from bench/requirements.txt, and without it its column says "not installed".

What is measured, per PDF and library:
- seconds per page, best of REPEATS runs, for: the library's text + table extraction of every page;
  and for pdfplumber also FiscalLens's own renderer (fiscallens/formats/pdf.py: baseline lines,
  cell grids), which is what the pipeline runs;
- tables found, table rows, and the share of table cells holding digits that parse as one number
  ("2,106.66" does; "210666⏎, ." does not);
- split codes: table rows whose cells start 类 | 款 | 项 (`201 | 06 | 01`), and whether the known rows
  come out as cells with their figures (`201 06 01 行政运行 1,511.89 1,503.52 8.37`);
- narrative: whether a sentence mixing Chinese and a Latin-font number stays on one line
  ("本年收入合计2946.25万元").
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fiscallens.extract.table import cell_number  # noqa: E402

PDFS = {
    "final_accounts_2024": ROOT / "tests/fixtures/pdfs/putuo-finance-bureau-2024-final-accounts.pdf",
    "budget_2025": ROOT / "tests/fixtures/pdfs/putuo-district-office-2025-budget.pdf",
}
# Rows that must come out as cells: (code cells…, name, first figure).
KNOWN_ROWS = {
    "final_accounts_2024": [("201", "06", "01", "行政运行", "1,511.89"), ("208", "05", "05", None, "160.75")],
    "budget_2025": [("201", "03", "01", "行政运行", "12,029,501.84"), ("221", "02", "03", "购房补贴", "1,867,680.00")],
}
SENTENCES = {
    "final_accounts_2024": "本年收入合计2946.25万元",
    "budget_2025": "收入预算9,101.68万元",
}
REPEATS = 3
Table = list[list[str]]


def pdfplumber_raw(path: Path) -> tuple[int, list[Table], str]:
    """pdfplumber as documented: extract_text() and find_tables().extract() per page."""
    import pdfplumber

    tables: list[Table] = []
    text = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            text.append(page.extract_text() or "")
            tables += [[[c or "" for c in row] for row in t.extract()] for t in page.find_tables()]
            page.close()
        return len(pdf.pages), tables, "\n".join(text)


def fiscallens_renderer(path: Path) -> tuple[int, list[Table], str]:
    """What the pipeline runs: pdfplumber's characters and ruling lines, FiscalLens's lines and cells.
    Its tables are in the text; they are returned as one list of rows (tables_found is the renderer's)."""
    from fiscallens.formats.pdf import read_pdf

    rendered = read_pdf(path.read_bytes())
    rows = [line.split("\t") for line in rendered.text.split("\n") if "\t" in line]
    return len(rendered.page_starts), [rows], rendered.text


def pymupdf_raw(path: Path) -> tuple[int, list[Table], str]:
    """PyMuPDF as documented: get_text() and find_tables().extract() per page."""
    import pymupdf

    tables: list[Table] = []
    text = []
    with pymupdf.open(path) as doc:
        for page in doc:
            text.append(page.get_text())
            tables += [[[c or "" for c in row] for row in t.extract()] for t in page.find_tables().tables]
        return len(doc), tables, "\n".join(text)


def quality(name: str, tables: list[Table], text: str) -> dict[str, object]:
    rows = [row for table in tables for row in table]
    numeric = [c for row in rows for c in row if re.search(r"\d", c or "")]
    clean = [c for c in numeric if cell_number(c.replace("\n", " ")) is not None and "\n" not in c]
    split = [row for row in rows if len(row) >= 3 and re.fullmatch(r"\d{3}", (row[0] or "").strip())]
    known = {}
    for expected in KNOWN_ROWS[name]:
        codes, label, figure = expected[:3], expected[3], expected[4]
        hit = any(
            [c.strip() for c in row[:3]] == list(codes)
            and (label is None or label in [c.replace("\n", "") for c in row])
            and figure in [c.strip() for c in row]
            for row in rows
        )
        known[" ".join(c for c in expected if c)] = hit
    sentence = SENTENCES[name]
    return {
        "table_rows": len(rows),
        "numeric_cells": len(numeric),
        "numeric_cells_clean_share": round(len(clean) / len(numeric), 3) if numeric else None,
        "rows_starting_with_a_class_code": len(split),
        "known_rows_as_cells": known,
        "narrative_number_on_its_line": sentence in re.sub(r"[ \t]", "", text),
    }


def measure(fn: Callable[[Path], tuple[int, list[Table], str]], path: Path) -> dict[str, object]:
    """Best of REPEATS runs, wall clock and CPU time of this process (CPU time is what other
    load on a shared machine disturbs least)."""
    best_wall = best_cpu = float("inf")
    for _ in range(REPEATS):
        wall, cpu = time.perf_counter(), time.process_time()
        pages, tables, text = fn(path)
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    found = _renderer_tables(path) if fn is fiscallens_renderer else len(tables)
    return {
        "pages": pages,
        "tables_found": found,
        "seconds_wall": round(best_wall, 3),
        "seconds_cpu": round(best_cpu, 3),
        "cpu_seconds_per_page": round(best_cpu / pages, 4),
        "text_and_tables": (tables, text),
    }


def _renderer_tables(path: Path) -> int:
    from fiscallens.formats.pdf import read_pdf

    return read_pdf(path.read_bytes()).tables_found


def main() -> None:
    readers: dict[str, Callable[[Path], tuple[int, list[Table], str]]] = {
        "pdfplumber": pdfplumber_raw,
        "fiscallens (pdfplumber + baseline lines + cell grids)": fiscallens_renderer,
    }
    versions = {"pdfplumber": _version("pdfplumber")}
    try:
        import pymupdf

        readers["pymupdf"] = pymupdf_raw
        versions["pymupdf"] = pymupdf.VersionBind
    except ImportError:
        versions["pymupdf"] = "not installed (pip install -r bench/requirements.txt)"
    results: dict[str, object] = {
        "machine": {
            "python": platform.python_version(),
            "processor": platform.processor() or platform.machine(),
            "load_average_at_start": _load(),
        },
        "versions": versions,
        "repeats": REPEATS,
        "pdfs": {},
    }
    for name, path in PDFS.items():
        per_reader = {}
        for label, fn in readers.items():
            result = measure(fn, path)
            tables, text = result.pop("text_and_tables")  # type: ignore[misc]
            result.update(quality(name, tables, text))
            per_reader[label] = result
            print(f"{name:22} {label:55} {result['cpu_seconds_per_page']:.4f} s CPU/page")
        results["pdfs"][name] = per_reader  # type: ignore[index]
    out = Path(__file__).parent / "results" / "pdf_readers.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"→ {out.relative_to(ROOT)}")


def _load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def _version(module: str) -> str:
    from importlib.metadata import version

    return version(module)


if __name__ == "__main__":
    main()
