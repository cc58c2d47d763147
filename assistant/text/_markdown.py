"""Data shown through markdown: a fund's name, a manager, a brief, a knowledge document.

Streamlit renders GitHub-flavoured markdown plus its own `:color[…]` and `:material/…:` directives and `$…$` maths,
so text from a catalog reaches the screen as markup unless it is escaped: `![x](https://…)` makes the browser fetch
a picture, `[x](javascript:…)` is a live link, `**稳赚不赔**` a bold promise. `escape_markdown` makes any text show
as written; `defuse_markdown` keeps a document's own headings, lists, tables and emphasis but takes away what reaches
outside the page (images, links, HTML, directives, maths). Backslash escapes are CommonMark's, so the escaped text
reads the same in any renderer; ordinary prose ("No incentive: the brief asked for none.", 12.5%) comes out unchanged.

GitHub markdown also turns a URL or an e-mail address in plain *text* into a link (remark-gfm does it after the
escapes are read, so no escape stops it): there an invisible word joiner (U+2060) goes between "http:" and "//",
"www" and ".", "@" and the domain. The text reads the same; only a copy of it carries the joiner.
"""

from __future__ import annotations

import re

# Markup anywhere in a line: emphasis, code, strike-through, maths, links and images ([ ]), HTML and autolinks (<),
# block quotes and headings (> #), entities (&), e-mail autolinks (@). A table's cell separator becomes its entity,
# so a cell that is escaped again for a table (`.replace("|", "\\|")`) still reads "|".
_ANYWHERE = {"\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "~": "\\~", "$": "\\$", "[": "\\[", "]": "\\]",
             "<": "\\<", ">": "\\>", "#": "\\#", "&": "\\&", "@": "\\@\u2060", "|": "&#124;"}  # fmt: skip
# What reaches outside the page or out of the text: links, images, HTML, autolinks, Streamlit's directives, maths.
_OUTSIDE = {"\\": "\\\\", "$": "\\$", "[": "\\[", "]": "\\]", "<": "\\<", "@": "\\@\u2060"}
_ESCAPE = re.compile("|".join(map(re.escape, _ANYWHERE)))
_DEFUSE = re.compile("|".join(map(re.escape, _OUTSIDE)))
# A colon opens a directive (:red[…], :material/icon:, :smile:) or a URL (javascript:, data:, https://) when the next
# character is neither a space nor a digit; "note: x" and "10:30" stay as written.
_COLON = re.compile(r":(?=[^\s\d])")
# Streamlit rewrites ":material/" in the source before it parses anything, so that one needs its slash escaped too.
_ICON = re.compile(r"(?i)(?<=\\:material)/")
_URL = re.compile(r"(?i)(?<=www)(?=\.)|(?<=:)(?=//)")  # where a word joiner keeps text from becoming a link
# What a line may start with to become a list item, a setext underline or a thematic break.
_LINE_START = re.compile(r"(?m)^([ \t]*)(?:([-+=])|(\d{1,9})([.)]))")


def escape_markdown(text: str) -> str:
    """`text` as markdown that renders exactly as written: no image, link, HTML, emphasis, heading, list or directive."""
    out = _ESCAPE.sub(lambda m: _ANYWHERE[m.group(0)], text)
    out = _ICON.sub(r"\\/", _COLON.sub(r"\\:", out))
    out = _URL.sub("\u2060", out)
    # the text may be put after "- " or at the start of a line: its own first characters must not make a block
    return _LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4)), out)


def defuse_markdown(text: str) -> str:
    """A document's markdown with its headings, lists, tables and emphasis kept, and nothing that reaches outside the
    page: no image, link, autolink, HTML, Streamlit directive or maths (each shows as the characters written)."""
    out = _DEFUSE.sub(lambda m: _OUTSIDE[m.group(0)], text)
    out = _ICON.sub(r"\\/", _COLON.sub(r"\\:", out))
    return _URL.sub("\u2060", out)
