"""Layering rules that keep the core independent of the UI."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_core_imports_without_streamlit() -> None:
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "fiscallens").rglob("*.py")
        if p.name != "__main__.py"
    )
    code = "import sys; sys.modules['streamlit'] = None\n" + "".join(f"import {m}\n" for m in modules)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_pages_hold_no_sql() -> None:
    for page in [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]:
        tree = ast.parse(page.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                assert node.attr not in {"execute", "sql", "query"}, f"{page.name} runs SQL directly"
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert "SELECT " not in node.value.upper(), f"{page.name} embeds SQL"


def test_every_named_query_documents_itself() -> None:
    from fiscallens.queries import load_queries

    queries = load_queries()
    assert {"reports", "quality_flags", "filter_options"} <= set(queries)
    for query in queries.values():
        assert query.title and query.answers and query.grain, query.name
        assert set(query.params) == set(query.param_labels), query.name


def test_warehouse_reference_is_current() -> None:
    from fiscallens.schema_doc import render

    committed = (ROOT / "docs" / "warehouse.md").read_text(encoding="utf-8")
    assert committed == render(), "run: python -m fiscallens schema-doc --out docs/warehouse.md"


# Sizes that keep a module readable in one sitting and a function on one screen (issue 15).
MAX_MODULE_LINES = 800
MAX_FUNCTION_LINES = 80
CODE_DIRS = ("fiscallens", "ui", "pages")


def _code_files() -> list[Path]:
    return sorted([ROOT / "app.py", *(p for d in CODE_DIRS for p in (ROOT / d).rglob("*.py"))])


def test_modules_and_functions_stay_small() -> None:
    too_long = []
    for path in _code_files():
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT)
        if text.count("\n") > MAX_MODULE_LINES:
            too_long.append(f"{name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    too_long.append(f"{name}:{node.lineno} {node.name}: {lines} lines")
    assert not too_long, too_long


def _package_parts() -> set[str]:
    """The names a newcomer meets in fiscallens/: its modules, subpackages and SQL files."""
    package = ROOT / "fiscallens"
    parts = {p.name for p in package.glob("*.py")} - {"__init__.py", "__main__.py"}
    parts |= {p.name + "/" for p in package.iterdir() if (p / "__init__.py").exists()}
    parts |= {p.name for p in package.glob("*.sql")}
    return parts


def test_the_package_map_names_every_module() -> None:
    """fiscallens/__init__'s docstring and README's Architecture section describe the code as it is."""
    import fiscallens

    docstring = fiscallens.__doc__ or ""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    architecture = readme.split("### Architecture", 1)[1].split("\n### ", 1)[0]
    for part in sorted(_package_parts()):
        named = re.compile(rf"(?<!\w){re.escape(part)}")
        assert named.search(docstring), f"fiscallens/__init__ docstring does not mention {part}"
        assert named.search(architecture), f"README's Architecture section does not mention {part}"
