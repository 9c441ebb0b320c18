"""The app renders its pages against a warehouse built from the bundled corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def app_env(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FISCALLENS_DB", str(warehouse))
    monkeypatch.chdir(ROOT)
    return warehouse


def test_home_lists_reports(app_env: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert at.title[0].value == "报告目录"
    table = at.dataframe[0].value
    assert len(table) == 4
    assert set(table["部门（单位）"]) >= {"黔南州大数据发展管理局", "智慧湘西领导小组办公室"}
    assert "报告数" in [m.label for m in at.metric]


def test_province_filter_narrows_the_list_and_lands_in_the_url(app_env: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    at.sidebar.selectbox(key="filter_province").select("湖南省").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert set(table["省份"]) == {"湖南省"} and len(table) == 2
    assert at.query_params["province"] in ("湖南省", ["湖南省"])


def test_filters_read_from_the_url(app_env: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["province"] = "贵州省"
    at.run()
    assert set(at.dataframe[0].value["省份"]) == {"贵州省"}


def test_quality_page_runs_on_its_own(app_env: Path) -> None:
    # AppTest may run a page without app.py; it must not depend on state app.py sets.
    at = AppTest.from_file(str(ROOT / "pages" / "quality.py"), default_timeout=30).run()
    assert not at.exception
    assert at.title[0].value == "数据质量"


def test_missing_warehouse_is_a_message_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FISCALLENS_DB", str(tmp_path / "none.duckdb"))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "pages" / "reports.py"), default_timeout=30).run()
    assert not at.exception
    assert any("还没有数据仓库" in w.value for w in at.warning)
