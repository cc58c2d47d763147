"""Fictional demo data: a fund shelf calibrated on a real 2019 shelf, products, channels, offers, campaigns, users.

Everything here is made up: fund companies, managers, products and people are fictional. Only the *shape*
of the fund shelf (type mix, fees, return ranges, sizes) was measured on a real public 2019 shelf, and those
numbers are hard-coded below, so generating the demo never reads any outside file. The same seed always
gives byte-identical files.
"""

from __future__ import annotations

import functools
import itertools
import math
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pydantic import BaseModel

from retrieval._models import (
    FUND_TYPES,
    CampaignRecord,
    Channel,
    Fund,
    Offer,
    Product,
    ProductKind,
)  # fmt: skip

DEMO_SOURCE = "finpilot-demo (fictional)"
AS_OF = date(2026, 10, 30)
DEFAULT_N_USERS = 2_000_000

_STREAMS = {"funds": 1, "channels": 3, "campaigns": 5, "users": 6}
"""One independent random stream per table, so changing one table never changes another (products and offers
are fixed catalogs and draw nothing). The numbers are part of the output: changing one changes that table's bytes."""


def demo_source(seed: int) -> str:
    """The `source` of every demo record: says it is fictional and names the seed."""
    return f"finpilot demo data, fictional, seed={seed}"


def _rng(seed: int, table: str) -> np.random.Generator:
    return np.random.default_rng([seed, _STREAMS[table]])


# --------------------------------------------------------------------------------------------------------------
# Calibration, measured once on fund_basic_2019-08-30.json (5,222 real funds from 133 companies, 2019-08-30).
# Real types were mapped as: 混合型 -> mixed; 债券型, 定开债券, 债券指数 -> bond; 股票指数, 联接基金 -> index;
# 股票型 -> stock; 混合-FOF -> fof; QDII, QDII-指数 -> qdii; 保本型, 理财型, 其他创新 -> other.
# The real shelf lists no money funds; their numbers below are stated assumptions, not measurements.
# --------------------------------------------------------------------------------------------------------------

REAL_TYPE_SHARE: dict[str, float] = {
    "mixed": 0.5004, "bond": 0.2729, "index": 0.1281, "stock": 0.0728, "fof": 0.0138, "qdii": 0.0107, "other": 0.0013,
}  # fmt: skip
"""Share of share-class rows per type on the real shelf."""

MONEY_SHARE = 0.04
"""Money funds added on top of the real mix (assumption: about 4% of a 2026 platform shelf)."""

OTHER_MIN_SHARE = 0.005
"""The real shelf has 7 'other' funds (0.13%); a floor keeps enough of them for a filter to find."""

REAL_RETURN_QUANTILES: dict[str, dict[str, tuple[float, float, float, float, float]]] = {
    # type -> window -> (5%, 25%, 50%, 75%, 95%) of the reported return in percent, over funds reporting it.
    "mixed": {"1m": (-2.02, 0.24, 1.51, 4.01, 8.23), "3m": (0.05, 3.23, 7.15, 11.58, 18.5),
              "6m": (-1.36, 3.37, 7.7, 13.74, 25.22), "ytd": (2.3, 11.01, 22.19, 33.35, 50.33),
              "1y": (-2.62, 5.25, 11.06, 18.54, 33.09), "3y": (-19.15, -0.8, 11.72, 23.05, 49.08)},
    "index": {"1m": (-5.66, -1.87, -0.43, 1.68, 6.66), "3m": (-3.16, 0.93, 4.58, 7.48, 13.48),
              "6m": (-7.1, -0.31, 4.46, 8.01, 16.78), "ytd": (2.55, 17.74, 25.08, 28.99, 40.9),
              "1y": (-6.1, 2.63, 10.41, 15.25, 28.03), "3y": (-30.83, -14.45, 5.07, 22.01, 46.22)},
    "stock": {"1m": (-2.85, 0.15, 2.11, 5.59, 10.17), "3m": (0.36, 5.28, 9.0, 14.18, 21.16),
              "6m": (-1.34, 5.37, 10.94, 17.63, 30.25), "ytd": (12.01, 22.18, 30.67, 41.32, 56.37),
              "1y": (-1.05, 8.02, 14.6, 22.44, 37.88), "3y": (-26.64, -2.1, 14.96, 32.98, 56.66)},
    "bond": {"1m": (0.08, 0.35, 0.57, 0.87, 1.97), "3m": (0.69, 1.16, 1.55, 2.2, 4.42),
             "6m": (-0.3, 1.46, 1.97, 2.68, 5.01), "ytd": (1.43, 2.51, 3.32, 5.33, 13.5),
             "1y": (2.11, 4.2, 5.6, 7.15, 11.48), "3y": (-3.39, 6.04, 9.49, 12.26, 16.06)},
    "qdii": {"1m": (-5.88, -4.0, -1.85, 1.02, 3.51), "3m": (-2.01, 0.15, 3.06, 5.48, 10.39),
             "6m": (-4.81, -1.1, 1.88, 7.92, 12.34), "ytd": (3.08, 6.26, 9.47, 13.52, 19.93),
             "1y": (-10.45, -5.11, -3.88, 6.64, 11.8), "3y": (4.03, 11.28, 18.16, 24.91, 36.29)},
    "fof": {"1m": (0.25, 0.63, 1.09, 1.65, 2.37), "3m": (0.75, 2.45, 3.22, 4.74, 7.54),
            "6m": (1.1, 2.87, 3.35, 4.35, 7.39), "ytd": (2.84, 4.77, 6.49, 8.07, 12.7),
            "1y": (4.79, 5.23, 5.87, 6.72, 12.17)},
    "other": {"1m": (0.02, 0.11, 0.16, 0.19, 0.67), "3m": (0.06, 0.49, 0.61, 0.64, 2.15),
              "6m": (-0.03, 1.05, 1.35, 1.47, 3.7), "ytd": (0.59, 1.68, 1.87, 2.05, 6.52),
              "1y": (0.75, 2.25, 3.1, 3.36, 7.19), "3y": (5.01, 5.57, 8.58, 11.63, 12.25)},
}  # fmt: skip

FOF_3Y_MEDIAN = 12.0
"""Assumption: the first FOFs launched in 2017, so the real shelf has no 3-year FOF return to measure."""

REAL_SIZE_LOGNORMAL: dict[str, tuple[float, float]] = {
    "mixed": (0.113, 2.208), "index": (-0.072, 2.092), "stock": (0.422, 1.941), "bond": (-0.015, 2.725),
    "qdii": (0.306, 1.970), "fof": (0.007, 1.822), "other": (1.672, 1.394),
    "money": (3.4, 1.5),  # assumption: money funds are the largest, median about 30 亿元
}  # fmt: skip
"""Mean and standard deviation of ln(size in 亿元) per share-class row."""

REAL_PURCHASE_FEES: dict[str, dict[float, int]] = {
    "mixed": {1.5: 1700, 1.2: 168, 0.8: 102, 1.0: 93, 0.6: 33},
    "stock": {1.5: 307, 1.2: 11},
    "index": {1.2: 275, 1.0: 98, 1.5: 56, 0.8: 13, 0.6: 7, 0.5: 7},
    "bond": {0.8: 592, 0.6: 86, 0.4: 60, 0.3: 33, 0.5: 29, 1.0: 15},
    "qdii": {1.5: 18, 1.2: 11, 0.8: 8, 1.6: 7},
    "fof": {0.8: 21, 1.2: 19, 1.5: 8, 1.0: 4},
    "other": {0.6: 1, 1.2: 1, 1.5: 1},
}  # fmt: skip
"""Counts of each non-zero front-end purchase fee (%, sourceRate); the platform charged 1/10 of it (rate)."""

PLATFORM_FEE_DISCOUNT = 0.1
"""Measured: the real shelf's discounted rate is exactly 1/10 of the source rate (1.50% -> 0.15%)."""

REAL_MIN_PURCHASE: dict[float, int] = {100.0: 4898, 1000.0: 214, 10.0: 65, 500.0: 7}
"""Counts of retail minimum purchases (yuan); 28 institutional-only minimums (>= 50,000) are left out."""

REAL_DCA_SHARE: dict[str, float] = {
    "mixed": 0.872, "index": 0.940, "stock": 0.945, "bond": 0.760, "qdii": 0.946, "fof": 0.958, "other": 0.429,
    "money": 0.9,  # assumption
}  # fmt: skip
"""Share of funds that accept regular instalments (regular = 1)."""

PURCHASE_OPEN_SHARE = 0.85
"""Real shelf: 76% 开放申购, 22% 限大额 (open with a cap), 2% closed; the demo closes 15% so an
'only funds open for purchase' filter visibly removes some."""

REAL_AGE_BINS: tuple[tuple[float, float, float], ...] = (
    (0, 1, 0.1576), (1, 2, 0.1421), (2, 3, 0.1739), (3, 5, 0.2483), (5, 8, 0.1318), (8, 12, 0.0969), (12, 18, 0.0495),
)  # fmt: skip
"""(from years, to years, share) of fund age at the snapshot date."""

PAIRED_SHARE = 0.6
"""Share of non-money portfolios sold as an A/C pair. Measured in 2019: 1,271 pairs (32% of portfolios, 49% of
rows; 54% of names end in A or C); since then nearly every new fund launches with a C class, so the demo pairs more."""

TWO_MANAGER_SHARE = 0.34
"""Measured: 66% of funds have one manager, 29% two, 5% three or more (folded into two here)."""

PORTFOLIOS_PER_MANAGER = 3.0
"""Measured: 1,831 managers over about 3,950 portfolios with 1.38 managers each: a manager runs ~3 portfolios."""

COMPANY_SIZE_LOG_SD = 1.08
"""Measured spread of ln(funds per company) over the 133 real companies (median 25, 90th percentile 100)."""

# --------------------------------------------------------------------------------------------------------------
# The fictional shelf
# --------------------------------------------------------------------------------------------------------------

N_FUNDS_TARGET = 3200
RISK_FREE = 1.5
"""Risk-free rate (percent a year) in the Sharpe ratio."""

TRADING_DAYS = 250
_DAYS_3Y = 3 * TRADING_DAYS
_WINDOW_DAYS = {"1m": 21, "3m": 63, "6m": 125, "ytd": 204, "1y": 250, "3y": _DAYS_3Y}
"""Trading days per reporting window ending on AS_OF (2026-10-30 is about 204 trading days into the year)."""
_WINDOW_MIN_AGE = {"1m": 30, "3m": 91, "6m": 182, "1y": 365, "3y": 1095}
"""Calendar days a fund must have existed to report a window."""
_YEAR_START = date(AS_OF.year, 1, 1)

# Risk grades follow volatility, not type. The real shelf labels by type instead (mixed 99.6% R4, index and stock
# ~100% R5, bond 59% R2 / 37% R3 / 4% R4, qdii 75% R5 / 25% R3, fof 100% R4, other R1-R2); these thresholds
# reproduce that picture while letting a calm mixed fund be R3 and a convertible-bond fund R3.
RISK_VOL_THRESHOLDS = (0.5, 4.5, 13.0, 22.0)
"""Annualised volatility (%) at which R2, R3, R4 and R5 start."""

RAW_TYPE = {
    "stock": "股票型", "mixed": "混合型", "bond": "债券型", "index": "指数型", "money": "货币型", "qdii": "QDII",
    "fof": "FOF", "other": "其他",
}  # fmt: skip

MGMT_FEES: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "stock": ((1.2, 1.5), (0.6, 0.4)), "mixed": ((1.2, 1.5), (0.6, 0.4)), "index": ((0.5, 0.15), (0.8, 0.2)),
    "bond": ((0.3, 0.4, 0.5, 0.6, 0.7), (0.25, 0.25, 0.2, 0.15, 0.15)), "money": ((0.15, 0.2, 0.25, 0.3), (0.3, 0.3, 0.2, 0.2)),
    "qdii": ((1.2, 1.5, 1.8), (0.3, 0.5, 0.2)), "fof": ((0.6, 0.8, 1.0), (0.4, 0.4, 0.2)), "other": ((0.5, 1.0), (0.5, 0.5)),
}  # fmt: skip
"""Management fee levels (% a year) and their weights (not in the real shelf: typical 2026 levels)."""

SALES_SERVICE_FEES: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "stock": ((0.2, 0.4, 0.5, 0.6), (0.1, 0.6, 0.2, 0.1)), "mixed": ((0.2, 0.4, 0.5, 0.6), (0.1, 0.6, 0.2, 0.1)),
    "index": ((0.2, 0.25, 0.3, 0.4), (0.3, 0.3, 0.2, 0.2)), "bond": ((0.2, 0.3, 0.4), (0.3, 0.3, 0.4)),
    "qdii": ((0.3, 0.4, 0.5), (0.3, 0.5, 0.2)), "fof": ((0.2, 0.3, 0.4), (0.3, 0.4, 0.3)),
    "other": ((0.2, 0.3, 0.4), (0.3, 0.4, 0.3)),
}  # fmt: skip
"""C-class sales-service fee levels (% a year) and their weights."""

MONEY_SALES_SERVICE_FEE = 0.25
"""Money funds sold as an 'A' class carry a 0.25% sales-service fee, as real 货币A classes do."""

_FACTOR_VOL = {"stock": 20.0, "mixed": 18.0, "index": 23.0, "bond": 1.2, "qdii": 20.0, "fof": 10.0, "other": 14.0}
"""Annualised volatility (%) of each type's market factor; a fund scales it by its beta."""
_FACTOR_FAMILY = {"stock": 0, "mixed": 0, "index": 0, "fof": 0, "bond": 1, "qdii": 2, "other": 3}
"""Which shared shock drives the factor: Chinese equities, Chinese bonds, overseas equities, gold/alternatives."""
_ALPHA_SD = {"stock": 4.0, "mixed": 3.5, "index": 3.0, "bond": 0.6, "qdii": 4.0, "fof": 1.5, "other": 0.6}
"""Cross-section spread (% a year, log) of manager skill, tuned so return quartiles match the real shelf."""


@dataclass(frozen=True)
class _Style:
    """A family of portfolios within a type: how it moves, what it is about and how it is named."""

    key: str
    weight: float
    beta: tuple[float, float]
    idio: tuple[float, float]
    """Range of idiosyncratic annualised volatility, percent."""
    themes: tuple[str, ...]
    words: tuple[str, ...]
    """Type words that end the name, e.g. 混合, 指数增强."""
    extra_themes: tuple[str, ...] = ()
    """Second themes a portfolio may also carry (style tags)."""
    equity: tuple[float, float] = (0.0, 0.0)
    """Range of loading on the Chinese equity market (the mixed-fund factor): the stock side of a bond fund."""


_EQUITY_SECTORS = (
    "新能源", "光伏", "锂电", "新能源车", "半导体", "医药", "医疗器械", "消费", "白酒", "科技", "人工智能", "军工",
    "金融", "银行", "证券", "红利", "高端制造", "互联网", "农业", "ESG", "碳中和", "国企改革", "数字经济",
)  # fmt: skip
_STYLES_EQ = ("价值", "成长", "均衡")

_STYLES: dict[str, tuple[_Style, ...]] = {
    "stock": (
        _Style("sector", 0.7, (0.95, 1.2), (8, 12), _EQUITY_SECTORS, ("股票",), _STYLES_EQ),
        _Style("style", 0.3, (0.85, 1.05), (7, 10), _STYLES_EQ, ("股票",)),
    ),
    "mixed": (
        _Style("equity", 0.55, (0.85, 1.1), (7, 11), _EQUITY_SECTORS, ("混合",), _STYLES_EQ),
        _Style("flexible", 0.25, (0.55, 0.8), (5, 8), _EQUITY_SECTORS + _STYLES_EQ, ("灵活配置混合",)),
        _Style("debt", 0.2, (0.25, 0.45), (1.5, 3), ("固收+",), ("混合",)),
    ),
    "index": (
        _Style("broad", 0.55, (0.9, 1.05), (2, 6), ("沪深300", "中证500", "中证1000", "上证50", "创业板", "科创50", "中证A500"),
               ("指数", "指数增强", "ETF联接")),
        _Style("sector", 0.45, (0.95, 1.3), (8, 13), ("红利", "证券", "银行", "医药", "半导体", "新能源车", "光伏", "白酒",
                                                     "军工", "人工智能", "消费", "医疗器械"), ("指数", "ETF联接")),
    ),
    "bond": (
        _Style("short", 0.2, (0.4, 0.7), (0.3, 0.5), ("短债",), ("债券",)),
        _Style("pure", 0.5, (0.9, 1.3), (0.5, 1.2), ("纯债", "信用债", "利率债"), ("债券",)),
        _Style("enhanced", 0.15, (1.0, 1.5), (1.0, 1.5), ("增强收益",), ("债券",), ("固收+",), (0.1, 0.2)),
        _Style("convertible", 0.15, (0.8, 1.2), (2, 3), ("可转债",), ("债券",), (), (0.3, 0.45)),
    ),
    "qdii": (
        _Style("us", 0.5, (0.85, 1.1), (3, 6), ("纳斯达克", "标普500", "美股"), ("(QDII)",)),
        _Style("hk", 0.35, (1.0, 1.2), (5, 9), ("港股", "恒生科技", "中概互联"), ("(QDII)",)),
        _Style("global", 0.15, (0.7, 0.95), (5, 8), ("全球医疗", "日本", "全球科技"), ("(QDII)",)),
    ),
    "fof": (
        _Style("pension", 0.6, (0.4, 1.0), (1, 2), ("养老",), ("混合(FOF)",)),
        _Style("balanced", 0.4, (0.5, 1.1), (1, 2.5), ("资产配置",), ("混合(FOF)",), ("均衡",)),
    ),
    "other": (
        _Style("absolute", 0.7, (0.12, 0.25), (1.5, 2.5), ("绝对收益",), ("策略",)),
        _Style("gold", 0.3, (0.9, 1.1), (1, 2), ("黄金",), ("ETF联接",)),
    ),
    "money": (_Style("money", 1.0, (0.0, 0.0), (0.0, 0.0), ("现金管理",), ("货币",)),),
}  # fmt: skip

_NAME_FRAGMENT = {
    "新能源": "新能源产业", "医药": "医药健康", "消费": "消费升级", "科技": "科技创新", "金融": "大金融", "银行": "银行精选",
    "证券": "证券行业", "红利": "红利优选", "农业": "现代农业", "ESG": "ESG责任投资", "军工": "国防军工", "白酒": "食品饮料",
    "价值": "价值精选", "成长": "成长动力", "均衡": "均衡配置", "锂电": "锂电池产业", "光伏": "光伏产业", "互联网": "互联网+",
    "纳斯达克": "纳斯达克100指数", "标普500": "标普500指数", "美股": "美国精选股票", "港股": "香港优选股票",
    "恒生科技": "恒生科技指数", "中概互联": "中概互联网指数", "全球医疗": "全球医疗保健股票", "日本": "日经225指数",
    "全球科技": "全球科技股票",
}  # fmt: skip
"""Name fragment per theme where the bare theme would read oddly in a fund name."""

_INDEX_FRAGMENT = {
    "红利": "中证红利", "证券": "证券公司", "银行": "中证银行", "医药": "中证医药", "半导体": "半导体芯片", "光伏": "光伏产业",
    "白酒": "中证白酒", "军工": "中证军工", "消费": "中证主要消费",
}  # fmt: skip

_PREFIXES = {
    "debt": ("稳健回报", "安心收益", "稳享", "双利", "安益", "恒利", "裕丰", "鑫享"),
    "short": ("安心", "稳利", "恒泰", "季季享", "月月盈", "添利"),
    "pure": ("安心", "稳利", "恒泰", "裕丰", "添利", "丰润", "鑫享", "安和"),
    "enhanced": ("双利", "稳健", "丰利", "添益"),
    "convertible": ("", "优选", "精选"),
    "pension": ("养老目标2035三年持有", "养老目标2040三年持有", "养老目标2045五年持有", "养老目标2050五年持有",
                "稳健养老一年持有"),
    "balanced": ("均衡配置一年持有", "稳健配置六个月持有", "积极配置三年持有"),
    "absolute": ("绝对收益", "量化对冲"),
    "money": ("安心", "现金宝", "天天利", "添益", "日日盈", "零钱通", "鑫月", "活期宝", "薪金", "汇利", "安瑞", "财富宝"),
}  # fmt: skip
"""Name openings for styles whose names are not built from the theme."""
_MIDDLE = {"short": "短债", "enhanced": "增强", "convertible": "可转债"}
"""What follows the opening in those names; a pure-bond name uses its theme (纯债, 信用债, 利率债)."""

_MODIFIERS = ("优选", "精选", "领航", "睿选", "臻选", "动力", "回报", "核心", "远见", "景气", "先锋", "品质", "新兴", "智选",
              "龙头", "主题", "卓越", "恒远", "汇智", "持续")  # fmt: skip

_COMPANY_STEMS = (
    "鼎衡 澄川 禾信 青枫 远澜 岚山 云栖 柏舟 星澜 沐阳 砺石 锦程 恒岳 朗川 知行 泊远 溪谷 岱川 瀚川 明澜 闻道 致远 松风 山海 "
    "清和 晴川 观澜 若水 持衡 鹿鸣 衡远 秋实 临川 北溟 望舒 骊川 沧澜 崇岳 澹远 丰岭 谷雨 玄同 拾光 归藏 云帆 嘉澍 溯源 怀朴 "
    "长庚 栖霞 峻岭 素问 逸林 蓝湾 青岚 鸿渐 凌云 和光 溪山 白鹭"
).split()
"""60 fictional fund-company stems, checked against the 133 real company names of the 2019 shelf."""

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾"
)
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华俊峰宇晨浩然思远博文嘉怡欣悦子涵轩睿哲琳雪倩颖凯鹏飞晓东海波辉斌鑫蕾婷"


@dataclass
class _Portfolio:
    """One fund portfolio before it is split into share-class rows."""

    fund_type: str
    style: _Style
    paired: bool


def _pick(rng: np.random.Generator, values: Sequence[float], weights: Sequence[float]) -> float:
    w = np.asarray(weights, dtype=float)
    return float(values[rng.choice(len(values), p=w / w.sum())])


def _pick_counted(rng: np.random.Generator, counts: dict[float, int]) -> float:
    return _pick(rng, list(counts), list(counts.values()))


def _rows_per_type() -> dict[str, int]:
    """How many share-class rows of each type the shelf holds."""
    shares = {t: s * (1 - MONEY_SHARE) for t, s in REAL_TYPE_SHARE.items()}
    shares["other"] = max(shares["other"], OTHER_MIN_SHARE)
    shares["money"] = MONEY_SHARE
    return {t: round(N_FUNDS_TARGET * shares[t]) for t in FUND_TYPES}


def _plan_portfolios(rng: np.random.Generator) -> list[_Portfolio]:
    """Type, style and pairing of every portfolio, matching the row counts of `_rows_per_type`."""
    portfolios: list[_Portfolio] = []
    for fund_type, rows in _rows_per_type().items():
        # rows = 2 * pairs + singles and pairs / (pairs + singles) = PAIRED_SHARE; money funds are never paired.
        pairs = 0 if fund_type == "money" else round(rows * PAIRED_SHARE / (1 + PAIRED_SHARE))
        styles = _STYLES[fund_type]
        weights = np.array([s.weight for s in styles])
        for is_pair in [True] * pairs + [False] * (rows - 2 * pairs):
            style = styles[rng.choice(len(styles), p=weights / weights.sum())]
            portfolios.append(_Portfolio(fund_type, style, is_pair))
    return portfolios


def _manager_pool(rng: np.random.Generator, n: int) -> list[str]:
    """`n` distinct fictional Chinese names, in draw order."""
    names: list[str] = []
    seen: set[str] = set()  # membership only: the order comes from the list
    while len(names) < n:
        given = "".join(_GIVEN[i] for i in rng.integers(len(_GIVEN), size=1 + int(rng.random() < 0.7)))
        name = _SURNAMES[rng.integers(len(_SURNAMES))] + given
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _staff(rng: np.random.Generator, n_portfolios: int) -> tuple[list[str], list[tuple[str, ...]]]:
    """A company and one or two managers of that company for every portfolio."""
    weights = rng.lognormal(0.0, COMPANY_SIZE_LOG_SD, len(_COMPANY_STEMS))
    company_of = rng.choice(len(_COMPANY_STEMS), size=n_portfolios, p=weights / weights.sum())
    n_managers = rng.random(n_portfolios) < TWO_MANAGER_SHARE
    counts = np.bincount(company_of, minlength=len(_COMPANY_STEMS))
    pool_sizes = np.maximum(2, np.ceil(counts * (1 + TWO_MANAGER_SHARE) / PORTFOLIOS_PER_MANAGER)).astype(int)
    names = _manager_pool(rng, int(pool_sizes.sum()))
    starts = np.concatenate([[0], np.cumsum(pool_sizes)])
    managers: list[tuple[str, ...]] = []
    for c, two in zip(company_of, n_managers, strict=True):
        pool = names[starts[c] : starts[c + 1]]
        chosen = rng.choice(len(pool), size=2 if two else 1, replace=False)
        managers.append(tuple(pool[i] for i in chosen))
    return [_COMPANY_STEMS[c] for c in company_of], managers


def _name_options(rng: np.random.Generator, style: _Style, theme: str) -> Iterator[str]:
    """Candidate names (without company stem or share class), best first; the first unused one is taken."""
    word = style.words[rng.integers(len(style.words))]
    modifiers = [_MODIFIERS[i] for i in rng.permutation(len(_MODIFIERS))]
    if style.key in _PREFIXES:
        openings = [_PREFIXES[style.key][i] for i in rng.permutation(len(_PREFIXES[style.key]))]
        middle = theme if style.key == "pure" else _MIDDLE.get(style.key, "")
        bases = [o + middle for o in openings]
    else:
        bases = [(_INDEX_FRAGMENT if word in ("指数", "指数增强", "ETF联接") else _NAME_FRAGMENT).get(theme, theme)]
    yield from (b + word for b in bases)
    yield from (b + m + word for b in bases for m in modifiers)
    yield from (f"{bases[0]}{k}号{word}" for k in itertools.count(2))  # never reached in practice; names stay unique


def _median_target(fund_type: str, window: str) -> float:
    if fund_type == "fof" and window == "3y":
        return FOF_3Y_MEDIAN
    return REAL_RETURN_QUANTILES[fund_type][window][2]


def _pin_drift(raw: np.ndarray, beta: np.ndarray, fund_type: str) -> np.ndarray:
    """Daily factor drift that makes the type's median fund earn the real shelf's median return in every window.

    A fund's log return over a window is its raw (drift-free) sum plus beta times the factor's drift over the
    window; solving the windows from the shortest outwards gives a piecewise-constant drift path.
    """
    drift = np.zeros(raw.shape[1])
    later_start, later_total = raw.shape[1], 0.0
    for window, days in sorted(_WINDOW_DAYS.items(), key=lambda kv: kv[1]):
        start = raw.shape[1] - days
        base = raw[:, start:].sum(axis=1) + beta * later_total
        target = math.log1p(_median_target(fund_type, window) / 100)
        lo, hi = -5.0, 5.0
        for _ in range(60):  # bisection: the median rises with the drift because every beta is positive
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if np.median(base + beta * mid) < target else (lo, mid)
        drift[start:later_start] = (lo + hi) / 2 / (later_start - start)
        later_start, later_total = start, later_total + (lo + hi) / 2
    return drift


def _simulate(rng: np.random.Generator, portfolios: list[_Portfolio]) -> np.ndarray:
    """Daily log returns over three years (portfolios x 750 trading days), net of management fees."""
    n = len(portfolios)
    types = np.array([p.fund_type for p in portfolios])
    lo, hi = (np.array([p.style.beta[k] for p in portfolios]) for k in (0, 1))
    beta = rng.uniform(lo, hi)
    lo, hi = (np.array([p.style.idio[k] for p in portfolios]) for k in (0, 1))
    idio = rng.uniform(lo, hi) / 100 / math.sqrt(TRADING_DAYS)
    alpha = rng.standard_normal(n) * np.array([_ALPHA_SD.get(t, 0.0) for t in types]) / 100 / TRADING_DAYS
    lo, hi = (np.array([p.style.equity[k] for p in portfolios]) for k in (0, 1))
    equity = rng.uniform(lo, hi)
    shocks = rng.standard_normal((4, _DAYS_3Y))
    noise = rng.standard_normal((n, _DAYS_3Y))

    paths = np.empty((n, _DAYS_3Y))
    market: dict[str, np.ndarray] = {}  # each type's factor path per unit beta, drift included
    for fund_type in FUND_TYPES:  # mixed comes before bond, whose stock side follows the mixed factor
        rows = np.flatnonzero(types == fund_type)
        if fund_type == "money":
            # A money fund accrues a small positive yield every day (never a loss, hence no drawdown); yields
            # drifted down about a sixth over the three years, as policy rates did.
            yearly = rng.uniform(1.6, 2.3, len(rows)) / 100
            trend = np.linspace(1.2, 1.0, _DAYS_3Y)
            daily = yearly[:, None] / TRADING_DAYS * trend * np.exp(0.08 * noise[rows] - 0.0032)
            paths[rows] = np.log1p(daily)
            continue
        factor = shocks[_FACTOR_FAMILY[fund_type]] * _FACTOR_VOL[fund_type] / 100 / math.sqrt(TRADING_DAYS)
        raw = beta[rows, None] * factor + alpha[rows, None] + idio[rows, None] * noise[rows]
        if fund_type == "bond":
            raw += equity[rows, None] * market["mixed"]
        market[fund_type] = factor + _pin_drift(raw, beta[rows], fund_type)
        paths[rows] = raw + beta[rows, None] * (market[fund_type] - factor)
    return paths


def _metrics(log_returns: np.ndarray) -> dict[str, np.ndarray]:
    """Window returns, one-year drawdown and volatility (all percent) of each row's daily log returns."""
    out = {w: np.expm1(log_returns[:, -d:].sum(axis=1)) * 100 for w, d in _WINDOW_DAYS.items()}
    last_year = log_returns[:, -TRADING_DAYS:]
    nav = np.exp(np.concatenate([np.zeros((len(last_year), 1)), np.cumsum(last_year, axis=1)], axis=1))
    out["drawdown"] = (1 - nav / np.maximum.accumulate(nav, axis=1)).max(axis=1) * 100
    out["volatility"] = np.expm1(last_year).std(axis=1, ddof=1) * math.sqrt(TRADING_DAYS) * 100
    return out


def _risk_levels(volatility: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.array(RISK_VOL_THRESHOLDS), volatility, side="right") + 1


def _ages_in_days(rng: np.random.Generator, n: int) -> np.ndarray:
    shares = np.array([b[2] for b in REAL_AGE_BINS])
    bins = rng.choice(len(REAL_AGE_BINS), size=n, p=shares / shares.sum())
    lo, hi = (np.array([REAL_AGE_BINS[b][k] for b in bins]) for k in (0, 1))
    # A week at least: a fund listed on the shelf has finished its subscription period.
    return np.maximum(7, (rng.uniform(lo, hi) * 365.25).astype(int))


def _r(value: float) -> float:
    return round(float(value), 2)


def _fund_metrics(
    m: dict[str, np.ndarray], row: int, age_days: int, inception: date, money: bool
) -> dict[str, float | None]:
    """The reported metrics of one share class: a window is reported only when the fund existed through all of it."""
    has = {w: age_days >= d for w, d in _WINDOW_MIN_AGE.items()} | {"ytd": inception < _YEAR_START}
    out: dict[str, float | None] = {f"return_{w}": _r(m[w][row]) if has[w] else None for w in _WINDOW_DAYS}
    volatility = _r(m["volatility"][row])
    out["max_drawdown_1y"] = _r(m["drawdown"][row]) if has["1y"] else None
    out["volatility_1y"] = volatility if has["1y"] else None
    # A Sharpe ratio over a near-zero volatility is meaningless (and past the model's +-20 bound), so money funds
    # omit it as fund platforms do; the others use the rounded figures a reader can recompute.
    sharpe = has["1y"] and not money
    out["sharpe_1y"] = _r((out["return_1y"] - RISK_FREE) / volatility) if sharpe else None  # type: ignore[operator]
    return out


def generate_funds(seed: int) -> list[Fund]:
    """About 3,200 fictional fund share classes of all eight types, with metrics derived from simulated paths."""
    rng = _rng(seed, "funds")
    source = demo_source(seed)
    portfolios = _plan_portfolios(rng)
    n = len(portfolios)
    companies, managers = _staff(rng, n)
    paths = _simulate(rng, portfolios)
    risk = _risk_levels(_metrics(paths)["volatility"])
    age_days = _ages_in_days(rng, n)
    codes = rng.choice(np.arange(5_000, 500_000), size=n, replace=False) * 2  # even: a C class takes code + 1

    # Share-class rows: (portfolio, class, sales-service fee); a C class earns the portfolio's path minus its fee.
    classes: list[tuple[int, str | None, float]] = []
    rows_of: list[list[int]] = []
    for i, p in enumerate(portfolios):
        own: list[tuple[int, str | None, float]]
        if p.paired:
            own = [(i, "A", 0.0), (i, "C", _pick(rng, *SALES_SERVICE_FEES[p.fund_type]))]
        elif p.fund_type == "money":
            own = [(i, "A", MONEY_SALES_SERVICE_FEE) if rng.random() < 0.5 else (i, None, 0.0)]
        else:
            own = [(i, None, 0.0)]
        rows_of.append(list(range(len(classes), len(classes) + len(own))))
        classes += own
    owner = np.array([c[0] for c in classes])
    fee_drag = np.array([c[2] if c[1] == "C" else 0.0 for c in classes]) / 100 / TRADING_DAYS
    m = _metrics(paths[owner] - fee_drag[:, None])

    used: set[str] = set()  # membership only
    funds: list[Fund] = []
    for i, p in enumerate(portfolios):
        theme = p.style.themes[rng.integers(len(p.style.themes))]
        themes = [theme]
        if p.style.extra_themes and rng.random() < 0.5:
            themes.append(p.style.extra_themes[rng.integers(len(p.style.extra_themes))])
        stem = next(companies[i] + o for o in _name_options(rng, p.style, theme) if companies[i] + o not in used)
        used.add(stem)
        inception = AS_OF - timedelta(days=int(age_days[i]))
        mu, sd = REAL_SIZE_LOGNORMAL[p.fund_type]
        size = float(rng.lognormal(mu + (math.log(2) if p.paired else 0.0), sd))  # a pair holds two rows' worth
        a_share = float(rng.uniform(0.35, 0.8))
        front_fee = 0.0 if p.fund_type == "money" else _pick_counted(rng, REAL_PURCHASE_FEES[p.fund_type])
        common = {
            "source": source, "as_of": AS_OF, "fund_type": p.fund_type, "risk_level": int(risk[i]),
            "mgmt_fee": _pick(rng, *MGMT_FEES[p.fund_type]), "company": companies[i] + "基金",
            "managers": list(managers[i]), "themes": themes, "dca": bool(rng.random() < REAL_DCA_SHARE[p.fund_type]),
            "purchase_open": bool(rng.random() < PURCHASE_OPEN_SHARE), "inception_date": inception,
            "raw_type": RAW_TYPE[p.fund_type],
            # Money funds are bought from 1 yuan on platforms (assumption: the real shelf lists none).
            "min_purchase": 1.0 if p.fund_type == "money" else _pick_counted(rng, REAL_MIN_PURCHASE),
        }  # fmt: skip
        for k in rows_of[i]:
            _, share_class, service_fee = classes[k]
            front = front_fee if share_class != "C" else 0.0
            part = (a_share if share_class == "A" else 1 - a_share) if p.paired else 1.0
            funds.append(Fund(
                **common, **_fund_metrics(m, k, int(age_days[i]), inception, money=p.fund_type == "money"),
                code=f"{codes[i] + (share_class == 'C'):06d}", name=stem + (share_class or ""), share_class=share_class,
                purchase_fee=front, sales_service_fee=service_fee,
                purchase_fee_discounted=round(front * PLATFORM_FEE_DISCOUNT, 3) if front > 0 else None,
                size=max(0.01, _r(size * part)),
                pair_code=f"{codes[i] + (share_class == 'A'):06d}" if p.paired else None,
            ))  # fmt: skip
    return sorted(funds, key=lambda f: f.code)


# --------------------------------------------------------------------------------------------------------------
# Products, channels and offers: small hand-written catalogs (names match the bundled knowledge documents)
# --------------------------------------------------------------------------------------------------------------

_CC, _MC = ProductKind.consumer_credit, ProductKind.merchant_credit
_WEALTH, _INS = ProductKind.wealth, ProductKind.insurance
_PRODUCTS: tuple[dict[str, object], ...] = (
    # Consumer credit: apr is the highest rate a borrower can be charged, the figure loan marketing must show.
    dict(product_id="suixinfen", name="「随心分」先享后付额度", kind=_CC, daily_rate=0.05, apr=18.25, daily_rate_min=0.02, apr_min=7.3,
         interest_free_days=40, max_instalments=36, min_amount=500, max_amount=50_000,
         description="先消费后付款的消费额度，账单日前全额还款最长享 40 天免息；账单可分 3–36 期，分期按日计息，日利率 0.02%–0.05%，年化利率（单利）7.3%–18.25%。",
         eligibility="年满 18 周岁、完成实名认证；不向在校学生营销，不对有逾期的用户营销。"),
    dict(product_id="sujie", name="「速借」现金贷", kind=_CC, daily_rate=0.06, apr=21.9, daily_rate_min=0.02, apr_min=7.3, max_instalments=24,
         min_amount=500, max_amount=200_000,
         description="个人消费现金贷款，审批通过后发放到本人名下银行卡；日利率 0.02%–0.06%，年化利率（单利）7.3%–21.9%，可随时提前还款、无违约金。",
         eligibility="年满 22 周岁、有稳定收入、信用良好；在校学生和已有逾期的用户不予营销；不得用于购房、投资理财。"),
    dict(product_id="jiazhuang_fenqi", name="「安家」装修分期", kind=_CC, apr=9.0, max_instalments=60,
         min_amount=10_000, max_amount=300_000,
         description="合作家装商户的装修专项分期，款项直接支付给商户，最长 60 期，年化利率（单利）9.0%，按月等额还款。",
         eligibility="年满 22 周岁、有房产或租赁合同、信用良好的用户。"),
    # Merchant credit, sold by the day: apr = daily rate x 365 (simple interest).
    dict(product_id="shangjiadai", name="「商家贷」经营贷", kind=_MC, daily_rate=0.048, apr=17.52, max_instalments=12,
         min_amount=1_000, max_amount=2_000_000, term_days=360,
         description="面向网店和线下小微商家的无抵押经营贷款，额度参考近 12 个月月均销售额，最高 200 万元；按日计息、随借随还，标准日利率 0.048%，年化利率（单利）17.52%。例：借 30 万元用 90 天，利息 12,960 元。",
         eligibility="开业满 6 个月、经营正常的商家，店主年满 18 周岁且征信无严重逾期；不得用于投资理财或购房。"),
    dict(product_id="dingdandai", name="「订单贷」回款融资", kind=_MC, daily_rate=0.04, apr=14.6, min_amount=1_000,
         max_amount=500_000, term_days=90,
         description="以店铺已发货未结算的订单为依据提前回款，按日计息，日利率 0.04%，年化利率（单利）14.6%，订单结算后自动还款。",
         eligibility="在合作电商平台开店满 3 个月、近 3 个月月均销售额 1 万元以上的商家。"),
    dict(product_id="beihuodai", name="「备货贷」旺季备货", kind=_MC, daily_rate=0.035, apr=12.78, max_instalments=6,
         min_amount=10_000, max_amount=1_000_000, term_days=180,
         description="大促和旺季前的备货专项贷款，按日计息，日利率 0.035%，年化利率（单利）约 12.78%，可分 6 期还款。",
         eligibility="开业满 1 年、近 12 个月月均销售额 5 万元以上且无逾期的商家。"),
    dict(product_id="shangjia_yinhang", name="「商户银行贷」合作银行经营贷", kind=_MC, daily_rate=0.0115, apr=4.2,
         max_instalments=36, min_amount=50_000, max_amount=2_000_000, term_days=1080,
         description="与合作银行联合发放的经营贷款，日利率 0.0115%，年化利率（单利）约 4.2%，需银行审批，最长 3 年。",
         eligibility="经营满 2 年、近 12 个月月均销售额 20 万元以上、企业及实控人征信良好的商家。"),
    # Wealth.
    dict(product_id="huoqianying", name="「活钱盈」零钱理财", kind=_WEALTH, risk_level=1, expected_yield=1.5, min_amount=1,
         description="零钱理财服务，资金申购合作基金公司的货币基金，随时存取，收益每日结转；七日年化收益率会变动，不保本。",
         eligibility="完成风险测评的用户均可购买（C1 及以上）。"),
    dict(product_id="zhouzhouying", name="「周周盈」短期滚动理财", kind=_WEALTH, risk_level=2, expected_yield=2.1, term_days=7,
         min_amount=100, description="最短持有 7 天的短债理财，每周开放赎回，赎回资金 T+1 到账「活钱盈」；净值可能小幅下跌，不保本。",
         eligibility="风险测评 C2 及以上的投资者。"),
    dict(product_id="wenying_90d", name="「稳盈」90 天定期理财", kind=_WEALTH, risk_level=2, expected_yield=2.6, term_days=90,
         min_amount=1_000, description="90 天封闭期的固收类理财，业绩比较基准年化 2.4%–2.8%，不代表实际收益；封闭期内不能赎回，不保本。",
         eligibility="风险测评 C2 及以上、确定 90 天内不用这笔钱的投资者。"),
    dict(product_id="wenying_180d", name="「稳盈」180 天定期理财", kind=_WEALTH, risk_level=2, expected_yield=2.8, term_days=180,
         min_amount=1_000, description="180 天封闭期的固收类理财，业绩比较基准年化 2.6%–3.0%，不代表实际收益；封闭期内不能赎回，不保本。",
         eligibility="风险测评 C2 及以上、确定 180 天内不用这笔钱的投资者。"),
    dict(product_id="wenying_365d", name="「稳盈」365 天定期理财", kind=_WEALTH, risk_level=2, expected_yield=3.0, term_days=365,
         min_amount=1_000, description="一年封闭期的固收类理财，业绩比较基准年化 2.8%–3.2%，不代表实际收益；封闭期内不能赎回，不保本。",
         eligibility="风险测评 C2 及以上、确定一年内不用这笔钱的投资者。"),
    dict(product_id="anxiang_pension", name="「安享」养老理财", kind=_WEALTH, risk_level=2, expected_yield=4.5, term_days=1825,
         min_amount=1, max_amount=3_000_000,
         description="封闭期 5 年的养老理财，固收为主、少量权益增强，业绩比较基准年化 3.5%–5.5%（不构成收益承诺），设收益平滑机制，不保本。",
         eligibility="风险测评 C2 及以上、能接受 5 年不动用资金的投资者，主要面向 35 岁以上用户。"),
    dict(product_id="yinian_pension_fof", name="「颐年」养老目标基金组合", kind=_WEALTH, risk_level=3, min_amount=10,
         description="由养老目标日期基金（FOF）组成的个人养老金组合，越临近目标日期权益比例越低；持有期内不能赎回，不保本。",
         eligibility="风险测评 C3 及以上、已开立个人养老金账户的投资者。"),
    dict(product_id="youxuan_steady", name="「优选·稳健」基金组合", kind=_WEALTH, risk_level=2, min_amount=100,
         description="债券基金约 85%、权益约 15% 的基金组合，投资团队统一调仓，另收组合服务费 0.3%/年，不保本、不保收益。",
         eligibility="风险测评 C2 及以上的投资者。"),
    dict(product_id="youxuan_balanced", name="「优选·均衡」基金组合", kind=_WEALTH, risk_level=3, min_amount=100,
         description="股债各约一半的基金组合，投资团队统一调仓，另收组合服务费 0.3%/年，不保本、不保收益。",
         eligibility="风险测评 C3 及以上的投资者。"),
    dict(product_id="youxuan_growth", name="「优选·进取」基金组合", kind=_WEALTH, risk_level=4, min_amount=100,
         description="权益基金约 85% 的基金组合，波动较大，投资团队统一调仓，另收组合服务费 0.3%/年，不保本、不保收益。",
         eligibility="风险测评 C4 及以上的投资者。"),
    dict(product_id="ancun_deposit", name="「安存」银行智能存款", kind=_WEALTH, risk_level=1, expected_yield=2.1, term_days=1095, deposit_insured=True,
         min_amount=50, description="合作银行的三年期存款产品，按存期靠档计息，可提前支取（按活期或靠档利率计息），受存款保险保护。",
         eligibility="年满 18 周岁、完成实名认证并绑定本人银行卡的用户。"),
    dict(product_id="jin_jicun", name="「金积存」黄金积存", kind=_WEALTH, risk_level=3, min_amount=1,
         description="按克积存合作银行的账户黄金，可定投，价格随国际金价波动，可能亏损；卖出收取 0.3% 手续费。",
         eligibility="风险测评 C3 及以上的投资者。"),
    # Insurance.
    dict(product_id="antu_accident", name="「安途」意外险", kind=_INS, risk_level=1, min_amount=100, term_days=365,
         description="一年期综合意外险，意外身故伤残保额 50 万元，意外医疗 5 万元（免赔 100 元），成人每年约 100 元。",
         eligibility="18–65 周岁、职业类别 1–4 类的用户；高危职业不可投保。"),
    dict(product_id="kanghu_medical", name="「康护」百万医疗险", kind=_INS, risk_level=1, min_amount=100, term_days=365,
         description="一年期百万医疗险，一般医疗年度保额 300 万元、年免赔额 1 万元，重大疾病医疗 0 免赔；等待期 30 天，须如实健康告知。",
         eligibility="出生满 30 天至 65 周岁、能如实通过健康告知的用户。"),
    dict(product_id="shouhu_critical_illness", name="「守护」重疾险", kind=_INS, risk_level=1, min_amount=1_000,
         description="长期重大疾病保险，确诊合同约定的 120 种重疾给付 100% 保额，轻中症分别给付 30%、60%；等待期 90 天。",
         eligibility="18–55 周岁、收入稳定、能如实通过健康告知的用户；建议先配置医疗险和意外险。"),
    dict(product_id="yuexiang_annuity", name="「悦享」年金险", kind=_INS, risk_level=2, min_amount=10_000,
         description="个人养老年金保险，约定年龄起按年或按月终身领取，保证领取 20 年；演示利益中的非保证部分不保证，早期退保会损失本金。",
         eligibility="18–60 周岁、收入稳定、有长期养老规划的用户；面向 50 岁以上用户须讲清缴费总额与退保损失。"),
)  # fmt: skip


def generate_products(seed: int) -> list[Product]:
    """Fictional credit, wealth and insurance products (the seed only labels the source: the catalog is fixed)."""
    source = demo_source(seed)
    return [Product(source=source, as_of=AS_OF, **spec) for spec in _PRODUCTS]


_CHANNELS: tuple[tuple[str, str, str, float, float, int, str | None], ...] = (
    # (id, name, kind, yuan per touch, click or answer rate, touches a day, reachability tag); copy limits and caps
    # are the channel policy's (assistant/compliance/channels.toml), not market data
    ("app_push", "App 推送", "push", 0.002, 0.02, 3_000_000, "push_reachable"),
    ("sms", "营销短信", "sms", 0.045, 0.012, 1_000_000, "sms_reachable"),
    ("wechat_service", "微信服务号消息", "wechat", 0.01, 0.04, 500_000, "wechat_reachable"),
    ("wechat_work", "企业微信顾问", "wechat", 0.5, 0.08, 20_000, "wechat_reachable"),
    ("wechat_moments_ad", "微信朋友圈广告", "ad", 0.08, 0.008, 800_000, "wechat_reachable"),
    ("mini_program", "小程序订阅消息", "wechat", 0.001, 0.03, 400_000, "wechat_reachable"),
    ("home_banner", "首页轮播 banner", "banner", 0.002, 0.008, 2_000_000, None),
    ("wealth_banner", "理财频道 banner", "banner", 0.002, 0.015, 600_000, None),
    ("repay_banner", "还款成功页 banner", "banner", 0.002, 0.025, 300_000, None),
    ("splash_screen", "开屏广告", "ad", 0.01, 0.012, 1_500_000, None),
    ("popup", "首页弹窗", "popup", 0.003, 0.05, 800_000, None),
    ("in_app_message", "站内信", "in_app_message", 0.0005, 0.03, 2_000_000, None),
    ("outbound_call", "人工外呼", "outbound_call", 2.0, 0.35, 8_000, None),
    ("ai_call", "智能语音外呼", "outbound_call", 0.15, 0.2, 100_000, None),
    ("email", "电子邮件", "email", 0.001, 0.004, 1_000_000, None),
    ("feed_ad", "信息流广告", "feed", 0.03, 0.01, 1_000_000, None),
)  # fmt: skip


def generate_channels(seed: int) -> list[Channel]:
    """Ways to reach users with realistic unit costs; click rates vary a little with the seed."""
    rng = _rng(seed, "channels")
    source = demo_source(seed)
    return [
        Channel(source=source, as_of=AS_OF, channel_id=cid, name=name, kind=kind, unit_cost=cost,
                ctr=round(ctr * float(rng.uniform(0.9, 1.1)), 4), daily_capacity=cap, reach_tag=tag)
        for cid, name, kind, cost, ctr, cap, tag in _CHANNELS
    ]  # fmt: skip


_ALL_FUNDS = tuple(f"fund:{t}" for t in FUND_TYPES)
_BUY_FUNDS = ("fund:stock", "fund:mixed", "fund:bond", "fund:index", "fund:qdii", "fund:fof", "fund:other")
_CREDIT = ("consumer_credit", "merchant_credit")
_OFFERS: tuple[tuple[str, str, str, float, str, float, tuple[str, ...]], ...] = (
    # (id, name, kind, value, unit, cost per redemption in yuan, applies to product kinds / fund types)
    ("cash_1514", "理财新客红包 15.14 元", "cash_subsidy", 15.14, "yuan", 15.14, ("wealth", *_ALL_FUNDS)),
    ("cash_1988", "理财新客红包 19.88 元", "cash_subsidy", 19.88, "yuan", 19.88, ("wealth", *_ALL_FUNDS)),
    ("cash_520", "签到红包 5.20 元", "cash_subsidy", 5.2, "yuan", 5.2, ("wealth", "fund:money", "consumer_credit")),
    ("cash_888", "定投首期红包 8.88 元", "cash_subsidy", 8.88, "yuan", 8.88, _BUY_FUNDS),
    ("cash_50_merchant", "商家首借红包 50 元", "cash_subsidy", 50.0, "yuan", 50.0, ("merchant_credit",)),
    ("fee_1zhe", "基金申购费 1 折", "fee_discount", 90.0, "percent", 4.0, _BUY_FUNDS),
    ("fee_free", "基金申购费 0 折（免申购费）", "fee_discount", 100.0, "percent", 6.0, _BUY_FUNDS),
    ("dca_fee_free_3", "定投前 3 期免申购费", "fee_discount", 100.0, "percent", 2.5, _BUY_FUNDS),
    ("interest_free_7d", "借款 7 天免息券", "interest_free", 7.0, "days", 10.5, _CREDIT),
    ("interest_free_30d", "借款 30 天免息券", "interest_free", 30.0, "days", 45.0, ("consumer_credit",)),
    ("bnpl_instalment_free_3", "分期前 3 期免息", "interest_free", 90.0, "days", 38.0, ("consumer_credit",)),
    ("rate_8zhe", "借款利率 8 折券", "rate_discount", 20.0, "percent", 30.0, _CREDIT),
    ("merchant_rate_9zhe", "商家贷利率 9 折（30 天）", "rate_discount", 10.0, "percent", 120.0, ("merchant_credit",)),
    ("coupon_1000_10", "理财满 1,000 减 10 元", "coupon", 10.0, "yuan", 10.0, ("wealth", "fund:bond", "fund:money")),
    ("coupon_dca_5", "定投满 100 减 5 元", "coupon", 5.0, "yuan", 5.0, _BUY_FUNDS),
    ("yield_boost_05", "理财加息券 +0.5%（30 天）", "coupon", 0.5, "percent", 2.1, ("wealth",)),
    ("insurance_first_month", "医疗险首月 1 元", "coupon", 24.0, "yuan", 24.0, ("insurance",)),
    ("points_500", "500 积分", "points", 500.0, "points", 5.0, ("wealth", "insurance", *_ALL_FUNDS, *_CREDIT)),
    ("points_double", "当月双倍积分", "points", 1000.0, "points", 10.0, ("wealth", *_ALL_FUNDS, "consumer_credit")),
    ("gift_phone_10", "10 元话费", "gift", 10.0, "yuan", 9.5, ("wealth", *_ALL_FUNDS, "consumer_credit", "insurance")),
    ("gift_video_vip", "视频会员月卡", "gift", 25.0, "yuan", 12.0, ("wealth", *_ALL_FUNDS, "consumer_credit")),
    ("lottery_100", "幸运抽奖（最高 100 元）", "lottery", 100.0, "yuan", 3.0, ("wealth", *_ALL_FUNDS, "consumer_credit")),
    ("lottery_gold", "抽 1 克黄金", "lottery", 600.0, "yuan", 2.5, ("wealth", *_ALL_FUNDS)),
)  # fmt: skip


def generate_offers(seed: int) -> list[Offer]:
    """Incentive types a campaign can attach (the seed only labels the source: the catalog is fixed)."""
    source = demo_source(seed)
    return [
        Offer(source=source, as_of=AS_OF, offer_id=oid, name=name, kind=kind, value=value, unit=unit,
              cost_per_redemption=cost, applies_to=list(applies))
        for oid, name, kind, value, unit, cost, applies in _OFFERS
    ]  # fmt: skip


# --------------------------------------------------------------------------------------------------------------
# Historical campaigns
# --------------------------------------------------------------------------------------------------------------

N_CAMPAIGNS = 360
_CAMPAIGN_FIRST, _CAMPAIGN_LAST_START = date(2024, 1, 1), date(2026, 10, 1)

_FUND_TARGETS: dict[str, tuple[str, int, float]] = {
    "fund:money": ("货币基金", 1, 5_000), "fund:bond": ("债券基金", 2, 20_000), "fund:fof": ("FOF 基金", 3, 15_000),
    "fund:mixed": ("混合基金", 4, 10_000), "fund:index": ("指数基金定投", 4, 3_000), "fund:stock": ("股票基金", 4, 8_000),
    "fund:qdii": ("QDII 基金", 4, 8_000),
}  # fmt: skip
"""Fund-type targets: label, the investor grade a campaign for them requires, mean purchase per conversion (yuan)."""

_TICKETS: dict[str, float] = {
    "suixinfen": 1_500, "sujie": 8_000, "jiazhuang_fenqi": 60_000, "shangjiadai": 150_000, "dingdandai": 40_000,
    "beihuodai": 200_000, "shangjia_yinhang": 500_000, "huoqianying": 3_000, "zhouzhouying": 8_000,
    "wenying_90d": 30_000, "wenying_180d": 30_000, "wenying_365d": 40_000, "anxiang_pension": 50_000,
    "yinian_pension_fof": 6_000, "youxuan_steady": 10_000, "youxuan_balanced": 10_000, "youxuan_growth": 10_000,
    "ancun_deposit": 50_000, "jin_jicun": 2_000,
}  # fmt: skip
"""Mean amount bought or drawn per conversion, yuan (insurance premiums count as neither AUM nor loans)."""

_MERCHANT_MIN_SALES = {"shangjiadai": 5_000, "dingdandai": 10_000, "beihuodai": 50_000, "shangjia_yinhang": 200_000}
"""Monthly sales (yuan) a merchant needs for each merchant loan, as its eligibility says."""

_GOALS: dict[str, tuple[str, float, str, tuple[str, ...], tuple[str, ...]]] = {
    # goal: (label, conversion rate of clicks, segment rule, targets, channels)
    "acquire": ("拉新", 0.06, "aum_band in ('0','<1k') and monthly_active = true",
                ("huoqianying", "fund:money", "fund:index", "suixinfen", "sujie", "shangjiadai", "zhouzhouying", "antu_accident"),
                ("home_banner", "splash_screen", "feed_ad", "wechat_moments_ad", "app_push", "popup", "repay_banner")),
    "activate": ("促活", 0.12, "days_since_login > 30 and days_since_login <= 90",
                 ("fund:index", "fund:money", "huoqianying", "suixinfen", "kanghu_medical", "fund:mixed", "dingdandai"),
                 ("app_push", "in_app_message", "popup", "sms", "wechat_service", "mini_program")),
    "convert": ("转化", 0.09, "monthly_active = true and aum_band in ('1k-10k','10k-50k','50k-200k')",
                ("fund:bond", "fund:mixed", "fund:index", "wenying_90d", "wenying_180d", "fund:fof", "sujie", "shangjiadai",
                 "beihuodai", "youxuan_steady", "youxuan_balanced", "jiazhuang_fenqi"),
                ("app_push", "wealth_banner", "wechat_work", "popup", "sms", "ai_call", "outbound_call")),
    "retain": ("留存", 0.15, "monthly_active = true and aum_band in ('10k-50k','50k-200k','200k-1m','1m+')",
               ("fund:bond", "fund:mixed", "wenying_365d", "anxiang_pension", "fund:stock", "yuexiang_annuity",
                "youxuan_growth", "ancun_deposit", "shangjia_yinhang"),
               ("wechat_work", "wechat_service", "app_push", "in_app_message", "outbound_call", "email")),
    "win_back": ("沉睡召回", 0.05, "days_since_login > 180",
                 ("huoqianying", "fund:money", "suixinfen", "sujie", "fund:index", "shangjiadai"),
                 ("sms", "ai_call", "outbound_call", "wechat_service", "email")),
    "cross_sell": ("交叉销售", 0.07, "products_held contains 'suixinfen' and aum_band in ('0','<1k')",
                   ("huoqianying", "fund:bond", "wenying_90d", "zhouzhouying", "fund:fof", "kanghu_medical",
                    "shouhu_critical_illness", "fund:qdii", "yinian_pension_fof", "jin_jicun"),
                   ("repay_banner", "app_push", "popup", "wealth_banner", "wechat_service", "sms")),
}  # fmt: skip

_FAMILY_CONVERSION = {"fund": 0.9, "wealth": 1.0, "consumer_credit": 1.3, "merchant_credit": 0.8, "insurance": 0.5}
_REACH_RANGE: dict[str, tuple[float, float]] = {
    "push": (2e4, 8e5), "sms": (1e4, 3e5), "wechat": (5e3, 1.5e5), "ad": (5e4, 1e6), "banner": (5e4, 1.5e6),
    "popup": (2e4, 4e5), "in_app_message": (2e4, 5e5), "outbound_call": (1e3, 2e4), "email": (1e4, 2e5), "feed": (5e4, 1e6),
}  # fmt: skip
"""Users one campaign reaches through a channel of each kind (drawn log-uniformly, capped by daily capacity)."""
_FAMILY_REACH = {"merchant_credit": 0.1}
"""Merchants are a few percent of users: their campaigns reach that much fewer people."""
_PERSONAL = ("outbound_call", "wechat_work")
"""Channels where a person talks to the user: a click (an answered call) converts twice as often."""

_OFFER_LIFT: dict[str, tuple[float, float]] = {
    "cash_subsidy": (1.10, 1.20), "fee_discount": (1.08, 1.15), "interest_free": (1.12, 1.25), "rate_discount": (1.06, 1.15),
    "coupon": (1.05, 1.10), "points": (1.02, 1.03), "gift": (1.04, 1.05), "lottery": (1.06, 1.05),
}  # fmt: skip
"""Multipliers on click rate and on conversion rate by offer kind."""
_ODD_SUBSIDY_CLICK_LIFT = 1.18
"""The odd 15.14-yuan subsidy out-clicked the habitual 19.88 (the platform's own experiment): the history shows it."""


def demo_ticket(target: str) -> float:
    """Mean amount bought or drawn per conversion of a demo product or fund:TYPE target (yuan; 5,000 when unknown)."""
    return _FUND_TARGETS[target][2] if target in _FUND_TARGETS else _TICKETS.get(target, 5_000.0)


def _target_family(target: str, products: dict[str, Product]) -> str:
    return "fund" if target.startswith("fund:") else products[target].kind.value


def _required_grade(target: str, products: dict[str, Product]) -> int:
    return _FUND_TARGETS[target][1] if target in _FUND_TARGETS else products[target].risk_level or 1


def _segment_rule(
    rng: np.random.Generator, goal: str, targets: list[str], products: dict[str, Product], channels: list[Channel]
) -> str:
    """A readable selection rule: the goal's condition plus what the products and the channel require."""
    parts = [_GOALS[goal][2]]
    main = targets[0]
    family = _target_family(main, products)
    if goal == "retain":
        parts.append(f"products_held contains '{main}'")
    if family in ("fund", "wealth"):  # suitability: every target's R grade within every user's C grade
        parts.append(f"risk_grade >= {max(_required_grade(t, products) for t in targets)}")
    elif family == "merchant_credit":
        parts.append(f"is_merchant = true and merchant_monthly_sales >= {max(_MERCHANT_MIN_SALES[t] for t in targets)}")
    elif family == "consumer_credit":
        parts.append("age_band in ('25-34','35-44','45-54')" if main != "suixinfen" else "age_band != '65+'")
    elif family == "insurance":
        parts.append("age_band in ('25-34','35-44','45-54')")
    if rng.random() < 0.3:
        parts.append(f"city_tier <= {int(rng.integers(1, 4))}")
    if len(channels) == 1 and channels[0].reach_tag:
        parts.append(f"{channels[0].reach_tag} = true")
    return " and ".join(parts)


def generate_campaigns(
    seed: int, products: list[Product], channels: list[Channel], offers: list[Offer]
) -> list[CampaignRecord]:
    """Past campaigns, 2024-01 to 2026-10, with funnels drawn from channel click rates and cost that adds up."""
    rng = _rng(seed, "campaigns")
    source = demo_source(seed)
    by_product = {p.product_id: p for p in products}
    by_channel = {c.channel_id: c for c in channels}
    goals = list(_GOALS)
    span = (_CAMPAIGN_LAST_START - _CAMPAIGN_FIRST).days
    drafts: list[tuple[date, dict[str, object]]] = []
    for k in range(N_CAMPAIGNS):
        goal = goals[k % len(goals)]  # every goal equally often
        label, conversion_rate, _, targets, channel_ids = _GOALS[goal]
        main = targets[rng.integers(len(targets))]
        family = _target_family(main, by_product)
        chosen = [main]
        same = [t for t in targets if t != main and _target_family(t, by_product) == family]
        if same and rng.random() < 0.2:
            chosen.append(same[rng.integers(len(same))])
        picks = rng.choice(len(channel_ids), size=int(rng.integers(1, 4)), replace=False)
        picked = [by_channel[channel_ids[i]] for i in sorted(picks)]
        key = main if family == "fund" else family
        usable = [o for o in offers if key in o.applies_to]
        offer = None
        if usable and rng.random() < 0.75:
            # The two new-customer subsidies were the platform's standing A/B pair: they were tried most often.
            weights = np.array([3.0 if o.offer_id in ("cash_1514", "cash_1988") else 1.0 for o in usable])
            offer = usable[rng.choice(len(usable), p=weights / weights.sum())]
        click_lift, conversion_lift = _OFFER_LIFT[offer.kind] if offer else (1.0, 1.0)
        if offer is not None and offer.offer_id == "cash_1514":
            click_lift = _ODD_SUBSIDY_CLICK_LIFT

        start = _CAMPAIGN_FIRST + timedelta(days=int(rng.integers(0, span + 1)))
        days = int(rng.integers(3, 29))
        reach = clicks = conversions = 0
        touch_cost = 0.0
        for channel in picked:
            lo, hi = _REACH_RANGE[channel.kind]
            drawn = math.exp(rng.uniform(math.log(lo), math.log(hi))) * _FAMILY_REACH.get(family, 1.0)
            n = int(min(drawn, channel.daily_capacity * days))
            c = int(rng.binomial(n, min(1.0, channel.ctr * click_lift * rng.lognormal(0.0, 0.25))))
            personal = 2.0 if channel.channel_id in _PERSONAL else 1.0
            rate = conversion_rate * _FAMILY_CONVERSION[family] * conversion_lift * personal
            reach, clicks = reach + n, clicks + c
            conversions += int(rng.binomial(c, min(1.0, rate * rng.lognormal(0.0, 0.3))))
            touch_cost += n * channel.unit_cost
        cost = round(touch_cost + conversions * (offer.cost_per_redemption if offer else 0.0), 2)
        ticket = float(np.mean([_FUND_TARGETS[t][2] if t in _FUND_TARGETS else _TICKETS.get(t, 0.0) for t in chosen]))
        amount = round(conversions * ticket * float(rng.lognormal(0.0, 0.35)), 2)
        names = "、".join(_FUND_TARGETS[t][0] if t in _FUND_TARGETS else by_product[t].name for t in chosen)
        drafts.append((start, dict(
            name=f"{start.year}年{start.month}月 {names}{label}（{'+'.join(c.name for c in picked)}）", goal=goal,
            product_ids=chosen, segment_rule=_segment_rule(rng, goal, chosen, by_product, picked),
            channel_ids=[c.channel_id for c in picked], offer_id=offer.offer_id if offer else None,
            start=start, end=start + timedelta(days=days - 1),
            budget=float(max(100, math.ceil(cost * rng.uniform(1.0, 1.35) / 100) * 100)),
            reach=reach, clicks=clicks, conversions=conversions, cost=cost,
            aum=amount if family in ("fund", "wealth") else 0.0,
            loan_volume=amount if family in ("consumer_credit", "merchant_credit") else 0.0,
        )))  # fmt: skip
    drafts.sort(key=lambda d: d[0])  # stable: same-day campaigns keep their draw order
    return [
        CampaignRecord(source=source, as_of=AS_OF, campaign_id=f"cmp_{i + 1:04d}", **fields)
        for i, (_, fields) in enumerate(drafts)
    ]


# --------------------------------------------------------------------------------------------------------------
# Users (tag table), built column by column
# --------------------------------------------------------------------------------------------------------------

_AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
_AGE_SHARE = (0.13, 0.32, 0.25, 0.16, 0.09, 0.05)
_CITY_TIER_SHARE = (0.12, 0.20, 0.25, 0.23, 0.20)
_RISK_BY_AGE = (
    (0.08, 0.22, 0.35, 0.22, 0.13), (0.07, 0.20, 0.35, 0.25, 0.13), (0.10, 0.25, 0.35, 0.20, 0.10),
    (0.15, 0.30, 0.33, 0.15, 0.07), (0.25, 0.35, 0.28, 0.09, 0.03), (0.40, 0.35, 0.20, 0.04, 0.01),
)  # fmt: skip
"""Share of C1..C5 per age band: older users answer the questionnaire more conservatively."""
RISK_MISSING_SHARE = 0.08
"""Users who never took the risk questionnaire (they can hold no investment, so their AUM is 0)."""
_AUM_ZERO_SHARE = 0.25
_AUM_MEDIAN_BY_AGE = (3_000, 8_000, 15_000, 25_000, 35_000, 40_000)
"""Median AUM (yuan) of users holding anything, per age band; log-normal with _AUM_LOG_SD."""
_AUM_LOG_SD = 1.9
_AUM_BANDS = ("0", "<1k", "1k-10k", "10k-50k", "50k-200k", "200k-1m", "1m+")
_AUM_EDGES = (1_000, 10_000, 50_000, 200_000, 1_000_000)
MERCHANT_SHARE = 0.06
_AGE_RANGE = ((18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 80))
"""Exact ages, drawn uniformly inside each band, so a brief's 25到40岁 is a condition on `age`, not on bands."""
_STUDENT_BY_AGE = (0.45, 0.03, 0.0, 0.0, 0.0, 0.0)
_CREDIT_LINE_WITHOUT_LOAN = (0.06, 0.14, 0.14, 0.10, 0.05, 0.0)
"""Share of users per age band granted a credit line they never drew on (已授信未提款)."""
_OVERDUE_SHARE = 0.04
"""Borrowers with a loan overdue now."""
_OVERDUE_PAST_SHARE = 0.06
"""Borrowers not overdue now who were overdue in the last two years (days since then uniform over 1–730). An
assumption, as are the shares around it: no public figure gives them per user; they make the exclusions count."""
_INCOME_DROP_BY_AGE = (0.02, 0.04, 0.04, 0.05, 0.04, 0.01)
"""Share per age band whose income fell in the last 90 days (the platform sees salary deposits drop by a third)."""
_CREDIT_PRODUCTS = ("suixinfen", "sujie", "jiazhuang_fenqi", "shangjiadai", "dingdandai", "beihuodai", "shangjia_yinhang")
_MERCHANT_SALES_MEDIAN, _MERCHANT_SALES_LOG_SD = 30_000, 1.2

_INVESTMENTS: tuple[tuple[str, int, float], ...] = (
    # (held label, investor grade it needs, base chance among users with assets)
    ("huoqianying", 1, 0.55), ("fund:money", 1, 0.25), ("ancun_deposit", 1, 0.03), ("zhouzhouying", 2, 0.10),
    ("wenying_90d", 2, 0.06), ("wenying_180d", 2, 0.05), ("wenying_365d", 2, 0.05), ("fund:bond", 2, 0.25),
    ("youxuan_steady", 2, 0.04), ("anxiang_pension", 2, 0.03), ("fund:fof", 3, 0.04), ("youxuan_balanced", 3, 0.03),
    ("jin_jicun", 3, 0.04), ("fund:mixed", 4, 0.22), ("fund:index", 4, 0.22), ("youxuan_growth", 4, 0.03),
    ("fund:stock", 4, 0.10), ("fund:qdii", 4, 0.06),
)  # fmt: skip
_OTHER_HOLDINGS: tuple[tuple[str, tuple[float, ...], bool], ...] = (
    # (held label, chance per age band, merchants only)
    ("suixinfen", (0.35, 0.35, 0.35, 0.2, 0.2, 0.05), False), ("sujie", (0.0, 0.08, 0.08, 0.06, 0.03, 0.0), False),
    ("jiazhuang_fenqi", (0.0, 0.01, 0.015, 0.01, 0.0, 0.0), False),
    ("shangjiadai", (0.35,) * 6, True), ("dingdandai", (0.12,) * 6, True), ("beihuodai", (0.08,) * 6, True),
    ("shangjia_yinhang", (0.03,) * 6, True),
    ("antu_accident", (0.06, 0.06, 0.06, 0.06, 0.06, 0.0), False), ("kanghu_medical", (0.08, 0.12, 0.12, 0.1, 0.08, 0.02), False),
    ("shouhu_critical_illness", (0.0, 0.03, 0.04, 0.03, 0.0, 0.0), False),
    ("yuexiang_annuity", (0.0, 0.0, 0.015, 0.02, 0.02, 0.0), False),
)  # fmt: skip


def _users_schema() -> pa.Schema:
    return pa.schema([
        ("user_id", pa.string()), ("age_band", pa.string()), ("city_tier", pa.int8()), ("risk_grade", pa.int8()),
        ("aum_band", pa.string()), ("aum", pa.float64()), ("products_held", pa.list_(pa.string())),
        ("days_since_login", pa.int32()), ("monthly_active", pa.bool_()), ("push_reachable", pa.bool_()),
        ("sms_reachable", pa.bool_()), ("wechat_reachable", pa.bool_()), ("is_merchant", pa.bool_()),
        ("merchant_monthly_sales", pa.float64()), ("age", pa.int16()), ("days_since_signup", pa.int32()),
        ("credit_granted", pa.bool_()), ("is_student", pa.bool_()), ("has_overdue", pa.bool_()),
        ("days_since_overdue", pa.int32()), ("income_drop", pa.bool_()), ("source", pa.string()), ("as_of", pa.date32()),
    ])  # fmt: skip


_HOLDINGS_BLOCK = 65_536


def _holding_chance(age: np.ndarray, grade: np.ndarray, aum: np.ndarray, merchant: np.ndarray, n_labels: int) -> np.ndarray:
    """Each user's chance to hold each product, shape (users, labels)."""
    # Richer users hold more kinds of products.
    breadth = np.clip(0.5 + 0.25 * np.log10(np.maximum(aum, 1.0) / 1_000), 0.3, 1.6)
    chance = np.empty((n_labels, len(age)))
    for j, (label, needs, base) in enumerate(_INVESTMENTS):
        allowed = (aum > 0) & (grade >= needs) & ((label != "anxiang_pension") | (age >= 2))
        chance[j] = np.where(allowed, base * breadth, 0.0)
    for j, (_, by_age, merchants_only) in enumerate(_OTHER_HOLDINGS, start=len(_INVESTMENTS)):
        chance[j] = np.array(by_age)[age] * (merchant if merchants_only else 1.0)
    return chance.T


def _holdings(
    rng: np.random.Generator, age: np.ndarray, grade: np.ndarray, aum: np.ndarray, merchant: np.ndarray
) -> pa.ListArray:
    """What each user holds: investments only within their grade and only with assets, credit and insurance by age."""
    n = len(age)
    labels = [h[0] for h in _INVESTMENTS] + [h[0] for h in _OTHER_HOLDINGS]
    held = np.empty((n, len(labels)), dtype=bool)
    # In blocks that stay in the CPU's cache: whole-table temporaries made this the slowest part of a first start.
    # The generator fills arrays in order, so block by block it draws exactly the numbers one big draw would.
    for lo in range(0, n, _HOLDINGS_BLOCK):
        block = slice(lo, min(n, lo + _HOLDINGS_BLOCK))
        chance = _holding_chance(age[block], grade[block], aum[block], merchant[block], len(labels))
        held[block] = rng.random((len(chance), len(labels))) < chance
    # Assets sit somewhere: a user with AUM and no investment drawn keeps it in the cash product.
    held[:, 0] |= (aum > 0) & ~held[:, : len(_INVESTMENTS)].any(axis=1)
    rows, cols = np.nonzero(held)  # row-major: each user's labels in catalog order
    offsets = np.concatenate([[0], np.cumsum(held.sum(axis=1))]).astype(np.int32)
    # Arrow picks the labels itself: millions of Python strings made the table several times slower.
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(labels, pa.string()).take(pa.array(cols)))


def generate_users(seed: int, n: int = DEFAULT_N_USERS) -> pa.Table:
    """A tag table of `n` fictional users with the UserTags columns, correlated the way real tags are."""
    rng = _rng(seed, "users")
    age = rng.choice(len(_AGE_BANDS), size=n, p=_AGE_SHARE)
    city = rng.choice(len(_CITY_TIER_SHARE), size=n, p=_CITY_TIER_SHARE) + 1
    cumulative = np.cumsum(np.array(_RISK_BY_AGE), axis=1)[age]
    grade = (rng.random(n)[:, None] > cumulative[:, :-1]).sum(axis=1) + 1
    no_grade = rng.random(n) < RISK_MISSING_SHARE
    has_assets = (rng.random(n) >= _AUM_ZERO_SHARE) & ~no_grade
    drawn = rng.lognormal(np.log(np.array(_AUM_MEDIAN_BY_AGE)[age]), _AUM_LOG_SD)
    aum = np.where(has_assets, np.round(np.maximum(drawn, 1.0), 2), 0.0)
    band = np.where(aum > 0, np.searchsorted(np.array(_AUM_EDGES), aum, side="right") + 1, 0)
    merchant = (rng.random(n) < MERCHANT_SHARE * np.where((age >= 1) & (age <= 3), 1.3, 0.55))
    sales = np.round(rng.lognormal(math.log(_MERCHANT_SALES_MEDIAN), _MERCHANT_SALES_LOG_SD, n), 2)
    active = rng.random(n) < np.where(has_assets, 0.65, 0.5)
    recent, dormant = np.minimum(30, rng.exponential(6.0, n)), np.minimum(1_500, 31 + rng.exponential(150.0, n))
    days = np.where(active, recent, dormant).astype(np.int32)
    wechat_age = (age >= 1) & (age <= 3)
    held = _holdings(rng, age, np.where(no_grade, 0, grade), aum, merchant)
    columns = {
        "user_id": pc.binary_join_element_wise("u", pc.utf8_lpad(pa.array(np.arange(1, n + 1)).cast(pa.string()), 7, "0"), ""),
        "age_band": pa.array(np.array(_AGE_BANDS, dtype=object)[age], pa.string()),
        "city_tier": pa.array(city.astype(np.int8)),
        "risk_grade": pa.array(grade.astype(np.int8), mask=no_grade),
        "aum_band": pa.array(np.array(_AUM_BANDS, dtype=object)[band], pa.string()),
        "aum": pa.array(aum),
        "products_held": held,
        "days_since_login": pa.array(days),
        "monthly_active": pa.array(days <= 30),
        "push_reachable": pa.array(rng.random(n) < np.where(active, 0.75, 0.45)),
        "sms_reachable": pa.array(rng.random(n) < 0.93),
        "wechat_reachable": pa.array(rng.random(n) < np.where(wechat_age, 0.6, 0.45)),
        "is_merchant": pa.array(merchant),
        "merchant_monthly_sales": pa.array(sales, mask=~merchant),
    }  # fmt: skip
    # Drawn after every older column, so adding these left the older columns byte-identical for a seed.
    columns.update(_life_tags(rng, age, days, aum, held))
    columns.update({
        "source": pa.repeat(pa.scalar(demo_source(seed), pa.string()), n),
        "as_of": pa.repeat(pa.scalar(AS_OF, pa.date32()), n),
    })  # fmt: skip
    return pa.Table.from_pydict(columns, schema=_users_schema())


def _life_tags(rng: np.random.Generator, age: np.ndarray, days: np.ndarray, aum: np.ndarray, held: pa.ListArray) -> dict[str, pa.Array]:
    """Exact age, tenure, credit line, student and overdue status: the audiences briefs name that bands cannot hold."""
    n = len(age)
    low, high = np.array([r[0] for r in _AGE_RANGE])[age], np.array([r[1] for r in _AGE_RANGE])[age]
    exact = low + np.floor(rng.random(n) * (high - low + 1)).astype(int)
    # Nobody logs in before signing up; users with no assets are more often recent sign-ups.
    tenure = days + np.where((aum == 0) & (rng.random(n) < 0.4), rng.exponential(40.0, n), rng.exponential(700.0, n)).astype(np.int32)
    tenure = np.minimum(tenure, 3_650)  # the platform is ten years old (logins are at most ~1,500 days back)
    borrower = np.zeros(n, dtype=bool)
    for product in _CREDIT_PRODUCTS:
        borrower |= _holds(held, product)
    granted = borrower | (rng.random(n) < np.array(_CREDIT_LINE_WITHOUT_LOAN)[age])
    student = rng.random(n) < np.array(_STUDENT_BY_AGE)[age]
    overdue = borrower & (rng.random(n) < _OVERDUE_SHARE)
    # Drawn after the older tags, so adding them left those byte-identical for a seed.
    past = borrower & ~overdue & (rng.random(n) < _OVERDUE_PAST_SHARE)
    since = np.where(overdue, 0, np.where(past, 1 + np.floor(rng.random(n) * 730), -1)).astype(np.int32)
    dropped = rng.random(n) < np.array(_INCOME_DROP_BY_AGE)[age]
    return {"age": pa.array(exact.astype(np.int16)), "days_since_signup": pa.array(tenure.astype(np.int32)),
            "credit_granted": pa.array(granted), "is_student": pa.array(student), "has_overdue": pa.array(overdue),
            "days_since_overdue": pa.array(since, mask=since < 0), "income_drop": pa.array(dropped)}  # fmt: skip


def _holds(held: pa.ListArray, product: str) -> np.ndarray:
    """Per user, whether their holdings list contains `product` (a prefix sum over the flat list, no Python loop)."""
    flat = pc.equal(held.values, product).to_numpy(zero_copy_only=False)
    offsets = held.offsets.to_numpy()
    hits = np.concatenate([[0], np.cumsum(flat)])
    return (hits[offsets[1:]] - hits[offsets[:-1]]) > 0


# --------------------------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------------------------

_README = """{label}: FICTIONAL DATA
=====================================

Everything in this folder is fictional: fund companies, managers, funds, products, channels,
offers, campaigns and users are made up. Nothing here is investment advice or describes a
real fund, product or person.

Generated by finpilot (retrieval/_demo.py) with seed {seed}; the same seed always gives
byte-identical files. All records are dated {as_of}.

The fund shelf is calibrated on a public 2019 Chinese mutual-fund shelf (5,222 funds listed
on 2019-08-30): its type mix, purchase fees, return ranges per type, fund sizes, minimum
purchases and share of A/C share classes. Money funds and management fees are assumptions.
Each portfolio's returns, drawdown, volatility and Sharpe ratio come from one simulated
daily path, so they agree with each other; a C share class earns the A path minus its
sales-service fee.

responses.parquet holds per-user logs (arm, channel, touches, opened, clicked, converted,
value, opt-outs, complaints) of the most recent campaigns, drawn from the response model in
retrieval/_responses.py on these users; that model's truth is not in this folder.

Files and record counts:
{counts}
"""


def _write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file beside `path`, then rename, so readers never see half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _jsonl(records: list[BaseModel]) -> bytes:
    return "".join(r.model_dump_json() + "\n" for r in records).encode("utf-8")


TABLES = ("funds.jsonl", "products.jsonl", "channels.jsonl", "offers.jsonl", "campaigns.jsonl")
"""The demo's JSON Lines tables, one record a line, in the order the README and the stamp list them."""


def write_demo(seed: int, out_dir: Path, n_users: int = DEFAULT_N_USERS) -> dict[str, int]:
    """Write the demo tables, the response logs and a README into `out_dir`; returns the number of records per file."""
    counts = write_demo_users(seed, out_dir, n_users, write_demo_tables(seed, out_dir))
    return {**counts, "responses.parquet": write_demo_responses(seed, out_dir)}


def write_demo_responses(seed: int, out_dir: Path) -> int:
    """Write responses.parquet, the per-user logs of the latest campaigns replayed on the users' table already in
    `out_dir` (seconds: `finpilot start` leaves it to the first review); returns its number of rows."""
    from retrieval._responses import demo_responses

    out = Path(out_dir)
    products, channels, offers = generate_products(seed), generate_channels(seed), generate_offers(seed)
    logs = demo_responses(seed, out / "users.parquet", generate_campaigns(seed, products, channels, offers), products, channels, offers)
    _write_atomic(out / "responses.parquet", lambda tmp: pq.write_table(logs, tmp, compression="zstd"))
    return logs.num_rows


def write_demo_tables(seed: int, out_dir: Path) -> dict[str, int]:
    """Write every demo table but the users' (the fund shelf, products, channels, offers, campaigns: a second or two,
    where the users take several); returns the number of records per file."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    products, channels, offers = generate_products(seed), generate_channels(seed), generate_offers(seed)
    made: list[list[BaseModel]] = [list(generate_funds(seed)), list(products), list(channels), list(offers),
                                   list(generate_campaigns(seed, products, channels, offers))]  # fmt: skip
    tables = dict(zip(TABLES, made))
    counts: dict[str, int] = {}
    for name, records in tables.items():
        data = _jsonl(records)
        _write_atomic(out / name, functools.partial(Path.write_bytes, data=data))
        counts[name] = len(records)
    return counts


def write_demo_users(seed: int, out_dir: Path, n_users: int, counts: dict[str, int]) -> dict[str, int]:
    """Write the users' tag table and the README listing every table (`counts`: the others'); returns all counts."""
    out = Path(out_dir)
    users = generate_users(seed, n_users)
    _write_atomic(out / "users.parquet", lambda tmp: pq.write_table(users, tmp, compression="zstd"))
    counts = {**counts, "users.parquet": users.num_rows}
    listing = "\n".join(f"  {name}: {count:,}" for name, count in counts.items())
    readme = _README.format(label=DEMO_SOURCE, seed=seed, as_of=AS_OF.isoformat(), counts=listing).encode("utf-8")
    _write_atomic(out / "README.txt", lambda tmp: tmp.write_bytes(readme))
    return counts
