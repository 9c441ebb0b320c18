"""Downloads at 100,000 rows: from the analyst's query to the file's bytes, per format (issue 17).

    .venv/bin/python bench/downloads.py [--db PATH ...] [--repeats 3] [--out NAME]

What a user waits for on 自助查询 when a result is larger than the page shows: “准备完整结果下载” runs
the query again under the workbench's guard (read-only connection, no external access, the time
limit) and fetches up to WORKBENCH_EXPORT_ROWS rows; a click on CSV / Excel / Parquet then makes the
file. Both steps are timed together (query → bytes ready), per format, median of --repeats runs, each
format in a fresh process so that its peak memory (the process's high-water mark above its resident
memory before the first run) is its own. Also the people's downloads under a chart's 数据 (下载 CSV /
下载 Excel, `people_csv_bytes` / `people_xlsx_bytes`) of a 100,000-row table.

Data: a fixture warehouse built here in DuckDB (so that `make bench` runs on a fresh clone: reports
and function_spending shaped like the warehouse's, with Chinese text, NULLs, decimals, dates and a list
column), and every warehouse given with --db (e.g. /work/bench/w10k.duckdb or the synthetic ones of
bench/synth_queries.py). The query joins function_spending to reports — 31 columns, the widest rows an
analyst commonly downloads — repeated with range(k) when the warehouse has fewer than 100,000 such
rows, LIMIT 100000. Target (issue 17): CSV and Parquet under 2 s; XLSX within the workbench's
time limit (settings.WORKBENCH_EXPORT_SECONDS) or clearly capped.
Writes bench/results/<--out, default downloads>.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

ROWS = 100_000
FORMATS = ("csv", "parquet", "xlsx")
PEOPLE_FORMATS = ("people_csv", "people_xlsx")
TARGET_SECONDS = {"csv": 2.0, "parquet": 2.0}

# The warehouse's widest common download: a fact row with its report's columns.
JOIN_SQL = "SELECT f.*, r.* EXCLUDE (report_id) FROM function_spending f JOIN reports r USING (report_id)"
COUNT_SQL = "SELECT count(*) FROM function_spending f JOIN reports r USING (report_id)"
# A chart's 数据 table as the dashboards show it: Chinese headers, amounts, a year, a count.
PEOPLE_SQL = """
SELECT r.province AS 省份, r.prefecture AS 地市, r.department AS 部门（单位）, r.fiscal_year AS 年度,
       f.code AS 科目编码, f.name AS 科目名称, f.total AS 合计（万元）, f.basic AS 基本支出（万元）,
       f.project AS 项目支出（万元）, f.source_line AS 行号
FROM function_spending f JOIN reports r USING (report_id)
"""

FIXTURE_SQL = [
    """
    CREATE TABLE reports AS
    SELECT 'R' || lpad(i::VARCHAR, 6, '0') AS report_id,
           ['final_accounts', 'budget', 'evaluation'][i % 3 + 1] AS doc_type,
           ['湖南省', '广西壮族自治区', '贵州省', '四川省'][i % 4 + 1] AS province,
           ['长沙市', '钦州市', '贵阳市', '成都市', '湘潭市'][i % 5 + 1] AS prefecture,
           CASE WHEN i % 3 = 0 THEN NULL ELSE '第' || (i % 17) || '区' END AS county,
           (430100 + i % 97)::VARCHAR AS region_code,
           ['医疗保障局', '教育局', '财政局', '大数据和产业创新发展中心', '农业农村局'][i % 5 + 1]
               || '(本级)' AS department,
           CASE WHEN i % 7 = 0 THEN '项目“乡村振兴”，第' || i || '期' END AS project_name,
           'department' AS scope, 2021 + i % 5 AS fiscal_year, 1 AS version, i % 9 <> 0 AS in_default_view,
           CASE WHEN i % 2 = 0 THEN DATE '2024-01-01' + (i % 365)::INTEGER END AS published_on,
           ['reports/' || i || '_final_accounts.txt', 'reports/' || i || '.pdf'] AS source_files,
           (2021 + i % 5) || ' 年某省某市 部门（单位）决算公开说明，含"引号"与,逗号' AS title,
           CASE WHEN i % 4 = 0 THEN round(60 + (i % 40) + 0.5, 1) END AS total_score,
           CASE WHEN i % 4 = 0 THEN '良' END AS grade,
           CASE WHEN i % 4 = 0 THEN i % 8 = 0 END AS grade_derived
    FROM range(1000) AS t(i)
    """,
    """
    CREATE TABLE function_spending AS
    SELECT 'R' || lpad((i % 1000)::VARCHAR, 6, '0') AS report_id,
           CASE WHEN i % 2 = 0 THEN 'actual' ELSE 'budget' END AS basis,
           (201 + i % 30)::VARCHAR || lpad((i % 99)::VARCHAR, 2, '0') AS code,
           ['类', '款', '项'][i % 3 + 1] AS level,
           ['一般公共服务支出', '行政运行', '教育支出', '社会保障和就业支出', '卫生健康支出',
            '其他"说明",含逗号'][i % 6 + 1] AS name,
           CASE WHEN i % 3 = 0 THEN NULL ELSE (201 + i % 30)::VARCHAR END AS parent_code,
           round((i * 7919 % 1000000) / 100.0, 2) AS total,
           CASE WHEN i % 5 = 0 THEN NULL ELSE round((i * 104729 % 100000) / 100.0, 2) END AS basic,
           round((i * 15485863 % 1000000) / 1000.0, 4) AS project,
           CAST((i * 31 % 100000) / 100.0 AS DECIMAL(18, 2)) AS budget_initial,
           '一般公共预算财政拨款支出决算表' AS source_table,
           'reports/' || (i % 1000) || '_final_accounts.txt' AS source_file,
           (i % 300)::INTEGER AS source_line,
           CASE WHEN i % 2 = 0 THEN NULL ELSE (i % 25)::INTEGER END AS source_page
    FROM range(100000) AS t(i)
    """,
]


def build_fixture(path: Path) -> Path:
    import duckdb

    con = duckdb.connect(str(path))
    for sql in FIXTURE_SQL:
        con.execute(sql)
    con.close()
    return path


def analyst_sql(db: Path, template: str = JOIN_SQL) -> str:
    """The join, repeated k times when the warehouse has fewer rows, LIMIT 100000."""
    from fiscallens.warehouse import connect_readonly

    con = connect_readonly(db)
    (rows,) = con.execute(COUNT_SQL).fetchone()
    con.close()
    copies = max(1, math.ceil(ROWS / max(rows, 1)))
    repeat = f", range({copies}) AS copies(k)" if copies > 1 else ""
    return f"{template.strip()}{repeat} LIMIT {ROWS}"


# --- one format, in its own process ----------------------------------------------------------


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def workbench_download(con: Any, sql: str, fmt: str) -> tuple[int, int]:
    """What the 自助查询 page does: the full result under the guard, then the file: (rows, bytes)."""
    from fiscallens import downloads, settings, workbench

    export = workbench.run_analyst_export(
        con,
        sql,
        timeout=settings.QUERY_TIMEOUT_SECONDS,
        limit=settings.WORKBENCH_EXPORT_ROWS,
        max_bytes=settings.WORKBENCH_EXPORT_BYTES,
    )
    data = downloads.export_bytes(export.frame, fmt)
    return export.row_count, len(data)


def people_download(con: Any, sql: str, fmt: str) -> tuple[int, int, float]:
    """A chart's 数据 table (already on the page: its query is not timed), then the people's file."""
    from fiscallens import downloads

    frame = con.execute(sql).df()
    started = time.perf_counter()
    data = downloads.people_csv_bytes(frame) if fmt == "people_csv" else downloads.people_xlsx_bytes(frame)
    return len(frame), len(data), time.perf_counter() - started


def child(db: Path, sql: str, fmt: str, repeats: int) -> dict[str, Any]:
    from fiscallens.warehouse import QueryTimeout, connect_readonly

    con = connect_readonly(db)
    before_kb = _status_kb("VmRSS")
    runs: list[float] = []
    cpu: list[float] = []
    rows = size = 0
    error = None
    for _ in range(repeats):
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            if fmt in PEOPLE_FORMATS:
                rows, size, seconds = people_download(con, sql, fmt)
            else:
                rows, size = workbench_download(con, sql, fmt)
                seconds = time.perf_counter() - started
        except QueryTimeout as exc:
            error = str(exc)
            seconds = time.perf_counter() - started
        runs.append(seconds)
        cpu.append(time.process_time() - cpu_started)
    return {
        "rows": rows,
        "bytes": size,
        "median_s": round(statistics.median(runs), 3),
        "cpu_median_s": round(statistics.median(cpu), 3),
        "runs_s": [round(r, 3) for r in runs],
        "peak_extra_mb": round((_status_kb("VmHWM") - before_kb) / 1024, 1),
        "error": error,
    }


def run_child(db: Path, sql: str, fmt: str, repeats: int) -> dict[str, Any]:
    args = [sys.executable, __file__, "--child", fmt, "--db", str(db), "--sql", sql, "--repeats", str(repeats)]
    out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603 - our own command
    if out.returncode != 0:
        raise SystemExit(f"{fmt} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- main ------------------------------------------------------------------------------------


def bench_source(name: str, db: Path, repeats: int) -> dict[str, Any]:
    sql = analyst_sql(db)
    people = analyst_sql(db, PEOPLE_SQL)
    out: dict[str, Any] = {"warehouse": name, "workbench_sql": sql, "people_sql": " ".join(people.split())}
    for fmt in FORMATS + PEOPLE_FORMATS:
        result = run_child(db, people if fmt in PEOPLE_FORMATS else sql, fmt, repeats)
        target = TARGET_SECONDS.get(fmt)
        if target is not None:
            result["within_target"] = result["error"] is None and result["median_s"] < target
        out[fmt] = result
        shown = f"{result['median_s']:.2f} s (CPU {result['cpu_median_s']:.2f} s), {result['peak_extra_mb']:.0f} MB"
        print(f"  {fmt:<12} {result['rows']:>7,} rows  {shown}" + (f"  ✗ {result['error']}" if result["error"] else ""))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, action="append", default=[], help="a warehouse besides the fixture")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", default="downloads", help="results file name (bench/results/NAME.json)")
    parser.add_argument("--child", choices=FORMATS + PEOPLE_FORMATS, help=argparse.SUPPRESS)
    parser.add_argument("--sql", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.db[0], args.sql, args.child, args.repeats)))
        return

    from synthlib import machine

    from fiscallens import settings

    result: dict[str, Any] = {
        "machine": machine(),
        "method": {
            "rows": ROWS,
            "repeats": args.repeats,
            "timed": "query → bytes ready (median wall seconds; CPU seconds beside): the workbench's full "
            "result under its guard, then the file; people_*: the file of a table already on the page",
            "peak_memory": "VmHWM above VmRSS before the first run, in a fresh process per format",
            "limits": {
                "query_timeout_s": settings.QUERY_TIMEOUT_SECONDS,
                "export_seconds": settings.WORKBENCH_EXPORT_SECONDS,
                "export_rows": settings.WORKBENCH_EXPORT_ROWS,
                "export_bytes": settings.WORKBENCH_EXPORT_BYTES,
                "xlsx_max_cells": getattr(settings, "XLSX_MAX_CELLS", None),
            },
        },
        "sources": [],
    }
    with tempfile.TemporaryDirectory() as work:
        sources = [("fixture (built in DuckDB here)", build_fixture(Path(work) / "fixture.duckdb"))]
        sources += [(db.name, db) for db in args.db]
        for name, db in sources:
            print(f"== {name}", flush=True)
            result["sources"].append(bench_source(name, db, args.repeats))
    out = ROOT / "bench" / "results" / f"{args.out}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"→ {out.relative_to(ROOT)}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
