"""Writer of a ``final_accounts`` report (like sample ``001``): the 部门决算 tables and the narrative.

The tables: 收入支出决算总表, 收入决算表, 支出决算表, 一般公共预算财政拨款支出决算表 (rows
``code\\tname\\ttotal\\tbasic\\tproject``), 基本支出决算明细表 (three code/name/amount groups side by
side), two empty fund tables and the 三公 table; the narrative restates them (每个项的年初预算与决算,
类 totals with shares, 人员经费/公用经费, 三公 sentences with "较上年增加 X 万元").

The random stream is consumed in the order the text is written: keep the order of the steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fiscallens.synth.ledger import Xiang, economic, function_items, three_public, tree
from fiscallens.synth.money import money, pct, rate_hp, wan, yuan
from fiscallens.synth.reference import CLASS_NAMES, CLASS_ORDINALS, ECONOMIC_NAMES, KUAN_NAMES, LONG_NAMES
from fiscallens.synth.report import Draft

# The tables the contents list. 四、财政拨款收入支出决算总表 is not generated, so the contents do not
# list it (the audit flags a listed table that a document lacks).
CONTENTS_TABLES = (
    "一、收入支出决算总表",
    "二、收入决算表",
    "三、支出决算表",
    "五、一般公共预算财政拨款支出决算表",
    "六、一般公共预算财政拨款基本支出决算明细表",
    "七、政府性基金预算财政拨款收入支出决算表",
    "八、国有资本经营预算财政拨款支出决算表",
    '九、财政拨款"三公"经费支出决算表',
)
INCOME_ROWS = (
    "一、一般公共预算财政拨款收入",
    "二、政府性基金预算财政拨款收入",
    "三、国有资本经营预算财政拨款收入",
    "四、上级补助收入",
    "五、事业收入",
    "六、经营收入",
    "七、附属单位上缴收入",
    "八、其他收入",
)
# The 06 table's three groups: 人员经费 (301, 303), 公用经费 (302), the rest (307, 310, 399).
PERSONNEL_COLUMN = [
    "301",
    *(c for c in ECONOMIC_NAMES if c.startswith("301") and len(c) == 5),
    "303",
    *(c for c in ECONOMIC_NAMES if c.startswith("303") and len(c) == 5),
]
PUBLIC_COLUMN = ["302", *(c for c in ECONOMIC_NAMES if c.startswith("302") and len(c) == 5)]
OTHER_COLUMN = [c for c in ECONOMIC_NAMES if c[:3] in ("307", "310", "399")]
# Tables 07 and 08: (title, number, what the department did not have).
EMPTY_TABLES = (
    ("政府性基金预算财政拨款收入支出决算表", "07", "政府性基金收入,也没有使用政府性基金安排的支出"),
    ("国有资本经营预算财政拨款支出决算表", "08", "国有资本经营收入,也没有使用国有资本经营收入安排的支出"),
)


@dataclass(frozen=True)
class _FunctionTable:
    """A table of function rows: its title block, header rows, 合计 row, width and note."""

    title: str
    number: str
    owner: str  # the unit line, a template with {dept} or {full_unit}
    header: tuple[str, ...]
    total_row: str  # a template with {total}, {basic} and {project}
    columns: int  # figure columns
    note: str


# 03 支出决算表 (all funds; its rows may carry residue of the neighbouring rows).
SPENDING_TABLE = _FunctionTable(
    "支出决算表",
    "公开 03 表",
    "单位: {dept}",
    (
        "科目代码\t科目名称\t本年支出合计\t基本支出\t项目支出\t上缴上级支出\t经营支出\t对附属单位补助支出",
        "\t栏次\t1\t2\t3\t4\t5\t6",
    ),
    "合计\t\t{total}\t{basic}\t{project}\t\t\t",
    6,
    "注: 本表反映部门本年度各项支出情况。",
)
# 05 一般公共预算财政拨款支出决算表 (the trusted table).
FISCAL_TABLE = _FunctionTable(
    "一般公共预算财政拨款支出决算表",
    "公开 05 表",
    "单位:{full_unit}",
    ("\t项目\t\t本年支出\t", "科目代码\t科目名称\t小计\t基本支出\t项目支出", "\t栏次\t1\t2\t3"),
    "\t合计\t{total}\t{basic}\t{project}",
    3,
    "注: 本表反映部门本年度一般公共预算财政拨款支出情况。",
)
THREE_PUBLIC_ORDER = ("total", "outbound", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception")
# Previous-year 三公 figures the narrative states.
PREVIOUS_YEAR_ITEMS = ("total", "outbound", "vehicle_total", "reception")
CHILDREN_SUM_DELTAS = [100, 1000, 5000, 12345]
NARRATIVE_DELTAS = [1, 10, 100, 2500]
REASONS_OVER_UNDER = ("年中追加预算", "据实结算", "人员变动")


@dataclass
class _Accounts:
    """The figures of one final account and the lines written so far."""

    r: Draft
    items: list[Xiang]
    rows: list[tuple[str, str, int, int]]  # (code, name, basic, project) in table order
    tp: dict[str, dict[str, int]]  # 三公: budget / actual / previous → item → amount
    econ: dict[str, int]  # economic code → amount of basic spending
    lines: list[str] = field(default_factory=list)
    unit_line: str = ""

    def __post_init__(self) -> None:
        plan = self.r.plan
        self.year = plan.year
        self.dept = plan.department
        self.full_unit = plan.place.province.name + plan.department
        self.spaced = self.r.has("spaced_numbers")
        self.total_basic = sum(b for c, _, b, _ in self.rows if len(c) == 3)
        self.total_project = sum(p for c, _, _, p in self.rows if len(c) == 3)
        self.total = self.total_basic + self.total_project
        self.total_budget = sum(i.budget for i in self.items)
        self.names = {c: n for c, n, _, _ in self.rows}
        self.class_rows = [(c, n, b + p) for c, n, b, p in self.rows if len(c) == 3]
        self.personnel = self.econ["301"] + self.econ["303"]
        self.public = self.econ["302"]

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def cell(self, cents: int, blank_zero: bool = True) -> str:
        """A table figure: zero as a blank cell; damaged spacing in a report with that trap."""
        if cents == 0 and blank_zero:
            return ""
        if self.spaced:
            return money(cents, self.r.rng.choice(("spaced", "spaced", "spaced_nocomma", "plain")))
        return money(cents)

    def head(self, title: str, number: str, owner: str, *units: str) -> None:
        """A table's title block: title, 公开 NN 表, the unit that reports, the year, the money unit."""
        self.add(title, "", number, "", owner, "", f"{self.year} 年度", *units, "")

    def note(self, text: str) -> None:
        self.add("", text, "")


def write(r: Draft) -> dict[str, str]:
    """The text and ground truth of one final-accounts report."""
    a = _figures(r)
    _facts(a)
    _part_one(a)
    _table_01(a)
    a.unit_line = "金额单位: 万元" if r.rng.random() < 0.5 else ""
    _table_02(a)
    _function_table(a, SPENDING_TABLE, r.has("garbage_rows"), r.has("broken_names"), False)
    _function_table(a, FISCAL_TABLE, False, False, r.has("broken_names"))
    _table_06(a)
    _tables_07_08(a)
    _table_09(a)
    _narrative_totals(a)
    _narrative_classes(a)
    _narrative_items(a)
    _narrative_basic(a)
    _narrative_three_public(a)
    _glossary(a)
    return {r.plan.file: "\n".join(a.lines)}


# --- figures and ground truth ----------------------------------------------------------------


def _figures(r: Draft) -> _Accounts:
    items, running, _ = function_items(r)
    tp = three_public(r)
    econ = economic(r, running, items, tp)
    leaf_delta = _plant_children_sum(r, items)
    rows = tree(items)
    if leaf_delta:
        rows = _ancestors_without(rows, items, leaf_delta)
    return _Accounts(r, items, rows, tp, econ)


def _plant_children_sum(r: Draft, items: list[Xiang]) -> tuple[str, int] | None:
    """children_sum: one 项 printed larger everywhere; its 款 and 类 keep the sums of the true figures."""
    if not r.planted("children_sum"):
        return None
    leaf = r.rng.choice([i for i in items if i.total > 0])
    delta = r.rng.choice(CHILDREN_SUM_DELTAS)
    if leaf.project:
        leaf.project += delta
    else:
        leaf.basic += delta
    r.detail = f"{leaf.code} {leaf.name} 各表印作 {money(leaf.total)}，比其所属款的下级之和多 {money(delta)} 万元"
    return leaf.code, delta


def _ancestors_without(
    rows: list[tuple[str, str, int, int]], items: list[Xiang], leaf_delta: tuple[str, int]
) -> list[tuple[str, str, int, int]]:
    """The rows with the 项's ancestors printed without the planted delta."""
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
    return fixed_rows


def _facts(a: _Accounts) -> None:
    """function_spending (basis actual), economic_spending and three_public as the warehouse should hold them."""
    t = a.r.truth
    budgets = {i.code: i.budget for i in a.items}
    for code, name, basic, project in a.rows:
        t.fact(
            "function_spending",
            {"basis": "actual", "code": code},
            total=wan(basic + project),
            basic=wan(basic) if basic else None,
            project=wan(project) if project else None,
            budget_initial=wan(budgets[code]) if len(code) == 7 else None,
            name=name,
        )
    t.fact(
        "function_spending",
        {"basis": "actual", "code": "total"},
        total=wan(a.total),
        basic=wan(a.total_basic) if a.total_basic else None,
        project=wan(a.total_project) if a.total_project else None,
        budget_initial=wan(a.total_budget),
    )
    for code, amount in a.econ.items():
        if amount:
            t.fact("economic_spending", {"basis": "actual", "code": code}, amount=wan(amount))
    for code, amount in (("personnel", a.personnel), ("public", a.public), ("operating", a.public)):
        t.fact("economic_spending", {"basis": "actual", "code": code}, amount=wan(amount))
    for item in THREE_PUBLIC_ORDER:
        t.fact(
            "three_public",
            {"fiscal_year": a.year, "item": item},
            budget=wan(a.tp["budget"][item]),
            actual=wan(a.tp["actual"][item]),
            derived=False,
        )
    for item in PREVIOUS_YEAR_ITEMS:
        t.fact(
            "three_public", {"fiscal_year": a.year - 1, "item": item}, actual=wan(a.tp["previous"][item]), derived=True
        )


# --- title, contents, part one ---------------------------------------------------------------


def _part_one(a: _Accounts) -> None:
    plan, year = a.r.plan, a.year
    a.add(f"{year} 年{plan.place.title_prefix} {plan.department_base}{'(本级)' if plan.benji else ''} 部门决算公开说明")
    a.add("", "目录", "", "第一部分:部门(单位)名称概况", "", "- 一、部门职责", "- 二、机构设置", "")
    a.add(f"第二部分 {year} 年度部门决算表", "")
    a.add(*(f"- {title}" for title in CONTENTS_TABLES))
    a.add("", f"第三部分: {year} 年度部门决算情况说明", "", "第四部分: 名词解释", "", "第一部分", "")
    a.add(f"{a.full_unit}概况", "", "一、部门职责", "")
    for k, sentence in enumerate(a.r.functions_text(), start=1):
        a.add(f"- {k}. {sentence}")
    a.add("", "二、机构设置", "")
    offices = a.r.rng.randint(4, 9)
    a.add(f"{a.dept}内设{offices}个科室,负责本部门各项业务工作。", "")
    a.add(f"第二部分 {year} 年度部门决算表", "")


# --- the tables ------------------------------------------------------------------------------


def _table_01(a: _Accounts) -> None:
    """收入支出决算总表 (not a functional table: class names without codes)."""
    cell, total = a.cell, a.total
    a.head("收入支出决算总表", "公开 01 表", f"单位: {a.full_unit}")
    a.add("收入\t\t\t支出\t\t", "项目\t行次\t金额\t项目\t行次\t金额", "栏次\t\t1\t栏次\t\t2")
    class_rows = a.class_rows
    for k in range(max(len(INCOME_ROWS), len(class_rows))):
        left = f"{INCOME_ROWS[k]}\t{k + 1}\t{cell(total) if k == 0 else ''}" if k < len(INCOME_ROWS) else "\t\t"
        if k < len(class_rows):
            code, name, amount = class_rows[k]
            right = f"{CLASS_ORDINALS[code]}、{name}\t{14 + k}\t{cell(amount)}"
        else:
            right = "\t\t"
        a.add(f"{left}\t{right}")
    a.add(f"本年收入合计\t10\t{cell(total)}\t本年支出合计\t23\t{cell(total)}")
    a.add(f"总计\t13\t{cell(total)}\t总计\t26\t{cell(total)}")
    a.note("注: 1. 本表反映部门本年度的总收支和年末结转结余情况。")


def _units(a: _Accounts) -> tuple[str, ...]:
    return (a.unit_line,) if a.unit_line else ()


def _code_rows(a: _Accounts, columns: int, garbage: bool, broken: bool, truncate: bool) -> None:
    """Function rows (code, name, total, basic, project, blank columns), with the traps of the samples."""
    rng = a.r.rng
    previous_name = ""
    for code, name, basic, project in a.rows:
        printed = name
        if broken and name in LONG_NAMES and rng.random() < 0.7:
            cut = rng.randint(4, len(name) - 2)
            printed = name[:cut] + " " + name[cut:]
        if truncate and name in LONG_NAMES:
            printed = name[:-4] if name.endswith("缴费支出") else printed
        figures = [a.cell(basic + project, blank_zero=False), a.cell(basic), a.cell(project)]
        figures += [""] * (columns - len(figures))
        prefix = ""
        if garbage and previous_name and rng.random() < 0.5:
            prefix = previous_name[-rng.randint(2, min(6, len(previous_name))) :] + "\t"
        a.add(f"{prefix}{code}\t{printed}\t" + "\t".join(figures))
        previous_name = name


def _table_02(a: _Accounts) -> None:
    """收入决算表."""
    a.head("收入决算表", "公开02表", f"单位: {a.dept}", *_units(a))
    a.add(
        "\t项目\t\t\t\t\t\t\t",
        "科目代码\t科目名称\t本年收入合计\t财政拨款收入\t上级补助收入\t事业收入\t经营收入\t附属单位上缴收入\t其他收入",
        "\t栏次\t1\t2\t3\t4\t5\t6\t7",
        f"\t合计\t{a.cell(a.total)}\t{a.cell(a.total)}\t\t\t\t\t",
    )
    for code, name, basic, project in a.rows:
        printed = name
        if a.r.has("broken_names") and name in LONG_NAMES:
            printed = name[: len(name) // 2] + " " + name[len(name) // 2 :]
        a.add(f"{code}\t{printed}\t{a.cell(basic + project, False)}\t{a.cell(basic + project, False)}\t\t\t\t\t")
    a.note("注: 本表反映部门本年度取得的各项收入情况。")


def _function_table(a: _Accounts, spec: _FunctionTable, garbage: bool, broken: bool, truncate: bool) -> None:
    """A table of function rows under its 合计 row."""
    a.head(spec.title, spec.number, spec.owner.format(dept=a.dept, full_unit=a.full_unit), *_units(a))
    cells = {"total": a.cell(a.total), "basic": a.cell(a.total_basic), "project": a.cell(a.total_project)}
    a.add(*spec.header, spec.total_row.format(**cells))
    _code_rows(a, spec.columns, garbage, broken, truncate)
    a.note(spec.note)


def _table_06(a: _Accounts) -> None:
    """基本支出决算明细表: three (code, name, amount) groups side by side."""
    a.head("一般公共预算财政拨款基本支出决算明细表", "公开 06 表", f"部门: {a.full_unit}", *_units(a))
    a.add(
        "\t人员经费\t\t\t公用经费\t\t\t\t",
        "科目代码\t科目名称\t决算数\t科目代码\t科目名称\t决算数\t科目代码\t科目名称\t决算数",
    )
    columns = (PERSONNEL_COLUMN, PUBLIC_COLUMN, OTHER_COLUMN)
    for k in range(max(len(column) for column in columns)):
        groups = []
        for column in columns:
            if k < len(column):
                code = column[k]
                groups.append(f"{code}\t{ECONOMIC_NAMES[code]}\t{a.cell(a.econ.get(code, 0))}")
            else:
                groups.append("\t\t")
        a.add("\t".join(groups))
    a.add(f"人员经费合计 {a.cell(a.personnel)}\t\t\t\t\t公用经费\t合计\t\t\t{a.cell(a.public)}")
    a.note("注: 本表反映部门本年度一般公共预算财政拨款基本支出明细情况。")


def _tables_07_08(a: _Accounts) -> None:
    """The two fund tables a department without such funds prints empty."""
    for title, number, what in EMPTY_TABLES:
        a.head(title, f"公开 {number} 表", f"部门: {a.full_unit}", "", "金额单位:万元")
        a.add("\t项目\t本年支出\t\t", "科目代码\t科目名称\t合计\t基本支出\t项目支出", "\t合计\t\t\t")
        a.add(f"\t{a.dept} {a.year} 年度没有{what},故本表无数据。\t\t\t")
        a.note("注: 本表无数据。")


def _table_09(a: _Accounts) -> None:
    """The 三公 table: budget and actual per item, in 元 with the yuan_table trap."""
    in_yuan = a.r.has("yuan_table")
    a.head(
        '财政拨款"三公"经费支出决算表',
        "公开 09 表",
        f"部门: {a.full_unit}",
        "",
        "金额单位: 元" if in_yuan else "金额单位: 万元",
    )

    def tp_cell(cents: int) -> str:
        if cents == 0 and a.r.has("blank_zero"):
            return ""
        return yuan(cents) + ".00" if in_yuan else a.cell(cents, blank_zero=False)

    budget = "\t".join(tp_cell(a.tp["budget"][i]) for i in THREE_PUBLIC_ORDER)
    data = budget + "\t" + "\t".join(tp_cell(a.tp["actual"][i]) for i in THREE_PUBLIC_ORDER)
    if a.r.has("mangled_header"):
        a.add(
            "\t\t3\t预算数\t\t\t· · · · · · · · · · · · · · · · · · ·\t\t\t\t\t\t",
            "F\t因公\t公务用\t公务用车购置及运行维护费\t\t\t\t因公\t公务用车购置及运行维护费因公\t\t\t\t",
            "合计\t出国 (境) 费\t小计\t公务接 公务用车 公务用车运 特费 购置费 行维护费\t合计\t出国 (境) 费\t小计\t"
            "公务用车购置费\t公务用车运行维护费\t公务接 待费\t\t",
            "1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12\t",
        )
    else:
        a.add(
            "预算数\t\t\t\t\t\t决算数\t\t\t\t\t",
            "合计\t因公出国(境)费\t公务用车购置及运行维护费\t\t\t公务接待费\t"
            "合计\t因公出国(境)费\t公务用车购置及运行维护费\t\t\t公务接待费",
            "\t\t小计\t公务用车购置费\t公务用车运行维护费\t\t\t\t小计\t公务用车购置费\t公务用车运行维护费\t",
        )
    a.add(data)
    a.note('注:本表反映部门本年度"三公"经费支出预决算情况。')


# --- part three: the narrative ---------------------------------------------------------------


def _narrative_totals(a: _Accounts) -> None:
    year, total = a.year, money(a.total)
    a.add(f"第三部分 {year} 年度部门决算情况说明", "", "一、收入支出决算总体情况说明", "")
    a.add(f"{year}年度收支决算总计{total}万元。", "", "二、收入决算情况说明", "")
    a.add(
        f"{year}年度收入合计 {total}万元,其中:财政拨款收入 {total}万元,占 100%;其他收入 0万元,占 0%。",
        "",
        "三、支出决算情况说明",
        "",
    )
    basic_share = rate_hp(a.total_basic, a.total)
    a.add(
        f"{year} 年度支出合计 {total} 万元,其中:基本支出 {money(a.total_basic)} 万元,占 {pct(basic_share)}%;"
        f"项目支出 {money(a.total_project)} 万元,占 {pct(10000 - basic_share)}%。",
        "",
    )


def _narrative_classes(a: _Accounts) -> None:
    """The 类 totals with their shares (narrative_mismatch: one 类 printed with another figure)."""
    r = a.r
    a.add("五、一般公共预算财政拨款支出决算情况说明", "", "(二) 一般公共预算财政拨款支出决算结构情况", "")
    shares = []
    mismatch_code = None
    if r.planted("narrative_mismatch"):
        mismatch_code = r.rng.choice([c for c, _, _ in a.class_rows])
    for code, name, amount in a.class_rows:
        printed = amount
        if code == mismatch_code:
            printed = amount + r.rng.choice(NARRATIVE_DELTAS)
            r.detail = f"文字说明中 {code} {name} 印作 {money(printed)} 万元，表中为 {money(amount)} 万元"
        shares.append(f"{name}(类){money(printed)}万元,占 {pct(rate_hp(amount, a.total))}%")
    a.add(f"{a.year}年度一般公共预算财政拨款支出主要用于以下方面: " + ";".join(shares) + "。", "")


def _narrative_items(a: _Accounts) -> None:
    """年初预算 and 决算 of each 项 (rate_mismatch: one completion rate printed wrong)."""
    r, rng, year = a.r, a.r.rng, a.year
    a.add("(三) 一般公共预算财政拨款支出决算具体情况", "")
    summary_rate = f",完成年初预算的{pct(rate_hp(a.total, a.total_budget))}%" if a.total_budget else ""
    a.add(
        f"{year}年度一般公共预算财政拨款支出年初预算为{money(a.total_budget)}万元,"
        f"支出决算为{money(a.total)}万元{summary_rate}。其中:",
        "",
    )
    wrong_rate_item = None
    if r.planted("rate_mismatch"):
        wrong_rate_item = rng.choice([i.code for i in a.items if i.budget > 0])
    for k, item in enumerate(a.items, start=1):
        actual_text = f"{money(item.total)}万元"
        if r.has("displaced_wan") and k == 1:
            actual_text = f"万{money(item.total)}元"
        sentence = (
            f"- {k}. {CLASS_NAMES[item.code[:3]]}(类){KUAN_NAMES[item.code[:5]]}(款){a.names[item.code]}(项)。"
            f"年初预算为{money(item.budget, 'trim')}万元,支出决算为{actual_text}"
        )
        if item.budget:
            rate = rate_hp(item.total, item.budget)
            if item.code == wrong_rate_item:
                true_rate = rate
                rate = abs(rate + rng.choice([-1, 1]) * rng.randint(200, 1500))
                r.detail = f"{item.code} {item.name} 完成年初预算的比例印作 {pct(rate)}%，应为 {pct(true_rate)}%"
            sentence += f",完成年初预算的{pct(rate)}%"
        relation = "大于" if item.total > item.budget else "小于"
        sentence += f"。决算数{relation}预算数的主要原因是:{rng.choice(REASONS_OVER_UNDER)}。"
        a.add(sentence)
    a.add("")


def _narrative_basic(a: _Accounts) -> None:
    a.add("六、一般公共预算财政拨款基本支出决算情况说明", "")
    a.add(f"{a.year}年度一般公共预算财政拨款基本支出 {money(a.total_basic)} 万元 其中:", "")
    a.add(f"(一)人员经费{money(a.personnel)}万元,主要包括基本工资、津贴补贴、奖金、保险、公积金、退休费等。", "")
    a.add(f"(二)公用经费{money(a.public)}万元,主要包括:办公费、印刷费、差旅费、邮电费、公务接待费、工会经费等。", "")


def _yoy(tp: dict[str, dict[str, int]], item: str) -> str:
    """The change from last year's actual, as the narrative words it."""
    delta = tp["actual"][item] - tp["previous"][item]
    if delta == 0:
        return "与上年决算数持平,无增减变动"
    word = "增加" if delta > 0 else "减少"
    previous = tp["previous"][item]
    growth = f",{'增长' if delta > 0 else '下降'}{pct(rate_hp(abs(delta), previous))}%" if previous else ""
    return f"较上年{word} {money(abs(delta), 'trim')} 万元{growth}"


def _completion(tp: dict[str, dict[str, int]], item: str) -> str:
    b = tp["budget"][item]
    return f"完成预算的 {pct(rate_hp(tp['actual'][item], b))}%" if b else "完成预算的%"


def _three_public_sentence(tp: dict[str, dict[str, int]], lead: str, item: str, tail: str = "") -> str:
    """预算 X 万元,支出决算 Y 万元,完成预算的 Z%; 较上年… — one 三公 item."""
    return (
        f"{lead}预算 {money(tp['budget'][item])} 万元,支出决算 {money(tp['actual'][item])} 万元,"
        f"{_completion(tp, item)}; {_yoy(tp, item)}。{tail}"
    )


def _narrative_three_public(a: _Accounts) -> None:
    tp = a.tp
    a.add('九、财政拨款"三公"经费支出决算情况说明', "", '(一) "三公"经费财政拨款支出决算总体情况说明')
    a.add(
        f'{a.year}年度"三公"经费财政拨款支出预算为 {money(tp["budget"]["total"])} 万元,'
        f"支出决算为 {money(tp['actual']['total'])} 万元,{_completion(tp, 'total')}; {_yoy(tp, 'total')}。",
        "",
        '(二)"三公"经费财政拨款支出决算具体情况说明',
        "",
    )
    a.add(_three_public_sentence(tp, "1. 因公出国(境)费", "outbound"), "")
    a.add(_three_public_sentence(tp, "2. 公务用车购置及运行维护费", "vehicle_total", "其中:"), "")
    a.add(f"公务用车购置支出 {money(tp['actual']['vehicle_purchase'])} 万元。", "")
    a.add(
        f"公务用车运行维护费 {money(tp['actual']['vehicle_operation'])} 万元。主要用于公务用车油费、维修费、保险费等。",
        "",
    )
    a.add(_three_public_sentence(tp, "3. 公务接待费", "reception"), "")
    a.add("十、其他重要事项的情况说明", "", "(一) 机关运行经费支出情况", "")
    a.add(f"{a.year}年度机关运行经费支出 {money(a.public)}万元,主要用于办公及印刷费、邮电费、差旅费、会议费等。", "")


def _glossary(a: _Accounts) -> None:
    a.add(
        "第四部分名词解释",
        "",
        "- 一、财政拨款收入: 指同级财政当年拨付的资金。",
        "- 二、基本支出: 指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",
        "- 三、项目支出:指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
        '- 四、"三公"经费: 纳入同级财政预决算管理的"三公"经费是指用财政拨款安排的因公出国(境)费、'
        "公务用车购置及运行维护费和公务接待费。",
        "",
    )
