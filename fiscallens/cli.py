"""Command line: `python -m fiscallens build|check …`. Chinese for people, exit codes for scripts."""

from __future__ import annotations

import argparse
import codecs
import functools
import json
import math
import os
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import duckdb
import pandas as pd

from fiscallens import pipeline, settings
from fiscallens.downloads import flat_frame, json_value, unique_columns
from fiscallens.load import BUILD_LOCK_WAIT_SECONDS, WarehouseBusy, WarehouseError
from fiscallens.model import Finding
from fiscallens.settings import DEFAULT_DB_PATH, DEFAULT_REPORTS_DIR, db_path_from_env
from fiscallens.warehouse import connect_readonly

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "说明"}
OUTCOME_LABELS = {"pass": "通过", "fail": "不通过", "not_applicable": "不适用", "insufficient_data": "数据不足未能运行"}
TABLE_LABELS = {
    "evaluations": "评价对象",
    "execution_lines": "资金明细",
    "function_spending": "功能分类支出",
    "economic_spending": "经济分类支出",
    "three_public": "三公经费",
    "indicators": "绩效指标",
    "totals": "总表数字",
}


def main(argv: Sequence[str] | None = None) -> int:
    if settings.SETTINGS_ERRORS:  # a bad environment variable: say which, never run with a guess
        for message in settings.SETTINGS_ERRORS:
            print(message, file=sys.stderr)
        return 2
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130


# Most rows `sql --limit` may ask for; the byte bound (settings.WORKBENCH_EXPORT_BYTES) applies as well.
MAX_CLI_ROWS = 10_000_000


def _count(low: int, high: int, what: str) -> Any:
    """An argparse type: a whole number in [low, high], with a Chinese message otherwise."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what}应为 {low:,} 到 {high:,} 之间的整数，而不是 {text!r}")
        return value

    return parse


def _seconds(text: str) -> float:
    """An argparse type: a time limit in seconds, finite and positive."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 < value <= settings.MAX_QUERY_TIMEOUT_SECONDS:
        raise argparse.ArgumentTypeError(
            f"时间限制应为大于 0、至多 {settings.MAX_QUERY_TIMEOUT_SECONDS:g} 的秒数，而不是 {text!r}"
        )
    return value


class _Parser(argparse.ArgumentParser):
    """argparse with its error line in Chinese (usage, then the problem, exit code 2)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：参数有误：{message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m fiscallens", description="财政绩效透视 FiscalLens 命令行")
    sub = parser.add_subparsers(required=True, metavar="命令", parser_class=_Parser)

    build = sub.add_parser("build", help="读取报告文件，构建（或更新）数据仓库")
    build.add_argument("sources", nargs="*", type=Path, help=f"文件或文件夹（默认 {DEFAULT_REPORTS_DIR}）")
    build.add_argument(
        "--db", type=Path, default=None, help=f"仓库文件（默认 ${'{'}FISCALLENS_DB{'}'} 或 {DEFAULT_DB_PATH}）"
    )
    build.add_argument("--rebuild", action="store_true", help="从头重建，而不是在现有仓库上增量更新")
    build.add_argument("--quiet", action="store_true", help="不显示进度")
    build.add_argument(
        "--jobs",
        type=_count(0, 1024, "并行进程数"),
        default=1,
        help="并行进程数：读取与抽取分给多个进程（0 = 全部 CPU 核；默认 1）",
    )
    build.add_argument(
        "--wait",
        type=str,
        default=None,
        metavar="秒",
        help=f"另一个构建正在写同一仓库时最多等待的秒数，超时则不构建（默认 {BUILD_LOCK_WAIT_SECONDS:g}）",
    )
    build.set_defaults(handler=_cmd_build)

    check = sub.add_parser("check", help="列出仓库中的数据质量发现")
    check.add_argument("--db", type=Path, default=None)
    check.add_argument("--severity", choices=["error", "warning", "info"], help="只看某一严重程度")
    check.set_defaults(handler=_cmd_check)

    explain = sub.add_parser("explain", help="逐条列出一份报告抽取出的数字及其来源行，便于核对")
    explain.add_argument("report", help="报告标识（可只写前几位）或部门/项目名称中的一段")
    explain.add_argument("--db", type=Path, default=None)
    explain.set_defaults(handler=_cmd_explain)

    sql = sub.add_parser("sql", help="在只读仓库上运行一条 SQL 查询（与网页“自助查询”相同的限制）")
    sql.add_argument("query", help="一条 SQL 查询语句；写 - 则从标准输入读取")
    sql.add_argument("--db", type=Path, default=None)
    sql.add_argument("--format", choices=["table", "csv", "json"], default="table", help="输出格式（默认 table）")
    sql.add_argument(
        "--timeout", type=_seconds, default=None, help="时间限制，秒（默认 $FISCALLENS_QUERY_TIMEOUT 或 5）"
    )
    sql.add_argument("--param", action="append", default=[], metavar="名称=值", help="$参数的值，可重复；值为空 = NULL")
    sql.add_argument(
        "--limit", type=_count(1, MAX_CLI_ROWS, "输出行数"), default=None, help="最多输出的行数（默认 100000）"
    )
    sql.set_defaults(handler=_cmd_sql)

    brief = sub.add_parser("brief", help="为一个地区、一个年度生成一页简报（PDF/PNG/SVG/PPTX）")
    brief.add_argument("--region", required=True, help="省或地级行政区，如 贵阳市、黔南州")
    brief.add_argument("--year", required=True, type=_count(1949, 2100, "资金年度"), help="资金年度，如 2023")
    brief.add_argument("--out", required=True, type=Path, help="输出文件：.pdf / .png / .svg / .pptx")
    brief.add_argument("--db", type=Path, default=None)
    brief.set_defaults(handler=_cmd_brief)

    schema_doc = sub.add_parser("schema-doc", help="输出仓库表结构说明（Markdown，由 COMMENT 生成）")
    schema_doc.add_argument("--out", type=Path, default=None, help="写入文件（默认输出到屏幕）")
    schema_doc.set_defaults(handler=_cmd_schema_doc)

    synth = sub.add_parser("synth", help="生成合成报告语料与标准答案（测准确率与性能用，不进入 data/ 下的正式仓库）")
    _synth().add_arguments(synth)
    synth.set_defaults(handler=lambda args: _synth().run_cli(args))

    export = sub.add_parser("export", help="把各表导出为 Parquet（按省、年度分区，Hive 目录），供 Spark/Trino 使用")
    export.add_argument("--format", choices=["parquet"], default="parquet", help="导出格式（目前只有 parquet）")
    export.add_argument("--out", required=True, type=Path, help="输出文件夹（须不存在或为空）")
    export.add_argument("--force", action="store_true", help="替换该文件夹中的上一次导出")
    export.add_argument("--db", type=Path, default=None)
    export.set_defaults(handler=_cmd_export)
    return parser


def _db(args: argparse.Namespace) -> Path:
    return args.db or db_path_from_env()


def _cmd_build(args: argparse.Namespace) -> int:
    sources = args.sources or [DEFAULT_REPORTS_DIR]
    db_path = _db(args)
    lock_wait = BUILD_LOCK_WAIT_SECONDS
    if args.wait is not None:
        try:
            lock_wait = float(args.wait)
        except ValueError:
            lock_wait = -1.0
        if not 0 <= lock_wait < float("inf"):
            print(f"--wait 须为不小于 0 的秒数，收到：{args.wait}", file=sys.stderr)
            return 2
    if args.jobs < 0:
        print(f"--jobs 须为不小于 0 的整数（0 = 全部 CPU 核），收到：{args.jobs}", file=sys.stderr)
        return 2
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
        summary = pipeline.build(
            sources,
            db_path,
            rebuild=args.rebuild,
            progress=progress,
            jobs=args.jobs,
            notify=lambda message: print(message, file=sys.stderr),
            lock_wait=lock_wait,
        )
    except pipeline.SourcesMissing as exc:
        _close(bar)
        print(f"找不到输入路径：{'、'.join(exc.paths)}。本次构建未运行，仓库保持不变。", file=sys.stderr)
        return 2
    except pipeline.NothingReadable as exc:
        _close(bar)
        print("没有读到任何文档，仓库保持不变。", file=sys.stderr)
        for f in exc.findings:
            print(f"  [{SEVERITY_LABELS[f.severity]}] {f.source_file or ''} {f.message}", file=sys.stderr)
        return 1
    except WarehouseBusy as exc:
        _close(bar)
        print(str(exc), file=sys.stderr)
        return 3
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
        f"无法读取 {summary.documents_failed}"
        + (f"；移除 {summary.removed_files} 个已删除文件的数据" if summary.removed_files else ""),
        f"报告：{summary.reports} 份",
        "事实行：" + "，".join(f"{TABLE_LABELS[t]} {n}" for t, n in summary.facts.items()),
        "数据质量发现：" + "，".join(f"{SEVERITY_LABELS[s]} {summary.findings.get(s, 0)}" for s in SEVERITY_LABELS),
    ]
    if any(f.structured for f in summary.files):
        lines.extend(format_file_table(summary.files))
    if summary.findings.get("error"):
        lines.append("查看详情：python -m fiscallens check --severity error")
    return "\n".join(lines)


FILE_NAME_WIDTH = 48


def format_file_table(files: list[pipeline.FileStats]) -> list[str]:
    """Per file read in this build: pages, tables found, facts loaded, findings (errors/warnings/notes)."""
    header = ("文件", "页数", "表格", "事实行", "发现（错/警/说明）")
    rows = [
        (
            Path(f.source_file).name,
            "—" if f.pages is None else str(f.pages),
            "—" if f.tables is None else str(f.tables),
            str(f.facts) if f.read else "未读取",
            "/".join(str(f.findings.get(s, 0)) for s in SEVERITY_LABELS),
        )
        for f in files
    ]
    name_width = min(FILE_NAME_WIDTH, max(_width(r[0]) for r in [header, *rows]))
    widths = [name_width, *(max(_width(r[i]) for r in [header, *rows]) for i in range(1, len(header)))]
    out = ["各文件："]
    for row in [header, *rows]:
        name = _clip(row[0], name_width)
        cells = [_pad(name, widths[0]), *(_pad(c, w, right=True) for c, w in zip(row[1:], widths[1:], strict=True))]
        out.append("  " + "  ".join(cells).rstrip())
    return out


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    while _width(text) > width - 1:
        text = text[:-1]
    return text + "…"


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(0, width - _width(text))
    return space + text if right else text + space


def _existing_db(args: argparse.Namespace) -> Path | None:
    """The warehouse a reading command uses, or None (after saying so) when it has not been built."""
    db_path = _db(args)
    if db_path.exists():
        return db_path
    print(f"仓库 {db_path} 不存在，请先运行 python -m fiscallens build。", file=sys.stderr)
    return None


def _unreadable(db_path: Path, exc: Exception) -> int:
    print(f"无法读取仓库 {db_path}：{exc}", file=sys.stderr)
    return 2


Command = Callable[[argparse.Namespace], int]


def _reading(command: Callable[[argparse.Namespace, duckdb.DuckDBPyConnection], int]) -> Command:
    """A command on the built warehouse, read-only: exit code 2 with a message when it is missing or unreadable."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        db_path = _existing_db(args)
        if db_path is None:
            return 2
        try:
            return command(args, connect_readonly(db_path))
        except duckdb.Error as exc:
            return _unreadable(db_path, exc)

    return run


@_reading
def _cmd_check(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    """Run the audit rules now, and list them with the findings recorded while reading and extracting."""
    from fiscallens.check import check_warehouse_with_results

    audit, results = check_warehouse_with_results(con)
    extracted = con.execute("SELECT rule, outcome FROM audit_results WHERE stage = 'extract'").fetchall()
    results += [{"rule": rule, "outcome": outcome} for rule, outcome in extracted]
    recorded = con.execute(
        """SELECT rule, severity, message, source_file, source_line, report_id, stage
           FROM quality_flags WHERE stage <> 'check'"""
    ).fetchall()
    labels = dict(
        con.execute("SELECT report_id, concat_ws(' ', fiscal_year, department, project_name) FROM reports").fetchall()
    )
    findings = [*audit, *(Finding(*row) for row in recorded)]
    if args.severity:
        findings = [f for f in findings if f.severity == args.severity]
    order = {"error": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: (order[f.severity], f.source_file or "", f.source_line or 0, f.rule))
    for f in findings:
        where = f"{f.source_file}:{f.source_line}" if f.source_line else (f.source_file or "")
        report = labels.get(f.report_id, "（未识别为报告）") if f.report_id else "（未识别为报告）"
        print(f"[{SEVERITY_LABELS[f.severity]}] {report} · {where} ({f.rule}) {f.message}")
    print("规则结果（报告数）：")
    for rule in sorted({str(r["rule"]) for r in results}):
        tally = Counter(str(r["outcome"]) for r in results if r["rule"] == rule)
        print(f"  {rule}：" + "，".join(f"{OUTCOME_LABELS[o]} {tally[o]}" for o in OUTCOME_LABELS if tally[o]))
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITY_LABELS}
    print("共 " + "，".join(f"{SEVERITY_LABELS[s]} {n} 条" for s, n in counts.items()) + "。")
    return 0


@_reading
def _cmd_explain(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    from fiscallens.explain import explain, find_report

    matches = find_report(con, args.report)
    if len(matches) != 1:
        print(f"“{args.report}”匹配到 {len(matches)} 份报告，请写得更具体：", file=sys.stderr)
        for report_id, label in matches[:20]:
            print(f"  {report_id}  {label}", file=sys.stderr)
        return 1
    sys.stdout.write(explain(con, matches[0][0]))
    return 0


def _synth():  # fiscallens.synth; its region index loads only when a corpus is generated
    from fiscallens import synth

    return synth


def _cmd_schema_doc(args: argparse.Namespace) -> int:
    from fiscallens.schema_doc import render

    text = render()
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _cmd_sql(args: argparse.Namespace) -> int:
    """One read-only query under the workbench's guard rails; the result on stdout, messages on stderr."""
    from fiscallens import workbench
    from fiscallens.settings import QUERY_TIMEOUT_SECONDS, WORKBENCH_EXPORT_ROWS
    from fiscallens.warehouse import QueryTimeout

    db_path = _existing_db(args)
    if db_path is None:
        return 2
    params = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            print(f"参数应写成 名称=值：{item}", file=sys.stderr)
            return 2
        params[name.strip().lstrip("$")] = value
    if args.query == "-":
        query = decode_sql(sys.stdin.buffer.read())
        if query is None:
            print("标准输入中的 SQL 无法识别编码：请保存为 UTF-8（或带 BOM 的 UTF-16）后重试。", file=sys.stderr)
            return 2
    else:
        query = args.query
    try:
        result = workbench.run_analyst_sql(
            connect_readonly(db_path),
            query,
            params,
            timeout=args.timeout or QUERY_TIMEOUT_SECONDS,
            limit=args.limit or WORKBENCH_EXPORT_ROWS,
            max_bytes=settings.WORKBENCH_EXPORT_BYTES,
        )
    except (workbench.WorkbenchError, QueryTimeout) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except duckdb.Error as exc:
        return _unreadable(db_path, exc)
    render = {"csv": frame_to_csv, "json": frame_to_json}.get(args.format, format_table)
    text = render(result.frame)
    try:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # `… | head`: the reader has what it wanted
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silences the flush at exit
        return 0
    print(f"（{result.summary()}）", file=sys.stderr)
    if result.over_bytes:
        print(
            f"结果超过 {settings.WORKBENCH_EXPORT_BYTES // 1024 // 1024:,} MB 的大小上限，"
            f"只输出了前 {result.row_count:,} 行；请少取列或加条件缩小范围。",
            file=sys.stderr,
        )
    elif result.truncated:
        print(f"结果超过 {result.limit:,} 行，只输出了前 {result.limit:,} 行；可用 --limit 调整。", file=sys.stderr)
    return 0


# --- output of `sql` ----------------------------------------------------------------------


def format_table(frame: pd.DataFrame) -> str:
    """The frame as an aligned text table (Chinese characters count double width)."""
    if frame.columns.empty:
        return "（无列）"
    with pd.option_context(
        "display.unicode.east_asian_width",
        True,
        "display.max_rows",
        None,
        "display.max_columns",
        None,
        "display.width",
        None,
        "display.max_colwidth",
        80,
    ):
        return flat_frame(frame).to_string(index=False)


def frame_to_csv(frame: pd.DataFrame) -> str:
    """CSV for a terminal or a pipe: no BOM; nested values as JSON text, blobs as hex."""
    return flat_frame(frame).to_csv(index=False)


def frame_to_json(frame: pd.DataFrame) -> str:
    """Rows as a JSON array of objects; dates in ISO 8601, blobs as hex, Chinese unescaped."""
    frame = unique_columns(frame)
    rows = [
        {name: json_value(value) for name, value in zip(frame.columns, row, strict=True)}
        for row in frame.itertuples(index=False)
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2)


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_sql(data: bytes) -> str | None:
    """SQL bytes from a pipe or file: UTF-8, or UTF-8/UTF-16 with a byte-order mark; None for anything else."""
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def _cmd_brief(args: argparse.Namespace) -> int:
    from fiscallens.brief import BriefingError, collect, write_brief

    db_path = _existing_db(args)
    if db_path is None:
        return 2
    try:
        data = collect(connect_readonly(db_path), args.region, args.year)
        print(f"正在生成 {data.title} …", file=sys.stderr)
        out = write_brief(data, args.out)
    except BriefingError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except (duckdb.Error, OSError) as exc:
        print(f"生成简报失败：{exc}", file=sys.stderr)
        return 2
    except RuntimeError as exc:  # kaleido could not start Chromium
        print(f"生成图片需要 Chromium 与中文字体（apt-get install chromium fonts-noto-cjk）：{exc}", file=sys.stderr)
        return 2
    print(f"简报已写入 {out}（{len(data.reports)} 份报告，{len(data.findings)} 条数据质量警告）")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    """Every table as Parquet under --out, partitioned by province and fiscal_year (fiscallens/export.py)."""
    from fiscallens.export import ExportError, export_parquet

    try:
        summary = export_parquet(_db(args), args.out, force=args.force)
    except ExportError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    rows = sum(t.rows for t in summary.tables)
    print(f"已导出 {len(summary.tables)} 个表、{rows:,} 行到 {summary.out_dir}（用时 {summary.seconds:.2f} 秒）")
    for t in summary.tables:
        layout = "按 " + " / ".join(t.partition_by) + " 分区" if t.partition_by else "不分区"
        added = f"，导出时加入 {', '.join(t.added_columns)}" if t.added_columns else ""
        print(f"  {t.name:<18} {t.rows:>8,} 行  {layout}{added}")
    print("表结构与建表语句：manifest.json、_schema.sql（Spark）、_schema.trino.sql（Trino）")
    return 0
