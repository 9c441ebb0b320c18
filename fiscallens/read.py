"""Stage 1, read: files on disk → decoded `Document`s, or findings saying why not.

Text files (.txt/.md/.html): encoding is detected, never assumed: BOMs first, then
UTF-16 without a BOM (NUL bytes in alternate positions), then strict UTF-8, then
GB18030 (a superset of GBK/GB2312).

Published formats (PDF, .docx, .xlsx/.xls) are rendered by the readers in
`fiscallens/formats/` to the same kind of text — paragraphs as lines, table rows as
tab-separated cells — with a page map for PDFs, so every later stage treats them alike.

Whatever cannot be read becomes an `error` finding; nothing here raises on bad input.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import html
import os
import pickle
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

from fiscallens import formats
from fiscallens.model import Document, Finding
from fiscallens.settings import (
    MAX_BINARY_BYTES,
    MAX_TEXT_BYTES,
    MIN_PRINTABLE_SHARE,
    PENDING_SUFFIXES,
    RENDER_CACHE_ENV,
    RENDER_CACHE_SIZE,
    STRUCTURED_SUFFIXES,
    TEXT_SUFFIXES,
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# A UTF-8 sequence cut by truncation is at most 3 bytes short.
_UTF8_TAIL_BYTES = 3


def discover(sources: Iterable[Path]) -> tuple[list[Path], list[Finding]]:
    """Expand files and folders into a sorted list of candidate files."""
    files: list[Path] = []
    findings: list[Finding] = []
    for source in sources:
        if source.is_dir():
            files.extend(sorted(_files_under(source), key=lambda p: p.parts))
        elif source.is_file():
            files.append(source)
        else:
            findings.append(
                Finding("source_missing", "error", f"找不到输入路径：{source}", source_file=display_path(source))
            )
    return files, findings


def _files_under(folder: Path) -> Iterator[Path]:
    """Files below `folder`, skipping hidden files and folders (one directory scan per folder)."""
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            path = Path(root, name)
            if not name.startswith(".") and path.is_file():
                yield path


def display_path(path: Path) -> str:
    """Path as stored in provenance: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def read_document(path: Path) -> tuple[Document | None, list[Finding]]:
    """Read one file. Returns the document (or None) and what went wrong."""
    source_file = display_path(path)
    suffix = path.suffix.lower()

    def fail(rule: str, message: str) -> tuple[None, list[Finding]]:
        return None, [Finding(rule, "error", message, source_file=source_file)]

    if suffix in PENDING_SUFFIXES:
        return fail(
            "format_not_supported",
            f"暂不支持 {suffix} 格式，文件未入库；请另存为 .docx、.xlsx 或 PDF（或文本 .txt）后再导入。",
        )
    if suffix in STRUCTURED_SUFFIXES:
        return _read_structured(path, source_file, suffix)
    if suffix not in TEXT_SUFFIXES:
        return fail("format_unknown", f"无法识别的文件类型 {suffix or '（无扩展名）'}，未入库。")
    raw, problem = _read_bytes(path, MAX_TEXT_BYTES)
    if raw is None:
        return fail(*problem)

    text, encoding, findings = decode_bytes(raw, source_file)
    if text is None:
        return None, findings
    if suffix in {".html", ".htm"}:
        text = html_to_text(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return None, [*findings, Finding("file_empty", "error", "文件没有可读文字，未入库。", source_file=source_file)]
    doc = Document(
        path=path,
        source_file=source_file,
        sha256=hashlib.sha256(raw).hexdigest(),
        size_bytes=len(raw),
        encoding=encoding,
        file_format=suffix.lstrip(".") or "txt",
        text=text,
    )
    return doc, findings


def _read_bytes(path: Path, limit: int) -> tuple[bytes, None] | tuple[None, tuple[str, str]]:
    """A file's bytes, or the (rule, message) of the error finding: too large, unreadable or empty."""
    try:
        size = path.stat().st_size
        if size > limit:
            return None, (
                "file_too_large",
                f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {limit // 1024 // 1024} MB），"
                "不像一份预决算或绩效报告，未入库。",
            )
        raw = path.read_bytes()
    except OSError as exc:
        return None, ("file_unreadable", f"无法读取文件：{exc.strerror or exc}")
    if not raw.strip():
        return None, ("file_empty", "文件为空，未入库。")
    return raw, None


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes (the document id), or None when it cannot be read."""
    try:
        with path.open("rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


def _read_structured(path: Path, source_file: str, suffix: str) -> tuple[Document | None, list[Finding]]:
    """A PDF, Word or Excel file rendered to text by its reader in `fiscallens/formats`."""

    def fail(rule: str, message: str) -> tuple[None, list[Finding]]:
        return None, [Finding(rule, "error", message, source_file=source_file)]

    raw, problem = _read_bytes(path, MAX_BINARY_BYTES)
    if raw is None:
        return fail(*problem)
    sha256 = hashlib.sha256(raw).hexdigest()
    try:
        rendered = _render(suffix, sha256, raw)
    except formats.FormatError as exc:
        return fail(exc.rule, exc.message)
    except Exception as exc:  # a library choking on a malformed file must not stop the build
        return fail("file_unreadable", f"{suffix} 文件无法解析（{type(exc).__name__}），可能已损坏，未入库。")
    findings = [replace(f, source_file=source_file) for f in rendered.findings]
    if not rendered.text.strip():
        return None, [*findings, *fail("file_empty", "文件没有可读文字，未入库。")[1]]
    doc = Document(
        path=path,
        source_file=source_file,
        sha256=sha256,
        size_bytes=len(raw),
        encoding="",
        file_format=suffix.lstrip("."),
        text=rendered.text,
        page_starts=rendered.page_starts,
        tables_found=rendered.tables_found,
    )
    return doc, findings


_RENDERED: OrderedDict[tuple[str, str], formats.Rendered] = OrderedDict()
_RENDERED_LOCK = threading.Lock()  # the app reads source excerpts from several script threads


def clear_render_cache() -> None:
    """Forget every rendered file (benchmarks time a cold parse)."""
    with _RENDERED_LOCK:
        _RENDERED.clear()


def _render(suffix: str, sha256: str, raw: bytes) -> formats.Rendered:
    """Render a structured file; the same bytes are rendered once per process.

    A build reads a file once to classify it and again when its report is re-extracted, and a
    process may build several times (tests, an app that rebuilds): parsing a PDF is the slow
    step. The cache is keyed by the bytes' digest and holds only rendered text, never the bytes.
    """
    key = (suffix, sha256)
    with _RENDERED_LOCK:
        if key in _RENDERED:
            _RENDERED.move_to_end(key)
            return _RENDERED[key]
    rendered = _render_shared(suffix, sha256, raw)
    with _RENDERED_LOCK:
        _RENDERED[key] = rendered
        while len(_RENDERED) > RENDER_CACHE_SIZE:
            _RENDERED.popitem(last=False)
    return rendered


def _render_shared(suffix: str, sha256: str, raw: bytes) -> formats.Rendered:
    """Render, or take the rendering another process of the same run left in $FISCALLENS_RENDER_CACHE.

    Off by default. The test suite sets it to a folder of its own temporary directory, so that its
    parallel workers and the build processes they start parse each bundled PDF once per run."""
    reader = formats.reader_for(suffix)
    assert reader is not None, suffix
    folder = os.environ.get(RENDER_CACHE_ENV)
    if not folder:
        return reader(raw, "")
    path = Path(folder) / f"{sha256}{suffix}.pickle"
    with contextlib.suppress(OSError, pickle.PickleError, EOFError, AttributeError):
        return pickle.loads(path.read_bytes())  # noqa: S301 (written by this function in this run)
    rendered = reader(raw, "")
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_bytes(pickle.dumps(rendered))
        os.replace(partial, path)
    return rendered


def decode_bytes(raw: bytes, source_file: str | None = None) -> tuple[str | None, str, list[Finding]]:
    """Decode bytes of unknown encoding. Returns (text or None, encoding, findings)."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding, []
            except UnicodeDecodeError:
                break
    utf16 = _sniff_utf16(raw)
    candidates = ([utf16] if utf16 else []) + ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            if encoding == "utf-8" and exc.start >= len(raw) - _UTF8_TAIL_BYTES:
                text = raw[: exc.start].decode("utf-8")
                finding = Finding(
                    "file_truncated",
                    "error",
                    "文件末尾被截断（最后一个字符不完整），已读取截断前的内容，报告可能不完整。",
                    source_file=source_file,
                )
                return _checked(text, "utf-8", [finding], source_file)
            continue
        return _checked(text, encoding, [], source_file)
    return (
        None,
        "",
        [
            Finding(
                "encoding_unknown",
                "error",
                "无法识别文件编码（不是 UTF-8、UTF-16 或 GB18030/GBK），可能是二进制文件，未入库。",
                source_file=source_file,
            )
        ],
    )


def _checked(
    text: str, encoding: str, findings: list[Finding], source_file: str | None
) -> tuple[str | None, str, list[Finding]]:
    """Reject decodings that are mostly control characters: binary junk decodes as GB18030 too."""
    if printable_share(text) < MIN_PRINTABLE_SHARE:
        return (
            None,
            encoding,
            [
                *findings,
                Finding(
                    "not_text",
                    "error",
                    "文件内容不是文字（含大量控制字符，疑似二进制或损坏文件），未入库。",
                    source_file=source_file,
                ),
            ],
        )
    return text, encoding, findings


# Control characters other than tab, newline, carriage return and form feed; C1 controls; U+FFFD.
_UNPRINTABLE_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


def printable_share(text: str) -> float:
    """Share of characters that are printable or ordinary whitespace."""
    if not text:
        return 0.0
    return 1 - len(_UNPRINTABLE_RE.findall(text)) / len(text)


def _sniff_utf16(raw: bytes) -> str | None:
    """UTF-16 without a BOM: NUL bytes appear, and one byte order yields plausible text."""
    sample = raw[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    sample = sample[: len(sample) // 2 * 2]
    best, best_share = None, 0.0
    for encoding in ("utf-16-le", "utf-16-be"):
        text = sample.decode(encoding, errors="replace")
        share = sum(1 for ch in text if _plausible(ch)) / len(text)
        if share > best_share:
            best, best_share = encoding, share
    return best if best_share >= MIN_PRINTABLE_SHARE else None


def _plausible(ch: str) -> bool:
    """Characters a Chinese report is made of: ASCII text, CJK, CJK and full-width punctuation."""
    return (
        (" " <= ch <= "~")
        or ch in "\t\n\r"
        or "\u3000" <= ch <= "\u9fff"
        or "\uff00" <= ch <= "\uffef"
        or ("\u2000" <= ch <= "\u206f")
    )


_BLOCK_TAGS = frozenset({"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section"})
_CELL_TAGS = frozenset({"td", "th"})


class _TextExtractor(HTMLParser):
    """Keeps table structure: a row per line, cells separated by tabs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in _CELL_TAGS:
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Plain text of an HTML page, one block or table row per line."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"\n[ \t]*\t", "\n", text)  # a row's leading cell separator
    return html.unescape(re.sub(r"\n{3,}", "\n\n", text)).strip("\n") + "\n"


def iter_documents(paths: Iterable[Path]) -> Iterator[tuple[Path, Document | None, list[Finding]]]:
    for path in paths:
        doc, findings = read_document(path)
        yield path, doc, findings
