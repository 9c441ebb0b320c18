"""Indicator tables and score sentences: snippets of each layout, then the bundled reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from fiscallens import classify, read
from fiscallens.extract import extract_report
from fiscallens.extract.context import ReportContext
from fiscallens.extract.indicators import read_indicator_tables
from fiscallens.extract.scores import read_score_sentences
from tests.conftest import REPORTS_DIR

TAB_FORM = """某市某局2022年度项目支出绩效自评表
项目名称\t\t智慧城市运维专项
项目资金 (万元)\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分
绩效 指标\t一级指标\t二级指标\t三级指标\t年度 指标值\t实际 完成值\t分值\t得分\t偏差原因
\t产出指标 (50分)\t数量指标\t完成数据资源共享单位\t48 个\t{actual} 个\t4\t4\t
\t\t\t建成数据中心及机房\t55 个\t55 个\t4\t3.5\t设备到货延迟
\t\t\t发布大数据相关国\t≥3 项\t6\t15\t15\t
\t\t家标准
\t\t质量指标\t验收合格率\t100%\t95. 56%\t6\t5. 73\t部分项目未验收
\t\t数量\t甲指标\t40 家 ≥25 个\t44 家 25 个\t6 7\t6 7\t
满意度指标 (10分)\t服务对象满意度指标\t群众满意度\t≥90%\t85%\t7\t6. 61\t
总分\t\t\t\t\t100\t96.5\t
评分：96.5 等级：优
"""

FLAT_FORM = """部门整体支出绩效目标自评表
（2021年度）
部门（单位）名称 某州某局
一级指标 二级指标 三级指标 年度指标值(A) 实际完成值(B) 分值 得分 未完成原因分析

产
出
指
标

(50分)

数量

完成上级安排的
其他工作

按时保质完成 完成 4 4

新增平台经济企业 ≧6户 28户 2 2

质量 按时完成年度目标 100% 100% 5 5

效
益
指
标

社会效益

实现数据共享。

实现高频数据集上架
共享

实现280余项高频数据集
上架共享。

3 3

总         分 100 14
"""


def context_for(tmp_path: Path, text: str) -> tuple[ReportContext, read.Document]:
    path = tmp_path / "form.txt"
    path.write_text(text, encoding="utf-8")
    doc, _ = read.read_document(path)
    assert doc is not None
    c, _ = classify.classify(doc)
    assert c is not None
    return ReportContext("R1", c, [doc]), doc


def indicators_by_name(ctx: ReportContext) -> dict[str, dict]:
    return {row["level3"]: row for row in ctx.rows("indicators")}


def test_tab_rows_are_read_from_their_right_end(tmp_path: Path) -> None:
    ctx, doc = context_for(tmp_path, TAB_FORM.format(actual=48))
    read_indicator_tables(ctx, doc)
    rows = indicators_by_name(ctx)
    share = rows["完成数据资源共享单位"]
    assert (share["target_value"], share["actual_value"], share["unit"], share["weight"], share["score"]) == (
        48,
        48,
        "个",
        4,
        4,
    )
    assert (share["level1"], share["level2"]) == ("产出指标", "数量指标")
    assert rows["建成数据中心及机房"]["shortfall_reason"] == "设备到货延迟"
    assert rows["建成数据中心及机房"]["level2"] == "数量指标"  # carried down a merged cell
    quality = rows["验收合格率"]
    assert (quality["actual_value"], quality["score"], quality["level2"]) == (95.56, 5.73, "质量指标")
    satisfaction = rows["群众满意度"]
    assert (satisfaction["direction"], satisfaction["target_value"], satisfaction["level1"]) == (">=", 90, "满意度指标")
    evaluation = ctx.rows("evaluations")[0]
    assert (evaluation["scope"], evaluation["name"], evaluation["total_score"]) == ("project", "智慧城市运维专项", 96.5)


def test_a_changed_number_changes_the_fact(tmp_path: Path) -> None:
    ctx, doc = context_for(tmp_path, TAB_FORM.format(actual=47))
    read_indicator_tables(ctx, doc)
    assert indicators_by_name(ctx)["完成数据资源共享单位"]["actual_value"] == 47


def test_wrapped_name_continues_the_previous_row(tmp_path: Path) -> None:
    ctx, doc = context_for(tmp_path, TAB_FORM.format(actual=48))
    read_indicator_tables(ctx, doc)
    assert "发布大数据相关国家标准" in indicators_by_name(ctx)


def test_two_indicators_in_one_row_are_not_guessed(tmp_path: Path) -> None:
    ctx, doc = context_for(tmp_path, TAB_FORM.format(actual=48))
    read_indicator_tables(ctx, doc)
    assert "甲指标" not in indicators_by_name(ctx)
    merged = [f for f in ctx.findings if f.rule == "indicator_row_merged"]
    assert len(merged) == 1 and merged[0].severity == "info"
    assert doc.lines[merged[0].source_line - 1].startswith("\t\t数量\t甲指标")


def test_flat_rows_with_vertical_labels_and_wrapped_cells(tmp_path: Path) -> None:
    ctx, doc = context_for(tmp_path, FLAT_FORM)
    read_indicator_tables(ctx, doc)
    rows = indicators_by_name(ctx)
    assert set(rows) == {"完成上级安排的其他工作", "新增平台经济企业", "按时完成年度目标", "实现数据共享。"}
    assert rows["完成上级安排的其他工作"]["target_text"] == "按时保质完成"
    platform = rows["新增平台经济企业"]
    assert (platform["direction"], platform["target_value"], platform["unit"], platform["actual_value"]) == (
        ">=",
        6,
        "户",
        28,
    )
    assert rows["按时完成年度目标"]["level2"] == "质量"
    shared = rows["实现数据共享。"]
    assert (shared["level1"], shared["level2"], shared["direction"]) == ("效益指标", "社会效益", "qualitative")
    assert shared["target_text"] == "实现高频数据集上架共享"
    assert shared["actual_text"] == "实现280余项高频数据集上架共享。"
    evaluation = ctx.rows("evaluations")[0]
    assert (evaluation["scope"], evaluation["total_score"]) == ("department", 14)


DEPARTMENT_TITLE = "某市某局2023年度部门整体支出绩效自评报告\n"
PROJECT_TITLE = "某市某局2023年度某某建设专项支出绩效自评报告\n项目名称 某某建设专项\n"


@pytest.mark.parametrize(
    ("head", "sentence", "scope", "score", "grade"),
    [
        (PROJECT_TITLE, "该项目自评得90分,自评等级为“优”。", "project", 90, "优"),
        (PROJECT_TITLE, "评分：96.5 等级：良", "project", 96.5, "良"),
        (DEPARTMENT_TITLE, '2023 年市大数据局部门整体绩效自评 98. 34 分,自评等级为"优"。', "department", 98.34, "优"),
    ],
)
def test_score_sentences(tmp_path: Path, head: str, sentence: str, scope: str, score: float, grade: str) -> None:
    ctx, doc = context_for(tmp_path, head + sentence + "\n")
    read_score_sentences(ctx, doc)
    evaluation = ctx.rows("evaluations")[0]
    assert (evaluation["scope"], evaluation["total_score"], evaluation["grade"]) == (scope, score, grade)


def test_a_project_sentence_without_a_project_is_not_given_to_the_department(tmp_path: Path) -> None:
    ctx, doc = context_for(tmp_path, DEPARTMENT_TITLE + "该项目自评得90分。\n")
    read_score_sentences(ctx, doc)
    assert ctx.rows("evaluations") == []


def test_partial_scores_are_not_totals(tmp_path: Path) -> None:
    ctx, doc = context_for(tmp_path, "某市某局2023年度部门整体支出绩效自评报告\n预算执行情况总分30分,得分30分。\n")
    read_score_sentences(ctx, doc)
    assert ctx.rows("evaluations") == []


def _report(prefix: str) -> tuple[dict, list[dict]]:
    docs = []
    for path in sorted(REPORTS_DIR.glob(f"{prefix}_*.txt")):
        doc, _ = read.read_document(path)
        assert doc is not None
        docs.append((doc, classify.classify(doc)[0]))
    facts, _ = extract_report("R", docs)
    return facts.rows, docs


def _find(rows: list[dict], **match: object) -> dict:
    found = [r for r in rows if all(r.get(k) == v for k, v in match.items())]
    assert len(found) == 1, (match, len(found))
    return found[0]


@pytest.mark.parametrize(
    ("prefix", "name", "target", "actual", "weight", "score"),
    [
        ("001", "项目验收合格率", "100%", "95. 56%", 6, 5.73),
        ("001", "服务企业满意度", "≥90%", "85%", 7, 6.61),
        ("004", "完成数据资源共享单位", "48 个", "48 个", 4, 4),
        ("002", "新增平台经济企业", "≧6户", "28户", 2, 2),
    ],
)
def test_bundled_indicators(prefix: str, name: str, target: str, actual: str, weight: float, score: float) -> None:
    rows, docs = _report(prefix)
    row = _find(rows["indicators"], level3=name)
    assert (row["target_text"], row["actual_text"], row["weight"], row["score"]) == (target, actual, weight, score)
    line = next(doc for doc, _ in docs if doc.source_file == row["source_file"]).lines[row["source_line"] - 1]
    assert name[:4] in line.replace(" ", "")


def test_bundled_reason_text_is_kept() -> None:
    rows, _ = _report("001")
    reason = _find(rows["indicators"], level3="项目验收合格率")["shortfall_reason"]
    assert reason.startswith("共44个项目")


@pytest.mark.parametrize(
    ("prefix", "scope", "score", "grade", "derived"),
    [
        ("002", "department", 100, "优", True),
        ("001", "department", 98.34, "优", False),
        ("004", "project", 96.5, "优", False),
    ],
)
def test_bundled_scores_and_grades(prefix: str, scope: str, score: float, grade: str, derived: bool) -> None:
    rows, _ = _report(prefix)
    main = _find(rows["evaluations"], scope=scope)
    assert (main["total_score"], main["grade"], main["grade_derived"]) == (score, grade, derived)


def test_bundled_project_scores_of_001() -> None:
    rows, _ = _report("001")
    scores = sorted(r["total_score"] for r in rows["evaluations"] if r["scope"] == "project")
    assert scores == [90, 97]


def test_forms_printed_twice_load_once() -> None:
    rows, _ = _report("001")
    names = [r["level3"] for r in rows["indicators"]]
    assert len(names) == len(set(names))
    per_unit = {}
    for r in rows["indicators"]:
        per_unit[r["evaluation_id"]] = per_unit.get(r["evaluation_id"], 0) + 1
    assert sorted(per_unit.values()) == [8, 10, 18]
