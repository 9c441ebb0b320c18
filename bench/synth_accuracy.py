"""Extraction accuracy on the synthetic ground truth, and the build's findings vs the planted inconsistencies.

    .venv/bin/python bench/synth_accuracy.py [--reports 1000]

Builds (or reuses, when bench/synth_ingest.py already built it with the same code) the warehouse of a
synthetic corpus — 10 % of its reports carry exactly one deliberate inconsistency — and compares it with
the corpus' ground truth (fiscallens/synth/accuracy.py):

- share of facts exactly right (numbers to 0.005, texts after normalisation), per table, field,
  document type and trap; rows the warehouse holds that the ground truth does not describe;
- the warning findings vs the planted inconsistencies: recall per kind, precision per rule.

Writes bench/results/synth_accuracy.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthlib import TMP, cached_warehouse, corpus, corpus_stats, keep_warehouse, machine, timed_build, write_result

from fiscallens.synth import accuracy as synth_accuracy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=int(os.environ.get("BENCH_ACCURACY_REPORTS", "1000")))
    args = parser.parse_args()
    n = args.reports
    folder = corpus(n, truth=True)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    db = cached_warehouse(n)
    build: dict[str, object] = {"reused": db is not None}
    if db is None:
        print(f"  build {n} reports …", flush=True)
        run = timed_build(folder / "reports", TMP / f"accuracy-{n}.duckdb")
        if run["status"] != "ok":
            raise SystemExit(f"build failed: {run}")
        db = keep_warehouse(TMP / f"accuracy-{n}.duckdb", n)
        build.update(run)
    result = synth_accuracy.evaluate(db, folder)
    extraction, findings = result["extraction"], result["findings"]
    results = {
        "machine": machine(),
        "corpus": {
            **corpus_stats(folder),
            "seed": manifest["seed"],
            "planted_inconsistencies": manifest["planted"],
            "facts": manifest["facts"],
            "mix": manifest["mix"],
            "trap_rates": manifest["traps"],
        },
        "build": build,
        "extraction": extraction,
        "findings": findings,
        "reader_failures": reader_failures(extraction),
    }
    overall = extraction["overall"]
    print(
        f"  facts exactly right: {overall['right']}/{overall['facts']} ({overall['share_right']:.2%}); "
        f"planted caught {findings['caught']}/{findings['planted']}, precision {findings['precision']}"
    )
    write_result("synth_accuracy", results)


def reader_failures(extraction: dict[str, object]) -> list[dict[str, object]]:
    """Traps under which facts were lost or wrong, worst first (the traps' own share of the misses)."""
    traps: dict[str, dict[str, object]] = extraction["by_trap"]  # type: ignore[assignment]
    out = [
        {"trap": trap, "facts": t["facts"], "missed": t["facts"] - t["right"], "share_right": t["share_right"]}
        for trap, t in traps.items()
        if t["right"] < t["facts"]
    ]
    return sorted(out, key=lambda x: (x["share_right"], -x["missed"]))  # type: ignore[arg-type,operator]


if __name__ == "__main__":
    main()
