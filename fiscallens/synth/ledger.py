"""The figures of a department's final accounts, consistent by construction: 项 with basic and
project amounts, the function tree (类 ⊃ 款 ⊃ 项) whose parents are the sums of their children, the
economic classification of basic spending, and the 三公 amounts (budget, actual, last year)."""

from __future__ import annotations

from dataclasses import dataclass

from fiscallens.synth.money import loguniform, split
from fiscallens.synth.reference import CLASS_NAMES, COMMON_BASIC, EXTRA_PROJECT, KUAN_NAMES, PUBLIC_CODES, WAGE_CODES
from fiscallens.synth.report import Draft

# Digits of a 类 and of a 款 code (a 项 has 7).
CLASS_DIGITS, KUAN_DIGITS = 3, 5


@dataclass
class Xiang:
    """One 项 of the functional classification and its amounts (hundredths of 万元)."""

    code: str
    name: str
    basic: int = 0
    project: int = 0
    budget: int = 0

    @property
    def total(self) -> int:
        """基本支出 + 项目支出."""
        return self.basic + self.project


def function_items(r: Draft) -> tuple[list[Xiang], int, int]:
    """The report's 项 with basic/project amounts; also the 行政运行 amount and its project part."""
    rng = r.rng
    basic_total = loguniform(rng, 120, 4000)
    project_total = loguniform(rng, 30, 20000)
    main = r.plan.items
    shares = [rng.uniform(0.8, 1.2) * s for _, _, s, _ in COMMON_BASIC]
    common = [int(basic_total * s) for s in shares]
    running = basic_total - sum(common)
    items = [Xiang(main[0][0], main[0][1], basic=running)]
    items += [Xiang(code, name, basic=amount) for (code, name, _, _), amount in zip(COMMON_BASIC, common, strict=True)]
    projects = [(code, name) for code, name, kind in main[1:] if kind == "project"]
    projects += [extra for extra in EXTRA_PROJECT if rng.random() < 0.35]
    mixed = rng.random() < 0.2
    parts = split(project_total, len(projects) + (1 if mixed else 0), rng)
    if mixed:
        items[0].project = parts.pop()
    for (code, name), amount in zip(projects, parts, strict=True):
        items.append(Xiang(code, name, project=amount))
    for item in items:
        if item.basic and not item.project:
            item.budget = int(item.total * rng.uniform(0.85, 1.12))
        else:
            item.budget = 0 if rng.random() < 0.12 else int(item.total * rng.uniform(0.6, 1.6))
    items.sort(key=lambda x: x.code)
    return items, running, items[0].project if mixed else 0


def tree(items: list[Xiang]) -> list[tuple[str, str, int, int]]:
    """(code, name, basic, project) rows in table order: each 类, its 款, their 项."""
    rows = []
    for cls, members in _grouped(items, CLASS_DIGITS):
        rows.append(_sum_row(cls, CLASS_NAMES[cls], members))
        for kuan, kuan_members in _grouped(members, KUAN_DIGITS):
            rows.append(_sum_row(kuan, KUAN_NAMES[kuan], kuan_members))
            rows.extend((m.code, m.name, m.basic, m.project) for m in kuan_members)
    return rows


def _grouped(items: list[Xiang], digits: int) -> list[tuple[str, list[Xiang]]]:
    """The items by the first `digits` of their code, in code order."""
    groups: dict[str, list[Xiang]] = {}
    for item in items:
        groups.setdefault(item.code[:digits], []).append(item)
    return sorted(groups.items())


def _sum_row(code: str, name: str, members: list[Xiang]) -> tuple[str, str, int, int]:
    return (code, name, sum(m.basic for m in members), sum(m.project for m in members))


def three_public(r: Draft) -> dict[str, dict[str, int]]:
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


def economic(r: Draft, running: int, items: list[Xiang], tp: dict[str, dict[str, int]]) -> dict[str, int]:
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
