"""Reading files: encodings detected, bad files turned into findings, never exceptions."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from fiscallens import read

SAMPLE = "黔南州大数据发展管理局 2021 年度部门预算绩效自评报告\n年度资金总额： 1268万元\n"


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("gb18030", b"", "gb18030"),
        ("gbk", b"", "gb18030"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
        ("utf-16-le", b"", "utf-16-le"),
    ],
)
def test_encodings_are_detected(tmp_path: Path, encoding: str, prefix: bytes, expected: str) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(prefix + SAMPLE.encode(encoding))
    doc, findings = read.read_document(path)
    assert findings == []
    assert doc is not None
    assert doc.encoding == expected
    assert doc.text == SAMPLE


def test_crlf_is_normalised_and_sha_is_of_bytes(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    raw = SAMPLE.replace("\n", "\r\n").encode("utf-8")
    path.write_bytes(raw)
    doc, _ = read.read_document(path)
    assert doc is not None and "\r" not in doc.text
    import hashlib

    assert doc.sha256 == hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize(
    ("name", "content", "rule"),
    [
        ("empty.txt", b"", "file_empty"),
        ("blank.txt", b"  \n\n ", "file_empty"),
        ("junk.txt", bytes(range(256)) * 40, "encoding_unknown"),
        ("controls.txt", bytes(range(1, 9)) * 500, "not_text"),
        ("broken.pdf", b"%PDF-1.7 ...", "pdf_unreadable"),
        ("report.docx", b"PK\x03\x04", "docx_unreadable"),
        ("sheet.xlsx", b"PK\x03\x04", "xlsx_unreadable"),
        ("sheet.xls", b"\xd0\xcf\x11\xe0", "xls_unreadable"),
        ("report.doc", b"\xd0\xcf\x11\xe0", "format_not_supported"),
        ("photo.png", b"\x89PNG", "format_unknown"),
    ],
)
def test_bad_files_become_error_findings(tmp_path: Path, name: str, content: bytes, rule: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    doc, findings = read.read_document(path)
    assert doc is None
    assert [f.rule for f in findings] == [rule]
    assert findings[0].severity == "error"
    assert findings[0].source_file and findings[0].source_file.endswith(name)


def test_truncated_utf8_keeps_what_was_read(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes("报告全文".encode()[:-1])  # the last character loses its final byte
    doc, findings = read.read_document(path)
    assert doc is not None and doc.text == "报告全"
    assert [f.rule for f in findings] == ["file_truncated"]


def test_oversized_file_is_refused_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_TEXT_BYTES", 1000)
    path = tmp_path / "huge.txt"
    path.write_text("部门决算" * 1000, encoding="utf-8")
    doc, findings = read.read_document(path)
    assert doc is None
    assert findings[0].rule == "file_too_large"
    assert "MB" in findings[0].message


def test_html_keeps_rows_and_cells() -> None:
    text = read.html_to_text(
        "<html><style>x{}</style><h1>部门决算</h1><table><tr><td>科目</td><td>金额</td></tr>"
        "<tr><td>201</td><td>1,268.00</td></tr></table><p>a&amp;b</p></html>"
    )
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines == ["部门决算", "科目\t金额", "201\t1,268.00", "a&b"]


def test_discover_skips_hidden_and_reports_missing(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("x")
    files, findings = read.discover([tmp_path, tmp_path / "nope"])
    assert [f.name for f in files] == ["a.txt", "b.txt"]
    assert [f.rule for f in findings] == ["source_missing"]


def test_a_file_is_named_once_and_its_name_passed_along(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build names a file once (read.identify); reading it then uses that name, not a new one."""
    path = tmp_path / "report.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    file = read.identify(path)
    assert file == read.SourceFile(path, read.display_path(path))

    def renamed(_: Path) -> str:
        raise AssertionError("the file was named again")

    monkeypatch.setattr(read, "display_path", renamed)
    doc, findings = read.read_document(file.path, file.name)
    assert doc is not None and doc.source_file == file.name and not findings
    assert doc.sha256 == read.file_digest(path)  # the content's id: the digest of the bytes read
    assert read.name_finding(file.path, file.name) is None
