"""Lexical retrieval for Chinese and English: jieba tokens scored with Okapi BM25."""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Sequence

_TOKEN_OK = re.compile(r"[0-9a-z\u4e00-\u9fff]")
_jieba_lock = threading.Lock()
_jieba = None


def _tokenizer():
    global _jieba
    with _jieba_lock:
        if _jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)  # jieba prints its dictionary loading to stderr otherwise
            jieba.initialize()
            _jieba = jieba
        return _jieba


def tokenize(text: str) -> list[str]:
    """Lower-cased search tokens: jieba's fine-grained words for Chinese, whole words for Latin text."""
    return [t for t in _tokenizer().lcut_for_search(text.lower()) if _TOKEN_OK.search(t)]


class BM25:
    """Okapi BM25 over a fixed corpus (k1=1.5, b=0.75); an inverted index keeps queries sub-linear."""

    def __init__(self, texts: Sequence[str], k1: float = 1.5, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        docs = [Counter(tokenize(t)) for t in texts]
        self._lengths = [sum(d.values()) for d in docs]
        self._avg = (sum(self._lengths) / len(docs)) if docs else 0.0
        self._postings: dict[str, list[tuple[int, int]]] = {}
        for i, counts in enumerate(docs):
            for term, tf in counts.items():
                self._postings.setdefault(term, []).append((i, tf))
        n = len(docs)
        self._idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self._postings.items()}

    def __len__(self) -> int:
        return len(self._lengths)

    def coverage(self, query: str) -> float:
        """Share of the query's distinct tokens that occur in the corpus (0 when none do)."""
        tokens = set(tokenize(query))
        return sum(1 for t in tokens if t in self._idf) / len(tokens) if tokens else 0.0

    def scores(self, query: str) -> dict[int, float]:
        """Score of every document that shares at least one token with `query`."""
        out: dict[int, float] = {}
        for term in set(tokenize(query)):
            idf = self._idf.get(term)
            if idf is None:
                continue
            for i, tf in self._postings[term]:
                norm = self.k1 * (1 - self.b + self.b * self._lengths[i] / self._avg)
                out[i] = out.get(i, 0.0) + idf * tf * (self.k1 + 1) / (tf + norm)
        return out

    def top(self, query: str, k: int, allowed: Sequence[bool] | None = None) -> list[tuple[int, float]]:
        """The k best (index, score) pairs, best first; `allowed` masks documents out."""
        scored: list[tuple[int, float]] = list(self.scores(query).items())
        if allowed is not None:
            scored = [(i, s) for i, s in scored if allowed[i]]
        return sorted(scored, key=lambda p: (-p[1], p[0]))[:k]
