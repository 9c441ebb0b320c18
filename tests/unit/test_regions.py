"""Region reference data (fiscallens/reference/regions.csv) and the RegionIndex resolver."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from fiscallens.regions import Region, RegionIndex, default_index


@pytest.fixture(scope="module")
def idx() -> RegionIndex:
    return default_index()


def code(region: Region | None) -> str | None:
    return region.adcode if region else None


# -- the data ----------------------------------------------------------------------------


def test_row_count_and_levels(idx: RegionIndex) -> None:
    rows = idx.rows()
    assert len(rows) > 3000
    levels = Counter(r.level for r in rows)
    assert set(levels) == {"province", "prefecture", "county"}
    assert levels["province"] >= 31
    assert levels["prefecture"] > 300
    assert levels["county"] > 2500
    assert [r.adcode for r in rows] == sorted(r.adcode for r in rows)


def test_codes_and_parents_are_consistent(idx: RegionIndex) -> None:
    for r in idx.rows():
        assert len(r.adcode) == 6 and r.adcode.isdigit(), r
        if r.level == "province":
            assert r.parent_code is None and r.adcode.endswith("0000"), r
        else:
            parent = idx.get(r.parent_code or "")
            assert parent is not None, r
            assert parent.adcode[:2] == r.adcode[:2], r
            allowed = {"province"} if r.level == "prefecture" else {"prefecture", "province"}
            assert parent.level in allowed, r


def test_short_names_point_to_one_region(idx: RegionIndex) -> None:
    owners: Counter[str] = Counter()
    full = {r.name for r in idx.rows()}
    for r in idx.rows():
        owners.update(r.short_names)
        assert r.name not in r.short_names
    assert [s for s, n in owners.items() if n > 1] == []
    assert [s for s in owners if s in full] == []


def test_provinces(idx: RegionIndex) -> None:
    guizhou = idx.get("520000")
    assert guizhou is not None
    assert (guizhou.name, guizhou.level, guizhou.parent_code) == ("贵州省", "province", None)
    assert guizhou.short_names == ("贵州",)
    hunan = idx.get("430000")
    assert hunan is not None and hunan.name == "湖南省" and "湖南" in hunan.short_names
    shorts = {code: idx.get(code).short_names for code in ("150000", "450000", "650000", "640000", "540000", "810000")}
    assert shorts == {
        "150000": ("内蒙古",),
        "450000": ("广西",),
        "650000": ("新疆",),
        "640000": ("宁夏",),
        "540000": ("西藏",),
        "810000": ("香港",),
    }


def test_prefectures_and_short_names(idx: RegionIndex) -> None:
    guiyang = idx.get("520100")
    assert guiyang is not None
    assert (guiyang.name, guiyang.level, guiyang.parent_code, guiyang.short_names) == (
        "贵阳市",
        "prefecture",
        "520000",
        ("贵阳",),
    )
    qiannan = idx.get("522700")
    assert qiannan is not None and qiannan.name == "黔南布依族苗族自治州"
    assert set(qiannan.short_names) == {"黔南州", "黔南自治州"}
    xiangxi = idx.get("433100")
    assert xiangxi is not None and set(xiangxi.short_names) == {"湘西州", "湘西自治州"}
    assert idx.get("430300").name == "湘潭市"
    # Place parts longer than two characters, ethnic names with and without 族.
    assert "克孜勒苏州" in idx.get("653000").short_names
    assert "博尔塔拉州" in idx.get("652700").short_names
    assert "镇宁县" in idx.get("520423").short_names
    assert "积石山县" in idx.get("622927").short_names


def test_get_accepts_twelve_digit_codes(idx: RegionIndex) -> None:
    assert code(idx.get("520100000000")) == "520100"
    assert idx.get("999999") is None


def test_municipalities_keep_both_rows(idx: RegionIndex) -> None:
    assert idx.get("310000").level == "province"
    assert idx.get("310100").level == "prefecture"
    assert idx.get("310107").parent_code == "310100"
    assert idx.get("310000").short_names == ("上海",)
    assert idx.get("310100").short_names == ()


# -- hierarchy ---------------------------------------------------------------------------


def test_parent_chain_of_a_county(idx: RegionIndex) -> None:
    baiyun = idx.get("520113")
    assert baiyun is not None and baiyun.name == "白云区" and baiyun.level == "county"
    chain = []
    region: Region | None = baiyun
    while region is not None:
        chain.append(region.adcode)
        region = idx.get(region.parent_code) if region.parent_code else None
    assert chain == ["520113", "520100", "520000"]


def test_province_and_prefecture_of(idx: RegionIndex) -> None:
    duyun = idx.get("522701")
    assert duyun is not None and duyun.name == "都匀市"
    assert code(idx.province_of(duyun)) == "520000"
    assert code(idx.prefecture_of(duyun)) == "522700"
    guiyang = idx.get("520100")
    assert code(idx.prefecture_of(guiyang)) == "520100"
    assert code(idx.province_of(guiyang)) == "520000"
    guizhou = idx.get("520000")
    assert idx.prefecture_of(guizhou) is None
    assert code(idx.province_of(guizhou)) == "520000"


def test_province_administered_county(idx: RegionIndex) -> None:
    xiantao = idx.get("429004")
    assert xiantao is not None and xiantao.name == "仙桃市"
    assert xiantao.parent_code == "420000"
    assert idx.prefecture_of(xiantao) is None
    assert code(idx.province_of(xiantao)) == "420000"


# -- matching and resolving --------------------------------------------------------------


def test_find_all_offsets_longest_match(idx: RegionIndex) -> None:
    text = "2023 年贵州省贵阳市 大数据发展管理局"
    assert [(start, r.adcode) for start, r in idx.find_all(text)] == [(6, "520000"), (9, "520100")]
    # 湘西自治州 as a whole, not 湘西 + something; 湘西 alone is no name.
    assert [(s, r.adcode) for s, r in idx.find_all("湘西自治州人民政府")] == [(0, "433100")]
    assert idx.find_all("智慧湘西领导小组办公室") == []


def test_find_all_skips_idioms(idx: RegionIndex) -> None:
    assert idx.find_all("维护社会长治久安") == []
    assert [r.adcode for _, r in idx.find_all("长治市财政局")] == ["140400"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023 年贵州省贵阳市 大数据发展管理局", "520100"),
        ("黔南州大数据发展管理局", "522700"),
        ("黔南布依族苗族自治州大数据发展管理局", "522700"),
        ("湘西自治州人民政府办公室", "433100"),
        ("湘西州财政局", "433100"),
        ("湘潭市大数据和产业创新发展中心", "430300"),
        ("湖南省财政厅", "430000"),
        ("上海市普陀区财政局", "310107"),
        ("浙江省舟山市普陀区财政局", "330903"),
        ("上海市财政局", "310000"),
        ("重庆市城口县", "500229"),
        ("广西壮族自治区南宁市", "450100"),
        ("贵州省白云区", "520113"),
        ("广州市白云区", "440111"),
        ("山西省阳泉市城区", "140302"),
        ("贵阳市城区管理局", "520100"),
        ("湖南省益阳市南县财政局", "430921"),
        ("广东省开平市", "440783"),
        ("贵州省 贵阳市 遵义市", "520000"),
    ],
)
def test_resolve(idx: RegionIndex, text: str, expected: str) -> None:
    assert code(idx.resolve(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "普陀区财政局",  # 上海 or 舟山
        "白云区",  # 贵阳 or 广州
        "贵阳市 遵义市",  # two prefectures, province not named
        "北京市 上海市",
        "智慧湘西领导小组办公室",  # 湘西 is not a listed short name
        "城区绿化管理",  # 城区 alone is an ordinary word
        "完善公开平台，未出现重大安全事故",  # 开平市/大安市 hidden in ordinary words
        "建立市和县两级联动机制",  # 和县 (安徽) hidden in 市和县
        "完善公开平台",  # 开平市 alone, still an ordinary word
        "一般公共预算财政拨款支出决算表",
        "",
    ],
)
def test_resolve_returns_none_when_unclear(idx: RegionIndex, text: str) -> None:
    assert idx.resolve(text) is None


def test_resolve_body_text_prefers_the_dominant_region(idx: RegionIndex) -> None:
    text = "湘潭市大数据中心。" * 5 + "开展雨湖区专场活动。"
    assert code(idx.resolve(text)) == "430300"
    assert code(idx.resolve("湘潭市雨湖区")) == "430302"


def test_resolve_with_hint(idx: RegionIndex) -> None:
    assert code(idx.resolve("普陀区财政局", hint="上海")) == "310107"
    assert code(idx.resolve("普陀区财政局", hint="330900")) == "330903"
    assert code(idx.resolve("白云区", hint="贵州省")) == "520113"
    assert code(idx.resolve("城区财政局", hint="阳泉市")) == "140302"
    # Mentions outside the hint are ignored.
    assert idx.resolve("上海市普陀区", hint="贵州") is None
    # The hint may be the answer when the text names several of its parts.
    assert code(idx.resolve("贵阳市 遵义市", hint="贵州")) == "520000"
    with pytest.raises(ValueError):
        idx.resolve("贵阳市", hint="不存在的地方")


def test_resolve_is_fast(idx: RegionIndex) -> None:
    text = ("黔南州大数据发展管理局2021年度部门预算绩效自评报告，根据贵州省财政厅的通知要求，" * 30)[:1000]
    assert code(idx.resolve(text)) == "522700"
    runs = 200
    start = time.perf_counter()
    for _ in range(runs):
        idx.resolve(text)
    per_call = (time.perf_counter() - start) / runs
    assert per_call < 0.005  # typically ~0.3 ms; generous for slow CI machines


def test_default_index_is_cached() -> None:
    assert default_index() is default_index()


def test_load_custom_csv(tmp_path: Path) -> None:
    path = tmp_path / "regions.csv"
    path.write_text(
        "adcode,name,short_names,level,parent_code\n"
        "520000,贵州省,贵州,province,\n"
        "520100,贵阳市,贵阳,prefecture,520000\n"
        "520113,白云区,,county,520100\n",
        encoding="utf-8",
    )
    small = RegionIndex.load(path)
    assert [r.adcode for r in small.rows()] == ["520000", "520100", "520113"]
    assert small.get("520100").short_names == ("贵阳",)
    # Unambiguous in this tiny index.
    assert code(small.resolve("白云区")) == "520113"
