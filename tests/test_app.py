"""The app's pages render against warehouses built from the bundled corpus (AppTest, no browser)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from fiscallens import pipeline
from tests.conftest import run_page

ROOT = Path(__file__).resolve().parent.parent
# page file → (title, the least number of charts its first view shows on the bundled corpus)
PAGES = {
    "overview": ("总览", 1),
    "execution": ("预算执行", 1),
    "functions": ("功能分类支出", 1),
    "three_public": ("“三公”经费", 1),
    "scores": ("绩效评分", 2),
    "report_explorer": ("报告详情", 0),
    "reports": ("报告目录", 0),
    "quality": ("数据质量", 0),
}


@pytest.fixture(scope="session")
def empty_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse whose only document is not a report: every page must say so, not crash."""
    src = tmp_path_factory.mktemp("empty_src")
    (src / "notes.txt").write_text("会议纪要\n今天讨论了食堂菜单。\n", encoding="utf-8")
    db = tmp_path_factory.mktemp("empty_db") / "warehouse.duckdb"
    pipeline.build([src], db, rebuild=True)
    return db


def with_chart_table(at: AppTest, chart_key: str) -> AppTest:
    """Open a chart's 数据 expander (lazy: its table is made only when opened) and rerun."""
    at.session_state[f"data_{chart_key}"] = True
    return at.run()


def charts(at: AppTest) -> list:
    """The page's charts: Plotly's (slides, the map) and ECharts' (every other chart on screen)."""
    return [*at.get("plotly_chart"), *at.get("echarts_chart")]


@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders_with_default_filters(app_env: Path, page: str) -> None:
    title, least_charts = PAGES[page]
    at = run_page(page)
    assert not at.exception, at.exception
    assert at.title[0].value == title
    assert len(charts(at)) >= least_charts


@pytest.mark.parametrize("page", list(PAGES))
def test_page_on_an_empty_warehouse_explains_itself(
    empty_warehouse: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    monkeypatch.setenv("FISCALLENS_DB", str(empty_warehouse))
    monkeypatch.chdir(ROOT)
    at = run_page(page)
    assert not at.exception, at.exception
    assert charts(at) == []
    messages = [m.value for m in [*at.info, *at.success]]
    if page == "quality":  # the file that is not a report is itself a finding to list
        assert "未识别出报告类型" in set(at.dataframe[0].value["规则"])  # the rule's name, not its id
    else:
        assert messages, "an empty page must say what is missing"


@pytest.mark.parametrize(
    ("page", "params", "message"),
    [
        ("functions", {"province": "湖南省"}, "没有按功能分类列示"),
        ("three_public", {"department": "智慧湘西领导小组办公室"}, "没有“三公”经费数据"),
        ("scores", {"department": "湘潭市大数据和产业创新发展中心"}, "没有带自评总分"),
    ],
)
def test_a_selection_without_data_gets_an_empty_state(app_env: Path, page: str, params: dict, message: str) -> None:
    at = run_page(page, **params)
    assert not at.exception
    assert charts(at) == []
    assert any(message in m.value for m in at.info)


def test_filters_come_from_the_url_and_narrow_the_chart(app_env: Path) -> None:
    everything = with_chart_table(run_page("execution"), "rates")
    hunan = with_chart_table(run_page("execution", province="湖南省"), "rates")
    assert not hunan.exception
    assert hunan.sidebar.selectbox(key="filter_province").value == "湖南省"
    # The chart's data table (first dataframe on the page) holds one row per region and year.
    assert len(hunan.dataframe[0].value) == 2 < len(everything.dataframe[0].value)
    assert int(hunan.dataframe[0].value["报告数"].sum()) == 2


def test_changing_a_filter_updates_the_url(app_env: Path) -> None:
    at = run_page("reports")
    at.sidebar.selectbox(key="filter_province").select("贵州省").run()
    assert not at.exception
    assert set(at.dataframe[0].value["省份"]) == {"贵州省"}
    assert at.query_params["province"] in ("贵州省", ["贵州省"])


def test_charts_are_one_bar_per_province_until_a_province_is_chosen(app_env: Path) -> None:
    everything = with_chart_table(run_page("execution"), "rates")
    regions = set(everything.dataframe[0].value["地区"])
    assert regions and all(r.endswith(("省", "市", "自治区")) for r in regions), regions
    guizhou = with_chart_table(run_page("execution", province="贵州省"), "rates")
    assert "贵州省" not in set(guizhou.dataframe[0].value["地区"])  # its prefectures instead


def test_tables_are_paged_in_sql_with_a_note(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fiscallens.settings.TABLE_PAGE_ROWS", 2)
    at = run_page("quality")
    assert not at.exception
    notes = " ".join(c.value for c in at.caption)
    assert "显示前 2 条，共" in notes
    assert len(at.dataframe[0].value) == 2
    at.number_input(key="page_findings").set_value(2).run()
    assert "显示第 3–4 条，共" in " ".join(c.value for c in at.caption)


def test_app_entry_point_runs_navigation(app_env: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "总览"
    assert "总体执行率" in [m.label for m in at.metric]


def test_overview_summary_sentences_come_from_the_warehouse(app_env: Path) -> None:
    at = run_page("overview")
    bullets = " ".join(m.value for m in at.markdown)
    assert "州智慧湘西建设专项" in bullets and "639.51 万元" in bullets


def test_report_explorer_masks_phone_numbers(app_env: Path) -> None:
    at = run_page("report_explorer", department="智慧湘西领导小组办公室")
    assert not at.exception
    # Tabs run only when open: every tab's excerpt and tables, one run each.
    runs = [run_page("report_explorer", department="智慧湘西领导小组办公室", tab=tab.label) for tab in at.tabs]
    shown = " ".join(h.value for run in runs for h in run.html if "<pre" in h.value)
    tables = " ".join(d.value.to_csv() for run in runs for d in run.dataframe)
    assert "原文上下文" in " ".join(m.value for run in runs for m in run.markdown)
    assert "▶" in shown and "│" in shown  # the excerpts were read (the assertion below could not fail otherwise)
    assert "15274311637" not in shown + tables


def test_missing_warehouse_is_a_message_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FISCALLENS_DB", str(tmp_path / "none.duckdb"))
    monkeypatch.chdir(ROOT)
    at = run_page("overview")
    assert not at.exception
    assert any("还没有数据仓库" in w.value for w in at.warning)


def test_a_rebuilt_warehouse_is_picked_up(corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "src"
    shutil.copytree(corpus_dir, src, ignore=shutil.ignore_patterns("003_*"))
    db = tmp_path / "w.duckdb"
    pipeline.build([src], db, rebuild=True)
    monkeypatch.setenv("FISCALLENS_DB", str(db))
    monkeypatch.chdir(ROOT)
    before = len(run_page("reports").dataframe[0].value)
    shutil.copy(next(corpus_dir.glob("003_*")), src)
    pipeline.build([src], db)
    assert len(run_page("reports").dataframe[0].value) == before + 1


def test_brief_mode_shows_charts_with_their_context_and_no_widgets(app_env: Path) -> None:
    at = run_page("execution", brief="1", province="湖南省")
    assert not at.exception
    assert len(at.title) == 0 and len(at.dataframe) == 0 and len(at.expander) == 0
    figures = charts(at)
    assert len(figures) == 2
    layout = json.loads(figures[0].proto.spec)["layout"]
    drawn = " ".join(a["text"] for a in layout["annotations"])
    assert "湖南省" in drawn and "数据来源" in drawn and "数据截至" in drawn
    assert (layout["width"], layout["height"]) == (1280, 720)


def test_brief_toggle_writes_the_url(app_env: Path) -> None:
    at = run_page("scores")
    at.sidebar.toggle(key="brief_toggle").set_value(True).run()
    assert at.query_params["brief"] in ("1", ["1"])


def _ascii_headers(at: AppTest) -> list[str]:
    hidden = {"报告标识"}
    return [c for d in at.dataframe for c in d.value.columns if c not in hidden and str(c).isascii()]


@pytest.mark.parametrize("page", ["execution", "quality", "report_explorer", "reports", "scores", "three_public"])
def test_tables_show_no_raw_values(app_env: Path, page: str) -> None:
    # issue 16: None, nan, English headers and rule ids were shown; missing values are "—" instead.
    at = run_page(page)
    assert not at.exception
    assert _ascii_headers(at) == []
    for frame in at.dataframe:
        assert frame.proto.placeholder == "—"
        text = frame.value.select_dtypes(include="object")
        assert not text.isin(["None", "nan", "NaN"]).any().any()
        if "规则" in frame.value.columns:
            assert not frame.value["规则"].str.fullmatch(r"[a-z_0-9]+").any()


def test_execution_tables_put_rate_shortfall_and_reason_first(app_env: Path) -> None:
    # issue 16: 执行率/未执行/偏差原因 were off the right edge at 1440 px.
    by_report = run_page("execution", tab="各报告执行情况").dataframe[-1].value
    at = run_page("execution", tab="项目执行明细")
    projects = at.dataframe[-1].value
    assert list(by_report.columns[:3]) == ["评价对象", "执行率（%）", "未执行（万元）"]
    assert list(projects.columns[:4]) == ["项目", "执行率（%）", "未执行（万元）", "偏差原因（报告原文）"]
    config = json.loads(at.dataframe[-1].proto.columns)
    assert config["偏差原因（报告原文）"]["width"] == "large"
    assert config["未执行（万元）"]["type_config"]["format"] == "localized"


def test_report_explorer_labels_and_first_tab_have_data(app_env: Path) -> None:
    # issue 16: labels read "· nan ·" and a budget report opened on an empty 评价对象（0） tab.
    at = run_page("report_explorer")
    labels = list(at.selectbox[0].options)
    assert labels and not any("nan" in label or "None" in label for label in labels)
    from fiscallens.warehouse import connect_readonly

    con = connect_readonly(app_env)
    try:
        report_ids = [r for (r,) in con.execute("SELECT report_id FROM reports ORDER BY report_id").fetchall()]
    finally:
        con.close()
    for report_id in report_ids:
        shown = run_page("report_explorer", report=report_id)
        assert not shown.exception
        assert all("（0）" not in tab.label for tab in shown.tabs)


def _url_value(at: AppTest, key: str) -> str | None:
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def test_clicking_a_row_of_the_report_list_opens_its_report(app_env: Path) -> None:
    # issue 16: 报告目录 had no link from a report to its 报告详情 (then only a picker under the table).
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["province"] = "贵州省"
    at.run()
    at.switch_page("pages/reports.py").run()
    table = at.dataframe[0]
    assert table.key == "rows_reports" and len(at.selectbox) == len(at.sidebar.selectbox)  # no picker left
    report_id = table.value["报告标识"].iloc[1]
    at.session_state["rows_reports"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert at.title[0].value == "报告详情"
    assert _url_value(at, "report") == report_id and _url_value(at, "province") == "贵州省"


FINDINGS_NOTE = re.compile(r"\d+ 份报告有 \d+ 条错误、\d+ 条警告")


@pytest.mark.parametrize("params", [{}, {"province": "贵州省"}], ids=["all", "province"])
@pytest.mark.parametrize("page", ["overview", "execution", "functions", "three_public", "scores", "department"])
def test_the_findings_note_appears_at_most_once_per_page(app_env: Path, page: str, params: dict) -> None:
    # issue 16: the same "4 份报告…14 条警告" note repeated under every chart (5 times on 同类部门).
    at = run_page(page, **params)
    assert not at.exception
    notes = [c.value for c in at.caption if FINDINGS_NOTE.search(c.value)]
    assert len(notes) <= 1, notes
    at.run()  # a rerun of the same page (a widget changed) places it again, once
    assert len([c for c in at.caption if FINDINGS_NOTE.search(c.value)]) == len(notes)


def test_the_findings_note_counts_the_reports_of_every_chart_on_the_page(app_env: Path) -> None:
    # 同类部门 draws its peers' figures in several charts: the one note counts the reports of all of them.
    notes = [c.value for c in run_page("department").caption if FINDINGS_NOTE.search(c.value)]
    assert len(notes) == 1 and "本页数字所在的" in notes[0]
