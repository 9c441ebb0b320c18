"""Writer of a ``project_self_eval`` report (like sample ``004``).

A project cover, ``<p>`` narrative, a tab sub-project table and the 附件1 form (tab fund table, tab
indicator table, 总分).

The random stream is consumed in the order the text is written: keep the order of the steps.
"""

from __future__ import annotations

from fiscallens.synth.indicators import EXECUTION_WEIGHT, GROUP_WEIGHTS, Scoresheet, indicator_facts, scoresheet
from fiscallens.synth.money import grade, loguniform, money, pct, rate_hp, wan, yuan
from fiscallens.synth.reference import SUBPROJECT_WORDS
from fiscallens.synth.report import Draft, evaluation_fact

CHILDREN_SUM_DELTAS = [100, 1000, 5000]
NARRATIVE_DELTAS = [1, 50, 500, -100]


class _Figures:
    """The project and its sub-projects (hundredths of 万元); printed_* as a plant prints them."""

    def __init__(self, r: Draft) -> None:
        rng = r.rng
        self.subs = _subprojects(r)
        self.budgets = [loguniform(rng, 5, 900) for _ in self.subs]
        self.actuals = [int(b * rng.uniform(0.0, 1.0)) if rng.random() < 0.6 else b for b in self.budgets]
        self.budget, self.actual = sum(self.budgets), sum(self.actuals)
        self.initial = self.budget if rng.random() < 0.6 else int(self.budget * rng.uniform(0.8, 1.0))
        self.rate = rate_hp(self.actual, self.budget)
        self.printed_rate, self.narrative_actual, self.printed_budgets = self.rate, self.actual, list(self.budgets)
        self.sheet: Scoresheet


def write(r: Draft) -> dict[str, str]:
    """The text and ground truth of one project self-evaluation."""
    f = _Figures(r)
    _plant(r, f)
    _facts(r, f)
    lines = _cover(r, f) + _subproject_table(r, f) + _form(r, f)
    return {r.plan.file: "\n".join(lines)}


def _subprojects(r: Draft) -> list[str]:
    """Three to seven sub-projects on the department's topics (a repeated name counts once)."""
    rng, plan = r.rng, r.plan
    subs: list[str] = []
    for k in range(rng.randint(3, 7)):
        word = SUBPROJECT_WORDS[k % len(SUBPROJECT_WORDS)]
        subs.append(
            f"{plan.year} 年{rng.choice(plan.topics)}{word}费" if k % 3 == 0 else f"{rng.choice(plan.topics)}{word}经费"
        )
    return list(dict.fromkeys(subs))


def _plant(r: Draft, f: _Figures) -> None:
    """Printed figures, the indicators and the score; each plant changes what it is aimed at."""
    rng, rate, actual = r.rng, f.rate, f.actual
    if r.planted("rate_mismatch"):
        f.printed_rate = rate + 1000 if rate <= 9000 else rate - 1000
        r.detail = f"项目执行率各处均印作 {pct(f.printed_rate)}%，全年执行数 ÷ 全年预算数 = {pct(rate)}%"
    f.sheet = scoresheet(r, actual // 100, True, f.printed_rate)
    if r.planted("narrative_mismatch"):
        f.narrative_actual = actual + rng.choice(NARRATIVE_DELTAS) if actual > 600 else actual + 250
        r.detail = f"正文“共支出资金”印作 {money(f.narrative_actual)} 万元，资金表全年执行数为 {money(actual)} 万元"
    if r.planted("children_sum"):
        k = rng.randrange(len(f.subs))
        f.printed_budgets[k] = f.budgets[k] + rng.choice(CHILDREN_SUM_DELTAS)
        r.detail = (
            f"子项目“{f.subs[k]}”预算印作 {money(f.printed_budgets[k])} 万元，"
            f"子项目之和不等于合计 {money(f.budget)} 万元"
        )


def _facts(r: Draft, f: _Figures) -> None:
    t, project = r.truth, r.plan.project
    owner = {"scope": "project", "name": project}
    scores = (f.printed_rate, EXECUTION_WEIGHT, f.sheet.exec_score, f.sheet.total)
    evaluation_fact(t, owner, (f.initial, f.budget, f.actual), scores, function_code=r.plan.items[1][0])
    lines_owner = {"owner": project, "scope": "project"}
    for line, label in (("total", "年度资金总额"), ("fiscal", "其中:当年财政拨款")):
        t.fact(
            "execution_lines",
            {**lines_owner, "line": line, "label": label},
            budget_initial=wan(f.initial),
            budget_full_year=wan(f.budget),
            actual=wan(f.actual),
        )
    t.fact(
        "execution_lines",
        {**lines_owner, "line": "carryover", "label": "结转结余"},
        actual=wan(f.budget - f.narrative_actual),
    )
    for sub, b, a in zip(f.subs, f.printed_budgets, f.actuals, strict=True):
        t.fact(
            "evaluations",
            {"scope": "subproject", "name": sub},
            budget_full_year=wan(b),
            actual=wan(a),
            execution_rate_reported=wan(rate_hp(a, b)),
        )
    indicator_facts(r, owner, f.sheet.items)


def _supervisor(r: Draft) -> str:
    return r.plan.place.department_prefix + "人民政府办公室"


def _cover(r: Draft, f: _Figures) -> list[str]:
    """The cover, the summary table with its <p> cells, and the report's first section."""
    plan, rng, p = r.plan, r.rng, r.p
    year, project, dept, budget = plan.year, plan.project, plan.department, money(f.budget, "trim")
    uses = ";".join(f"{s}{money(b, 'trim')} 万元" for s, b in zip(f.subs, f.printed_budgets, strict=True))
    lines = ["", "", plan.department, f"{year}年度{project}", "项目支出绩效自评报告", ""]
    lines += [f"项目名称 {project}", "", f"支出功能科目编码 {plan.items[1][0]}", "", f"项目实施单位 {dept}", ""]
    lines += [f"主管部门 {_supervisor(r)}", "", p("评价方式: 部门绩效自评"), "", p(f"单位名称(盖章):{dept}"), ""]
    lines += [p(f"报告时间: {year + 1} 年 {rng.randint(3, 9)} 月"), ""]
    return [
        *lines,
        p(f"计划投资额(万元)\t{budget}\t实际到位资金(万元)\t{budget}"),
        p(f"项目起止时间\t{year} 年 1 月~{year} 年 12 月\t\t"),
        p(
            f"基本概况\t<p>{year} 年度本级财政预算安排{project}资金 {budget} 万元,用于:{uses}。"
            f"项目子项目共 {len(f.subs)} 个。</p>"
        ),
        p(
            f"项目执行情况\t资金投入情况\t<p>{year} 年度本级财政安排{project}资金 {budget} 万元,"
            f"资金到位率 100%;截至 {year} 年 12 月 31 日,{project}共支出资金 {money(f.narrative_actual, 'trim')} 万元,"
            f"结转结余 {money(f.budget - f.narrative_actual, 'trim')} 万元,预算执行率为 {pct(f.printed_rate)}%。</p>"
        ),
        p(
            f"自 评 结 论\t<p>评分:{money(f.sheet.total, 'trim')} 等级:{grade(f.sheet.total)}</p> "
            "<p>备注:90(含)—100分为优;80(含)—90分为良;60(含)—80分为较差;60分以下为差。</p>"
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
    ]


def _subproject_table(r: Draft, f: _Figures) -> list[str]:
    """专项资金到位及使用情况表: one row per sub-project and the 合计 row."""
    lines = ["专项资金到位及使用情况表", "", r.p("单位:万元"), ""]
    lines.append("子项目名称\t本级财政预算安排项目资金\t实际到位资金\t实际支出金额\t项目结转结余金额\t预算执行率")
    rows = [
        (sub, b, b, a, b - a, rate_hp(a, b)) for sub, b, a in zip(f.subs, f.printed_budgets, f.actuals, strict=True)
    ]
    rows.append(("合计", f.budget, f.budget, f.actual, f.budget - f.actual, f.printed_rate))
    for name, *amounts, rate in rows:
        lines.append(f"{name}\t" + "\t".join(money(x, "trim") for x in amounts) + f"\t{money(rate, 'plain')}%")
    return lines


def _form(r: Draft, f: _Figures) -> list[str]:
    """附件1: the tab fund table and the tab indicator table."""
    plan, p = r.plan, r.p
    year, project, dept, supervisor = plan.year, plan.project, plan.department, _supervisor(r)
    in_yuan = r.has("yuan_table")
    header_unit = "元" if in_yuan else "万元"
    if r.planted("unit_mismatch"):
        in_yuan, header_unit = False, "元"
        if "yuan_table" in r.traps:
            r.traps.remove("yuan_table")
        r.detail = "项目资金表表头写“(元)”，表中金额实为万元（与正文所写万元金额相符）"

    def fund(cents: int) -> str:
        return yuan(cents) if in_yuan else money(cents, "trim")

    amounts = f"{fund(f.initial)}\t{fund(f.budget)}\t{fund(f.actual)}"
    lines = ["", p("二、绩效自评结果拟应用和公开情况"), "", p("绩效自评结果用于加强和改进本部门项目管理工作。"), ""]
    lines += [p("附件: 1. 项目支出绩效自评表"), "", p("附件 1:"), "", p(f"项目支出绩效自评表 ({year} 年度)"), ""]
    lines += [
        f"项目名称\t\t{project}\t\t\t\t\t\t",
        f"主管部门\t\t{supervisor}\t\t实施单位\t{dept}\t\t",
        p(f"项目资金 ({header_unit})\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分"),
        f"\t年度资金总额\t{amounts}\t{EXECUTION_WEIGHT}\t{pct(f.printed_rate)}%\t{money(f.sheet.exec_score, 'trim')}",
        f"\t其中:当年财政拨款\t{amounts}\t—\t—\t—",
        "\t上年结转资金\t\t\t\t—\t—\t—",
        "\t其他资金\t\t\t\t—\t—\t—",
        p("年度 总体 目标\t预期目标\t\t\t实际完成情况\t\t\t\t"),
        p(f"\t<p>完成{project}年度建设任务。</p>\t\t\t<p>已完成年度建设任务。</p>\t\t\t\t"),
        "绩效 指标\t一级指标\t二级指标\t三级指标\t年度 指标值\t实际 完成值\t分值\t得分\t偏差原因分析及改进措施",
    ]
    current: tuple[str | None, str | None] = (None, None)
    for ind in f.sheet.items:
        first = f"{ind.level1} ({GROUP_WEIGHTS[ind.level1]}分)" if ind.level1 != current[0] else ""
        second = ind.level2 if (ind.level1, ind.level2) != current else ""
        lines.append(
            f"\t{first}\t{second}\t{ind.name}\t{ind.target}\t{ind.actual}\t{ind.weight}\t"
            f"{money(ind.score, 'trim')}\t{ind.reason or ''}"
        )
        current = (ind.level1, ind.level2)
    lines.append(f"总分\t\t\t\t\t100\t{money(f.sheet.total, 'trim')}\t")
    lines += ["", p("单位负责人签字:        填表人:"), ""]
    return lines
