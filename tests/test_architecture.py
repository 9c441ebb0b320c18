"""Layering rules that keep the core independent of the UI."""

from __future__ import annotations

import ast
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
