"""The one policy file: every rule's examples hold for every checker that reads it.

A claim's `hits` are flagged by the copy checker and, asked for in a request, refused by the request checker under
the claim's category; its `passes` are neither. The vulnerable-group words refuse a credit brief and nothing else.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.compliance import check_copy
from assistant.compliance._policy import POLICY_FILE, Policy, policy
from assistant.safety import check_request
from finpilot import FinpilotError

P = policy()
# The copy checker's issue code for each claim, and the product the copy is about (approval words are a loan's).
CODE = {"principal_promise": ("principal_promise", "fund"), "return_promise": ("return_promise", "fund"),
        "absolute_claim": ("absolute_claim", "fund"), "superlative": ("absolute_claim", "fund"),
        "approval_promise": ("approval_promise", "consumer_credit")}  # fmt: skip
CLAIMS = [(name, text) for name, rule in P.claims.items() for text in rule.hits]
LOOKALIKES = [(name, text) for name, rule in P.claims.items() for text in rule.passes]


def test_every_claim_names_a_category_a_source_and_a_copy_code() -> None:
    assert set(P.claims) == set(CODE)
    for rule in P.claims.values():
        assert rule.source and rule.hits
    for d in P.disclosures.values():
        assert d.source and d.wording


@pytest.mark.parametrize(("name", "text"), CLAIMS)
def test_a_claim_is_flagged_in_copy_and_refused_in_a_request(name: str, text: str) -> None:
    code, kind = CODE[name]
    report = check_copy(text, product_kind=kind, fix=False)  # type: ignore[arg-type]
    assert code in {i.code for i in report.remaining}, (name, text)
    if P.claims[name].refuse_request:
        r = check_request(f"帮我写一条推送文案，写上「{text}」", learned=False)
        assert r is not None and r.category == P.claims[name].category, (name, text, r)


@pytest.mark.parametrize(("name", "text"), LOOKALIKES)
def test_a_lookalike_is_neither_flagged_nor_refused(name: str, text: str) -> None:
    code, kind = CODE[name]
    assert code not in {i.code for i in check_copy(text, product_kind=kind, fix=False).remaining}, (name, text)  # type: ignore[arg-type]
    assert check_request(f"帮我写一条推送文案，写上「{text}」", learned=False) is None, (name, text)


def test_disclosure_wording_is_recognised_as_present() -> None:
    import re

    from assistant.compliance._check import fold

    for kind, d in P.disclosures.items():
        assert re.search(d.present, fold(d.wording)), kind


def test_vulnerable_words_are_the_planners() -> None:
    from assistant.campaigns._vulnerable import _UNTAGGED, OVERDUE_LOOKBACK_DAYS, VULNERABLE_TAGS

    assert OVERDUE_LOOKBACK_DAYS == P.vulnerable.overdue_lookback_days and set(VULNERABLE_TAGS) == set(P.vulnerable.tags)
    assert all(_UNTAGGED.search(t) for t in P.vulnerable.hits)
    assert not any(_UNTAGGED.search(t) for t in P.vulnerable.passes)


def test_a_broken_policy_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tomllib

    raw = tomllib.loads(POLICY_FILE.read_text(encoding="utf-8"))
    raw["claims"]["return_promise"]["pattern"] = "保(证"
    with pytest.raises(ValueError, match="not a valid pattern"):
        Policy.model_validate(raw)
    raw["claims"]["return_promise"]["pattern"] = "保证"
    raw["claims"]["return_promise"]["category"] = "rude"
    with pytest.raises(ValueError, match="category"):
        Policy.model_validate(raw)
    bad = tmp_path / "policy.toml"
    bad.write_text("version = [", encoding="utf-8")
    monkeypatch.setattr("assistant.compliance._policy.POLICY_FILE", bad)
    policy.cache_clear()
    try:
        with pytest.raises(FinpilotError, match="policy file"):
            policy()
    finally:
        policy.cache_clear()
