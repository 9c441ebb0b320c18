"""Writer of a ``dept_evaluation`` report (like sample ``003``).

One big tab table whose cells hold ``<p>`` narrative: 年度预算金额, 总收入 … 财政拨款收入 … 年初预算 …
年中追加, 支出总额 … 基本支出 … 项目支出, 三公 control numbers, the execution rate and its score.

The random stream is consumed in the order the text is written: keep the order of the steps.
"""

from __future__ import annotations

import random

from fiscallens.synth.money import grade, loguniform, money, pct, rate_hp, score_of, wan
from fiscallens.synth.report import Draft, evaluation_fact

EXECUTION_WEIGHTS = (10, 20, 30)
CHILDREN_SUM_DELTAS = [100, 1000, 3000]
NARRATIVE_DELTAS = [1, 100, 1000, -500]
THREE_PUBLIC_ITEMS = ("reception", "vehicle_operation", "outbound")


class _Figures:
    """The department's income and spending (hundredths of 万元); printed_* as a plant prints them."""

    def __init__(self, rng: random.Random) -> None:
        self.initial = loguniform(rng, 300, 8000)
        self.added = loguniform(rng, 50, 10000) if rng.random() < 0.8 else 0
        self.fiscal = self.initial + self.added
        self.other = loguniform(rng, 1, 80) if rng.random() < 0.5 else 0
        self.income = self.fiscal + self.other
        self.spend = int(self.fiscal * rng.uniform(0.9, 1.0)) if rng.random() < 0.7 else self.fiscal
        self.basic = int(self.spend * rng.uniform(0.08, 0.4))
        self.project = self.spend - self.basic
        self.personnel = int(self.basic * rng.uniform(0.7, 0.9))
        self.public = self.basic - self.personnel
        self.rate = rate_hp(self.spend, self.fiscal)
        self.weight = rng.choice(EXECUTION_WEIGHTS)
        self.printed_rate = self.printed_basic = self.restated_spend = self.exec_score = 0


def write(r: Draft) -> dict[str, str]:
    """The text and ground truth of one department evaluation."""
    f = _Figures(r.rng)
    _plant(r, f)
    rng = r.rng
    tp_budget = {"reception": loguniform(rng, 0.5, 10), "vehicle_operation": loguniform(rng, 1, 15), "outbound": 0}
    tp_actual = {k: int(v * rng.uniform(0.5, 1.0)) for k, v in tp_budget.items()}
    score = rng.randint(8500, 9900)
    _facts(r, f, (tp_budget, tp_actual), score)
    return {r.plan.file: "\n".join(_text(r, f, _performance(r, f, tp_budget, tp_actual), score))}


def _plant(r: Draft, f: _Figures) -> None:
    """The printed figures, each changed by the inconsistency planted in it."""
    rng, rate = r.rng, f.rate
    f.printed_rate = rate
    if r.planted("rate_mismatch"):
        f.printed_rate = min(10000, rate + rng.choice([-1, 1]) * rng.randint(200, 900))
        if f.printed_rate == rate:
            f.printed_rate = rate - 500
        r.detail = f"预算执行率印作 {pct(f.printed_rate)}%，支出总额 ÷ 年度预算金额 = {pct(rate)}%"
    f.exec_score = score_of(f.weight, f.printed_rate)
    f.printed_basic = f.basic
    if r.planted("children_sum"):
        f.printed_basic = f.basic + rng.choice(CHILDREN_SUM_DELTAS)
        r.detail = f"基本支出印作 {money(f.printed_basic)} 万元，与项目支出之和不等于支出总额 {money(f.spend)} 万元"
    f.restated_spend = f.spend
    if r.planted("narrative_mismatch"):
        f.restated_spend = f.spend + rng.choice(NARRATIVE_DELTAS)
        r.detail = f"支出总额在另一段印作 {money(f.restated_spend)} 万元，前文为 {money(f.spend)} 万元"


def _facts(r: Draft, f: _Figures, tp: tuple[dict[str, int], dict[str, int]], score: int) -> None:
    t, year = r.truth, r.plan.year
    amounts = (f.initial, f.fiscal, f.spend)
    evaluation_fact(t, {"scope": "department"}, amounts, (f.printed_rate, f.weight, f.exec_score, score))
    owner = {"owner": None, "scope": "department"}
    t.fact("execution_lines", {**owner, "line": "income", "label": "总收入"}, budget_full_year=wan(f.income))
    t.fact(
        "execution_lines",
        {**owner, "line": "fiscal", "label": "财政拨款收入"},
        budget_initial=wan(f.initial),
        budget_full_year=wan(f.fiscal),
    )
    if f.other:
        t.fact("execution_lines", {**owner, "line": "other", "label": "其他收入"}, budget_full_year=wan(f.other))
    for line, label, amount in (("total", "支出总额", f.spend), ("basic", "基本支出", f.printed_basic)):
        t.fact("execution_lines", {**owner, "line": line, "label": label}, actual=wan(amount))
    t.fact("execution_lines", {**owner, "line": "project", "label": "项目支出"}, actual=wan(f.project))
    t.fact("economic_spending", {"basis": "actual", "code": "personnel"}, amount=wan(f.personnel))
    t.fact("economic_spending", {"basis": "actual", "code": "public"}, amount=wan(f.public))
    budget, actual = tp
    three_public = [("total", sum(budget.values()), sum(actual.values()))]
    three_public += [(item, budget[item], actual[item]) for item in THREE_PUBLIC_ITEMS]
    for item, b, a in three_public:
        t.fact("three_public", {"fiscal_year": year, "item": item}, budget=wan(b), actual=wan(a), derived=False)


def _performance(r: Draft, f: _Figures, tp_budget: dict[str, int], tp_actual: dict[str, int]) -> str:
    """The 部门整体支出管理和使用情况 cell: income, spending, 三公, budget management, execution."""
    year, p = r.plan.year, r.p
    other_text = f";其他收入 {money(f.other, 'trim')} 万元,主要是代扣代缴职工社保款等" if f.other else ""
    added_text = f",年中追加 {money(f.added, 'trim')} 万元" if f.added else ""
    return " ".join(
        [
            p("<p>一、部门整体情况</p>"),
            p(
                f"<p>(一)收入情况:{year} 年度本单位总收入 {money(f.income, 'trim')} 万元,其中财政拨款收入 "
                f"{money(f.fiscal, 'trim')} 万元,包括年初预算 {money(f.initial, 'trim')} 万元"
                f"{added_text}{other_text}。</p>"
            ),
            p(
                f"<p>(二)支出情况:{year} 年度支出总额 {money(f.spend, 'trim')} 万元。包括基本支出 "
                f"{money(f.printed_basic, 'trim')} 万元,其中人员经费 {money(f.personnel, 'trim')} 万元,公用经费 "
                f"{money(f.public, 'trim')} 万元;项目支出 {money(f.project, 'trim')} 万元,主要用于各项业务工作。</p>"
            ),
            p(
                f"<p>(三)“三公经费”预算执行情况:{year}年,单位“三公”经费控制数为"
                f"{money(sum(tp_budget.values()), 'trim')}万元,"
                f"其中公务接待费{money(tp_budget['reception'], 'trim')}万元,公务用车运行费"
                f"{money(tp_budget['vehicle_operation'], 'trim')}万元,出国出境费0万元。本单位{year}年度“三公经费”"
                f"实际支出{money(sum(tp_actual.values()), 'trim')}万元,"
                f"其中公务接待费{money(tp_actual['reception'], 'trim')}万元,"
                f"公务用车运行费{money(tp_actual['vehicle_operation'], 'trim')}万元,出国出境费0万元,未超过控制数。</p>"
            ),
            "<p>二、预算管理情况</p>",
            "<p>本单位制定了财务管理制度,制度合法、合规、完整。</p>",
            "<p>三、预算执行情况</p>",
            p(f"<p>{year}年度本单位预算执行率为{pct(f.printed_rate)}%,符合预算绩效管理要求。</p>"),
            p(f"<p>预算执行率分值{f.weight}分,得分{money(f.exec_score, 'trim')}分。</p>"),
        ]
    )


def _text(r: Draft, f: _Figures, performance: str, score: int) -> list[str]:
    plan, p = r.plan, r.p
    dept = plan.department
    duties = "".join(f"<p>{k}、{s}</p> " for k, s in enumerate(r.functions_text(), start=1)).strip()
    return [
        "",
        "",
        f"{dept} 部门整体预算绩效评价报告",
        "",
        f"\t单位名称\t{dept}",
        f"\t年度预算金额\t{money(f.fiscal, 'trim')} 万元",
        f"\t主管部门\t{plan.place.department_prefix}人民政府",
        f"部门概况\t单位基本职能\t{duties}",
        f"绩效完成情况\t部门整体支出管理和使用情况\t{performance}",
        "",
        p(
            f"\t<p>(一)整体目标完成情况:{plan.year}年全年支出总额 {money(f.restated_spend, 'trim')} 万元,"
            "各项工作有序推进。</p>"
        ),
        "",
        p(f"评价结论\t<p>部门整体绩效评价得分 {money(score, 'trim')} 分,评价等级为“{grade(score)}”。</p>"),
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
