"""The layout of `fiscallens.extract`: readers side by side, shared machinery apart, one amount grammar."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import fiscallens.extract as extract
from fiscallens.extract.evaluation import stated_unit
from fiscallens.extract.fund_tables import read_function_codes, read_fund_tables
from fiscallens.extract.prose import (
    AMOUNT_RE,
    amount_pattern,
    passages,
    prose_of,
    sentence_amount,
    spaced_amount,
)
from fiscallens.extract.table import lines_above
from fiscallens.model import Document
from fiscallens.read import read_document

PACKAGE = Path(extract.__file__).parent


def _listed(heading: str) -> set[str]:
    """Module names the package docstring lists after `heading:` (the line and its indented continuation)."""
    doc = extract.__doc__ or ""
    match = re.search(rf"^{heading}: (.+(?:\n    .+)*)", doc, re.MULTILINE)
    assert match, heading
    return {name.strip() for name in match.group(1).replace("\n", " ").split(",")}


def _imported_modules(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("fiscallens.extract."):
            found.add(node.module.rsplit(".", 1)[1])
    return found


def test_the_docstring_lists_every_module_once_as_reader_or_shared() -> None:
    readers, shared = _listed("Readers"), _listed("Shared")
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert readers | shared == modules and not readers & shared
    assert {reader.__module__.rsplit(".", 1)[1] for reader, _ in extract.READERS} == readers


def test_readers_do_not_import_readers_and_shared_modules_import_no_reader() -> None:
    readers = _listed("Readers")
    for module in readers | _listed("Shared"):
        assert not _imported_modules(module) & readers, module


def test_function_codes_are_read_right_after_the_fund_tables() -> None:
    order = [reader for reader, _ in extract.READERS]
    assert order.index(read_function_codes) == order.index(read_fund_tables) + 1
    assert dict(extract.READERS)[read_function_codes] == dict(extract.READERS)[read_fund_tables]


def test_one_amount_grammar_in_two_spellings() -> None:
    compact = re.compile(amount_pattern())
    spaced = re.compile(amount_pattern(spaced=True))
    # The whitespace-free stream also reads 亿 and a 万 displaced in front of the number.
    for token, wan in (("1,268万元", 1268.0), ("20000000元", 2000.0), ("1.5亿元", 15000.0), ("万133.58元", 133.58)):
        assert compact.fullmatch(token) and sentence_amount(token) == (wan, token.startswith("万1"))
    # Spaced text keeps the spaces extraction left, and reads 万元, 元 and a bare 万 only.
    for text, wan in (("620 万元", 620.0), ("20. 5万元", 20.5), ("8万", 8.0), ("3000 元", 0.3)):
        match = spaced.fullmatch(text)
        assert match and spaced_amount(match) == wan
    assert not spaced.fullmatch("1.5亿元") and not spaced.fullmatch("万133.58元")
    # A bare 万 followed by a word is a count in both spellings.
    assert not AMOUNT_RE.fullmatch("10万人") and not re.match(spaced.pattern + "$", "10万人")


def _doc(tmp_path: Path, text: str) -> Document:
    path = tmp_path / "001_snippet.txt"
    path.write_text(text, encoding="utf-8")
    doc, _ = read_document(path)
    assert doc is not None
    return doc


def test_prose_stream_and_passages_remember_their_lines(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "项目全年预算数 620\n万元，执行数 600 万元。\n\n科目\t金额\n合计\t3.5\n")
    prose = prose_of(doc)
    assert prose.text.startswith("项目全年预算数620万元,执行数600万元。科目\n金额\n")
    assert prose.line_at(prose.text.index("执行数")) == 2 and prose.line_at(-1) == 1
    assert prose.line_at(len(prose.text) + 5) == 5
    first = passages(doc)[0]
    assert first.text == "项目全年预算数 620万元,执行数 600 万元。" and first.first_line == 1
    assert first.line_at(first.text.index("执行数")) == 2


def test_stated_unit_is_the_nearest_note(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "单位：元\n说明\n资金（万元）\n资金来源\t全年预算数\t全年执行数\n")
    assert stated_unit(doc, 4) == "万元"
    assert stated_unit(doc, 4, ["项目资金 (元)"]) == "元"
    assert list(lines_above(4, 2)) == [3, 2] and list(lines_above(2, 4)) == [1]
