"""load -> chunk -> identify -> embed -> write -> commit, one document at a time."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ingest.chunking import Chunk, chunk_document
from ingest.document import LoadedDocument, LoadError
from rag.index import SearchIndex
from rag.korean import detect_language, terms_batch
from rag.store import chunk_id


@dataclass
class IngestResult:
    source: str
    status: str  # added | updated | unchanged | duplicate | failed
    doc_id: str = ""
    title: str = ""
    chunks: int = 0
    reason: str = ""

    def line(self) -> str:
        label = self.title or self.source
        if self.status == "failed":
            return f"failed: {self.source}: {self.reason}"
        if self.status == "duplicate":
            return f"duplicate: {self.source} (same text as {self.reason})"
        return f"{self.status}: {label} ({self.chunks} chunks) [{self.source}]"


def doc_id_for(source: str) -> str:
    """Stable id of a document, derived from its source (absolute path or URL)."""
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]


def load_source(source: str, max_bytes: int, timeout: float) -> LoadedDocument:
    from ingest.loaders import load_file, load_url  # parsers load only when files are read

    if source.lower().startswith(("http://", "https://")):
        return load_url(source, max_bytes, timeout)
    return load_file(Path(source), max_bytes)


class Ingestor:
    """Writes documents into a SearchIndex so that a crash at any point leaves it consistent."""

    def __init__(self, index: SearchIndex):
        self.index = index
        self.settings = index.settings
        self.added_terms: dict[str, list[str]] = {}
        self.removed: set[str] = set()

    def ingest(self, sources: Iterable[str], on_result: Callable[[IngestResult], None] | None = None) -> list[IngestResult]:
        """Load and store each source (path or URL); a failure is reported and the rest go on."""
        return self._run(sources, self._ingest_one, on_result)

    def ingest_documents(self, docs: Iterable[LoadedDocument], on_result=None) -> list[IngestResult]:
        """Store documents that are already loaded (generated corpora, tests)."""
        return self._run(docs, lambda doc: self._guarded(doc.source, lambda: self._store(doc)), on_result)

    def _run(self, items: Iterable, handle: Callable, on_result) -> list[IngestResult]:
        results = []
        with self.index.lock:
            self.index.store.bump_revision()  # until the end, BM25 knows it may be behind
            # A shared server may have other writers mid-document: spare their fresh chunks.
            self.index.store.repair(min_age_s=600 if self.settings.chroma_host else 0)
            try:
                for item in items:
                    results.append(handle(item))
                    if on_result:
                        on_result(results[-1])
            finally:
                self.index.record_changes(self.added_terms, self.removed)
                self.added_terms, self.removed = {}, set()
        return results

    def _ingest_one(self, source: str) -> IngestResult:
        settings = self.settings
        return self._guarded(source, lambda: self._store(load_source(source, settings.max_bytes, settings.url_timeout)))

    @staticmethod
    def _guarded(source: str, work: Callable[[], IngestResult]) -> IngestResult:
        try:
            return work()
        except LoadError as exc:
            return IngestResult(source, "failed", reason=str(exc))
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the others
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())
            return IngestResult(source, "failed", reason=reason[:300])

    def _store(self, doc: LoadedDocument) -> IngestResult:
        store = self.index.store
        doc_id = doc_id_for(doc.source)
        content_hash = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
        version = content_hash[:12]
        existing = store.document(doc_id)
        if existing and existing["content_hash"] == content_hash:
            return IngestResult(doc.source, "unchanged", doc_id, existing["title"], existing["chunks"])
        twin = store.find_by_hash(content_hash)
        if twin and twin["doc_id"] != doc_id:
            return IngestResult(doc.source, "duplicate", twin["doc_id"], twin["title"], reason=twin["source"])
        chunks = chunk_document(doc, self.settings.chunk_size, self.settings.chunk_overlap)
        if not chunks:
            raise LoadError("no text found")
        record, new_terms = self._write(doc, doc_id, version, chunks)
        record["content_hash"] = content_hash
        store.commit_document(doc_id, record)  # the commit point: the new version becomes visible
        self.added_terms.update(new_terms)
        old = [c for c in store.chunk_ids_of(doc_id) if not c.startswith(f"{doc_id}:{version}:")]
        store.delete_chunks(old)
        self.removed.update(old)
        status = "updated" if existing else "added"
        return IngestResult(doc.source, status, doc_id, doc.title, len(chunks))

    def _write(self, doc: LoadedDocument, doc_id: str, version: str, chunks: list[Chunk]) -> tuple[dict, dict]:
        """Write the chunks of a new version (not yet visible); returns its registry record and terms."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        language = detect_language(doc.text)
        common = {"doc_id": doc_id, "version": version, "source": doc.source, "title": doc.title,
                  "language": language, "tags": ",".join(doc.tags), "ingested_at": now}
        chunk_terms = terms_batch(c.text for c in chunks)
        ids = [chunk_id(doc_id, version, i) for i in range(len(chunks))]
        metadatas = []
        for i, (chunk, words) in enumerate(zip(chunks, chunk_terms)):
            meta = {**common, "chunk_index": i, "start": chunk.start, "end": chunk.end, "terms": " ".join(words)}
            if chunk.page is not None:
                meta["page"] = chunk.page
            metadatas.append(meta)
        embeddings = self.index.embedder.embed_documents([c.text for c in chunks])
        self.index.store.write_chunks(ids, [c.text for c in chunks], embeddings, metadatas)
        record = {k: common[k] for k in ("source", "title", "version", "language", "tags", "ingested_at")}
        return record | {"chunks": len(chunks)}, dict(zip(ids, chunk_terms))


def ingest_paths(settings, paths: list[str], index: SearchIndex | None = None) -> list[IngestResult]:
    """Ingest files, folders and URLs (as the CLI does) into the configured store."""
    from ingest.sources import expand_sources

    sources, rejected = expand_sources([str(p) for p in paths])
    index = index or SearchIndex(settings)
    results = [IngestResult(arg, "failed", reason=reason) for arg, reason in rejected]
    return results + Ingestor(index).ingest(sources)
