"""Shared helpers of the synthetic-corpus benchmarks (bench/synth_*.py): corpora, timed builds, caches.

Everything large lives in bench/results/tmp/ (git-ignored): generated corpora, warehouses. A corpus
is reused while the generator is unchanged; a warehouse while the corpus and the extraction code
(fiscallens/**/*.py, *.sql) are unchanged — so the accuracy and query benchmarks can reuse the build
the ingestion benchmark timed, and a second `make bench` does not regenerate what it already has.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results"
TMP = RESULTS / "tmp"
SEED = 0
INCONSISTENT = 0.1


def digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(str(path.relative_to(ROOT)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def code_version() -> str:
    """Changes whenever extraction, loading or the warehouse schema change (the generator and the
    accuracy scorer do not change what a build yields)."""
    package = ROOT / "fiscallens"
    return digest(
        [
            p
            for p in package.rglob("*")
            if p.suffix in (".py", ".sql", ".csv")
            and p.is_file()
            and not p.relative_to(package).parts[0].startswith("synth")
        ]
    )


def generator_version() -> str:
    """Changes whenever the generator or its data files change (not with the accuracy scorer)."""
    folder = ROOT / "fiscallens" / "synth"
    return digest([p for p in folder.rglob("*") if p.suffix in (".py", ".json") and p.name != "accuracy.py"])


def machine() -> dict[str, Any]:
    """The machine the numbers come from."""
    import duckdb
    import pandas

    mem_kb = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
        "sqlite": sqlite3.sqlite_version,
        "os": platform.platform(),
        "filesystem_of_tmp": filesystem_of(TMP),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "code_version": code_version(),
    }


def filesystem_of(path: Path) -> str:
    path.mkdir(parents=True, exist_ok=True)
    best = ("", "?")
    for line in Path("/proc/mounts").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 3 and str(path.resolve()).startswith(parts[1]) and len(parts[1]) > len(best[0]):
            best = (parts[1], parts[2])
    return f"{best[1]} ({best[0]})"


# --- corpora -------------------------------------------------------------------------------------


def corpus(n: int, truth: bool = True, seed: int = SEED) -> Path:
    """The synthetic corpus of n reports (generated once per generator version)."""
    from fiscallens import synth

    folder = TMP / f"corpus-{n}-s{seed}"
    stamp = folder / "bench-stamp.json"
    wanted = {"n": n, "seed": seed, "inconsistent": INCONSISTENT, "generator": generator_version()}
    if stamp.exists():
        have = json.loads(stamp.read_text())
        if {k: have.get(k) for k in wanted} == wanted and (have.get("truth") or not truth):
            return folder
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    summary = synth.generate(n, folder, seed=seed, inconsistent=INCONSISTENT, truth=truth)
    seconds = time.perf_counter() - started
    stamp.write_text(
        json.dumps({**wanted, "truth": truth, "files": summary.files, "bytes": summary.bytes, "seconds": seconds})
    )
    print(f"  generated {n} reports ({summary.bytes / 1e6:.1f} MB) in {seconds:.1f} s → {folder.relative_to(ROOT)}")
    return folder


def corpus_stats(folder: Path) -> dict[str, Any]:
    files = [p for p in (folder / "reports").iterdir() if p.is_file()]
    stamp = json.loads((folder / "bench-stamp.json").read_text())
    return {
        "reports": stamp["n"],
        "files": len(files),
        "megabytes": round(sum(p.stat().st_size for p in files) / 1e6, 2),
        "generation_seconds": round(stamp["seconds"], 2),
    }


# --- warehouses ----------------------------------------------------------------------------------


def warehouse_path(n: int, seed: int = SEED) -> Path:
    return TMP / f"warehouse-{n}-s{seed}.duckdb"


def cached_warehouse(n: int, seed: int = SEED) -> Path | None:
    """A warehouse built from corpus(n) by the current code, if one is cached."""
    db = warehouse_path(n, seed)
    stamp = db.with_suffix(".json")
    if db.exists() and stamp.exists():
        have = json.loads(stamp.read_text())
        if have == {"code": code_version(), "generator": generator_version()}:
            return db
    return None


def keep_warehouse(built: Path, n: int, seed: int = SEED) -> Path:
    db = warehouse_path(n, seed)
    db.with_suffix(".json").unlink(missing_ok=True)
    os.replace(built, db)
    db.with_suffix(".json").write_text(json.dumps({"code": code_version(), "generator": generator_version()}))
    return db


def build_supports_jobs() -> bool:
    """Whether `python -m fiscallens build` has a --jobs option (parallel ingestion)."""
    result = subprocess.run(
        [sys.executable, "-m", "fiscallens", "build", "--help"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return "--jobs" in result.stdout


def _tree_rss_kb(root: int) -> tuple[int, int]:
    """Resident memory of a process and all its descendants, in kB: (sum, largest single process)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    total, largest, stack = 0, 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                    total += rss
                    largest = max(largest, rss)
        except OSError:
            continue
    return total, largest


def timed_build(reports_dir: Path, db: Path, jobs: int | None = None, budget: float | None = None) -> dict[str, Any]:
    """`python -m fiscallens build DIR --db DB --rebuild --quiet [--jobs N]` in a new process group:
    wall and CPU seconds (the child and its workers), peak resident memory of the whole process tree
    (sampled every 0.2 s) and of the largest single process; killed when it runs past `budget`."""
    db.unlink(missing_ok=True)
    command = [sys.executable, "-m", "fiscallens", "build", str(reports_dir), "--db", str(db), "--rebuild", "--quiet"]
    if jobs:
        command += ["--jobs", str(jobs)]
    peak = [0, 0]
    done = threading.Event()
    _child_cpu()  # reset: only this build's CPU time is counted
    started = time.perf_counter()
    proc = subprocess.Popen(  # noqa: S603 - our own command line
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )

    def sample() -> None:
        while not done.is_set():
            total, largest = _tree_rss_kb(proc.pid)
            peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    timed_out = False
    try:
        out, err = proc.communicate(timeout=budget or None)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    cpu = _child_cpu()
    return {
        "command": " ".join(["python", *command[1:]]).replace(str(ROOT) + "/", ""),
        "status": "timeout" if timed_out else ("ok" if proc.returncode == 0 else f"exit {proc.returncode}"),
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mb_process_tree": round(peak[0] / 1024, 1),
        "peak_rss_mb_largest_process": round(peak[1] / 1024, 1),
        "stdout_tail": out.decode("utf-8", "replace").strip().splitlines()[-6:],
        "stderr_tail": err.decode("utf-8", "replace").strip().splitlines()[-3:],
    }


_last_cpu = [0.0]


def _child_cpu() -> float:
    """CPU seconds (user + system) used by reaped children since the previous call."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    delta = cpu - _last_cpu[0]
    _last_cpu[0] = cpu
    return delta


def write_result(name: str, data: dict[str, Any]) -> Path:
    """bench/results/<name>.json, then the README's generated tables."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"→ {out.relative_to(ROOT)}")
    sys.path.insert(0, str(ROOT / "bench"))
    import report

    report.main()
    return out
