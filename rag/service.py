"""Opening the index and retriever the way the app, CLI and tools all do."""

from __future__ import annotations

import logging

from rag.index import SearchIndex
from rag.retrieval import Retriever
from rag.settings import Settings, get_settings

log = logging.getLogger(__name__)


def open_index(settings: Settings | None = None, seed_samples: bool = False) -> SearchIndex:
    """Open the store; with `seed_samples`, ingest the bundled sample articles into an empty one."""
    settings = settings or get_settings()
    index = SearchIndex(settings)
    if seed_samples and not index.lexical.ids and settings.samples_dir.is_dir():
        from ingest.pipeline import Ingestor
        from ingest.sources import expand_sources

        sources, _ = expand_sources([str(settings.samples_dir)])
        for result in Ingestor(index).ingest(sources):
            if result.status == "failed":  # say so: an empty store would otherwise look like "no documents"
                log.warning("sample article not ingested: %s", result.line())
    return index


def open_retriever(settings: Settings | None = None, seed_samples: bool = True) -> Retriever:
    return Retriever(open_index(settings, seed_samples=seed_samples))
