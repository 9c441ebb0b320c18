"""The ``synth`` subcommand: python -m fiscallens synth --reports N --out DIR."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fiscallens.synth.corpus import GROUND_TRUTH_FILE, REPORTS_SUBDIR, WAREHOUSE_FILE, generate


def add_arguments(parser: Any) -> None:
    """The options of the `synth` subcommand."""
    parser.add_argument("--reports", type=int, required=True, help="报告份数")
    parser.add_argument(
        "--out", type=Path, required=True, help="输出文件夹（文本写入 DIR/reports/，标准答案写入 DIR/）"
    )
    parser.add_argument("--seed", type=int, default=0, help="随机种子（相同参数与种子生成完全相同的文件）")
    parser.add_argument("--inconsistent", type=float, default=0.1, help="故意植入不一致的报告比例（默认 0.1）")
    parser.add_argument("--no-truth", action="store_true", help="不写标准答案（只测吞吐量时用）")
    parser.add_argument("--build", action="store_true", help=f"生成后构建独立的合成仓库 DIR/{WAREHOUSE_FILE}")


def run_cli(args: Any) -> int:
    """`synth` subcommand: write the corpus (never into data/), optionally build its own warehouse."""
    import sys

    from fiscallens.settings import DEFAULT_DB_PATH, DEFAULT_REPORTS_DIR, PROJECT_ROOT

    out = Path(args.out).resolve()
    protected = {(PROJECT_ROOT / DEFAULT_REPORTS_DIR).resolve(), DEFAULT_REPORTS_DIR.resolve()}
    protected |= {(PROJECT_ROOT / DEFAULT_DB_PATH).resolve().parent, DEFAULT_DB_PATH.resolve().parent}
    if any(out == p or p in out.parents for p in protected):
        print(
            f"合成数据不得写入 {args.out}（真实报告与正式仓库所在的 data/ 文件夹）；请另选输出文件夹。", file=sys.stderr
        )
        return 2
    if args.reports < 1 or not 0 <= args.inconsistent <= 1:
        print("--reports 须为正整数，--inconsistent 须在 0 到 1 之间。", file=sys.stderr)
        return 2
    reports_dir = out / REPORTS_SUBDIR
    if reports_dir.is_dir() and any(reports_dir.iterdir()):
        print(f"{reports_dir} 已有文件；请换一个空文件夹，以免新旧语料混在一起。", file=sys.stderr)
        return 2
    summary = generate(args.reports, out, seed=args.seed, inconsistent=args.inconsistent, truth=not args.no_truth)
    kinds = "，".join(f"{t} {n}" for t, n in sorted(summary.by_type.items()))
    print(
        f"合成语料：{reports_dir}（{summary.reports} 份报告，{summary.files} 个文件，"
        f"{summary.bytes / 1e6:.1f} MB；{kinds}）"
    )
    if not args.no_truth:
        print(f"标准答案：{out / GROUND_TRUTH_FILE}（{summary.facts} 个数值，{summary.planted} 处故意不一致）")
    db = out / WAREHOUSE_FILE
    if not args.build:
        print(f"构建合成仓库：python -m fiscallens build {reports_dir} --db {db} --rebuild")
        return 0
    from fiscallens import pipeline

    built = pipeline.build([reports_dir], db, rebuild=True)
    print(f"合成仓库：{db}（{built.reports} 份报告，用时 {built.seconds:.1f} 秒）")
    return 0
