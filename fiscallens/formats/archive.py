"""Limits on a zip-packaged file (.docx, .xlsx) checked before any library opens it.

A Word or Excel file is a zip archive. Its central directory states every entry's packed and unpacked
size; Python's zipfile never unpacks more than the stated size (a member that would grow beyond it fails
its CRC check), so the stated sizes bound what openpyxl or python-docx can unpack. A zip bomb — a few
hundred KB that unpack to gigabytes of sheet XML — is refused here, before a byte of it is decompressed.
"""

from __future__ import annotations

import io
import zipfile

from fiscallens.formats import FormatError
from fiscallens.settings import (
    ARCHIVE_RATIO_MIN_BYTES,
    MAX_ARCHIVE_ENTRIES,
    MAX_ARCHIVE_RATIO,
    MAX_ARCHIVE_UNPACKED_BYTES,
)

_MB = 1024 * 1024


def check_archive(raw: bytes, kind: str) -> None:
    """Raise FormatError (`archive_too_large`) when the zip's entries are too many, unpack to too much,
    or one of them is packed more tightly than documents ever are. `kind` names the format ("Excel")."""
    try:
        entries = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a readable zip: the format's reader reports it as broken
    refuse = f"{kind} 文件疑似压缩炸弹或异常文件"
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        raise FormatError(
            "archive_too_large",
            f"{refuse}：压缩包内有 {len(entries):,} 个部件（上限 {MAX_ARCHIVE_ENTRIES:,} 个），未解压，未入库。",
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_ARCHIVE_UNPACKED_BYTES:
        raise FormatError(
            "archive_too_large",
            f"{refuse}：解压后共 {unpacked / _MB:,.0f} MB（上限 {MAX_ARCHIVE_UNPACKED_BYTES // _MB} MB），"
            "未解压，未入库。",
        )
    for entry in entries:
        if entry.file_size >= ARCHIVE_RATIO_MIN_BYTES:
            ratio = entry.file_size / max(entry.compress_size, 1)
            if ratio > MAX_ARCHIVE_RATIO:
                raise FormatError(
                    "archive_too_large",
                    f"{refuse}：部件 {entry.filename[:80]} 的压缩比为 {ratio:,.0f} 比 1"
                    f"（上限 {MAX_ARCHIVE_RATIO} 比 1，正常文档约 10 比 1），未解压，未入库。",
                )
