"""Command line: `python -m fiscallens build|check …`. Chinese for people, exit codes for scripts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from fiscallens import pipeline
from fiscallens.load import WarehouseError
from fiscallens.model import Finding
from fiscallens.settings import DEFAULT_DB_PATH, DEFAULT_REPORTS_DIR, db_path_from_env
from fiscallens.warehouse import connect_readonly

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "说明"}
TABLE_LABELS = {
    "evaluations": "评价对象",
    "execution_lines": "资金明细",
    "function_spending": "功能分类支出",
    "economic_spending": "经济分类支出",
    "three_public": "三公经费",
    "indicators": "绩效指标",
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m fiscallens", description="财政绩效透视 FiscalLens 命令行")
    sub = parser.add_subparsers(required=True, metavar="命令")

    build = sub.add_parser("build", help="读取报告文件，构建（或更新）数据仓库")
    build.add_argument("sources", nargs="*", type=Path, help=f"文件或文件夹（默认 {DEFAULT_REPORTS_DIR}）")
    build.add_argument(
        "--db", type=Path, default=None, help=f"仓库文件（默认 ${'{'}FISCALLENS_DB{'}'} 或 {DEFAULT_DB_PATH}）"
    )
    build.add_argument("--rebuild", action="store_true", help="从头重建，而不是在现有仓库上增量更新")
    build.add_argument("--quiet", action="store_true", help="不显示进度")
    build.set_defaults(handler=_cmd_build)

    check = sub.add_parser("check", help="列出仓库中的数据质量发现")
    check.add_argument("--db", type=Path, default=None)
    check.add_argument("--severity", choices=["error", "warning", "info"], help="只看某一严重程度")
    check.set_defaults(handler=_cmd_check)

    explain = sub.add_parser("explain", help="逐条列出一份报告抽取出的数字及其来源行，便于核对")
    explain.add_argument("report", help="报告标识（可只写前几位）或部门/项目名称中的一段")
    explain.add_argument("--db", type=Path, default=None)
    explain.set_defaults(handler=_cmd_explain)

    schema_doc = sub.add_parser("schema-doc", help="输出仓库表结构说明（Markdown，由 COMMENT 生成）")
    schema_doc.add_argument("--out", type=Path, default=None, help="写入文件（默认输出到屏幕）")
    schema_doc.set_defaults(handler=_cmd_schema_doc)
    return parser


def _db(args: argparse.Namespace) -> Path:
    return args.db or db_path_from_env()


def _cmd_build(args: argparse.Namespace) -> int:
    sources = args.sources or [DEFAULT_REPORTS_DIR]
    db_path = _db(args)
    show_progress = sys.stderr.isatty() and not args.quiet
    bar = None
    if show_progress:
        from tqdm import tqdm

        bar = tqdm(total=0, unit="份", file=sys.stderr, dynamic_ncols=True)

    def progress(index: int, total: int, path: Path) -> None:
        if bar is not None:
            bar.total = total
            bar.set_description_str(path.name[:40])
            bar.update(1)

    try:
        summary = pipeline.build(sources, db_path, rebuild=args.rebuild, progress=progress)
    except pipeline.NothingReadable as exc:
        _close(bar)
        print("没有读到任何文档，仓库保持不变。", file=sys.stderr)
        for f in exc.findings:
            print(f"  [{SEVERITY_LABELS[f.severity]}] {f.source_file or ''} {f.message}", file=sys.stderr)
        return 1
    except WarehouseError as exc:
        _close(bar)
        print(f"仓库写入失败：{exc}", file=sys.stderr)
        return 2
    _close(bar)
    print(format_summary(summary))
    return 0


def _close(bar: object) -> None:
    if bar is not None:
        bar.close()  # type: ignore[attr-defined]


def format_summary(summary: pipeline.BuildSummary) -> str:
    lines = [
        f"仓库：{summary.db_path}（用时 {summary.seconds:.2f} 秒）",
        f"文件：{summary.files_seen} 个；新读入 {summary.documents_read}，未变化 {summary.documents_unchanged}，"
        f"无法读取 {summary.documents_failed}",
        f"报告：{summary.reports} 份",
        "事实行：" + "，".join(f"{TABLE_LABELS[t]} {n}" for t, n in summary.facts.items()),
        "数据质量发现：" + "，".join(f"{SEVERITY_LABELS[s]} {summary.findings.get(s, 0)}" for s in SEVERITY_LABELS),
    ]
    if summary.findings.get("error"):
        lines.append("查看详情：python -m fiscallens check --severity error")
    return "\n".join(lines)


def _cmd_check(args: argparse.Namespace) -> int:
    """Run the audit rules now, and list them with the findings recorded while reading and extracting."""
    from fiscallens.check import check_warehouse

    db_path = _db(args)
    if not db_path.exists():
        print(f"仓库 {db_path} 不存在，请先运行 python -m fiscallens build。", file=sys.stderr)
        return 2
    try:
        con = connect_readonly(db_path)
        audit = check_warehouse(con)
        recorded = con.execute(
            """SELECT rule, severity, message, source_file, source_line, report_id, stage
               FROM quality_flags WHERE stage <> 'check'"""
        ).fetchall()
        labels = dict(
            con.execute(
                "SELECT report_id, concat_ws(' ', fiscal_year, department, project_name) FROM reports"
            ).fetchall()
        )
    except duckdb.Error as exc:
        print(f"无法读取仓库 {db_path}：{exc}", file=sys.stderr)
        return 2
    findings = [*audit, *(Finding(*row) for row in recorded)]
    if args.severity:
        findings = [f for f in findings if f.severity == args.severity]
    order = {"error": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: (order[f.severity], f.source_file or "", f.source_line or 0, f.rule))
    for f in findings:
        where = f"{f.source_file}:{f.source_line}" if f.source_line else (f.source_file or "")
        report = labels.get(f.report_id, "（未识别为报告）") if f.report_id else "（未识别为报告）"
        print(f"[{SEVERITY_LABELS[f.severity]}] {report} · {where} ({f.rule}) {f.message}")
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITY_LABELS}
    print("共 " + "，".join(f"{SEVERITY_LABELS[s]} {n} 条" for s, n in counts.items()) + "。")
    return 0


def _cmd_explain(args: argparse.Namespace) -> int:
    from fiscallens.explain import explain, find_report

    db_path = _db(args)
    if not db_path.exists():
        print(f"仓库 {db_path} 不存在，请先运行 python -m fiscallens build。", file=sys.stderr)
        return 2
    try:
        con = connect_readonly(db_path)
        matches = find_report(con, args.report)
        if len(matches) != 1:
            print(f"“{args.report}”匹配到 {len(matches)} 份报告，请写得更具体：", file=sys.stderr)
            for report_id, label in matches[:20]:
                print(f"  {report_id}  {label}", file=sys.stderr)
            return 1
        sys.stdout.write(explain(con, matches[0][0]))
    except duckdb.Error as exc:
        print(f"无法读取仓库 {db_path}：{exc}", file=sys.stderr)
        return 2
    return 0


def _cmd_schema_doc(args: argparse.Namespace) -> int:
    from fiscallens.schema_doc import render

    text = render()
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
