"""Writer of a ``dept_self_eval`` report (like samples ``000`` + ``002``).

Project paragraphs "(1) 资金使用情况：…预算数 … 执行数 … 执行率 …", then the 附件1 form with the
flattened fund table (``年度资金总额： 1268万元 2226.98万元 …``) and a flattened indicator table with
vertical labels (产/出/指/标); with the split_attachment trap the form is a file of its own.

The random stream is consumed in the order the text is written: keep the order of the steps.
"""

from __future__ import annotations

from fiscallens.synth.indicators import EXECUTION_WEIGHT, GROUP_WEIGHTS, Scoresheet, indicator_facts, scoresheet
from fiscallens.synth.money import grade, loguniform, money, pct, rate_hp, wan
from fiscallens.synth.plan import project_name
from fiscallens.synth.report import Draft, evaluation_fact

HEADING_STYLES = ("#### {k}.{name}", "## **{k}. {name}**", "### {k}、{name}", "#### {k}.{name}")
NARRATIVE_DELTAS = [-15, 15, 100, -1000, 2000]
CHILDREN_SUM_DELTAS = [100, 1000, 5000]


class _Figures:
    """Projects: budgets, actual spending; the fund table's 项目支出 is their sum (hundredths of 万元)."""

    def __init__(self, r: Draft) -> None:
        rng = r.rng
        # year_heading: the project whose heading the year_in_heading trap prints "2、2019 年…" (0: none)
        self.names, self.year_heading = _project_names(r)
        self.budgets = [loguniform(rng, 2, 800) for _ in self.names]
        self.actuals = [b if rng.random() < 0.65 else int(b * rng.uniform(0.5, 0.99)) for b in self.budgets]
        self.project_full, self.project_actual = sum(self.budgets), sum(self.actuals)
        full = self.project_full
        self.project_initial = full if rng.random() < 0.5 else int(full * rng.uniform(0.8, 1.0))
        self.basic_full = loguniform(rng, 100, 3000)
        basic = self.basic_full
        self.basic_initial = basic if rng.random() < 0.5 else int(basic * rng.uniform(0.9, 1.0))
        self.basic_actual = basic if rng.random() < 0.7 else int(basic * rng.uniform(0.95, 1.0))
        self.carry = loguniform(rng, 10, 500) if rng.random() < 0.4 else 0
        self.total_initial = self.basic_initial + self.project_initial
        self.total_full = self.basic_full + self.project_full + self.carry
        self.total_actual = self.basic_actual + self.project_actual + self.carry
        self.rate = rate_hp(self.total_actual, self.total_full)
        self.printed_basic_actual = self.basic_actual
        self.project_rates: list[int] = []  # as printed
        self.sheet: Scoresheet


def write(r: Draft) -> dict[str, str]:
    """The text(s) and ground truth of one department self-evaluation."""
    f = _Figures(r)
    _plant(r, f)
    _facts(r, f)
    main = _narrative(r, f)
    form = _form_funds(r, f) + _form_indicators(r, f)
    if r.has("split_attachment"):
        return {r.plan.file: "\n".join(main), r.plan.stem + "_att1.txt": "\n".join(form)}
    return {r.plan.file: "\n".join(main + form)}


def _project_names(r: Draft) -> tuple[list[str], int]:
    """Three to seven projects; some named with the year, as the samples do."""
    rng, year = r.rng, r.plan.year
    names: list[str] = []
    for _ in range(rng.randint(3, 7)):
        names.append(project_name(rng, r.plan.topics, year, names).replace(f"{year} 年", ""))
    year_heading = 0
    if r.has("year_in_heading"):
        year_heading = rng.randint(1, len(names))
        names[year_heading - 1] = f"{year} 年{names[year_heading - 1]}"
    elif rng.random() < 0.3:
        k = rng.randrange(len(names))
        names[k] = f"{year} 年{names[k]}"
    return names, year_heading


def _plant(r: Draft, f: _Figures) -> None:
    """The fund table as printed (a planted children_sum changes 基本支出's actual); the scores."""
    if r.planted("children_sum"):
        f.printed_basic_actual = f.basic_actual + r.rng.choice(CHILDREN_SUM_DELTAS)
        r.detail = f"基本支出全年执行数印作 {money(f.printed_basic_actual)} 万元，各部分之和不等于年度资金总额"
    f.sheet = scoresheet(r, f.project_actual // 100, False, f.rate)


def _fund_lines(r: Draft, f: _Figures) -> list[tuple[str, str, int | None, int, int]]:
    """(line, label, 年初预算数, 全年预算数, 全年执行数) of the department's fund table."""
    carry_initial_printed = not r.has("missing_column")
    lines: list[tuple[str, str, int | None, int, int]] = [
        ("total", "年度资金总额", f.total_initial, f.total_full, f.total_actual),
        ("basic", "基本支出", f.basic_initial, f.basic_full, f.printed_basic_actual),
        ("project", "项目支出", f.project_initial, f.project_full, f.project_actual),
    ]
    if f.carry:
        lines.append(("carryover", "上年项目结转资金", 0 if carry_initial_printed else None, f.carry, f.carry))
    lines.append(("other", "其他资金", 0, 0, 0))
    return lines


def _facts(r: Draft, f: _Figures) -> None:
    """The department's evaluation and fund lines; each project's (rate_mismatch: one rate printed wrong)."""
    t, rng = r.truth, r.rng
    amounts = (f.total_initial, f.total_full, f.total_actual)
    evaluation_fact(t, {"scope": "department"}, amounts, (f.rate, EXECUTION_WEIGHT, f.sheet.exec_score, f.sheet.total))
    for line, label, initial, full, actual in _fund_lines(r, f):
        t.fact(
            "execution_lines",
            {"owner": None, "scope": "department", "line": line, "label": label},
            budget_initial=wan(initial) if initial is not None else None,
            budget_full_year=wan(full),
            actual=wan(actual),
        )
    wrong_rate = rng.randrange(len(f.names)) if r.planted("rate_mismatch") else None
    for k, (name, b, a) in enumerate(zip(f.names, f.budgets, f.actuals, strict=True)):
        printed_rate = rate_hp(a, b)
        if k == wrong_rate:
            printed_rate = 10000 if a < b * 0.97 else max(0, printed_rate - rng.randint(300, 2000))
            r.detail = f"项目“{name}”执行率印作 {pct(printed_rate)}%，应为 {pct(rate_hp(a, b))}%"
        f.project_rates.append(printed_rate)
        t.fact(
            "evaluations",
            {"scope": "project", "name": name},
            budget_full_year=wan(b),
            actual=wan(a),
            execution_rate_reported=wan(printed_rate),
        )
        lines = {"owner": name, "scope": "project"}
        label = "年度预算数" if k % 2 == 0 else "全年预算数"
        t.fact("execution_lines", {**lines, "line": "total", "label": label}, budget_full_year=wan(b), actual=wan(a))
        t.fact("execution_lines", {**lines, "line": "fiscal", "label": "财政拨款资金"}, budget_full_year=wan(b))
        t.fact("execution_lines", {**lines, "line": "other", "label": "其他资金"}, budget_full_year=0.0)
    indicator_facts(r, {"scope": "department"}, f.sheet.items)


def _full_name(r: Draft) -> str:
    """The department named from the prefecture's full name (黔南布依族苗族自治州…), as the forms do."""
    place = r.plan.place
    return place.prefecture.name + (place.county.name if place.county else "") + r.plan.department_base


def _narrative(r: Draft, f: _Figures) -> list[str]:
    plan, rng, p = r.plan, r.rng, r.p
    year, dept = plan.year, plan.department
    main = ["", f"# {_full_name(r)}", "", f"## {dept} {year} 年度部门预算绩效自评报告", ""]
    main += [
        p(
            f"为全面实施预算绩效管理,根据本级财政部门关于开展{year}年度部门预算绩效自评工作的通知要求,"
            f"现将{dept}{year}年度部门预算绩效自评报告如下:"
        ),
        "",
        "### 一、整体支出绩效自评情况",
        "",
        p("#### (一)单位职能概述"),
        "",
    ]
    for k, sentence in enumerate(r.functions_text(), start=1):
        main += [p(f"({k}) {sentence}"), ""]
    main += [p(f"## (二) {year} 年年度工作目标完成情况"), ""]
    narrative_project = f.project_full
    if r.planted("narrative_mismatch"):
        narrative_project = f.project_full + rng.choice(NARRATIVE_DELTAS)
        r.detail = (
            f"项目资金预算实际下达数印作 {money(narrative_project)} 万元，"
            f"资金表项目支出全年预算数为 {money(f.project_full)} 万元"
        )
    main += [
        p(
            f"1、{year} 年项目资金预算实际下达数 {money(narrative_project, 'trim')} 万元,{year} 年度项目预算支出 "
            f"{money(f.project_actual, 'trim')} 万元,执行率 {pct(rate_hp(f.project_actual, f.project_full))}%。"
        ),
        "",
        "## 二、项目支出绩效自评情况",
        "",
    ]
    main += _project_paragraphs(r, f)
    main += ["### 三、下一步工作打算", "", p("1. 进一步加强预算绩效管理,提高资金使用效益。"), "", dept, ""]
    main += [f"{year + 1}年7月{rng.randint(1, 28)}日", ""]
    return main


def _project_paragraphs(r: Draft, f: _Figures) -> list[str]:
    year, p = r.plan.year, r.p
    out: list[str] = []
    rows = zip(f.names, f.budgets, f.actuals, f.project_rates, strict=True)
    for k, (name, b, a, printed_rate) in enumerate(rows, start=1):
        style = HEADING_STYLES[k % len(HEADING_STYLES)]
        if name[:4].isdigit():
            # "14.2021 年…" as in sample 000; the year_in_heading trap prints "2、2019 年…" instead.
            style = "### {k}、{name}" if k == f.year_heading else "#### **{k}.{name}**"
        out += [style.format(k=k, name=name), ""]
        word = "年度预算数" if (k - 1) % 2 == 0 else "全年预算数"
        when = f"{year} 年度" if word == "年度预算数" else ""
        lead = when + ("预算数" if word == "年度预算数" else "全年预算数")
        out += [
            p(
                f"(1) 资金使用情况:{lead} {money(b, 'trim')} 万元(其中:财政拨款资金 {money(b, 'trim')} 万元,"
                f"其他资金 0 元),执行数 {money(a, 'trim')} 万元,执行率 {pct(printed_rate)}%。"
            ),
            "",
            p(f"(2) 项目实施情况:按计划完成{name}各项工作任务,工作台账完整。"),
            "",
            p("(3) 产生的效益:提升了服务水平和工作效率。"),
            "",
            p("(4) 受益对象(服务对象)满意度:服务对象满意度 100%。"),
            "",
        ]
    return out


def _form_funds(r: Draft, f: _Figures) -> list[str]:
    """附件1, up to the fund table (flattened: one line per fund row)."""
    plan, rng, p = r.plan, r.rng, r.p
    year, trim = plan.year, "trim"
    form = ["附件1", "", "部门整体支出绩效目标自评表", p(f"({year}年度)"), ""]
    form += [p(f"单位(盖章): 填报日期:{year + 1}.7.{rng.randint(1, 28)}"), ""]
    # The attachment names the department in full (黔南布依族苗族自治州…), like sample 002; printed in the
    # report's own file it uses the title's name, which the classifier may read from the head.
    form += [p(f"部门(单位)名称 {_full_name(r) if r.has('split_attachment') else plan.department}"), ""]
    form += [
        p("部门(单位)总体"),
        p("资金(万元)"),
        "",
        p("资 金 来 源 年初预算数 全年预算数(A) 全年执行数(B) 分值 执行率 得分"),
        "",
    ]
    form += [
        p(
            f"年度资金总额: {money(f.total_initial, trim)}万元 {money(f.total_full, trim)}万元 "
            f"{money(f.total_actual, trim)}万元 {EXECUTION_WEIGHT} {pct(f.rate)}% {money(f.sheet.exec_score, trim)}"
        ),
        "",
    ]
    for _, label, initial, full, actual in _fund_lines(r, f)[1:3]:
        form += [
            f"   {label} {money(initial or 0, trim)}万元 {money(full, trim)}万元 {money(actual, trim)}万元 — — —",
            "",
        ]
    if f.carry:
        initial_text = "" if r.has("missing_column") else "0万元 "
        form += [f"   上年项目结转资金 {initial_text}{money(f.carry, trim)}万元 {money(f.carry, trim)}万元 — — —", ""]
    form += ["其他资金 0 0 0", "", "年度总", "体目标", "", "预期目标 实际完成情况", ""]
    form += [p(f"1、围绕{rng.choice(plan.topics)}等重点工作,完成年度目标任务。"), "", "按时完成年度总体目标。", ""]
    return form


def _form_indicators(r: Draft, f: _Figures) -> list[str]:
    """The flattened indicator table: vertical labels, rows of space-separated cells, the total and the grade."""
    rng, p = r.rng, r.p
    form = [*"绩效指标", "", p("一级指标 二级指标 三级指标 年度指标值(A) 实际完成值(B) 分值 得分 未完成原因分析"), ""]
    current: tuple[str | None, str | None] = (None, None)
    for ind in f.sheet.items:
        if ind.level1 != current[0]:
            form += [*ind.level1, "", p(f"({GROUP_WEIGHTS[ind.level1]}分)"), ""]
        row = f"{ind.name} {ind.target} {ind.actual} {ind.weight} {money(ind.score, 'trim')}"
        if r.has("wrapped_names") and len(ind.name) >= 7 and rng.random() < 0.5:
            # The name wraps over two lines of its own, the figures follow after a blank line (002).
            cut = rng.randint(3, len(ind.name) - 2)
            form += [ind.name[:cut], ind.name[cut:], ""]
            row = f"{ind.target} {ind.actual} {ind.weight} {money(ind.score, 'trim')}"
        if (ind.level1, ind.level2) == current:
            form.append(row)
        elif rng.random() < 0.5:
            form += [ind.level2, "", row]
        else:
            form.append(f"{ind.level2} {row}")
        form.append("")
        current = (ind.level1, ind.level2)
    score = money(f.sheet.total, "trim")
    form += [f"总         分 100 {score}", "", "自评", "结论", ""]
    form += [p(f"部门整体支出绩效自评得分 {score} 分,自评等级为“{grade(f.sheet.total)}”。"), ""]
    form += [p("联系人:王某某"), ""]
    return form
