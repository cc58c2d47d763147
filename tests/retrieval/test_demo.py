"""The fictional demo data: reproducible to the byte, big enough, and internally consistent."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from statistics import median

import pyarrow.parquet as pq
import pytest

from retrieval._demo import AS_OF, REAL_RETURN_QUANTILES, REAL_TYPE_SHARE, write_demo
from retrieval._models import FUND_TYPES, CampaignRecord, Channel, Fund, Offer, Product, UserTags

SEED = 20190830
REPO = Path(__file__).resolve().parents[2]
FILES = ("funds.jsonl", "products.jsonl", "channels.jsonl", "offers.jsonl", "campaigns.jsonl", "users.parquet", "responses.parquet")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full-size demo (100,000 users), written once for the module."""
    folder = tmp_path_factory.mktemp("demo")
    write_demo(SEED, folder)
    return folder


def _read(folder: Path, name: str, model: type) -> list:
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    return [model.model_validate_json(line) for line in lines]


@pytest.fixture(scope="module")
def funds(demo: Path) -> list[Fund]:
    return _read(demo, "funds.jsonl", Fund)


def _same_bytes(a: Path, b: Path) -> None:
    assert sorted(p.name for p in a.iterdir()) == sorted(p.name for p in b.iterdir())
    for name in (*FILES, "README.txt"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), f"{name} differs"


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    counts = write_demo(SEED, tmp_path / "one", n_users=2_000)
    write_demo(SEED, tmp_path / "two", n_users=2_000)
    _same_bytes(tmp_path / "one", tmp_path / "two")
    assert sorted(counts) == sorted(FILES)
    # Written through temporary files that are gone afterwards: the folder holds exactly the data and a README.
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == sorted((*FILES, "README.txt"))


def test_full_size_demo_is_identical_in_another_process(demo: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": "12345"}
    code = f"from pathlib import Path; from retrieval._demo import write_demo; write_demo({SEED}, Path({str(tmp_path)!r}))"
    subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True, timeout=120)
    _same_bytes(demo, tmp_path)


def test_a_different_seed_gives_different_data(tmp_path: Path) -> None:
    write_demo(SEED, tmp_path / "a", n_users=2_000)
    write_demo(SEED + 1, tmp_path / "b", n_users=2_000)
    for name in ("funds.jsonl", "campaigns.jsonl", "users.parquet"):
        assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "b" / name).read_bytes()


def test_every_record_says_it_is_fictional_and_names_its_seed(demo: Path) -> None:
    for name, model in (("funds.jsonl", Fund), ("products.jsonl", Product), ("channels.jsonl", Channel),
                        ("offers.jsonl", Offer), ("campaigns.jsonl", CampaignRecord)):  # fmt: skip
        records = _read(demo, name, model)
        assert all("fictional" in r.source and str(SEED) in r.source and r.as_of == AS_OF for r in records), name
    users = pq.read_table(demo / "users.parquet", columns=["source", "as_of"])
    assert {s for s in users.column("source").to_pylist()} == {f"finpilot demo data, fictional, seed={SEED}"}
    assert set(users.column("as_of").to_pylist()) == {date(2026, 10, 30)}
    readme = (demo / "README.txt").read_text(encoding="utf-8")
    assert "fictional" in readme.lower() and str(SEED) in readme and "2019" in readme


def test_fund_shelf_is_large_and_has_every_type_in_calibrated_proportions(funds: list[Fund]) -> None:
    assert len(funds) >= 3_000
    by_type = defaultdict(int)
    for f in funds:
        by_type[f.fund_type] += 1
    assert set(by_type) == set(FUND_TYPES)
    not_money = len(funds) - by_type["money"]  # the real shelf has no money funds: its mix is of the others
    for fund_type in ("mixed", "bond", "index", "stock"):
        assert abs(by_type[fund_type] / not_money - REAL_TYPE_SHARE[fund_type]) < 0.01, fund_type
    assert 0.03 <= by_type["money"] / len(funds) <= 0.05
    codes, names = [f.code for f in funds], [f.name for f in funds]
    assert codes == sorted(codes) and len(set(codes)) == len(codes) and len(set(names)) == len(names)
    assert all(len(c) == 6 and c.isdigit() for c in codes)


def test_median_one_year_returns_match_the_real_shelf(funds: list[Fund]) -> None:
    for fund_type, tolerance in (("mixed", 3.0), ("stock", 3.0), ("index", 3.0), ("bond", 1.0)):
        returns = [f.return_1y for f in funds if f.fund_type == fund_type and f.return_1y is not None]
        real = REAL_RETURN_QUANTILES[fund_type]["1y"][2]
        assert abs(median(returns) - real) < tolerance, (fund_type, median(returns), real)


def test_money_funds_earn_a_small_yield_without_drawdown(funds: list[Fund]) -> None:
    money = [f for f in funds if f.fund_type == "money"]
    assert money
    for f in money:
        assert f.risk_level == 1 and f.purchase_fee == 0.0 and f.purchase_fee_discounted is None
        assert f.sales_service_fee in (0.0, 0.25) and f.sharpe_1y is None
        if f.return_1y is not None:
            assert 1.0 < f.return_1y < 3.0
            assert f.max_drawdown_1y == 0.0 and f.volatility_1y is not None and f.volatility_1y < 0.5


def test_a_and_c_classes_share_the_portfolio_and_differ_only_by_fees(funds: list[Fund]) -> None:
    by_code = {f.code: f for f in funds}
    pairs = [(by_code[f.pair_code], f) for f in funds if f.share_class == "C" and f.pair_code]
    assert len(pairs) > len(funds) / 4
    for a, c in pairs:
        assert a.share_class == "A" and a.pair_code == c.code and a.name[:-1] == c.name[:-1]
        shared = ("fund_type", "managers", "company", "themes", "risk_level", "inception_date", "mgmt_fee", "min_purchase")
        assert all(getattr(a, k) == getattr(c, k) for k in shared)
        assert a.purchase_fee and a.purchase_fee > 0 and a.sales_service_fee == 0.0
        assert a.purchase_fee_discounted == pytest.approx(a.purchase_fee * 0.1)
        assert c.purchase_fee == 0.0 and c.purchase_fee_discounted is None and c.sales_service_fee and c.sales_service_fee > 0
        if a.return_1y is not None:
            assert c.return_1y is not None and c.return_1y < a.return_1y
    assert any(f.share_class is None for f in funds if f.fund_type != "money")


def test_metrics_agree_with_each_other_and_with_fund_age(funds: list[Fund]) -> None:
    for f in funds:
        age = (AS_OF - f.inception_date).days  # type: ignore[operator]
        assert (f.return_3y is None) == (age < 1095), f.code
        one_year = (f.return_1y, f.max_drawdown_1y, f.volatility_1y)
        assert all(v is None for v in one_year) == (age < 365), f.code
        if f.sharpe_1y is not None:
            assert f.sharpe_1y == pytest.approx((f.return_1y - 1.5) / f.volatility_1y, abs=0.006)  # type: ignore[operator]
        if f.return_1y is not None and f.fund_type != "money":
            assert f.max_drawdown_1y > 0  # type: ignore[operator]


def test_risk_level_rises_with_volatility(funds: list[Fund]) -> None:
    vols: dict[int, list[float]] = defaultdict(list)
    for f in funds:
        if f.volatility_1y is not None and f.risk_level is not None:
            vols[f.risk_level].append(f.volatility_1y)
    assert sorted(vols) == [1, 2, 3, 4, 5]
    medians = [median(vols[level]) for level in sorted(vols)]
    assert medians == sorted(medians) and len(set(medians)) == 5
    bond_risk = [f.risk_level for f in funds if f.fund_type == "bond"]
    assert bond_risk.count(2) > len(bond_risk) / 2 and 3 in bond_risk


def test_managers_work_for_one_company(funds: list[Fund]) -> None:
    companies: dict[str, set[str]] = defaultdict(set)
    for f in funds:
        assert 1 <= len(f.managers) <= 2
        for m in f.managers:
            companies[m].add(f.company or "")
    assert all(len(c) == 1 for c in companies.values())
    assert 40 <= len({f.company for f in funds}) <= 60


def test_products_cover_credit_wealth_and_insurance(demo: Path) -> None:
    products = _read(demo, "products.jsonl", Product)
    assert len(products) >= 20
    kinds = {p.kind.value for p in products}
    assert kinds == {"consumer_credit", "merchant_credit", "wealth", "insurance"}
    bnpl = [p for p in products if p.interest_free_days == 40 and p.max_instalments == 36]
    assert bnpl and all(p.apr for p in bnpl)
    assert any(p.kind.value == "consumer_credit" and "银行卡" in p.description for p in products)
    by_day = [p for p in products if p.kind.value == "merchant_credit" and p.daily_rate is not None]
    assert len(by_day) >= 3
    assert all(abs(p.daily_rate * 365 - p.apr) <= 0.01 for p in by_day)  # type: ignore[operator]
    assert any(p.daily_rate == 0.048 and p.apr == 17.52 for p in by_day)
    assert all(p.risk_level is not None for p in products if p.kind.value in ("wealth", "insurance"))
    assert len({p.product_id for p in products}) == len(products)


def test_channels_have_realistic_costs(demo: Path) -> None:
    channels = {c.channel_id: c for c in _read(demo, "channels.jsonl", Channel)}
    assert len(channels) >= 12
    assert 0.04 <= channels["sms"].unit_cost <= 0.05
    assert 0.001 <= channels["app_push"].unit_cost <= 0.01
    assert 1.5 <= channels["outbound_call"].unit_cost <= 3.0


def test_offers_include_the_odd_and_the_habitual_subsidy(demo: Path) -> None:
    offers = _read(demo, "offers.jsonl", Offer)
    assert len(offers) >= 20
    values = {o.value for o in offers if o.kind == "cash_subsidy"}
    assert {15.14, 19.88} <= values
    assert {"cash_subsidy", "fee_discount", "interest_free", "rate_discount", "points", "lottery"} <= {o.kind for o in offers}


def test_campaign_history_adds_up(demo: Path) -> None:
    campaigns = _read(demo, "campaigns.jsonl", CampaignRecord)
    products = {p.product_id: p for p in _read(demo, "products.jsonl", Product)}
    channels = {c.channel_id for c in _read(demo, "channels.jsonl", Channel)}
    offers = {o.offer_id: o for o in _read(demo, "offers.jsonl", Offer)}
    assert len(campaigns) >= 300
    assert {c.goal for c in campaigns} == {"acquire", "activate", "convert", "retain", "win_back", "cross_sell"}
    for c in campaigns:
        assert date(2024, 1, 1) <= c.start <= c.end <= AS_OF
        assert c.reach >= c.clicks >= c.conversions and c.budget >= c.cost
        assert set(c.channel_ids) <= channels and c.segment_rule
        offer_cost = offers[c.offer_id].cost_per_redemption if c.offer_id else 0.0
        assert c.cost >= c.conversions * offer_cost - 0.01
        for target in c.product_ids:
            assert target in products or target.removeprefix("fund:") in FUND_TYPES
        credit = any(t in products and products[t].kind.value.endswith("credit") for t in c.product_ids)
        assert c.aum == 0.0 if credit else c.loan_volume == 0.0
        if credit and c.conversions:
            assert c.loan_volume > 0
    odd = [c for c in campaigns if c.offer_id == "cash_1514"]
    habitual = [c for c in campaigns if c.offer_id == "cash_1988"]
    assert odd and habitual


def test_users_tag_table(demo: Path) -> None:
    table = pq.read_table(demo / "users.parquet")
    assert table.num_rows >= 100_000
    assert sorted(table.column_names) == sorted(UserTags.model_fields)
    for row in table.slice(0, 200).to_pylist():
        UserTags.model_validate(row)
    rows = table.select(["age_band", "risk_grade", "aum", "aum_band", "days_since_login", "monthly_active",
                         "is_merchant", "merchant_monthly_sales", "user_id"]).to_pylist()  # fmt: skip
    assert len({r["user_id"] for r in rows}) == len(rows)
    assert all(r["monthly_active"] == (r["days_since_login"] <= 30) for r in rows)
    assert 0.06 <= sum(r["risk_grade"] is None for r in rows) / len(rows) <= 0.10
    edges = [("0", 0, 0), ("<1k", 0.01, 999.99), ("1k-10k", 1_000, 9_999.99), ("10k-50k", 10_000, 49_999.99),
             ("50k-200k", 50_000, 199_999.99), ("200k-1m", 200_000, 999_999.99), ("1m+", 1_000_000, float("inf"))]  # fmt: skip
    bands = {name: (lo, hi) for name, lo, hi in edges}
    assert all(bands[r["aum_band"]][0] <= r["aum"] <= bands[r["aum_band"]][1] for r in rows)
    merchants = [r for r in rows if r["is_merchant"]]
    assert 0.04 <= len(merchants) / len(rows) <= 0.08
    assert all((r["merchant_monthly_sales"] is not None) == r["is_merchant"] for r in rows)
    grades: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        if r["risk_grade"] is not None:
            grades[r["age_band"]].append(r["risk_grade"])
    assert sum(grades["25-34"]) / len(grades["25-34"]) > sum(grades["65+"]) / len(grades["65+"]) + 0.5


def test_users_hold_only_what_suits_them(demo: Path) -> None:
    rows = pq.read_table(demo / "users.parquet", columns=["risk_grade", "aum", "products_held"]).to_pylist()
    for r in rows:
        investments = [p for p in r["products_held"] if p.startswith("fund:")]
        if r["aum"] == 0:
            assert not investments
        if r["risk_grade"] is None:
            assert r["aum"] == 0
        if r["risk_grade"] is not None and r["risk_grade"] < 4:
            assert not {"fund:stock", "fund:mixed", "fund:index", "fund:qdii"} & set(investments)
    assert sum(bool(r["products_held"]) for r in rows) > len(rows) / 2
