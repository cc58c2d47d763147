"""Answers to knowledge questions: the passage that answers, quoted with its citation, and what the catalog can compute.

A question gets the section of the knowledge document that answers it, with its headings and lists kept readable
(never a list of titles), and the document cited. "持有一年选A还是C" is answered from the catalog's own fees: the
holding period at which an A class's one-off purchase fee equals a C class's yearly sales-service fee.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import numpy as np

from assistant.funds._answer import Citation
from assistant.funds._table import FundTable
from assistant.text import Lang

MAX_PASSAGE = 700
"""A quoted passage is cut at a line boundary under this many characters."""
_AC_QUESTION = re.compile(r"(?:选|买|挑|要)?\s*a\s*(?:类|份额)?\s*(?:还是|或者?|和|与|跟|vs\.?|or|versus)\s*c\s*(?:类|份额)?"
                          r"|c\s*(?:类|份额)?\s*(?:还是|或者?|vs\.?|or|versus)\s*a\s*(?:类|份额)?|\b(?:class|share) a or (?:class )?c\b")


def asks_a_or_c(text: str) -> bool:
    """Whether a (normal-form) question asks which share class to buy."""
    return bool(_AC_QUESTION.search(text))


def _sections(body: str) -> list[tuple[str, str]]:
    """(heading, text) of each '## ' section; text before the first heading has an empty heading."""
    out: list[tuple[str, str]] = []
    heading = ""
    lines: list[str] = []
    for line in body.splitlines():
        if line.startswith("## "):
            if "".join(lines).strip():
                out.append((heading, "\n".join(lines).strip()))
            heading, lines = line[3:].strip(), []
        else:
            lines.append(line)
    if "".join(lines).strip():
        out.append((heading, "\n".join(lines).strip()))
    return out


def passage(body: str, question: str, term: str | None) -> str:
    """The sections of `body` that answer `question`, headings and lists kept, cut at a line under MAX_PASSAGE.

    Sections are ranked by how many of the question's words (and the term) they hold; the best comes first, then the
    document's first section when it is a definition, so a "what is" question gets the definition.
    """
    sections = _sections(body)
    if not sections:
        return ""
    words = {w for w in re.findall(r"[\u4e00-\u9fff]{2,}|[a-z]{3,}", question.lower()) if w not in ("什么", "意思", "怎么", "what", "does")}
    if term:
        words.add(term.lower())

    def score(sec: tuple[str, str]) -> int:
        text = (sec[0] + sec[1]).lower()
        return sum(text.count(w) for w in words) + sum(2 for w in words if w in sec[0].lower())

    ranked = sorted(range(len(sections)), key=lambda i: (-score(sections[i]), i))
    if re.search(r"什么|是啥|意思|理解|what|mean|explain|define", question.lower()):
        # a "what is" question gets the definition first
        definition = next((i for i, (h, _) in enumerate(sections) if re.search(r"定义|是什么|含义|概念", h)), 0)
        ranked = [definition] + [i for i in ranked if i != definition]
    order = ranked
    out: list[str] = []
    size = 0
    for i in order:
        heading, text = sections[i]
        block = ([f"**{heading}**"] if heading else []) + [ln for ln in text.splitlines() if ln.strip()]
        for ln in block:
            if size + len(ln) > MAX_PASSAGE and out:
                return "\n".join(out) + "\n…"
            out.append(ln)
            size += len(ln)
    return "\n".join(out)


def cite_line(title: str, doc_id: str, as_of: date, lang: Lang) -> str:
    return (f"（出处：知识库《{title}》，{doc_id}，截至 {as_of}）" if lang == "zh" else
            f"(Source: knowledge base, \"{title}\" ({doc_id}), as of {as_of}; quoted in the original Chinese.)")  # fmt: skip


def breakeven(table: FundTable, catalog: str, *, codes: Sequence[str], fund_types: Sequence[str], holding_days: float | None,
              lang: Lang) -> tuple[str, list[Citation]] | None:  # fmt: skip
    """Which share class costs less for a holding period, computed from the catalog's fees.

    With a fund code, that fund and its other class; otherwise the median A-class purchase fee and C-class
    sales-service fee over the catalog's A/C pairs (of the fund types asked about). The break-even holding period is
    purchase fee ÷ yearly sales-service fee. Redemption fees are not in the catalog and are left out, and said so.
    """
    zh = lang == "zh"
    pairs: list[tuple[int, int]] = []
    for i, f in enumerate(table.funds):
        if f.share_class != "A" or not f.pair_code or f.pair_code not in table.row:
            continue
        c = table.funds[table.row[f.pair_code]]
        if c.share_class != "C" or f.purchase_fee is None or c.sales_service_fee in (None, 0):
            continue
        if codes and not ({f.code, c.code} & set(codes)):
            continue
        if fund_types and f.fund_type not in fund_types:
            continue
        pairs.append((i, table.row[c.code]))
    if not pairs:
        return None
    a_fees = np.array([table.funds[a].purchase_fee for a, _ in pairs], dtype=float)
    c_fees = np.array([table.funds[c].sales_service_fee for _, c in pairs], dtype=float)
    a_fee, c_fee = float(np.median(a_fees)), float(np.median(c_fees))
    days = a_fee / c_fee * 365
    a_fund, c_fund = table.funds[pairs[0][0]], table.funds[pairs[0][1]]
    one = len(pairs) == 1
    basis = ((f"{a_fund.name}（{a_fund.code}）与 {c_fund.name}（{c_fund.code}）" if one else f"目录中 {len(pairs)} 对 A/C 份额的中位费率")
             if zh else (f"{a_fund.name} ({a_fund.code}) and {c_fund.name} ({c_fund.code})" if one else
                         f"the median fees of the catalog's {len(pairs)} A/C pairs"))  # fmt: skip
    months = days / 30.4
    if zh:
        lines = [f"按{basis}：A 类申购费 {a_fee:.2f}%（一次性），C 类销售服务费 {c_fee:.2f}%/年。",
                 f"两者相等的持有期约为 {a_fee:.2f}% ÷ {c_fee:.2f}% × 365 ≈ {days:.0f} 天（约 {months:.1f} 个月）：持有短于这个时间选 C 类更省，更久选 A 类更省。"]  # fmt: skip
        if holding_days:
            cost_c = c_fee * holding_days / 365
            pick = "C" if cost_c < a_fee else "A"
            lines.append(f"您计划持有 {holding_days:g} 天：A 类费用 {a_fee:.2f}%，C 类 {cost_c:.2f}%，选 {pick} 类更省。")
        lines.append("赎回费不在目录数据里，未计入；持有不满 7 天两类都有不低于 1.5% 的惩罚性赎回费。")
    else:
        lines = [f"From {basis}: the A class charges a {a_fee:.2f}% purchase fee once, the C class a {c_fee:.2f}% sales-service fee a year.",
                 f"They cost the same after about {a_fee:.2f}% ÷ {c_fee:.2f}% × 365 ≈ {days:.0f} days ({months:.1f} months): hold for less "
                 "and the C class is cheaper, longer and the A class is."]  # fmt: skip
        if holding_days:
            cost_c = c_fee * holding_days / 365
            pick = "C" if cost_c < a_fee else "A"
            lines.append(f"For your {holding_days:g}-day holding: A costs {a_fee:.2f}%, C {cost_c:.2f}%; the {pick} class is cheaper.")
        lines.append("Redemption fees are not in the catalog data and are left out; selling within 7 days costs at least 1.5% in either class.")
    citations = [Citation(catalog=catalog, code=a_fund.code, field="purchase_fee", value=a_fund.purchase_fee, as_of=a_fund.as_of),
                 Citation(catalog=catalog, code=c_fund.code, field="sales_service_fee", value=c_fund.sales_service_fee, as_of=c_fund.as_of)]  # fmt: skip
    return "\n".join(lines), citations
