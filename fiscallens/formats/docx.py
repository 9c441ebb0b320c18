"""Word (.docx) → text: paragraphs and tables in the order the body holds them.

python-docx (MIT) opens the file; the body is walked as XML so that paragraphs and tables keep
their order (python-docx lists them separately). Each table row becomes a line of tab-separated
cells. A cell merged across columns (`w:gridSpan`) keeps its text in its first column and leaves
the columns it covers empty; a cell merged down rows (`w:vMerge` continued) is empty in the rows
below, as in text exports. A table nested in a cell is flattened into that cell's text.
Old binary Word files (.doc) are not read: save them as .docx.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from fiscallens.formats import FormatError, Rendered, join_row
from fiscallens.formats.archive import check_archive

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(raw: bytes, source_file: str = "") -> Rendered:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_archive(raw, "Word")
    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise FormatError(
            "docx_unreadable",
            f"Word 文件已损坏或不是 .docx 格式（{type(exc).__name__}），无法读取，未入库；"
            "旧版 .doc 请用 Word/WPS 另存为 .docx。",
        ) from exc
    lines: list[str] = []
    tables = 0
    for element in document.element.body.iterchildren():
        if element.tag == f"{_W}p":
            lines.append(_paragraph_text(element))
        elif element.tag == f"{_W}tbl":
            rows = _table_rows(element)
            tables += len(rows) > 0
            lines.extend(rows)
    return Rendered("\n".join(lines) + "\n", (), tables, [])


def _paragraph_text(p: Any) -> str:
    """A paragraph's text: its runs, with tabs and line breaks kept as spaces."""
    parts = []
    for node in p.iter():
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag in (f"{_W}tab", f"{_W}br", f"{_W}cr"):
            parts.append(" ")
    return "".join(parts).strip()


def _table_rows(tbl: Any) -> list[str]:
    out = []
    for tr in tbl.iterchildren(f"{_W}tr"):
        cells: list[str] = []
        for tc in tr.iterchildren(f"{_W}tc"):
            props = tc.find(f"{_W}tcPr")
            span = 1
            continued = False
            if props is not None:
                grid_span = props.find(f"{_W}gridSpan")
                if grid_span is not None:
                    span = int(grid_span.get(f"{_W}val", "1") or 1)
                v_merge = props.find(f"{_W}vMerge")
                # <w:vMerge/> without a value (or "continue") continues the cell above.
                continued = v_merge is not None and v_merge.get(f"{_W}val", "continue") == "continue"
            text = "" if continued else _cell_text(tc)
            cells.extend([text] + [""] * (span - 1))
        line = join_row(cells)
        if line:
            out.append(line)
    return out


def _cell_text(tc: Any) -> str:
    """A cell's paragraphs, one per line (the row renderer joins them); nested tables included."""
    return "\n".join(_paragraph_text(p) for p in tc.iter(f"{_W}p"))
