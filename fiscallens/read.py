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
import errno
import hashlib
import html
import os
import pickle
import re
import selectors
import signal
import stat
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path

from fiscallens import formats
from fiscallens.model import Document, Finding
from fiscallens.settings import (
    FILE_READ_MEMORY_BYTES,
    FILE_READ_SECONDS,
    MAX_BINARY_BYTES,
    MAX_TEXT_BYTES,
    MIN_PRINTABLE_SHARE,
    OCR_PAGE_SECONDS,
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


# Rules of the findings `discover` records about what it skipped (a build replaces them each time).
DISCOVER_RULES = ("source_missing", "symlink_outside", "symlink_broken", "symlink_loop", "file_special")
# Encodings tried, in order, for a file name that is not valid UTF-8 (Chinese Windows archives: GBK).
_NAME_ENCODINGS = ("gb18030",)


def discover(sources: Iterable[Path]) -> tuple[list[Path], list[Finding]]:
    """Expand files and folders into a sorted list of regular files to read.

    Symlinks leading outside the scanned folders, broken or looping links and special files
    (FIFOs, devices, sockets) are skipped, each with a finding; nothing is ever opened here."""
    sources = list(sources)
    files: list[Path] = []
    findings: list[Finding] = []
    roots = [Path(os.path.realpath(s)) for s in sources if s.is_dir()]
    for source in sources:
        if source.is_dir():
            found = sorted(_files_under(source, roots, findings), key=lambda p: p.parts)
            files.extend(found)
        elif source.is_file():
            files.append(source)
        elif os.path.lexists(source):
            problem = _special_problem(source)
            findings.append(Finding(problem[0], "error", problem[1], source_file=_own_display_path(source)))
        else:
            findings.append(
                Finding(
                    "source_missing",
                    "error",
                    f"找不到输入路径：{_clean_text(str(source))}",
                    source_file=_own_display_path(source),
                )
            )
    return files, findings


def _files_under(folder: Path, roots: list[Path], findings: list[Finding]) -> Iterator[Path]:
    """Regular files below `folder`, skipping hidden files and folders (one directory scan per folder).

    Symlinked folders are not followed (a link inside the scanned folders would list files twice);
    a link out of them, or one that loops, gets a finding."""
    for root, dirs, names in os.walk(folder):
        kept = []
        for name in dirs:
            if name.startswith("."):
                continue
            path = Path(root, name)
            if not path.is_symlink():
                kept.append(name)
                continue
            target = Path(os.path.realpath(path))
            if not _inside(target, roots):
                findings.append(
                    _skipped(
                        path, "symlink_outside", f"符号链接指向扫描文件夹之外（{_clean_text(str(target))}），已跳过。"
                    )
                )
            elif path.parent.resolve() == target or target in path.parent.resolve().parents:
                findings.append(_skipped(path, "symlink_loop", "符号链接指向自己所在的上级文件夹（循环），已跳过。"))
        dirs[:] = kept
        for name in names:
            if name.startswith("."):
                continue
            path = Path(root, name)
            problem = _skip_problem(path, roots)
            if problem is None:
                yield path
            else:
                findings.append(_skipped(path, *problem))


def _skip_problem(path: Path, roots: list[Path]) -> tuple[str, str] | None:
    """Why a directory entry is not read (rule, message), or None for a regular file to read."""
    if path.is_symlink():
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "symlink_loop", "符号链接循环指向自身，无法读取，已跳过。"
            return "symlink_broken", "符号链接指向的文件不存在，已跳过。"
        special = _special_problem(path)
        if special is not None:
            return special
        target = Path(os.path.realpath(path))
        if not _inside(target, roots):
            return (
                "symlink_outside",
                f"符号链接指向扫描文件夹之外（{_clean_text(str(target))}），已跳过，以免读入无关文件。",
            )
    return _special_problem(path)


def _special_problem(path: Path) -> tuple[str, str] | None:
    """A finding's (rule, message) when `path` is not a regular file (checked without opening it)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink_loop", "符号链接循环指向自身，无法读取，已跳过。"
        return "symlink_broken", "符号链接指向的文件不存在，已跳过。"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = "命名管道" if stat.S_ISFIFO(mode) else "设备文件" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "特殊文件"
    return "file_special", f"不是普通文件（{kind}），不是报告，已跳过。"


def _inside(target: Path, roots: list[Path]) -> bool:
    return any(target == root or root in target.parents for root in roots)


def _skipped(path: Path, rule: str, message: str) -> Finding:
    return Finding(rule, "error", message, source_file=_own_display_path(path))


def _own_display_path(path: Path) -> str:
    """Where a link or a missing path itself is (`display_path` would follow the link)."""
    return _shown(Path(os.path.realpath(path.parent)) / path.name)


@dataclass(frozen=True)
class SourceFile:
    """A file to read and its name in provenance (`display_path`), worked out once by whoever found the
    file (the build) and passed along: reading, the warehouse's state of the file and its findings all
    use this name. The content's identity is the SHA-256 of the bytes read (`Document.sha256`)."""

    path: Path
    name: str


def identify(path: Path) -> SourceFile:
    """The file at `path` with its provenance name."""
    return SourceFile(path, display_path(path))


def display_path(path: Path) -> str:
    """Path as stored in provenance: relative to the working directory when inside it.

    Always valid Unicode: a name in another encoding (surrogate escapes from the file system) is
    decoded as GB18030 when it is valid there, else its undecodable bytes are written as \\xNN."""
    return _shown(Path(os.path.realpath(path)))  # realpath: a link loop must not raise


def _shown(resolved: Path) -> str:
    try:
        shown = resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        shown = resolved.as_posix()
    return _clean_text(shown)


def _clean_text(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "/".join(_clean_part(part) for part in text.split("/"))
    return text


def _clean_part(part: str) -> str:
    raw = os.fsencode(part)
    for encoding in ("utf-8", *_NAME_ENCODINGS):
        with contextlib.suppress(UnicodeDecodeError):
            return raw.decode(encoding)
    return raw.decode("utf-8", "backslashreplace")


def name_finding(path: Path, source_file: str | None = None) -> Finding | None:
    """An `info` finding when a file's name is not valid UTF-8 (it is stored decoded, see display_path);
    `source_file` is the file's display path when the caller has it already."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        shown = _clean_part(path.name)
        how = "无法解码的字节记作 \\xNN" if "\\x" in shown else "按 GB18030 解读"
        return Finding(
            "file_name_encoding",
            "info",
            f"文件名不是 UTF-8 编码，{how}，记为“{shown}”；建议改用 UTF-8 文件名。",
            source_file=display_path(path) if source_file is None else source_file,
        )
    return None


def read_document(path: Path, source_file: str | None = None) -> tuple[Document | None, list[Finding]]:
    """Read one file. Returns the document (or None) and what went wrong. `source_file` is the
    file's display path when the caller has it already (a SourceFile's name)."""
    source_file = display_path(path) if source_file is None else source_file
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
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
            return None, ("file_special", "不是普通文件（命名管道、设备等），未读取。")
        size = info.st_size
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
        if not stat.S_ISREG(path.stat().st_mode):  # never open a FIFO or a device
            return None
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
        name = exc.name if isinstance(exc, _ChildError) else type(exc).__name__
        return fail("file_unreadable", f"{suffix} 文件无法解析（{name}），可能已损坏，未入库。")
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
        return _render_bounded(suffix, reader, raw)
    path = Path(folder) / f"{sha256}{suffix}.pickle"
    with contextlib.suppress(OSError, pickle.PickleError, EOFError, AttributeError):
        return pickle.loads(path.read_bytes())  # noqa: S301 (written by this function in this run)
    rendered = _render_bounded(suffix, reader, raw)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_bytes(pickle.dumps(rendered))
        os.replace(partial, path)
    return rendered


# Rendering runs in a forked child where fork is safe and cheap (Linux): a few milliseconds beside the
# seconds a PDF takes, and the reader, its libraries and any test's stand-ins are already loaded.
_ISOLATE = sys.platform.startswith("linux") and hasattr(os, "fork")
# What the child writes to its pipe: a byte per long step begun (an OCR page), then the result.
_STEP, _RESULT = b".", b"!"
_MB = 1024 * 1024


def _render_bounded(suffix: str, reader: formats.Reader, raw: bytes) -> formats.Rendered:
    """Run a format reader in a child process under FILE_READ_SECONDS and FILE_READ_MEMORY_BYTES.

    A hostile or pathological file (a decompression bomb, a page that draws to gigabytes, a parser
    loop) then costs at most that time and memory, and only the child dies: the file gets an error
    finding and the build goes on. Where there is no fork (not Linux) the reader runs in-process.
    """
    # Forking a process that runs other threads (the app's script threads) can deadlock the child on a
    # lock another thread held; the app only re-reads files a build already parsed under these limits.
    if not _ISOLATE or threading.current_thread() is not threading.main_thread():
        return reader(raw, "")
    formats.preload(suffix)
    receive, send = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        code = 1
        try:
            os.close(receive)
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # the parent's handlers are not the child's
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            formats.set_progress(lambda: os.write(send, _STEP))
            limits = _limit_memory(FILE_READ_MEMORY_BYTES)
            outcome = _outcome(reader, raw)
            if limits is not None:  # the result may be pickled with the memory the parser freed
                import resource

                resource.setrlimit(resource.RLIMIT_AS, limits)
            with os.fdopen(send, "wb") as pipe:
                pipe.write(_RESULT + pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
            code = 0
        finally:
            os._exit(code)
    os.close(send)
    reaped, status = False, 0
    started = time.monotonic()
    try:
        payload = _receive(receive)
        if payload is not None:  # the child closed its end: it has finished or died
            _, status = os.waitpid(pid, 0)
            reaped = True
    finally:
        os.close(receive)
        if not reaped:  # over time, or the parent was interrupted: the child goes too
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    if payload is None:
        raise formats.FormatError(
            "file_timeout",
            f"文件解析超时（{time.monotonic() - started:.0f} 秒仍未完成；上限 {FILE_READ_SECONDS:g} 秒，"
            f"文字识别每页另计 {OCR_PAGE_SECONDS:g} 秒），疑似异常文件，已停止解析，未入库。",
        )
    if not payload:
        code = os.waitstatus_to_exitcode(status)
        cause = f"信号 {signal.Signals(-code).name}" if code < 0 else f"退出码 {code}"
        raise formats.FormatError(
            "file_crashed",
            f"文件解析进程异常终止（{cause}），可能超出内存限制（{FILE_READ_MEMORY_BYTES // _MB} MB）"
            "或文件已损坏，未入库。",
        )
    outcome = pickle.loads(payload)  # noqa: S301 (written by the child forked above)
    if outcome[0] == "ok":
        return outcome[1]
    if outcome[0] == "format":
        raise formats.FormatError(outcome[1], outcome[2])
    if outcome[0] == "memory":
        raise formats.FormatError(
            "file_memory", f"文件解析超出内存限制（{FILE_READ_MEMORY_BYTES // _MB} MB），疑似异常文件，未入库。"
        )
    raise _ChildError(outcome[1])


class _ChildError(Exception):
    """An exception of the reader in the child, carried back by name (`_read_structured` reports it)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _outcome(reader: formats.Reader, raw: bytes) -> tuple:
    """What the child sends back: a rendering, a format error, running out of memory, or another error."""
    try:
        return ("ok", reader(raw, ""))
    except formats.FormatError as exc:
        return ("format", exc.rule, exc.message)
    except MemoryError:
        return ("memory",)
    except Exception as exc:
        return ("error", type(exc).__name__)


def _limit_memory(budget: int) -> tuple[int, int] | None:
    """Cap the address space at what the (forked) process already maps plus `budget` bytes; returns
    the limits to restore, or None where /proc or RLIMIT_AS is not available."""
    import resource

    try:
        with open("/proc/self/statm", "rb") as f:
            mapped = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = mapped + budget
        for bound in (soft, hard):
            if bound != resource.RLIM_INFINITY:
                limit = min(limit, bound)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError, IndexError):
        return None
    return soft, hard


def _receive(fd: int) -> bytes | None:
    """The child's result: b"" when it died without one, None when it ran out of time.

    The limit is FILE_READ_SECONDS; each long step the child begins (an OCR page) moves it to at least
    OCR_PAGE_SECONDS from then, so a scan of many pages is not cut while every page is bounded."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + FILE_READ_SECONDS
    result = False
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            if not selector.select(remaining):
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            if not result:
                steps = len(chunk) - len(chunk.lstrip(_STEP))
                if steps:
                    deadline = max(deadline, time.monotonic() + OCR_PAGE_SECONDS)
                    chunk = chunk[steps:]
                if chunk.startswith(_RESULT):
                    result, chunk = True, chunk[1:]
            if result:
                chunks.append(chunk)


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
