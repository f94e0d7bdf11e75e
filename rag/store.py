"""The Chroma store, source of truth: a chunk collection plus a registry of committed documents.

A document's chunks are written first and become visible only when its registry record names
their version; a crash in between leaves uncommitted chunks that `repair` removes.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import chromadb
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError

from rag.errors import RagError
from rag.korean import TERMS_VERSION
from rag.settings import Settings

log = logging.getLogger(__name__)

PAGE = 5000  # rows fetched per Chroma call when scanning
# A chunk's text is kept in its metadata, not as a Chroma document: embedded Chroma indexes every document
# for full-text search (a trigram index we never query) and ignores a Schema that drops it. 10k chunks written
# straight to Chroma: 10.4 s as documents, 4.5 s as metadata, 1.9 s without text. Older stores keep their
# documents; both layouts read.
TEXT = "text"


class StoreError(RagError):
    """The store cannot be opened or used as configured."""


def chunk_id(doc_id: str, version: str, index: int) -> str:
    return f"{doc_id}:{version}:{index:05d}"


def following_chunk_id(cid: str, n: int) -> str:
    """The id of the chunk `n` places after `cid` in the same document version (it may not exist)."""
    doc_id, version, index = cid.split(":")
    return chunk_id(doc_id, version, int(index) + n)


def parse_chunk_id(cid: str) -> tuple[str, str]:
    """(doc_id, version) encoded in a chunk id."""
    doc_id, version, _ = cid.split(":")
    return doc_id, version


def make_client(settings: Settings):
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_host:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        settings.db_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.db_dir / "chroma"), settings=chroma_settings)
    except Exception as exc:  # noqa: BLE001 - connection errors differ between client kinds
        where = f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else settings.db_dir
        raise StoreError(f"cannot open the Chroma store at {where}: {exc}") from exc


class Store:
    """Chunks with their embeddings, and one registry record per committed document."""

    def __init__(self, settings: Settings, reindexing: bool = False):
        self.client = make_client(settings)
        self.embedder_name = settings.embeddings
        self._finish_interrupted_reindex(settings.collection)
        self.chunks = self._chunk_collection(settings.collection)
        self.docs = self.client.get_or_create_collection(f"{settings.collection}-docs", embedding_function=None)
        self.reindexing = reindexing
        if not reindexing:
            self._check_embedder()
        terms_version = (self.chunks.metadata or {}).get("terms_version", 1)
        if terms_version != TERMS_VERSION and self.chunks.count() and not reindexing:
            log.warning("collection %r holds search terms of an older version of the Korean analysis; "
                        "run `python -m ingest --reindex` to refresh them", settings.collection)
        self.batch = min(self.client.get_max_batch_size(), 1000)

    def _check_embedder(self) -> None:
        built_with = (self.chunks.metadata or {}).get("embedder")
        if built_with != self.embedder_name and self.chunks.count():
            raise StoreError(
                f"collection {self.chunks.name!r} was built with RAG_EMBEDDINGS={built_with!r}, not "
                f"{self.embedder_name!r}; set it back, use another RAG_COLLECTION, or re-index with "
                "`python -m ingest --reindex`"
            )

    def reopen_chunks(self) -> bool:
        """Open the chunk collection by name again; True when it is a new one (another process re-indexed)."""
        for attempt in range(40):  # a re-index renames its fresh collection right after deleting the old one
            try:
                current = self.client.get_collection(self.chunks.name, embedding_function=None)
                break
            except NotFoundError:
                if attempt == 39:
                    raise
                time.sleep(0.05)
        if current.id == self.chunks.id:
            return False
        self.chunks = current
        if not self.reindexing:
            self._check_embedder()  # re-indexed with another embedder: this process's queries would not fit
        return True

    def _on_chunks(self, operation):
        """Run operation(chunk collection), reopening it once if another process's re-index replaced it."""
        try:
            return operation(self.chunks)
        except NotFoundError:
            if not self.reopen_chunks():
                raise
            return operation(self.chunks)

    def _chunk_collection(self, name: str):
        return self.client.get_or_create_collection(
            name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},  # Chroma's default is L2
            metadata={"embedder": self.embedder_name, "terms_version": TERMS_VERSION},
        )

    def reindex(self, embed_documents, on_batch=None, refresh_terms=None) -> int:
        """Re-embed every chunk into a fresh collection that then takes this one's name.

        `refresh_terms(texts, metadatas)` returns the metadatas with BM25 terms of the current analysis.
        """
        name, fresh_name = self.chunks.name, f"{self.chunks.name}-reindex"
        if fresh_name in self._collection_names():
            self.client.delete_collection(fresh_name)
        fresh = self._chunk_collection(fresh_name)
        done = 0
        for offset in range(0, self.chunks.count(), self.batch):
            got = self.chunks.get(include=["documents", "metadatas"], limit=self.batch, offset=offset)
            rows = _rows(got)
            texts, metadatas = [t for t, _ in rows], [m for _, m in rows]
            metadatas = refresh_terms(texts, metadatas) if refresh_terms else metadatas
            fresh.add(ids=got["ids"], metadatas=_with_texts(texts, metadatas), embeddings=embed_documents(texts))
            done += len(got["ids"])
            if on_batch:
                on_batch(done)
        self.client.delete_collection(name)
        fresh.modify(name=name)  # a crash before this is finished by the next open
        self.chunks = self.client.get_collection(name, embedding_function=None)
        return done

    def _finish_interrupted_reindex(self, name: str) -> None:
        names = self._collection_names()
        if f"{name}-reindex" in names and name not in names:
            self.client.get_collection(f"{name}-reindex", embedding_function=None).modify(name=name)

    def _collection_names(self) -> set[str]:
        return {c if isinstance(c, str) else c.name for c in self.client.list_collections()}

    # Registry -------------------------------------------------------------------------------
    def document(self, doc_id: str) -> dict | None:
        got = self.docs.get(ids=[doc_id], include=["metadatas"])
        return {"doc_id": doc_id, **got["metadatas"][0]} if got["ids"] else None

    def identify(self, doc_id: str, source: str, content_hash: str) -> tuple[dict | None, dict | None]:
        """(this source's registered document, another document with the same text), in one call."""
        return self.identify_all([(doc_id, source, content_hash)])[0]

    def identify_all(self, docs: list[tuple[str, str, str]]) -> list[tuple[dict | None, dict | None]]:
        """`identify` for many (doc_id, source, content_hash) at once, in one call."""
        if not docs:
            return []
        sources, hashes = sorted({d[1] for d in docs}), sorted({d[2] for d in docs})
        where = {"$or": [{"source": {"$in": sources}}, {"content_hash": {"$in": hashes}}]}
        got = self.docs.get(where=where, include=["metadatas"])
        rows = [{"doc_id": i, **m} for i, m in zip(got["ids"], got["metadatas"])]
        by_id = {r["doc_id"]: r for r in rows}
        by_hash: dict[str, list[dict]] = {}
        for row in rows:
            by_hash.setdefault(row.get("content_hash"), []).append(row)
        return [(by_id.get(doc_id), next((r for r in by_hash.get(content_hash, []) if r["doc_id"] != doc_id), None))
                for doc_id, _, content_hash in docs]

    def documents(self) -> list[dict]:
        rows = []
        for ids, metas in self._scan(self.docs, ["metadatas"]):
            rows.extend({"doc_id": i, **m} for i, m in zip(ids, metas))
        return sorted(rows, key=lambda r: r.get("ingested_at", ""))

    def committed_versions(self) -> dict[str, str]:
        return {d["doc_id"]: d["version"] for d in self.documents()}

    def commit_documents(self, records: dict[str, dict]) -> None:
        """Register documents (doc_id -> record) in one write: the commit point of their chunks."""
        ids = list(records)
        self.docs.upsert(ids=ids, embeddings=[[1.0]] * len(ids), metadatas=[records[i] for i in ids])

    def remove_document(self, doc_id: str) -> list[str]:
        """Unregister a document, then delete its chunks; returns the deleted chunk ids."""
        self.docs.delete(ids=[doc_id])
        ids = self.chunk_ids_of(doc_id)
        self.delete_chunks(ids)
        return ids

    # Chunks ---------------------------------------------------------------------------------
    def write_chunks(self, ids: list[str], texts: list[str], embeddings: list, metadatas: list[dict]) -> None:
        for i in range(0, len(ids), self.batch):
            s = slice(i, i + self.batch)
            self._on_chunks(lambda c, s=s: c.upsert(ids=ids[s], embeddings=embeddings[s],
                                                    metadatas=_with_texts(texts[s], metadatas[s])))

    def delete_chunks(self, ids: list[str]) -> None:
        for i in range(0, len(ids), self.batch):
            self._on_chunks(lambda c, i=i: c.delete(ids=ids[i : i + self.batch]))

    def chunk_ids_of(self, *doc_ids: str) -> list[str]:
        if not doc_ids:
            return []
        where = {"doc_id": doc_ids[0]} if len(doc_ids) == 1 else {"doc_id": {"$in": list(doc_ids)}}
        return self._on_chunks(lambda c: c.get(where=where, include=[])["ids"])

    def chunk_count(self) -> int:
        return self._on_chunks(lambda c: c.count())

    def chunk_ids(self) -> list[str]:
        return self._on_chunks(lambda c: [i for ids, _ in self._scan(c, []) for i in ids])

    def get_chunks(self, ids: list[str], with_text: bool = True) -> dict[str, tuple[str, dict]]:
        """id -> (text, metadata) for the given ids (missing ids are left out)."""
        include = ["documents", "metadatas"] if with_text else ["metadatas"]
        out: dict[str, tuple[str, dict]] = {}
        for i in range(0, len(ids), PAGE):
            got = self._on_chunks(lambda c, i=i: c.get(ids=ids[i : i + PAGE], include=include))
            out.update(zip(got["ids"], _rows(got)))
        return out

    def query(self, embedding: list[float], n: int) -> list[tuple[str, float]]:
        """(chunk id, cosine distance) of the nearest chunks."""
        def nearest(chunks):
            total = chunks.count()
            return chunks.query(query_embeddings=[embedding], n_results=min(n, total), include=["distances"]) if total else None

        got = self._on_chunks(nearest)
        return list(zip(got["ids"][0], got["distances"][0])) if got else []

    def chunk_ids_by_commit(self) -> tuple[set[str], list[str]]:
        """(ids of committed chunks, ids no committed document owns), from one scan of ids."""
        versions = self.committed_versions()
        committed, orphans = set(), []
        for cid in self.chunk_ids():
            doc_id, version = parse_chunk_id(cid)
            if versions.get(doc_id) == version:
                committed.add(cid)
            else:
                orphans.append(cid)
        return committed, orphans

    def uncommitted_chunk_ids(self) -> list[str]:
        return self.chunk_ids_by_commit()[1]

    def repair(self, min_age_s: float = 0) -> int:
        """Delete chunks no committed document owns (left by a crash); returns how many.

        With several writers (a shared server), `min_age_s` spares chunks another writer
        may be about to commit.
        """
        orphans = self.uncommitted_chunk_ids()
        if min_age_s and orphans:
            cutoff = (datetime.now(timezone.utc) - timedelta(seconds=min_age_s)).isoformat(timespec="seconds")
            metas = self.get_chunks(orphans, with_text=False)
            orphans = [c for c, (_, m) in metas.items() if m.get("ingested_at", "") < cutoff]
        self.delete_chunks(orphans)
        return len(orphans)

    # Revision: changes whenever chunks may have changed, so derived indexes know to sync ----
    def revision(self) -> str:
        # Read fresh each time: another process or replica may have bumped it.
        fresh = self.client.get_collection(self.docs.name, embedding_function=None)
        return (fresh.metadata or {}).get("revision", "")

    def bump_revision(self) -> str:
        rev = uuid.uuid4().hex
        self.docs.modify(metadata={"revision": rev})
        return rev

    def _scan(self, collection, include: list[str]) -> Iterator[tuple[list[str], list]]:
        offset = 0
        while True:
            got = collection.get(include=include, limit=PAGE, offset=offset)
            if not got["ids"]:
                return
            yield got["ids"], got["metadatas"] if "metadatas" in include else [None] * len(got["ids"])
            offset += len(got["ids"])


def _with_texts(texts, metadatas: list[dict]) -> list[dict]:
    return [m | {TEXT: t} for t, m in zip(texts, metadatas)]


def _rows(got: dict) -> list[tuple[str, dict]]:
    """(text, metadata without the text) of each chunk Chroma returned, from either layout."""
    documents = got.get("documents") or [None] * len(got["ids"])
    rows = []
    for document, meta in zip(documents, got["metadatas"]):
        meta = dict(meta or {})
        text = meta.pop(TEXT, None)
        rows.append((text if text is not None else document or "", meta))
    return rows
