"""Stage 5, load: write documents, facts and findings into DuckDB, atomically.

A build never writes into the live warehouse. It copies the current file (or
starts an empty one) beside it, works on the copy and renames it into place, so
a dashboard reading the old file never sees a half-built warehouse and a crash
leaves the old one intact.

One build at a time: a build holds `<warehouse>.lock` (with its PID) from the copy to the rename,
and a second build waits for it (at most `BUILD_LOCK_WAIT_SECONDS`) or refuses. Under the lock,
what a killed build or writer left beside the warehouse is settled first: temporary copies of dead
builds are removed, a stale `.wal` is replayed into the warehouse (or moved aside), and a warehouse
that another program holds open for writing is never replaced under it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from types import TracebackType

import duckdb
import pyarrow as pa

from fiscallens import marts, peers
from fiscallens.labels import REFERENCE_TABLES
from fiscallens.model import FACT_TABLES, Classification, Document, Facts, Finding
from fiscallens.regions import DEFAULT_PATH as REGIONS_CSV
from fiscallens.sqlfiles import package_statements

# Bump when the schema changes: an old warehouse is then rebuilt, not patched.
SCHEMA_VERSION = "4"  # 3: reports.scope/version, totals, audit_results; 4: reference tables of labels
# Bump when extraction changes what a document yields: unchanged files are re-read.
# 2: PDF/Word/Excel readers, budgets, 机关运行经费; 3: "N、YYYY 年" headings; 4: scope in report identity, totals
PIPELINE_VERSION = "4"

# Rows queued before one bulk load: a statement costs milliseconds whatever its size, so documents,
# facts and findings are loaded in batches (a 10k-report build produces about 400k fact rows).
_BUFFER_ROWS = 50_000
_FLAG_COLUMNS = ("report_id", "source_file", "source_line", "stage", "rule", "severity", "message")


# How long a build waits for another build of the same warehouse before it refuses.
BUILD_LOCK_WAIT_SECONDS = 600.0
_LOCK_POLL_SECONDS = 0.2
# DuckDB's error when another process holds the database file (it names the PID).
_DUCKDB_LOCK_ERROR = "Could not set lock on file"
_DUCKDB_LOCK_PID = re.compile(r"\(PID (\d+)\)")
_BUILDING_PID = re.compile(r"\.building-(\d+)(?:\.wal)?$")

Notify = Callable[[str], None]


@dataclass
class WarehouseCounts:
    """The build summary's numbers, as the writer counts them (WarehouseWriter.counts)."""

    reports: int
    facts: dict[str, int] = field(default_factory=dict)  # fact table → rows
    findings: Counter[str] = field(default_factory=Counter)  # severity → findings
    facts_by_file: Counter[str] = field(default_factory=Counter)  # source file → fact rows
    findings_by_file: dict[str, Counter[str]] = field(default_factory=dict)  # source file → severity → findings


class WarehouseError(Exception):
    """The warehouse cannot be written (disk, permissions, a locked file)."""


class WarehouseBusy(WarehouseError):
    """Another build, or another program writing the warehouse file, holds it: nothing was changed."""


def schema_sql() -> str:
    """The tables (schema.sql) and the views and macros over them (marts.sql)."""
    package = resources.files("fiscallens")
    return "\n".join(package.joinpath(name).read_text(encoding="utf-8") for name in ("schema.sql", "marts.sql"))


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(schema_sql())
    # Bulk-load the same CSV the resolver reads (row-by-row inserts take seconds).
    con.execute(
        """INSERT INTO regions
           SELECT adcode, name,
                  CASE WHEN coalesce(short_names, '') = '' THEN []::VARCHAR[] ELSE string_split(short_names, '|') END,
                  level, nullif(parent_code, '')
           FROM read_csv(?, all_varchar = true, header = true)""",
        [str(REGIONS_CSV)],
    )
    for table, path in REFERENCE_TABLES.items():
        # Table names come from fiscallens.labels, never from input.
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT * FROM read_csv(?, all_varchar = true, header = true)", [str(path)]
        )
    con.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [("schema_version", SCHEMA_VERSION), ("pipeline_version", PIPELINE_VERSION)],
    )


def _meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    try:
        rows = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
    except duckdb.Error:
        return None
    return rows[0][0] if rows else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


class BuildLock:
    """`<warehouse>.lock`: one build of a warehouse at a time.

    The exclusion is an flock on the file, which the kernel drops when its holder dies however it
    dies; the PID written into it names the holder in messages, and a file left by a killed build
    is simply taken over."""

    def __init__(self, db_path: Path, wait: float, notify: Notify) -> None:
        self.db_path = db_path
        self.path = db_path.with_name(db_path.name + ".lock")
        self.wait = wait
        self.notify = notify
        self.fd: int | None = None

    def acquire(self) -> None:
        deadline = time.monotonic() + self.wait
        announced = False
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _pid_in(fd)
                os.close(fd)
                who = f"进程 {holder}" if holder else "另一进程"
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"另一个构建（{who}）正在写入仓库 {self.db_path}，已等待 {self.wait:g} 秒仍未结束；"
                        "本次构建未运行，仓库未改动。请等它结束后再构建。"
                    ) from None
                if not announced:
                    self.notify(f"另一个构建（{who}）正在写入仓库 {self.db_path}，等待它结束（最多 {self.wait:g} 秒）…")
                    announced = True
                time.sleep(_LOCK_POLL_SECONDS)
                continue
            # The last holder unlinks the file when it is done: a lock on an unlinked file excludes nobody.
            try:
                current = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                current = False
            if not current:
                os.close(fd)
                continue
            previous = _pid_in(fd)
            if previous and previous != os.getpid():
                self.notify(
                    f"上次构建（进程 {previous}）未正常结束，留下了锁文件 {self.path.name}；"
                    "该进程已不在运行，本次构建接管。"
                )
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            self.fd = fd
            return

    def release(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self.fd)  # closing drops the flock
        self.fd = None


def _pid_in(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


# Columns of `documents` that copy a document's Classification (NULL for a document not classified).
_CLASSIFIED = (
    "doc_type",
    "title",
    "title_line",
    "fiscal_year",
    "region_code",
    "province",
    "prefecture",
    "county",
    "department",
    "project_name",
    "scope",
    "published_on",
)


class WarehouseWriter:
    """Context manager around one build: `with WarehouseWriter(path) as w: …` commits on success."""

    def __init__(
        self,
        db_path: Path,
        rebuild: bool = False,
        notify: Notify | None = None,
        lock_wait: float = BUILD_LOCK_WAIT_SECONDS,
    ) -> None:
        self.db_path = db_path
        self.rebuild = rebuild
        self.tmp_path = db_path.with_name(f".{db_path.name}.building-{os.getpid()}")
        self.wal_path = db_path.with_name(db_path.name + ".wal")
        self.notices: list[str] = []  # what was found and done beside the warehouse (also sent to `notify`)
        self._notify = notify
        self._lock = BuildLock(db_path, lock_wait, self.notice)
        self.con: duckdb.DuckDBPyConnection | None = None
        self.carried_over: list[str] = []  # source files of an outdated warehouse to re-read
        # Rows waiting for one bulk load per table (in the order they were added); `db` loads them first.
        self._pending: dict[str, list[dict[str, object]]] = {}
        self._pending_rows = 0
        # A fresh warehouse has nothing to forget or compare with but what this build added, which is
        # tracked here: it saves several statements per document (a third of a 10k-report build).
        self.fresh = False
        self._seen: dict[str, str] = {}  # sha256 → first source file added in this build
        self._sources_by_report: dict[str, list[tuple[str, str]]] = {}  # report → (file name, source file)

    def __enter__(self) -> WarehouseWriter:
        with self._or_abort(f"无法创建仓库文件 {self.tmp_path}"):
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
            self._lock.acquire()
            self._remove_leftovers()
            self._refuse_if_written()
            self._settle_wal()
            self._discard_tmp()
            if self.db_path.exists() and not self.rebuild:
                shutil.copy2(self.db_path, self.tmp_path)
                self.con = duckdb.connect(str(self.tmp_path))
                versions = (_meta(self.con, "schema_version"), _meta(self.con, "pipeline_version"))
                if versions != (SCHEMA_VERSION, PIPELINE_VERSION):
                    # An older warehouse: keep its list of sources, rebuild the rest from scratch.
                    try:
                        self.carried_over = [
                            r[0] for r in self.con.execute("SELECT source_file FROM documents").fetchall()
                        ]
                    except duckdb.Error:
                        self.carried_over = []
                    self.con.close()
                    self._discard_tmp()
                    self.con = None
            if self.con is None:
                self.con = duckdb.connect(str(self.tmp_path))
                create_schema(self.con)
                self.fresh = True
        return self

    def notice(self, message: str) -> None:
        self.notices.append(message)
        if self._notify is not None:
            self._notify(message)

    def _remove_leftovers(self) -> None:
        """Temporary copies (and their .wal) of builds whose process is gone: as large as the warehouse."""
        for path in sorted(self.db_path.parent.glob(f".{self.db_path.name}.building-*")):
            match = _BUILDING_PID.search(path.name)
            if match is None or int(match.group(1)) == os.getpid() or _alive(int(match.group(1))):
                continue
            size = path.stat().st_size
            path.unlink(missing_ok=True)
            self.notice(
                f"已删除中断的构建（进程 {match.group(1)}）留下的临时文件 {path.name}（{size / 1024 / 1024:.1f} MB）。"
            )

    def _refuse_if_written(self) -> None:
        """Refuse when another process holds the warehouse open for writing: replacing the file would
        drop what it writes. A read-only probe succeeds beside readers (the app) and fails beside a writer."""
        if not self.db_path.exists():
            return
        try:
            duckdb.connect(str(self.db_path), read_only=True).close()
        except duckdb.ConnectionException:
            return  # this process has it open with another configuration (an app building in-process)
        except duckdb.IOException as exc:
            if _DUCKDB_LOCK_ERROR not in str(exc):
                return  # not a lock: a damaged file or .wal, settled by _settle_wal or the copy
            pid = _DUCKDB_LOCK_PID.search(str(exc))
            who = f"（进程 {pid.group(1)}）" if pid else ""
            raise WarehouseBusy(
                f"仓库 {self.db_path} 正被另一个程序{who}以读写方式打开；替换它会丢掉那个程序写入的数据，"
                "本次构建未运行，仓库未改动。请先关闭该程序再构建。"
            ) from None
        except duckdb.Error:
            return

    def _settle_wal(self) -> None:
        """A `.wal` beside the warehouse with no writer holding it was left by a killed writer: its
        changes are replayed into the warehouse (or, when that fails, the file is moved aside), so that
        the warehouse renamed into place never meets a write-ahead log of another file."""
        if not self.wal_path.exists():
            return
        name = self.wal_path.name
        if self.rebuild or not self.db_path.exists():
            self.wal_path.unlink()
            self.notice(f"已删除上次异常退出的写入程序留下的 {name}（从头重建，不需要它）。")
            return
        try:
            con = duckdb.connect(str(self.db_path))
            try:
                con.execute("CHECKPOINT")
            finally:
                con.close()
        except duckdb.Error as exc:
            aside = self.wal_path.with_name(f"{name}.stale-{_now():%Y%m%d%H%M%S}")
            os.replace(self.wal_path, aside)
            self.notice(f"{name} 是上次异常退出的写入程序留下的，无法并入仓库（{exc}）；已移到 {aside.name}。")
            return
        if self.wal_path.exists():  # DuckDB left it (another configuration in this process): keep it out of the way
            aside = self.wal_path.with_name(f"{name}.stale-{_now():%Y%m%d%H%M%S}")
            os.replace(self.wal_path, aside)
            self.notice(f"{name} 是上次异常退出的写入程序留下的，未能并入仓库；已移到 {aside.name}。")
            return
        self.notice(f"发现上次异常退出的写入程序留下的 {name}，已把其中已提交的改动并入仓库。")

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is not None:
            self._abort()
            return
        with self._or_abort(f"无法写入仓库 {self.db_path}"):
            assert self.con is not None
            self.flush()
            self.con.execute("UPDATE meta SET value = ? WHERE key = 'built_at'", [_now().isoformat()])
            self.con.execute(
                "INSERT INTO meta SELECT 'built_at', ? WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'built_at')",
                [_now().isoformat()],
            )
            self.con.execute("CHECKPOINT")
            self.con.close()
            self.con = None
            # A program that opened the warehouse for writing while this build ran would lose its rows.
            self._refuse_if_written()
            if self.wal_path.exists():
                raise WarehouseBusy(
                    f"构建期间另一个程序写入了仓库 {self.db_path}（留下了 {self.wal_path.name}）；"
                    "为免丢掉它写入的数据，本次构建的结果未替换仓库。请再构建一次。"
                )
            os.replace(self.tmp_path, self.db_path)
        self._lock.release()

    @contextlib.contextmanager
    def _or_abort(self, failure: str) -> Iterator[None]:
        """A step of opening or committing the build: on failure the temporary copy is dropped and
        WarehouseError says `failure` (WarehouseBusy passes as it is)."""
        try:
            yield
        except WarehouseBusy:
            self._abort()
            raise
        except (OSError, duckdb.Error) as exc:
            self._abort()
            raise WarehouseError(f"{failure}：{exc}") from exc

    def _abort(self) -> None:
        if self.con is not None:
            with contextlib.suppress(duckdb.Error):
                self.con.close()
            self.con = None
        self._discard_tmp()
        self._lock.release()

    def _discard_tmp(self) -> None:
        for path in (self.tmp_path, self.tmp_path.with_name(self.tmp_path.name + ".wal")):
            # OSError: the folder itself is unusable; the caller reports that.
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)

    @property
    def db(self) -> duckdb.DuckDBPyConnection:
        """The build's connection, with every queued row loaded: what it reads is up to date."""
        assert self.con is not None, "use WarehouseWriter as a context manager"
        self.flush()
        return self.con

    def _queue(self, table: str, rows: list[dict[str, object]]) -> None:
        if not rows:
            return
        self._pending.setdefault(table, []).extend(rows)
        self._pending_rows += len(rows)
        if self._pending_rows >= _BUFFER_ROWS:
            self.flush()

    def flush(self) -> None:
        """Load the queued rows, one Arrow table per warehouse table (columns matched by name)."""
        assert self.con is not None, "use WarehouseWriter as a context manager"
        pending, self._pending, self._pending_rows = self._pending, {}, 0
        for table, rows in pending.items():
            columns = set().union(*rows)
            if not all(len(row) == len(columns) for row in rows):  # some rows omit optional fields
                template = dict.fromkeys(columns)
                rows = [row if len(row) == len(columns) else {**template, **row} for row in rows]
            batch = pa.Table.from_pylist(rows)
            self.con.register("_pending_rows", batch)
            try:
                # Table names come from this module, never from input.
                self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _pending_rows")
            finally:
                self.con.unregister("_pending_rows")

    # --- documents -----------------------------------------------------------------

    def document_state(self, source_file: str, sha256: str) -> str:
        """'unchanged' (same path, same bytes), 'duplicate' (same bytes elsewhere) or 'new'."""
        if self.fresh:
            seen = self._seen.get(sha256)
            return "new" if seen is None else ("unchanged" if seen == source_file else "duplicate")
        rows = self.db.execute("SELECT source_file FROM documents WHERE sha256 = ?", [sha256]).fetchall()
        paths = {r[0] for r in rows}
        if source_file in paths:
            return "unchanged"
        return "duplicate" if paths else "new"

    def duplicate_of(self, sha256: str) -> str | None:
        if self.fresh:
            return self._seen.get(sha256)
        # fetchall: a half-fetched result keeps the connection busy (DuckDB refuses the next register).
        rows = self.db.execute("SELECT min(source_file) FROM documents WHERE sha256 = ?", [sha256]).fetchall()
        return rows[0][0] if rows else None

    def stored_sources(self, skip_rules: tuple[str, ...] = ()) -> list[str]:
        """Every source file with a document or a finding of its own in the warehouse (a copy counted once,
        an unreadable file, have only their finding), but for findings of `skip_rules`; none in a fresh one."""
        if self.fresh:
            return []
        rows = self.db.execute(
            """SELECT source_file FROM documents
               UNION SELECT source_file FROM quality_flags
               WHERE stage IN ('read', 'classify') AND source_file IS NOT NULL AND NOT list_contains(?, rule)
               ORDER BY 1""",
            [list(skip_rules)],
        ).fetchall()
        return [r[0] for r in rows]

    def replace_discover_findings(
        self, findings: list[Finding], rules: tuple[str, ...], in_scope: Callable[[str], bool]
    ) -> None:
        """What discovery skipped (links, special files) replaces the last build's findings about the same folders."""
        if not self.fresh:
            stale = [
                flag_id
                for flag_id, source_file in self.db.execute(
                    "SELECT flag_id, source_file FROM quality_flags WHERE list_contains(?, rule)", [list(rules)]
                ).fetchall()
                if source_file is None or in_scope(source_file)
            ]
            if stale:
                self.db.execute("DELETE FROM quality_flags WHERE list_contains(?, flag_id)", [stale])
        self.add_findings(findings)

    def forget_source(self, source_file: str) -> set[str]:
        """Remove a file before it is read again; returns the reports it was part of."""
        if self.fresh:
            return set()
        reports = {
            r[0]
            for r in self.db.execute(
                "SELECT report_id FROM documents WHERE source_file = ? AND report_id IS NOT NULL", [source_file]
            ).fetchall()
        }
        self.db.execute("DELETE FROM quality_flags WHERE source_file = ? AND stage <> 'check'", [source_file])
        self.db.execute("DELETE FROM documents WHERE source_file = ?", [source_file])
        return reports

    def forget_report_facts(self, report_id: str) -> None:
        """Remove a report's facts and extraction findings before it is extracted again."""
        if self.fresh:
            return
        # A report's later versions (R…-v2, fiscallens/editions.py) are extracted with it.
        for table in FACT_TABLES:
            self.db.execute(
                f"DELETE FROM {table} WHERE report_id = $id OR starts_with(report_id, $id || '-v')", {"id": report_id}
            )
        self.db.execute(
            """DELETE FROM quality_flags
               WHERE (report_id = $id OR starts_with(report_id, $id || '-v')) AND stage = 'extract'""",
            {"id": report_id},
        )
        self.db.execute(
            """DELETE FROM audit_results
               WHERE (report_id = $id OR starts_with(report_id, $id || '-v')) AND stage = 'extract'""",
            {"id": report_id},
        )

    def report_sources(self, report_id: str) -> list[str]:
        if self.fresh:
            return [source for _, source in sorted(self._sources_by_report.get(report_id, []))]
        rows = self.db.execute(
            """SELECT source_file FROM documents
               WHERE report_id = $id OR starts_with(report_id, $id || '-v') ORDER BY file_name""",
            {"id": report_id},
        ).fetchall()
        return [r[0] for r in rows]

    def assign_editions(self, report_id: str, editions: list[tuple[str, list[str]]]) -> None:
        """Point each file of a report at the edition it belongs to (fiscallens/editions.py)."""
        if len(editions) == 1 and self.fresh:
            return  # the documents already carry the report's id
        if len(editions) == 1:
            # Files that were a later version in an earlier build are one report again.
            self.db.execute(
                "UPDATE documents SET report_id = $id WHERE starts_with(report_id, $id || '-v')", {"id": report_id}
            )
            return
        for edition_id, source_files in editions:
            for source_file in source_files:
                self.db.execute("UPDATE documents SET report_id = ? WHERE source_file = ?", [edition_id, source_file])
                self.db.execute(
                    "UPDATE quality_flags SET report_id = ? WHERE source_file = ? AND stage IN ('read', 'classify')",
                    [edition_id, source_file],
                )

    def add_document(
        self,
        doc: Document,
        classification: Classification | None,
        report_id: str | None,
        markers: list[str],
    ) -> None:
        self._seen.setdefault(doc.sha256, doc.source_file)
        if report_id:
            self._sources_by_report.setdefault(report_id, []).append((doc.file_name, doc.source_file))
        self._queue(
            "documents",
            [
                {
                    "document_id": doc.sha256,
                    "report_id": report_id,
                    "source_file": doc.source_file,
                    "file_name": doc.file_name,
                    "sha256": doc.sha256,
                    "size_bytes": doc.size_bytes,
                    "encoding": doc.encoding,
                    "file_format": doc.file_format,
                    **{name: getattr(classification, name) if classification else None for name in _CLASSIFIED},
                    "content_markers": list(markers),
                    "line_count": doc.text.count("\n") + 1,  # len(doc.lines), without splitting
                    "ingested_at": _now(),
                }
            ],
        )

    def add_facts(self, facts: Facts) -> None:
        """Queue fact rows for a bulk load."""
        for table in FACT_TABLES:
            self._queue(table, facts.rows[table])
        self._queue("audit_results", facts.outcomes)

    def add_findings(self, findings: list[Finding]) -> None:
        self._queue("quality_flags", [{col: getattr(f, col) for col in _FLAG_COLUMNS} for f in findings])

    def replace_check_findings(self, findings: list[Finding], results: list[dict[str, object]] | None = None) -> None:
        """The audit's findings, and each rule's outcome per report (audit_results), replace the last audit's."""
        self.db.execute("DELETE FROM quality_flags WHERE stage = 'check'")
        self.add_findings(findings)
        if results is not None:
            self.db.execute("DELETE FROM audit_results WHERE stage = 'check'")
            self._queue("audit_results", [{**row, "stage": "check"} for row in results])

    def findings(self) -> list[Finding]:
        """Every finding stored so far, in the order it was added."""
        rows = self.db.execute(
            "SELECT rule, severity, message, source_file, source_line FROM quality_flags ORDER BY flag_id"
        ).fetchall()
        return [Finding(*row) for row in rows]

    def counts(self, per_file: bool = False) -> WarehouseCounts:
        """What the warehouse holds (the build summary): reports, fact rows per table, findings per
        severity and, with `per_file`, fact rows and findings per source file."""
        db = self.db
        counts = WarehouseCounts(reports=db.execute("SELECT count(*) FROM reports").fetchall()[0][0])
        for table in FACT_TABLES:  # table names come from model.FACT_TABLES, never from input
            counts.facts[table] = db.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        counts.findings = Counter(
            dict(db.execute("SELECT severity, count(*) FROM quality_flags GROUP BY 1").fetchall())
        )
        if not per_file:
            return counts
        for table in FACT_TABLES:
            counts.facts_by_file.update(
                dict(db.execute(f"SELECT source_file, count(*) FROM {table} GROUP BY 1").fetchall())
            )
        for source_file, severity, count in db.execute(
            "SELECT source_file, severity, count(*) FROM quality_flags GROUP BY 1, 2"
        ).fetchall():
            counts.findings_by_file.setdefault(source_file, Counter())[severity] = count
        return counts

    def refresh_reports(self) -> None:
        """Derive `reports`, `function_codes` and the report of early findings (derive.sql), then the marts."""
        marts.create_macros(self.db)  # derive.sql calls macros of marts.sql
        for statement in package_statements("derive.sql"):
            self.db.execute(statement)
        peers.refresh_department_kinds(self.db)  # peer groups: each department's kind (data/department_kinds.csv)
        # The marts the pages read, as tables (fiscallens/marts.py); last, so they see every row above.
        marts.materialise(self.db)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
