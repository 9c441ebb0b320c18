"""Ingestion throughput on synthetic corpora: documents/s and MB/s, single process and all cores; peak memory.

    .venv/bin/python bench/synth_ingest.py [--sizes 1000,10000] [--budget 300] [--full]

For each size, a synthetic corpus (`python -m fiscallens synth`, seed 0, 10 % planted inconsistencies)
is built with the real command line, `python -m fiscallens build DIR --db W --rebuild --quiet`, in a new
process: once single-process, and once with `--jobs <cores>` when the build command has that option
(detected from its --help; recorded as "not available" otherwise). Wall and CPU seconds, documents
(files) per second, MB of text per second, and the peak resident memory of the build's process tree
(sampled every 0.2 s) and of its largest process are recorded.

A build that runs past `--budget` seconds (default 180; `--full` = no limit) is stopped and recorded as
not finished: the target is then missed by at least budget/60, and the time is projected from the rate
measured on the smallest size in the same mode. Target (issue 9): 10k reports in under a minute on 2 cores.
Writes bench/results/synth_ingest.json; the first finished warehouse of each size is kept in
bench/results/tmp/ for bench/synth_accuracy.py and bench/synth_queries.py.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthlib import TMP, build_supports_jobs, corpus, corpus_stats, keep_warehouse, machine, timed_build, write_result

TARGET_REPORTS = 10_000
TARGET_SECONDS = 60.0
TARGET_CORES = 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_INGEST_SIZES", "1000,10000"))
    parser.add_argument("--budget", type=float, default=float(os.environ.get("BENCH_INGEST_BUDGET", "180")))
    parser.add_argument("--full", action="store_true", help="no time limit per build")
    args = parser.parse_args()
    budget = None if args.full or args.budget <= 0 else args.budget
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    cores = len(os.sched_getaffinity(0))
    jobs = build_supports_jobs()
    modes: list[tuple[str, int | None]] = [("single_process", None)]
    if jobs:
        modes.append(("all_cores", cores))
    results: dict[str, object] = {
        "machine": machine(),
        "budget_seconds_per_build": budget,
        "parallel_option": f"--jobs {cores}" if jobs else "not available (build has no --jobs option)",
        "sizes": {},
    }
    rates: dict[str, float] = {}
    for n in sorted(sizes):
        folder = corpus(n, truth=n <= 1000)
        stats = corpus_stats(folder)
        entry: dict[str, object] = {"corpus": stats}
        kept = False
        for mode, workers in modes:
            db = TMP / f"ingest-{n}-{mode}.duckdb"
            print(f"  build {n} reports, {mode}{f' (--jobs {workers})' if workers else ''} …", flush=True)
            run = timed_build(folder / "reports", db, jobs=workers, budget=budget)
            if run["status"] == "ok":
                wall = run["wall_seconds"]
                run["documents_per_second"] = round(stats["files"] / wall, 2)
                run["reports_per_second"] = round(n / wall, 2)
                run["megabytes_per_second"] = round(stats["megabytes"] / wall, 3)
                rates.setdefault(mode, n / wall)
                if not kept:
                    keep_warehouse(db, n)  # the first finished build of this size, for the other benchmarks
                    kept = True
            else:
                projected = n / rates[mode] if mode in rates else None
                run["projected_seconds_from_smaller_size"] = round(projected, 1) if projected else None
            db.unlink(missing_ok=True)
            entry[mode] = run
            print(
                f"    {run['status']}: {run['wall_seconds']} s wall, {run['cpu_seconds']} s CPU, "
                f"peak RSS {run['peak_rss_mb_process_tree']} MB",
                flush=True,
            )
        if not jobs:
            entry["all_cores"] = {"status": "not available (build has no --jobs option)"}
        results["sizes"][str(n)] = entry  # type: ignore[index]
    results["target"] = target(results, cores)
    write_result("synth_ingest", results)


def target(results: dict[str, object], cores: int) -> dict[str, object]:
    """10k reports in under a minute on 2 cores: met, or missed by how much."""
    sizes: dict[str, dict[str, dict[str, object]]] = results["sizes"]  # type: ignore[assignment]
    out: dict[str, object] = {
        "goal": f"build {TARGET_REPORTS} reports in under {TARGET_SECONDS:.0f} s on {TARGET_CORES} cores",
        "cores_here": cores,
    }
    entry = sizes.get(str(TARGET_REPORTS))
    if entry is None:
        out["verdict"] = f"not measured ({TARGET_REPORTS} not among the sizes)"
        return out
    mode = "all_cores" if "wall_seconds" in entry.get("all_cores", {}) else "single_process"
    run = entry[mode]
    out["mode"] = mode
    if run["status"] == "ok":
        seconds = float(run["wall_seconds"])  # type: ignore[arg-type]
        out["seconds"] = seconds
        out["met"] = seconds <= TARGET_SECONDS
        out["factor"] = round(seconds / TARGET_SECONDS, 2)
        out["verdict"] = (
            f"met: {seconds:.0f} s"
            if seconds <= TARGET_SECONDS
            else f"missed: {seconds:.0f} s, {seconds / TARGET_SECONDS:.1f}× the target "
            f"({seconds - TARGET_SECONDS:.0f} s over)"
        )
    else:
        lower = float(run["wall_seconds"])  # type: ignore[arg-type]
        projected = run.get("projected_seconds_from_smaller_size")
        out["met"] = False
        out["seconds_at_least"] = lower
        out["projected_seconds"] = projected
        out["verdict"] = f"missed: not finished after {lower:.0f} s (≥ {lower / TARGET_SECONDS:.1f}× the target)" + (
            f"; projected {projected:.0f} s ({float(projected) / TARGET_SECONDS:.0f}×) from the smaller corpus' rate"
            if projected
            else ""
        )
    if mode == "single_process":
        out["note"] = "no parallel build option: the single-process time is the 2-core time"
    return out


if __name__ == "__main__":
    main()
