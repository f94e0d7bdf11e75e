"""The search index: the Chroma store plus the BM25 index derived from it, kept in agreement."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from filelock import FileLock, Timeout

from rag.chunk_file import Row, without_terms
from rag.embeddings import Embedder, make_embedder
from rag.lexical import LexicalIndex
from rag.settings import Settings
from rag.store import Store

log = logging.getLogger(__name__)

SYNC_INTERVAL_S = 2.0  # how often a reader checks whether another process changed the store


def lexical_folder(settings: Settings):
    where = f"server-{settings.chroma_host}-{settings.chroma_port}" if settings.chroma_host else "local"
    return settings.db_dir / "lexical" / f"{where}-{settings.collection}"


class SearchIndex:
    """Owns the store, the lexical index and the embedder; every change goes through here.

    Writers take a lock file in the store folder for a whole write run, so that two processes (the CLI
    ingesting while the app takes an upload) write one after the other; the BM25 files on disk change
    only under that lock too, which is what lets every process load them.
    """

    def __init__(self, settings: Settings, embedder: Embedder | None = None, store: Store | None = None):
        self.settings = settings
        self.store = store or Store(settings)
        self._embedder = embedder
        self.lexical = LexicalIndex(lexical_folder(settings))
        self.lock = threading.RLock()
        settings.db_dir.mkdir(parents=True, exist_ok=True)
        self.write_lock = FileLock(settings.db_dir / "write.lock")  # per thread; re-entrant within one
        self.on_wait = log.warning  # says that a write waits for another process's (the CLI prints it)
        self._checked_at = 0.0
        self._writers = 0
        with self.lock:
            if not self.lexical.load() or self.lexical.revision != self.store.revision():
                self.sync()

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:  # lazily: a remote embedder is not needed to list or delete
            self._embedder = make_embedder(self.settings.embeddings, self.settings.embeddings_base_url)
        return self._embedder

    def sync(self, full: bool = False) -> None:
        """Bring the lexical index to the store's committed chunks (after a crash or another writer).

        `full` re-reads every chunk's terms, not only those of chunks it lacks (after a re-index rewrote them).
        """
        with self.lock:
            revision = self.store.revision()
            full = self.store.reopen_chunks() or full  # a new collection: another process re-indexed
            if not full and self.lexical.load() and self.lexical.revision == revision:
                self._checked_at = time.monotonic()  # the writer left BM25 files of exactly this state
                return
            with self._persisting() as persist:
                if full:
                    self._rebuild(revision, persist)
                else:
                    live, _ = self.store.chunk_ids_by_commit()
                    have = set(self.lexical.ids)
                    self._update_lexical(self._terms_of(live - have), have - live, revision, persist)
            self._checked_at = time.monotonic()

    def _terms_of(self, chunk_ids: set[str]) -> dict[str, list[str]]:
        """The chunks' BM25 terms; their rows are staged for the copy beside the index on the way."""
        fetched = self.store.get_chunks(sorted(chunk_ids))
        self.lexical.stage_rows((cid, text, meta) for cid, (text, meta) in fetched.items())
        return {cid: meta.get("terms", "").split() for cid, (_, meta) in fetched.items()}

    def get_chunks(self, ids: list[str]) -> dict[str, Row]:
        """id -> (text, metadata without BM25 terms) of the committed chunks among `ids`: from the copy beside
        the index, else from Chroma (chunks committed since the copy was written)."""
        copy, live = self.lexical.rows, self.lexical.id_set
        rows = copy.get(ids) if copy is not None else {}
        missing = [cid for cid in ids if cid not in rows and cid in live]
        if missing:
            rows |= {cid: (text, without_terms(meta)) for cid, (text, meta) in self.store.get_chunks(missing).items()}
        return rows

    def _rebuild(self, revision: str, persist: bool = True) -> None:
        live, _ = self.store.chunk_ids_by_commit()
        self.lexical.replace_all(self._terms_of(live), revision, persist)

    def _update_lexical(self, added: dict[str, list[str]], removed: set[str], revision: str, persist: bool = True) -> None:
        try:
            self.lexical.update(added, removed, revision, persist)
        except FileNotFoundError:  # another process replaced the BM25 files this copy was loaded from
            self._rebuild(revision, persist)

    @contextmanager
    def _persisting(self) -> Iterator[bool]:
        """Whether this process may rewrite the BM25 files now: it holds the write lock, or gets it at once."""
        if self._writers:
            yield True
            return
        try:
            self.write_lock.acquire(timeout=0)
        except Timeout:  # another process is writing and will save its own, newer state
            yield False
            return
        try:
            yield True
        finally:
            self.write_lock.release()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """A write run: waits for another process's to end, starts from the store as it is, updates BM25 at the end."""
        try:
            self.write_lock.acquire(timeout=0)
        except Timeout:
            self.on_wait(f"another process is writing to the store in {self.settings.db_dir}; waiting for it to finish")
            self.write_lock.acquire()
        try:
            with self.lock:
                self._writers += 1
                if self.store.revision() != self.lexical.revision:
                    self.sync()  # the other writer's changes, before ours are added on top
            yield
        finally:
            with self.lock:
                self._writers -= 1
            self.write_lock.release()

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
            self._update_lexical(added, removed, revision)
            self._checked_at = time.monotonic()

    def delete_document(self, doc_id: str) -> int:
        with self.writing(), self.lock:
            self.store.bump_revision()  # a crash from here on leaves a revision BM25 does not match
            removed = self.store.remove_document(doc_id)
            self.record_changes({}, set(removed))
            return len(removed)
