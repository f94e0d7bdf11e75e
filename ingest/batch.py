"""Documents staged for writing together: Chroma's per-call cost, not the data, dominates small writes."""

from __future__ import annotations

from dataclasses import dataclass, field

from rag.store import Store, parse_chunk_id


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
    """Documents staged for one write: their chunks first, then one registry write commits them all."""

    docs: list[StagedDocument] = field(default_factory=list)

    @property
    def chunk_count(self) -> int:
        return sum(len(d.ids) for d in self.docs)

    def pending_hash(self, content_hash: str) -> StagedDocument | None:
        return next((d for d in self.docs if d.record["content_hash"] == content_hash), None)

    def add(self, doc: StagedDocument) -> None:
        self.docs.append(doc)

    def take(self) -> list[StagedDocument]:
        docs, self.docs = self.docs, []
        return docs


def commit(store: Store, docs: list[StagedDocument], embeddings: list) -> tuple[dict[str, list[str]], set[str]]:
    """Write chunks, commit them with one registry write, drop superseded ones; returns BM25 changes."""
    if not docs:
        return {}, set()
    ids = [i for d in docs for i in d.ids]
    store.write_chunks(ids, [t for d in docs for t in d.texts], embeddings, [m for d in docs for m in d.metadatas])
    store.commit_documents({d.doc_id: d.record for d in docs})  # the new versions become visible
    current = {d.doc_id: d.version for d in docs}
    old = [c for c in store.chunk_ids_of(*current) if parse_chunk_id(c)[1] != current[parse_chunk_id(c)[0]]]
    store.delete_chunks(old)
    return {i: t for d in docs for i, t in zip(d.ids, d.terms)}, set(old)
