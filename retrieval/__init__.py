"""Catalogs and knowledge: the domain model, ingestion, demo data and search (dense, lexical, hybrid).

`retrieval` never imports `assistant`: data flows one way, from here upwards.
"""

from retrieval._bootstrap import (
    DEMO_CATALOG,
    DemoStatus,
    build_knowledge_index,
    ensure_demo,
    ensure_responses,
    generate_demo,
    knowledge_index,
    knowledge_index_doc,
    settings_env,
)  # fmt: skip
from retrieval._catalog import Catalog, CatalogManifest, catalog_names, delete_catalog, fund_index_doc, open_catalog
from retrieval._demo import (
    demo_ticket,
    generate_campaigns,
    generate_channels,
    generate_funds,
    generate_offers,
    generate_products,
    generate_users,
)  # fmt: skip
from retrieval._embed import MODEL_ID as EMBEDDING_MODEL_ID
from retrieval._embed import Embedder, EmbeddingCache, chroma_embedding_function
from retrieval._ingest import IngestReport, RowError, build_catalog_index, export_rows, ingest
from retrieval._knowledge import load_knowledge_docs
from retrieval._mapping import MappingSpec, bundled_mappings, load_mapping
from retrieval._models import (
    EXPORT_FIELDS,
    FUND_TYPES,
    CampaignRecord,
    Channel,
    Fund,
    KnowledgeDoc,
    Offer,
    Product,
    ProductKind,
    )  # fmt: skip
from retrieval._responses import (
    RESPONSE_SCHEMA,
    ResponseModel,
    SimulatedArm,
    SimulatedCampaign,
    Treatment,
    Truth,
    demo_arms,
    simulate,
    user_arrays,
)  # fmt: skip
from retrieval._search import Hit, IndexDoc, SearchIndex, SyncReport, open_client, open_index


def as_langchain_retriever(index: SearchIndex, **options: object) -> object:
    """Wrap a search index as a LangChain retriever (imports langchain-core only when called)."""
    from retrieval._langchain import as_langchain_retriever as wrap

    return wrap(index, **options)


__all__ = [
    "EMBEDDING_MODEL_ID", "generate_funds", "generate_users", "generate_campaigns", "generate_channels", "generate_offers", "generate_products", "demo_ticket",
    "RESPONSE_SCHEMA", "ResponseModel", "SimulatedArm",
    "SimulatedCampaign", "Treatment", "Truth", "demo_arms", "simulate", "user_arrays", "load_knowledge_docs", "settings_env", "DEMO_CATALOG", "as_langchain_retriever", "EXPORT_FIELDS", "FUND_TYPES", "CampaignRecord", "Catalog", "CatalogManifest", "Channel",
    "DemoStatus", "Embedder", "EmbeddingCache", "Fund", "Hit", "IndexDoc", "IngestReport",
    "KnowledgeDoc", "MappingSpec", "Offer", "Product", "ProductKind", "RowError", "SearchIndex",
    "SyncReport", "build_catalog_index", "chroma_embedding_function", "build_knowledge_index", "bundled_mappings", "catalog_names",
    "delete_catalog", "ensure_demo", "ensure_responses", "export_rows", "fund_index_doc", "generate_demo", "ingest", "knowledge_index",
    "knowledge_index_doc", "load_mapping", "open_catalog", "open_client", "open_index",
]  # fmt: skip
