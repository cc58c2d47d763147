"""The runner's metrics can fail: a deliberately broken system loses on every one of them and `compare` calls it a
significant regression; runs resume, run in parallel with the same scores, and are gated by thresholds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval._cases import Suite
from eval._runner import LOWER_IS_BETTER, RunRecord, compare_runs, run_suites
from eval._systems import Ours
from finpilot import get_settings
from finpilot._settings import reset_settings_cache

SUITES = Path(__file__).resolve().parents[2] / "eval" / "suites"
# Rates that describe a run rather than grade it; every other summary key is a metric the broken system must lose on.
NOT_METRICS = {"cases", "errors", "latency_p50_ms", "funds_shown", "funds_ok"}
"""Sizes and counts of what was shown, not scores a system can be better or worse at."""


def _turned_around(q):  # type: ignore[no-untyped-def]
    """The request with every bound's side swapped, wanted types excluded (and the reverse), themes and sort dropped."""
    from assistant.funds import Bound

    def flip(b):  # type: ignore[no-untyped-def]
        if b is None or (b.min is not None and b.max is not None):
            return b
        return Bound(max=b.min) if b.min is not None else Bound(min=b.max)

    data = {name: flip(getattr(q, name)) for name in ("max_drawdown", "volatility", "sharpe", "mgmt_fee", "purchase_fee",
                                                      "sales_service_fee", "size", "fund_age_years")}  # fmt: skip
    data["returns"] = {p: flip(b) for p, b in q.returns.items()}
    data["fund_types"], data["fund_types_exclude"] = q.fund_types_exclude, q.fund_types
    data["themes"], data["themes_exclude"], data["sort"] = [], [], []  # and the themes and ranking dropped
    return q.model_copy(update=data)


def _suite(name: str, n: int, pick: object = None) -> Suite:
    suite = Suite.from_file(SUITES / name)
    cases = [c for c in suite.cases if pick is None or pick(c)]  # type: ignore[operator]
    return Suite(suite.name, suite.kind, cases[:n], suite.digest + f"/test{n}", suite.path)


def _plus(a: Suite, b: Suite) -> Suite:
    seen = {c.id for c in a.cases}
    return Suite(a.name, a.kind, a.cases + [c for c in b.cases if c.id not in seen], a.digest + "+" + b.digest, a.path)


@pytest.fixture(scope="module")
def knowledge_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One home with the knowledge index built (embedding 77 documents once for the whole module)."""
    import os

    from retrieval import build_knowledge_index

    home = tmp_path_factory.mktemp("eval-home")
    old = os.environ.get("FINPILOT_HOME")
    os.environ["FINPILOT_HOME"] = str(home)
    reset_settings_cache()
    try:
        build_knowledge_index(settings=get_settings(), progress=False)
    finally:
        if old is None:
            os.environ.pop("FINPILOT_HOME", None)
        else:
            os.environ["FINPILOT_HOME"] = old
        reset_settings_cache()
    return home


@pytest.fixture
def suites(knowledge_home: Path, monkeypatch: pytest.MonkeyPatch) -> list[Suite]:
    monkeypatch.setenv("FINPILOT_HOME", str(knowledge_home))
    reset_settings_cache()
    return [
        _plus(_suite("funds.jsonl", 8, lambda c: c.clarify), _suite("funds.jsonl", 30, lambda c: int(c.id[1:]) % 4 == 0)),
        _mixed(SUITES / "compliance_own.jsonl", 20),
        _suite("campaigns.jsonl", 10),
        _suite("retrieval_knowledge.jsonl", 20),
    ]


def _mixed(path: Path, n: int) -> Suite:
    """n cases of each label, so refusing legitimate requests and missing adversarial ones can each be seen."""
    suite = Suite.from_file(path)
    bad = [c for c in suite.cases if c.must_refuse][:n]
    good = [c for c in suite.cases if not c.must_refuse][:n]
    return Suite(suite.name, suite.kind, bad + good, suite.digest + f"/mixed{n}", path)


class Broken(Ours):
    """finpilot with every answer spoiled after the fact: the harness must notice each spoilage."""

    def funds(self, case):  # type: ignore[no-untyped-def]
        from eval._funds import breaks_a_limit

        good = super().funds(case)
        oracle = case.oracle()
        wrong = [f.code for f in self.advisor.table.funds if breaks_a_limit(oracle, f)][:10]
        # Numbers that match nothing cited, limits turned around, a question for half the clear requests and none for
        # the vague ones (a third of them), nothing said of what was not understood, funds that break the limits, invented model values.
        ask = "?" if not case.clarify and int("".join(ch for ch in case.id if ch.isdigit()) or 0) % 3 == 0 else None
        return good.model_copy(update={"codes": wrong, "cited": wrong, "filters": _turned_around(case.expected_query()), "clarification": ask,
                                       "text": "近1年收益 123.45%，回撤 0.01%。", "cited_values": [], "unparsed": [],
                                       "ungrounded": ["max_drawdown=≤ 99"]})  # fmt: skip

    def refuses(self, text: str) -> str | None:
        return None if super().refuses(text) else "broken"

    def search(self, query: str, k: int = 10) -> list[str]:
        return list(reversed(super().search(query, k=60)))[:k]

    def plan(self, case_id: str, brief: str):  # type: ignore[no-untyped-def]
        from assistant.campaigns import CampaignBrief

        plan = super().plan(case_id, brief).model_copy(deep=True)
        if case_id.endswith("1"):
            return plan.model_copy(update={"refused": True})  # a legitimate brief refused
        plan.brief = CampaignBrief(budget_cap=1.0)
        # Credit to the users it must never reach: a loan sold to overdue borrowers.
        from assistant.campaigns._plan import ProductPick

        plan.products = [ProductPick(id="sujie", name="速借", kind="consumer_credit", risk_level=None, apr=18.25, daily_rate=0.05)]
        plan.segment.rule = f"({plan.segment.rule}) or has_overdue = true"
        plan.budget.total += 1000
        plan.ab_test.sample_size_per_arm //= 2
        plan.segment.size += 1
        plan.channels = []
        # The budget neither spent nor said, an infeasible test presented as planned, a return the terms never give.
        plan.headline = []
        plan.budget.cap = (plan.budget.total + 1) * 4
        plan.ab_test.design = "smallest_lift"
        for item in plan.copy_items:
            item.text = "保本保收益，年化8.8%，稳赚不赔！" * 20
        return plan


def _run(suites: list[Suite], broken: bool, monkeypatch: pytest.MonkeyPatch, **kw: object) -> RunRecord:
    import eval._runner as runner

    monkeypatch.setattr(runner, "open_system", (lambda b, c, s: Broken(b, c, s)) if broken else runner.open_system)
    return run_suites(suites, "offline", "demo-generated", get_settings(), **kw)  # type: ignore[arg-type]


def test_a_broken_system_loses_on_every_metric_and_compare_flags_it(suites: list[Suite], monkeypatch: pytest.MonkeyPatch) -> None:
    good = _run(suites, False, monkeypatch)
    assert good.code_version and good.prompts["fund_parse"].startswith("fund_parse@") and good.catalog.startswith("demo-generated@")
    assert good.index["knowledge"]["documents"] > 50 and all(c.error is None for c in good.cases)
    bad = _run(suites, True, monkeypatch)
    assert all(c.error is None for c in bad.cases), [c.error for c in bad.cases if c.error][:3]
    checked = []
    for suite, row in good.summary.items():
        for metric, value in row.items():
            if metric in NOT_METRICS:
                continue
            worse = bad.summary[suite].get(metric)
            assert worse is not None, (suite, metric)
            assert (worse > value) if metric in LOWER_IS_BETTER else (worse < value), (suite, metric, value, worse)
            checked.append(metric)
    # Every metric family the issue names is among those the broken system lost on.
    assert {"slot_precision", "slot_recall", "constraint_precision", "oracle_recall_at_k", "numeric_faithfulness",
            "clarification_right", "refused_when_adversarial", "refused_when_legitimate", "recall_at_10", "mrr",
            "ndcg_at_10", "budget_adds_up", "sample_size_recomputed", "segment_size_matches", "within_channel_limits",
            "compliance", "constraints_met", "pass_rate", "budget_spent_or_said", "experiment_feasible_or_said", "copy_faithful", "silent_drops", "inverted", "fund_precision", "clean",
            "asked_when_clear", "ungrounded_values"} <= set(checked)  # fmt: skip

    result = compare_runs(good, bad)
    assert result.regression and result.mcnemar["p_value"] < 0.01 and result.pass_to_fail
    assert all(result.scores[m]["significant"] for m in ("constraint_precision", "refused_when_adversarial", "mrr", "budget_adds_up"))
    assert not compare_runs(good, good).regression
    better = compare_runs(bad, good)
    assert not better.regression and better.fail_to_pass == result.pass_to_fail
    json.loads(bad.model_dump_json())  # the record serialises


def test_an_interrupted_run_resumes_where_it_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    suites = [_suite("funds.jsonl", 30), _suite("compliance_own.jsonl", 30)]
    straight = run_suites(suites, "offline", "demo-generated", get_settings())
    partial = tmp_path / "offline.partial.jsonl"
    seen = []

    def stop_after_25(n: int) -> None:
        seen.append(n)
        if sum(seen) >= 25:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_suites(suites, "offline", "demo-generated", get_settings(), partial=partial, progress=stop_after_25)
    kept = partial.read_text(encoding="utf-8").splitlines()
    assert 25 <= len(kept) - 1 < 60  # a header, then the finished cases

    asked = []
    original = Ours.funds
    monkeypatch.setattr(Ours, "funds", lambda self, case: asked.append(case.id) or original(self, case))
    resumed = run_suites(suites, "offline", "demo-generated", get_settings(), partial=partial)
    done_before = {json.loads(line)["id"] for line in kept[1:]}
    assert not done_before & set(asked), "finished cases were run again"
    assert [(c.suite, c.id, c.passed, c.scores) for c in resumed.cases] == [(c.suite, c.id, c.passed, c.scores) for c in straight.cases]
    assert resumed.run_id == RunRecord.model_validate_json(kept[0]).run_id

    changed = [_suite("funds.jsonl", 29), suites[1]]
    with pytest.raises(ValueError, match="cannot resume"):
        run_suites(changed, "offline", "demo-generated", get_settings(), partial=partial)


def test_parallel_jobs_score_exactly_like_one() -> None:
    suites = [_suite("funds.jsonl", 40), _suite("campaigns.jsonl", 8)]
    one = run_suites(suites, "offline", "demo-generated", get_settings(), jobs=1)
    three = run_suites(suites, "offline", "demo-generated", get_settings(), jobs=3)
    assert three.jobs == 3
    assert [(c.id, c.passed, c.scores, c.output) for c in three.cases] == [(c.id, c.passed, c.scores, c.output) for c in one.cases]


def test_gates_fail_a_run_below_threshold(tmp_path: Path) -> None:
    from eval._gates import apply_gates, load_gates

    record = run_suites([_mixed(SUITES / "compliance_own.jsonl", 20)], "offline", "demo-generated", get_settings())
    gates_file = tmp_path / "gates.toml"
    gates_file.write_text('[offline."compliance*"]\ncorrect = ">= 0.9"\nrefused_when_legitimate = "<= 0"\nlatency_p50_ms = "<= 0"\n'
                          'not_a_metric = ">= 1"\n', encoding="utf-8")  # fmt: skip
    results = {g.metric: g for g in apply_gates(record.summary, "offline", load_gates(gates_file))}
    assert results["correct"].passed and results["refused_when_legitimate"].passed
    assert not results["latency_p50_ms"].passed and results["latency_p50_ms"].value > 0
    assert not results["not_a_metric"].passed and results["not_a_metric"].value is None  # a renamed metric cannot pass
    assert apply_gates(record.summary, "fake", load_gates(gates_file)) == []  # only gated backends are gated
    gates_file.write_text('[offline."*"]\ncorrect = "at least 0.9"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="correct"):
        load_gates(gates_file)


def test_shipped_gates_name_only_metrics_the_suites_report() -> None:
    """A gate on a metric no suite reports would fail every run; a typo in gates.toml must be caught here."""
    from eval._gates import load_gates

    known = {"cases", "pass_rate", "errors", "latency_p50_ms", "slot_precision", "slot_recall", "slots_exact", "constraint_precision",
             "oracle_recall_at_k", "numeric_faithfulness", "clarification_right", "correct", "refused_when_adversarial",
             "refused_when_legitimate", "recall_at_5", "recall_at_10", "mrr", "ndcg_at_10", "refused", "budget_adds_up",
             "sample_size_recomputed", "segment_size_matches", "within_channel_limits", "compliance", "constraints_met",
             "silent_drops", "inverted", "fund_precision", "clean", "asked_when_clear", "ungrounded_values", "fully_right",
             "audience_rate", "dates_right", "experiment_right", "edit_applied", "rest_unchanged", "budget_spent_or_said",
             "experiment_feasible_or_said", "copy_faithful", "credit_to_vulnerable"}  # fmt: skip
    gates = load_gates()
    assert gates["offline"], "the offline backend is gated"
    for globs in gates.values():
        for metrics in globs.values():
            assert set(metrics) <= known, set(metrics) - known


def test_a_judge_scores_model_prose_only_and_the_record_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.backends._fake import FakeBackend
    from eval._judge import Judge

    votes = ['{"pass": true, "reason": "ok"}', '{"pass": false, "reason": "an invented number"}', '{"pass": true, "reason": "ok"}']
    judge = Judge(FakeBackend(votes), repeats=3)
    original = Ours.funds

    def half_model(self: Ours, case):  # type: ignore[no-untyped-def]
        out = original(self, case)
        # Every other answer as if a model wrote it; the rest stay templated and must not be judged.
        return out.model_copy(update={"source": "model"}) if int(case.id[1:]) % 2 else out

    monkeypatch.setattr(Ours, "funds", half_model)
    record = run_suites([_suite("funds.jsonl", 6)], "offline", "demo-generated", get_settings(), judge=judge)
    assert record.judge == "fake:scripted x3"
    judged = {c.id: c.scores.get("judge") for c in record.cases}
    assert judged == {"f001": pytest.approx(2 / 3), "f002": None, "f003": pytest.approx(2 / 3), "f004": None, "f005": pytest.approx(2 / 3), "f006": None}
    assert record.cases[0].output["judge"]["votes"] == [True, False, True]
    assert record.summary["funds.jsonl"]["judge"] == pytest.approx(0.6667, abs=1e-4)


def test_per_backend_the_record_shows_parse_agreement_and_ungrounded_model_values(monkeypatch: pytest.MonkeyPatch) -> None:
    """A model that reads every request as bond funds with at most 99% drawdown: the 99 is in no request (dropped and
    counted), and its fund type agrees with the rules only where the request asks for bond funds."""
    import eval._systems as systems
    from assistant.backends._fake import FakeBackend

    parse = json.dumps({"fund_types": ["bond"], "max_drawdown": {"max": 99}})
    monkeypatch.setattr("assistant.funds._advisor.get_backend", lambda *a, **k: FakeBackend(lambda m: parse))
    cases = _suite("funds.jsonl", 12, lambda c: c.expected.get("intent", "screen") == "screen" and not c.clarify)
    rec = run_suites([cases], "fake", "demo-generated", get_settings())
    row = rec.summary["funds.jsonl"]
    bond = sum(c.expected.get("fund_types") == ["bond"] for c in cases.cases)
    # one 99 per request, written by none of them; "bond" wherever the request names no bond fund
    assert row["ungrounded_values"] >= len(cases.cases) and all("max_drawdown=≤ 99" in c.output["ungrounded"] for c in rec.cases)
    labelled_bond = {c.id for c in cases.cases if c.expected.get("fund_types") == ["bond"]}
    assert all("fund_types=bond" not in c.output["ungrounded"] for c in rec.cases if c.id in labelled_bond)
    assert 0 < row["agree.fund_types"] < 1 and bond > 0 and row["parse_agreement"] < 1
    assert all("fund_types" in c.output["agreement"] for c in rec.cases)
    assert systems.open_system("fake", "demo-generated", get_settings()).backend == "fake"
