"""Synthetic corpus at scale: report texts in the formats of the bundled samples, with their ground truth.

`generate(n, out_dir, seed=…)` writes n report files modelled on the five samples in `data/reports`:

- ``final_accounts`` (like ``001``): the 部门决算 tables — 收入支出决算总表, 收入决算表, 支出决算表,
  一般公共预算财政拨款支出决算表 (rows ``code\\tname\\ttotal\\tbasic\\tproject``), 基本支出决算明细表
  (three code/name/amount groups side by side), the 三公 table — and the narrative that restates
  them (每个项的年初预算与决算, 类 totals with shares, 人员经费/公用经费, 三公 sentences with
  "较上年增加 X 万元");
- ``dept_self_eval`` (like ``000`` + ``002``): project paragraphs "(1) 资金使用情况：…预算数 … 执行数 …
  执行率 …", then the 附件1 form with the flattened fund table (``年度资金总额： 1268万元 2226.98万元 …``)
  and a flattened indicator table with vertical labels (产/出/指/标);
- ``dept_evaluation`` (like ``003``): one big tab table whose cells hold ``<p>`` narrative: 年度预算金额,
  总收入 … 财政拨款收入 … 年初预算 … 年中追加, 支出总额 … 基本支出 … 项目支出, 三公 control numbers,
  the execution rate and its score;
- ``project_self_eval`` (like ``004``): a project cover, ``<p>`` narrative, a tab sub-project table and
  the 附件1 form (tab fund table, tab indicator table, 总分).

Every figure reconciles (children sum to parents, 基本 + 项目 = 合计, rate = 执行数 ÷ 预算数, score =
分值 × 执行率, indicator weights + execution weight = 100, scores sum to the total), except in a chosen
fraction of reports, each of which carries exactly one deliberate inconsistency of a kind an audit rule
should catch. The traps of the samples are reproduced at configurable rates: damaged numbers
(``14, 419. 03``), residue of neighbouring rows in front of table rows, names broken by a space, a
table in 元 among tables in 万元, a mangled 三公 header, a displaced 万 (``万133.58元``), full-width
punctuation, a fund row missing a column, a report split over two files (正文 + 附件1).

A corpus folder holds the texts in ``reports/`` (what a build reads) and, beside them, the ground
truth (``ground_truth.jsonl``) and a ``manifest.json``: one ``report`` record per report
(its files, type, year, region, department, traps, planted inconsistency), one ``fact`` record per
value the report states (table, key, field, value — what extraction should yield), and one
``inconsistency`` record per planted inconsistency (kind and the audit rules expected to flag it).

Deterministic: the same arguments and ``seed`` give byte-identical files. Region names and adcodes
come from the shipped region index, and every identity is checked with the resolver the classifier
uses, so each file classifies to the intended type, year, region and department.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from fiscallens.regions import Region, RegionIndex, default_index

DOC_TYPES = ("final_accounts", "dept_self_eval", "dept_evaluation", "project_self_eval")
# Default mix of document types (shares of the corpus).
DEFAULT_MIX = {"final_accounts": 0.35, "dept_self_eval": 0.25, "dept_evaluation": 0.15, "project_self_eval": 0.25}
FIRST_YEAR, LAST_YEAR = 2015, 2025
# Layout of a corpus folder: the texts in reports/ (what a build reads), the ground truth beside them.
REPORTS_SUBDIR = "reports"
GROUND_TRUTH_FILE = "ground_truth.jsonl"
MANIFEST_FILE = "manifest.json"
WAREHOUSE_FILE = "synthetic.duckdb"

# The deliberate inconsistencies, and the rules (quality_flags.rule) expected to flag each, per type:
# the first is the rule aimed at; the others flag the same inconsistency from another side.
EXPECTED_RULES: dict[str, dict[str, tuple[str, ...]]] = {
    "final_accounts": {
        "narrative_mismatch": ("figure_disagrees",),  # a 类 total in the narrative ≠ the tables
        "rate_mismatch": ("completion_rate_mismatch",),  # 完成年初预算的 X% ≠ 决算 ÷ 年初预算
        "children_sum": ("function_children_sum",),  # a 款 ≠ the sum of its 项
    },
    "dept_self_eval": {
        "narrative_mismatch": ("figure_disagrees",),  # 项目资金预算实际下达数 ≠ the fund table's 项目支出
        "weights_110": ("indicator_weights",),  # indicator weights + execution weight = 110
        "rate_mismatch": ("execution_rate_reported",),  # a project's 执行率 ≠ 执行数 ÷ 预算数
        "children_sum": ("fund_lines_sum",),  # 基本支出 + 项目支出 (+ 结转 + 其他) ≠ 年度资金总额
    },
    "dept_evaluation": {
        "narrative_mismatch": ("figure_disagrees",),  # 支出总额 restated with another figure
        "rate_mismatch": ("execution_rate_reported",),  # 预算执行率 ≠ 支出总额 ÷ 年度预算金额
        # 基本支出 + 项目支出 ≠ 支出总额: the sentence check and the audit of the lines it yields
        "children_sum": ("parts_do_not_sum", "fund_lines_sum"),
    },
    "project_self_eval": {
        "narrative_mismatch": ("figure_disagrees",),  # 共支出资金 in the text ≠ the fund table's 全年执行数
        "weights_110": ("indicator_weights",),
        "rate_mismatch": (
            "execution_rate_reported",
        ),  # the project's 执行率, printed alike everywhere, ≠ 执行数 ÷ 预算数
        "children_sum": ("parts_do_not_sum",),  # the sub-project table's 合计 ≠ the sum of its rows
        # the fund table's header says (元) over figures in 万元 (as in sample 001's department form)
        "unit_mismatch": ("unit_contradiction",),
    },
}
INCONSISTENCY_KINDS = ("narrative_mismatch", "rate_mismatch", "children_sum", "weights_110", "unit_mismatch")

# Traps: the probability that a report of a type it applies to carries it.
DEFAULT_TRAPS: dict[str, float] = {
    "spaced_numbers": 0.6,  # "14, 419. 03" in table cells (final accounts)
    "garbage_rows": 0.3,  # 支出决算表 rows start with residue of neighbouring rows (final accounts)
    "broken_names": 0.3,  # a name cell broken by a space, a name truncated in one table (final accounts)
    "yuan_table": 0.25,  # one table in 元 among tables in 万元 (三公 table; project fund table)
    "mangled_header": 0.3,  # the 三公 table's header as PDF extraction leaves it (final accounts)
    "blank_zero": 0.5,  # zero figures printed as blank cells in the 三公 table (final accounts)
    "displaced_wan": 0.15,  # "万133.58元" in a narrative sentence (final accounts)
    "fullwidth": 0.4,  # full-width punctuation （）：％，≧ in narrative and forms (evaluations)
    "missing_column": 0.3,  # a flattened fund row prints two of its three amounts (dept self-evaluation)
    "split_attachment": 0.3,  # 附件1 in a file of its own (dept self-evaluation)
    "year_in_heading": 0.15,  # a project heading "2、2019 年X项目" (the sample prints "14.2021 年X项目")
    "wrapped_names": 0.3,  # flattened indicator names wrapped over two lines (dept self-evaluation)
}
TRAPS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "final_accounts": (
        "spaced_numbers",
        "garbage_rows",
        "broken_names",
        "yuan_table",
        "mangled_header",
        "blank_zero",
        "displaced_wan",
    ),
    "dept_self_eval": ("fullwidth", "missing_column", "split_attachment", "year_in_heading", "wrapped_names"),
    "dept_evaluation": ("fullwidth",),
    "project_self_eval": ("fullwidth", "yuan_table"),
}

# ------------------------------------------------------------------------------------------------
# Reference lists: classes of the functional classification, departments, words for names
# ------------------------------------------------------------------------------------------------

CLASS_NAMES = {
    "201": "一般公共服务支出",
    "204": "公共安全支出",
    "205": "教育支出",
    "206": "科学技术支出",
    "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出",
    "210": "卫生健康支出",
    "211": "节能环保支出",
    "212": "城乡社区支出",
    "213": "农林水支出",
    "214": "交通运输支出",
    "215": "资源勘探工业信息等支出",
    "220": "自然资源海洋气象等支出",
    "221": "住房保障支出",
    "224": "灾害防治及应急管理支出",
    "229": "其他支出",
}
CLASS_ORDINALS = {
    "201": "一",
    "204": "四",
    "205": "五",
    "206": "六",
    "207": "七",
    "208": "八",
    "210": "九",
    "211": "十",
    "212": "十一",
    "213": "十二",
    "214": "十三",
    "215": "十四",
    "220": "十八",
    "221": "十九",
    "224": "二十一",
    "229": "二十二",
}
# 款 names.
KUAN_NAMES = {
    "20104": "发展与改革事务",
    "20105": "统计信息事务",
    "20106": "财政事务",
    "20108": "审计事务",
    "20113": "商贸事务",
    "20126": "档案事务",
    "20138": "市场监督管理事务",
    "20406": "司法",
    "20501": "教育管理事务",
    "20508": "进修及培训",
    "20601": "科学技术管理事务",
    "20604": "技术研究与开发",
    "20701": "文化和旅游",
    "20801": "人力资源和社会保障管理事务",
    "20802": "民政管理事务",
    "20805": "行政事业单位养老支出",
    "20899": "其他社会保障和就业支出",
    "21001": "卫生健康管理事务",
    "21011": "行政事业单位医疗",
    "21015": "医疗保障管理事务",
    "21101": "环境保护管理事务",
    "21201": "城乡社区管理事务",
    "21301": "农业农村",
    "21302": "林业和草原",
    "21303": "水利",
    "21401": "公路水路运输",
    "21505": "工业和信息产业监管",
    "22001": "自然资源事务",
    "22102": "住房改革支出",
    "22401": "应急管理事务",
    "22999": "其他支出",
}

# (department, project topics, main 项: (code, name, basic|project)). The first 项 is the 行政运行 that
# carries wages and operating costs (基本支出); the others are project spending.
DEPARTMENTS: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, str, str], ...]], ...] = (
    (
        "财政局",
        ("预算绩效管理", "国库集中支付", "政府采购监管", "财政票据电子化"),
        (("2010601", "行政运行", "basic"), ("2010699", "其他财政事务支出", "project")),
    ),
    (
        "发展和改革委员会",
        ("重大项目前期", "价格监测", "营商环境评价", "节能审查"),
        (("2010401", "行政运行", "basic"), ("2010408", "物价管理", "project")),
    ),
    (
        "统计局",
        ("经济普查", "农业普查", "统计数据质量核查", "统计执法检查"),
        (("2010501", "行政运行", "basic"), ("2010505", "专项统计业务", "project")),
    ),
    (
        "审计局",
        ("经济责任审计", "专项资金审计", "审计信息化"),
        (("2010801", "行政运行", "basic"), ("2010804", "审计业务", "project")),
    ),
    (
        "商务局",
        ("招商引资", "电子商务进农村", "外贸发展"),
        (("2011301", "行政运行", "basic"), ("2011308", "招商引资", "project")),
    ),
    (
        "档案馆",
        ("档案数字化", "馆藏档案修复", "档案安全保管"),
        (("2012604", "档案馆", "basic"), ("2012699", "其他档案事务支出", "project")),
    ),
    (
        "市场监督管理局",
        ("食品安全抽检", "特种设备检验", "知识产权保护", "计量器具检定"),
        (("2013801", "行政运行", "basic"), ("2013816", "食品安全监管", "project")),
    ),
    (
        "司法局",
        ("人民调解", "法律援助", "社区矫正", "普法宣传"),
        (("2040601", "行政运行", "basic"), ("2040604", "基层司法业务", "project")),
    ),
    (
        "教育局",
        ("义务教育均衡发展", "教师培训", "学生资助", "校园安全"),
        (("2050101", "行政运行", "basic"), ("2050199", "其他教育管理事务支出", "project")),
    ),
    (
        "科学技术局",
        ("科技创新平台", "科技成果转化", "科技特派员"),
        (("2060101", "行政运行", "basic"), ("2060499", "其他技术研究与开发支出", "project")),
    ),
    (
        "文化广电旅游局",
        ("公共文化服务", "旅游宣传推介", "非物质文化遗产保护", "文物保护"),
        (("2070101", "行政运行", "basic"), ("2070108", "文化活动", "project")),
    ),
    (
        "人力资源和社会保障局",
        ("就业创业服务", "职业技能培训", "劳动保障监察"),
        (("2080101", "行政运行", "basic"), ("2080109", "社会保险经办机构", "project")),
    ),
    (
        "民政局",
        ("社区治理", "养老服务", "殡葬改革", "社会组织培育"),
        (("2080201", "行政运行", "basic"), ("2080208", "基层政权建设和社区治理", "project")),
    ),
    (
        "卫生健康局",
        ("基本公共卫生服务", "家庭医生签约", "疾病预防控制", "妇幼健康"),
        (("2100101", "行政运行", "basic"), ("2100199", "其他卫生健康管理事务支出", "project")),
    ),
    (
        "医疗保障局",
        ("医保信息化", "医保基金监管", "异地就医结算"),
        (("2101501", "行政运行", "basic"), ("2101504", "信息化建设", "project")),
    ),
    (
        "生态环境局",
        ("大气污染防治", "水污染防治", "环境监测能力", "土壤污染防治"),
        (("2110101", "行政运行", "basic"), ("2110199", "其他环境保护管理事务支出", "project")),
    ),
    (
        "住房和城乡建设局",
        ("老旧小区改造", "城市管理执法", "建筑市场监管"),
        (("2120101", "行政运行", "basic"), ("2120104", "城管执法", "project")),
    ),
    (
        "农业农村局",
        ("高标准农田建设", "农业技术推广", "动物疫病防控", "农村人居环境整治"),
        (("2130101", "行政运行", "basic"), ("2130108", "病虫害控制", "project")),
    ),
    (
        "林业局",
        ("森林防火", "国土绿化", "林业有害生物防治"),
        (("2130201", "行政运行", "basic"), ("2130209", "森林生态效益补偿", "project")),
    ),
    (
        "水利局",
        ("河湖长制", "水利工程运行维护", "农村饮水安全", "水土保持"),
        (("2130301", "行政运行", "basic"), ("2130306", "水利工程运行与维护", "project")),
    ),
    (
        "交通运输局",
        ("农村公路养护", "公路建设", "道路运输安全监管"),
        (("2140101", "行政运行", "basic"), ("2140104", "公路建设", "project")),
    ),
    (
        "大数据发展管理局",
        ("政务云服务", "数据共享交换平台", "电子政务外网运维", "数字乡村平台"),
        (("2150501", "行政运行", "basic"), ("2150517", "产业发展", "project")),
    ),
    (
        "工业和信息化局",
        ("工业企业技术改造", "中小企业服务", "园区发展"),
        (("2150501", "行政运行", "basic"), ("2150599", "其他工业和信息产业监管支出", "project")),
    ),
    (
        "自然资源局",
        ("国土空间规划", "不动产登记", "地质灾害防治", "耕地保护"),
        (("2200101", "行政运行", "basic"), ("2200104", "自然资源规划及管理", "project")),
    ),
    (
        "应急管理局",
        ("安全生产监管", "应急救援能力", "防灾减灾宣传"),
        (("2240101", "行政运行", "basic"), ("2240106", "安全监管", "project")),
    ),
)
# Basic spending every department has: (code, name, share of basic spending, economic code it pays).
COMMON_BASIC = (
    ("2080501", "行政单位离退休", 0.04, "30302"),
    ("2080505", "机关事业单位基本养老保险缴费支出", 0.08, "30108"),
    ("2080506", "机关事业单位职业年金缴费支出", 0.025, "30109"),
    ("2089999", "其他社会保障和就业支出", 0.008, "30112"),
    ("2101101", "行政单位医疗", 0.035, "30110"),
    ("2101103", "公务员医疗补助", 0.015, "30111"),
    ("2210201", "住房公积金", 0.07, "30113"),
)
# Project 项 a department may also have.
EXTRA_PROJECT = (("2050803", "培训支出"), ("2299999", "其他支出"))
# Names long enough to be broken by extraction ("机关事业单位基本养老保 险缴费支出").
LONG_NAMES = ("机关事业单位基本养老保险缴费支出", "机关事业单位职业年金缴费支出", "其他社会保障和就业支出")

ECONOMIC_NAMES = {
    "301": "工资福利支出",
    "30101": "基本工资",
    "30102": "津贴补贴",
    "30103": "奖金",
    "30107": "绩效工资",
    "30108": "机关事业单位基本养老保险缴费",
    "30109": "职业年金缴费",
    "30110": "职工基本医疗保险缴费",
    "30111": "公务员医疗补助缴费",
    "30112": "其他社会保障缴费",
    "30113": "住房公积金",
    "30199": "其他工资福利支出",
    "302": "商品和服务支出",
    "30201": "办公费",
    "30202": "印刷费",
    "30205": "水费",
    "30206": "电费",
    "30207": "邮电费",
    "30211": "差旅费",
    "30212": "因公出国(境)费用",
    "30213": "维修(护)费",
    "30215": "会议费",
    "30216": "培训费",
    "30217": "公务接待费",
    "30228": "工会经费",
    "30229": "福利费",
    "30231": "公务用车运行维护费",
    "30239": "其他交通费用",
    "30299": "其他商品和服务支出",
    "303": "对个人和家庭的补助",
    "30301": "离休费",
    "30302": "退休费",
    "30305": "生活补助",
    "30399": "其他对个人和家庭的补助",
    "307": "债务利息及费用支出",
    "30701": "国内债务付息",
    "310": "资本性支出",
    "31002": "办公设备购置",
    "31007": "信息网络及软件购置更新",
    "31013": "公务用车购置",
    "399": "其他支出",
    "39999": "其他支出",
}
WAGE_CODES = ("30101", "30102", "30103", "30107")
PUBLIC_CODES = ("30201", "30202", "30205", "30206", "30207", "30211", "30213", "30215", "30216", "30228", "30299")
PROJECT_SUFFIXES = ("项目", "专项经费", "工作经费", "运维服务项目", "建设项目", "补助资金")
SUBPROJECT_WORDS = ("宣传与推广", "平台运维", "设备购置", "第三方评估", "业务培训", "系统升级", "专家咨询", "资料印制")
FUNCTION_SENTENCES = (
    "负责贯彻执行国家和省有关方针政策和法律法规，拟订本行业发展规划并组织实施。",
    "负责统筹推进本领域重点工作，组织开展监督检查和绩效评价。",
    "负责本行业统计、信息发布和信息化建设工作。",
    "负责本部门、本行业领域的安全生产和消防安全工作。",
    "承担本领域对外交流合作，指导相关行业协会、学会工作。",
    "负责本系统人才队伍建设，组织开展业务培训。",
    "完成本级党委、政府交办的其他任务。",
)
REASONS = (
    "部分工作受外部因素影响，未按计划全部完成，下一步将加快推进。",
    "合同约定部分款项在验收合格后支付，导致完成值低于目标值。",
    "受项目审批进度影响，部分任务延至下一年度实施。",
)


# ------------------------------------------------------------------------------------------------
# Numbers: money as integer hundredths of 万元 ("cents"), so every sum is exact
# ------------------------------------------------------------------------------------------------


def wan(cents: int) -> float:
    """Integer hundredths of 万元 → 万元."""
    return round(cents / 100, 2)


def money(cents: int, style: str = "plain") -> str:
    """A 万元 figure as printed: plain 1234.50, comma 1,234.50, spaced 1, 234. 50 (PDF damage),
    nocomma-spaced 1234. 50, trim 1234.5 (narratives drop trailing zeros)."""
    whole, frac = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    if style == "trim":
        text = f"{whole}" if frac == 0 else f"{whole}.{frac:02d}".rstrip("0")
    elif style == "comma":
        text = f"{whole:,}.{frac:02d}"
    elif style == "spaced":
        text = f"{whole:,}".replace(",", ", ") + f". {frac:02d}"
    elif style == "spaced_nocomma":
        text = f"{whole}. {frac:02d}"
    else:
        text = f"{whole}.{frac:02d}"
    return sign + text


def yuan(cents: int) -> str:
    """A 万元 figure printed in 元 (hundredths of 万元 × 100 = 元)."""
    return f"{cents * 100}"


def rate_hp(actual: int, budget: int) -> int:
    """actual ÷ budget in hundredths of a percent, rounded half up (9878 = 98.78%)."""
    if budget <= 0:
        return 0
    return (actual * 20000 + budget) // (2 * budget)


def pct(hp: int) -> str:
    """Hundredths of a percent as printed, trailing zeros dropped: 10000 → 100, 9878 → 98.78."""
    return money(hp, "trim")


def score_of(weight: int, rate: int) -> int:
    """分值 × 执行率 in hundredths of a point: weight (points) × rate (hundredths of %) / 100."""
    return (weight * min(rate, 10000) * 2 + 100) // 200


def loguniform(rng: random.Random, low: float, high: float) -> int:
    """An amount in hundredths of 万元 between low and high 万元, spread evenly on a log scale."""
    return int(math.exp(rng.uniform(math.log(low), math.log(high))) * 100)


def split(total: int, k: int, rng: random.Random, floor: float = 0.3) -> list[int]:
    """k non-negative integers summing exactly to total."""
    if k <= 0:
        return []
    weights = [rng.uniform(floor, 1.0) for _ in range(k)]
    scale = sum(weights)
    parts = [int(total * w / scale) for w in weights]
    parts[0] += total - sum(parts)
    return parts


# ------------------------------------------------------------------------------------------------
# Ground truth
# ------------------------------------------------------------------------------------------------


@dataclass
class Truth:
    """The facts one report states, as extraction should yield them."""

    file: str
    records: list[dict[str, Any]] = field(default_factory=list)

    def fact(self, table: str, key: dict[str, Any], **values: Any) -> None:
        """One record per stated value; None means the document does not state it (no record)."""
        for name, value in values.items():
            if value is None:
                continue
            if isinstance(value, float):
                value = round(value, 4)
            self.records.append(
                {"record": "fact", "file": self.file, "table": table, "key": key, "field": name, "value": value}
            )


# ------------------------------------------------------------------------------------------------
# Identities: region, department, year — checked with the resolver the classifier uses
# ------------------------------------------------------------------------------------------------

# Province-level municipalities and the SARs/Taiwan: their prefectures are the province itself.
_SKIPPED_PROVINCES = ("11", "12", "31", "50", "71", "81", "82")


@dataclass(frozen=True)
class Place:
    region: Region
    province: Region
    prefecture: Region
    county: Region | None
    prefecture_label: str  # 黔南州 for an autonomous prefecture, else the full name

    @property
    def department_prefix(self) -> str:
        return self.prefecture_label + (self.county.name if self.county else "")

    @property
    def title_prefix(self) -> str:
        return self.province.name + self.department_prefix


@lru_cache(maxsize=1)
def _places() -> tuple[Place, ...]:
    index = default_index()
    out = []
    for region in index.rows():
        if region.level == "province" or region.adcode[:2] in _SKIPPED_PROVINCES:
            continue
        province = index.province_of(region)
        prefecture = index.prefecture_of(region)
        if province is None or prefecture is None or prefecture.level != "prefecture":
            continue
        label = prefecture.name
        if label.endswith("自治州"):
            label = next((s for s in prefecture.short_names if s.endswith("州") and not s.endswith("自治州")), label)
        county = region if region.level == "county" else None
        out.append(Place(region, province, prefecture, county, label))
    return tuple(out)


_checked: dict[tuple[str, str], bool] = {}


def _identity_resolves(place: Place, department: str, index: RegionIndex) -> bool:
    """Both the title (province + prefecture + county + department) and the department name alone
    must resolve to the intended region, and the department name must name no other region."""
    key = (place.region.adcode, department)
    if key not in _checked:
        name = place.department_prefix + department
        full = index.resolve(place.title_prefix + department + " " + name)
        alone = index.resolve(name)
        mentions = {r.adcode for _, r in index.find_all(name)}
        wanted = {place.prefecture.adcode} | ({place.county.adcode} if place.county else set())
        _checked[key] = (
            full is not None
            and full.adcode == place.region.adcode
            and alone is not None
            and alone.adcode == place.region.adcode
            and mentions <= wanted
        )
    return _checked[key]


@dataclass
class Plan:
    """Who and what one synthetic report is, decided before its text is written."""

    index: int
    doc_type: str
    year: int
    place: Place
    department_base: str  # 财政局
    topics: tuple[str, ...]
    items: tuple[tuple[str, str, str], ...]
    project: str | None  # the project of a project self-evaluation
    inconsistency: str | None
    benji: bool  # "(本级)" after a final-accounts department

    @property
    def department(self) -> str:
        """The department as the classifier reports it: prefecture (+ county) + department."""
        return self.place.department_prefix + self.department_base + ("(本级)" if self.benji else "")

    @property
    def stem(self) -> str:
        return f"{self.index:06d}_{self.doc_type}_{self.place.region.adcode}_{self.year}"

    @property
    def file(self) -> str:
        return self.stem + ".txt"


def _project_name(rng: random.Random, topics: tuple[str, ...], year: int, taken: Iterable[str] = ()) -> str:
    taken = list(taken)
    for _ in range(50):
        topic = rng.choice(topics)
        name = topic + rng.choice(PROJECT_SUFFIXES)
        if rng.random() < 0.15:
            name = f"{year} 年{name}"
        compact = name.replace(" ", "")
        if all(compact not in t.replace(" ", "") and t.replace(" ", "") not in compact for t in taken):
            return name
    return f"{rng.choice(topics)}第{len(taken) + 1}批{rng.choice(PROJECT_SUFFIXES)}"


def plan_corpus(n: int, seed: int = 0, mix: dict[str, float] | None = None, inconsistent: float = 0.1) -> list[Plan]:
    """The identities of n reports: type, year, region, department (all distinct as reports), and
    which of them carry a deliberate inconsistency (exactly round(n × inconsistent), kinds in turn)."""
    rng = random.Random(f"fiscallens-synth/{seed}")  # noqa: S311 - reproducible test data, not secrets
    mix = mix or DEFAULT_MIX
    types = [t for t in DOC_TYPES if mix.get(t, 0) > 0]
    weights = [mix[t] for t in types]
    places = _places()
    index = default_index()
    seen: set[tuple[Any, ...]] = set()
    plans: list[Plan] = []
    while len(plans) < n:
        doc_type = rng.choices(types, weights)[0]
        place = rng.choice(places)
        department, topics, items = rng.choice(DEPARTMENTS)
        year = rng.randint(FIRST_YEAR, LAST_YEAR)
        project = _project_name(rng, topics, year) if doc_type == "project_self_eval" else None
        key = (doc_type, place.region.adcode, department, year, project)
        if key in seen or not _identity_resolves(place, department, index):
            continue
        seen.add(key)
        plans.append(
            Plan(len(plans) + 1, doc_type, year, place, department, topics, items, project, None, rng.random() < 0.4)
        )
    planted = sorted(rng.sample(range(n), round(n * inconsistent))) if n else []
    for turn, i in enumerate(planted):
        # Kinds in turn over the whole corpus, each report taking the next kind its type can carry.
        plan = plans[i]
        kinds = list(EXPECTED_RULES[plan.doc_type])
        wanted = INCONSISTENCY_KINDS[turn % len(INCONSISTENCY_KINDS)]
        plan.inconsistency = wanted if wanted in kinds else kinds[turn % len(kinds)]
    for plan in plans:
        if plan.doc_type != "final_accounts":
            plan.benji = False
    return plans


# ------------------------------------------------------------------------------------------------
# Writing one report
# ------------------------------------------------------------------------------------------------


@dataclass
class Written:
    files: dict[str, str]  # file name → text
    truth: Truth
    traps: list[str]
    detail: str | None = None  # what the planted inconsistency changed


class _Report:
    """State shared by the templates while one report is written."""

    def __init__(self, plan: Plan, seed: int, trap_rates: dict[str, float]) -> None:
        self.plan = plan
        self.rng = random.Random(f"fiscallens-synth/{seed}/{plan.index}")  # noqa: S311 - reproducible test data
        self.truth = Truth(plan.file)
        self.traps = [t for t in TRAPS_BY_TYPE[plan.doc_type] if self.rng.random() < trap_rates.get(t, 0.0)]
        self.detail: str | None = None
        self.fw = "fullwidth" in self.traps

    def has(self, trap: str) -> bool:
        return trap in self.traps

    def p(self, text: str) -> str:
        """Punctuation of a narrative line, full-width when the report has that trap."""
        if not self.fw:
            return text
        return text.translate(str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", "%": "％", ";": "；"}))

    def planted(self, kind: str) -> bool:
        return self.plan.inconsistency == kind

    def report_facts(self) -> None:
        plan, place = self.plan, self.plan.place
        self.truth.fact(
            "reports",
            {},
            doc_type=plan.doc_type,
            fiscal_year=plan.year,
            region_code=place.region.adcode,
            province=place.province.name,
            prefecture=place.prefecture.name,
            county=place.county.name if place.county else None,
            department=plan.department,
            project_name=plan.project.replace(" ", "") if plan.project else None,
        )

    def functions_text(self) -> list[str]:
        sentences = list(FUNCTION_SENTENCES)
        self.rng.shuffle(sentences)
        return sentences[: self.rng.randint(3, 6)]


def write_report(plan: Plan, seed: int = 0, trap_rates: dict[str, float] | None = None) -> Written:
    """The text(s) and ground truth of one planned report."""
    report = _Report(plan, seed, DEFAULT_TRAPS if trap_rates is None else trap_rates)
    report.report_facts()
    writer = {
        "final_accounts": _final_accounts,
        "dept_self_eval": _dept_self_eval,
        "dept_evaluation": _dept_evaluation,
        "project_self_eval": _project_self_eval,
    }[plan.doc_type]
    files = writer(report)
    return Written(files, report.truth, report.traps, report.detail)


# --- final accounts --------------------------------------------------------------------------


@dataclass
class _Xiang:
    code: str
    name: str
    basic: int = 0
    project: int = 0
    budget: int = 0

    @property
    def total(self) -> int:
        return self.basic + self.project


def _function_items(r: _Report) -> tuple[list[_Xiang], int, int]:
    """The report's 项 with basic/project amounts; also the 行政运行 amount and its project part."""
    rng = r.rng
    basic_total = loguniform(rng, 120, 4000)
    project_total = loguniform(rng, 30, 20000)
    main = r.plan.items
    shares = [rng.uniform(0.8, 1.2) * s for _, _, s, _ in COMMON_BASIC]
    common = [int(basic_total * s) for s in shares]
    running = basic_total - sum(common)
    items = [_Xiang(main[0][0], main[0][1], basic=running)]
    items += [_Xiang(code, name, basic=amount) for (code, name, _, _), amount in zip(COMMON_BASIC, common, strict=True)]
    projects = [(code, name) for code, name, kind in main[1:] if kind == "project"]
    projects += [extra for extra in EXTRA_PROJECT if rng.random() < 0.35]
    mixed = rng.random() < 0.2
    parts = split(project_total, len(projects) + (1 if mixed else 0), rng)
    if mixed:
        items[0].project = parts.pop()
    for (code, name), amount in zip(projects, parts, strict=True):
        items.append(_Xiang(code, name, project=amount))
    for item in items:
        if item.basic and not item.project:
            item.budget = int(item.total * rng.uniform(0.85, 1.12))
        else:
            item.budget = 0 if rng.random() < 0.12 else int(item.total * rng.uniform(0.6, 1.6))
    items.sort(key=lambda x: x.code)
    return items, running, items[0].project if mixed else 0


def _tree(items: list[_Xiang]) -> list[tuple[str, str, int, int]]:
    """(code, name, basic, project) rows in table order: each 类, its 款, their 项."""
    rows = []
    classes: dict[str, list[_Xiang]] = {}
    for item in items:
        classes.setdefault(item.code[:3], []).append(item)
    for cls in sorted(classes):
        members = classes[cls]
        rows.append((cls, CLASS_NAMES[cls], sum(m.basic for m in members), sum(m.project for m in members)))
        kuans: dict[str, list[_Xiang]] = {}
        for m in members:
            kuans.setdefault(m.code[:5], []).append(m)
        for kuan in sorted(kuans):
            ms = kuans[kuan]
            rows.append((kuan, KUAN_NAMES[kuan], sum(m.basic for m in ms), sum(m.project for m in ms)))
            rows.extend((m.code, m.name, m.basic, m.project) for m in ms)
    return rows


def _three_public(r: _Report) -> dict[str, dict[str, int]]:
    """Budget, actual and last year's actual per 三公 item, in hundredths of 万元; all reconcile."""
    rng = r.rng
    outbound = loguniform(rng, 1, 15) if rng.random() < 0.25 else 0
    purchase = loguniform(rng, 10, 30) if rng.random() < 0.1 else 0
    operation = loguniform(rng, 0.5, 20) if rng.random() < 0.85 else 0
    reception = loguniform(rng, 0.2, 12)
    actual = {
        "outbound": outbound,
        "vehicle_purchase": purchase,
        "vehicle_operation": operation,
        "reception": reception,
    }
    budget = {k: (v if rng.random() < 0.4 else int(v * rng.uniform(1.0, 1.3))) for k, v in actual.items()}
    previous = {k: (v if rng.random() < 0.3 else max(0, int(v * rng.uniform(0.6, 1.4)))) for k, v in actual.items()}
    out: dict[str, dict[str, int]] = {}
    for name, values in (("budget", budget), ("actual", actual), ("previous", previous)):
        values = dict(values)
        values["vehicle_total"] = values["vehicle_purchase"] + values["vehicle_operation"]
        values["total"] = values["outbound"] + values["vehicle_total"] + values["reception"]
        out[name] = values
    return out


def _economic(r: _Report, running: int, items: list[_Xiang], tp: dict[str, dict[str, int]]) -> dict[str, int]:
    """Economic-classification amounts of basic spending: wages and operating costs make up 行政运行's
    basic part; social contributions equal their functional 项; 三公 items equal their 302 codes."""
    rng = r.rng
    by_code = {i.code: i for i in items}
    fixed = {"30217": tp["actual"]["reception"], "30231": tp["actual"]["vehicle_operation"]}
    if tp["actual"]["outbound"]:
        fixed["30212"] = tp["actual"]["outbound"]
    public_floor = sum(fixed.values()) + 500
    public = max(public_floor, int(running * rng.uniform(0.18, 0.35)))
    if public > running - 1000:
        public = running // 3 + public_floor
    wages = running - public
    amounts: dict[str, int] = {}
    for code, part in zip(WAGE_CODES, split(wages, len(WAGE_CODES), rng), strict=True):
        amounts[code] = part
    for code, _, _, econ in COMMON_BASIC:
        if econ.startswith("301"):
            amounts[econ] = by_code[code].basic
    amounts["30302"] = by_code["2080501"].basic
    rest = public - sum(fixed.values())
    chosen = rng.sample(PUBLIC_CODES, rng.randint(5, len(PUBLIC_CODES)))
    for code, part in zip(sorted(chosen), split(rest, len(chosen), rng), strict=True):
        amounts[code] = part
    amounts.update(fixed)
    amounts["301"] = sum(v for k, v in amounts.items() if k.startswith("301") and len(k) == 5)
    amounts["302"] = sum(v for k, v in amounts.items() if k.startswith("302") and len(k) == 5)
    amounts["303"] = amounts["30302"]
    return amounts


def _final_accounts(r: _Report) -> dict[str, str]:
    plan, rng, t = r.plan, r.rng, r.truth
    year = plan.year
    items, running, _ = _function_items(r)
    tp = _three_public(r)
    econ = _economic(r, running, items, tp)
    style = "spaced" if r.has("spaced_numbers") else "plain"

    # Planted inconsistencies that change printed figures.
    if r.planted("children_sum"):
        leaf = rng.choice([i for i in items if i.total > 0])
        delta = rng.choice([100, 1000, 5000, 12345])
        if leaf.project:
            leaf.project += delta
        else:
            leaf.basic += delta
        r.detail = f"{leaf.code} {leaf.name} 各表印作 {money(leaf.total)}，比其所属款的下级之和多 {money(delta)} 万元"
        # The 款 and 类 rows keep the sums of the true figures.
        leaf_delta = (leaf.code, delta)
    else:
        leaf_delta = None

    rows = _tree(items)
    if leaf_delta:
        code, delta = leaf_delta
        fixed_rows = []
        for c, n, b, p in rows:
            if c != code and code.startswith(c):  # an ancestor: printed without the delta
                item = next(i for i in items if i.code == code)
                if item.project:
                    p -= delta
                else:
                    b -= delta
            fixed_rows.append((c, n, b, p))
        rows = fixed_rows
    total_basic = sum(b for c, _, b, _ in rows if len(c) == 3)
    total_project = sum(p for c, _, _, p in rows if len(c) == 3)
    total = total_basic + total_project

    # Ground truth: function_spending (basis actual) as the warehouse should hold it.
    names = {c: n for c, n, _, _ in rows}
    budgets = {i.code: i.budget for i in items}
    for code, name, basic, project in rows:
        t.fact(
            "function_spending",
            {"basis": "actual", "code": code},
            total=wan(basic + project),
            basic=wan(basic) if basic else None,
            project=wan(project) if project else None,
            budget_initial=wan(budgets[code]) if len(code) == 7 else None,
            name=name,
        )
    total_budget = sum(i.budget for i in items)
    t.fact(
        "function_spending",
        {"basis": "actual", "code": "total"},
        total=wan(total),
        basic=wan(total_basic) if total_basic else None,
        project=wan(total_project) if total_project else None,
        budget_initial=wan(total_budget),
    )
    for code, amount in econ.items():
        if amount:
            t.fact("economic_spending", {"basis": "actual", "code": code}, amount=wan(amount))
    personnel = econ["301"] + econ["303"]
    public = econ["302"]
    t.fact("economic_spending", {"basis": "actual", "code": "personnel"}, amount=wan(personnel))
    t.fact("economic_spending", {"basis": "actual", "code": "public"}, amount=wan(public))
    t.fact("economic_spending", {"basis": "actual", "code": "operating"}, amount=wan(public))
    for item in ("total", "outbound", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception"):
        t.fact(
            "three_public",
            {"fiscal_year": year, "item": item},
            budget=wan(tp["budget"][item]),
            actual=wan(tp["actual"][item]),
            derived=False,
        )
    for item in ("total", "outbound", "vehicle_total", "reception"):
        t.fact("three_public", {"fiscal_year": year - 1, "item": item}, actual=wan(tp["previous"][item]), derived=True)

    dept = plan.department
    full_unit = plan.place.province.name + dept
    lines: list[str] = []
    add = lines.append

    def cell(cents: int, blank_zero: bool = True) -> str:
        if cents == 0 and blank_zero:
            return ""
        if style == "spaced":
            return money(cents, rng.choice(("spaced", "spaced", "spaced_nocomma", "plain")))
        return money(cents)

    # --- title, contents, part one
    add(f"{year} 年{plan.place.title_prefix} {plan.department_base}{'(本级)' if plan.benji else ''} 部门决算公开说明")
    add("")
    add("目录")
    add("")
    add("第一部分:部门(单位)名称概况")
    add("")
    add("- 一、部门职责")
    add("- 二、机构设置")
    add("")
    add(f"第二部分 {year} 年度部门决算表")
    add("")
    for title in (
        "一、收入支出决算总表",
        "二、收入决算表",
        "三、支出决算表",
        # 四、财政拨款收入支出决算总表 is not generated, so the contents do not list it (the audit
        # flags a listed table that a document lacks).
        "五、一般公共预算财政拨款支出决算表",
        "六、一般公共预算财政拨款基本支出决算明细表",
        "七、政府性基金预算财政拨款收入支出决算表",
        "八、国有资本经营预算财政拨款支出决算表",
        '九、财政拨款"三公"经费支出决算表',
    ):
        add(f"- {title}")
    add("")
    add(f"第三部分: {year} 年度部门决算情况说明")
    add("")
    add("第四部分: 名词解释")
    add("")
    add("第一部分")
    add("")
    add(f"{full_unit}概况")
    add("")
    add("一、部门职责")
    add("")
    for k, sentence in enumerate(r.functions_text(), start=1):
        add(f"- {k}. {sentence}")
    add("")
    add("二、机构设置")
    add("")
    offices = rng.randint(4, 9)
    add(f"{dept}内设{offices}个科室,负责本部门各项业务工作。")
    add("")
    add(f"第二部分 {year} 年度部门决算表")
    add("")

    # --- 01 收入支出决算总表 (not a functional table: class names without codes)
    add("收入支出决算总表")
    add("")
    add("公开 01 表")
    add("")
    add(f"单位: {full_unit}")
    add("")
    add(f"{year} 年度")
    add("")
    add("收入\t\t\t支出\t\t")
    add("项目\t行次\t金额\t项目\t行次\t金额")
    add("栏次\t\t1\t栏次\t\t2")
    income_rows = [
        "一、一般公共预算财政拨款收入",
        "二、政府性基金预算财政拨款收入",
        "三、国有资本经营预算财政拨款收入",
        "四、上级补助收入",
        "五、事业收入",
        "六、经营收入",
        "七、附属单位上缴收入",
        "八、其他收入",
    ]
    class_rows = [(c, n, b + p) for c, n, b, p in rows if len(c) == 3]
    for k in range(max(len(income_rows), len(class_rows))):
        left = f"{income_rows[k]}\t{k + 1}\t{cell(total) if k == 0 else ''}" if k < len(income_rows) else "\t\t"
        if k < len(class_rows):
            code, name, amount = class_rows[k]
            right = f"{CLASS_ORDINALS[code]}、{name}\t{14 + k}\t{cell(amount)}"
        else:
            right = "\t\t"
        add(f"{left}\t{right}")
    add(f"本年收入合计\t10\t{cell(total)}\t本年支出合计\t23\t{cell(total)}")
    add(f"总计\t13\t{cell(total)}\t总计\t26\t{cell(total)}")
    add("")
    add("注: 1. 本表反映部门本年度的总收支和年末结转结余情况。")
    add("")

    unit_line = "金额单位: 万元" if rng.random() < 0.5 else ""

    def code_rows(columns: int, split_cols: bool, garbage: bool, broken: bool, truncate: bool) -> None:
        previous_name = ""
        for code, name, basic, project in rows:
            printed = name
            if broken and name in LONG_NAMES and rng.random() < 0.7:
                cut = rng.randint(4, len(name) - 2)
                printed = name[:cut] + " " + name[cut:]
            if truncate and name in LONG_NAMES:
                printed = name[:-4] if name.endswith("缴费支出") else printed
            figures = [cell(basic + project, blank_zero=False)]
            if split_cols:
                figures += [cell(basic), cell(project)]
            figures += [""] * (columns - len(figures))
            prefix = ""
            if garbage and previous_name and rng.random() < 0.5:
                prefix = previous_name[-rng.randint(2, min(6, len(previous_name))) :] + "\t"
            add(f"{prefix}{code}\t{printed}\t" + "\t".join(figures))
            previous_name = name

    # --- 02 收入决算表
    add("收入决算表")
    add("")
    add("公开02表")
    add("")
    add(f"单位: {dept}")
    add("")
    add(f"{year} 年度")
    if unit_line:
        add(unit_line)
    add("")
    add("\t项目\t\t\t\t\t\t\t")
    add("科目代码\t科目名称\t本年收入合计\t财政拨款收入\t上级补助收入\t事业收入\t经营收入\t附属单位上缴收入\t其他收入")
    add("\t栏次\t1\t2\t3\t4\t5\t6\t7")
    add(f"\t合计\t{cell(total)}\t{cell(total)}\t\t\t\t\t")
    for code, name, basic, project in rows:
        printed = name
        if r.has("broken_names") and name in LONG_NAMES:
            printed = name[: len(name) // 2] + " " + name[len(name) // 2 :]
        add(f"{code}\t{printed}\t{cell(basic + project, False)}\t{cell(basic + project, False)}\t\t\t\t\t")
    add("")
    add("注: 本表反映部门本年度取得的各项收入情况。")
    add("")

    # --- 03 支出决算表 (all funds; its rows may carry residue of the neighbouring rows)
    add("支出决算表")
    add("")
    add("公开 03 表")
    add("")
    add(f"单位: {dept}")
    add("")
    add(f"{year} 年度")
    if unit_line:
        add(unit_line)
    add("")
    add("科目代码\t科目名称\t本年支出合计\t基本支出\t项目支出\t上缴上级支出\t经营支出\t对附属单位补助支出")
    add("\t栏次\t1\t2\t3\t4\t5\t6")
    add(f"合计\t\t{cell(total)}\t{cell(total_basic)}\t{cell(total_project)}\t\t\t")
    code_rows(6, True, r.has("garbage_rows"), r.has("broken_names"), False)
    add("")
    add("注: 本表反映部门本年度各项支出情况。")
    add("")

    # --- 05 一般公共预算财政拨款支出决算表 (the trusted table)
    add("一般公共预算财政拨款支出决算表")
    add("")
    add("公开 05 表")
    add("")
    add(f"单位:{full_unit}")
    add("")
    add(f"{year} 年度")
    if unit_line:
        add(unit_line)
    add("")
    add("\t项目\t\t本年支出\t")
    add("科目代码\t科目名称\t小计\t基本支出\t项目支出")
    add("\t栏次\t1\t2\t3")
    add(f"\t合计\t{cell(total)}\t{cell(total_basic)}\t{cell(total_project)}")
    code_rows(3, True, False, False, r.has("broken_names"))
    add("")
    add("注: 本表反映部门本年度一般公共预算财政拨款支出情况。")
    add("")

    # --- 06 基本支出决算明细表: three (code, name, amount) groups side by side
    add("一般公共预算财政拨款基本支出决算明细表")
    add("")
    add("公开 06 表")
    add("")
    add(f"部门: {full_unit}")
    add("")
    add(f"{year} 年度")
    if unit_line:
        add(unit_line)
    add("")
    add("\t人员经费\t\t\t公用经费\t\t\t\t")
    add("科目代码\t科目名称\t决算数\t科目代码\t科目名称\t决算数\t科目代码\t科目名称\t决算数")
    left = ["301", *(c for c in ECONOMIC_NAMES if c.startswith("301") and len(c) == 5)]
    left += ["303", *(c for c in ECONOMIC_NAMES if c.startswith("303") and len(c) == 5)]
    middle = ["302", *(c for c in ECONOMIC_NAMES if c.startswith("302") and len(c) == 5)]
    right = [c for c in ECONOMIC_NAMES if c[:3] in ("307", "310", "399")]
    for k in range(max(len(left), len(middle), len(right))):
        groups = []
        for column in (left, middle, right):
            if k < len(column):
                code = column[k]
                groups.append(f"{code}\t{ECONOMIC_NAMES[code]}\t{cell(econ.get(code, 0))}")
            else:
                groups.append("\t\t")
        add("\t".join(groups))
    add(f"人员经费合计 {cell(personnel)}\t\t\t\t\t公用经费\t合计\t\t\t{cell(public)}")
    add("")
    add("注: 本表反映部门本年度一般公共预算财政拨款基本支出明细情况。")
    add("")

    # --- 07 / 08: no data
    for title, number, what in (
        ("政府性基金预算财政拨款收入支出决算表", "07", "政府性基金收入,也没有使用政府性基金安排的支出"),
        ("国有资本经营预算财政拨款支出决算表", "08", "国有资本经营收入,也没有使用国有资本经营收入安排的支出"),
    ):
        add(title)
        add("")
        add(f"公开 {number} 表")
        add("")
        add(f"部门: {full_unit}")
        add("")
        add(f"{year} 年度")
        add("")
        add("金额单位:万元")
        add("")
        add("\t项目\t本年支出\t\t")
        add("科目代码\t科目名称\t合计\t基本支出\t项目支出")
        add("\t合计\t\t\t")
        add(f"\t{dept} {year} 年度没有{what},故本表无数据。\t\t\t")
        add("")
        add("注: 本表无数据。")
        add("")

    # --- 09 三公 table
    in_yuan = r.has("yuan_table")
    add('财政拨款"三公"经费支出决算表')
    add("")
    add("公开 09 表")
    add("")
    add(f"部门: {full_unit}")
    add("")
    add(f"{year} 年度")
    add("")
    add("金额单位: 元" if in_yuan else "金额单位: 万元")
    add("")
    order = ("total", "outbound", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception")

    def tp_cell(cents: int) -> str:
        if cents == 0 and r.has("blank_zero"):
            return ""
        return yuan(cents) + ".00" if in_yuan else cell(cents, blank_zero=False)

    data = (
        "\t".join(tp_cell(tp["budget"][i]) for i in order) + "\t" + "\t".join(tp_cell(tp["actual"][i]) for i in order)
    )
    if r.has("mangled_header"):
        add("\t\t3\t预算数\t\t\t· · · · · · · · · · · · · · · · · · ·\t\t\t\t\t\t")
        add("F\t因公\t公务用\t公务用车购置及运行维护费\t\t\t\t因公\t公务用车购置及运行维护费因公\t\t\t\t")
        add(
            "合计\t出国 (境) 费\t小计\t公务接 公务用车 公务用车运 特费 购置费 行维护费\t合计\t出国 (境) 费\t小计\t"
            "公务用车购置费\t公务用车运行维护费\t公务接 待费\t\t"
        )
        add("1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12\t")
    else:
        add("预算数\t\t\t\t\t\t决算数\t\t\t\t\t")
        add(
            "合计\t因公出国(境)费\t公务用车购置及运行维护费\t\t\t公务接待费\t"
            "合计\t因公出国(境)费\t公务用车购置及运行维护费\t\t\t公务接待费"
        )
        add("\t\t小计\t公务用车购置费\t公务用车运行维护费\t\t\t\t小计\t公务用车购置费\t公务用车运行维护费\t")
    add(data)
    add("")
    add('注:本表反映部门本年度"三公"经费支出预决算情况。')
    add("")

    # --- part three: the narrative
    narrative_total = money(total)
    add(f"第三部分 {year} 年度部门决算情况说明")
    add("")
    add("一、收入支出决算总体情况说明")
    add("")
    add(f"{year}年度收支决算总计{narrative_total}万元。")
    add("")
    add("二、收入决算情况说明")
    add("")
    add(
        f"{year}年度收入合计 {narrative_total}万元,其中:财政拨款收入 {narrative_total}万元,占 100%;"
        "其他收入 0万元,占 0%。"
    )
    add("")
    add("三、支出决算情况说明")
    add("")
    basic_share = pct(rate_hp(total_basic, total))
    add(
        f"{year} 年度支出合计 {narrative_total} 万元,其中:基本支出 {money(total_basic)} 万元,占 {basic_share}%;"
        f"项目支出 {money(total_project)} 万元,占 {pct(10000 - rate_hp(total_basic, total))}%。"
    )
    add("")
    add("五、一般公共预算财政拨款支出决算情况说明")
    add("")
    add("(二) 一般公共预算财政拨款支出决算结构情况")
    add("")
    shares = []
    mismatch_code = None
    if r.planted("narrative_mismatch"):
        mismatch_code = rng.choice([c for c, _, _ in class_rows])
    for code, name, amount in class_rows:
        printed = amount
        if code == mismatch_code:
            delta = rng.choice([1, 10, 100, 2500])
            printed = amount + delta
            r.detail = f"文字说明中 {code} {name} 印作 {money(printed)} 万元，表中为 {money(amount)} 万元"
        shares.append(f"{name}(类){money(printed)}万元,占 {pct(rate_hp(amount, total))}%")
    add(f"{year}年度一般公共预算财政拨款支出主要用于以下方面: " + ";".join(shares) + "。")
    add("")
    add("(三) 一般公共预算财政拨款支出决算具体情况")
    add("")
    summary_rate = f",完成年初预算的{pct(rate_hp(total, total_budget))}%" if total_budget else ""
    add(
        f"{year}年度一般公共预算财政拨款支出年初预算为{money(total_budget)}万元,"
        f"支出决算为{narrative_total}万元{summary_rate}。其中:"
    )
    add("")
    wrong_rate_item = None
    if r.planted("rate_mismatch"):
        wrong_rate_item = rng.choice([i.code for i in items if i.budget > 0])
    displaced = r.has("displaced_wan")
    for k, item in enumerate(items, start=1):
        kuan = item.code[:5]
        actual_text = f"{money(item.total)}万元"
        if displaced and k == 1:
            actual_text = f"万{money(item.total)}元"
        sentence = (
            f"- {k}. {CLASS_NAMES[item.code[:3]]}(类){KUAN_NAMES[kuan]}(款){names[item.code]}(项)。"
            f"年初预算为{money(item.budget, 'trim')}万元,支出决算为{actual_text}"
        )
        if item.budget:
            rate = rate_hp(item.total, item.budget)
            if item.code == wrong_rate_item:
                true_rate = rate
                rate = rate + rng.choice([-1, 1]) * rng.randint(200, 1500)
                rate = abs(rate)
                r.detail = f"{item.code} {item.name} 完成年初预算的比例印作 {pct(rate)}%，应为 {pct(true_rate)}%"
            sentence += f",完成年初预算的{pct(rate)}%"
        relation = "大于" if item.total > item.budget else "小于"
        sentence += f"。决算数{relation}预算数的主要原因是:{rng.choice(('年中追加预算', '据实结算', '人员变动'))}。"
        add(sentence)
    add("")
    add("六、一般公共预算财政拨款基本支出决算情况说明")
    add("")
    add(f"{year}年度一般公共预算财政拨款基本支出 {money(total_basic)} 万元 其中:")
    add("")
    add(f"(一)人员经费{money(personnel)}万元,主要包括基本工资、津贴补贴、奖金、保险、公积金、退休费等。")
    add("")
    add(f"(二)公用经费{money(public)}万元,主要包括:办公费、印刷费、差旅费、邮电费、公务接待费、工会经费等。")
    add("")
    add('九、财政拨款"三公"经费支出决算情况说明')
    add("")
    add('(一) "三公"经费财政拨款支出决算总体情况说明')

    def yoy(item: str) -> str:
        delta = tp["actual"][item] - tp["previous"][item]
        if delta == 0:
            return "与上年决算数持平,无增减变动"
        word = "增加" if delta > 0 else "减少"
        growth = (
            f",{'增长' if delta > 0 else '下降'}{pct(rate_hp(abs(delta), tp['previous'][item]))}%"
            if tp["previous"][item]
            else ""
        )
        return f"较上年{word} {money(abs(delta), 'trim')} 万元{growth}"

    def completion(item: str) -> str:
        b = tp["budget"][item]
        return f"完成预算的 {pct(rate_hp(tp['actual'][item], b))}%" if b else "完成预算的%"

    add(
        f'{year}年度"三公"经费财政拨款支出预算为 {money(tp["budget"]["total"])} 万元,'
        f"支出决算为 {money(tp['actual']['total'])} 万元,{completion('total')}; {yoy('total')}。"
    )
    add("")
    add('(二)"三公"经费财政拨款支出决算具体情况说明')
    add("")
    add(
        f"1. 因公出国(境)费预算 {money(tp['budget']['outbound'])} 万元,支出决算 {money(tp['actual']['outbound'])} 万元,"
        f"{completion('outbound')}; {yoy('outbound')}。"
    )
    add("")
    add(
        f"2. 公务用车购置及运行维护费预算 {money(tp['budget']['vehicle_total'])} 万元,"
        f"支出决算 {money(tp['actual']['vehicle_total'])} 万元,{completion('vehicle_total')}; "
        f"{yoy('vehicle_total')}。其中:"
    )
    add("")
    add(f"公务用车购置支出 {money(tp['actual']['vehicle_purchase'])} 万元。")
    add("")
    add(f"公务用车运行维护费 {money(tp['actual']['vehicle_operation'])} 万元。主要用于公务用车油费、维修费、保险费等。")
    add("")
    add(
        f"3. 公务接待费预算 {money(tp['budget']['reception'])} 万元,支出决算 {money(tp['actual']['reception'])} 万元,"
        f"{completion('reception')}; {yoy('reception')}。"
    )
    add("")
    add("十、其他重要事项的情况说明")
    add("")
    add("(一) 机关运行经费支出情况")
    add("")
    add(f"{year}年度机关运行经费支出 {money(public)}万元,主要用于办公及印刷费、邮电费、差旅费、会议费等。")
    add("")
    add("第四部分名词解释")
    add("")
    add("- 一、财政拨款收入: 指同级财政当年拨付的资金。")
    add("- 二、基本支出: 指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。")
    add("- 三、项目支出:指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。")
    add(
        '- 四、"三公"经费: 纳入同级财政预决算管理的"三公"经费是指用财政拨款安排的因公出国(境)费、'
        "公务用车购置及运行维护费和公务接待费。"
    )
    add("")
    return {plan.file: "\n".join(lines)}


# --- indicators (shared by the evaluation forms) ----------------------------------------------


@dataclass
class _Indicator:
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: int  # points
    score: int  # hundredths of a point
    reason: str | None = None


_GROUPS = (
    ("产出指标", 50, ("数量", "质量", "时效", "成本")),
    ("效益指标", 30, ("经济效益", "社会效益", "可持续影响")),
    ("满意度指标", 10, ("服务对象满意度",)),
)


def _indicators(r: _Report, topic: str, spent_wan: int, tabbed: bool) -> list[_Indicator]:
    """Indicators of one form: weights per group add up to 50 / 30 / 10 (90 with the 10 points of the
    execution rate); scores never exceed weights; a shortfall has its reason (tab layout only)."""
    rng = r.rng
    ge = "≧" if r.fw and rng.random() < 0.5 else "≥"
    sp = " " if tabbed and rng.random() < 0.5 else ""
    out: list[_Indicator] = []
    for level1, group_weight, level2s in _GROUPS:
        counts = {l2: (rng.randint(2, 4) if l2 == "数量" else 1) for l2 in level2s}
        n = sum(counts.values())
        weights = split(group_weight, n, rng, 0.6)
        weights = [max(1, w) for w in weights]
        weights[0] += group_weight - sum(weights)
        k = 0
        for level2, count in counts.items():
            for j in range(count):
                weight = weights[k]
                k += 1
                out.append(_indicator(rng, level1, level2, topic, j, weight, spent_wan, ge, sp, tabbed))
    return out


def _indicator(
    rng: random.Random,
    level1: str,
    level2: str,
    topic: str,
    j: int,
    weight: int,
    spent_wan: int,
    ge: str,
    sp: str,
    tabbed: bool,
) -> _Indicator:
    full = weight * 100
    if level2 == "数量":
        unit = rng.choice(("次", "个", "项", "家", "户", "人次"))
        what = ("开展" + topic + "专项检查", "完成" + topic + "任务", "组织业务培训", "覆盖服务对象", "印发工作简报")[
            j % 5
        ]
        target = rng.randint(3, 60)
        actual = target + rng.randint(0, 8) if rng.random() < 0.85 else max(1, target - rng.randint(1, target // 2 + 1))
        score = full if actual >= target else (full * actual) // target
        return _Indicator(
            level1,
            "数量指标" if tabbed else level2,
            what + "数量" if j else what,
            f"{ge}{target}{sp}{unit}",
            f"{actual}{sp}{unit}",
            weight,
            score,
            rng.choice(REASONS) if score < full else None,
        )
    if level2 == "质量":
        achieved = rng.choice((100, 100, 100, rng.randint(90, 99)))
        score = (full * achieved) // 100
        return _Indicator(
            level1,
            "质量指标" if tabbed else level2,
            topic + "验收合格率",
            "100%",
            f"{achieved}%",
            weight,
            score,
            rng.choice(REASONS) if score < full else None,
        )
    if level2 == "时效":
        return _Indicator(
            level1, "时效指标" if tabbed else level2, "工作完成及时率", "按时完成", "按时完成", weight, full
        )
    if level2 == "成本":
        ceiling = max(1, spent_wan + rng.randint(0, max(1, spent_wan // 5)))
        return _Indicator(
            level1,
            "成本指标" if tabbed else level2,
            "成本控制有效性",
            f"≤{ceiling}{sp}万元",
            f"{spent_wan}{sp}万元",
            weight,
            full,
        )
    if level2 == "经济效益":
        return _Indicator(
            level1, "经济效益指标" if tabbed else level2, "节约行政成本", "有效降低", "有效降低", weight, full
        )
    if level2 == "社会效益":
        return _Indicator(
            level1, "社会效益指标" if tabbed else level2, topic + "服务水平", "明显提升", "明显提升", weight, full
        )
    if level2 == "可持续影响":
        return _Indicator(
            level1, "可持续影响指标" if tabbed else level2, "长效机制建设情况", "建立健全", "建立健全", weight, full
        )
    target = rng.choice((85, 90, 95))
    achieved = rng.randint(target - 3, 100)
    score = full if achieved >= target else (full * achieved) // target
    return _Indicator(
        level1,
        "服务对象满意度指标" if tabbed else level2,
        "群众满意度",
        f"{ge}{target}%",
        f"{achieved}%",
        weight,
        score,
        rng.choice(REASONS) if score < full else None,
    )


def _indicator_facts(r: _Report, owner: dict[str, Any], indicators: list[_Indicator]) -> None:
    for ind in indicators:
        r.truth.fact(
            "indicators",
            {**owner, "level3": ind.name},
            level1=ind.level1,
            level2=ind.level2,
            target_text=ind.target,
            actual_text=ind.actual,
            weight=float(ind.weight),
            score=wan(ind.score),
        )


def _plant_weights(r: _Report, indicators: list[_Indicator]) -> None:
    """weights_110: one indicator's weight printed 10 points higher (its score unchanged)."""
    if r.planted("weights_110"):
        victim = r.rng.choice(indicators)
        victim.weight += 10
        r.detail = f"指标“{victim.name}”分值印作 {victim.weight}，各指标分值（含执行率 10 分）合计 110"


# --- department self-evaluation --------------------------------------------------------------


def _dept_self_eval(r: _Report) -> dict[str, str]:
    plan, rng, t = r.plan, r.rng, r.truth
    year, p = plan.year, r.p
    dept = plan.department
    county = plan.place.county.name if plan.place.county else ""
    full_name = plan.place.prefecture.name + county + plan.department_base

    # Projects: budgets, actual spending; the fund table's 项目支出 is their sum.
    names: list[str] = []
    for _ in range(rng.randint(3, 7)):
        names.append(_project_name(rng, plan.topics, year, names).replace(f"{year} 年", ""))
    year_heading = 0
    if r.has("year_in_heading"):
        year_heading = rng.randint(1, len(names))
        names[year_heading - 1] = f"{year} 年{names[year_heading - 1]}"
    elif rng.random() < 0.3:
        k = rng.randrange(len(names))
        names[k] = f"{year} 年{names[k]}"
    budgets = [loguniform(rng, 2, 800) for _ in names]
    actuals = [b if rng.random() < 0.65 else int(b * rng.uniform(0.5, 0.99)) for b in budgets]
    project_full = sum(budgets)
    project_actual = sum(actuals)
    project_initial = project_full if rng.random() < 0.5 else int(project_full * rng.uniform(0.8, 1.0))
    basic_full = loguniform(rng, 100, 3000)
    basic_initial = basic_full if rng.random() < 0.5 else int(basic_full * rng.uniform(0.9, 1.0))
    basic_actual = basic_full if rng.random() < 0.7 else int(basic_full * rng.uniform(0.95, 1.0))
    carry = loguniform(rng, 10, 500) if rng.random() < 0.4 else 0
    total_initial = basic_initial + project_initial
    total_full = basic_full + project_full + carry
    total_actual = basic_actual + project_actual + carry
    rate = rate_hp(total_actual, total_full)
    exec_score = score_of(10, rate)

    # The department's fund table as printed (a planted children_sum changes 基本支出's actual).
    printed_basic_actual = basic_actual
    if r.planted("children_sum"):
        printed_basic_actual = basic_actual + rng.choice([100, 1000, 5000])
        r.detail = f"基本支出全年执行数印作 {money(printed_basic_actual)} 万元，各部分之和不等于年度资金总额"

    indicators = _indicators(r, rng.choice(plan.topics), project_actual // 100, tabbed=False)
    _plant_weights(r, indicators)
    total_score = sum(i.score for i in indicators) + exec_score
    grade = _grade(total_score)

    department = {"scope": "department"}
    t.fact(
        "evaluations",
        department,
        budget_initial=wan(total_initial),
        budget_full_year=wan(total_full),
        actual=wan(total_actual),
        execution_rate_reported=wan(rate),
        execution_weight=10.0,
        execution_score=wan(exec_score),
        total_score=wan(total_score),
        grade=grade,
    )
    carry_initial_printed = not r.has("missing_column")
    fund_lines = [
        ("total", "年度资金总额", total_initial, total_full, total_actual),
        ("basic", "基本支出", basic_initial, basic_full, printed_basic_actual),
        ("project", "项目支出", project_initial, project_full, project_actual),
    ]
    if carry:
        fund_lines.append(("carryover", "上年项目结转资金", 0 if carry_initial_printed else None, carry, carry))
    fund_lines.append(("other", "其他资金", 0, 0, 0))
    for line, label, initial, full, actual in fund_lines:
        t.fact(
            "execution_lines",
            {"owner": None, "scope": "department", "line": line, "label": label},
            budget_initial=wan(initial) if initial is not None else None,
            budget_full_year=wan(full),
            actual=wan(actual),
        )

    wrong_rate = rng.randrange(len(names)) if r.planted("rate_mismatch") else None
    project_rates = []
    for k, (name, b, a) in enumerate(zip(names, budgets, actuals, strict=True)):
        printed_rate = rate_hp(a, b)
        if k == wrong_rate:
            printed_rate = 10000 if a < b * 0.97 else max(0, printed_rate - rng.randint(300, 2000))
            r.detail = f"项目“{name}”执行率印作 {pct(printed_rate)}%，应为 {pct(rate_hp(a, b))}%"
        project_rates.append(printed_rate)
        owner = {"scope": "project", "name": name}
        t.fact("evaluations", owner, budget_full_year=wan(b), actual=wan(a), execution_rate_reported=wan(printed_rate))
        label = "年度预算数" if k % 2 == 0 else "全年预算数"
        t.fact(
            "execution_lines",
            {"owner": name, "scope": "project", "line": "total", "label": label},
            budget_full_year=wan(b),
            actual=wan(a),
        )
        t.fact(
            "execution_lines",
            {"owner": name, "scope": "project", "line": "fiscal", "label": "财政拨款资金"},
            budget_full_year=wan(b),
        )
        t.fact(
            "execution_lines",
            {"owner": name, "scope": "project", "line": "other", "label": "其他资金"},
            budget_full_year=0.0,
        )
    _indicator_facts(r, {"scope": "department"}, indicators)

    # --- the narrative
    main: list[str] = []
    add = main.append
    add("")
    add(f"# {full_name}")
    add("")
    add(f"## {dept} {year} 年度部门预算绩效自评报告")
    add("")
    add(
        p(
            f"为全面实施预算绩效管理,根据本级财政部门关于开展{year}年度部门预算绩效自评工作的通知要求,"
            f"现将{dept}{year}年度部门预算绩效自评报告如下:"
        )
    )
    add("")
    add("### 一、整体支出绩效自评情况")
    add("")
    add(p("#### (一)单位职能概述"))
    add("")
    for k, sentence in enumerate(r.functions_text(), start=1):
        add(p(f"({k}) {sentence}"))
        add("")
    add(p(f"## (二) {year} 年年度工作目标完成情况"))
    add("")
    narrative_project = project_full
    if r.planted("narrative_mismatch"):
        narrative_project = project_full + rng.choice([-15, 15, 100, -1000, 2000])
        r.detail = (
            f"项目资金预算实际下达数印作 {money(narrative_project)} 万元，"
            f"资金表项目支出全年预算数为 {money(project_full)} 万元"
        )
    add(
        p(
            f"1、{year} 年项目资金预算实际下达数 {money(narrative_project, 'trim')} 万元,{year} 年度项目预算支出 "
            f"{money(project_actual, 'trim')} 万元,执行率 {pct(rate_hp(project_actual, project_full))}%。"
        )
    )
    add("")
    add("## 二、项目支出绩效自评情况")
    add("")
    heading_styles = ("#### {k}.{name}", "## **{k}. {name}**", "### {k}、{name}", "#### {k}.{name}")
    for k, (name, b, a, printed_rate) in enumerate(zip(names, budgets, actuals, project_rates, strict=True), start=1):
        style = heading_styles[k % len(heading_styles)]
        if name[:4].isdigit():
            # "14.2021 年…" as in sample 000; the year_in_heading trap prints "2、2019 年…" instead.
            style = "### {k}、{name}" if k == year_heading else "#### **{k}.{name}**"
        add(style.format(k=k, name=name))
        add("")
        word = "年度预算数" if (k - 1) % 2 == 0 else "全年预算数"
        when = f"{year} 年度" if word == "年度预算数" else ""
        lead = when + ("预算数" if word == "年度预算数" else "全年预算数")
        add(
            p(
                f"(1) 资金使用情况:{lead} {money(b, 'trim')} 万元(其中:财政拨款资金 {money(b, 'trim')} 万元,"
                f"其他资金 0 元),执行数 {money(a, 'trim')} 万元,执行率 {pct(printed_rate)}%。"
            )
        )
        add("")
        add(p(f"(2) 项目实施情况:按计划完成{name}各项工作任务,工作台账完整。"))
        add("")
        add(p("(3) 产生的效益:提升了服务水平和工作效率。"))
        add("")
        add(p("(4) 受益对象(服务对象)满意度:服务对象满意度 100%。"))
        add("")
    add("### 三、下一步工作打算")
    add("")
    add(p("1. 进一步加强预算绩效管理,提高资金使用效益。"))
    add("")
    add(dept)
    add("")
    add(f"{year + 1}年7月{rng.randint(1, 28)}日")
    add("")

    # --- 附件1: the form
    form: list[str] = []
    add = form.append
    add("附件1")
    add("")
    add("部门整体支出绩效目标自评表")
    add(p(f"({year}年度)"))
    add("")
    add(p(f"单位(盖章): 填报日期:{year + 1}.7.{rng.randint(1, 28)}"))
    add("")
    # The attachment names the department in full (黔南布依族苗族自治州…), like sample 002; printed in the
    # report's own file it uses the title's name, which the classifier may read from the head.
    add(p(f"部门(单位)名称 {full_name if r.has('split_attachment') else dept}"))
    add("")
    add(p("部门(单位)总体"))
    add(p("资金(万元)"))
    add("")
    add(p("资 金 来 源 年初预算数 全年预算数(A) 全年执行数(B) 分值 执行率 得分"))
    add("")
    add(
        p(
            f"年度资金总额: {money(total_initial, 'trim')}万元 {money(total_full, 'trim')}万元 "
            f"{money(total_actual, 'trim')}万元 10 {pct(rate)}% {money(exec_score, 'trim')}"
        )
    )
    add("")
    add(
        f"   基本支出 {money(basic_initial, 'trim')}万元 {money(basic_full, 'trim')}万元 "
        f"{money(printed_basic_actual, 'trim')}万元 — — —"
    )
    add("")
    add(
        f"   项目支出 {money(project_initial, 'trim')}万元 {money(project_full, 'trim')}万元 "
        f"{money(project_actual, 'trim')}万元 — — —"
    )
    add("")
    if carry:
        initial = "0万元 " if carry_initial_printed else ""
        add(f"   上年项目结转资金 {initial}{money(carry, 'trim')}万元 {money(carry, 'trim')}万元 — — —")
        add("")
    add("其他资金 0 0 0")
    add("")
    add("年度总")
    add("体目标")
    add("")
    add("预期目标 实际完成情况")
    add("")
    add(p(f"1、围绕{rng.choice(plan.topics)}等重点工作,完成年度目标任务。"))
    add("")
    add("按时完成年度总体目标。")
    add("")
    for ch in "绩效指标":
        add(ch)
    add("")
    add(p("一级指标 二级指标 三级指标 年度指标值(A) 实际完成值(B) 分值 得分 未完成原因分析"))
    add("")
    current = (None, None)
    for ind in indicators:
        if ind.level1 != current[0]:
            for ch in ind.level1:
                add(ch)
            add("")
            add(p(f"({dict((g, w) for g, w, _ in _GROUPS)[ind.level1]}分)"))
            add("")
        row = f"{ind.name} {ind.target} {ind.actual} {ind.weight} {money(ind.score, 'trim')}"
        if r.has("wrapped_names") and len(ind.name) >= 7 and rng.random() < 0.5:
            # The name wraps over two lines of its own, the figures follow after a blank line (002).
            cut = rng.randint(3, len(ind.name) - 2)
            add(ind.name[:cut])
            add(ind.name[cut:])
            add("")
            row = f"{ind.target} {ind.actual} {ind.weight} {money(ind.score, 'trim')}"
        if (ind.level1, ind.level2) != current:
            if rng.random() < 0.5:
                add(ind.level2)
                add("")
                add(row)
            else:
                add(f"{ind.level2} {row}")
        else:
            add(row)
        add("")
        current = (ind.level1, ind.level2)
    add(f"总         分 100 {money(total_score, 'trim')}")
    add("")
    add("自评")
    add("结论")
    add("")
    add(p(f"部门整体支出绩效自评得分 {money(total_score, 'trim')} 分,自评等级为“{grade}”。"))
    add("")
    add(p("联系人:王某某"))
    add("")

    if r.has("split_attachment"):
        return {plan.file: "\n".join(main), plan.stem + "_att1.txt": "\n".join(form)}
    return {plan.file: "\n".join(main + form)}


def _grade(score_hundredths: int) -> str:
    return (
        "优"
        if score_hundredths >= 9000
        else "良"
        if score_hundredths >= 8000
        else "中"
        if score_hundredths >= 6000
        else "差"
    )


# --- department evaluation (003) ---------------------------------------------------------------


def _dept_evaluation(r: _Report) -> dict[str, str]:
    plan, rng, t = r.plan, r.rng, r.truth
    year, p = plan.year, r.p
    dept = plan.department
    supervisor = plan.place.department_prefix + "人民政府"

    initial = loguniform(rng, 300, 8000)
    added = loguniform(rng, 50, 10000) if rng.random() < 0.8 else 0
    fiscal = initial + added
    other = loguniform(rng, 1, 80) if rng.random() < 0.5 else 0
    income = fiscal + other
    spend = int(fiscal * rng.uniform(0.9, 1.0)) if rng.random() < 0.7 else fiscal
    basic = int(spend * rng.uniform(0.08, 0.4))
    project = spend - basic
    personnel = int(basic * rng.uniform(0.7, 0.9))
    public = basic - personnel
    rate = rate_hp(spend, fiscal)
    weight = rng.choice((10, 20, 30))

    printed_rate = rate
    if r.planted("rate_mismatch"):
        printed_rate = min(10000, rate + rng.choice([-1, 1]) * rng.randint(200, 900))
        if printed_rate == rate:
            printed_rate = rate - 500
        r.detail = f"预算执行率印作 {pct(printed_rate)}%，支出总额 ÷ 年度预算金额 = {pct(rate)}%"
    exec_score = score_of(weight, printed_rate)
    printed_basic = basic
    if r.planted("children_sum"):
        printed_basic = basic + rng.choice([100, 1000, 3000])
        r.detail = f"基本支出印作 {money(printed_basic)} 万元，与项目支出之和不等于支出总额 {money(spend)} 万元"
    restated_spend = spend
    if r.planted("narrative_mismatch"):
        restated_spend = spend + rng.choice([1, 100, 1000, -500])
        r.detail = f"支出总额在另一段印作 {money(restated_spend)} 万元，前文为 {money(spend)} 万元"

    tp_budget = {"reception": loguniform(rng, 0.5, 10), "vehicle_operation": loguniform(rng, 1, 15), "outbound": 0}
    tp_actual = {k: int(v * rng.uniform(0.5, 1.0)) for k, v in tp_budget.items()}
    tp_budget_total = sum(tp_budget.values())
    tp_actual_total = sum(tp_actual.values())
    score = rng.randint(8500, 9900)
    grade = _grade(score)

    t.fact(
        "evaluations",
        {"scope": "department"},
        budget_initial=wan(initial),
        budget_full_year=wan(fiscal),
        actual=wan(spend),
        execution_rate_reported=wan(printed_rate),
        execution_weight=float(weight),
        execution_score=wan(exec_score),
        total_score=wan(score),
        grade=grade,
    )
    owner = {"owner": None, "scope": "department"}
    t.fact("execution_lines", {**owner, "line": "income", "label": "总收入"}, budget_full_year=wan(income))
    t.fact(
        "execution_lines",
        {**owner, "line": "fiscal", "label": "财政拨款收入"},
        budget_initial=wan(initial),
        budget_full_year=wan(fiscal),
    )
    if other:
        t.fact("execution_lines", {**owner, "line": "other", "label": "其他收入"}, budget_full_year=wan(other))
    t.fact("execution_lines", {**owner, "line": "total", "label": "支出总额"}, actual=wan(spend))
    t.fact("execution_lines", {**owner, "line": "basic", "label": "基本支出"}, actual=wan(printed_basic))
    t.fact("execution_lines", {**owner, "line": "project", "label": "项目支出"}, actual=wan(project))
    t.fact("economic_spending", {"basis": "actual", "code": "personnel"}, amount=wan(personnel))
    t.fact("economic_spending", {"basis": "actual", "code": "public"}, amount=wan(public))
    t.fact(
        "three_public",
        {"fiscal_year": year, "item": "total"},
        budget=wan(tp_budget_total),
        actual=wan(tp_actual_total),
        derived=False,
    )
    for item in ("reception", "vehicle_operation", "outbound"):
        t.fact(
            "three_public",
            {"fiscal_year": year, "item": item},
            budget=wan(tp_budget[item]),
            actual=wan(tp_actual[item]),
            derived=False,
        )

    duties = "".join(f"<p>{k}、{s}</p> " for k, s in enumerate(r.functions_text(), start=1)).strip()
    other_text = f";其他收入 {money(other, 'trim')} 万元,主要是代扣代缴职工社保款等" if other else ""
    added_text = f",年中追加 {money(added, 'trim')} 万元" if added else ""
    performance = " ".join(
        [
            p("<p>一、部门整体情况</p>"),
            p(
                f"<p>(一)收入情况:{year} 年度本单位总收入 {money(income, 'trim')} 万元,其中财政拨款收入 "
                f"{money(fiscal, 'trim')} 万元,包括年初预算 {money(initial, 'trim')} 万元{added_text}{other_text}。</p>"
            ),
            p(
                f"<p>(二)支出情况:{year} 年度支出总额 {money(spend, 'trim')} 万元。包括基本支出 "
                f"{money(printed_basic, 'trim')} 万元,其中人员经费 {money(personnel, 'trim')} 万元,公用经费 "
                f"{money(public, 'trim')} 万元;项目支出 {money(project, 'trim')} 万元,主要用于各项业务工作。</p>"
            ),
            p(
                f"<p>(三)“三公经费”预算执行情况:{year}年,单位“三公”经费控制数为{money(tp_budget_total, 'trim')}万元,"
                f"其中公务接待费{money(tp_budget['reception'], 'trim')}万元,公务用车运行费"
                f"{money(tp_budget['vehicle_operation'], 'trim')}万元,出国出境费0万元。本单位{year}年度“三公经费”"
                f"实际支出{money(tp_actual_total, 'trim')}万元,"
                f"其中公务接待费{money(tp_actual['reception'], 'trim')}万元,"
                f"公务用车运行费{money(tp_actual['vehicle_operation'], 'trim')}万元,出国出境费0万元,未超过控制数。</p>"
            ),
            "<p>二、预算管理情况</p>",
            "<p>本单位制定了财务管理制度,制度合法、合规、完整。</p>",
            "<p>三、预算执行情况</p>",
            p(f"<p>{year}年度本单位预算执行率为{pct(printed_rate)}%,符合预算绩效管理要求。</p>"),
            p(f"<p>预算执行率分值{weight}分,得分{money(exec_score, 'trim')}分。</p>"),
        ]
    )
    lines = [
        "",
        "",
        f"{dept} 部门整体预算绩效评价报告",
        "",
        f"\t单位名称\t{dept}",
        f"\t年度预算金额\t{money(fiscal, 'trim')} 万元",
        f"\t主管部门\t{supervisor}",
        f"部门概况\t单位基本职能\t{duties}",
        f"绩效完成情况\t部门整体支出管理和使用情况\t{performance}",
        "",
        p(
            f"\t<p>(一)整体目标完成情况:{year}年全年支出总额 {money(restated_spend, 'trim')} 万元,"
            "各项工作有序推进。</p>"
        ),
        "",
        p(f"评价结论\t<p>部门整体绩效评价得分 {money(score, 'trim')} 分,评价等级为“{grade}”。</p>"),
        "",
        "存在的问\n题分析",
        "",
        "存在的问题",
        "",
        "1、年初绩效指标设定存在偏差。",
        "2、资金支付需更均衡。",
        "",
        "改进措施",
        "",
        "1、加强预算绩效管理培训。",
        "",
    ]
    return {plan.file: "\n".join(lines)}


# --- project self-evaluation (004) ---------------------------------------------------------------


def _project_self_eval(r: _Report) -> dict[str, str]:
    plan, rng, t = r.plan, r.rng, r.truth
    year, p = plan.year, r.p
    assert plan.project is not None
    project, dept = plan.project, plan.department
    supervisor = plan.place.department_prefix + "人民政府办公室"
    function_code = plan.items[1][0]

    count = rng.randint(3, 7)
    subs: list[str] = []
    for k in range(count):
        word = SUBPROJECT_WORDS[k % len(SUBPROJECT_WORDS)]
        subs.append(
            f"{year} 年{rng.choice(plan.topics)}{word}费" if k % 3 == 0 else f"{rng.choice(plan.topics)}{word}经费"
        )
    subs = list(dict.fromkeys(subs))
    budgets = [loguniform(rng, 5, 900) for _ in subs]
    actuals = [int(b * rng.uniform(0.0, 1.0)) if rng.random() < 0.6 else b for b in budgets]
    budget = sum(budgets)
    actual = sum(actuals)
    initial = budget if rng.random() < 0.6 else int(budget * rng.uniform(0.8, 1.0))
    balance = budget - actual
    rate = rate_hp(actual, budget)
    printed_rate = rate
    if r.planted("rate_mismatch"):
        printed_rate = rate + 1000 if rate <= 9000 else rate - 1000
        r.detail = f"项目执行率各处均印作 {pct(printed_rate)}%，全年执行数 ÷ 全年预算数 = {pct(rate)}%"
    exec_score = score_of(10, printed_rate)
    indicators = _indicators(r, rng.choice(plan.topics), actual // 100, tabbed=True)
    _plant_weights(r, indicators)
    total_score = sum(i.score for i in indicators) + exec_score
    grade = _grade(total_score)
    narrative_actual = actual
    if r.planted("narrative_mismatch"):
        narrative_actual = actual + rng.choice([1, 50, 500, -100]) if actual > 600 else actual + 250
        r.detail = f"正文“共支出资金”印作 {money(narrative_actual)} 万元，资金表全年执行数为 {money(actual)} 万元"
    printed_budgets = list(budgets)
    if r.planted("children_sum"):
        k = rng.randrange(len(subs))
        printed_budgets[k] = budgets[k] + rng.choice([100, 1000, 5000])
        r.detail = (
            f"子项目“{subs[k]}”预算印作 {money(printed_budgets[k])} 万元，子项目之和不等于合计 {money(budget)} 万元"
        )

    owner = {"scope": "project", "name": project}
    t.fact(
        "evaluations",
        owner,
        function_code=function_code,
        budget_initial=wan(initial),
        budget_full_year=wan(budget),
        actual=wan(actual),
        execution_rate_reported=wan(printed_rate),
        execution_weight=10.0,
        execution_score=wan(exec_score),
        total_score=wan(total_score),
        grade=grade,
    )
    lines_owner = {"owner": project, "scope": "project"}
    t.fact(
        "execution_lines",
        {**lines_owner, "line": "total", "label": "年度资金总额"},
        budget_initial=wan(initial),
        budget_full_year=wan(budget),
        actual=wan(actual),
    )
    t.fact(
        "execution_lines",
        {**lines_owner, "line": "fiscal", "label": "其中:当年财政拨款"},
        budget_initial=wan(initial),
        budget_full_year=wan(budget),
        actual=wan(actual),
    )
    t.fact(
        "execution_lines",
        {**lines_owner, "line": "carryover", "label": "结转结余"},
        actual=wan(budget - narrative_actual),
    )
    for sub, b, a in zip(subs, printed_budgets, actuals, strict=True):
        t.fact(
            "evaluations",
            {"scope": "subproject", "name": sub},
            budget_full_year=wan(b),
            actual=wan(a),
            execution_rate_reported=wan(rate_hp(a, b)),
        )
    _indicator_facts(r, owner, indicators)

    in_yuan = r.has("yuan_table")
    header_unit = "元" if in_yuan else "万元"
    if r.planted("unit_mismatch"):
        in_yuan, header_unit = False, "元"
        if "yuan_table" in r.traps:
            r.traps.remove("yuan_table")
        r.detail = "项目资金表表头写“(元)”，表中金额实为万元（与正文所写万元金额相符）"

    def fund(cents: int) -> str:
        return yuan(cents) if in_yuan else money(cents, "trim")

    uses = ";".join(f"{s}{money(b, 'trim')} 万元" for s, b in zip(subs, printed_budgets, strict=True))
    lines = [
        "",
        "",
        plan.department,
        f"{year}年度{project}",
        "项目支出绩效自评报告",
        "",
        f"项目名称 {project}",
        "",
        f"支出功能科目编码 {function_code}",
        "",
        f"项目实施单位 {dept}",
        "",
        f"主管部门 {supervisor}",
        "",
        p("评价方式: 部门绩效自评"),
        "",
        p(f"单位名称(盖章):{dept}"),
        "",
        p(f"报告时间: {year + 1} 年 {rng.randint(3, 9)} 月"),
        "",
        p(f"计划投资额(万元)\t{money(budget, 'trim')}\t实际到位资金(万元)\t{money(budget, 'trim')}"),
        p(f"项目起止时间\t{year} 年 1 月~{year} 年 12 月\t\t"),
        p(
            f"基本概况\t<p>{year} 年度本级财政预算安排{project}资金 {money(budget, 'trim')} 万元,用于:{uses}。"
            f"项目子项目共 {len(subs)} 个。</p>"
        ),
        p(
            f"项目执行情况\t资金投入情况\t<p>{year} 年度本级财政安排{project}资金 {money(budget, 'trim')} 万元,"
            f"资金到位率 100%;截至 {year} 年 12 月 31 日,{project}共支出资金 {money(narrative_actual, 'trim')} 万元,"
            f"结转结余 {money(budget - narrative_actual, 'trim')} 万元,预算执行率为 {pct(printed_rate)}%。</p>"
        ),
        p(
            f"自 评 结 论\t<p>评分:{money(total_score, 'trim')} 等级:{grade}</p> <p>备注:90(含)—100分为优;"
            "80(含)—90分为良;60(含)—80分为较差;60分以下为差。</p>"
        ),
        "",
        f"{dept}",
        "",
        f"{year} 年度{project}",
        "",
        "支出绩效自评报告",
        "",
        p("一、项目概况"),
        "",
        p(f"为加强项目资金管理,{dept}对{project}开展了绩效自评。"),
        "",
        "专项资金到位及使用情况表",
        "",
        p("单位:万元"),
        "",
        "子项目名称\t本级财政预算安排项目资金\t实际到位资金\t实际支出金额\t项目结转结余金额\t预算执行率",
    ]
    for sub, b, a in zip(subs, printed_budgets, actuals, strict=True):
        lines.append(
            f"{sub}\t{money(b, 'trim')}\t{money(b, 'trim')}\t{money(a, 'trim')}\t{money(b - a, 'trim')}\t"
            f"{money(rate_hp(a, b), 'plain')}%"
        )
    lines.append(
        f"合计\t{money(budget, 'trim')}\t{money(budget, 'trim')}\t{money(actual, 'trim')}\t"
        f"{money(balance, 'trim')}\t{money(printed_rate, 'plain')}%"
    )
    lines += [
        "",
        p("二、绩效自评结果拟应用和公开情况"),
        "",
        p("绩效自评结果用于加强和改进本部门项目管理工作。"),
        "",
        p("附件: 1. 项目支出绩效自评表"),
        "",
        p("附件 1:"),
        "",
        p(f"项目支出绩效自评表 ({year} 年度)"),
        "",
        f"项目名称\t\t{project}\t\t\t\t\t\t",
        f"主管部门\t\t{supervisor}\t\t实施单位\t{dept}\t\t",
        p(f"项目资金 ({header_unit})\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分"),
        f"\t年度资金总额\t{fund(initial)}\t{fund(budget)}\t{fund(actual)}\t10\t{pct(printed_rate)}%\t"
        f"{money(exec_score, 'trim')}",
        f"\t其中:当年财政拨款\t{fund(initial)}\t{fund(budget)}\t{fund(actual)}\t—\t—\t—",
        "\t上年结转资金\t\t\t\t—\t—\t—",
        "\t其他资金\t\t\t\t—\t—\t—",
        p("年度 总体 目标\t预期目标\t\t\t实际完成情况\t\t\t\t"),
        p(f"\t<p>完成{project}年度建设任务。</p>\t\t\t<p>已完成年度建设任务。</p>\t\t\t\t"),
        "绩效 指标\t一级指标\t二级指标\t三级指标\t年度 指标值\t实际 完成值\t分值\t得分\t偏差原因分析及改进措施",
    ]
    current = (None, None)
    for ind in indicators:
        first = ind.level1 if ind.level1 != current[0] else ""
        if first:
            first = f"{first} ({dict((g, w) for g, w, _ in _GROUPS)[ind.level1]}分)"
        second = ind.level2 if (ind.level1, ind.level2) != current else ""
        reason = ind.reason or ""
        lines.append(
            f"\t{first}\t{second}\t{ind.name}\t{ind.target}\t{ind.actual}\t{ind.weight}\t"
            f"{money(ind.score, 'trim')}\t{reason}"
        )
        current = (ind.level1, ind.level2)
    lines.append(f"总分\t\t\t\t\t100\t{money(total_score, 'trim')}\t")
    lines += ["", p("单位负责人签字:        填表人:"), ""]
    return {plan.file: "\n".join(lines)}


# ------------------------------------------------------------------------------------------------
# The corpus
# ------------------------------------------------------------------------------------------------


@dataclass
class SynthSummary:
    out_dir: Path
    reports: int
    files: int
    bytes: int
    facts: int
    planted: int
    by_type: dict[str, int]


def generate(
    n: int,
    out_dir: Path,
    seed: int = 0,
    inconsistent: float = 0.1,
    mix: dict[str, float] | None = None,
    traps: dict[str, float] | None = None,
    truth: bool = True,
) -> SynthSummary:
    """Write n synthetic reports into out_dir/reports/ and, with `truth`, ground_truth.jsonl and
    manifest.json into out_dir (beside the texts, outside the folder a build reads)."""
    out_dir = Path(out_dir)
    reports_dir = out_dir / REPORTS_SUBDIR
    reports_dir.mkdir(parents=True, exist_ok=True)
    plans = plan_corpus(n, seed, mix, inconsistent)
    total_bytes = files = facts = planted = 0
    by_type: dict[str, int] = {}
    truth_file = (out_dir / GROUND_TRUTH_FILE).open("w", encoding="utf-8") if truth else None
    try:
        for plan in plans:
            written = write_report(plan, seed, traps)
            for name, text in written.files.items():
                data = (text + "\n").encode("utf-8")
                (reports_dir / name).write_bytes(data)
                total_bytes += len(data)
                files += 1
            by_type[plan.doc_type] = by_type.get(plan.doc_type, 0) + 1
            if truth_file is None:
                continue
            records: list[dict[str, Any]] = [
                {
                    "record": "report",
                    "file": plan.file,
                    "files": sorted(written.files),
                    "doc_type": plan.doc_type,
                    "fiscal_year": plan.year,
                    "region_code": plan.place.region.adcode,
                    "department": plan.department,
                    "project_name": plan.project.replace(" ", "") if plan.project else None,
                    "traps": written.traps,
                    "inconsistency": plan.inconsistency,
                }
            ]
            if plan.inconsistency:
                planted += 1
                records.append(
                    {
                        "record": "inconsistency",
                        "file": plan.file,
                        "kind": plan.inconsistency,
                        "rules": list(EXPECTED_RULES[plan.doc_type][plan.inconsistency]),
                        "detail": written.detail,
                    }
                )
            records += written.truth.records
            facts += len(written.truth.records)
            truth_file.write("".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in records))
    finally:
        if truth_file is not None:
            truth_file.close()
    summary = SynthSummary(out_dir, n, files, total_bytes, facts, planted, by_type)
    if truth:
        manifest = {
            "generator": "fiscallens.synth",
            "reports": n,
            "files": files,
            "bytes": total_bytes,
            "facts": facts,
            "planted": planted,
            "seed": seed,
            "inconsistent": inconsistent,
            "mix": mix or DEFAULT_MIX,
            "traps": DEFAULT_TRAPS if traps is None else traps,
            "by_type": by_type,
            "expected_rules": EXPECTED_RULES,
        }
        (out_dir / MANIFEST_FILE).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return summary


def read_ground_truth(out_dir: Path) -> list[dict[str, Any]]:
    """All records of a corpus' ground_truth.jsonl."""
    with (Path(out_dir) / GROUND_TRUTH_FILE).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# ------------------------------------------------------------------------------------------------
# Command line: python -m fiscallens synth --reports N --out DIR
# ------------------------------------------------------------------------------------------------


def add_arguments(parser: Any) -> None:
    parser.add_argument("--reports", type=int, required=True, help="报告份数")
    parser.add_argument(
        "--out", type=Path, required=True, help="输出文件夹（文本写入 DIR/reports/，标准答案写入 DIR/）"
    )
    parser.add_argument("--seed", type=int, default=0, help="随机种子（相同参数与种子生成完全相同的文件）")
    parser.add_argument("--inconsistent", type=float, default=0.1, help="故意植入不一致的报告比例（默认 0.1）")
    parser.add_argument("--no-truth", action="store_true", help="不写标准答案（只测吞吐量时用）")
    parser.add_argument("--build", action="store_true", help=f"生成后构建独立的合成仓库 DIR/{WAREHOUSE_FILE}")


def run_cli(args: Any) -> int:
    """`synth` subcommand: write the corpus (never into data/), optionally build its own warehouse."""
    import sys

    from fiscallens.settings import DEFAULT_DB_PATH, DEFAULT_REPORTS_DIR, PROJECT_ROOT

    out = Path(args.out).resolve()
    protected = {(PROJECT_ROOT / DEFAULT_REPORTS_DIR).resolve(), DEFAULT_REPORTS_DIR.resolve()}
    protected |= {(PROJECT_ROOT / DEFAULT_DB_PATH).resolve().parent, DEFAULT_DB_PATH.resolve().parent}
    if any(out == p or p in out.parents for p in protected):
        print(
            f"合成数据不得写入 {args.out}（真实报告与正式仓库所在的 data/ 文件夹）；请另选输出文件夹。", file=sys.stderr
        )
        return 2
    if args.reports < 1 or not 0 <= args.inconsistent <= 1:
        print("--reports 须为正整数，--inconsistent 须在 0 到 1 之间。", file=sys.stderr)
        return 2
    reports_dir = out / REPORTS_SUBDIR
    if reports_dir.is_dir() and any(reports_dir.iterdir()):
        print(f"{reports_dir} 已有文件；请换一个空文件夹，以免新旧语料混在一起。", file=sys.stderr)
        return 2
    summary = generate(args.reports, out, seed=args.seed, inconsistent=args.inconsistent, truth=not args.no_truth)
    kinds = "，".join(f"{t} {n}" for t, n in sorted(summary.by_type.items()))
    print(
        f"合成语料：{reports_dir}（{summary.reports} 份报告，{summary.files} 个文件，"
        f"{summary.bytes / 1e6:.1f} MB；{kinds}）"
    )
    if not args.no_truth:
        print(f"标准答案：{out / GROUND_TRUTH_FILE}（{summary.facts} 个数值，{summary.planted} 处故意不一致）")
    db = out / WAREHOUSE_FILE
    if not args.build:
        print(f"构建合成仓库：python -m fiscallens build {reports_dir} --db {db} --rebuild")
        return 0
    from fiscallens import pipeline

    built = pipeline.build([reports_dir], db, rebuild=True)
    print(f"合成仓库：{db}（{built.reports} 份报告，用时 {built.seconds:.1f} 秒）")
    return 0
