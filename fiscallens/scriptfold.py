"""Traditional → simplified Chinese, character by character, for matching and for stored names.

Some sites publish a traditional-script mirror of every page ("臨滄市云縣茂蘭鎮2023年度部門決算").
Titles, body names and region names are matched in simplified script, so a document's head is
folded first.

Only characters outside GB 2312 (the simplified standard set) are converted. A character inside
it is valid simplified text and stays as printed: a whole-text converter would turn the real
county 乾县 into 干县 (乾 is also the traditional form of 干). Character-level conversion is
enough in this direction: traditional → simplified is many-to-one.

The mapping comes from OpenCC's t2s dictionary (PyPI package ``opencc``, Apache-2.0, offline: the
dictionaries ship in the wheel). Without that package a compact built-in map of the characters of
titles, document kinds, region and body names is used.
"""

from __future__ import annotations

import functools
from typing import Any

# Fallback map (generated from OpenCC t2s): document kinds, administrative words, body names,
# frequent place-name characters. Used only when the opencc package is not installed.
_FALLBACK_TRADITIONAL = (
    "門決預績評價報單說區縣鎮鄉辦處財廳員會醫衛學總體項專資計劃經濟類別機關運費撥結轉餘國產業發規環興"
    "農務養護級臨滄雲蘭賓監測與為個進實際黨組織傳統戰線紀檢審稅應糧儲備場館圖書檔寧陝遼貴廣東齊魯蘇錫"
    "連瀋陽長龍鄭漢贛閩臺灣烏蔣華濱鳳邊陳萬張劉楊趙鄧韓馮鐘譚蕭鄒盧羅嚴樓層畫職術園電視歷優質執綜併證權"
    "條註錄標準數額隊廠團聯協議綫橋樑營輸車輛購維選舉儀禮據鐵鋼網絡訊裝設勞動險災難貧銜補積極開採墾漁獵"
    "藝藥製療愛屬屆"
)
_FALLBACK_SIMPLIFIED = (
    "门决预绩评价报单说区县镇乡办处财厅员会医卫学总体项专资计划经济类别机关运费拨结转余国产业发规环兴"
    "农务养护级临沧云兰宾监测与为个进实际党组织传统战线纪检审税应粮储备场馆图书档宁陕辽贵广东齐鲁苏锡"
    "连沈阳长龙郑汉赣闽台湾乌蒋华滨凤边陈万张刘杨赵邓韩冯钟谭萧邹卢罗严楼层画职术园电视历优质执综并证权"
    "条注录标准数额队厂团联协议线桥梁营输车辆购维选举仪礼据铁钢网络讯装设劳动险灾难贫衔补积极开采垦渔猎"
    "艺药制疗爱属届"
)
_FALLBACK = dict(zip(_FALLBACK_TRADITIONAL, _FALLBACK_SIMPLIFIED, strict=True))

# Code points worth looking at: CJK unified ideographs and extension A, compatibility ideographs.
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


@functools.lru_cache(maxsize=1)
def _converter() -> Any:
    try:
        import opencc  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        return None
    try:
        return opencc.OpenCC("t2s.json")
    except Exception:  # a broken install must not stop a build: the built-in map still works
        return None


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def _in_simplified_set(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@functools.lru_cache(maxsize=1 << 14)
def fold_char(char: str) -> str:
    """One character in simplified script (itself when it already is, or is not Chinese)."""
    if len(char) != 1 or not _is_cjk(char) or _in_simplified_set(char):
        return char
    converter = _converter()
    if converter is not None:
        folded = converter.convert(char)
        return folded if len(folded) == 1 else char
    return _FALLBACK.get(char, char)


@functools.lru_cache(maxsize=1 << 14)
def fold(text: str) -> str:
    """``text`` with traditional characters replaced by simplified ones; same length, same layout.

    Simplified text comes back unchanged (one encode attempt for the whole string)."""
    try:
        text.encode("gb2312")
        return text  # the common case: nothing outside the simplified set
    except UnicodeEncodeError:
        pass
    return "".join(fold_char(char) for char in text)


def is_folded(text: str) -> bool:
    """True when ``text`` needs no folding (it is simplified, or not Chinese at all)."""
    return fold(text) == text
