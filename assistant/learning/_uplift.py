"""Who responds because they were touched: an uplift model learnt from response logs.

A two-model ("T") learner of scikit-learn histogram gradient boosting: one model of the chance to convert when
touched, given the user's tags and the treatment (product family and risk, offer kind, channel kind, touches), one
of the chance when left alone (the hold-outs), given the tags and the product. A user's predicted uplift for a
treatment is the difference. scikit-learn rather than an uplift library: causalml pulls in a compiler toolchain and
dozens of packages for learners we do not use, and scikit-uplift has had no release since 2022; two boosted
classifiers are all a T learner is, and HistGradientBoosting trains on a million rows in seconds on two cores.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

FAMILIES = ("fund", "wealth", "consumer_credit", "merchant_credit", "insurance")
OFFER_KINDS = ("none", "cash_subsidy", "fee_discount", "coupon", "interest_free", "rate_discount", "points", "gift", "lottery")
CHANNEL_KINDS = ("push", "sms", "wechat", "banner", "outbound_call", "email", "feed", "in_app_message", "popup", "ad")
FUND_TYPE_GRADE = {"money": 1, "bond": 2, "fof": 3, "other": 3, "mixed": 4, "index": 4, "stock": 4, "qdii": 4}
"""The investor grade a campaign for each fund type requires (fund:TYPE targets in the history)."""
USER_FEATURES = ("age", "city_tier", "risk_grade", "log_aum", "days_since_login", "monthly_active", "is_merchant", "log_sales",
                 "credit_granted", "days_since_signup")  # fmt: skip
TREATMENT_FEATURES = ("family", "required_grade", "offer_kind", "channel_kind", "personal", "touches")
TAG_COLUMNS = ("user_id", "age", "city_tier", "risk_grade", "aum", "days_since_login", "monthly_active", "is_merchant",
               "merchant_monthly_sales", "credit_granted", "days_since_signup")  # fmt: skip
"""The tag columns the model reads."""
CHUNK = 250_000
"""Users scored at a time: bounds memory at 2,000,000 users and gives the progress bar its steps."""
PERSONAL_CHANNELS = ("wechat_work", "outbound_call")


@dataclass(frozen=True)
class Option:
    """A treatment the model scores: a product (with its family and the grade it requires), an offer, a channel."""

    product_id: str
    family: str
    required_grade: int
    offer_id: str | None
    offer_kind: str | None
    channel_id: str
    channel_kind: str
    touches: int = 2

    def row(self) -> list[float]:
        return [FAMILIES.index(self.family), self.required_grade, OFFER_KINDS.index(self.offer_kind or "none"),
                CHANNEL_KINDS.index(self.channel_kind), float(self.channel_id in PERSONAL_CHANNELS), self.touches]  # fmt: skip


def user_features(tags: pa.Table) -> np.ndarray:
    """The model's user features, one row per user (float32)."""

    def col(name: str, fill: float = 0.0) -> np.ndarray:
        return tags.column(name).cast(pa.float64()).fill_null(fill).to_numpy(zero_copy_only=False).astype(np.float32)

    return np.column_stack([
        col("age"), col("city_tier"), col("risk_grade"), np.log10(col("aum") + 1), np.minimum(col("days_since_login"), 1500),
        col("monthly_active"), col("is_merchant"), np.log10(col("merchant_monthly_sales") + 1), col("credit_granted"),
        np.minimum(col("days_since_signup"), 3650),
    ]).astype(np.float32)  # fmt: skip


_CATEGORICAL_T = [False] * len(USER_FEATURES) + [True, False, True, True, False, False]
_CATEGORICAL_C = [False] * len(USER_FEATURES) + [True, False]


def _classifier(categorical: list[bool], seed: int) -> object:
    from sklearn.ensemble import HistGradientBoostingClassifier

    # Few leaves and a strong floor per leaf: conversions are rare (under 1%), and a deep tree learns the noise.
    return HistGradientBoostingClassifier(max_iter=150, learning_rate=0.08, max_leaf_nodes=15, min_samples_leaf=400,
                                          l2_regularization=1.0, categorical_features=categorical, random_state=seed)  # fmt: skip


class UpliftModel:
    """Two boosted classifiers (touched, left alone); `uplift` is the difference of their chances."""

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.treated: object | None = None
        self.control: object | None = None
        self.trained_on: dict[str, int] = {}
        self.digest = ""

    def fit(self, x_user: np.ndarray, options: np.ndarray, holdout: np.ndarray, converted: np.ndarray) -> UpliftModel:
        """Train on log rows: user features, each row's treatment features (`Option.row`; for a hold-out row the
        campaign's product), whether the row is a hold-out, and whether it converted."""
        t = ~holdout
        xt = np.column_stack([x_user[t], options[t]])
        xc = np.column_stack([x_user[holdout], options[holdout][:, :2]])
        if converted[t].sum() < 10 or converted[holdout].sum() < 10:
            raise ValueError("too few conversions to learn from (need at least 10 among the touched and 10 in the hold-outs)")
        self.treated = _classifier(_CATEGORICAL_T, self.seed).fit(xt, converted[t])  # type: ignore[attr-defined]
        self.control = _classifier(_CATEGORICAL_C, self.seed).fit(xc, converted[holdout])  # type: ignore[attr-defined]
        self.trained_on = {"rows": int(len(converted)), "touched": int(t.sum()), "holdout": int(holdout.sum()),
                           "conversions": int(converted.sum())}  # fmt: skip
        self.digest = hashlib.sha256(pickle.dumps((self.treated, self.control))).hexdigest()[:12]
        return self

    def predict(self, x_user: np.ndarray, option: Option) -> tuple[np.ndarray, np.ndarray]:
        """(p_touched, p_left_alone) per user for one option."""
        if self.treated is None or self.control is None:
            raise ValueError("the uplift model is not trained")
        row = np.asarray(option.row(), dtype=np.float32)
        xt = np.column_stack([x_user, np.broadcast_to(row, (len(x_user), len(row)))])
        xc = np.column_stack([x_user, np.broadcast_to(row[:2], (len(x_user), 2))])
        return self.treated.predict_proba(xt)[:, 1], self.control.predict_proba(xc)[:, 1]  # type: ignore[attr-defined]

    def uplift(self, x_user: np.ndarray, option: Option) -> np.ndarray:
        p1, p0 = self.predict(x_user, option)
        return p1 - p0

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(pickle.dumps(self))
        tmp.replace(path)

    @staticmethod
    def load(path: Path) -> UpliftModel:
        # A file this program wrote under FINPILOT_HOME, never one downloaded: pickle is safe here.
        model = pickle.loads(path.read_bytes())  # noqa: S301
        if not isinstance(model, UpliftModel):
            raise ValueError(f"{path} does not hold an uplift model")
        return model


def chunks(n: int, size: int = CHUNK) -> Iterator[slice]:
    for lo in range(0, n, size):
        yield slice(lo, min(n, lo + size))


def option_rows(logs: pa.Table, catalog: Mapping[str, tuple[str, int]], offer_kinds: Mapping[str, str],
                channel_kinds: Mapping[str, str]) -> np.ndarray:  # fmt: skip
    """Each log row's treatment features (`catalog`: product id -> (family, required grade))."""
    product = logs.column("product_id").to_pylist()
    offer = logs.column("offer_id").fill_null("").to_pylist() if "offer_id" in logs.column_names else [""] * logs.num_rows
    channel = logs.column("channel").fill_null("").to_pylist()
    touches = logs.column("touches").to_numpy(zero_copy_only=False) if "touches" in logs.column_names else np.ones(logs.num_rows)
    cache: dict[tuple[str, str, str], list[float]] = {}
    out = np.empty((logs.num_rows, len(TREATMENT_FEATURES)), dtype=np.float32)
    for i, key in enumerate(zip(product, offer, channel)):
        row = cache.get(key)
        if row is None:
            fam, grade = catalog[key[0]]
            kind = offer_kinds.get(key[1]) if key[1] else None
            row = [FAMILIES.index(fam), grade, OFFER_KINDS.index(kind or "none"),
                   CHANNEL_KINDS.index(channel_kinds.get(key[2], "push")), float(key[2] in PERSONAL_CHANNELS), 0.0]  # fmt: skip
            cache[key] = row
        out[i] = row
    out[:, 5] = np.maximum(touches, 1)
    return out


def join_tags(logs: pa.Table, tags: pa.Table) -> tuple[pa.Table, np.ndarray]:
    """The log rows whose users are in `tags`, and each one's row in `tags`."""
    pos = pc.index_in(logs.column("user_id"), value_set=tags.column("user_id"))
    keep = pc.is_valid(pos)
    return logs.filter(keep), pos.filter(keep).to_numpy(zero_copy_only=False).astype(np.int64)


def train(logs: pa.Table, tags: pa.Table, catalog: Mapping[str, tuple[str, int]], offer_kinds: Mapping[str, str],
          channel_kinds: Mapping[str, str], seed: int = 0) -> UpliftModel:  # fmt: skip
    """An uplift model from response logs joined to the users' tags."""
    rows, pos = join_tags(logs, tags)
    x = user_features(tags)[pos]
    holdout = rows.column("channel").is_null().to_numpy(zero_copy_only=False)
    converted = rows.column("converted").to_numpy(zero_copy_only=False).astype(bool)
    return UpliftModel(seed).fit(x, option_rows(rows, catalog, offer_kinds, channel_kinds), holdout, converted)


def score(model: UpliftModel, x_user: np.ndarray, options: Sequence[Option], progress: object | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(uplift, p_touched) per user and option, shape (users, options), scored in chunks (`progress.update(n)` per chunk)."""
    n = len(x_user)
    up = np.empty((n, len(options)), dtype=np.float32)
    p1 = np.empty((n, len(options)), dtype=np.float32)
    for part in chunks(n):
        for j, option in enumerate(options):
            a, b = model.predict(x_user[part], option)
            up[part, j], p1[part, j] = a - b, a
        if progress is not None:
            progress.update(part.stop - part.start)  # type: ignore[attr-defined]
    return up, p1
