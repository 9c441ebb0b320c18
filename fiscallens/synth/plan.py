"""The corpus plan: which reports, of which type, year, region and department, and which of them carry
a deliberate inconsistency — decided before any text is written.

Region names and adcodes come from the shipped region index, and every identity is checked with the
resolver the classifier uses, so each file classifies to the intended type, year, region and department.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from fiscallens.regions import Region, RegionIndex, default_index
from fiscallens.synth.reference import DEPARTMENTS, PROJECT_SUFFIXES

DOC_TYPES = ("final_accounts", "dept_self_eval", "dept_evaluation", "project_self_eval")
# Default mix of document types (shares of the corpus).
DEFAULT_MIX = {"final_accounts": 0.35, "dept_self_eval": 0.25, "dept_evaluation": 0.15, "project_self_eval": 0.25}
FIRST_YEAR, LAST_YEAR = 2015, 2025

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


def project_name(rng: random.Random, topics: tuple[str, ...], year: int, taken: Iterable[str] = ()) -> str:
    """A project name on one of the topics, neither containing nor contained in a name already taken."""
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
        project = project_name(rng, topics, year) if doc_type == "project_self_eval" else None
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
