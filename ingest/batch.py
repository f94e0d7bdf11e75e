"""Documents staged for writing together: Chroma's per-call cost, not the data, dominates small writes."""

from __future__ import annotations

from dataclasses import dataclass, field

from rag.index import SearchIndex
from rag.store import parse_chunk_id


@dataclass
class StagedDocument:
    doc_id: str
    version: str
    record: dict  # the registry record that commits it
    ids: list[str]
    texts: list[str]
    metadatas: list[dict]
    terms: list[list[str]]
    outcome: object = None  # the IngestResult reported once committed


@dataclass
class WriteBatch:
    """Chunks of several documents, written first; then one registry write commits them all."""

    index: SearchIndex
    docs: list[StagedDocument] = field(default_factory=list)

    @property
    def chunk_count(self) -> int:
        return sum(len(d.ids) for d in self.docs)

    def pending_hash(self, content_hash: str) -> StagedDocument | None:
        return next((d for d in self.docs if d.record["content_hash"] == content_hash), None)

    def add(self, doc: StagedDocument) -> None:
        self.docs.append(doc)

    def flush(self) -> tuple[dict[str, list[str]], set[str]]:
        """Write, commit, then drop superseded chunks; returns (added terms, removed ids) for BM25."""
        docs, self.docs = self.docs, []
        if not docs:
            return {}, set()
        store = self.index.store
        ids = [i for d in docs for i in d.ids]
        texts = [t for d in docs for t in d.texts]
        embeddings = self.index.embedder.embed_documents(texts)
        store.write_chunks(ids, texts, embeddings, [m for d in docs for m in d.metadatas])
        store.commit_documents({d.doc_id: d.record for d in docs})  # the new versions become visible
        current = {d.doc_id: d.version for d in docs}
        old = [c for c in store.chunk_ids_of(*current) if parse_chunk_id(c)[1] != current[parse_chunk_id(c)[0]]]
        store.delete_chunks(old)
        return {i: t for d in docs for i, t in zip(d.ids, d.terms)}, set(old)
