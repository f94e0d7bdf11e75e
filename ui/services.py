"""The one shared index, retriever and answerer, built on first use (never at import) and safe across threads."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from rag.index import SearchIndex
from rag.retrieval import Retriever
from rag.settings import Settings

if TYPE_CHECKING:  # a type only: the offline answerer never imports LangChain (cold start)
    from langchain_core.language_models import BaseChatModel


class Services:
    """Every request of the app shares these, so an upload or delete shows in the very next answer."""

    def __init__(self, settings: Settings, seed_samples: bool = True, chat_model: BaseChatModel | None = None):
        """`chat_model` None means the backend RAG_LLM names, built on the first question."""
        self.settings = settings
        self.seed_samples = seed_samples
        self._lock = threading.Lock()
        self._index: SearchIndex | None = None
        self._retriever: Retriever | None = None
        self._chat_model = chat_model
        self._answerers: dict[int, object] = {}
        self._documents: tuple[str, list[dict]] | None = None  # (store revision, the registry's records)

    def index(self) -> SearchIndex:
        with self._lock:
            if self._index is None:
                from rag.korean import warm_up
                from rag.service import open_index

                warm_up()  # Kiwi loads while the store opens
                self._index = open_index(self.settings, seed_samples=self.seed_samples)
                self._retriever = Retriever(self._index)
            return self._index

    def retriever(self) -> Retriever:
        self.index()
        return self._retriever

    def answerer(self, top_k: int | None = None):
        """The answerer for `top_k` passages (default RAG_TOP_K); all of them share one chat model."""
        from answer.llm import make_chat_model
        from answer.pipeline import Answerer

        k = int(top_k or self.settings.top_k)
        retriever = self.retriever()
        with self._lock:
            if not self._answerers and self._chat_model is None:  # LLMConfigError here is retried next time
                self._chat_model = make_chat_model(self.settings)
            if k not in self._answerers:
                settings = self.settings.model_copy(update={"top_k": k})
                self._answerers[k] = Answerer(retriever, settings, chat_model=self._chat_model)
            return self._answerers[k]

    def has_documents(self) -> bool:
        index = self.index()
        index.refresh()
        return bool(index.lexical.ids)

    def documents(self) -> list[dict]:
        """Every committed document; the registry is re-read only after a change (10k records take ~1 s to scan)."""
        store = self.index().store
        revision = store.revision()  # read first: a write during the scan leaves the cache a revision behind
        cached = self._documents
        if cached is None or cached[0] != revision:
            cached = self._documents = (revision, store.documents())
        return cached[1]

    def ingest(self, sources: Iterable[str]) -> Iterator:
        """Ingest one source at a time, yielding each IngestResult once it is committed.

        One at a time so that a question asked meanwhile waits for one file's write, not the whole batch's.
        """
        from ingest.pipeline import Ingestor

        index = self.index()
        for source in sources:
            yield from Ingestor(index).ingest([source])

    def delete(self, doc_id: str) -> int:
        return self.index().delete_document(doc_id)
