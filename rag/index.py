"""The search index: the Chroma store plus the BM25 index derived from it, kept in agreement."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from langchain_core.embeddings import Embeddings

from rag.embeddings import make_embedder
from rag.lexical import LexicalIndex
from rag.settings import Settings
from rag.store import Store

SYNC_INTERVAL_S = 2.0  # how often a reader checks whether another process changed the store


def lexical_folder(settings: Settings):
    where = f"server-{settings.chroma_host}-{settings.chroma_port}" if settings.chroma_host else "local"
    return settings.db_dir / "lexical" / f"{where}-{settings.collection}"


class SearchIndex:
    """Owns the store, the lexical index and the embedder; every change goes through here."""

    def __init__(self, settings: Settings, embedder: Embeddings | None = None, store: Store | None = None):
        self.settings = settings
        self.store = store or Store(settings)
        self._embedder = embedder
        self.lexical = LexicalIndex(lexical_folder(settings))
        self.lock = threading.RLock()
        self._checked_at = 0.0
        self._writers = 0
        with self.lock:
            if not self.lexical.load() or self.lexical.revision != self.store.revision():
                self.sync()

    @property
    def embedder(self) -> Embeddings:
        if self._embedder is None:  # lazily: a remote embedder is not needed to list or delete
            self._embedder = make_embedder(self.settings.embeddings, self.settings.embeddings_base_url)
        return self._embedder

    def sync(self, full: bool = False) -> None:
        """Bring the lexical index to the store's committed chunks (after a crash or another writer).

        `full` re-reads every chunk's terms, not only those of chunks it lacks (after a re-index rewrote them).
        """
        with self.lock:
            revision = self.store.bump_revision() if full else self.store.revision()
            live, _ = self.store.chunk_ids_by_commit()
            have = set(self.lexical.ids)
            added = sorted(live if full else live - have)
            fetched = self.store.get_chunks(added, with_text=False)
            terms = {cid: meta.get("terms", "").split() for cid, (_, meta) in fetched.items()}
            self.lexical.update(terms, have - live, revision)
            self._checked_at = time.monotonic()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Marks a write run in this process; it brings BM25 up to date itself when it ends."""
        with self.lock:
            self._writers += 1
        try:
            yield
        finally:
            with self.lock:
                self._writers -= 1

    def refresh(self) -> None:
        """Cheap check, at most every few seconds, that nobody else changed the store."""
        if self._writers or time.monotonic() - self._checked_at < SYNC_INTERVAL_S:
            return
        with self.lock:
            self._checked_at = time.monotonic()
            if self.store.revision() != self.lexical.revision:
                self.sync()

    def record_changes(self, added: dict[str, list[str]], removed: set[str]) -> None:
        """After a writer committed chunks: bump the store revision and update BM25 to match."""
        with self.lock:
            revision = self.store.bump_revision()
            self.lexical.update(added, removed, revision)
            self._checked_at = time.monotonic()

    def delete_document(self, doc_id: str) -> int:
        with self.lock:
            self.store.bump_revision()  # a crash from here on leaves a revision BM25 does not match
            removed = self.store.remove_document(doc_id)
            self.record_changes({}, set(removed))
            return len(removed)
