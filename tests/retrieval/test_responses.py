"""The demo's response logs: deterministic, consistent funnels, hold-outs untouched, calibrated to the history, and a
truth with every kind of user the issue names (responds anyway, only when touched, never, worse when touched)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from retrieval import ResponseModel, Treatment, generate_users, user_arrays
from retrieval._demo import (
    generate_campaigns,
    generate_channels,
    generate_offers,
    generate_products,
    write_demo_responses,
)

SEED = 20190830


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    pq.write_table(generate_users(SEED, 60_000), folder / "users.parquet")
    write_demo_responses(SEED, folder)
    return folder


def test_the_logs_are_deterministic(demo: Path, tmp_path: Path) -> None:
    (tmp_path / "users.parquet").symlink_to(demo / "users.parquet")
    write_demo_responses(SEED, tmp_path)
    assert pq.read_table(tmp_path / "responses.parquet").equals(pq.read_table(demo / "responses.parquet"))


def test_funnels_are_consistent_and_hold_outs_untouched(demo: Path) -> None:
    logs = pq.read_table(demo / "responses.parquet")
    hold = pc.equal(logs.column("arm"), "control").to_numpy(zero_copy_only=False)
    touches = logs.column("touches").to_numpy()
    opened, clicked = (logs.column(c).to_numpy(zero_copy_only=False) for c in ("opened", "clicked"))
    converted, value = logs.column("converted").to_numpy(zero_copy_only=False), logs.column("value").to_numpy()
    assert (touches[hold] == 0).all() and logs.column("channel").filter(hold).null_count == hold.sum()
    assert not (clicked & ~opened).any() and not (opened & (touches == 0)).any()
    assert ((value > 0) == converted).all()
    assert len(set(logs.column("campaign_id").to_pylist())) >= 20


def test_each_campaign_converts_at_its_recorded_rate(demo: Path) -> None:
    products, channels, offers = generate_products(SEED), generate_channels(SEED), generate_offers(SEED)
    records = {c.campaign_id: c for c in generate_campaigns(SEED, products, channels, offers)}
    logs = pq.read_table(demo / "responses.parquet")
    ratios = []
    for cid in set(logs.column("campaign_id").to_pylist()):
        rows = logs.filter(pc.and_(pc.equal(logs.column("campaign_id"), cid), pc.not_equal(logs.column("arm"), "control")))
        record = records[cid]
        if record.conversions >= 20 and rows.num_rows >= 5_000:
            got = pc.sum(rows.column("converted")).as_py() / rows.num_rows
            ratios.append(got / (record.conversions / record.reach))
    # Calibrated on the campaign's own users: the first channel's chance sets the scale, the mix of channels moves it a little.
    assert ratios and 0.6 <= float(np.median(ratios)) <= 1.6


def test_the_truth_has_every_kind_of_user() -> None:
    users = user_arrays(generate_users(SEED, 50_000))
    sure, persuadable, dog = ResponseModel().kinds(users, "wealth", 2)
    assert sure.mean() > 0.001 and persuadable.mean() > 0.01 and dog.mean() > 0.001
    assert (sure + persuadable + dog <= 1 + 1e-9).all()
    p0, p1 = ResponseModel().rates(users, Treatment("wenying_90d", "wealth", 2, 30_000, "sms", "sms", 0.012, touches=2))
    uplift = p1 - p0
    assert (uplift < 0).mean() > 0.01 and (uplift > 0.01).mean() > 0.01  # some respond worse, some only when touched
