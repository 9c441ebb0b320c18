"""End to end: build the warehouse from the bundled corpus; idempotence, atomicity, bad input."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from fiscallens import cli, pipeline
from fiscallens.load import WarehouseError
from tests.conftest import REPORTS_DIR, rows


def test_bundled_reports(warehouse: Path) -> None:
    everything = rows(
        warehouse,
        """SELECT department, doc_type, fiscal_year, region_code, province, prefecture, county, project_name,
                  [split_part(f, '/', -1) for f in source_files], scope
           FROM reports ORDER BY source_files[1]""",
    )
    assert len(everything) == 11  # 4 text reports (000 + 002 make one) and 7 published PDFs
    got = {r[0]: r[1:] for r in everything if r[0] != "上海市普陀区人民政府万里街道办事处" and r[9] != "unit"}
    assert len(got) == 7
    qiannan = got["黔南州大数据发展管理局"]
    assert qiannan[:5] == ("dept_self_eval", 2021, "522700", "贵州省", "黔南布依族苗族自治州")
    assert sorted(qiannan[7]) == ["000_294bda5ec094da43.txt", "002_d164b34eac628332.txt"]
    assert got["贵阳市大数据发展管理局(本级)"][:4] == ("final_accounts", 2023, "520100", "贵州省")
    assert got["湘潭市大数据和产业创新发展中心"][:4] == ("dept_evaluation", 2023, "430300", "湖南省")
    xiangxi = got["智慧湘西领导小组办公室"]
    assert xiangxi[:4] == ("project_self_eval", 2022, "433100", "湖南省")
    assert xiangxi[6] == "州智慧湘西建设专项"
    # The two published PDFs: a Shanghai district's final accounts and its office's budget.
    finance = got["上海市普陀区财政局"]
    assert finance[:6] == ("final_accounts", 2024, "310107", "上海市", "上海市", "普陀区")
    assert finance[7] == ["005_putuo-finance-bureau-2024-final-accounts.pdf"]
    office = got["上海市普陀区人民政府办公室"]
    assert office[:6] == ("budget", 2025, "310107", "上海市", "上海市", "普陀区")
    assert office[7] == ["006_putuo-district-office-2025-budget.pdf"]
    # Three consecutive years of one subdistrict's budget: three reports.
    wanli = [r for r in everything if r[0] == "上海市普陀区人民政府万里街道办事处"]
    assert [(r[2], r[8]) for r in wanli] == [
        (2023, ["009_wanli-subdistrict-2023-budget.pdf"]),
        (2024, ["010_wanli-subdistrict-2024-budget.pdf"]),
        (2025, ["011_wanli-subdistrict-2025-budget.pdf"]),
    ]
    # The text reports are all prefecture-level departments.
    assert all(r[5] is None for r in got.values() if r[2] != "310107")


def test_every_table_of_the_contract_exists_with_comments(warehouse: Path) -> None:
    tables = {r[0]: r[1] for r in rows(warehouse, "SELECT table_name, comment FROM duckdb_tables()")}
    for name in (
        "reports",
        "evaluations",
        "execution_lines",
        "function_spending",
        "economic_spending",
        "three_public",
        "indicators",
        "quality_flags",
        "regions",
        "function_codes",
    ):
        assert tables.get(name), f"{name} missing or without COMMENT"
    uncommented = rows(
        warehouse, "SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal AND comment IS NULL"
    )
    assert uncommented == []
    assert rows(warehouse, "SELECT count(*) FROM regions")[0][0] > 3000


def test_rebuild_is_idempotent_and_unchanged_files_are_skipped(corpus_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    first = pipeline.build([corpus_dir], db)
    second = pipeline.build([corpus_dir], db)
    assert first.documents_read == 12 and second.documents_read == 0 and second.documents_unchanged == 12
    assert rows(db, "SELECT count(*) FROM reports")[0][0] == 11
    assert rows(db, "SELECT count(*) FROM documents")[0][0] == 12


def test_same_bytes_under_another_name_count_once(corpus_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(corpus_dir, src)
    shutil.copy(next(src.glob("004_*")), src / "copy_of_004.txt")
    db = tmp_path / "w.duckdb"
    pipeline.build([src], db)
    assert rows(db, "SELECT count(*) FROM reports")[0][0] == 11
    assert rows(db, "SELECT rule, severity FROM quality_flags WHERE source_file LIKE '%copy_of_004.txt'") == [
        ("duplicate_file", "info")
    ]


def test_changed_file_replaces_its_old_rows(corpus_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(corpus_dir, src)
    db = tmp_path / "w.duckdb"
    pipeline.build([src], db)
    target = next(src.glob("003_*"))
    target.write_text(target.read_text(encoding="utf-8").replace("2023 年度", "2024 年度"), encoding="utf-8")
    pipeline.build([src], db)
    years = rows(db, "SELECT fiscal_year FROM reports WHERE department LIKE '湘潭市%'")
    assert years == [(2024,)]
    assert rows(db, "SELECT count(*) FROM documents WHERE file_name LIKE '003_%'")[0][0] == 1


def _bad_inputs(folder: Path) -> dict[str, str]:
    """file name → the rule its finding must carry."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 64)
    accounts = next(REPORTS_DIR.glob("001_*")).read_text(encoding="utf-8")
    (folder / "truncated.txt").write_text(accounts[:3000], encoding="utf-8")
    with (folder / "huge.txt").open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # a sparse 50 MB file
    (folder / "novel.txt").write_text("第一章\n天色已晚，他推开了门。\n", encoding="utf-8")
    (folder / "report.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "report.doc").write_bytes(b"\xd0\xcf\x11\xe0 old Word")
    return {
        "empty.txt": "file_empty",
        "junk.txt": "encoding_unknown",
        "truncated.txt": "report_incomplete",
        "huge.txt": "file_too_large",
        "novel.txt": "doc_type_unknown",
        "report.pdf": "pdf_unreadable",
        "report.doc": "format_not_supported",
    }


def test_bad_documents_are_flagged_and_the_rest_still_load(corpus_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    # 001 is left out so that its truncated copy forms a report of its own.
    shutil.copytree(corpus_dir, src, ignore=shutil.ignore_patterns("001_*"))
    expected = _bad_inputs(src / "bad")
    db = tmp_path / "w.duckdb"
    summary = pipeline.build([src], db)
    assert summary.reports == 11  # 10 good reports + the truncated one, loaded and flagged
    flagged: dict[str, set[tuple[str, str]]] = {}
    for f, rule, sev in rows(
        db, "SELECT source_file, rule, severity FROM quality_flags WHERE source_file LIKE '%/bad/%'"
    ):
        flagged.setdefault(Path(f).name, set()).add((rule, sev))
    for name, rule in expected.items():
        assert (rule, "error") in flagged.get(name, set()), name
    messages = rows(db, "SELECT message FROM quality_flags WHERE source_file LIKE '%/bad/%'")
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m[0]) for m in messages)


def test_cli_exit_codes_and_summary(corpus_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    assert cli.main(["build", str(corpus_dir), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "报告：11 份" in out and "数据质量发现" in out
    # PDFs were read: one line per file with pages, tables, facts and findings.
    assert "各文件：" in out
    line = next(x for x in out.splitlines() if "005_putuo-finance-bureau-2024-final-accounts.pdf" in x)
    assert line.split()[1:4] == ["25", "15", "87"]  # 56 table and 三公 facts, 30 totals, 1 derived 2023 三公 row
    bad = tmp_path / "bad"
    _bad_inputs(bad)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    only_bad = tmp_path / "only_bad"
    only_bad.mkdir()
    shutil.copy(bad / "empty.txt", only_bad)
    shutil.copy(bad / "junk.txt", only_bad)
    assert cli.main(["build", str(only_bad), "--db", str(db)]) == 1
    assert "没有读到任何文档" in capsys.readouterr().err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert cli.main(["check", "--db", str(db)]) == 0
    assert cli.main(["check", "--db", str(tmp_path / "missing.duckdb")]) == 2


def test_a_crash_mid_build_leaves_the_old_warehouse(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "w.duckdb"
    pipeline.build([corpus_dir], db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pipeline.editions.extract, "extract_report", explode)
    with pytest.raises(RuntimeError):
        pipeline.build([corpus_dir], db, rebuild=True)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert [p.name for p in tmp_path.iterdir()] == ["w.duckdb"]


def test_unwritable_location_is_a_clear_error(corpus_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(WarehouseError):
        pipeline.build([corpus_dir], blocker / "w.duckdb")
    assert cli.main(["build", str(corpus_dir), "--db", str(blocker / "w.duckdb")]) == 2


def test_a_changed_number_in_a_copy_reaches_the_warehouse(corpus_dir: Path, tmp_path: Path) -> None:
    """The self-check of the standards: readers are general, so an edited figure comes through."""
    src = tmp_path / "src"
    shutil.copytree(corpus_dir, src)
    target = next(src.glob("004_*"))
    text = target.read_text(encoding="utf-8")
    assert "基础电信服务费\t200\t200\t188.19" in text
    target.write_text(
        text.replace("基础电信服务费\t200\t200\t188.19", "基础电信服务费\t200\t200\t177.77"), encoding="utf-8"
    )
    db = tmp_path / "w.duckdb"
    pipeline.build([src], db)
    assert rows(db, "SELECT actual FROM evaluations WHERE name = '基础电信服务费'") == [(177.77,)]


def test_parallel_build_gives_the_same_warehouse(corpus_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(corpus_dir, src, ignore=shutil.ignore_patterns("*.pdf"))
    serial, parallel = tmp_path / "serial.duckdb", tmp_path / "parallel.duckdb"
    pipeline.build([src], serial, rebuild=True, jobs=1)
    summary = pipeline.build([src], parallel, rebuild=True, jobs=2)
    assert summary.reports_extracted == 4
    for table in ("reports", "evaluations", "execution_lines", "function_spending", "indicators", "quality_flags"):
        sql = f"SELECT * EXCLUDE (flag_id) FROM {table}" if table == "quality_flags" else f"SELECT * FROM {table}"
        ordered = sql + " ORDER BY ALL"
        assert rows(serial, ordered) == rows(parallel, ordered), table
