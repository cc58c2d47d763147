"""The demo corpus's passage embeddings, shipped with the package, so a fresh home builds its indexes without the model.

Embedding the ~3,300 demo passages (the default seed's funds and the bundled knowledge documents) is what made a first
`finpilot start` take two minutes on two cores. The vectors are stored under the embedding cache's own key,
sha256(model id, 'passage', exact text), so a text that changed, another seed's funds or a real catalog simply miss and
are embedded as before: nothing here can hand out a vector for text it was not computed from.

Regenerate after changing the demo generator, the knowledge documents or the fund index text (the test
tests/retrieval/test_shipped.py fails until then):

    python -m retrieval._shipped            # writes retrieval/data/demo_embeddings.npy
    python -m retrieval._shipped --check    # says whether the shipped file is current, changes nothing
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from retrieval._embed import DIM, MODEL_ID, Embedder, EmbeddingCache

SHIPPED_FILE = Path(__file__).parent / "data" / "demo_embeddings.npy"
# One structured array, written with np.save: unlike np.savez it has no zip timestamps, so the same vectors are the same
# bytes and a regeneration that changes nothing leaves no diff. float32, the model's own precision: float16 would halve
# the file but it swapped neighbours in 3 of the retrieval eval's 104 rankings (fused scores that tie to 1e-5).
_DTYPE = np.dtype([("key", "u1", (32,)), ("vec", "<f4", (DIM,))])


class ShippedVectors:
    """Read-only passage vectors looked up by embedding-cache key."""

    def __init__(self, rows: np.ndarray) -> None:
        self._rows = rows
        self._where = {bytes(k): i for i, k in enumerate(rows["key"])}

    def __len__(self) -> int:
        return len(self._where)

    def keys(self) -> set[str]:
        """The cache keys (hex) of every shipped vector."""
        return {k.hex() for k in self._where}

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """The shipped vectors among `keys` (hex cache keys)."""
        found: dict[str, np.ndarray] = {}
        for key in keys:
            row = self._where.get(bytes.fromhex(key))
            if row is not None:
                found[key] = self._rows["vec"][row]
        return found


@lru_cache(maxsize=1)
def shipped_vectors() -> ShippedVectors | None:
    """The vectors shipped with the package (None when the file is absent, e.g. a stripped install)."""
    if not SHIPPED_FILE.is_file():
        return None
    return ShippedVectors(np.load(SHIPPED_FILE, allow_pickle=False))


def demo_passages(seed: int) -> list[str]:
    """Every passage the embedded defaults index for `seed`: the demo funds, then the bundled knowledge documents,
    each exactly as `ensure_demo` hands it to the index."""
    from retrieval._bootstrap import knowledge_index_doc
    from retrieval._catalog import fund_index_doc
    from retrieval._demo import generate_funds
    from retrieval._knowledge import load_knowledge_docs

    funds = [fund_index_doc(f).text for f in generate_funds(seed)]
    return funds + [knowledge_index_doc(d).text for d in load_knowledge_docs()]


class ShippedCheck(BaseModel):
    """How the shipped file compares with the passages the demo generator makes now."""

    seed: int
    passages: int
    shipped: int
    missing: int
    """Current passages with no shipped vector: each would be embedded on a fresh home."""
    extra: int
    """Shipped vectors no current passage uses (dead weight in the package)."""

    @property
    def current(self) -> bool:
        return self.missing == 0 and self.extra == 0


def check_shipped(seed: int) -> ShippedCheck:
    """Compare the shipped keys with the current demo passages' keys (no model involved)."""
    wanted = {EmbeddingCache.key("passage", t) for t in demo_passages(seed)}
    have = shipped.keys() if (shipped := shipped_vectors()) is not None else set()
    return ShippedCheck(seed=seed, passages=len(wanted), shipped=len(have), missing=len(wanted - have), extra=len(have - wanted))


def write_shipped(seed: int, embedder: Embedder, path: Path = SHIPPED_FILE, progress: object = None) -> int:
    """Embed the demo passages of `seed` (the model runs only for what `embedder`'s cache lacks) and write them to
    `path`, sorted by key; returns the number of vectors."""
    texts = list(dict.fromkeys(demo_passages(seed)))
    vectors = embedder.passages(texts, progress=progress)
    rows = np.zeros(len(texts), dtype=_DTYPE)
    rows["key"] = [np.frombuffer(bytes.fromhex(EmbeddingCache.key("passage", t)), dtype=np.uint8) for t in texts]
    rows["vec"] = vectors
    rows = rows[np.lexsort(rows["key"].T[::-1])]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as f:
        np.save(f, rows, allow_pickle=False)
    tmp.replace(path)
    shipped_vectors.cache_clear()
    return len(rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate (or, with --check, verify) the shipped demo embeddings."""
    from tqdm import tqdm

    from finpilot import Settings, get_settings

    parser = argparse.ArgumentParser(prog="python -m retrieval._shipped", description=main.__doc__)
    parser.add_argument("--seed", type=int, default=Settings.model_fields["demo_seed"].default,
                        help="demo seed whose funds are shipped (default: the settings' default seed)")  # fmt: skip
    parser.add_argument("--check", action="store_true", help="only say whether the shipped file is current")
    args = parser.parse_args(argv)
    if args.check:
        report = check_shipped(args.seed)
        print(report.model_dump_json())
        return 0 if report.current else 1
    s = get_settings()
    # The home's cache holds exact model outputs; the shipped layer is left out so nothing is copied from itself.
    embedder = Embedder(EmbeddingCache(s.cache_dir / "embeddings.sqlite"), s.embed_threads, s.embed_batch)
    with tqdm(desc="embedding demo passages", unit=" passages") as bar:
        n = write_shipped(args.seed, embedder, progress=bar)
    size = SHIPPED_FILE.stat().st_size
    print(f"{SHIPPED_FILE}: {n} vectors ({MODEL_ID}, seed {args.seed}), {size / 1e6:.2f} MB; {embedder.embedded} embedded by the model")
    return 0


if __name__ == "__main__":
    sys.exit(main())
