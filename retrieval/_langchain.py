"""LangChain view of a search index, so chains and agents can use finpilot's hybrid retrieval as a retriever."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from retrieval._search import Mode, SearchIndex


class FinpilotRetriever(BaseRetriever):
    """A LangChain retriever over a SearchIndex (hybrid by default); each Document carries its id, score and ranks."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: SearchIndex
    k: int = 10
    mode: Mode = "hybrid"
    where: dict[str, Any] | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [
            Document(
                page_content=h.text,
                id=h.id,
                metadata={**h.metadata, "id": h.id, "score": h.score, "dense_rank": h.dense_rank, "lexical_rank": h.lexical_rank},
            )
            for h in self.index.search(query, k=self.k, where=self.where, mode=self.mode)
        ]


def as_langchain_retriever(index: SearchIndex, **options: Any) -> FinpilotRetriever:
    """Wrap a search index for LangChain (options: k, mode, where)."""
    return FinpilotRetriever(index=index, **options)
