"""Classification of the bundled corpus and of title variants met in the wild."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from fiscallens import classify, read, scriptfold
from fiscallens.regions import default_index
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


# --- Beginnings of documents from many provinces and levels ------------------------------------
# tests/fixtures/heads/: the first lines of published documents as text extraction gives them
# (contents, breadcrumbs, page headers, traditional-script mirrors, wrapped titles), with what
# each one is in manifest.tsv. The real_* files are cut from ../shared/real-pdfs/ (named there).

HEADS = Path(__file__).parent.parent / "fixtures" / "heads"


def _manifest() -> list[dict[str, str]]:
    with (HEADS / "manifest.tsv").open(encoding="utf-8") as fh:
        rows = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(rows, delimiter="\t"))


def _body(name: str | None) -> str:
    """A body's name without the region names in front: 黔西南州望谟县X局 and 望谟县X局 are one body."""
    name = re.sub(r"\s+", "", name or "")
    regions = default_index()
    while True:
        found = regions.find_all(name)
        if not found or found[0][0] != 0:
            return name
        region = found[0][1]
        form = next((f for f in (region.name, *region.short_names) if name.startswith(f)), None)
        if form is None or len(form) >= len(name):
            return name
        name = name[len(form) :]


@pytest.mark.parametrize("row", _manifest(), ids=lambda row: row["file"].removesuffix(".txt"))
def test_document_beginnings(row: dict[str, str]) -> None:
    doc, _ = read.read_document(HEADS / row["file"])
    assert doc is not None
    c, findings = classify.classify(doc)
    assert c is not None, findings
    got = (c.doc_type, str(c.fiscal_year or ""), c.region_code or "", _body(c.department), c.scope)
    expected = (row["doc_type"], row["fiscal_year"], row["region"], _body(row["department"]), row["scope"])
    assert got == expected, row["note"]


def test_the_corpus_is_broad() -> None:
    """≥ 50 beginnings over ≥ 15 provinces and every document type."""
    rows = _manifest()
    assert len(rows) >= 50
    assert len({row["region"][:2] for row in rows if row["region"]}) >= 15
    assert {row["doc_type"] for row in rows} == set(classify.DOC_TYPES)
    assert {row["scope"] for row in rows} == {"department", "unit", "project"}


def test_traditional_mirror_is_stored_simplified_with_the_title_as_printed(tmp_path: Path) -> None:
    c = _doc(tmp_path, "臨滄市云縣茂蘭鎮2023年度部門決算\n第一部分 茂蘭鎮基本情況\n")
    assert c is not None
    assert (c.doc_type, c.fiscal_year, c.region_code, c.county) == ("final_accounts", 2023, "530922", "云县")
    assert c.department == "临沧市云县茂兰镇"
    assert c.title == "臨滄市云縣茂蘭鎮2023年度部門決算"


def test_script_folding_leaves_simplified_text_alone() -> None:
    """乾 is also the traditional form of 干: a whole-text converter would rename 乾县 干县."""
    assert scriptfold.fold("陕西省咸阳市乾县财政局2023年度部门决算") == "陕西省咸阳市乾县财政局2023年度部门决算"
    assert scriptfold.fold("雲南省大理州賓川縣教育體育局") == "云南省大理州宾川县教育体育局"
    assert scriptfold.fold("≥95%，≧6户") == "≥95%，≧6户"


def test_a_contents_line_is_not_the_title(tmp_path: Path) -> None:
    """ "(三)部门预算单位构成" once made an evaluation a budget; "(二)项目支出绩效自评表" made final
    accounts a project self-evaluation."""
    c = _doc(
        tmp_path,
        "目录\n一、部门基本情况\n（三）部门预算单位构成\n（二）项目支出绩效自评表\n"
        "银川市兴庆区民政局2023年度部门整体支出绩效评价报告\n",
    )
    assert c is not None and c.doc_type == "dept_evaluation" and c.department == "银川市兴庆区民政局"


def test_a_labelled_name_cut_at_the_line_end_is_joined(tmp_path: Path) -> None:
    c = _doc(tmp_path, "上海市普陀区2025年区级部门预算\n预算主管部门：上海市普陀区规划和自然\n资源局\n目  录\n")
    assert c is not None and c.department == "上海市普陀区规划和自然资源局"


def test_scope_from_the_contents_when_the_title_names_neither(tmp_path: Path) -> None:
    head = "苏州市姑苏区人民政府平江街道办事处\n2024年度预算公开\n目录\n"
    unit = _doc(tmp_path, head + "一、2024年预算单位收支预算总表\n二、2024年预算单位收入预算总表\n")
    department = _doc(tmp_path, head + "一、2024年部门收支预算总表\n预算主管部门：苏州市姑苏区人民政府平江街道办事处\n")
    assert unit is not None and unit.scope == "unit"
    assert department is not None and department.scope == "department"


def test_documents_without_body_or_region_never_merge(tmp_path: Path) -> None:
    """Three unrelated bodies with no region or no name: three reports, each with a finding."""
    ids = set()
    for i, text in enumerate(
        [
            "2023年度部门决算\n第一部分 部门概况\n",
            "2023年度部门决算\n第一部分 部门概况\n（本单位）\n",
            "和平街道办事处2023年度部门决算\n",
        ]
    ):
        path = tmp_path / f"d{i}.txt"
        path.write_text(text, encoding="utf-8")
        doc, _ = read.read_document(path)
        assert doc is not None
        c, findings = classify.classify(doc)
        assert c is not None and c.doc_type == "final_accounts"
        assert {f.rule for f in findings} & {"department_unknown", "region_unknown"}
        assert all("单独作为一份报告" in f.message for f in findings if f.rule.endswith("_unknown"))
        ids.add(classify.report_id_for(c))
    assert len(ids) == 3


def test_known_body_and_region_keep_a_stable_id(tmp_path: Path) -> None:
    """The same report in two files (a draft and the final) keeps one id: no digest in its key."""
    a = _doc(tmp_path, "遵义市教育局2023年度部门决算\n")
    path = tmp_path / "b.txt"
    path.write_text("遵义市教育局2023年度部门决算\n（终稿）\n", encoding="utf-8")
    doc, _ = read.read_document(path)
    assert doc is not None
    b, _ = classify.classify(doc)
    assert a is not None and b is not None
    assert classify.report_id_for(a) == classify.report_id_for(b)


@pytest.mark.parametrize(
    ("name", "placeholder"),
    [
        ("上海市普陀区XX局", True),
        ("上海市XX局", True),
        ("XX单位", True),
        ("××部门", True),
        ("某某街道办事处", True),
        ("xxx县教育局", True),
        ("部门（单位）名称", True),
        ("上海市普陀区财政局", False),
        ("贵阳市大数据发展管理局(本级)", False),
        ("第四十七中学", False),
    ],
)
def test_placeholder_names(name: str, placeholder: bool) -> None:
    assert classify.is_placeholder_name(name) is placeholder
