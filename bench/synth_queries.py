"""Query latency of every queries/*.sql at 1k, 10k and 100k reports: DuckDB vs pandas vs SQLite, side by side.

    .venv/bin/python bench/synth_queries.py [--skip-100k] [--repeats 15] [--cap 2.0]
    .venv/bin/python bench/synth_queries.py --db 100000=PATH --queries NAME … --duckdb-only --result NAME

Warehouses: the 1k synthetic warehouse (built by bench/synth_ingest.py or bench/synth_accuracy.py,
rebuilt here if missing or stale); 10k and 100k are made from it inside DuckDB by replicating every
report's rows with new report/evaluation/document ids (×10, ×100) — generating and building 100k texts
would take ≈ 30 min per run with the current pipeline (see bench/README.md). When a 10k warehouse built
from text is cached (by bench/synth_ingest.py), it is used for 10k and replicated ×10 for 100k instead.

The same questions, three ways, in the same run:
- DuckDB: each named query through `fiscallens.queries` on the read-only, locked-down connection the
  pages use (`fiscallens.warehouse.connect_readonly`), result as a DataFrame;
- pandas: the tables loaded once into DataFrames (`SELECT * FROM t` → `.df()`, as a Streamlit app
  caches them), the two views the queries build on (report_summary, evaluation_detail) precomputed at
  load time, then each question written explicitly in pandas;
- SQLite: the tables (and those two views, materialised) exported to an SQLite file with indexes on
  report_id, evaluation_id, the filter columns and function code, each question translated to SQLite
  SQL, result as a DataFrame. This is what Datasette would serve.
A query with no translation is recorded as "not translated". Each question runs with no filter ("all")
and with the dashboard's typical filter ("filtered": the most common province, years 2019–2023; a code,
a severity, a report where the query takes one). Timings: one warm-up, then up to --repeats runs (at
least 3, at most --cap seconds per engine and variant); median and p95 in ms; ratios pandas/DuckDB and
SQLite/DuckDB; the three engines' row counts are compared so a translation that answers another
question shows. Target (issue 9): every page's query under 100 ms p95 at 100k reports.
Writes bench/results/synth_queries.json.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthlib import (
    TMP,
    cached_warehouse,
    code_version,
    corpus,
    keep_warehouse,
    machine,
    timed_build,
    warehouse_path,
    write_result,
)

from fiscallens import marts
from fiscallens.labels import DOC_TYPE_LABELS as DOC_LABELS
from fiscallens.load import create_schema
from fiscallens.queries import get_query, load_queries
from fiscallens.settings import TABLE_PAGE_ROWS
from fiscallens.warehouse import connect_readonly

TARGET_MS = 100.0
# Internal queries (left out of the gallery) that a page runs on every visit: measured too.
PAGE_INTERNAL = ("budget_vs_actual",)
TARGET_SIZE = 100_000
FILTERS = ("province", "prefecture", "department", "year_from", "year_to", "doc_type")

# ------------------------------------------------------------------------------------------------
# Warehouses at scale
# ------------------------------------------------------------------------------------------------

# Columns holding identifiers that must stay unique (or keep pointing at their copy) in a replica.
ID_COLUMNS = {
    "documents": ("document_id", "report_id", "source_file"),
    "reports": ("report_id",),
    "evaluations": ("evaluation_id", "report_id", "parent_evaluation_id"),
    "execution_lines": ("evaluation_id", "report_id"),
    "function_spending": ("report_id",),
    "economic_spending": ("report_id",),
    "three_public": ("report_id",),
    "indicators": ("evaluation_id", "report_id"),
    "quality_flags": ("report_id",),
    "totals": ("report_id",),
    "audit_results": ("report_id",),
}
# Tables keyed by names, not ids: copied once (department_kinds: the peer pages' groups).
SHARED_TABLES = ("function_codes", "department_kinds")


def replicate(base: Path, factor: int, out: Path) -> float:
    """A warehouse holding `factor` copies of every report of `base`, ids suffixed ~k (copy 0 unchanged)."""
    started = time.perf_counter()
    out.unlink(missing_ok=True)
    con = duckdb.connect(str(out))
    create_schema(con)
    con.execute(f"ATTACH '{base}' AS b (READ_ONLY)")
    for table, ids in ID_COLUMNS.items():
        replace = ", ".join(f"CASE WHEN k = 0 THEN {c} ELSE {c} || '~' || k END AS {c}" for c in ids)
        exclude = "k, flag_id" if table == "quality_flags" else "k"
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT * EXCLUDE ({exclude}) REPLACE ({replace}) "
            f"FROM b.{table}, range({factor}) AS r(k)"
        )
    for table in SHARED_TABLES:
        con.execute(f"DELETE FROM {table}")
        con.execute(f"INSERT INTO {table} SELECT * FROM b.{table}")
    con.execute("DELETE FROM meta WHERE key = 'built_at'")
    con.execute("INSERT INTO meta SELECT * FROM b.meta WHERE key = 'built_at'")
    con.execute("DETACH b")
    marts.materialise(con)  # as a build does at its end: the replica's marts are tables too
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - started


def reuse_stale(n: int) -> Path | None:
    """The warehouse built from corpus(n) by an earlier version of the code, with the current marts.

    For query and page latency only the warehouse's shape matters, not the extraction code that
    filled it: `--reuse-stale` saves the 3-minute 10k build while the build code keeps changing.
    The copy gets the marts of the current code (fiscallens/marts.py), as a build would.
    """
    source = warehouse_path(n)
    if not source.exists():
        return None
    target = TMP / f"reused-{n}-{code_version()}.duckdb"
    if not target.exists():
        for stale in TMP.glob(f"reused-{n}-*.duckdb"):
            stale.unlink()
        shutil.copy2(source, TMP / "reused-tmp.duckdb")
        con = duckdb.connect(str(TMP / "reused-tmp.duckdb"))
        marts.materialise(con)
        con.execute("CHECKPOINT")
        con.close()
        os.replace(TMP / "reused-tmp.duckdb", target)
        print(f"  reused {source.name} (built by an earlier code version) with the current marts", flush=True)
    return target


def warehouses(sizes: list[int], stale_ok: bool = False) -> tuple[dict[int, Path], dict[str, str]]:
    base = cached_warehouse(1000) or (reuse_stale(1000) if stale_ok else None)
    method: dict[str, str] = {}
    if base is None:
        print("  building the 1k synthetic warehouse …", flush=True)
        folder = corpus(1000, truth=True)
        run = timed_build(folder / "reports", TMP / "queries-1000.duckdb")
        if run["status"] != "ok":
            raise SystemExit(f"build failed: {run}")
        base = keep_warehouse(TMP / "queries-1000.duckdb", 1000)
    built_10k = cached_warehouse(10_000) or (reuse_stale(10_000) if stale_ok else None)
    out = {1000: base}
    stale = " (by an earlier code version; marts of the current code)" if stale_ok and "reused-" in base.name else ""
    method["1000"] = "built from 1,000 synthetic texts" + stale
    for n in sizes:
        if n == 1000:
            continue
        if n == 10_000 and built_10k is not None:
            out[n] = built_10k
            stale = " (by an earlier code version; marts of the current code)" if "reused-" in built_10k.name else ""
            method[str(n)] = "built from 10,000 synthetic texts" + stale
            continue
        source, source_n = (built_10k, 10_000) if built_10k is not None and n > 10_000 else (base, 1000)
        target = TMP / f"replica-{n}-from-{source_n}-{code_version()}{'-reused' if stale_ok else ''}.duckdb"
        if not target.exists():
            for old in TMP.glob(f"replica-{n}-*.duckdb"):
                old.unlink()
            seconds = replicate(source, n // source_n, TMP / "replica-tmp.duckdb")
            os.replace(TMP / "replica-tmp.duckdb", target)
            print(f"  replicated {source_n:,} → {n:,} reports in {seconds:.1f} s", flush=True)
        out[n] = target
        method[str(n)] = f"the {source_n:,}-report warehouse replicated ×{n // source_n} inside DuckDB (new ids)"
    return out, method


# ------------------------------------------------------------------------------------------------
# Typical parameters
# ------------------------------------------------------------------------------------------------


def typical(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    province = con.execute("SELECT province FROM reports GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()[0]
    code = con.execute(
        "SELECT code FROM function_spending WHERE level = '项' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    ).fetchone()[0]
    report_id = con.execute(
        "SELECT report_id FROM quality_flags WHERE report_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    ).fetchone()[0]
    # A table page's reports: what the pages look findings up for (findings_summary's report_ids).
    page = con.execute("SELECT report_id FROM reports ORDER BY report_id LIMIT ?", [TABLE_PAGE_ROWS]).fetchall()
    # The 同类部门 page's choice: the department with the most reports in the default view, and its kind.
    department, kind = con.execute(
        """SELECT r.department, any_value(k.kind) FROM reports AS r
           LEFT JOIN department_kinds AS k USING (department)
           WHERE r.in_default_view GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"""
    ).fetchone()
    return {
        "province": province,
        "year_from": 2019,
        "year_to": 2023,
        "code": code,
        "report_id": report_id,
        "report_ids": ",".join(r[0] for r in page),
        "department": department,
        "kind": kind,
    }


# The rankings page's measures (pages/rankings.py MEASURES): one variant each, as the page asks (top 10).
RANKING_MEASURES = ("execution_rate", "score", "three_public", "spending")
RANKING_TOP = 10


def variants(params: list[str], t: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """("all", no filter) and ("filtered", the dashboard's typical choice) for a query's parameters; a
    ranking query once per measure, a page's own choice (a department, its kind) as the page passes it."""
    base = dict.fromkeys(params)
    if not params:
        return {"all": {}}
    if "code" in params and "measure" not in params:
        base["code"] = t["code"]  # required (a ranking's code is optional: 各类合计)
    if "report_ids" in params:  # the pages ask about one table page of reports, never the whole selection
        base["report_ids"] = t["report_ids"]
    if "offset" in params:  # a per-row table: the pages ask for one page of it
        base.update(limit=TABLE_PAGE_ROWS, offset=0)
    elif "limit" in params:  # a ranking: the page's top N
        base["limit"] = RANKING_TOP
    if "kind" in params:  # 同类部门: the chosen department's kind
        base["kind"] = t["kind"]
    if "department" in params and "province" not in params and "kind" not in params:
        base["department"] = t["department"]  # department_trend: the page's chosen department
    filtered = dict(base)
    if "province" in params:
        filtered["province"] = t["province"]
    if "year_from" in params:
        filtered.update(year_from=t["year_from"], year_to=t["year_to"])
    if "level" in params and "province" in params:  # the map zooms into the chosen province
        filtered["level"] = "prefecture"
    if "severity" in params:
        filtered["severity"] = "warning"
    if "report_id" in params and "province" not in params:  # reports' report_id is a look-up, not a filter
        filtered["report_id"] = t["report_id"]
    out = {"all": base, "filtered": filtered}
    if "measure" in params:
        out = {f"{v} · {m}": {**p, "measure": m} for v, p in out.items() for m in RANKING_MEASURES}
    return out


# ------------------------------------------------------------------------------------------------
# pandas: the tables as DataFrames, the questions in pandas
# ------------------------------------------------------------------------------------------------

PANDAS_TABLES = ("reports", "evaluations", "function_spending", "three_public", "indicators", "quality_flags", "meta")


def load_pandas(db: Path) -> tuple[dict[str, pd.DataFrame], float, float]:
    """Every table the questions read, as a Streamlit app loads them; the marts precomputed."""
    started = time.perf_counter()
    con = connect_readonly(db)
    f = {t: con.execute(f"SELECT * FROM {t}").df() for t in PANDAS_TABLES}
    f["documents"] = con.execute("SELECT document_id, report_id FROM documents").df()
    f["region_labels"] = con.execute("SELECT * FROM region_labels").df()
    con.close()
    f["report_summary"] = report_summary(f)
    f["evaluation_detail"] = evaluation_detail(f)
    del f["evaluations"]
    seconds = time.perf_counter() - started
    memory = sum(df.memory_usage(deep=True).sum() for df in f.values()) / 1e6
    return f, seconds, memory


def report_summary(f: dict[str, pd.DataFrame]) -> pd.DataFrame:
    r, e = f["reports"], f["evaluations"]
    m = e.merge(r[["report_id", "doc_type"]], on="report_id")
    main_scope = m["doc_type"].map(lambda t: "project" if t == "project_self_eval" else "department")
    m = m[m["scope"] == main_scope]
    m = m.sort_values(["report_id", "budget_full_year"], ascending=[True, False], na_position="last")
    m = m.drop_duplicates("report_id")
    cols = ["report_id", "evaluation_id", "budget_initial", "budget_full_year", "actual", "execution_rate"]
    s = r.merge(m[[*cols, "execution_rate_reported"]], on="report_id", how="left")
    s = s.merge(f["region_labels"], left_on="region_code", right_on="adcode", how="left")
    fallback = s["county"].fillna(s["prefecture"]).fillna(s["province"]).fillna("（地区未识别）")
    s["region_name"] = fallback
    s["region_label"] = s["label"].fillna(fallback)
    s["execution_rate_initial"] = (s["actual"] / s["budget_initial"] * 100).round(4).where(s["budget_initial"] > 0)
    return s.drop(columns=["adcode", "label"])


def evaluation_detail(f: dict[str, pd.DataFrame]) -> pd.DataFrame:
    r = f["reports"][["report_id", "doc_type", "province", "prefecture", "county", "region_code", "department"]]
    r = r.assign(fiscal_year=f["reports"]["fiscal_year"])
    e = f["evaluations"].merge(r, on="report_id")
    e = e.merge(f["region_labels"], left_on="region_code", right_on="adcode", how="left")
    fallback = e["county"].fillna(e["prefecture"]).fillna(e["province"]).fillna("（地区未识别）")
    e["region_name"] = fallback
    e["region_label"] = e["label"].fillna(fallback)
    both = e["budget_full_year"].notna() & e["actual"].notna()
    e["shortfall"] = (e["budget_full_year"] - e["actual"]).where(both)
    return e.drop(columns=["adcode", "label"])


def selected(f: dict[str, pd.DataFrame], p: dict[str, Any]) -> pd.Series:
    r = f["reports"]
    mask = pd.Series(True, index=r.index)
    for column in ("province", "prefecture", "department", "doc_type"):
        if p.get(column) is not None:
            mask &= r[column] == p[column]
    if p.get("year_from") is not None:
        mask &= r["fiscal_year"] >= p["year_from"]
    if p.get("year_to") is not None:
        mask &= r["fiscal_year"] <= p["year_to"]
    return r.loc[mask, "report_id"]


def _in(df: pd.DataFrame, ids: pd.Series) -> pd.DataFrame:
    return df[df["report_id"].isin(ids)]


def pd_brief_options(f: dict[str, pd.DataFrame], p: dict[str, Any]) -> pd.DataFrame:
    r = f["reports"]
    parts = []
    for level in ("prefecture", "province"):
        g = r.dropna(subset=[level, "fiscal_year"]).groupby([level, "fiscal_year"]).size().reset_index(name="reports")
        parts.append(g.rename(columns={level: "region"}).assign(level=level))
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["level", "region", "fiscal_year"], ascending=[False, True, False])


def _region_level(s: pd.DataFrame, p: dict[str, Any]) -> pd.Series:
    """The chart's region: province with no filter, prefecture within a province, else the finest."""
    if p.get("prefecture") is not None or p.get("department") is not None:
        return s["region_label"]
    if p.get("province") is not None:
        return s["prefecture"].fillna(s["region_label"])
    return s["province"].fillna(s["region_label"])


def pd_coverage_matrix(f: dict[str, pd.DataFrame], p: dict[str, Any]) -> pd.DataFrame:
    s = _in(f["report_summary"], selected(f, p))
    s = s.assign(类型=s["doc_type"].map(DOC_LABELS).fillna(s["doc_type"]), 地区=_region_level(s, p))
    g = s.groupby(["地区", "fiscal_year", "类型"], dropna=False).size().reset_index(name="报告数")
    return g.sort_values(["地区", "fiscal_year", "类型"])


def pd_execution_by_report(f: dict[str, pd.DataFrame], p: dict[str, Any]) -> pd.DataFrame:
    s = _in(f["report_summary"], selected(f, p))
    s = s[s["budget_full_year"].notna() & s["actual"].notna()]
    columns = ["region_label", "fiscal_year", "department", "budget_initial", "budget_full_year", "actual"]
    out = s[[*columns, "execution_rate", "execution_rate_initial", "execution_rate_reported", "report_id"]].assign(
        评价对象=s["project_name"].fillna(s["department"]), 偏离=(s["execution_rate"] - 100).abs()
    )
    return out.sort_values(["fiscal_year", "region_label", "department"])


def pd_execution_projects(f: dict[str, pd.DataFrame], p: dict[str, Any]) -> pd.DataFrame:
    i = f["indicators"]
    reasons = i.loc[i["shortfall_reason"].notna(), ["evaluation_id", "shortfall_reason"]].drop_duplicates()
    reasons = reasons.groupby("evaluation_id")["shortfall_reason"].agg("；".join).rename("reason")
    e = _in(f["evaluation_detail"], selected(f, p))
    e = e[e["scope"].isin(["project", "subproject"]) & e["budget_full_year"].notna()]
    out = e.merge(reasons, left_on="evaluation_id", right_index=True, how="left")
    out = out.assign(层级=out["scope"].map({"project": "项目"}).fillna("子项目"))
    return out.sort_values(["shortfall", "name"], ascending=[False, True], na_position="last")


def pd_filter_options(f: dict[str, pd.DataFrame], p: dict[str, Any]) -> pd.DataFrame:
    cols = ["province", "prefecture", "department", "fiscal_year", "doc_type"]
    return f["reports"][cols].drop_duplicates().sort_values(cols, na_position="last")


def pd_findings_summary(f: dict[str, pd.DataFrame], p: dict[str, Any]) -> pd.DataFrame:
    q = _in(f["quality_flags"], selected(f, p))
    if p.get("report_ids"):
        q = q[q["report_id"].isin(p["report_ids"].split(","))]
    counts = q.groupby(["report_id", "severity"]).size().unstack(fill_value=0)
    return counts.reindex(columns=["error", "warning", "info"], fill_value=0).reset_index()


def pd_function_code_compare(f: dict[str, pd.DataFrame], p: dict[str, Any]) -> pd.DataFrame:
    fs = f["function_spending"]
    x = _in(fs[fs["code"] == p["code"]], selected(f, p))
    s = f["report_summary"][["report_id", "region_label", "fiscal_year", "department"]]
    out = x.merge(s, on="report_id")
    out = out.assign(口径=out["basis"].map({"budget": "预算"}).fillna("决算"))
    return out.sort_values(["fiscal_year", "region_label", "department"])


def _codes(f: dict[str, pd.DataFrame], p: dict[str, Any], basis: str | None) -> tuple[pd.DataFrame, Any]:
    fs = f["function_spending"]
    x = _in(fs, selected(f, p))
    x = x[x["level"].isin(["类", "款", "项"])]
    if basis is not None:
        x = x[x["basis"] == basis]
    longest = x.assign(n=x["name"].str.len()).sort_values("n", ascending=False).drop_duplicates("code")
    return x, longest.set_index("code")["name"]


def pd_function_codes_present(f: dict[str, pd.DataFrame], p: dict[str, Any]) -> pd.DataFrame:
    x, names = _codes(f, p, None)
    g = x.groupby("code").agg(level=("level", "min"), reports=("report_id", "nunique"))
    return g.assign(name=names).reset_index().sort_values("code")


def pd_function_tree(f: dict[str, pd.DataFrame], p: dict[str, Any]) -> pd.DataFrame:
    x, names = _codes(f, p, p.get("basis") or "actual")
    g = x.groupby("code").agg(
        级次=("level", "min"),
        上级编码=("parent_code", "min"),
        合计=("total", "sum"),
        基本支出=("basic", "sum"),
        项目支出=("project", "sum"),
        年初预算=("budget_initial", "sum"),
        报告数=("report_id", "nunique"),
    )
    return g.assign(科目名称=names).reset_index().sort_values("code")


def pd_indicator_losses(f: dict[str, pd.DataFrame], p: dict[str, Any]) -> pd.DataFrame:
    i = _in(f["indicators"], selected(f, p))
    i = i[i["score"] < i["weight"]]
    e = f["evaluation_detail"][["evaluation_id", "region_label", "fiscal_year", "name"]]
    out = i.merge(e, on="evaluation_id").assign(失分=lambda d: d["weight"] - d["score"])
    return out.sort_values(["失分", "region_label", "level3"], ascending=[False, True, True])


def pd_overview_kpis(f: dict[str, pd.DataFrame], p: dict[str, Any]) -> pd.DataFrame:
    s = _in(f["report_summary"], selected(f, p))
    paired = s[s["budget_full_year"].notna() & s["actual"].notna()]
    budget, actual = paired["budget_full_year"].sum(), paired["actual"].sum()
    return pd.DataFrame(
        [
            {
                "reports": len(s),
                "regions": s["region_code"].nunique(),
                "first_year": s["fiscal_year"].min(),
                "last_year": s["fiscal_year"].max(),
                "years": s["fiscal_year"].nunique(),
                "budget_full_year": budget if len(paired) else None,
                "actual": actual if len(paired) else None,
                "execution_rate": actual / budget * 100 if budget else None,
                "reports_with_execution": len(paired),
                "mean_score": s["total_score"].mean(),
                "reports_with_score": s["total_score"].count(),
            }
        ]
    )


def pd_quality_flags(f: dict[str, pd.DataFrame], p: dict[str, Any]) -> pd.DataFrame:
    q = f["quality_flags"]
    if p.get("severity") is not None:
        q = q[q["severity"] == p["severity"]]
    if p.get("report_id") is not None:
        q = q[q["report_id"] == p["report_id"]]
    out = q.merge(f["reports"][["report_id", "department", "fiscal_year"]], on="report_id", how="left")
    out = out.assign(rank=out["severity"].map({"error": 0, "warning": 1}).fillna(2))
    return out.sort_values(["rank", "source_file", "source_line"])


def pd_reports(f: dict[str, pd.DataFrame], p: dict[str, Any]) -> pd.DataFrame:
    q = f["quality_flags"]
    counts = q.groupby(["report_id", "severity"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=["error", "warning"], fill_value=0)
    s = _in(f["reports"], selected(f, p))
    out = s.merge(counts, left_on="report_id", right_index=True, how="left").fillna({"error": 0, "warning": 0})
    out = out.assign(类型=out["doc_type"].map(DOC_LABELS).fillna(out["doc_type"]), 文件数=out["source_files"].map(len))
    return out.sort_values(
        ["fiscal_year", "province", "prefecture", "department", "project_name"],
        ascending=[False, True, True, True, True],
    )


def pd_score_vs_execution(f: dict[str, pd.DataFrame], p: dict[str, Any]) -> pd.DataFrame:
    e = _in(f["evaluation_detail"], selected(f, p))
    e = e[e["total_score"].notna()]
    return e.assign(rate=e["execution_rate"].fillna(e["execution_rate_reported"])).sort_values("total_score")


def _three_public(f: dict[str, pd.DataFrame], p: dict[str, Any]) -> pd.DataFrame:
    t = _in(f["three_public"], selected(f, p))
    s = f["report_summary"][["report_id", "region_label", "department"]]
    return t.merge(s, on="report_id")


def pd_three_public_changes(f: dict[str, pd.DataFrame], p: dict[str, Any]) -> pd.DataFrame:
    t = _three_public(f, p)
    t = t[(t["item"] == "total") & (t["basis"] == "actual") & t["actual"].notna()]
    totals = t.groupby(["region_label", "department", "fiscal_year"], dropna=False).agg(
        actual=("actual", "first"), derived=("derived", "any")
    )
    totals = totals.reset_index()
    prev = totals[["department", "fiscal_year", "actual", "derived"]].assign(fiscal_year=totals["fiscal_year"] + 1)
    out = totals.merge(prev, on=["department", "fiscal_year"], suffixes=("", "_prev"))
    out = out.assign(增减=out["actual"] - out["actual_prev"])
    out = out.assign(增减率=out["增减"] / out["actual_prev"].where(out["actual_prev"] != 0) * 100)
    return out.sort_values("增减", key=abs, ascending=False)


def pd_three_public_trend(f: dict[str, pd.DataFrame], p: dict[str, Any]) -> pd.DataFrame:
    t = _three_public(f, p)
    return t.sort_values(["region_label", "department", "fiscal_year", "item"])


def pd_warehouse_info(f: dict[str, pd.DataFrame], p: dict[str, Any]) -> pd.DataFrame:
    meta = f["meta"]
    built = meta.loc[meta["key"] == "built_at", "value"]
    return pd.DataFrame(
        [
            {
                "built_at": built.iloc[0] if len(built) else None,
                "reports": len(f["reports"]),
                "documents": len(f["documents"]),
            }
        ]
    )


PANDAS: dict[str, Callable[[dict[str, pd.DataFrame], dict[str, Any]], pd.DataFrame]] = {
    name.removeprefix("pd_"): fn for name, fn in dict(globals()).items() if name.startswith("pd_") and callable(fn)
}

# ------------------------------------------------------------------------------------------------
# SQLite: the tables exported with indexes, the questions translated
# ------------------------------------------------------------------------------------------------

SQLITE_TABLES: dict[str, str] = {
    # table: SELECT list from DuckDB (lists flattened to text)
    "reports": "* REPLACE (array_to_string(source_files, '|') AS source_files)",
    "evaluation_detail": "*",
    "report_summary": "*",
    "function_spending": "*",
    "three_public": "*",
    "indicators": "*",
    "quality_flags": "*",
    "meta": "*",
    "documents": "document_id, report_id",
}
SQLITE_INDEXES = (
    "CREATE INDEX reports_filter ON reports (province, fiscal_year)",
    "CREATE INDEX reports_prefecture ON reports (prefecture, fiscal_year)",
    "CREATE INDEX reports_department ON reports (department)",
    "CREATE UNIQUE INDEX reports_id ON reports (report_id)",
    "CREATE UNIQUE INDEX report_summary_id ON report_summary (report_id)",
    "CREATE INDEX evaluation_detail_report ON evaluation_detail (report_id)",
    "CREATE UNIQUE INDEX evaluation_detail_id ON evaluation_detail (evaluation_id)",
    "CREATE INDEX function_spending_report ON function_spending (report_id)",
    "CREATE INDEX function_spending_code ON function_spending (code, report_id)",
    "CREATE INDEX three_public_report ON three_public (report_id)",
    "CREATE INDEX indicators_report ON indicators (report_id)",
    "CREATE INDEX indicators_evaluation ON indicators (evaluation_id)",
    "CREATE INDEX quality_flags_report ON quality_flags (report_id, severity)",
    "CREATE INDEX quality_flags_severity ON quality_flags (severity)",
    "CREATE INDEX documents_report ON documents (report_id)",
)


def export_sqlite(db: Path, out: Path) -> tuple[float, float]:
    """The warehouse's tables (and the two marts, materialised) in SQLite, indexed; (seconds, MB)."""
    started = time.perf_counter()
    out.unlink(missing_ok=True)
    duck = connect_readonly(db)
    lite = sqlite3.connect(out)
    lite.execute("PRAGMA journal_mode = OFF")
    lite.execute("PRAGMA synchronous = OFF")
    for table, columns in SQLITE_TABLES.items():
        cursor = duck.execute(f"SELECT {columns} FROM {table}")
        names = [d[0] for d in cursor.description]
        lite.execute(f"CREATE TABLE {table} ({', '.join(names)})")
        insert = f"INSERT INTO {table} VALUES ({', '.join('?' for _ in names)})"
        while batch := cursor.fetchmany(50_000):
            lite.executemany(insert, batch)
    for statement in SQLITE_INDEXES:
        lite.execute(statement)
    lite.execute("ANALYZE")
    lite.commit()
    lite.close()
    duck.close()
    return time.perf_counter() - started, out.stat().st_size / 1e6


def _selected_sql(p: dict[str, Any]) -> str:
    """The dashboard filter as SQLite SQL with only the filters that are set (so indexes apply)."""
    conditions = [f"{c} = :{c}" for c in ("province", "prefecture", "department", "doc_type") if p.get(c) is not None]
    if p.get("year_from") is not None:
        conditions.append("fiscal_year >= :year_from")
    if p.get("year_to") is not None:
        conditions.append("fiscal_year <= :year_to")
    where = " AND ".join(conditions) or "1"
    return f"SELECT report_id FROM reports WHERE {where}"


def _report_ids_sql(p: dict[str, Any]) -> str:
    """findings_summary's report_ids (comma-separated) in SQLite, which has no string_split."""
    if not p.get("report_ids"):
        return ""
    return "AND instr(',' || :report_ids || ',', ',' || report_id || ',') > 0"


def _region_sql(p: dict[str, Any]) -> str:
    if p.get("prefecture") is not None or p.get("department") is not None:
        return "region_label"
    return "coalesce(prefecture, region_label)" if p.get("province") is not None else "coalesce(province, region_label)"


# The labels of fiscallens/reference/doc_types.csv (the warehouse's doc_types table), as SQLite SQL.
DOC_CASE = "CASE doc_type " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in DOC_LABELS.items()) + " ELSE doc_type END"

SQLITE: dict[str, Callable[[dict[str, Any]], str]] = {
    "brief_options": lambda p: (
        """
        SELECT prefecture AS region, 'prefecture' AS level, fiscal_year, count(*) AS reports FROM reports
        WHERE prefecture IS NOT NULL AND fiscal_year IS NOT NULL GROUP BY prefecture, fiscal_year
        UNION ALL
        SELECT province, 'province', fiscal_year, count(*) FROM reports
        WHERE province IS NOT NULL AND fiscal_year IS NOT NULL GROUP BY province, fiscal_year
        ORDER BY level DESC, region, fiscal_year DESC"""
    ),
    "coverage_matrix": lambda p: (
        f"""
        SELECT {_region_sql(p)} AS 地区, fiscal_year, {DOC_CASE} AS 类型, count(*) AS 报告数 FROM report_summary
        WHERE report_id IN ({_selected_sql(p)})
        GROUP BY 地区, fiscal_year, 类型 ORDER BY 地区, fiscal_year, 类型"""
    ),
    "execution_by_report": lambda p: (
        f"""
        SELECT region_label, fiscal_year, department, coalesce(project_name, department) AS 评价对象,
               budget_initial, budget_full_year, actual, execution_rate, execution_rate_initial,
               execution_rate_reported, abs(execution_rate - 100) AS 偏离, report_id
        FROM report_summary
        WHERE report_id IN ({_selected_sql(p)}) AND budget_full_year IS NOT NULL AND actual IS NOT NULL
        ORDER BY fiscal_year, region_label, department"""
    ),
    "execution_projects": lambda p: (
        f"""
        WITH reasons AS (
            SELECT evaluation_id, group_concat(DISTINCT shortfall_reason) AS reason
            FROM indicators WHERE shortfall_reason IS NOT NULL GROUP BY evaluation_id)
        SELECT e.region_label, e.fiscal_year, e.department,
               CASE e.scope WHEN 'project' THEN '项目' ELSE '子项目' END AS 层级, e.name, e.budget_full_year,
               e.actual, e.execution_rate, e.shortfall, e.total_score, r.reason, e.report_id
        FROM evaluation_detail AS e LEFT JOIN reasons AS r USING (evaluation_id)
        WHERE e.report_id IN ({_selected_sql(p)}) AND e.scope IN ('project', 'subproject')
          AND e.budget_full_year IS NOT NULL
        ORDER BY e.shortfall IS NULL, e.shortfall DESC, e.name"""
    ),
    "filter_options": lambda p: (
        """
        SELECT DISTINCT province, prefecture, department, fiscal_year, doc_type FROM reports
        ORDER BY province IS NULL, province, prefecture IS NULL, prefecture, department IS NULL, department,
                 fiscal_year, doc_type"""
    ),
    "findings_summary": lambda p: (
        f"""
        SELECT report_id, count(*) FILTER (WHERE severity = 'error') AS errors,
               count(*) FILTER (WHERE severity = 'warning') AS warnings,
               count(*) FILTER (WHERE severity = 'info') AS infos
        FROM quality_flags WHERE report_id IN ({_selected_sql(p)}) {_report_ids_sql(p)} GROUP BY report_id"""
    ),
    "function_code_compare": lambda p: (
        f"""
        SELECT s.region_label, s.fiscal_year, s.department,
               CASE f.basis WHEN 'budget' THEN '预算' ELSE '决算' END AS 口径, f.code, f.name, f.total, f.basic,
               f.project, f.budget_initial, f.source_file, f.source_line
        FROM function_spending AS f JOIN report_summary AS s USING (report_id)
        WHERE f.code = :code AND f.report_id IN ({_selected_sql(p)})
        ORDER BY s.fiscal_year, s.region_label, s.department"""
    ),
    "function_codes_present": lambda p: (
        f"""
        WITH x AS (
            SELECT code, name, level, report_id FROM function_spending
            WHERE report_id IN ({_selected_sql(p)}) AND level IN ('类', '款', '项')),
        named AS (
            SELECT code, name, row_number() OVER (PARTITION BY code ORDER BY length(name) DESC) AS rn FROM x)
        SELECT x.code, n.name, min(x.level) AS level, count(DISTINCT x.report_id) AS reports
        FROM x JOIN named AS n ON n.code = x.code AND n.rn = 1
        GROUP BY x.code, n.name ORDER BY x.code"""
    ),
    "function_tree": lambda p: (
        f"""
        WITH x AS (
            SELECT * FROM function_spending
            WHERE report_id IN ({_selected_sql(p)}) AND basis = coalesce(:basis, 'actual')
              AND level IN ('类', '款', '项')),
        named AS (
            SELECT code, name, row_number() OVER (PARTITION BY code ORDER BY length(name) DESC) AS rn FROM x)
        SELECT x.code, n.name, min(x.level), min(x.parent_code), sum(x.total), sum(x.basic), sum(x.project),
               sum(x.budget_initial), count(DISTINCT x.report_id)
        FROM x JOIN named AS n ON n.code = x.code AND n.rn = 1
        GROUP BY x.code, n.name ORDER BY x.code"""
    ),
    "indicator_losses": lambda p: (
        f"""
        SELECT e.region_label, e.fiscal_year, e.name, i.level1, i.level2, i.level3, i.target_text, i.actual_text,
               i.weight, i.score, i.weight - i.score AS 失分, i.shortfall_reason, i.source_file, i.source_line
        FROM indicators AS i JOIN evaluation_detail AS e USING (evaluation_id)
        WHERE i.report_id IN ({_selected_sql(p)}) AND i.score < i.weight
        ORDER BY 失分 DESC, e.region_label, i.level3"""
    ),
    "overview_kpis": lambda p: (
        f"""
        WITH selected AS (SELECT * FROM report_summary WHERE report_id IN ({_selected_sql(p)})),
        paired AS (SELECT * FROM selected WHERE budget_full_year IS NOT NULL AND actual IS NOT NULL)
        SELECT (SELECT count(*) FROM selected), (SELECT count(DISTINCT region_code) FROM selected),
               (SELECT min(fiscal_year) FROM selected), (SELECT max(fiscal_year) FROM selected),
               (SELECT count(DISTINCT fiscal_year) FROM selected), (SELECT sum(budget_full_year) FROM paired),
               (SELECT sum(actual) FROM paired),
               (SELECT sum(actual) / nullif(sum(budget_full_year), 0) * 100 FROM paired),
               (SELECT count(*) FROM paired), (SELECT avg(total_score) FROM selected),
               (SELECT count(total_score) FROM selected)"""
    ),
    "quality_flags": lambda p: (
        """
        SELECT CASE q.severity WHEN 'error' THEN '错误' WHEN 'warning' THEN '警告' ELSE '说明' END, r.department,
               r.fiscal_year, q.source_file, q.source_line, q.rule, q.message, q.report_id
        FROM quality_flags AS q LEFT JOIN reports AS r USING (report_id)
        WHERE (:severity IS NULL OR q.severity = :severity) AND (:report_id IS NULL OR q.report_id = :report_id)
        ORDER BY CASE q.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, q.source_file, q.source_line"""
    ),
    "reports": lambda p: (
        f"""
        WITH flag_counts AS (
            SELECT report_id, count(*) FILTER (WHERE severity = 'error') AS errors,
                   count(*) FILTER (WHERE severity = 'warning') AS warnings
            FROM quality_flags GROUP BY report_id)
        SELECT s.fiscal_year, s.province, s.prefecture, s.county, s.region_code, s.department, s.project_name,
               {DOC_CASE.replace("doc_type", "s.doc_type")} AS 类型, s.total_score, s.grade, s.published_on,
               length(s.source_files) - length(replace(s.source_files, '|', '')) + 1 AS 文件数,
               coalesce(f.errors, 0), coalesce(f.warnings, 0), s.report_id
        FROM reports AS s LEFT JOIN flag_counts AS f USING (report_id)
        WHERE s.report_id IN ({_selected_sql(p)})
        ORDER BY s.fiscal_year DESC, s.province, s.prefecture, s.department, s.project_name"""
    ),
    "score_vs_execution": lambda p: (
        f"""
        SELECT region_label, fiscal_year, department,
               CASE scope WHEN 'department' THEN '部门整体' WHEN 'project' THEN '项目' ELSE '子项目' END, name,
               total_score, grade, coalesce(execution_rate, execution_rate_reported), budget_full_year, actual,
               report_id
        FROM evaluation_detail
        WHERE report_id IN ({_selected_sql(p)}) AND total_score IS NOT NULL ORDER BY total_score"""
    ),
    "three_public_changes": lambda p: (
        f"""
        WITH totals AS (
            SELECT s.region_label, s.department, t.fiscal_year, min(t.actual) AS actual, max(t.derived) AS derived
            FROM three_public AS t JOIN report_summary AS s USING (report_id)
            WHERE t.report_id IN ({_selected_sql(p)}) AND t.item = 'total' AND t.basis = 'actual'
              AND t.actual IS NOT NULL
            GROUP BY s.region_label, s.department, t.fiscal_year)
        SELECT cur.region_label, cur.department, cur.fiscal_year, cur.actual, prev.actual,
               cur.actual - prev.actual AS delta, (cur.actual - prev.actual) / nullif(prev.actual, 0) * 100,
               prev.derived
        FROM totals AS cur JOIN totals AS prev
          ON prev.department = cur.department AND prev.fiscal_year = cur.fiscal_year - 1
        ORDER BY abs(delta) DESC"""
    ),
    "three_public_trend": lambda p: (
        f"""
        SELECT s.region_label, s.department, t.fiscal_year, t.item, t.basis, t.budget, t.actual, t.derived,
               t.source_file, t.source_line, t.report_id
        FROM three_public AS t JOIN report_summary AS s USING (report_id)
        WHERE t.report_id IN ({_selected_sql(p)})
        ORDER BY s.region_label, s.department, t.fiscal_year, t.item"""
    ),
    "warehouse_info": lambda p: (
        """
        SELECT (SELECT value FROM meta WHERE key = 'built_at'), (SELECT count(*) FROM reports),
               (SELECT count(*) FROM documents)"""
    ),
}


def run_sqlite(con: sqlite3.Connection, name: str, p: dict[str, Any], count: bool = False) -> pd.DataFrame:
    sql = SQLITE[name](p)
    if count:
        sql = f"SELECT count(*) AS n FROM ({sql})"
    elif p.get("limit") is not None:  # the page a paged query returns
        sql = f"SELECT * FROM ({sql}) LIMIT :limit OFFSET :offset"
    names = ("severity", "report_id", "code", "basis", "limit", "offset")
    cursor = con.execute(sql, {**dict.fromkeys(names), **p, "offset": p.get("offset") or 0})
    return pd.DataFrame(cursor.fetchall(), columns=[d[0] for d in cursor.description])


def run_pandas(frames: dict[str, pd.DataFrame], name: str, p: dict[str, Any], count: bool = False) -> pd.DataFrame:
    out = PANDAS[name](frames, p)
    if count:
        return pd.DataFrame({"n": [len(out)]})
    if p.get("limit") is None:
        return out
    offset = p.get("offset") or 0
    return out.iloc[offset : offset + p["limit"]]


def count_frame(query: Any, con: duckdb.DuckDBPyConnection, p: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame({"n": [query.count(con, **p)]})


# ------------------------------------------------------------------------------------------------
# Timing
# ------------------------------------------------------------------------------------------------


def measure(run: Callable[[], pd.DataFrame], repeats: int, cap: float) -> dict[str, Any]:
    """One warm-up, then up to `repeats` timed runs (at least 3, stopping after `cap` seconds)."""
    try:
        rows = len(run())
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"[:300]}
    times: list[float] = []
    cpu: list[float] = []
    started = time.perf_counter()
    while len(times) < repeats and (len(times) < 3 or time.perf_counter() - started < cap):
        t0, c0 = time.perf_counter(), time.process_time()
        run()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, max(0, math.ceil(0.95 * len(times)) - 1))]
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(p95, 2),
        "cpu_median_ms": round(statistics.median(cpu), 2),
        "runs": len(times),
        "rows": rows,
    }


def bench_size(
    n: int, db: Path, repeats: int, cap: float, names: list[str] | None = None, duckdb_only: bool = False
) -> dict[str, Any]:
    """Every named query (or those of `names`) × its variants on one warehouse; pandas and SQLite too
    unless `duckdb_only` (their set-up costs ≈ 30 s and 1.6 GB at 100k)."""
    every = {**load_queries(), **{name: get_query(name) for name in PAGE_INTERNAL}}
    queries = {k: q for k, q in sorted(every.items()) if not names or k in names}
    duck = connect_readonly(db)
    t = typical(duck)
    print(f"  {n:,} reports: typical filter {t}", flush=True)
    frames, load_seconds, frame_mb = ({}, 0.0, 0.0) if duckdb_only else load_pandas(db)
    lite_path = TMP / f"sqlite-{n}.db"
    export_seconds, lite_mb = (0.0, 0.0) if duckdb_only else export_sqlite(db, lite_path)
    lite_uri = ":memory:" if duckdb_only else f"file:{lite_path}?mode=ro"
    lite = sqlite3.connect(lite_uri, uri=True, check_same_thread=False)
    setup = {
        "warehouse_mb": round(db.stat().st_size / 1e6, 1),
        "rows": {
            table: duck.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("reports", "evaluations", "function_spending", "indicators", "three_public", "quality_flags")
        },
        "pandas_load_seconds": round(load_seconds, 2),
        "pandas_frames_mb": round(frame_mb, 1),
        "sqlite_export_seconds": round(export_seconds, 2),
        "sqlite_file_mb": round(lite_mb, 1),
        "typical_filter": t,
    }
    out: dict[str, Any] = {"setup": setup, "queries": {}}
    for name, query in queries.items():
        per_query: dict[str, Any] = {}
        cases = [(variant, params, False) for variant, params in variants(query.params, t).items()]
        if query.paged:  # the page also counts the rows it pages through ("显示前 N 条，共 M 条")
            cases += [(f"{variant} · count", params, True) for variant, params in variants(query.params, t).items()]
        for variant, params, count in cases:
            entry: dict[str, Any] = {"params": {k: v for k, v in params.items() if v is not None}}
            entry["duckdb"] = measure(
                (lambda q=query, p=params: count_frame(q, duck, p))
                if count
                else (lambda q=query, p=params: q.run(duck, **p)),
                repeats,
                cap,
            )
            entry["pandas"] = (
                measure(lambda nm=name, p=params, c=count: run_pandas(frames, nm, p, c), repeats, cap)
                if name in PANDAS and not duckdb_only
                else {"status": "not translated"}
            )
            entry["sqlite"] = (
                measure(lambda nm=name, p=params, c=count: run_sqlite(lite, nm, p, c), repeats, cap)
                if name in SQLITE and not duckdb_only
                else {"status": "not translated"}
            )
            base = entry["duckdb"].get("median_ms")
            for engine in ("pandas", "sqlite"):
                other = entry[engine].get("median_ms")
                if base and other is not None:
                    entry[f"{engine}_vs_duckdb"] = round(other / base, 2)
            rows = {e: entry[e].get("rows") for e in ("duckdb", "pandas", "sqlite") if "rows" in entry[e]}
            entry["rows_agree"] = len(set(rows.values())) <= 1
            per_query[variant] = entry
            print(
                f"    {name:24} {variant:8} duckdb {entry['duckdb'].get('p95_ms')} ms p95 · "
                f"pandas ×{entry.get('pandas_vs_duckdb')} · sqlite ×{entry.get('sqlite_vs_duckdb')} · rows {rows}",
                flush=True,
            )
        out["queries"][name] = per_query
    duck.close()
    lite.close()
    lite_path.unlink(missing_ok=True)
    return out


def target_verdict(sizes: dict[str, Any]) -> dict[str, Any]:
    entry = sizes.get(str(TARGET_SIZE))
    verdict: dict[str, Any] = {"goal": f"every page query under {TARGET_MS:.0f} ms p95 at {TARGET_SIZE:,} reports"}
    if entry is None:
        verdict["verdict"] = f"not measured ({TARGET_SIZE:,} skipped)"
        return verdict
    misses = []
    for name, per_query in entry["queries"].items():
        for variant, e in per_query.items():
            p95 = e["duckdb"].get("p95_ms")
            if p95 is None or p95 > TARGET_MS:
                misses.append(
                    {"query": name, "variant": variant, "p95_ms": p95, "factor": round((p95 or 0) / TARGET_MS, 2)}
                )
    total = sum(len(v) for v in entry["queries"].values())
    verdict["met"] = not misses
    verdict["checked"] = total
    verdict["misses"] = sorted(misses, key=lambda m: -(m["p95_ms"] or 0))
    verdict["verdict"] = (
        f"met: all {total} query variants under {TARGET_MS:.0f} ms p95"
        if not misses
        else f"missed: {len(misses)} of {total} query variants over {TARGET_MS:.0f} ms p95 "
        f"(worst {misses and max(m['p95_ms'] or 0 for m in misses):.0f} ms)"
    )
    return verdict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-100k", action="store_true", default=os.environ.get("BENCH_SKIP_100K") == "1")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--cap", type=float, default=2.0, help="seconds per engine, query and variant")
    parser.add_argument(
        "--reuse-stale",
        action="store_true",
        help="use the cached 1k/10k warehouses even if built by an earlier code version (marts recomputed)",
    )
    parser.add_argument(
        "--db",
        action="append",
        default=[],
        metavar="SIZE=PATH",
        help="measure this warehouse as SIZE reports instead of building or replicating (repeatable)",
    )
    parser.add_argument("--queries", nargs="+", metavar="NAME", help="only these named queries")
    parser.add_argument("--duckdb-only", action="store_true", help="skip the pandas and SQLite engines")
    parser.add_argument(
        "--result", default="synth_queries", help="results file name under bench/results (default synth_queries)"
    )
    args = parser.parse_args()
    if args.db:
        paths = {int(size): Path(path) for size, path in (item.split("=", 1) for item in args.db)}
        sizes, method = sorted(paths), {str(size): f"given: {path}" for size, path in paths.items()}
    else:
        sizes = [1000, 10_000] + ([] if args.skip_100k else [TARGET_SIZE])
        paths, method = warehouses(sizes, stale_ok=args.reuse_stale)
    results: dict[str, Any] = {
        "machine": machine(),
        "method": {
            "warehouses": method,
            "repeats": args.repeats,
            "cap_seconds": args.cap,
            "duckdb": "fiscallens.queries NamedQuery.run on connect_readonly (result as DataFrame)",
            "pandas": "tables loaded with SELECT * → DataFrame once; report_summary and evaluation_detail "
            "precomputed at load; each question in pandas",
            "sqlite": "tables and the two marts exported to SQLite with indexes; each question in SQLite SQL; "
            "fetchall → DataFrame",
        },
        "sizes": {},
    }
    for n in sizes:
        results["sizes"][str(n)] = bench_size(n, paths[n], args.repeats, args.cap, args.queries, args.duckdb_only)
        gc.collect()  # the previous size's DataFrames
    results["target"] = target_verdict(results["sizes"])
    print(f"  target: {results['target']['verdict']}")
    if args.result == "synth_queries":
        write_result(args.result, results)  # and the README's generated tables
    else:  # a partial run (a subset, given warehouses): its own file, the README's tables untouched
        out = Path(__file__).resolve().parent / "results" / f"{args.result}.json"
        out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"→ {out}")
    for stale in TMP.glob("sqlite-*.db"):
        stale.unlink()


if __name__ == "__main__":
    main()
