"""Per-user response logs for simulated campaigns, drawn from a response model whose truth stays here.

The model (every number below is an assumption, chosen so the demo's funnels look like its campaign history):

* Each user, for a product family, is one of four kinds (a softmax over logits that depend on their tags):
  - a **sure thing** converts whether touched or not (logit -5.6, +0.8 if active in the last 30 days, plus the
    family's affinity for them: assets for funds and wealth, age 25–44 and a credit line for consumer credit,
    merchant sales for merchant credit, age 25–54 for insurance);
  - a **persuadable** converts only if touched, saw the message and was convinced (logit -3.6, +1.0 if active,
    -0.8 if dormant over 180 days, the family affinity, +0.25 per investor grade above a fund's risk);
  - a **sleeping dog** converts if left alone and not once they have seen the message (logit -5.0, +1.2 if dormant
    over 180 days, +0.8 aged 55 or more);
  - a **lost cause** never converts (logit 0).
  A campaign's calibration scales the first three shares together (each logged demo campaign converts at its
  record's rate).
* The touch: a user sees it with the channel kind's open rate (push and in-app read more by under-35s, calls
  answered more by over-45s; follow-up touches raise it); a persuadable who saw it is convinced with chance 0.35
  times the offer's conversion lift times the offer's fit (cash and coupons move users with under 10k yuan of
  assets 1.6x, fee and rate discounts those with over 50k 1.5x, interest-free days under-35s 1.4x) and 1.5x in a
  personal channel (an adviser or a call), and clicks through to buy. Others who saw it click with the channel's
  click rate over its open rate times the offer kind's click lift (sure things three times as often).
* A converter brings the product's ticket times a log-normal factor (sd 0.5); a user who saw the touch opts out
  with the channel's rate (3x for a sleeping dog) and complains with a tenth of it on calls and SMS. A follow-up
  touch goes to those who did not click: a row's touches count is 1 for a clicker, the plan's number otherwise.

So a user's conversion chance left alone is p0 = sure + dog, and touched p1 = sure + persuadable x open x convince
+ dog x (1 - open): the true lift of a touch is p1 - p0. `ResponseModel.rates` gives both per user for a
treatment; it is for the generator and for evaluation only: nothing that reviews campaigns or learns from them may
read it (tests/test_layers.py holds that), so learning is measured against a truth it never saw.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# The demo history's own offer lifts, personal channels and odd-subsidy click lift: the logs replay that history.
from retrieval._demo import _ODD_SUBSIDY_CLICK_LIFT, _OFFER_LIFT, _PERSONAL
from retrieval._models import CampaignRecord, Channel, Offer, Product

FAMILIES = ("fund", "wealth", "consumer_credit", "merchant_credit", "insurance")

_OPEN = {"push": 0.25, "sms": 0.35, "wechat": 0.40, "outbound_call": 0.55, "email": 0.12, "banner": 0.30, "feed": 0.25,
         "in_app_message": 0.35, "popup": 0.60, "ad": 0.25}  # fmt: skip
"""Chance a touched user sees the message, per channel kind."""
_PERSONAL_KINDS = ("outbound_call",)
_OPT_OUT = {"sms": 0.004, "outbound_call": 0.01, "push": 0.002, "wechat": 0.002, "email": 0.003}
"""Opt-outs per user who saw a touch, by channel kind (kinds not listed: none; banners cannot be opted out of)."""
_CONVINCE = 0.35
_VALUE_SD = 0.5

USER_COLUMNS = ("user_id", "age", "city_tier", "risk_grade", "aum", "days_since_login", "monthly_active", "is_merchant",
                "merchant_monthly_sales", "credit_granted", "push_reachable", "sms_reachable", "wechat_reachable")  # fmt: skip
"""The tag columns the response model reads."""


@dataclass(frozen=True)
class Treatment:
    """What one arm sends: a product, an offer (or none), a channel, how many touches at most."""

    product_id: str
    family: str
    required_grade: int
    ticket: float
    channel_id: str
    channel_kind: str
    channel_ctr: float
    offer_id: str | None = None
    offer_kind: str | None = None
    touches: int = 1


def user_arrays(users: pa.Table) -> dict[str, np.ndarray]:
    """The response model's tag columns as numpy arrays (nulls: grade 0, sales 0)."""
    out: dict[str, np.ndarray] = {}
    for name in USER_COLUMNS:
        col = users.column(name)
        if name in ("risk_grade", "merchant_monthly_sales"):
            col = col.fill_null(0)
        out[name] = col.to_numpy(zero_copy_only=False)
    return out


def _sigmoid_parts(logits: Sequence[np.ndarray]) -> list[np.ndarray]:
    stacked = np.stack([*logits, np.zeros_like(logits[0])])
    stacked -= stacked.max(axis=0)
    e = np.exp(stacked)
    e /= e.sum(axis=0)
    return [e[i] for i in range(len(logits))]


class ResponseModel:
    """The truth: per-user chances to convert left alone and when touched (see the module's docstring)."""

    def kinds(self, u: Mapping[str, np.ndarray], family: str, required_grade: int, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(sure thing, persuadable, sleeping dog) shares per user for a product family; `scale` multiplies all three
        (a campaign's calibration to its recorded conversion rate)."""
        active = u["monthly_active"].astype(float)
        dormant = (u["days_since_login"] > 180).astype(float)
        age, aum = u["age"], u["aum"]
        grade = u["risk_grade"].astype(float)
        fit = np.zeros(len(age))
        if family in ("fund", "wealth"):
            affinity = 0.45 * np.log10(np.maximum(aum, 1.0)) - 1.2 + np.where(grade >= required_grade, 0.0, -6.0)
            fit = 0.25 * np.clip(grade - required_grade, 0, 4)
        elif family == "consumer_credit":
            affinity = 0.8 * ((age >= 25) & (age < 45)) + 0.7 * u["credit_granted"] - 0.3 * (aum > 50_000) - 0.6
        elif family == "merchant_credit":
            sales = u["merchant_monthly_sales"]
            affinity = np.where(u["is_merchant"], 0.5 * np.log10(np.maximum(sales, 1.0)) - 1.5, -8.0)
        elif family == "insurance":
            affinity = 0.5 * ((age >= 25) & (age < 55)) + 0.3 * (u["city_tier"] <= 2) - 0.8
        else:
            raise ValueError(f"unknown product family {family!r}; one of {FAMILIES}")
        sure = -5.6 + 0.8 * active + affinity
        persuadable = -3.6 + 1.0 * active - 0.8 * dormant + affinity + fit
        dog = -5.0 + 1.2 * dormant + 0.8 * (age >= 55)
        s, p, d = _sigmoid_parts([sure, persuadable, dog])
        s, p, d = np.minimum(s * scale, 1.0), np.minimum(p * scale, 1.0), np.minimum(d * scale, 1.0)
        total = np.maximum(s + p + d, 1.0)  # a scale above 1 can push the three past certainty: shrink them together
        return s / total, p / total, d / total

    def funnel(self, u: Mapping[str, np.ndarray], t: Treatment) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(open, click given open, convince given open) per user for a treatment."""
        age, aum = u["age"], u["aum"]
        base = _OPEN[t.channel_kind]
        opened = np.full(len(age), base)
        if t.channel_kind in ("push", "in_app_message", "popup"):
            opened = opened * np.where(age < 35, 1.3, np.where(age >= 55, 0.6, 1.0))
        if t.channel_kind == "outbound_call":
            opened = opened * np.where(age >= 45, 1.3, 0.85)
        opened = 1 - (1 - np.clip(opened, 0, 0.95)) ** (t.touches**0.6)
        click_lift, convince_lift = _OFFER_LIFT[t.offer_kind] if t.offer_kind else (1.0, 1.0)
        if t.offer_id == "cash_1514":  # the odd subsidy out-clicked the habitual one (the demo history's experiment)
            click_lift = _ODD_SUBSIDY_CLICK_LIFT
        click = np.full(len(age), min(0.95, t.channel_ctr / base * click_lift))
        fit = np.ones(len(age))
        if t.offer_kind in ("cash_subsidy", "coupon", "lottery"):
            fit = np.where(aum < 10_000, 1.6, 0.8)
        elif t.offer_kind in ("fee_discount", "rate_discount"):
            fit = np.where(aum > 50_000, 1.5, 0.8)
        elif t.offer_kind == "interest_free":
            fit = np.where(age < 35, 1.4, 0.9)
        personal = 1.5 if (t.channel_kind in _PERSONAL_KINDS or t.channel_id in _PERSONAL) else 1.0
        convince = np.clip(_CONVINCE * convince_lift * fit * personal, 0, 1)
        return opened, click, convince

    def rates(self, u: Mapping[str, np.ndarray], t: Treatment, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """(p0, p1): each user's chance to convert left alone and when given treatment `t`."""
        s, p, d = self.kinds(u, t.family, t.required_grade, scale)
        opened, click, convince = self.funnel(u, t)
        return s + d, s + p * opened * convince + d * (1 - opened)


@dataclass(frozen=True)
class SimulatedArm:
    """One arm of a simulated campaign: its share of the users and what it sends per channel (None: the hold-out)."""

    name: str
    share: float
    treatments: tuple[Treatment, ...] = ()
    """One per channel the arm sends through; each treated user gets the first channel of these they can be reached on."""


@dataclass(frozen=True)
class SimulatedCampaign:
    """A campaign to simulate: who, which arms, when."""

    campaign_id: str
    start: date
    end: date
    arms: tuple[SimulatedArm, ...]
    scale: float = 1.0
    """Multiplies the sure-thing, persuadable and sleeping-dog shares (a campaign's calibration to its recorded
    conversion rate)."""


@dataclass
class Truth:
    """What really happened in expectation: never written beside the logs, never read by the reviewer."""

    lift: dict[str, float] = field(default_factory=dict)
    """Per treated arm: the mean over all of the campaign's users of p1 - p0 for that arm's treatment (conversions
    per user: the incremental conversion rate)."""
    rate: dict[str, float] = field(default_factory=dict)
    """Per arm: the mean over all of the campaign's users of that arm's conversion chance (the hold-out's is p0)."""


_REACH = {"push_reachable", "sms_reachable", "wechat_reachable"}


def simulate(users: Mapping[str, np.ndarray], design: SimulatedCampaign, seed: int, reach_tags: Mapping[str, str | None] | None = None,
             model: ResponseModel | None = None) -> tuple[pa.Table, Truth]:  # fmt: skip
    """Randomise `users` into the design's arms and draw every user's funnel; returns (logs, truth).

    Every arm promotes the same product (a hold-out user's conversion is to that product). The logs have one row per
    user: user_id, campaign_id, arm, channel (null in the hold-out), product_id, offer_id, touches, opened, clicked,
    converted, value, opted_out, complained, sent_on.
    """
    model = model or ResponseModel()
    treatments = [t for arm in design.arms for t in arm.treatments]
    if not treatments or len({t.product_id for t in treatments}) != 1:
        raise ValueError("a simulated campaign sends one product in every treated arm")
    product = treatments[0]
    rng = np.random.default_rng(seed)
    n = len(users["user_id"])
    shares = np.array([a.share for a in design.arms], dtype=float)
    arm_of = rng.choice(len(design.arms), size=n, p=shares / shares.sum())
    s, p, d = model.kinds(users, product.family, product.required_grade, design.scale)
    kind = rng.random(n)  # each user's kind for this product: drawn once, whatever arm they land in
    sure, pers, dog = kind < s, (kind >= s) & (kind < s + p), (kind >= s + p) & (kind < s + p + d)
    p0 = s + d
    truth = Truth()
    reach_tags = reach_tags or {}
    cols: dict[str, list[np.ndarray]] = {k: [] for k in ("idx", "arm", "channel", "offer", "touches", "opened", "clicked",
                                                         "converted", "opted_out", "complained")}  # fmt: skip
    for a, arm in enumerate(design.arms):
        idx = np.nonzero(arm_of == a)[0]
        if not arm.treatments:
            truth.rate[arm.name] = float(p0.mean())
            none = np.zeros(len(idx), bool)
            _append(cols, idx, arm.name, "", "", np.zeros(len(idx), int), none, none, sure[idx] | dog[idx], none, none)
            continue
        # Each user of the arm goes through the first of its channels they can be reached on.
        chosen = np.full(n, -1)
        for k, t in enumerate(arm.treatments):
            tag = reach_tags.get(t.channel_id)
            ok = users[tag].astype(bool) if tag in _REACH else np.ones(n, bool)
            chosen = np.where((chosen < 0) & ok, k, chosen)
        chosen = np.where(chosen < 0, 0, chosen)
        p1_arm = np.zeros(n)
        for k, t in enumerate(arm.treatments):
            opened_p, click_p, convince_p = model.funnel(users, t)
            p1_arm = np.where(chosen == k, s + p * opened_p * convince_p + d * (1 - opened_p), p1_arm)
            sel = idx[chosen[idx] == k]
            m = len(sel)
            opened = rng.random(m) < opened_p[sel]
            # Sure things click more (they came to buy) and persuadables click at the channel's rate: a click alone
            # is no sign of a touch's effect.
            persuaded = pers[sel] & opened & (rng.random(m) < convince_p[sel])
            # The persuaded click through to buy; sure things click more than most (they came to buy anyway).
            clicked = opened & ((rng.random(m) < np.clip(click_p[sel] * np.where(sure[sel], 3.0, 1.0), 0, 1)) | persuaded)
            conv = sure[sel] | persuaded | (dog[sel] & ~opened)
            touches = np.where(clicked, 1, t.touches)
            rate = _OPT_OUT.get(t.channel_kind, 0.0)
            opted = opened & (rng.random(m) < rate * np.where(dog[sel], 3.0, 1.0))
            complained = opened & (rng.random(m) < (rate / 10 if t.channel_kind in ("sms", "outbound_call") else 0.0))
            _append(cols, sel, arm.name, t.channel_id, t.offer_id or "", touches, opened, clicked, conv, opted, complained)
        truth.rate[arm.name] = float(p1_arm.mean())
        truth.lift[arm.name] = float((p1_arm - p0).mean())
    order = np.argsort(np.concatenate(cols["idx"]), kind="stable")
    cat = {k: np.concatenate(v)[order] for k, v in cols.items()}
    rows = len(cat["idx"])
    value = np.where(cat["converted"], product.ticket * rng.lognormal(-_VALUE_SD**2 / 2, _VALUE_SD, rows), 0.0)
    days = max(1, (design.end - design.start).days + 1)
    sent = np.datetime64(design.start, "D") + rng.integers(0, min(days, 3), rows)
    logs = pa.table({
        "user_id": pa.array(np.asarray(users["user_id"])[cat["idx"]].astype(str)),
        "campaign_id": pa.array(np.full(rows, design.campaign_id)),
        "arm": pa.array(cat["arm"].astype(str)),
        "channel": pa.array(cat["channel"].astype(str)).cast(pa.string()),
        "product_id": pa.array(np.full(rows, product.product_id)),
        "offer_id": pa.array(cat["offer"].astype(str)),
        "touches": pa.array(cat["touches"].astype(np.int16)),
        "opened": pa.array(cat["opened"].astype(bool)), "clicked": pa.array(cat["clicked"].astype(bool)),
        "converted": pa.array(cat["converted"].astype(bool)), "value": pa.array(np.round(value, 2)),
        "opted_out": pa.array(cat["opted_out"].astype(bool)), "complained": pa.array(cat["complained"].astype(bool)),
        "sent_on": pa.array(sent),
    })  # fmt: skip
    # Empty strings stand for "none" while the columns are numpy: nulls in the table.
    for name in ("channel", "offer_id"):
        col = logs.column(name)
        logs = logs.set_column(logs.schema.get_field_index(name), name, pc.if_else(pc.equal(col, ""), None, col))
    return logs, truth


def _append(cols: dict[str, list[np.ndarray]], idx: np.ndarray, arm: str, channel: str, offer: str, touches: np.ndarray,
            opened: np.ndarray, clicked: np.ndarray, conv: np.ndarray, opted: np.ndarray, complained: np.ndarray) -> None:  # fmt: skip
    m = len(idx)
    for key, v in (("idx", idx), ("arm", np.full(m, arm, object)), ("channel", np.full(m, channel, object)),
                   ("offer", np.full(m, offer, object)), ("touches", touches), ("opened", opened), ("clicked", clicked),
                   ("converted", conv), ("opted_out", opted), ("complained", complained)):  # fmt: skip
        cols[key].append(np.asarray(v))


# --------------------------------------------------------------------------------------------------------------
# The demo's logs: the most recent past campaigns, replayed on the demo's users
# --------------------------------------------------------------------------------------------------------------

LOGGED_CAMPAIGNS = 24
"""The demo keeps per-user logs for its most recent campaigns (older ones have only their totals, as platforms keep)."""
LOGGED_USERS = 60_000
"""Users logged per campaign at most: a random sample of the campaign's audience, as a log export samples."""
DEMO_HOLDOUT = 0.2
PAIRED_OFFERS = ("cash_1988", "cash_1514")
"""The standing A/B pair: a campaign that used either ran both (A the habitual 19.88, B the odd 15.14)."""
_VULNERABLE = "is_student = false and has_overdue = false and income_drop = false"


def _sql_rule(rule: str) -> str:
    """A history segment rule as DuckDB SQL (`products_held contains 'x'` is the one form SQL lacks)."""
    return re.sub(r"(\w+)\s+contains\s+'([^']*)'", r"list_contains(\1, '\2')", rule)


def demo_arms(offer_id: str | None) -> list[tuple[str, float, str | None]]:
    """(arm, share, offer) of a logged demo campaign: a hold-out, then A and B (the paired subsidies, or one offer with
    two copy variants)."""
    treated = (1 - DEMO_HOLDOUT) / 2
    if offer_id in PAIRED_OFFERS:
        return [("control", DEMO_HOLDOUT, None), ("A", treated, PAIRED_OFFERS[0]), ("B", treated, PAIRED_OFFERS[1])]
    return [("control", DEMO_HOLDOUT, None), ("A", treated, offer_id), ("B", treated, offer_id)]


def demo_responses(seed: int, users_path: Path, campaigns: Sequence[CampaignRecord], products: Sequence[Product],
                   channels: Sequence[Channel], offers: Sequence[Offer]) -> pa.Table:  # fmt: skip
    """Logs for the demo's LOGGED_CAMPAIGNS most recent campaigns, each calibrated so its treated users convert at
    the rate its record shows (conversions per user reached)."""
    import duckdb

    from retrieval._demo import _FUND_TARGETS, _TICKETS, _required_grade, _target_family

    by_product = {p.product_id: p for p in products}
    by_channel = {c.channel_id: c for c in channels}
    by_offer = {o.offer_id: o for o in offers}
    model = ResponseModel()
    rng = np.random.default_rng([seed, 17])
    tables = []
    con = duckdb.connect()
    try:
        for record in sorted(campaigns, key=lambda c: (c.start, c.campaign_id))[-LOGGED_CAMPAIGNS:]:
            target = record.product_ids[0]
            family = _target_family(target, by_product)
            rule = _sql_rule(record.segment_rule) + (f" and {_VULNERABLE}" if family.endswith("credit") else "")
            cols = ", ".join(USER_COLUMNS)
            result = con.sql(f"select {cols} from read_parquet(?) where {rule} order by user_id", params=[str(users_path)])
            # DuckDB 2 names it to_arrow_table; 1.x, fetch_arrow_table.
            audience = result.to_arrow_table() if hasattr(result, "to_arrow_table") else result.fetch_arrow_table()
            if audience.num_rows < 100:
                continue
            take = np.sort(rng.choice(audience.num_rows, size=min(LOGGED_USERS, audience.num_rows), replace=False))
            u = user_arrays(audience.take(pa.array(take)))
            ticket = _FUND_TARGETS[target][2] if target in _FUND_TARGETS else _TICKETS.get(target, 1_000.0)
            grade = _required_grade(target, by_product)

            arms = tuple(
                SimulatedArm(name, share, () if name == "control" else tuple(
                    Treatment(target, family, grade, ticket, by_channel[c].channel_id, by_channel[c].kind, by_channel[c].ctr,
                              offer, by_offer[offer].kind if offer in by_offer else None, touches=2)
                    for c in record.channel_ids))
                for name, share, offer in demo_arms(record.offer_id))  # fmt: skip
            design = SimulatedCampaign(record.campaign_id, record.start, record.end, arms)
            wanted = record.conversions / record.reach if record.reach else 0.0
            _, p1 = model.rates(u, arms[1].treatments[0])
            design = SimulatedCampaign(record.campaign_id, record.start, record.end, arms,
                            scale=float(np.clip(wanted / max(float(p1.mean()), 1e-9), 0.01, 5.0)))  # fmt: skip
            logs, _ = simulate(u, design, int(rng.integers(2**31)), {c.channel_id: c.reach_tag for c in channels}, model)
            tables.append(logs)
    finally:
        con.close()
    return pa.concat_tables(tables) if tables else _empty_logs()


def _empty_logs() -> pa.Table:
    return pa.schema(RESPONSE_SCHEMA).empty_table()


RESPONSE_SCHEMA = [
    ("user_id", pa.string()), ("campaign_id", pa.string()), ("arm", pa.string()), ("channel", pa.string()),
    ("product_id", pa.string()), ("offer_id", pa.string()), ("touches", pa.int16()), ("opened", pa.bool_()),
    ("clicked", pa.bool_()), ("converted", pa.bool_()), ("value", pa.float64()), ("opted_out", pa.bool_()),
    ("complained", pa.bool_()), ("sent_on", pa.date32()),
]  # fmt: skip
"""The columns of a response log, in order (also what `finpilot campaign results` accepts)."""
