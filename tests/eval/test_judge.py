"""The model-as-judge metric: majority of scripted votes, abstentions, skips without calls, and an honest offline."""

from __future__ import annotations

import json

import pytest

from assistant.backends import CallCache
from assistant.backends._cache import CachedBackend
from assistant.backends._fake import FakeBackend
from assistant.backends._offline import OfflineBackend
from eval._judge import NO_MODEL, UNPARSEABLE, Judge, JudgeReply, degenerate
from prompts import load_prompt

QUESTION = "推荐两只低风险的债券基金"
ANSWER = "根据您的要求，筛选出两只R2债券基金：测试稳健债券000001A和测试稳健债券000002A，近一年收益见上表（截至2026-10-30）。"
CRITERIA = "Only numbers from the shortlist; no promised returns."


def vote(passed: bool, reason: str = "ok") -> str:
    return json.dumps({"pass": passed, "reason": reason})


def test_majority_of_three_passes_with_a_two_thirds_score() -> None:
    fake = FakeBackend([vote(True), vote(False, "invented a fee"), vote(True)], cycle=False)
    verdict = Judge(fake, repeats=3).judge(QUESTION, ANSWER, CRITERIA)
    assert verdict.passed is True and verdict.skipped is None
    assert verdict.score == pytest.approx(2 / 3)
    assert [v.passed for v in verdict.votes] == [True, False, True] and verdict.votes[1].reason == "invented a fee"
    assert len(fake.calls) == 3 and verdict.repeats == 3
    # Every vote sends the same conversation, with the judge prompt first and the answer inside as data.
    assert all(c == fake.calls[0] for c in fake.calls)
    assert fake.calls[0][0].content == load_prompt("eval_judge").text and ANSWER in fake.calls[0][1].content


def test_majority_of_fails_does_not_pass() -> None:
    fake = FakeBackend([vote(False), vote(True), vote(False)], cycle=False)
    verdict = Judge(fake, repeats=3).judge(QUESTION, ANSWER, CRITERIA)
    assert verdict.passed is False and verdict.score == pytest.approx(1 / 3) and verdict.skipped is None


def test_a_tie_is_not_a_pass() -> None:
    verdict = Judge(FakeBackend([vote(True), vote(False)], cycle=False), repeats=2).judge(QUESTION, ANSWER, CRITERIA)
    assert verdict.passed is False and verdict.score == pytest.approx(0.5) and verdict.skipped is None


def test_unparseable_votes_abstain_and_are_recorded() -> None:
    fake = FakeBackend([vote(True), "I think it passes", '{"pass": "maybe"}', vote(True), vote(False)], cycle=False)
    verdict = Judge(fake, repeats=5).judge(QUESTION, ANSWER, CRITERIA)
    assert [v.passed for v in verdict.votes] == [True, None, None, True, False]
    assert all(v.error for v in verdict.votes if v.passed is None) and not any(v.error for v in verdict.votes if v.passed is not None)
    assert verdict.score == pytest.approx(2 / 3) and verdict.passed is True  # 2 of the 3 votes cast
    # An abstention does not break a tie.
    tie = Judge(FakeBackend([vote(True), "garbage", vote(False)], cycle=False), repeats=3).judge(QUESTION, ANSWER, CRITERIA)
    assert tie.passed is False and tie.score == pytest.approx(0.5)


def test_every_vote_unparseable_gives_no_score() -> None:
    fake = FakeBackend(["not json", "{}", "```json\n{\"pass\": tru"], cycle=False)
    verdict = Judge(fake, repeats=3).judge(QUESTION, ANSWER, CRITERIA)
    assert verdict.score is None and verdict.passed is False and verdict.skipped == UNPARSEABLE
    assert len(verdict.votes) == 3 and all(v.passed is None and v.error for v in verdict.votes)


@pytest.mark.parametrize(
    "answer",
    ["", "   \n\t", "好的", "ok.", "哈哈哈哈哈哈", "哈哈，哈哈，哈哈！", "the the the the", "The THE the. the", "abababab",
     "buy buy buy buy buy now", "基金" * 30 + "好", "哈哈哈哈哈嘿嘿嘿嘿嘿", "好的好的好的好的。", "the cat the dog the the the"],
)  # fmt: skip
def test_degenerate_answers_are_skipped_without_a_call(answer: str) -> None:
    assert degenerate(answer) is not None
    fake = FakeBackend([vote(True)])
    verdict = Judge(fake).judge(QUESTION, answer, CRITERIA)
    assert verdict.skipped == degenerate(answer) and verdict.score is None and verdict.passed is False
    assert fake.calls == [] and verdict.votes == []


def test_an_answer_that_repeats_the_question_is_skipped_without_a_call() -> None:
    fake = FakeBackend([vote(True)])
    verdict = Judge(fake).judge(QUESTION, f"  {QUESTION}。 ", CRITERIA)
    assert verdict.skipped == "answer repeats the question" and verdict.score is None and fake.calls == []


@pytest.mark.parametrize(
    "answer",
    [ANSWER, "No: none of the funds fits a 2% fee limit.", "Fund 000001 returned 4.2% over 1y (as of 2026-10-30).",
     "不建议购买", "哈哈，这个问题问得好：两只债券基金都符合您的风险等级。", "推荐000001和000002", "4.2%",
     "哈哈哈，好问题！两只债券基金000001与000002都符合您的风险等级C2，费率都不超过0.8%。"],
)  # fmt: skip
def test_real_answers_are_not_degenerate(answer: str) -> None:
    assert degenerate(answer) is None


def test_offline_backend_is_not_a_judge() -> None:
    for judge in (Judge("offline"), Judge(OfflineBackend())):
        verdict = judge.judge(QUESTION, ANSWER, CRITERIA)
        assert verdict.skipped == NO_MODEL and verdict.score is None and verdict.votes == [] and verdict.backend == "offline"


def test_offline_behind_the_call_cache_is_still_offline(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cached = CachedBackend(OfflineBackend(), CallCache(tmp_path / "calls.sqlite"))
    assert Judge(cached).judge(QUESTION, ANSWER, CRITERIA).skipped == NO_MODEL


def test_the_verdict_names_the_prompt_and_backend() -> None:
    verdict = Judge(FakeBackend([vote(True)])).judge(QUESTION, ANSWER, CRITERIA)
    ref = load_prompt("eval_judge").ref
    assert ref.startswith("eval_judge@1#") and verdict.prompt == ref
    assert verdict.backend == "fake" and verdict.model == "scripted"
    skipped = Judge(FakeBackend([vote(True)])).judge(QUESTION, "", CRITERIA)
    assert skipped.prompt == ref  # a skipped verdict still says which judge would have run


def test_votes_differ_only_in_their_seed() -> None:
    seen: list[dict[str, object]] = []

    class Recording(FakeBackend):
        def structured(self, messages, schema, **params):  # type: ignore[no-untyped-def]
            seen.append(params)
            return super().structured(messages, schema, **params)

    Judge(Recording([vote(True)]), repeats=3, temperature=0.5).judge(QUESTION, ANSWER, CRITERIA)
    assert seen == [{"temperature": 0.5, "seed": 0}, {"temperature": 0.5, "seed": 1}, {"temperature": 0.5, "seed": 2}]


def test_a_cached_judge_reply_round_trips(tmp_path) -> None:  # type: ignore[no-untyped-def]
    inner = FakeBackend([vote(True), vote(False), vote(True)], cycle=False)
    cache = CallCache(tmp_path / "calls.sqlite")
    first = Judge(CachedBackend(inner, cache)).judge(QUESTION, ANSWER, CRITERIA)
    again = Judge(CachedBackend(inner, cache)).judge(QUESTION, ANSWER, CRITERIA)
    assert len(inner.calls) == 3 and again.model_dump() == first.model_dump() and again.score == pytest.approx(2 / 3)


def test_reply_schema_uses_the_pass_key_and_repeats_must_be_positive() -> None:
    assert set(JudgeReply.model_json_schema()["properties"]) == {"pass", "reason"}
    with pytest.raises(ValueError, match="at least one vote"):
        Judge(FakeBackend(), repeats=0)
