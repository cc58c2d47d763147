"""The embedded defaults: the fictional demo data, the `demo` catalog and the knowledge index, made on demand."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel
from tqdm import tqdm

from finpilot import Settings, get_settings
from retrieval._catalog import KNOWLEDGE_COLLECTION
from retrieval._ingest import IngestReport, ingest
from retrieval._models import KnowledgeDoc
from retrieval._search import IndexDoc, SearchIndex, SyncReport, open_index

DEMO_CATALOG = "demo"
_STAMP = "demo.json"
DEMO_FORMAT = 4
"""Bumped whenever the tables gain or change columns (2: exact age, tenure, credit line, student, overdue; 4: days since overdue, income drop), so an old
demo folder is rewritten rather than queried for columns it lacks."""


class DemoStatus(BaseModel):
    """What `ensure_demo` found or made."""

    generated: bool
    seed: int
    folder: str
    counts: dict[str, int]
    catalog: IngestReport
    knowledge: SyncReport


def knowledge_index_doc(doc: KnowledgeDoc) -> IndexDoc:
    """The searchable text and metadata of one knowledge document."""
    return IndexDoc(
        id=doc.doc_id,
        text=f"{doc.title}\n{doc.body}",
        metadata={"doc_id": doc.doc_id, "kind": doc.kind, "title": doc.title, "lang": doc.lang,
                  "tags": " ".join(doc.tags), "as_of": doc.as_of.isoformat(), "source": doc.source},
    )  # fmt: skip


def knowledge_index(settings: Settings | None = None) -> SearchIndex:
    """The knowledge-document search index."""
    s = settings or get_settings()
    return open_index(KNOWLEDGE_COLLECTION, s)


def build_knowledge_index(docs: list[KnowledgeDoc] | None = None, settings: Settings | None = None, progress: bool = True) -> SyncReport:
    """Make the knowledge index hold exactly `docs` (default: the bundled demo knowledge)."""
    from retrieval._knowledge import load_knowledge_docs

    s = settings or get_settings()
    docs = load_knowledge_docs() if docs is None else docs
    with tqdm(total=len(docs), desc="indexing knowledge", unit=" docs", disable=None if progress and s.progress else True, leave=False) as bar:
        return knowledge_index(s).sync([knowledge_index_doc(d) for d in docs], progress=bar)


def generate_demo(settings: Settings | None = None, seed: int | None = None, force: bool = False,
                  users: int | None = None) -> tuple[bool, dict[str, int]]:  # fmt: skip
    """Write the fictional demo tables under home/demo unless they are there for this seed already (and of `users`
    users, when a size is asked for: a table generated with `--users` stays until another size is asked for)."""
    from retrieval._demo import write_demo

    s = settings or get_settings()
    seed = s.demo_seed if seed is None else seed
    stamp = s.demo_dir / _STAMP
    if not force and stamp.is_file():
        info = json.loads(stamp.read_text(encoding="utf-8"))
        same = info.get("seed") == seed and info.get("format", 1) == DEMO_FORMAT
        if same and users is not None:
            same = info.get("counts", {}).get("users.parquet") == users
        if same and all((s.demo_dir / f).is_file() for f in info.get("counts", {})):
            return False, info["counts"]
    counts = write_demo(seed, s.demo_dir, n_users=s.demo_users if users is None else users)
    stamp.write_text(json.dumps({"seed": seed, "format": DEMO_FORMAT, "counts": counts}, indent=2), encoding="utf-8")
    return True, counts


def ensure_demo(settings: Settings | None = None, progress: bool = True) -> DemoStatus:
    """Make sure the demo data, the `demo` catalog with its index and the knowledge index all exist."""
    s = settings or get_settings()
    generated, counts = generate_demo(s)
    catalog = ingest(Path(s.demo_dir) / "funds.jsonl", DEMO_CATALOG, None, settings=s, progress=progress)
    knowledge = build_knowledge_index(settings=s, progress=progress)
    return DemoStatus(generated=generated, seed=s.demo_seed, folder=str(s.demo_dir), counts=counts, catalog=catalog, knowledge=knowledge)
