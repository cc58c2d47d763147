"""Catalog and knowledge text shown through markdown: a fund's name reads as written, never as a picture, a link,
HTML, a bold promise or a Streamlit directive; a knowledge passage keeps its own formatting but reaches nothing."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.text import defuse_markdown, escape_markdown

try:  # CommonMark as a renderer would read it; without it the token check below still runs
    from markdown_it import MarkdownIt
except ImportError:  # pragma: no cover - markdown-it-py comes with rich, so it is normally there
    MarkdownIt = None

# The pieces hostile names are made of: images, links, autolinks, HTML, URLs, emphasis, code, headings, quotes,
# tables, strike-through, maths, Streamlit's directives, entities, list and heading markers, line breaks.
PIECES = ["![x](", "](", "[", "]", "(", ")", "<", ">", "<img src=http://127.0.0.1:9/x.png>", "<a href='javascript:alert(1)'>", "</a>",
          "<script>", "javascript:alert(1)", "data:text/html;base64,PGI+", "http://", "https://example.com/p.png", "www.example.com",
          "x@example.com", "<https://example.com>", "**", "*", "_", "__", "`", "```", "#", "## ", "|", " | ", "---", "~", "~~",
          ":red[", ":material/home:", ":smile:", "$", "$$", "\\", "&", "&lt;", "&#60;", "&#x3C;", "-", "+ ", "1. ", "2)", "=",
          "!", "\n", "\n\n", " ", "稳赚不赔", "基金", "a", "x.png", "'", '"', "{", "}", "^"]  # fmt: skip
names = st.lists(st.sampled_from(PIECES), min_size=1, max_size=14).map("".join)

_TAG = re.compile(r"<[^>]*>")
JOINER = "\u2060"
"""The invisible word joiner that keeps a URL or an e-mail address in text from becoming a link."""
ALLOWED_TAGS = {"p", "/p", "br", "br /", "pre", "/pre", "code", "/code"}
"""What escaped text may render to: paragraphs and line breaks (a code block from indentation is text too)."""


def _render(text: str) -> str:
    assert MarkdownIt is not None
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(text)


def _unescaped(text: str, token: str) -> bool:
    """Whether `token` occurs in `text` with its first character not escaped by a backslash."""
    for m in re.finditer(re.escape(token), text):
        slashes = len(text[: m.start()]) - len(text[: m.start()].rstrip("\\"))
        if slashes % 2 == 0:
            return True
    return False


def _no_markup_left(escaped: str) -> None:
    """The check that needs no renderer: every character that opens markup is escaped."""
    plain = escaped.replace("&#124;", "")  # the one entity the escaping writes, for "|"
    for ch in ("[", "]", "<", ">", "*", "_", "`", "~", "$", "#", "@", "&"):
        assert not _unescaped(plain, ch), (ch, escaped)
    assert "|" not in escaped  # a table cell's separator travels as its entity
    assert not re.search(r"(?<!\\):(?=[^\s\d])", escaped), escaped  # no directive (:red[, :material/), no URL scheme
    assert not re.search(r"(?i)www\.|://|@\w", escaped), escaped  # no URL or address remark-gfm would link in the text
    assert not re.search(r"(?m)^[ \t]*(?:[-+=]|\d+[.)])", escaped), escaped  # no list, setext heading or rule


@settings(max_examples=400, deadline=None)
@given(names)
def test_an_escaped_name_renders_as_its_own_characters_and_nothing_else(name: str) -> None:
    escaped = escape_markdown(name)
    _no_markup_left(escaped)
    if MarkdownIt is None:
        return
    rendered = _render(escaped)
    tags = {t.strip("<>").split(" ")[0] if not t.startswith("<br") else t.strip("<>") for t in _TAG.findall(rendered)}
    assert tags <= ALLOWED_TAGS, (name, rendered)
    assert "<img" not in rendered and "<a " not in rendered
    # what a person reads is what the catalog says, character for character (markdown folds runs of white space)
    shown = html.unescape(_TAG.sub("", rendered)).replace(JOINER, "")
    assert " ".join(shown.split()) == " ".join(name.split()), (name, escaped, rendered)


@pytest.mark.parametrize(
    "name",
    ["![x](https://example.com/p.png)", "[点我](javascript:alert(1))", "<img src=x onerror=alert(1)>", "**稳赚不赔**保本基金",
     "<https://example.com>", ":red[红色] :material/home:", "$x^2$ 收益", "# 头条基金", "> 引用", "- 列表", "1. 第一", "a | b", "~~删除~~"],
)  # fmt: skip
def test_hostile_fund_names_show_as_written(name: str) -> None:
    escaped = escape_markdown(name)
    _no_markup_left(escaped)
    if MarkdownIt is not None:
        rendered = _render(escaped)
        assert _TAG.sub("", rendered).replace(JOINER, "").strip() == html.escape(name, quote=False).strip()
        assert "<img" not in rendered and "<a " not in rendered and "<strong>" not in rendered and "<h1>" not in rendered


@pytest.mark.parametrize(
    "text", ["No incentive: the brief asked for none.", "近1年收益 12.5%，管理费 1.20%/年", "10:30 发送", "测试稳健债券000001A", "C类（费率 0.40%）"]
)
def test_ordinary_text_is_left_as_written(text: str) -> None:
    """Page texts are compared as written (and read in the markdown source): prose passes through unchanged."""
    assert escape_markdown(text) == text


def test_a_table_cell_escaped_again_for_the_table_still_reads_a_bar() -> None:
    # ui/_campaigns.py escapes a cell, then escapes "|" for the table: the cell must not end up with "\\|"
    assert "\\|" not in escape_markdown("A|B").replace("|", "\\|")
    if MarkdownIt is not None:
        cell = escape_markdown("A|B").replace("|", "\\|")
        rendered = _render(f"| h |\n|---|\n| {cell} |")
        assert "<td>A|B</td>" in rendered


def test_a_knowledge_passage_keeps_its_formatting_but_reaches_nothing() -> None:
    passage = ("**管理费**按年计提\n\n| 费用 | 水平 |\n| --- | --- |\n| 管理费 | 1.2%/年 |\n\n- 长期持有\n\n"
               "![track](https://example.com/p.png) [更多](javascript:alert(1)) <img src=x> <https://example.com> :red[注意]")  # fmt: skip
    defused = defuse_markdown(passage)
    assert defused.startswith("**管理费**按年计提") and "| 管理费 | 1.2%/年 |" in defused
    if MarkdownIt is not None:
        rendered = _render(defused)
        assert "<strong>管理费</strong>" in rendered and "<table>" in rendered and "<li>长期持有</li>" in rendered
        shown = html.unescape(rendered).replace(JOINER, "")
        assert "<img" not in rendered and "<a " not in rendered and "![track](https://example.com/p.png)" in shown


def test_the_advisor_answer_escapes_names_and_keeps_its_numbering() -> None:
    from assistant.funds._answer import DISCLAIMER, Citation, FundAnswer, answer_markdown
    from assistant.funds._query import FundQuery

    text = "符合条件的有 2 只\n1. ![x](http://127.0.0.1:9/x.png)（880001），适合\n2. **稳赚不赔**（880002），适合\n数据截至 2026-10-30。"
    answer = FundAnswer(request="债券基金", lang="zh", catalog="c", filters=FundQuery(), answer=text, disclaimer=DISCLAIMER["zh"], backend="offline")
    shown = answer_markdown(answer)
    assert shown.splitlines()[1].startswith("1. !\\[x\\]") and shown.splitlines()[2].startswith("2. \\*\\*稳赚不赔\\*\\*")
    if MarkdownIt is not None:
        rendered = _render(shown)
        assert "<img" not in rendered and "<strong>" not in rendered and "<ol" in rendered
        assert "**稳赚不赔**" in rendered and "![x](http://127.0.0.1:9/x.png)" in rendered.replace(JOINER, "")
    # a knowledge answer: the computed lines naming funds are escaped, the quoted passage keeps its emphasis
    explain = answer.model_copy(update={
        "filters": FundQuery(intent="explain", term="销售服务费"),
        "answer": "按**稳赚不赔**A（880001）与 C（880002）：…\n《管理费、托管费与销售服务费》\n它们都是**按年费率**计提的\n（出处：知识库《管理费、托管费与销售服务费》）",
        "citations": [Citation(catalog="knowledge", code="glossary-operating-fees", field="body", value="管理费、托管费与销售服务费", as_of=date(2026, 1, 1))],
    })  # fmt: skip
    lines = answer_markdown(explain).splitlines()
    assert lines[0].startswith("按\\*\\*稳赚不赔\\*\\*A") and lines[2] == "它们都是**按年费率**计提的"
