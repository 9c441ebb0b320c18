"""Evaluations and their fund lines: fund tables, sub-project tables, project and department sentences.

Unit tests run the readers on small snippets (ugly rows included: split cells, "(0", a 元 header
over 万元 figures, flattened rows with missing cells); golden tests run them on the bundled reports.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from fiscallens.classify import classify
from fiscallens.extract.context import ReportContext, find_key, fmt
from fiscallens.extract.fund_tables import read_function_codes, read_fund_tables
from fiscallens.extract.project_sentences import (
    read_department_narrative,
    read_project_paragraphs,
    read_subproject_table,
)
from fiscallens.model import Document
from fiscallens.read import read_document
from tests.conftest import REPORTS_DIR

# Table readers first, then sentence readers: the order the pipeline must register them in.
READERS = (
    read_fund_tables,
    read_function_codes,
    read_subproject_table,
    read_project_paragraphs,
    read_department_narrative,
)


def extract(tmp_path: Path, *texts: str) -> ReportContext:
    """Run all readers over snippets written as one report's files (the first file classifies it)."""
    docs = []
    for index, text in enumerate(texts):
        path = tmp_path / f"{index:03d}_snippet.txt"
        path.write_text(text, encoding="utf-8")
        doc, _ = read_document(path)
        assert doc is not None
        docs.append(doc)
    return run(docs)


def run(docs: list[Document]) -> ReportContext:
    classification, _ = classify(docs[0])
    assert classification is not None
    ctx = ReportContext(report_id="R1", classification=classification, documents=docs)
    for reader in READERS:
        for doc in docs:
            reader(ctx, doc)
    return ctx


def evaluation(ctx: ReportContext, scope: str, name: str | None = None) -> dict:
    rows = [r for r in ctx.rows("evaluations") if r["scope"] == scope and (name is None or r["name"] == name)]
    assert len(rows) == 1, [r["name"] for r in ctx.rows("evaluations")]
    return rows[0]


def lines_of(ctx: ReportContext, row: dict) -> dict[tuple[str, str], dict]:
    return {
        (r["line"], r["label"]): r for r in ctx.rows("execution_lines") if r["evaluation_id"] == row["evaluation_id"]
    }


def figures(row: dict, *names: str) -> tuple:
    return tuple(row.get(n) for n in names)


MONEY = ("budget_initial", "budget_full_year", "actual")
SCORES = ("execution_weight", "execution_rate_reported", "execution_score")


def rules(ctx: ReportContext, severity: str | None = None) -> list[str]:
    return [f.rule for f in ctx.findings if severity is None or f.severity == severity]


# --- fund tables: flattened rows -------------------------------------------------------------

FLAT_DEPARTMENT = """部门整体支出绩效目标自评表
（2021年度）
部门（单位）名称 黔南州测试局
部门（单位）总体
资金（万元）
资 金 来 源 年初预算数 全年预算数（A） 全年执行数（B） 分值 执行率 得分
年度资金总额： {initial}万元 150万元 {actual}万元 10 {rate}% {score}
   基本支出 30万元 30万元 — — —
   项目支出 100万元 100万元 90万元 — — —
   上年项目结转资金 20万元 20万元 — — —
其他资金 0 0
年度总
体目标
成本
   基本支出 30万元 30万元 2 2
"""


def test_flat_table_places_two_amounts_where_the_parts_add_up(tmp_path: Path) -> None:
    # Totals 100 / 150 / 140 only add up when 基本支出 and 上年结转 are 全年预算数 and 全年执行数.
    ctx = extract(tmp_path, FLAT_DEPARTMENT.format(initial=100, actual=140, rate=93.33, score=9.33))
    dept = evaluation(ctx, "department")
    assert dept["name"] == "黔南州测试局"
    assert figures(dept, *MONEY, *SCORES) == (100, 150, 140, 10, 93.33, 9.33)
    lines = lines_of(ctx, dept)
    assert figures(lines["basic", "基本支出"], *MONEY) == (None, 30, 30)
    assert figures(lines["project", "项目支出"], *MONEY) == (100, 100, 90)
    assert figures(lines["carryover", "上年项目结转资金"], *MONEY) == (None, 20, 20)
    assert figures(lines["other", "其他资金"], *MONEY) == (0, 0, None)
    assert len(lines) == 5  # the 成本 indicator row "基本支出 30万元 30万元 2 2" is not a fund row
    decided = [f.message for f in ctx.findings if f.rule == "column_assignment"]
    assert len(decided) == 3 and "全年预算数、全年执行数" in decided[0] and "年初预算数留空" in decided[0]


def test_flat_table_keeps_printed_order_when_that_is_what_adds_up(tmp_path: Path) -> None:
    # Same rows, other totals: now 30 + 100 + 20 = 150 is the 年初 total and 90 the 执行 total.
    ctx = extract(tmp_path, FLAT_DEPARTMENT.format(initial=150, actual=90, rate=60, score=6))
    lines = lines_of(ctx, evaluation(ctx, "department"))
    assert figures(lines["basic", "基本支出"], *MONEY) == (30, 30, None)
    assert figures(lines["carryover", "上年项目结转资金"], *MONEY) == (20, 20, None)


# --- fund tables: tab rows, split cells, units ------------------------------------------------

PROJECT_FORM = (
    "2023 年贵州省贵阳市 测试局(本级) 部门决算公开说明\n"
    "1. 大数据专项资金——测试平台 建设运维经费项目完成情况综述:项目 全年预算数{sentence}万元,"
    "执行数150万元。项目自评得分为90分。\n"
    """项目支出绩效目标自评表
\t项目名称\t\t测试平台\t建设运维\t经费\t\t
\t\t\t资金来源\t年初预算数\t全年预算数(A)\t全年执行\t行数(E)\t分值\t执行率\t得分\t
\t\t\t年度资金总额:\t3000000\t3000000\t1500\t0000\t10\t50%\t5\t
\t项目资金\t\t财政拨款\t3000000\t3000000\t1500\t0000\t_\t_\t_\t
\t(元)\t\t其中:上级补助\t\t\t\t\t_\t_\t_\t
\t\t\t其他资金\t\t\t\t\t\t\t\t
\t\t\t预期目标\t\t实际完成情况\t
项目支出绩效目标自评表
\t项目名\t陈\t\t\t云服务采购\t项目\t\t\t
\t\t\t资金来源\t年初预算数\t全年预算数(A)\t全年执行\t数(E)\t分值\t执行率\t得分\t
\t\t\t年度资金总额:\t500000\t500000\t(0\t10\t0%\t0\t
\t项目资金\t\t本级安排\t500000\t500000\t\t0\t_\t_\t_\t
\t(元)\t\t其他资金\t\t\t\t\t_\t_\t_\t
\t\t\t预期目标\t\t实际完成情况\t
第五部分附件
项目支出绩效目标自评表
\t项目名称\t\t测试平台\t建设运维\t经费\t\t
\t\t\t资金来源\t年初预算数\t全年预算数(A)\t全年执\t行数(E)\t分值\t执行率\t得分\t
\t\t\t年度资金总额:\t3000000\t3000000\t\t1500000\t10\t50%\t5\t
\t(元)\t\t其中:上级补助\t\t\t\t\t_\t_\t_\t
\t\t\t预期目标\t\t实际完成情况\t
"""
)


def test_project_tables_in_yuan_with_split_cells_are_read_once(tmp_path: Path) -> None:
    ctx = extract(tmp_path, PROJECT_FORM.format(sentence=300))
    assert len(ctx.rows("evaluations")) == 2  # the first form is printed twice: one row
    platform = evaluation(ctx, "project", "测试平台建设运维经费")  # name re-joined from three cells
    assert figures(platform, *MONEY, *SCORES) == (300, 300, 150, 10, 50, 5)  # 元 → 万元
    assert platform["source_line"] == 6
    lines = lines_of(ctx, platform)
    assert set(lines) == {("total", "年度资金总额"), ("fiscal", "财政拨款")}  # empty 上级补助/其他 rows skipped
    assert figures(lines["fiscal", "财政拨款"], *MONEY) == (300, 300, 150)
    cloud = evaluation(ctx, "project", "云服务采购项目")  # "项目名 | 陈" label spill dropped
    assert figures(cloud, *MONEY, "execution_rate_reported") == (50, 50, 0, 0)
    assert figures(lines_of(ctx, cloud)["fiscal", "本级安排"], *MONEY) == (50, 50, 0)
    joined = [f.message for f in ctx.findings if f.rule == "split_cells_joined"]
    assert len(joined) == 2 and all(f.severity == "info" for f in ctx.findings if f.rule == "split_cells_joined")
    assert "1500000" in joined[0] and "执行率" in joined[0]
    assert any("“(0”" in f.message for f in ctx.findings if f.rule == "cell_repaired")
    units = [f.message for f in ctx.findings if f.rule == "unit_decision"]
    assert len(units) == 3 and all("取“元”" in m for m in units)
    assert "unit_contradiction" not in rules(ctx) and "figure_disagrees" not in rules(ctx)


def test_sentence_naming_the_project_differently_is_a_second_source(tmp_path: Path) -> None:
    ctx = extract(tmp_path, PROJECT_FORM.format(sentence=100))
    platform = evaluation(ctx, "project", "测试平台建设运维经费")
    assert platform["budget_full_year"] == 300  # the table's figure is kept …
    disagreements = [f for f in ctx.findings if f.rule == "figure_disagrees"]
    assert len(disagreements) == 1 and disagreements[0].source_line == 2  # … and the sentence flagged
    assert "300" in disagreements[0].message and "100" in disagreements[0].message
    assert len(ctx.rows("evaluations")) == 2  # matched by name containment, not a third project


DEPARTMENT_FORM = """2023 年贵州省贵阳市 测试局(本级) 部门决算公开说明
{narrative}
部门整体绩效自评表
(2023年度)
主管部门及代码\t测试局\t实施单位\t测试局
\t资金来源\t年初预算数\t全年预算 数(A)\t全年执行 数(E)\t分值\t执行率\t得分
\t年度资金 总额:\t650. 41\t220. 55\t220. 55\t10\t100%\t10
部门(単位)总体资金(元)\t基本支出\t38. 78\t47. 79\t47. 79\t\t_\tI
\t项目支出\t611.63\t172.76\t172.76\t_\t_\t_
年度总体 目标\t预期目标
"""


def test_header_unit_contradicted_by_the_document_is_overridden_with_a_warning(tmp_path: Path) -> None:
    narrative = "本部门对 2023 年度部门整体开展绩效自评,涉及一般公共预算支出 220.55 万元。"
    ctx = extract(tmp_path, DEPARTMENT_FORM.format(narrative=narrative))
    dept = evaluation(ctx, "department")
    assert dept["name"] == "贵阳市测试局(本级)"
    assert figures(dept, *MONEY, *SCORES) == (650.41, 220.55, 220.55, 10, 100, 10)
    assert figures(lines_of(ctx, dept)["basic", "基本支出"], *MONEY) == (38.78, 47.79, 47.79)
    warnings = [f for f in ctx.findings if f.rule == "unit_contradiction"]
    assert len(warnings) == 1 and warnings[0].severity == "warning"
    assert "“元”" in warnings[0].message and "第 2 行" in warnings[0].message


def test_header_unit_is_kept_when_nothing_contradicts_it(tmp_path: Path) -> None:
    ctx = extract(tmp_path, DEPARTMENT_FORM.format(narrative="本部门开展了绩效自评。"))
    assert evaluation(ctx, "department")["budget_full_year"] == pytest.approx(0.022055)
    assert "unit_contradiction" not in rules(ctx)
    assert any("沿用表头单位" in f.message for f in ctx.findings if f.rule == "unit_decision")


# --- project reports: cover, sub-project table, narrative -------------------------------------

PROJECT_REPORT = """测试局
2022年度州测试专项
支出绩效自评报告
项目名称 州测试专项
支出功能科目编码 2299999
截至 2022 年 12 月 31 日，州测试专项共支出资金

80 万元，结转结余 20 万元，预算执行率为 80%。各子项目资金到位及使用情况如下：
专项资金到位及使用情况表
单位：万元
子项目名称\t州财政预算安排项目资金\t实际到位资金\t实际支出金额\t项目结转结余金额\t预算执行率
甲子项目\t60\t60\t50\t10\t83.33%
乙子项目\t40\t40\t30\t{left}\t75.00%
合计\t100\t100\t80\t20\t80.00%

附件 1:
项目名称\t\t州测试专项\t\t\t
项目资金 (万元)\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\t
\t年度资金总额\t\t100\t{actual}\t10\t80%\t8\t
\t其中:当年财政拨款\t\t100\t80\t—\t—\t—\t
\t上年结转资金\t\t\t\t—\t—\t—\t
年度 总体 目标\t预期目标
"""


def test_project_report_table_cover_subprojects_and_narrative(tmp_path: Path) -> None:
    ctx = extract(tmp_path, PROJECT_REPORT.format(left=10, actual=80))
    project = evaluation(ctx, "project")
    assert project["name"] == "州测试专项" and project["function_code"] == "2299999"
    # 年初预算数 cell empty: 100 sits under 全年预算数 (aligned by cell position, not by count).
    assert figures(project, *MONEY, *SCORES) == (None, 100, 80, 10, 80, 8)
    assert project["source_line"] == 19
    subprojects = [r for r in ctx.rows("evaluations") if r["scope"] == "subproject"]
    assert [(r["name"], r["budget_full_year"], r["actual"], r["execution_rate_reported"]) for r in subprojects] == [
        ("甲子项目", 60, 50, 83.33),
        ("乙子项目", 40, 30, 75),
    ]
    lines = lines_of(ctx, project)
    assert set(lines) == {("total", "年度资金总额"), ("fiscal", "其中:当年财政拨款"), ("carryover", "结转结余")}
    assert lines["carryover", "结转结余"]["actual"] == 20 and lines["carryover", "结转结余"]["source_line"] == 8
    assert rules(ctx, "warning") == []


def test_project_report_disagreements_are_flagged_not_fixed(tmp_path: Path) -> None:
    ctx = extract(tmp_path, PROJECT_REPORT.format(left=15, actual=85))
    project = evaluation(ctx, "project")
    assert project["actual"] == 85  # the table (read first) wins …
    assert rules(ctx, "warning").count("figure_disagrees") == 2  # … the 合计 row and the sentence disagree
    assert "balance_disagrees" in rules(ctx, "warning")  # 40 − 30 ≠ 15
    assert "parts_do_not_sum" in rules(ctx, "warning")  # 10 + 15 ≠ 20


# --- project paragraphs ------------------------------------------------------------------------

PARAGRAPHS = """# 黔南州测试局 2021 年度部门预算绩效自评报告
2021 年项目资金预算实际下达数 99.5 万元，2021 年度项目预算支出 90 万元，执行率 90 %。
#### 1.甲平台项目
（1）资金使用情况：2021 年度预算数 60 万元（其中：财政拨款资金 60 万元，其他资金 0 元），执行数 55 万元，执行率 91.67%。
## **2. 甲平台项目相关工作经费**
(1) 资金使用情况: 全年预算数 20 万元(2021 年度财政拨

款资金 15 万元，其他资金 0 元），2021 年度执行数 {actual} 万元，执行率 100%。
### **3.乙大脑项目**
(1)资金使用情况：全年预算数 15 万元，财政预算调整下达 14.85 万元，执行数 14.85 万元，执行率 100%。
#### **4.2021 年宣传项目**
（1）资金使用情况：全年预算数 10 万元，执行数 0 元，执行率 0%。
2、2021 年专项资金项目（其中：甲平台项目 60 万元）。资金使用情况：全年预算数 105 万元，执行数 100 万元，执行率 95%。
"""


def test_project_paragraphs(tmp_path: Path) -> None:
    ctx = extract(tmp_path, PARAGRAPHS.format(actual=20))
    projects = {r["name"]: r for r in ctx.rows("evaluations") if r["scope"] == "project"}
    # Siblings stay apart although one name contains the other; the programme summary is no project.
    assert list(projects) == ["甲平台项目", "甲平台项目相关工作经费", "乙大脑项目", "2021 年宣传项目"]
    assert figures(projects["甲平台项目"], *MONEY, "execution_rate_reported") == (None, 60, 55, 91.67)
    assert figures(projects["乙大脑项目"], *MONEY) == (15, 14.85, 14.85)  # original and adjusted budget
    assert figures(projects["2021 年宣传项目"], *MONEY) == (None, 10, 0)  # "0 元"
    broken = projects["甲平台项目相关工作经费"]
    assert figures(broken, "budget_full_year", "actual", "source_line") == (20, 20, 6)  # joined over lines 6-8
    lines = lines_of(ctx, broken)
    assert lines["fiscal", "财政拨款资金"]["budget_full_year"] == 15
    assert lines["other", "其他资金"]["source_line"] == 8
    assert rules(ctx).count("parts_do_not_sum") == 1  # 15 + 0 ≠ 20
    assert "budget_adjusted" in rules(ctx, "info")
    assert "project_name_missing" in rules(ctx, "info")


def test_heading_numbered_with_a_pause_mark_before_a_year(tmp_path: Path) -> None:
    # "2、2019 年…" is item 2 about 2019 (、 is never a decimal point); the name drops the item number.
    text = """# 黔南州测试局 2019 年度部门预算绩效自评报告
### 2、2019 年培训项目
（1）资金使用情况：全年预算数 30 万元，执行数 27 万元，执行率 90%。
"""
    ctx = extract(tmp_path, text)
    projects = {r["name"]: r for r in ctx.rows("evaluations") if r["scope"] == "project"}
    assert list(projects) == ["2019 年培训项目"]
    assert figures(projects["2019 年培训项目"], "budget_full_year", "actual") == (30, 27)


def test_project_paragraphs_follow_a_changed_number(tmp_path: Path) -> None:
    ctx = extract(tmp_path, PARAGRAPHS.format(actual=17.5))
    assert evaluation(ctx, "project", "甲平台项目相关工作经费")["actual"] == 17.5


def test_department_summary_sentence_is_a_second_source_for_the_table(tmp_path: Path) -> None:
    table = FLAT_DEPARTMENT.format(initial=100, actual=140, rate=93.33, score=9.33)
    ctx = extract(tmp_path, PARAGRAPHS.format(actual=20), table)
    project_line = lines_of(ctx, evaluation(ctx, "department"))["project", "项目支出"]
    assert figures(project_line, *MONEY) == (100, 100, 90)
    flagged = [f for f in ctx.findings if f.rule == "figure_disagrees"]
    assert len(flagged) == 1 and "99.5" in flagged[0].message and flagged[0].source_line == 2


# --- department narrative ----------------------------------------------------------------------

NARRATIVE = (
    "湘潭市测试中心 部门整体预算绩效评价报告\n"
    "\t单位名称\t湘潭市测试中心\n"
    "\t年度预算金额\t500 万元\n"
    "部门概况\t<p>（一）收入情况：2023 年度我中心总收入 510 万元，其中财政拨款收入 500 万元，"
    "包括年初预算 200 万元，年中追加 300 万元；其他收入 10 万元。</p> "
    "<p>（二）支出情况：2023 年度支出总额 495 万元。包括基本支出 {basic} 万元，其中人员经费 80 万元；"
    "项目支出 400 万元。</p>\n"
    "<p>2023年度我中心预算执行率为99%，符合要求。</p> <p>预算执行情况总分30分,得分28分。</p> "
    "<p>2023年度政府采购支出总额 1000 万元。</p>\n"
)


def test_department_narrative(tmp_path: Path) -> None:
    ctx = extract(tmp_path, NARRATIVE.format(basic=95))
    dept = evaluation(ctx, "department")
    assert figures(dept, *MONEY, *SCORES) == (200, 500, 495, 30, 99, 28)
    assert dept["source_line"] == 3
    lines = lines_of(ctx, dept)
    assert figures(lines["income", "总收入"], "budget_full_year") == (510,)
    assert figures(lines["fiscal", "财政拨款收入"], "budget_initial", "budget_full_year") == (200, 500)
    assert figures(lines["other", "其他收入"], "budget_full_year") == (10,)
    assert [lines[k]["actual"] for k in (("total", "支出总额"), ("basic", "基本支出"), ("project", "项目支出"))] == [
        495,
        95,
        400,
    ]
    assert rules(ctx, "warning") == []  # 政府采购支出总额 is not the department's spending
    assert "execution_score_scope" in rules(ctx, "info")


def test_department_narrative_parts_that_do_not_add_up(tmp_path: Path) -> None:
    ctx = extract(tmp_path, NARRATIVE.format(basic=90))
    assert lines_of(ctx, evaluation(ctx, "department"))["basic", "基本支出"]["actual"] == 90
    assert rules(ctx, "warning") == ["parts_do_not_sum"]


def test_find_key_matches_by_containment_only_when_unambiguous(tmp_path: Path) -> None:
    ctx = extract(tmp_path, PROJECT_FORM.format(sentence=300))
    long_name = "大数据专项资金——测试平台建设运维经费项目"
    assert find_key(ctx, "evaluations", "project", long_name) == ("project", "测试平台建设运维经费")
    assert find_key(ctx, "evaluations", "project", "项目") is None  # too short to identify anything
    assert find_key(ctx, "evaluations", "project", long_name, exclude={("project", "测试平台建设运维经费")}) is None


# --- golden: the bundled reports ---------------------------------------------------------------


@cache
def report(*prefixes: str) -> ReportContext:
    docs = []
    for prefix in prefixes:
        doc, _ = read_document(next(REPORTS_DIR.glob(f"{prefix}_*.txt")))
        assert doc is not None
        docs.append(doc)
    return run(docs)


def shows(ctx: ReportContext, row: dict) -> bool:
    """The row's source line prints one of its figures (in 万元, or in 元 for tables printed in 元)."""
    doc = next(d for d in ctx.documents if d.source_file == row["source_file"])
    text = re.sub(r"\s+", "", doc.lines[row["source_line"] - 1])
    values = [row.get(n) for n in (*MONEY, *SCORES)]
    return any(fmt(v) in text or fmt(v * 10000) in text for v in values if v is not None)


def test_golden_qiannan_000_002() -> None:
    ctx = report("000", "002")
    dept = evaluation(ctx, "department")
    assert figures(dept, *MONEY, *SCORES) == (1268, 2226.98, 2199.98, 10, 98.78, 9.88)
    lines = lines_of(ctx, dept)
    assert figures(lines["project", "项目支出"], *MONEY) == (1268, 1268, 1241)
    # Two printed amounts each; the parts add up to the totals only as 全年预算数 / 全年执行数.
    assert figures(lines["basic", "基本支出"], *MONEY) == (None, 577.4, 577.4)
    assert figures(lines["carryover", "上年项目结转资金"], *MONEY) == (None, 381.58, 381.58)
    projects = {r["name"]: r for r in ctx.rows("evaluations") if r["scope"] == "project"}
    assert len(projects) == 20
    assert figures(projects["智慧黔南综合平台项目"], "budget_full_year", "actual") == (620, 620)
    assert figures(projects["州级移动安全平台"], "budget_full_year", "actual") == (17.1, 0)
    assert figures(projects["智能公文提醒"], "budget_full_year", "actual") == (23, 18.4)
    assert figures(projects["黔南州智慧城市大脑项目"], *MONEY) == (15, 14.85, 14.85)
    flagged = [f for f in ctx.findings if f.rule == "figure_disagrees"]
    assert len(flagged) == 1 and "1267.85" in flagged[0].message and "1268" in flagged[0].message
    assert (len(ctx.rows("evaluations")), len(ctx.rows("execution_lines"))) == (21, 60)


def test_golden_guiyang_001() -> None:
    ctx = report("001")
    dept = evaluation(ctx, "department")
    assert figures(dept, *MONEY, *SCORES) == (65130.41, 22070.55, 22070.55, 10, 100, 10)
    lab = evaluation(ctx, "project", "提升政府治理能力大数据应用技术国家工程实验室科研经费")
    assert figures(lab, *MONEY) == (2000, 2000, 0)
    cloud = evaluation(ctx, "project", "政务云资源服务采购项目")
    assert figures(cloud, *MONEY) == (2000, 2000, 2000)
    assert (len(ctx.rows("evaluations")), len(ctx.rows("execution_lines"))) == (3, 10)
    assert rules(ctx, "warning").count("unit_contradiction") == 2  # the department form, printed twice
    flagged = [f for f in ctx.findings if f.rule == "figure_disagrees"]
    assert len(flagged) == 1 and flagged[0].source_line == 491 and "1000" in flagged[0].message


def test_golden_xiangtan_003() -> None:
    ctx = report("003")
    dept = evaluation(ctx, "department")
    assert figures(dept, *MONEY, *SCORES) == (1329.07, 11168.82, 11188.83, 30, 99, 30)
    lines = lines_of(ctx, dept)
    assert lines["income", "总收入"]["budget_full_year"] == 11191.02
    assert lines["fiscal", "财政拨款收入"]["budget_full_year"] == 11168.82
    assert lines["basic", "基本支出"]["actual"] == 902.33 and lines["project", "项目支出"]["actual"] == 10286.5
    assert (len(ctx.rows("evaluations")), len(ctx.rows("execution_lines"))) == (1, 6)
    assert rules(ctx, "warning") == []


def test_golden_xiangxi_004() -> None:
    ctx = report("004")
    project = evaluation(ctx, "project")
    assert project["name"] == "州智慧湘西建设专项" and project["function_code"] == "2299999"
    assert figures(project, *MONEY, *SCORES) == (None, 1800, 1160.49, 10, 64.47, 6.5)
    subprojects = {r["name"]: r for r in ctx.rows("evaluations") if r["scope"] == "subproject"}
    assert len(subprojects) == 7
    assert figures(subprojects["基础电信服务费"], "budget_full_year", "actual", "execution_rate_reported") == (
        200,
        188.19,
        94.10,
    )
    assert lines_of(ctx, project)["carryover", "结转结余"]["actual"] == 639.51
    assert (len(ctx.rows("evaluations")), len(ctx.rows("execution_lines"))) == (8, 3)
    assert rules(ctx, "warning") == []


@pytest.mark.parametrize("prefixes", [("000", "002"), ("001",), ("003",), ("004",)])
def test_golden_rows_point_at_a_line_printing_their_figures(prefixes: tuple[str, ...]) -> None:
    ctx = report(*prefixes)
    rows = ctx.rows("evaluations") + ctx.rows("execution_lines")
    assert rows
    assert [(r["source_line"], r.get("name") or r.get("label")) for r in rows if not shows(ctx, r)] == []


def test_golden_changed_number_in_a_copy_changes_the_output(tmp_path: Path) -> None:
    original = next(REPORTS_DIR.glob("004_*.txt")).read_text(encoding="utf-8")
    row = "\t年度资金总额\t\t1800\t1160.49\t10\t64.47%\t6.5\t"
    assert row in original
    ctx = extract(tmp_path, original.replace(row, row.replace("1160.49", "1170.49")))
    assert evaluation(ctx, "project")["actual"] == 1170.49
    assert "figure_disagrees" in rules(ctx, "warning")  # the narrative still says 1160.49
