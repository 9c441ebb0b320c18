"""Builds as transactions with one writer (issue 14): renamed, copied and deleted files, odd names,
missing paths, links and special files, concurrent builds, a foreign DuckDB writer, a stale .wal and
the leftovers of killed builds. Tiny text reports only, so that these stay fast."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

import fiscallens
from fiscallens import cli, pipeline
from tests.conftest import REPORTS_DIR, rows

CODE_ROOT = Path(fiscallens.__file__).resolve().parent.parent
# Two small text reports of the bundled corpus: one report each.
REPORT_A = next(REPORTS_DIR.glob("003_*.txt"))
REPORT_B = next(REPORTS_DIR.glob("004_*.txt"))
# How long a helper process may take to get ready before the test gives up.
READY_SECONDS = 30


def reports(db: Path) -> dict[str, list[str]]:
    """report id → file names."""
    found = rows(db, "SELECT report_id, source_files FROM reports")
    return {rid: sorted(Path(f).name for f in files) for rid, files in found}


def _folder(tmp_path: Path, *sources: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for source in sources:
        shutil.copy(source, src / source.name)
    return src


def _built(tmp_path: Path) -> tuple[Path, Path]:
    """(source folder with REPORT_A, a warehouse built from it)."""
    src = _folder(tmp_path, REPORT_A)
    db = tmp_path / "w.duckdb"
    pipeline.build([src], db)
    return src, db


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(CODE_ROOT)}


def _start(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args], env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_for(condition: object, what: str) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


# A DuckDB writer that commits a row and keeps the file open (or dies without a checkpoint).
_WRITER = """
import os, sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("PRAGMA disable_checkpoint_on_shutdown")
con.execute("SET wal_autocheckpoint = '10GB'")
con.execute("CREATE TABLE IF NOT EXISTS foreign_rows (a INTEGER)")
con.execute("INSERT INTO foreign_rows VALUES (42)")
print("ready", flush=True)
if sys.argv[2] == "hold":
    time.sleep(120)
os._exit(0)
"""

# A build whose extraction is slow, so that a second build starts while it runs.
_SLOW_BUILD = """
import sys, time
from fiscallens import cli, pipeline
extract = pipeline.editions.extract.extract_report
def slow(*args, **kwargs):
    time.sleep(float(sys.argv[3]))
    return extract(*args, **kwargs)
pipeline.editions.extract.extract_report = slow
sys.exit(cli.main(["build", sys.argv[1], "--db", sys.argv[2], "--quiet"]))
"""


def test_a_copy_and_a_rename_keep_incremental_builds_working(tmp_path: Path) -> None:
    src = _folder(tmp_path, REPORT_A, REPORT_B)
    db = tmp_path / "w.duckdb"
    pipeline.build([src], db)
    before = reports(db)
    shutil.copy(src / REPORT_A.name, src / "copy.txt")
    pipeline.build([src], db)  # crashed: ResourceInUseException
    assert reports(db) == before
    assert rows(db, "SELECT rule FROM quality_flags WHERE source_file LIKE '%/copy.txt'") == [("duplicate_file",)]
    (src / REPORT_B.name).rename(src / "renamed.txt")
    summary = pipeline.build([src], db)
    assert summary.removed_files == 1
    renamed = {rid: files for rid, files in before.items() if REPORT_B.name in files}
    assert reports(db) == {**before, **{rid: ["renamed.txt"] for rid in renamed}}  # same report id
    assert pipeline.build([src], db).documents_read == 0


def test_a_missing_path_is_refused_and_the_warehouse_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, db = _built(tmp_path)
    before = db.read_bytes()
    (src / "new.txt").write_bytes(REPORT_B.read_bytes())
    assert cli.main(["build", str(src), str(tmp_path / "nope"), "--db", str(db), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "找不到输入路径" in err and "nope" in err and "Traceback" not in err
    assert db.read_bytes() == before


def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    src = _folder(tmp_path, REPORT_A)
    with open(os.path.join(os.fsencode(src), "2011年部门决算.txt".encode("gbk")), "wb") as f:
        f.write(REPORT_B.read_bytes())
    db = tmp_path / "w.duckdb"
    for rebuild in (False, False, True):
        pipeline.build([src], db, rebuild=rebuild)
        assert len(reports(db)) == 2
        assert rows(db, "SELECT file_name FROM documents WHERE file_name LIKE '2011%'") == [("2011年部门决算.txt",)]
        assert rows(db, "SELECT count(*) FROM quality_flags WHERE rule = 'file_name_encoding'") == [(1,)]


def test_a_deleted_file_takes_its_reports_with_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _folder(tmp_path, REPORT_A, REPORT_B)
    db = tmp_path / "w.duckdb"
    pipeline.build([src], db)
    (src / REPORT_B.name).unlink()
    assert cli.main(["build", str(src), "--db", str(db), "--quiet"]) == 0
    assert "移除 1 个已删除文件的数据" in capsys.readouterr().out
    assert list(reports(db).values()) == [[REPORT_A.name]]
    for table in ("documents", "quality_flags", "evaluations"):
        assert rows(db, f"SELECT count(*) FROM {table} WHERE source_file LIKE '%{REPORT_B.name}'") == [(0,)]


def test_links_out_of_the_folder_and_special_files_are_skipped_with_findings(tmp_path: Path) -> None:
    src = _folder(tmp_path, REPORT_A)
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(REPORT_B, outside / "secret.txt")
    (src / "secret.txt").symlink_to(outside / "secret.txt")
    (src / "passwd.txt").symlink_to("/etc/passwd")
    (src / "loop.txt").symlink_to(src / "loop.txt")
    (src / "dangling.txt").symlink_to(src / "gone.txt")
    (src / "zero.txt").symlink_to("/dev/zero")
    (src / "up").symlink_to(src)  # a folder link back to its own folder
    os.mkfifo(src / "pipe.txt")  # opening it would block the build
    db = tmp_path / "w.duckdb"
    pipeline.build([src], db)
    assert rows(db, "SELECT file_name FROM documents") == [(REPORT_A.name,)]
    found = dict(rows(db, "SELECT split_part(source_file, '/', -1), rule FROM quality_flags WHERE severity = 'error'"))
    assert found == {
        "secret.txt": "symlink_outside",
        "passwd.txt": "symlink_outside",
        "loop.txt": "symlink_loop",
        "dangling.txt": "symlink_broken",
        "zero.txt": "file_special",  # a device first, wherever it is,
        "up": "symlink_loop",
        "pipe.txt": "file_special",
    }
    pipeline.build([src], db)  # findings are replaced, not repeated
    assert rows(db, "SELECT count(*) FROM quality_flags WHERE severity = 'error'") == [(7,)]


def test_a_second_build_waits_and_neither_loses_its_reports(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    shutil.copy(REPORT_A, first / REPORT_A.name)
    shutil.copy(REPORT_B, second / REPORT_B.name)
    db = tmp_path / "w.duckdb"
    slow = _start(_SLOW_BUILD, str(first), str(db), "3")
    _wait_for(lambda: any(tmp_path.glob(".w.duckdb.building-*")), "the first build never started")
    fast = subprocess.run(
        [sys.executable, "-m", "fiscallens", "build", str(second), "--db", str(db), "--quiet"],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert slow.wait(timeout=120) == 0, slow.stderr.read() if slow.stderr else ""
    assert fast.returncode == 0, fast.stderr
    assert sorted(f for files in reports(db).values() for f in files) == [REPORT_A.name, REPORT_B.name]


def test_a_busy_warehouse_is_refused_after_the_wait(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _folder(tmp_path, REPORT_A)
    db = tmp_path / "w.duckdb"
    slow = _start(_SLOW_BUILD, str(src), str(db), "60")
    try:
        _wait_for(lambda: any(tmp_path.glob(".w.duckdb.building-*")), "the first build never started")
        assert cli.main(["build", str(src), "--db", str(db), "--quiet", "--wait", "0.5"]) == 3
        err = capsys.readouterr().err
        assert f"进程 {slow.pid}" in err and "未运行" in err
        assert not db.exists()
    finally:
        slow.kill()
        slow.wait()


def test_a_stale_lock_of_a_dead_build_is_taken_over(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _folder(tmp_path, REPORT_A)
    db = tmp_path / "w.duckdb"
    pid = _dead_pid()
    (tmp_path / "w.duckdb.lock").write_text(f"{pid}\n")
    assert cli.main(["build", str(src), "--db", str(db), "--quiet", "--wait", "0"]) == 0
    assert f"进程 {pid}" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src", "w.duckdb"]


def test_a_warehouse_open_for_writing_elsewhere_is_not_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, db = _built(tmp_path)
    writer = _start(_WRITER, str(db), "hold")
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        shutil.copy(REPORT_B, src / REPORT_B.name)
        assert cli.main(["build", str(src), "--db", str(db), "--quiet"]) == 3
        assert "读写方式打开" in capsys.readouterr().err
    finally:
        writer.kill()
        writer.wait()
    # The killed writer's committed row is in its .wal: the next build keeps it, and the warehouse opens.
    pipeline.build([src], db)
    assert rows(db, "SELECT a FROM foreign_rows") == [(42,)]
    assert len(reports(db)) == 2


@pytest.mark.parametrize("rebuild", [False, True])
def test_a_stale_wal_leaves_a_warehouse_that_opens(
    tmp_path: Path, rebuild: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    src, db = _built(tmp_path)
    writer = _start(_WRITER, str(db), "die")
    assert writer.wait(timeout=READY_SECONDS) == 0
    assert db.with_name("w.duckdb.wal").exists()
    assert cli.main(["build", str(src), "--db", str(db), "--quiet", *(["--rebuild"] if rebuild else [])]) == 0
    con = duckdb.connect(str(db), read_only=True)  # failed: the old .wal met the new file
    con.close()
    assert "w.duckdb.wal" in capsys.readouterr().err
    assert len(reports(db)) == 1
    assert not db.with_name("w.duckdb.wal").exists()


def test_leftovers_of_a_killed_build_are_removed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _folder(tmp_path, REPORT_A)
    db = tmp_path / "w.duckdb"
    pid = _dead_pid()
    (tmp_path / f".w.duckdb.building-{pid}").write_bytes(b"\0" * 4096)
    (tmp_path / f".w.duckdb.building-{pid}.wal").write_bytes(b"\0" * 16)
    assert cli.main(["build", str(src), "--db", str(db), "--quiet"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src", "w.duckdb"]
    assert capsys.readouterr().err.count(f".building-{pid}") == 2
