"""Stage 3, classify: what a document is, whose it is and which year its money belongs to.

Everything is decided from the document's head (title, labelled fields such as
单位名称 / 主管部门 / 项目名称, dates). Each decision keeps the line it came from.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from fiscallens.model import Classification, Document, Finding
from fiscallens.normalize import normalize_text, squash
from fiscallens.regions import Region, RegionIndex, default_index
from fiscallens.scriptfold import fold
from fiscallens.settings import HEAD_CHARS, HEAD_LINES

DOC_TYPES = ("final_accounts", "dept_self_eval", "dept_evaluation", "project_self_eval", "budget")
# Classification.evidence key holding a digest of the file (an int, like the other evidence values)
# when the document names no body or no region: report_key then keeps it apart from every other.
DOCUMENT_DISCRIMINATOR = "document_digest"

# Title phrases per document type. Whitespace is removed before matching, so a
# title broken over lines ("…建设专项 / 支出绩效自评报告") still matches. The wordings vary by
# province and level; each alternative is one family of real titles.
TITLE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "project_self_eval",
        # 项目支出绩效自评报告/表, 项目支出绩效单位自评报告, 衔接资金项目绩效自评报告, 项目绩效自评总结报告,
        # 专项资金绩效自评报告, and a project's (third-party) 项目支出绩效评价报告.
        re.compile(
            r"(?:项目|专项|资金)(?:资金)?(?:支出)?绩效(?:目标)?(?:单位)?自评(?:情况|总结)?(?:报告|表)"
            r"|项目(?:支出)?绩效评价报告"
        ),
    ),
    (
        "dept_evaluation",
        # 部门整体预算绩效评价报告, 整体支出绩效评价报告, 部门绩效评价报告 (评价自评报告 is a self-evaluation).
        re.compile(r"(?:部门|单位)?整体(?:预算|支出)?绩效评价报告|部门(?:预算)?绩效评价报告"),
    ),
    (
        "dept_self_eval",
        # 部门整体支出绩效自评报告/目标自评表, 部门整体支出绩效评价自评报告, 单位整体支出绩效自评报告,
        # 部门预算绩效自评报告, 部门整体支出绩效自评情况报告, a department's 财政支出绩效自评报告.
        re.compile(
            r"(?:部门|单位)?整体(?:预算|支出)?绩效(?:目标)?(?:评价)?自评(?:情况|总结)?(?:报告|表)"
            r"|部门(?:预算)?(?:整体)?绩效(?:评价)?自评(?:情况|总结)?(?:报告|表)"
            r"|财政支出绩效(?:评价)?自评(?:情况)?报告"
        ),
    ),
    (
        "final_accounts",
        # 部门决算, 单位决算, 部门(单位)决算, 决算公开说明; not the contents item 部门决算单位构成.
        re.compile(
            r"(?:部门|单位)(?:\(单位\))?决算(?!单位构成)(?:公开)?(?:说明|报告|表)?"
            r"|决算公开(?:说明)?|20\d{2}年度?决算(?:说明|报告)"
        ),
    ),
    # Last: at the same position a self-evaluation ("部门预算绩效自评报告", matched above) wins, and
    # 部门预算 followed by 绩效 / 执行 / 经济分类 is about a budget, not the budget document itself.
    (
        "budget",
        re.compile(
            r"(?:部门|单位)(?:\(单位\))?预算(?!绩效|执行|经济分类|管理|改革|单位构成|及执行)(?:公开)?(?:说明|报告|表)?"
            r"|20\d{2}年度?预算公开(?:说明)?"
        ),
    ),
)

# Labelled fields: the label, then a tab / colon / spaces, then the value cell. For a project,
# the implementing unit is the body; 主管部门 is its supervisor.
_BODY_LABELS = (
    "部门(单位)名称",
    "部门名称",
    "单位名称",
    "预算单位",
    "预算主管部门",
    "编制部门",
    "编制单位",
    "填报单位",
)
_PROJECT_BODY_LABELS = ("项目实施单位", "实施单位", "项目单位", "项目承担单位")
FIELD_LABELS = {
    "department": _BODY_LABELS,
    "project_department": _PROJECT_BODY_LABELS + _BODY_LABELS,
    "project": ("项目名称",),
    "supervisor": ("主管部门", "项目主管部门"),
}
# "填报单位(盖章)：X" — a stamp note between label and value.
_FIELD_VALUE = r"(?:\(盖章\))?[\s:：]*([^\t]+?)(?:\t|\s{2,}|$)"
# Column headings that follow a label heading in a table's header row ("序号 | 单位名称 | 备注"):
# the label is a heading there, and the next heading is not its value.
# A table's unit printed on the label's line ("编制部门：X    单位：元") is not part of the value,
# nor is the next label on the same line ("填报单位：X 填报日期：2024年3月28日").
_UNIT_AFTER_VALUE = re.compile(r"\s+(?:金额)?单位\s*[:：]|\s+[^\s:：]{2,8}[:：]")
_HEADER_WORDS = frozenset({"备注", "序号", "说明", "金额", "合计", "代码", "编码", "单位代码", "类别", "级次"})

_YEAR_OF_MONEY = re.compile(r"(20\d{2})\s*年度")
_YEAR_IN_TITLE = re.compile(r"(20\d{2})\s*年(?!\s*\d{1,2}\s*月)")
_PUBLISHED = re.compile(
    r"(?:填报日期|报告时间|报告日期|编制日期|公开日期|发布日期|评价时间)\s*[:：]?\s*"
    r"(20\d{2})\s*[.\-/年]\s*(\d{1,2})(?:\s*[.\-/月]\s*(\d{1,2}))?"
)
# How the name of a body ends: bureaus, commissions, offices, centres, townships (乡/镇/街道),
# schools (小学/中学/大学/学校/幼儿园), hospitals (医院/卫生院: 院), party departments (…部) …
# An optional bracket group after it ("(本级)") stays part of the name.
_ORG_WORDS = r"(?:局|委员会|委|办公室|办|中心|厅|院|所|站|队|处|会|部|馆|署|政府|乡|镇|街道|学|校|园|社|台|场|团)"
_ORG_SUFFIX = re.compile(_ORG_WORDS + r"(\([^)]*\))?$")
# In front of a name on a title: "关于", a budget unit code ("219-", "901215001").
_NAME_PREFIX = re.compile(r"^(?:关于|\d{3,}(?!年)[-—_－.]?|[A-Z]{1,3}\d{2,}[-—_－]?)+")
# After a name: "X局关于2023年度部门决算的说明".
_NAME_SUFFIX = re.compile(r"关于$")
# An alias in brackets after the name ("…办公室(…外事办公室)", "(原…)", "(加挂…牌子)"): not part of the
# name. Other bracket groups ("(本级)") are.
_ALIAS = re.compile(r"\((?:(?:原|加挂|挂)[^()]*|[^()]*" + _ORG_WORDS + r")\)$")
_SECTION_PREFIX = re.compile(r"^第?[一二三四五六七八九十]+部分[:：]?")
# The parts of a name a title wraps inside: the line before is joined when it ends mid-name.
_MAX_WRAPPED_PREFIX = 25

# Lines that are never a title: contents headings, breadcrumbs, page meta, numbered section
# headings ("(三)部门预算单位构成", "第二部分 2023年度部门决算表"), table rows, labelled fields, prose.
_NOT_TITLE = re.compile(
    r"^(?:目录|目次|CONTENTS)$"
    r"|>|»|›|当前位置|您的位置|所在位置|^首页"
    r"|^(?:发布|更新|公开|生成)(?:时间|日期)|来源[:：]|字号|浏览次数|阅读次数|访问量|打印本页|关闭窗口|分享到"
    r"|^第\d+页|^第[一二三四五六七八九十\d]+页|共\d+页$"
)
_NUMBERED = re.compile(
    r"^(?:第[一二三四五六七八九十百\d]+(?:部分|章|节|篇)"
    r"|[一二三四五六七八九十]+[、.．]"
    r"|\([一二三四五六七八九十\d]+\)"
    r"|\d{1,2}(?:[、．]|\.(?!\d))"
    r"|[①-⑳]"
    r"|附件\s*\d*$|附表\s*\d*$)"
)
_KIND_WORDS = re.compile(r"决算|预算|自评|评价报告")
_LABEL_LINE = re.compile(r"^[^\t:：]{1,14}[:：]")
_PROSE = re.compile(r"[。，；！？]")
_TITLE_MAX_CHARS = 80
_TITLE_BLOCK_LINES = 4  # a cover title wraps over at most this many lines
_YEAR_ONLY_LINE = re.compile(r"^\(?(?:20\d{2})\s*年度?\)?$")

# Where a body says it is: "位于四川省宣汉县南坝镇" (looked for when no name carries a region).
_LOCATED = re.compile(r"(?:位于|地处|坐落于|坐落在)([^，。；,;:：]{2,40})")
_LOCATED_MAX_LINES = 400

_PARAGRAPH_TAG_RE = re.compile(r"</?p>")

# Placeholders left in templates: "上海市XX局", "XX单位", "××部门", "某某街道", "***".
_PLACEHOLDER = re.compile(r"[XxＸｘ×✕]{2,}|某某|[*＊]{2,}|[○〇◯□]{2,}|_{2,}|^(?:部门|单位)(?:\(单位\))?名称$")


@dataclass(frozen=True)
class HeadLine:
    number: int  # 1-based line number in the document
    text: str  # normalized, folded to simplified script, cells still tab-separated
    printed: str = ""  # normalized as printed (traditional script kept): what the title shows


def head_lines(doc: Document) -> list[HeadLine]:
    """The first non-empty lines of a document, normalized and folded, with their line numbers."""
    out: list[HeadLine] = []
    chars = 0
    for number, raw in enumerate(doc.lines, start=1):
        printed = normalize_text(raw.replace("#", " "), keep_tabs=True)
        printed = _PARAGRAPH_TAG_RE.sub(" ", printed).strip()
        if not printed:
            continue
        out.append(HeadLine(number, fold(printed), printed))
        chars += len(printed)
        if len(out) >= HEAD_LINES or chars >= HEAD_CHARS:
            break
    return out


def is_placeholder_name(name: str) -> bool:
    """True for a template's stand-in name ("上海市XX局", "XX单位", "××部门", "某某街道")."""
    return bool(_PLACEHOLDER.search(squash(normalize_text(name))))


def _title_candidate(line: HeadLine) -> bool:
    text = line.text
    return not (
        "\t" in text
        or "|" in text  # a table row (tab- or pipe-separated cells)
        or len(text) > _TITLE_MAX_CHARS
        or _NOT_TITLE.search(squash(text))
        or _NUMBERED.match(text)
        or _LABEL_LINE.match(text)
        or _PROSE.search(text)
    )


def _first_kind(text: str) -> tuple[int, int, str] | None:
    """The earliest document-kind phrase in ``text`` (squashed): (start, end, doc_type)."""
    best: tuple[int, int, str] | None = None
    for doc_type, pattern in TITLE_PATTERNS:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), match.end(), doc_type)
    return best


@dataclass(frozen=True)
class _Title:
    doc_type: str
    lines: tuple[HeadLine, ...]  # the title's lines, in order
    start: HeadLine  # the line the kind phrase starts on
    before_kind: tuple[str, ...]  # per title line (up to the kind), the text before the kind phrase


def _titles(lines: list[HeadLine]) -> Iterator[_Title]:
    """Every title-like heading of the head, in order: a run of up to four heading lines (cover
    titles wrap) whose joined text names a document kind."""
    usable: dict[int, bool] = {}  # judged lazily: the title is usually among the first lines

    def ok(i: int) -> bool:
        if i not in usable:
            usable[i] = _title_candidate(lines[i])
        return usable[i]

    index = 0
    while index < len(lines):
        if not ok(index):
            index += 1
            continue
        end = index + 1
        while end < len(lines) and end - index < _TITLE_BLOCK_LINES and ok(end):
            end += 1
        # Cheap prefilter: every kind phrase contains one of these words.
        joined = squash("".join(line.text for line in lines[index:end]))
        title = _title_in_block(lines[index:end]) if _KIND_WORDS.search(joined) else None
        if title is None:
            index += 1
            continue
        yield title
        index = lines.index(title.lines[-1], index) + 1


def _joined(lines: list[HeadLine]) -> tuple[str, list[int]]:
    """The lines' squashed text run together (a kind phrase may wrap) and where each line starts in it."""
    starts: list[int] = []
    joined = ""
    for line in lines:
        starts.append(len(joined))
        joined += squash(line.text)
    return joined, starts


def _title_in_block(block: list[HeadLine]) -> _Title | None:
    joined, starts = _joined(block)
    found = _first_kind(joined)
    if found is None:
        return None
    start, end, doc_type = found
    first = max(i for i, s in enumerate(starts) if s <= start)
    last = max(i for i, s in enumerate(starts) if s < end)
    # Up to two lines before the kind's line: the body's name on its own line, or a wrapped name.
    begin = max(0, first - 2)
    taken = list(block[begin : last + 1])
    if last + 1 < len(block) and _YEAR_ONLY_LINE.match(squash(block[last + 1].text)):
        taken.append(block[last + 1])  # "部门整体支出绩效目标自评表 / （2021年度）"
    before = tuple(
        joined[starts[i] : min(start, starts[i] + len(squash(block[i].text)))] for i in range(begin, first + 1)
    )
    return _Title(doc_type, tuple(taken), block[first], before)


def _choose_title(lines: list[HeadLine]) -> _Title | None:
    """The first heading that names a kind and a year or a body; else the first that names a kind."""
    first: _Title | None = None
    for title in _titles(lines):
        text = squash(" ".join(line.text for line in title.lines))
        if _YEAR_IN_TITLE.search(text) or any(_ORG_SUFFIX.search(_clean_name(p)) for p in title.before_kind if p):
            return title
        first = first or title
    return first


def detect_doc_type(lines: list[HeadLine]) -> tuple[str, HeadLine] | None:
    """The document's type and the line its title starts on.

    The title is found by structure (see ``_choose_title``); when no heading qualifies, the kind
    phrase that appears first anywhere in the head decides."""
    title = _choose_title(lines)
    if title is not None:
        return title.doc_type, title.start
    # A contents entry or a section heading ("(二)部门预算及执行情况") is no title.
    candidates = [line for line in lines if not (_NUMBERED.match(line.text) or _NOT_TITLE.search(squash(line.text)))]
    joined, starts = _joined(candidates)
    found = _first_kind(joined)
    if found is None:
        return None
    offset, _, doc_type = found
    return doc_type, candidates[max(i for i, start in enumerate(starts) if start <= offset)]


@functools.lru_cache(maxsize=64)
def _label_pattern(label: str) -> re.Pattern[str]:
    return re.compile(r"(?:^|\t)\s*" + re.escape(label) + _FIELD_VALUE)


def labelled_field(lines: list[HeadLine], labels: tuple[str, ...]) -> tuple[str, int] | None:
    for label in labels:
        pattern = _label_pattern(label)
        for position, line in enumerate(lines):
            if label not in line.text:
                continue
            match = pattern.search(line.text)
            if match:
                value = _UNIT_AFTER_VALUE.split(match.group(1))[0].strip(" :：")
                if value and not value.startswith(("(", "（")) and value not in _HEADER_WORDS:
                    return _unwrap_value(value, lines, position), line.number
    return None


def _unwrap_value(value: str, lines: list[HeadLine], position: int) -> str:
    """A labelled name cut at the line end ("预算主管部门：上海市普陀区规划和自然 / 资源局") is joined."""
    if _ORG_SUFFIX.search(squash(value)) or position + 1 >= len(lines):
        return value
    following = squash(lines[position + 1].text)
    if (
        len(following) <= _MAX_WRAPPED_PREFIX
        and _title_candidate(lines[position + 1])
        and _ORG_SUFFIX.search(following)
        and not _first_kind(following)
    ):
        return value + following
    return value


def _title_context(lines: list[HeadLine], title: HeadLine) -> list[HeadLine]:
    """The title line and up to two lines before it, nearest first: titles are often split
    ("…建设专项 / 支出绩效自评报告") or preceded by the department on its own line."""
    index = lines.index(title)
    return [title, *reversed(lines[max(0, index - 2) : index])]


def _clean_name(name: str) -> str:
    """A body's name without what surrounds it on a title: "关于", a unit code, an alias in brackets."""
    name = _SECTION_PREFIX.sub("", squash(name))
    name = _NAME_SUFFIX.sub("", _NAME_PREFIX.sub("", name))
    alias = _ALIAS.search(name)
    if alias and alias.start() > 0:
        name = name[: alias.start()]
    return name


def _name_parts(text: str) -> list[str]:
    """The pieces of a title's text before its kind phrase, split at years: "2024年X局" → ["X局"]."""
    for _, pattern in TITLE_PATTERNS:
        text = pattern.split(text)[0]
    text = re.sub(r"(20\d{2})年度?", " ", text)
    return [part for part in (_clean_name(p) for p in text.split(" ")) if part]


def department_from_title(title: str, regions: RegionIndex) -> str | None:
    """Department named before the year or document-type phrase of a title line."""
    for part in reversed(_name_parts(re.sub(r"\s+", "", title))):
        part = _strip_leading_province(part, regions)
        if _ORG_SUFFIX.search(part):
            return part
    return None


def _department_from_heading(title: _Title, regions: RegionIndex) -> tuple[str, int] | None:
    """The body a title names, joining a name its cover wrapped ("上海市普陀区规划和自然 / 资源局…",
    "中共上海市普陀区委 / 社会工作部…"); else a name alone on the line after the title
    ("…项目绩效自评总结报告 / 临夏县农业农村局")."""
    lines = title.lines[: len(title.before_kind)]
    for offset in range(len(lines) - 1, -1, -1):
        parts = _name_parts(title.before_kind[offset])
        if not parts:
            continue
        name = parts[-1]
        if not _ORG_SUFFIX.search(name):
            continue
        if len(parts) == 1 and offset > 0 and _wraps_into(title.before_kind[offset - 1], name, regions):
            name = _clean_name(title.before_kind[offset - 1]) + name
        return _strip_leading_province(name, regions), lines[offset].number
    return None


def _wraps_into(previous: str, name: str, regions: RegionIndex) -> bool:
    """Whether the line before a name on a title is the name's beginning, cut by a line break."""
    previous = _clean_name(previous)
    if not previous or len(previous) > _MAX_WRAPPED_PREFIX or _name_parts(previous) != [previous]:
        return False
    starts_with_region = any(start == 0 for start, _ in regions.find_all(name))
    if starts_with_region or name.startswith("中共"):
        return False  # a full name of its own: "黔南布依族苗族自治州X局 / 黔南州X局2021年度…"
    # Cut mid-name ("规划和自然"), or a party committee whose department follows ("中共…区委").
    return not _ORG_SUFFIX.search(previous) or previous.startswith("中共")


def _department_after_title(lines: list[HeadLine], title: _Title, regions: RegionIndex) -> tuple[str, int] | None:
    index = lines.index(title.lines[-1])
    for line in lines[index + 1 : index + 3]:
        if not _title_candidate(line):
            continue
        name = _clean_name(line.text)
        if _ORG_SUFFIX.search(name) and _name_parts(name) == [name] and not _first_kind(name):
            return _strip_leading_province(name, regions), line.number
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


def _located_region(doc: Document, lines: list[HeadLine], regions: RegionIndex) -> tuple[Region, int] | None:
    """The region a body says it is in ("…位于四川省宣汉县南坝镇"), from the head or the first pages."""
    for number, raw in enumerate(doc.lines[:_LOCATED_MAX_LINES], start=1):
        if "位于" not in raw and "地处" not in raw and "坐落" not in raw:
            continue  # cheap prefilter: most lines say nothing of the kind
        for match in _LOCATED.finditer(fold(normalize_text(raw))):
            region = regions.resolve(match.group(1))
            if region is not None:
                return region, number
    return None


def classify(doc: Document, regions: RegionIndex | None = None) -> tuple[Classification | None, list[Finding]]:
    """Classify a document; None with an error finding when it is not a report we know."""
    regions = regions or default_index()
    lines = head_lines(doc)
    heading = _choose_title(lines)
    detected = (heading.doc_type, heading.start) if heading else detect_doc_type(lines)
    if detected is None:
        return None, [
            Finding(
                "doc_type_unknown",
                "error",
                "未识别出文档类型：开头没有“部门决算”“部门预算”“绩效自评报告/表”“绩效评价报告”等标题，"
                "可能不是预决算或绩效报告，未入库。",
                source_file=doc.source_file,
                stage="classify",
            )
        ]
    doc_type, title_line = detected
    context = list(heading.lines) if heading else list(reversed(_title_context(lines, title_line)))
    title = " ".join(line.text for line in context)
    printed_title = " ".join(line.printed or line.text for line in context)
    evidence: dict[str, int] = {"doc_type": title_line.number}
    findings: list[Finding] = []

    fiscal_year, year_line = _fiscal_year(lines, title_line)
    if fiscal_year:
        evidence["fiscal_year"] = year_line
    else:
        findings.append(_not_found(doc, "fiscal_year_unknown", "未找到报告所属年度（如“2021年度”）。"))

    supervisor = labelled_field(lines, FIELD_LABELS["supervisor"])
    department = _department(lines, doc_type, heading, context, supervisor, regions)
    department_name: str | None = None
    if department:
        department_name, evidence["department"] = department
        department_name = _strip_leading_province(_clean_name(department_name), regions) or None

    project = labelled_field(lines, FIELD_LABELS["project"]) if doc_type == "project_self_eval" else None
    project_name = re.sub(r"\s+", "", project[0]) if project else None
    if project:
        evidence["project_name"] = project[1]

    region, region_line = _region(doc, lines, " ".join(filter(None, [title, department_name])), supervisor, regions)
    if region_line is not None:
        evidence["region"] = region_line
    province, prefecture, county = _region_levels(region, regions)

    unplaced = _unplaced(doc, department_name, region)
    findings += unplaced
    if unplaced:
        evidence[DOCUMENT_DISCRIMINATOR] = int(doc.sha256[:12], 16) if doc.sha256 else 0

    published_on, published_line = _published_on(lines)
    if published_line:
        evidence["published_on"] = published_line

    return (
        Classification(
            doc_type=doc_type,
            scope=detect_scope(doc_type, title, lines),
            fiscal_year=fiscal_year,
            region_code=region.adcode if region else None,
            province=province,
            prefecture=prefecture,
            county=county,
            department=department_name,
            project_name=project_name,
            published_on=published_on,
            title=re.sub(r"\s+", " ", printed_title).strip(),
            title_line=title_line.number,
            evidence=evidence,
        ),
        findings,
    )


def _department(
    lines: list[HeadLine],
    doc_type: str,
    heading: _Title | None,
    context: list[HeadLine],
    supervisor: tuple[str, int] | None,
    regions: RegionIndex,
) -> tuple[str, int] | None:
    """The department's name as printed and its line: a labelled field, else the title's body, else a
    project evaluation's 项目主管部门 (when it names no other body)."""
    labels = FIELD_LABELS["project_department" if doc_type == "project_self_eval" else "department"]
    department = labelled_field(lines, labels)
    if department is None and heading is not None:
        department = _department_from_heading(heading, regions) or _department_after_title(lines, heading, regions)
    if department is None:
        for line in reversed(context):
            name = department_from_title(line.text, regions)
            if name:
                return name, line.number
    if department is None and doc_type == "project_self_eval":
        return supervisor
    return department


def _region(
    doc: Document, lines: list[HeadLine], named: str, supervisor: tuple[str, int] | None, regions: RegionIndex
) -> tuple[Region | None, int | None]:
    """The document's region and, when found in the body rather than in `named` (title and department),
    the line that names it."""
    region = regions.resolve(named)
    if region is None and supervisor:
        region = regions.resolve(supervisor[0])
    if region is None:
        located = _located_region(doc, lines, regions)
        if located:
            return located
        region = regions.resolve(" ".join(line.text for line in lines[:20]))
    return region, None


# 单位预算/单位决算 covers one unit's own money; 部门预算/部门决算 the department with all its units
# (部门(单位)决算 too). When the title names neither, the cover and the tables' headings do:
# "预算单位：X" and "预算单位财务收支预算总表" against "预算主管部门：X" and "部门收支总表".
_UNIT_SCOPE = re.compile(r"单位(?:预算|决算)")
_DEPARTMENT_SCOPE = re.compile(r"部门(?:\(单位\))?(?:预算|决算)")
_UNIT_MARKERS = re.compile(r"单位(?:预算|决算)|预算单位(?!构成)|决算单位(?!构成)")
_DEPARTMENT_MARKERS = re.compile(r"部门(?:\(单位\))?(?:预算|决算)(?!单位构成)|预算主管部门|主管部门[:：]")


def detect_scope(doc_type: str, title: str, lines: list[HeadLine] | None = None) -> str:
    """Who the figures cover: 'department', 'unit' or 'project' (see Classification.scope)."""
    if doc_type == "project_self_eval":
        return "project"
    if doc_type not in {"budget", "final_accounts"}:
        return "department"
    squashed = re.sub(r"\s+", "", title)
    if _UNIT_SCOPE.search(squashed):
        return "unit"
    if _DEPARTMENT_SCOPE.search(squashed) or not lines:
        return "department"
    head = [squash(line.text) for line in lines]
    units = sum(len(_UNIT_MARKERS.findall(text)) for text in head)
    departments = sum(len(_DEPARTMENT_MARKERS.findall(text)) for text in head)
    return "unit" if units > departments else "department"


def _unplaced(doc: Document, department: str | None, region: Region | None) -> list[Finding]:
    """Without a body or a region a document cannot be told from another one of the same type and
    year: it stays its own report (report_key adds the file's digest) and says so."""
    alone = "本文件单独作为一份报告入库，不与其他文件合并。"
    findings = []
    if not department:
        findings.append(_not_found(doc, "department_unknown", "未找到部门（单位）名称。" + alone))
    if region is None:
        message = "未能从标题、单位名称和正文识别出所属地区（省/市/县）。" + alone
        findings.append(_not_found(doc, "region_unknown", message))
    return findings


def _not_found(doc: Document, rule: str, message: str) -> Finding:
    # `info`: what the reader could not find is not a claim that the document is wrong.
    return Finding(rule, "info", message, source_file=doc.source_file, stage="classify")


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
    """Documents with the same key are parts of one logical report (e.g. a report and its 附件1).

    A document without a body or a region gets its file's digest in the key: unrelated documents of
    the same type and year (a school in 云南, a bureau in 天津) must never merge."""
    parts = [
        c.doc_type,
        c.scope or "",
        c.region_code or "",
        department_key(c.department, regions),
        str(c.fiscal_year or ""),
        re.sub(r"\s+", "", c.project_name or ""),
    ]
    if not c.department or not c.region_code:
        parts.append(f"{c.evidence.get(DOCUMENT_DISCRIMINATOR, 0):012x}")
    return "|".join(parts)


def report_id_for(c: Classification, regions: RegionIndex | None = None) -> str:
    """Stable id: the same report gets the same id in every build."""
    return "R" + hashlib.sha256(report_key(c, regions).encode("utf-8")).hexdigest()[:12]
