"""Issue 14: no injection into what users see, and sessions that do not hurt each other.

A crafted dashboard link and a warehouse whose names and findings carry Markdown links and HTML
must come out as text; cache clears and warehouse swaps during use must fail no query.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from fiscallens import marts
from tests.conftest import run_page

ROOT = Path(__file__).resolve().parent.parent
# The link from the issue: it closes the exit link's <a> and adds a full-page link of its own.
PHISH = (
    "1'></a><a href='http://phish.invalid/login' style='position:fixed;top:0;left:0;width:100%;height:100%;"
    "background:#fff;z-index:99999'>会话已过期，请重新登录</a><a x='"
)
# Names and messages a document (or a hostile file) can carry.
HOSTILE_DEPARTMENT = "[点我](http://phish.invalid)<img src=x onerror=alert(1)>办公室"
HOSTILE_PROJECT = "<a href='http://phish.invalid'>专项</a>**粗体**"
HOSTILE_MESSAGE = "表格与文字不一致 [详情](http://phish.invalid) <b>x</b> 联系电话：185-0854-2270"
# Markup that is live when not preceded by a backslash escape.
LIVE_MARKUP = re.compile(r"(?<!\\)\[点我|(?<!\\)<img|(?<!\\)<a href|(?<!\\)\*\*粗体|(?<!\\)\]\(http")


def shown_markdown(at: AppTest) -> list[str]:
    """The Markdown source of every text element Streamlit renders as Markdown."""
    elements = [*at.markdown, *at.caption, *at.info, *at.success, *at.warning, *at.error]
    return [e.value for e in elements] + [e.value for e in at.sidebar.markdown]


@pytest.fixture(scope="module")
def hostile_warehouse(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the corpus warehouse whose department, project and finding texts are hostile."""
    db = tmp_path_factory.mktemp("hostile") / "warehouse.duckdb"
    shutil.copy(warehouse, db)
    con = duckdb.connect(str(db))
    try:
        ids = [
            r[0]
            for r in con.execute("SELECT report_id FROM reports WHERE department = '智慧湘西领导小组办公室'").fetchall()
        ]
        assert ids
        for report_id in ids:
            con.execute("UPDATE reports SET department = ? WHERE report_id = ?", [HOSTILE_DEPARTMENT, report_id])
            con.execute("UPDATE documents SET department = ? WHERE report_id = ?", [HOSTILE_DEPARTMENT, report_id])
            con.execute("UPDATE evaluations SET name = ? || name WHERE report_id = ?", [HOSTILE_PROJECT, report_id])
            con.execute(
                "UPDATE reports SET project_name = ? || coalesce(project_name, '') WHERE report_id = ?",
                [HOSTILE_PROJECT, report_id],
            )
            con.execute(
                "INSERT INTO quality_flags (report_id, source_file, source_line, stage, rule, severity, message) "
                "SELECT report_id, source_files[1], 1, 'audit', 'test_hostile', 'warning', ? FROM reports "
                "WHERE report_id = ?",
                [HOSTILE_MESSAGE, report_id],
            )
        marts.materialise(con)  # the pages read the materialised marts
    finally:
        con.close()
    return db


def test_a_crafted_link_cannot_add_markup_in_brief_mode(app_env: Path) -> None:
    at = run_page("execution", brief="1", zz=PHISH)
    assert not at.exception, at.exception
    html = [m.value for m in at.markdown if "退出简报模式" in m.value]
    assert len(html) == 1
    assert "<a href='http://phish.invalid" not in html[0]
    assert "phish.invalid/login' style" not in html[0]
    assert html[0].count("<a ") == 1 and html[0].count("</a>") == 1  # only the fixed markup is HTML
    # The exit link keeps the other parameters, URL-encoded: they round-trip, the brief switch is gone.
    href = re.search(r"href='([^']*)'", html[0]).group(1).replace("&amp;", "&")
    assert "'" not in href and "<" not in href and " " not in href
    assert parse_qs(urlsplit(href).query) == {"zz": [PHISH]}


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("overview", {}),
        ("overview", {"department": HOSTILE_DEPARTMENT}),
        ("execution", {"department": HOSTILE_DEPARTMENT}),
        ("three_public", {"department": HOSTILE_DEPARTMENT}),
        ("scores", {"department": HOSTILE_DEPARTMENT}),
        ("reports", {"department": HOSTILE_DEPARTMENT}),
    ],
)
def test_names_and_findings_from_documents_come_out_as_text(
    hostile_warehouse: Path, monkeypatch: pytest.MonkeyPatch, page: str, params: dict
) -> None:
    monkeypatch.setenv("FISCALLENS_DB", str(hostile_warehouse))
    monkeypatch.chdir(ROOT)
    at = run_page(page, **params)
    assert not at.exception, at.exception
    texts = shown_markdown(at)
    if params:  # the hostile department is selected, and named in the page's captions
        assert at.sidebar.selectbox(key="filter_department").value == HOSTILE_DEPARTMENT
        assert any("点我" in t for t in texts), texts
    live = [t for t in texts if LIVE_MARKUP.search(t)]
    assert not live, live


def test_overview_sentences_name_hostile_projects_as_text(
    hostile_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FISCALLENS_DB", str(hostile_warehouse))
    monkeypatch.chdir(ROOT)
    at = run_page("overview")
    bullets = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert any("专项" in b and "phish" in b for b in bullets), bullets
    assert not [b for b in bullets if LIVE_MARKUP.search(b)]


def test_findings_tables_mask_personal_data(hostile_warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FISCALLENS_DB", str(hostile_warehouse))
    monkeypatch.chdir(ROOT)
    # The findings are the last tab (tabs run only when open).
    tabs = run_page("report_explorer", department=HOSTILE_DEPARTMENT).tabs
    at = run_page("report_explorer", department=HOSTILE_DEPARTMENT, tab=tabs[-1].label)
    assert not at.exception, at.exception
    shown = " ".join(frame.value.to_csv() for frame in at.dataframe)
    assert "表格与文字不一致" in shown and "185-****-2270" in shown
    assert "185-0854-2270" not in shown


# --- sessions ----------------------------------------------------------------------------------

SWAPS = 20
READERS = 4


def test_cache_clears_and_warehouse_swaps_fail_no_query(
    warehouse: Path, hostile_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Readers run named queries while another thread clears Streamlit's caches (what any client's
    `clear_cache` does) and swaps a rebuilt warehouse into place 20 times, as a build does."""
    from ui import data

    db = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse, db)
    monkeypatch.setenv("FISCALLENS_DB", str(db))
    versions = [warehouse, hostile_warehouse]
    failures: list[str] = []
    done = threading.Event()
    runs = [0] * READERS

    def read(n: int) -> None:
        while not done.is_set():
            try:
                data.named("warehouse_info")
                data.named("findings_by_severity", report_id=None)
                data.named_count("quality_flags", severity=None, report_id=None)
                data.named("reports", report_id=None, limit=50, offset=0, **dict.fromkeys(_FILTERS))
                runs[n] += 1
            except Exception as exc:  # every failure counts, whatever its type
                failures.append(repr(exc))

    def clear() -> None:
        while not done.is_set():
            st.cache_resource.clear()
            st.cache_data.clear()

    threads = [threading.Thread(target=read, args=(n,)) for n in range(READERS)]
    threads.append(threading.Thread(target=clear))
    for thread in threads:
        thread.start()
    try:
        for swap in range(SWAPS):
            staged = tmp_path / f"staged-{swap}.duckdb"
            shutil.copy(versions[swap % 2], staged)
            os.replace(staged, db)
            done.wait(0.15)
    finally:
        done.set()
        for thread in threads:
            thread.join(60)
    assert not failures, failures[:5]
    assert min(runs) > 0
    # The last file swapped in is the one read afterwards.
    st.cache_data.clear()
    last = versions[(SWAPS - 1) % 2]
    shutil.copy(last, tmp_path / "expected.duckdb")
    expected = duckdb.connect(str(tmp_path / "expected.duckdb"), read_only=True)
    try:
        flags = expected.execute("SELECT count(*) FROM quality_flags").fetchone()[0]
    finally:
        expected.close()
    assert data.named_count("quality_flags", severity=None, report_id=None) == flags


_FILTERS = ("province", "prefecture", "department", "year_from", "year_to", "doc_type")


def test_chart_titles_and_brief_text_render_names_as_text() -> None:
    """Plotly renders a subset of HTML in titles and annotations: a name from a document or a link
    must not become a link there either."""
    import plotly.graph_objects as go

    from fiscallens import brief, charts, figure_export

    hostile = "<a href='http://phish.invalid'>点我</a>"
    fig = charts._layout(go.Figure(), f"{hostile}预算执行", subtitle=hostile)
    title = fig.layout.title.text
    assert "<a href" not in title and "&lt;a href=" in title and "<br><sup>" in title
    wrapped = brief._wrap(f"数据质量警告：{hostile}，执行率偏低。", 20)
    assert "<a href" not in wrapped and "&lt;a href=" in wrapped
    context = figure_export.with_context(go.Figure(), hostile, "数据来源", "2026-12-07")
    assert all("<a href" not in a.text for a in context.layout.annotations)
