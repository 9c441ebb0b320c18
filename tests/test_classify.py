"""Classification of the bundled corpus and of title variants met in the wild."""

from __future__ import annotations

from pathlib import Path

import pytest

from fiscallens import classify, read
from tests.conftest import seed_path


def classify_seed(prefix: str) -> classify.Classification:
    doc, findings = read.read_document(seed_path(prefix))
    assert doc is not None, findings
    result, _ = classify.classify(doc)
    assert result is not None
    return result


@pytest.mark.parametrize(
    ("prefix", "doc_type", "year", "code", "province", "department"),
    [
        ("000", "dept_self_eval", 2021, "522700", "贵州省", "黔南州大数据发展管理局"),
        ("002", "dept_self_eval", 2021, "522700", "贵州省", "黔南布依族苗族自治州大数据发展管理局"),
        ("001", "final_accounts", 2023, "520100", "贵州省", "贵阳市大数据发展管理局(本级)"),
        ("003", "dept_evaluation", 2023, "430300", "湖南省", "湘潭市大数据和产业创新发展中心"),
        ("004", "project_self_eval", 2022, "433100", "湖南省", "智慧湘西领导小组办公室"),
    ],
)
def test_bundled_documents(prefix: str, doc_type: str, year: int, code: str, province: str, department: str) -> None:
    c = classify_seed(prefix)
    assert (c.doc_type, c.fiscal_year, c.region_code, c.province, c.department) == (
        doc_type,
        year,
        code,
        province,
        department,
    )


def test_project_report_names_its_project_and_publication() -> None:
    c = classify_seed("004")
    assert c.project_name == "州智慧湘西建设专项"
    assert c.prefecture == "湘西土家族苗族自治州"
    assert c.published_on == "2023-06"


def test_fiscal_year_is_not_the_publication_year() -> None:
    c = classify_seed("002")
    assert c.fiscal_year == 2021
    assert c.published_on == "2022-07-21"


def test_report_and_its_annex_share_a_report_id() -> None:
    assert classify.report_id_for(classify_seed("000")) == classify.report_id_for(classify_seed("002"))
    assert classify.report_id_for(classify_seed("001")) != classify.report_id_for(classify_seed("003"))


def test_evidence_points_at_lines() -> None:
    c = classify_seed("001")
    assert c.evidence["doc_type"] == 1
    assert c.title_line == 1


def _doc(tmp_path: Path, text: str) -> classify.Classification | None:
    path = tmp_path / "x.txt"
    path.write_text(text, encoding="utf-8")
    doc, _ = read.read_document(path)
    assert doc is not None
    return classify.classify(doc)[0]


@pytest.mark.parametrize(
    ("text", "doc_type", "year", "code"),
    [
        ("遵义市教育局２０２２年度部门决算\n", "final_accounts", 2022, "520300"),
        ("湖南省长沙市岳麓区财政局\n2020年度部门整体支出绩效自评报告\n", "dept_self_eval", 2020, "430104"),
        (
            "2019 年度\n怀化市 农村公路建设 项目支出绩效自评表\n填报日期：2020年3月5日\n",
            "project_self_eval",
            2019,
            "431200",
        ),
        ("黔东南州卫生健康局部门整体绩效评价报告（2024年度）\n", "dept_evaluation", 2024, "522600"),
        # 部门预算 / 单位预算 is the budget document; with 绩效自评 it stays a self-evaluation.
        ("上海市普陀区2025年区级部门预算\n预算主管部门：上海市普陀区人民政府办公室\n", "budget", 2025, "310107"),
        ("遵义市教育局2024年单位预算公开说明\n", "budget", 2024, "520300"),
        ("黔南州大数据发展管理局 2021 年度部门预算绩效自评报告\n", "dept_self_eval", 2021, "522700"),
        ("遵义市教育局2023年度部门决算\n深化部门预算改革。\n", "final_accounts", 2023, "520300"),
    ],
)
def test_title_variants(tmp_path: Path, text: str, doc_type: str, year: int, code: str) -> None:
    c = _doc(tmp_path, text)
    assert c is not None
    assert (c.doc_type, c.fiscal_year, c.region_code) == (doc_type, year, code)


def test_not_a_report_is_refused_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "menu.txt"
    path.write_text("午餐菜单\n红烧肉 25 元\n", encoding="utf-8")
    doc, _ = read.read_document(path)
    assert doc is not None
    result, findings = classify.classify(doc)
    assert result is None
    assert findings[0].rule == "doc_type_unknown" and findings[0].severity == "error"


def test_department_key_ignores_region_form() -> None:
    assert classify.department_key("黔南州大数据发展管理局") == classify.department_key(
        "黔南布依族苗族自治州大数据发展管理局"
    )
    assert classify.department_key("贵阳市教育局") != classify.department_key("贵阳市财政局")


def test_budget_department_comes_from_its_label_and_keeps_the_municipality(tmp_path: Path) -> None:
    """上海市 is province and prefecture at once: 普陀区 alone would be ambiguous (舟山 has one too)."""
    c = _doc(tmp_path, "上海市普陀区2025年区级部门预算\n预算主管部门：上海市普陀区人民政府办公室\n")
    assert c is not None and c.department == "上海市普陀区人民政府办公室"
    c = _doc(tmp_path, "上海市普陀区财政局\n2024年度部门决算\n")
    assert c is not None and c.department == "上海市普陀区财政局" and c.region_code == "310107"


def test_a_table_heading_is_not_a_labelled_value(tmp_path: Path) -> None:
    """ "序号 | 单位名称 | 备注": 备注 is the next heading, not the unit's name."""
    c = _doc(tmp_path, "上海市普陀区财政局\n2024年度部门决算\n序号\t单位名称\t备注\n1\t上海市普陀区财政局（本级）\t\n")
    assert c is not None and c.department == "上海市普陀区财政局"
