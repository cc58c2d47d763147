"""The shipped knowledge documents load, meet their coverage floor, and the retrieval bench points at them."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from retrieval._knowledge import KNOWLEDGE_DIR, load_knowledge_docs

QUERIES = Path(__file__).resolve().parents[2] / "eval" / "suites" / "retrieval_knowledge.jsonl"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def docs():
    return load_knowledge_docs()


@pytest.fixture(scope="module")
def queries():
    return [json.loads(line) for line in QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_at_least_60_docs_load_sorted(docs):
    assert len(docs) >= 60
    assert [d.doc_id for d in docs] == sorted(d.doc_id for d in docs)


def test_every_kind_meets_its_minimum(docs):
    kinds = Counter(d.kind for d in docs)
    assert kinds["compliance"] >= 12
    assert kinds["playbook"] >= 18
    assert kinds["glossary"] + kinds["faq"] >= 20
    assert kinds["product"] >= 12


def test_ids_are_unique_and_equal_file_names(docs):
    ids = [d.doc_id for d in docs]
    assert len(ids) == len(set(ids))
    assert set(ids) == {p.stem for p in KNOWLEDGE_DIR.glob("*.md")}


def test_every_doc_is_chinese_and_substantive(docs):
    for doc in docs:
        assert doc.lang == "zh", doc.doc_id
        assert 150 <= len(CHINESE.findall(doc.body)) <= 600, doc.doc_id


def test_compliance_docs_carry_the_mandatory_phrases(docs):
    text = "\n".join(d.body for d in docs if d.kind == "compliance")
    for phrase in ("基金有风险，投资需谨慎", "过往业绩不预示其未来表现", "年化"):
        assert phrase in text


def test_queries_name_existing_docs(docs, queries):
    ids = {d.doc_id for d in docs}
    assert len({q["id"] for q in queries}) == len(queries)
    for q in queries:
        assert q["query"].strip() and q["relevant"], q["id"]
        assert set(q["relevant"]) <= ids, q["id"]
    langs = Counter(q["lang"] for q in queries)
    assert langs["zh"] >= 40
    assert langs["en"] >= 20


GOOD = '+++\ndoc_id = "{stem}"\nkind = "faq"\ntitle = "示例"\ntags = []\nlang = "zh"\n+++\n\n正文内容。\n'


def test_loads_from_a_given_directory(tmp_path):
    (tmp_path / "demo-doc.md").write_text(GOOD.format(stem="demo-doc"), encoding="utf-8")
    [doc] = load_knowledge_docs(directory=tmp_path)
    assert (doc.doc_id, doc.body, doc.source) == ("demo-doc", "正文内容。", "finpilot demo knowledge, fictional")


@pytest.mark.parametrize(
    "text",
    [
        "没有前置元数据的正文。\n",
        '+++\ndoc_id = "broken-doc"\nkind = "faq"\n',
        '+++\ndoc_id = "broken-doc\nkind = "faq"\n+++\n\n正文。\n',
        GOOD.format(stem="another-doc"),
        GOOD.format(stem="broken-doc").replace('"faq"', '"essay"'),
    ],
    ids=["no-front-matter", "unclosed-front-matter", "bad-toml", "id-mismatch", "bad-kind"],
)
def test_malformed_file_raises_value_error_naming_it(tmp_path, text):
    (tmp_path / "broken-doc.md").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="broken-doc.md"):
        load_knowledge_docs(directory=tmp_path)
