"""Stage 3, classify: what a document is, whose it is and which year its money belongs to.

Everything is decided from the document's head (title, labelled fields such as
单位名称 / 主管部门 / 项目名称, dates). Each decision keeps the line it came from.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from fiscallens.model import Classification, Document, Finding
from fiscallens.normalize import normalize_text, squash
from fiscallens.regions import Region, RegionIndex, default_index
from fiscallens.settings import HEAD_CHARS, HEAD_LINES

DOC_TYPES = ("final_accounts", "dept_self_eval", "dept_evaluation", "project_self_eval", "budget")
DOC_TYPE_LABELS = {
    "final_accounts": "部门决算",
    "dept_self_eval": "部门整体绩效自评",
    "dept_evaluation": "部门整体绩效评价",
    "project_self_eval": "项目支出绩效自评",
    "budget": "部门预算",
}

# Title phrases per document type. Whitespace is removed before matching, so a
# title broken over lines ("…建设专项 / 支出绩效自评报告") still matches.
TITLE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("project_self_eval", re.compile(r"(?:项目|专项)(?:资金)?支出绩效(?:目标)?自评(?:报告|表)")),
    ("dept_evaluation", re.compile(r"部门整体(?:预算|支出)?绩效评价报告")),
    (
        "dept_self_eval",
        re.compile(r"部门整体支出绩效(?:目标)?自评(?:报告|表)|部门(?:预算)?(?:整体)?绩效自评(?:报告|表)"),
    ),
    ("final_accounts", re.compile(r"(?:部门|单位)决算(?:公开)?(?:说明|报告|表)?")),
    # Last: at the same position a self-evaluation ("部门预算绩效自评报告", matched above) wins, and
    # 部门预算 followed by 绩效 / 执行 / 经济分类 is about a budget, not the budget document itself.
    ("budget", re.compile(r"(?:部门|单位)预算(?!绩效|执行|经济分类|管理|改革)(?:公开)?(?:说明|报告|表)?")),
)

# Labelled fields: the label, then a tab / colon / spaces, then the value cell.
FIELD_LABELS = {
    "department": ("部门(单位)名称", "部门名称", "单位名称", "预算单位", "项目实施单位", "预算主管部门", "编制部门"),
    "project": ("项目名称",),
    "supervisor": ("主管部门",),
}
_FIELD_VALUE = r"[\s:：]*([^\t]+?)(?:\t|\s{2,}|$)"
# Column headings that follow a label heading in a table's header row ("序号 | 单位名称 | 备注"):
# the label is a heading there, and the next heading is not its value.
# A table's unit printed on the label's line ("编制部门：X    单位：元") is not part of the value.
_UNIT_AFTER_VALUE = re.compile(r"\s+(?:金额)?单位\s*[:：]")
_HEADER_WORDS = frozenset({"备注", "序号", "说明", "金额", "合计", "代码", "编码", "单位代码", "类别", "级次"})

_YEAR_OF_MONEY = re.compile(r"(20\d{2})\s*年度")
_YEAR_IN_TITLE = re.compile(r"(20\d{2})\s*年(?!\s*\d{1,2}\s*月)")
_PUBLISHED = re.compile(
    r"(?:填报日期|报告时间|报告日期|编制日期|公开日期|发布日期|评价时间)\s*[:：]?\s*"
    r"(20\d{2})\s*[.\-/年]\s*(\d{1,2})(?:\s*[.\-/月]\s*(\d{1,2}))?"
)
_ORG_SUFFIX = re.compile(r"(局|委员会|委|办公室|办|中心|厅|院|所|站|队|处|会|部|馆|署|政府)(\([^)]*\))?$")


_PARAGRAPH_TAG_RE = re.compile(r"</?p>")


@dataclass(frozen=True)
class HeadLine:
    number: int  # 1-based line number in the document
    text: str  # normalized


def head_lines(doc: Document) -> list[HeadLine]:
    """The first non-empty lines of a document, normalized, with their line numbers."""
    out: list[HeadLine] = []
    chars = 0
    for number, raw in enumerate(doc.lines, start=1):
        text = normalize_text(raw.replace("#", " "))
        text = _PARAGRAPH_TAG_RE.sub(" ", text).strip()
        if not text:
            continue
        out.append(HeadLine(number, text))
        chars += len(text)
        if len(out) >= HEAD_LINES or chars >= HEAD_CHARS:
            break
    return out


def detect_doc_type(lines: list[HeadLine]) -> tuple[str, HeadLine] | None:
    """The type whose title phrase appears first in the head, and the line it starts on."""
    joined = ""
    starts: list[tuple[int, HeadLine]] = []
    for line in lines:
        starts.append((len(joined), line))
        joined += squash(line.text)
    best: tuple[int, str] | None = None
    for doc_type, pattern in TITLE_PATTERNS:
        match = pattern.search(joined)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), doc_type)
    if best is None:
        return None
    offset, doc_type = best
    line = next(line for start, line in reversed(starts) if start <= offset)
    return doc_type, line


def labelled_field(lines: list[HeadLine], labels: tuple[str, ...]) -> tuple[str, int] | None:
    for label in labels:
        pattern = re.compile(r"(?:^|\t)\s*" + re.escape(label) + _FIELD_VALUE)
        for line in lines:
            match = pattern.search(line.text)
            if match:
                value = _UNIT_AFTER_VALUE.split(match.group(1))[0].strip(" :：")
                if value and not value.startswith(("(", "（")) and value not in _HEADER_WORDS:
                    return value, line.number
    return None


def _title_context(lines: list[HeadLine], title: HeadLine) -> list[HeadLine]:
    """The title line and up to two lines before it, nearest first: titles are often split
    ("…建设专项 / 支出绩效自评报告") or preceded by the department on its own line."""
    index = lines.index(title)
    return [title, *reversed(lines[max(0, index - 2) : index])]


def department_from_title(title: str, regions: RegionIndex) -> str | None:
    """Department named before the year or document-type phrase of a title line."""
    text = re.sub(r"\s+", "", title)
    for _, pattern in TITLE_PATTERNS:
        text = pattern.split(text)[0]
    text = re.sub(r"(20\d{2})年度?", " ", text)
    text = re.sub(r"^第?[一二三四五六七八九十]+部分[:：]?", "", text)
    for part in reversed([part for part in text.split(" ") if part]):
        part = _strip_leading_province(part, regions)
        if _ORG_SUFFIX.search(part):
            return part
    return None


def _strip_leading_province(name: str, regions: RegionIndex) -> str:
    """ "贵州省贵阳市大数据发展管理局" → "贵阳市大数据发展管理局": the prefecture already implies the province.

    A municipality (上海市, 北京市 …) stays: it is the prefecture too, and its districts' names are
    not unique (普陀区 is also in 舟山), so "上海市普陀区财政局" keeps its full name."""
    mentions = regions.find_all(name)
    if (
        len(mentions) >= 2
        and mentions[0][0] == 0
        and mentions[0][1].level == "province"
        and not mentions[0][1].name.endswith("市")
    ):
        start = mentions[1][0]
        return name[start:]
    return name


def classify(doc: Document, regions: RegionIndex | None = None) -> tuple[Classification | None, list[Finding]]:
    """Classify a document; None with an error finding when it is not a report we know."""
    regions = regions or default_index()
    lines = head_lines(doc)
    detected = detect_doc_type(lines)
    if detected is None:
        return None, [
            Finding(
                "doc_type_unknown",
                "error",
                "未识别出文档类型：开头没有“部门决算”“绩效自评报告/表”“绩效评价报告”等标题，"
                "可能不是预决算或绩效报告，未入库。",
                source_file=doc.source_file,
                stage="classify",
            )
        ]
    doc_type, title_line = detected
    context = _title_context(lines, title_line)
    title = " ".join(line.text for line in reversed(context))
    evidence: dict[str, int] = {"doc_type": title_line.number}
    findings: list[Finding] = []

    fiscal_year, year_line = _fiscal_year(lines, title_line)
    if fiscal_year:
        evidence["fiscal_year"] = year_line
    else:
        findings.append(_warn(doc, "fiscal_year_unknown", "未找到报告所属年度（如“2021年度”）。"))

    department = labelled_field(lines, FIELD_LABELS["department"])
    if department:
        department_name, evidence["department"] = department
    else:
        for line in context:
            department_name = department_from_title(line.text, regions)
            if department_name:
                evidence["department"] = line.number
                break
    if department_name:
        department_name = _strip_leading_province(re.sub(r"\s+", "", department_name), regions)
    else:
        findings.append(_warn(doc, "department_unknown", "未找到部门（单位）名称。"))

    project = labelled_field(lines, FIELD_LABELS["project"]) if doc_type == "project_self_eval" else None
    project_name = re.sub(r"\s+", "", project[0]) if project else None
    if project:
        evidence["project_name"] = project[1]

    supervisor = labelled_field(lines, FIELD_LABELS["supervisor"])
    region = regions.resolve(" ".join(filter(None, [title, department_name])))
    if region is None and supervisor:
        region = regions.resolve(supervisor[0])
    if region is None:
        region = regions.resolve(" ".join(line.text for line in lines[:20]))
    province, prefecture, county = _region_levels(region, regions)
    if region is None:
        findings.append(_warn(doc, "region_unknown", "未能从标题和单位名称识别出所属地区（省/市/县）。"))

    published_on, published_line = _published_on(lines)
    if published_line:
        evidence["published_on"] = published_line

    return (
        Classification(
            doc_type=doc_type,
            scope=detect_scope(doc_type, title),
            fiscal_year=fiscal_year,
            region_code=region.adcode if region else None,
            province=province,
            prefecture=prefecture,
            county=county,
            department=department_name,
            project_name=project_name,
            published_on=published_on,
            title=re.sub(r"\s+", " ", title).strip(),
            title_line=title_line.number,
            evidence=evidence,
        ),
        findings,
    )


# 单位预算/单位决算 covers one unit's own money; 部门预算/部门决算 the department with all its units.
_UNIT_SCOPE = re.compile(r"单位(?:预算|决算)")


def detect_scope(doc_type: str, title: str) -> str:
    """Who the figures cover: 'department', 'unit' or 'project' (see Classification.scope)."""
    if doc_type == "project_self_eval":
        return "project"
    if doc_type in {"budget", "final_accounts"} and _UNIT_SCOPE.search(re.sub(r"\s+", "", title)):
        return "unit"
    return "department"


def _warn(doc: Document, rule: str, message: str) -> Finding:
    return Finding(rule, "warning", message, source_file=doc.source_file, stage="classify")


def _fiscal_year(lines: list[HeadLine], title: HeadLine) -> tuple[int | None, int]:
    """Year of the money: "2021年度" anywhere in the head, else a year in the title."""
    index = lines.index(title)
    near_title = lines[max(0, index - 2) : index + 3]
    for candidates, pattern in ((near_title, _YEAR_OF_MONEY), (near_title, _YEAR_IN_TITLE), (lines, _YEAR_OF_MONEY)):
        for line in candidates:
            if _PUBLISHED.search(line.text):
                continue  # a publication date is not the year of the money
            match = pattern.search(line.text)
            if match:
                return int(match.group(1)), line.number
    return None, 0


def _published_on(lines: list[HeadLine]) -> tuple[str | None, int | None]:
    for line in lines:
        match = _PUBLISHED.search(line.text)
        if match:
            year, month, day = match.groups()
            date = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
            return date, line.number
    return None, None


def _region_levels(region: Region | None, regions: RegionIndex) -> tuple[str | None, str | None, str | None]:
    if region is None:
        return None, None, None
    province = regions.province_of(region)
    prefecture = regions.prefecture_of(region)
    return (
        province.name if province else None,
        prefecture.name if prefecture else None,
        region.name if region.level == "county" else None,
    )


def department_key(department: str | None, regions: RegionIndex | None = None) -> str:
    """Department name with region names removed, so 黔南州X and 黔南布依族苗族自治州X group together."""
    if not department:
        return ""
    regions = regions or default_index()
    name = re.sub(r"[\s()（）]", "", department)
    for start, region in sorted(regions.find_all(name), key=lambda m: -m[0]):
        if start == 0 or region.level != "county":
            matched = next((n for n in (region.name, *region.short_names) if name.startswith(n, start)), region.name)
            name = name[:start] + name[start + len(matched) :]
    return name


def report_key(c: Classification, regions: RegionIndex | None = None) -> str:
    """Documents with the same key are parts of one logical report (e.g. a report and its 附件1)."""
    return "|".join(
        [
            c.doc_type,
            c.scope or "",
            c.region_code or "",
            department_key(c.department, regions),
            str(c.fiscal_year or ""),
            re.sub(r"\s+", "", c.project_name or ""),
        ]
    )


def report_id_for(c: Classification, regions: RegionIndex | None = None) -> str:
    """Stable id: the same report gets the same id in every build."""
    return "R" + hashlib.sha256(report_key(c, regions).encode("utf-8")).hexdigest()[:12]
