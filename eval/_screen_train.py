"""Train the learned refusal screen (`assistant/safety/_learned.py`) and choose its threshold on a dev split.

Rows, each a request and whether a compliant assistant refuses it:
* `eval/suites/compliance_own.jsonl` — our labelled suite (adversarial and legitimate look-alikes);
* `eval/training/safety_requests.jsonl` — requests written for training by someone who never saw the rules;
* Fin-Eva's 71 labelled red-team rows, when ../shared is present (all adversarial);
* legitimate briefs and fund requests of the tuned suites, a fixed sample, and every edit of their plans, so
  ordinary work is not refused.

Never read: anything under `eval/holdout/` (the blind split this screen is reported on).

A quarter of the rows, chosen by a hash of their text, is the dev split. The weights are fitted on the rest
(L2-regularised logistic regression, classes weighted equally, Newton's method); the threshold is the lowest
probability at which the rules and the screen together refuse no more than `max_false` of the dev split's legitimate
rows, so the screen adds refusals only where the look-alikes allow it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
from pydantic import BaseModel

ROOT = Path(__file__).resolve().parent
TRAINING = ROOT / "training" / "safety_requests.jsonl"
SUITES = ROOT / "suites"
LEGIT_SAMPLE = 700
"""How many legitimate briefs and fund requests of the tuned suites join the training rows."""
DEV_SHARE = 0.25
L2 = 30.0
"""Ridge penalty on the standardised weights: the embedding has 384 dimensions and the rows are a couple of
thousand, so a weak penalty fits the training rows exactly and generalises worse (30 was best on the dev split among
0.3, 1, 3, 10, 30 and 100, at 75% refused for 2% falsely refused; 0.3 reached 100% on the training rows)."""


class Row(BaseModel):
    text: str
    refuse: bool
    category: str | None = None
    source: str


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _key(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def training_rows() -> list[Row]:
    """Every labelled row the screen learns from, deduplicated by text (the first label wins)."""
    rows = [Row(text=r["request"], refuse=r["must_refuse"], category=r.get("category"), source="own")
            for r in _jsonl(SUITES / "compliance_own.jsonl")]  # fmt: skip
    if TRAINING.exists():
        rows += [Row(text=r["request"], refuse=r["must_refuse"], category=r.get("category"), source="written") for r in _jsonl(TRAINING)]
    from eval._cases import fineva_suites

    for suite in fineva_suites():
        if suite.kind == "compliance":
            rows += [Row(text=c.request, refuse=c.must_refuse, category=c.category or "other_illegal", source="fineva") for c in suite.cases]
    legit: list[str] = []
    edits: list[str] = []
    for path in sorted(SUITES.glob("*.jsonl")):
        if path.name.startswith(("briefs", "campaigns", "funds")):
            legit += [r.get("brief") or r.get("request") or "" for r in _jsonl(path)]
            # Edits are short ("Pull it forward a week and drop the banner."): without them the screen reads a terse
            # instruction as the terse instructions of market manipulation.
            edits += [r["edit"] for r in _jsonl(path) if r.get("edit")]
    legit = sorted({t for t in legit if t}, key=_key)[:LEGIT_SAMPLE]
    rows += [Row(text=t, refuse=False, source="briefs") for t in legit]
    rows += [Row(text=t, refuse=False, source="edits") for t in sorted(set(edits), key=_key)]
    seen: set[str] = set()
    out = []
    for r in rows:
        if r.text not in seen:
            seen.add(r.text)
            out.append(r)
    return out


def digest(rows: list[Row]) -> str:
    """sha256 over the rows' text and label, in order."""
    h = hashlib.sha256()
    for r in rows:
        h.update(f"{int(r.refuse)}\0{r.text}\n".encode())
    return h.hexdigest()


def is_dev(row: Row) -> bool:
    return _key("dev\0" + row.text) % 1000 < DEV_SHARE * 1000


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 30) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression on standardised features, both classes weighted equally, by Newton's
    method; the weights returned apply to the raw vectors (the standardisation is folded in)."""
    mu, sd = x.mean(axis=0), x.std(axis=0) + 1e-6
    w, b = _newton((x - mu) / sd, y, l2, steps)
    return w / sd, b - float(np.sum(w * mu / sd))


def _newton(x: np.ndarray, y: np.ndarray, l2: float, steps: int) -> tuple[np.ndarray, float]:
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))]).astype(np.float64)
    weight = np.where(y == 1, 0.5 / max(y.sum(), 1), 0.5 / max((1 - y).sum(), 1)) * n
    w = np.zeros(d + 1)
    reg = np.full(d + 1, l2)
    reg[-1] = 0.0  # the bias is not shrunk
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(xb @ w)))
        grad = xb.T @ (weight * (p - y)) + reg * w
        hess = (xb * (weight * p * (1 - p))[:, None]).T @ xb + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def choose_threshold(p: np.ndarray, y: np.ndarray, ruled: np.ndarray, max_false: float) -> float:
    """The lowest threshold at which rules-or-screen refuse at most `max_false` of the legitimate rows."""
    legit = y == 0
    for t in sorted(set(np.round(p[legit], 4))) + [0.9999]:
        if t >= 0.3 and (ruled | (p >= t))[legit].mean() <= max_false:
            return float(t)
    return 0.9999


class TrainReport(BaseModel):
    path: str
    rows: dict[str, int]
    threshold: float
    dev: dict[str, float]


def train_screen(out: Path | None = None, max_false: float = 0.01, progress: Callable[[str], None] = print) -> TrainReport:
    """Fit the screen, choose its threshold on the dev split, write `screen.json`; the dev figures are returned."""
    from assistant.safety import SCREEN_FILE as MODEL_FILE
    from assistant.safety import ScreenModel, check_request
    from assistant.safety import embed_requests as embed
    from assistant.safety import screen_probability as probability
    from retrieval import EMBEDDING_MODEL_ID as MODEL_ID

    rows = training_rows()
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.source] = counts.get(r.source, 0) + 1
    progress(f"{len(rows)} rows ({', '.join(f'{k} {v}' for k, v in counts.items())}); embedding…")
    vectors = np.zeros((len(rows), 384), dtype=np.float32)
    for start in range(0, len(rows), 200):
        vectors[start : start + 200] = embed([r.text for r in rows[start : start + 200]])
        progress(f"  embedded {min(start + 200, len(rows))}/{len(rows)}")
    y = np.array([int(r.refuse) for r in rows])
    dev = np.array([is_dev(r) for r in rows])
    w, b = fit(vectors[~dev], y[~dev])
    ruled = np.array([check_request(r.text, learned=False) is not None for r in rows])
    centroids = {}
    for cat in sorted({r.category for r in rows if r.refuse and r.category}):
        m = np.array([r.refuse and r.category == cat for r in rows]) & ~dev
        if m.any():
            c = vectors[m].mean(axis=0)
            centroids[cat] = [round(float(v), 6) for v in c / np.linalg.norm(c)]
    model = ScreenModel(embedder=MODEL_ID, weights=[round(float(v), 6) for v in w], bias=round(b, 6), threshold=0.5,
                        centroids=centroids, trained_on=counts, data_digest=digest(rows), dev={})  # fmt: skip
    p = probability(model, vectors)
    t = choose_threshold(p[dev], y[dev], ruled[dev], max_false)
    refused = ruled | (p >= t)
    d_adv, d_legit = dev & (y == 1), dev & (y == 0)
    model.threshold = t
    model.dev = {"refused": round(float(refused[d_adv].mean()), 4), "false_refused": round(float(refused[d_legit].mean()), 4),
                 "rules_refused": round(float(ruled[d_adv].mean()), 4), "rules_false_refused": round(float(ruled[d_legit].mean()), 4),
                 "adversarial": int(d_adv.sum()), "legitimate": int(d_legit.sum())}  # fmt: skip
    target = out or MODEL_FILE
    # The figures first and one line of weights: a retrained screen reads as a change of its figures in a diff.
    data = model.model_dump()
    head = {k: v for k, v in data.items() if k not in ("weights", "centroids")}
    lines = [json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ","]
    lines.append(f' "weights": {json.dumps(data["weights"])},')
    lines.append(f' "centroids": {json.dumps(data["centroids"])}')
    target.write_text("\n".join(lines) + "\n}\n", encoding="utf-8")
    return TrainReport(path=str(target), rows=counts, threshold=t, dev=model.dev)
