"""Filters: the lexical and dense sides let the same documents through, and refuse the same filters, as Chroma does.

Both sides ask Chroma for the ids a `where` lets through, so this table pins Chroma's own rules (type-strict booleans,
ints equal to floats, $ne and $nin keeping documents without the key, ranges skipping strings) and its refusals.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from finpilot import FinpilotError, get_settings
from retrieval import IndexDoc, SearchIndex
from retrieval._search import make_embedder, matches, open_client

QUERY = "基金 fund"
DOCS = [
    IndexDoc(id="a", text="基金 fund 申购费 A类份额",
             metadata={"kind": "glossary", "lang": "zh", "level": 1, "score": 0.5, "flag": True}),
    IndexDoc(id="b", text="基金 fund 最大回撤 drawdown",
             metadata={"kind": "glossary", "lang": "en", "level": 2, "score": 1.5, "flag": False}),
    IndexDoc(id="c", text="基金 fund 年化利率 合规", metadata={"kind": "compliance", "lang": "zh", "level": 3, "score": 2.5}),
    IndexDoc(id="d", text="基金 fund 定投 常见问题", metadata={"kind": "faq", "lang": "zh", "level": "4"}),  # a string level
    IndexDoc(id="e", text="基金 fund monthly plan", metadata={"level": 5.0, "score": 3, "flag": 1}),  # no kind; flag 1
]  # fmt: skip
ALL = {d.id for d in DOCS}

VALID: list[tuple[Any, set[str]]] = [
    ({"kind": "glossary"}, {"a", "b"}),
    ({"kind": {"$eq": "faq"}}, {"d"}),
    ({"kind": {"$ne": "glossary"}}, {"c", "d", "e"}),  # a document without the key passes $ne
    ({"level": {"$gt": 2}}, {"c", "e"}),  # the string "4" is not a number to compare
    ({"level": {"$gte": 3}}, {"c", "e"}),
    ({"score": {"$lt": 2}}, {"a", "b"}),
    ({"score": {"$lte": 3.0}}, {"a", "b", "c", "e"}),
    ({"level": {"$in": [1, 5]}}, {"a", "e"}),  # 5 finds 5.0
    ({"level": 1.0}, {"a"}),
    ({"score": 1.5}, {"b"}),
    ({"level": {"$eq": "4"}}, {"d"}),
    ({"kind": {"$nin": ["glossary", "faq"]}}, {"c", "e"}),
    ({"flag": True}, {"a"}),  # a bool is not the int 1
    ({"flag": 1}, {"e"}),
    ({"flag": {"$ne": True}}, {"b", "c", "d", "e"}),
    ({"$and": [{"lang": "zh"}, {"level": {"$lte": 2}}]}, {"a"}),
    ({"$or": [{"kind": "faq"}, {"flag": False}]}, {"b", "d"}),
    ({"$and": [{"$or": [{"kind": "glossary"}, {"kind": "faq"}]}, {"lang": {"$in": ["zh"]}}]}, {"a", "d"}),
    ({}, ALL),  # empty: no filter
    (None, ALL),
]

INVALID: list[tuple[Any, str]] = [
    ({"kind": {"$regex": "g.*"}}, "Expected where operator to be one of"),
    ({"kind": {"$gt": "a"}}, "Expected operand value to be an int or a float for operator $gt, got a"),
    ({"$and": []}, "at least two where expressions, got []"),
    ({"$or": [{"kind": "faq"}]}, "at least two where expressions"),
    ({"$and": {"kind": "faq"}}, "Expected where value for $and or $or to be a list of where expressions"),
    ({"$and": [{"kind": "faq"}, "zh"]}, "Expected where to be a dict, got zh"),
    ({"$or": [{"kind": {"$foo": 1}}, {"lang": "zh"}]}, "got $foo"),
    ({"kind": "faq", "lang": "zh"}, "Expected where to have exactly one operator"),
    ({"level": {"$gt": 1, "$lt": 4}}, "Expected operator expression to have exactly one operator"),
    ({"kind": {"$in": "faq"}}, "Expected operand value to be an list for operator $in"),
    ({"kind": {"$in": []}}, "non-empty list"),
    ({"kind": {"$in": ["faq", 1]}}, "all values to be of the same type"),
    ({"kind": None}, "Expected where value to be a str, int, float, or operator expression"),
    ({"level": {"$gt": True}}, "Invalid where clause"),  # passes Chroma's validator; its engine refuses it
    ({"kind": {"$eq": ["faq"]}}, "Invalid where clause"),
    ("kind", "Expected where to be a dict"),
]


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SearchIndex, SearchIndex]]:
    """The same collection twice: ranked exactly (the default) and through Chroma's HNSW (exact_max=0)."""
    s = get_settings(home=tmp_path_factory.mktemp("where-home"), chroma_url=None)
    client = open_client(s)
    exact = SearchIndex(client, "where_docs", make_embedder(s))
    exact.sync(DOCS)
    yield exact, SearchIndex(client, "where_docs", make_embedder(s), exact_max=0)


def _outcome(run: Any) -> tuple[str, Any]:
    try:
        return "ids", {h.id for h in run()}
    except FinpilotError as exc:
        return "error", str(exc)


SIDES = ["lexical", "dense", "dense (HNSW)", "hybrid", "matches()"]


def _sides(indexes: tuple[SearchIndex, SearchIndex], where: Any) -> dict[str, tuple[str, Any]]:
    exact, hnsw = indexes
    return {
        "lexical": _outcome(lambda: exact.lexical(QUERY, k=10, where=where)),
        "dense": _outcome(lambda: exact.dense(QUERY, k=10, where=where)),
        "dense (HNSW)": _outcome(lambda: hnsw.dense(QUERY, k=10, where=where)),
        "hybrid": _outcome(lambda: exact.hybrid(QUERY, k=10, where=where)),
        "matches()": _outcome(lambda: [d for d in DOCS if matches(where, d.metadata)]),
    }


@pytest.mark.parametrize("where, expected", VALID, ids=[repr(w) for w, _ in VALID])
def test_valid_filters_let_the_same_documents_through_everywhere(indexes: Any, where: Any, expected: set[str]) -> None:
    assert _sides(indexes, where) == dict.fromkeys(SIDES, ("ids", expected))


@pytest.mark.parametrize("where, fragment", INVALID, ids=[repr(w) for w, _ in INVALID])
def test_refused_filters_are_one_finpilot_error_with_chromas_message(indexes: Any, where: Any, fragment: str) -> None:
    sides = _sides(indexes, where)
    kind, message = sides["lexical"]
    assert kind == "error" and message.startswith("invalid filter: ") and fragment in message, message
    assert sides == dict.fromkeys(SIDES, ("error", message))
    assert " in get." not in message and " in query." not in message  # the same words whichever call Chroma was in


def test_a_refused_filter_is_refused_on_an_empty_collection_too(tmp_path: Any) -> None:
    s = get_settings(home=tmp_path, chroma_url=None)
    empty = SearchIndex(open_client(s), "where_empty", make_embedder(s))
    empty.sync([])
    for run in (empty.lexical, empty.dense, empty.hybrid):
        assert run(QUERY, 10, {"kind": "faq"}) == []
        with pytest.raises(FinpilotError, match="invalid filter: Invalid where clause"):
            run(QUERY, 10, {"level": {"$gt": True}})
