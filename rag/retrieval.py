"""Hybrid retrieval: BM25 over Kiwi morphemes fused with embedding search by weighted RRF."""

from __future__ import annotations

from rag.embeddings import default_dense_weight
from rag.index import SearchIndex
from rag.korean import terms
from rag.types import Passage

CANDIDATES = 30  # per retriever, before fusion


class Retriever:
    """Ranks committed chunks for a query; each passage says how each retriever ranked it."""

    def __init__(self, index: SearchIndex):
        self.index = index
        settings = index.settings
        self.lexical_weight = settings.lexical_weight
        self.dense_weight = settings.dense_weight
        if self.dense_weight is None:
            self.dense_weight = default_dense_weight(settings.embeddings)
        self.rrf_k = settings.rrf_k

    def lexical(self, query: str, n: int = CANDIDATES) -> list[str]:
        return [cid for cid, _ in self.index.lexical.search(terms(query), n)]

    def dense(self, query: str, n: int = CANDIDATES) -> list[str]:
        if not self.dense_weight:
            return []
        live = self.index.lexical.id_set  # committed chunks only: hides a half-written document
        hits = self.index.store.query(self.index.embedder.embed_query(query), n + 10)
        return [cid for cid, _ in hits if cid in live][:n]

    def fuse(self, lexical: list[str], dense: list[str]) -> list[tuple[str, float]]:
        """Weighted reciprocal rank fusion: sum of weight / (rrf_k + rank)."""
        scores: dict[str, float] = {}
        for weight, ranking in ((self.lexical_weight, lexical), (self.dense_weight, dense)):
            for rank, cid in enumerate(ranking, 1):
                scores[cid] = scores.get(cid, 0.0) + weight / (self.rrf_k + rank)
        return sorted(scores.items(), key=lambda kv: -kv[1])

    def search(self, query: str, k: int = 5) -> list[Passage]:
        self.index.refresh()
        with self.index.lock:
            lexical, dense = self.lexical(query), self.dense(query)
        fused = self.fuse(lexical, dense)[:k]
        rows = self.index.store.get_chunks([cid for cid, _ in fused])
        lex_rank = {cid: r for r, cid in enumerate(lexical, 1)}
        dense_rank = {cid: r for r, cid in enumerate(dense, 1)}
        return [
            _passage(cid, score, *rows[cid], lex_rank.get(cid), dense_rank.get(cid))
            for cid, score in fused
            if cid in rows
        ]


def _passage(cid: str, score: float, text: str, meta: dict, lexical_rank, dense_rank) -> Passage:
    keep = {k: v for k, v in meta.items() if k not in ("terms", "doc_id", "source", "title")}
    return Passage(
        chunk_id=cid,
        doc_id=meta["doc_id"],
        source=meta["source"],
        title=meta.get("title", ""),
        text=text,
        score=round(score, 6),
        metadata=keep,
        lexical_rank=lexical_rank,
        dense_rank=dense_rank,
    )
