"""The curated knowledge documents (playbooks, FAQs, compliance rules, glossary, products) shipped as Markdown."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from retrieval._models import KnowledgeDoc

KNOWLEDGE_DIR = Path(__file__).parent / "knowledge"

_FENCE = "+++"


def _parse(path: Path, as_of: date, source: str) -> KnowledgeDoc:
    """Read one file: TOML front matter between `+++` lines, then the Markdown body."""
    lines = path.read_text(encoding="utf-8").splitlines()
    fences = [i for i, line in enumerate(lines) if line.strip() == _FENCE]
    if len(fences) < 2 or fences[0] != 0:
        raise ValueError(f"{path.name}: missing +++ front matter")
    end = fences[1]
    try:
        meta = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path.name}: bad TOML front matter: {exc}") from exc
    # The file name is the id people link to and search results cite, so the two must agree.
    if meta.get("doc_id") != path.stem:
        raise ValueError(f"{path.name}: doc_id {meta.get('doc_id')!r} does not match the file name")
    try:
        # Front matter may override source and as_of for a document whose facts come from elsewhere.
        return KnowledgeDoc.model_validate(
            {"source": source, "as_of": as_of, **meta, "body": "\n".join(lines[end + 1 :]).strip()}
        )
    except ValidationError as exc:
        raise ValueError(f"{path.name}: invalid document: {exc}") from exc


def load_knowledge_docs(
    as_of: date = date(2026, 10, 30),
    source: str = "finpilot demo knowledge, fictional",
    directory: Path | None = None,
) -> list[KnowledgeDoc]:
    """Load every `*.md` document in `directory` (default KNOWLEDGE_DIR), sorted by doc_id."""
    docs: dict[str, KnowledgeDoc] = {}
    for path in sorted((directory or KNOWLEDGE_DIR).glob("*.md")):
        doc = _parse(path, as_of, source)
        if doc.doc_id in docs:
            raise ValueError(f"{path.name}: duplicate doc_id {doc.doc_id!r}")
        docs[doc.doc_id] = doc
    return sorted(docs.values(), key=lambda d: d.doc_id)
