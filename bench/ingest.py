"""The cost of ingesting one PDF end to end: `python -m fiscallens build FILE --rebuild` in a fresh process.

    .venv/bin/python bench/ingest.py          (or `make bench`)

Runs the real command line on the 25-page final accounts and the 22-page budget, each in a new
Python process pinned to one core (`taskset -c 0` where available), REPEATS times, and records the
best wall-clock time and the child's CPU time (user + system), in total and per page. The build
includes everything a user waits for: interpreter and library start-up, creating the warehouse
(schema, 3,426 regions), reading the PDF, classify, extract, load, the audit checks and the atomic
rename. Writes bench/results/ingest.json.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PDFS = {
    "final_accounts_2024": (ROOT / "tests/fixtures/pdfs/putuo-finance-bureau-2024-final-accounts.pdf", 25),
    "budget_2025": (ROOT / "tests/fixtures/pdfs/putuo-district-office-2025-budget.pdf", 22),
}
REPEATS = 3
LIMIT_SECONDS = 5.0  # the bound for a 25-page PDF on one core


def run_once(pdf: Path, workdir: Path) -> tuple[float, float]:
    """(wall seconds, child CPU seconds) of one cold build."""
    src = workdir / "in"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir()
    shutil.copy(pdf, src)
    command = [sys.executable, "-m", "fiscallens", "build", str(src), "--db", str(workdir / "w.duckdb")]
    command += ["--rebuild", "--quiet"]
    if shutil.which("taskset"):
        command = ["taskset", "-c", "0", *command]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)  # noqa: S603 (our own command line)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    results: dict[str, object] = {
        "command": "python -m fiscallens build FILE --rebuild (fresh process, taskset -c 0)",
        "repeats": REPEATS,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "limit_seconds_for_25_pages": LIMIT_SECONDS,
        "pdfs": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, (pdf, pages) in PDFS.items():
            runs = [run_once(pdf, Path(tmp)) for _ in range(REPEATS)]
            wall = min(r[0] for r in runs)
            cpu = min(r[1] for r in runs)
            results["pdfs"][name] = {  # type: ignore[index]
                "pages": pages,
                "best_wall_seconds": round(wall, 3),
                "best_cpu_seconds": round(cpu, 3),
                "cpu_seconds_per_page": round(cpu / pages, 4),
                "all_runs_wall_cpu": [[round(w, 3), round(c, 3)] for w, c in runs],
            }
            print(f"{name:22} {pages} pages  best wall {wall:.2f} s  CPU {cpu:.2f} s  ({cpu / pages:.3f} s CPU/page)")
    out = Path(__file__).parent / "results" / "ingest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"→ {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
