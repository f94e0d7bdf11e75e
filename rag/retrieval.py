"""Hybrid retrieval: BM25 over Kiwi morphemes fused with embedding search by weighted RRF."""

from __future__ import annotations

from rag.embeddings import reads_korean
from rag.index import SearchIndex
from rag.korean import terms
from rag.store import following_chunk_id
from rag.types import Passage

CANDIDATES = 30  # per retriever, before fusion
WEAK_EMBEDDER_GATE = 0.2  # measured on dev, samples and bench questions: higher lets spelling vectors hurt MRR


class Retriever:
    """Ranks committed chunks for a query; each passage says how each retriever ranked it."""

    def __init__(self, index: SearchIndex):
        self.index = index
        settings = index.settings
        self.lexical_weight = settings.lexical_weight
        self.dense_weight = settings.dense_weight
        self.rrf_k = settings.rrf_k
        self.context_chunks = settings.context_chunks
        self.gate = settings.dense_gate
        if self.gate is None:
            self.gate = 1.0 if reads_korean(settings.embeddings) else WEAK_EMBEDDER_GATE

    def lexical(self, query_terms: list[str], n: int = CANDIDATES) -> list[str]:
        return [cid for cid, _ in self.index.lexical.search(query_terms, n)]

    def dense(self, query: str, n: int = CANDIDATES) -> list[str]:
        live = self.index.lexical.id_set  # committed chunks only: hides a half-written document
        hits = self.index.store.query(self.index.embedder.embed_query(query), n + 10)
        return [cid for cid, _ in hits if cid in live][:n]

    def coverage(self, query_terms: list[str], chunk_id: str) -> float:
        """Share of the query's terms found in a chunk."""
        wanted = set(query_terms)
        return len(self.index.lexical.found_in(chunk_id, wanted)) / len(wanted) if wanted else 0.0

    def dense_joins(self, query_terms: list[str], lexical: list[str], k: int) -> bool:
        """The gate that keeps an embedder which does not read Korean from dragging BM25 down."""
        if not self.dense_weight:
            return False
        if self.gate >= 1.0 or len(lexical) < k:  # too few BM25 matches: let embeddings fill in
            return True
        return self.coverage(query_terms, lexical[0]) < self.gate

    def document_frequencies(self, terms: list[str]) -> tuple[list[int], int]:
        """(chunks holding each term, chunks in the index): how rare a question's words are here."""
        return self.index.lexical.document_frequencies(terms), len(self.index.lexical.ids)

    def spelled_like(self, skeleton: str) -> list[str]:
        """Latin terms of the index sharing a Hangul word's consonant skeleton."""
        return self.index.lexical.spelled_like(skeleton)

    def fuse(self, lexical: list[str], dense: list[str]) -> list[tuple[str, float]]:
        """Weighted reciprocal rank fusion: sum of weight / (rrf_k + rank)."""
        scores: dict[str, float] = {}
        for weight, ranking in ((self.lexical_weight, lexical), (self.dense_weight, dense)):
            for rank, cid in enumerate(ranking, 1):
                scores[cid] = scores.get(cid, 0.0) + weight / (self.rrf_k + rank)
        return sorted(scores.items(), key=lambda kv: -kv[1])

    def rank(self, query: str, k: int = 5) -> tuple[list[str], list[str], list[tuple[str, float]]]:
        """Lexical ranking, dense ranking (empty when gated off) and their fusion."""
        self.index.refresh()
        query_terms = terms(query)
        with self.index.lock:
            lexical = self.lexical(query_terms)
            dense = self.dense(query) if self.dense_joins(query_terms, lexical, k) else []
        return lexical, dense, self.fuse(lexical, dense)

    def search(self, query: str, k: int = 5) -> list[Passage]:
        """The k best chunks, each with the `context_chunks` chunks that follow it in its document.

        Small chunks rank precisely, but an article names its subject in the lead and states facts a few
        sentences on; the following chunk carries that context (bench: synthetic MRR 0.57 -> 0.68 at 10k).
        A chunk already shown inside an earlier passage is not repeated.
        """
        lexical, dense, fused = self.rank(query, k)
        fused = fused[: k * (1 + self.context_chunks)]  # enough candidates when some fold into others' context
        wanted = [cid for cid, _ in fused]
        wanted += [following_chunk_id(cid, n) for cid in wanted for n in range(1, self.context_chunks + 1)]
        rows = self.index.get_chunks(list(dict.fromkeys(wanted)))
        lex_rank = {cid: r for r, cid in enumerate(lexical, 1)}
        dense_rank = {cid: r for r, cid in enumerate(dense, 1)}
        passages, shown = [], set()
        for cid, score in fused:
            if cid in shown or cid not in rows:
                continue
            window = self._window(cid, rows, shown)
            shown.update(window)
            text, meta = _joined([rows[c] for c in window])
            passages.append(_passage(cid, score, text, meta, lex_rank.get(cid), dense_rank.get(cid)))
            if len(passages) == k:
                break
        return passages

    def _window(self, cid: str, rows: dict, shown: set[str]) -> list[str]:
        """The chunk and those following it that exist, are not shown yet and stay on its page."""
        window = [cid]
        for n in range(1, self.context_chunks + 1):
            nxt = following_chunk_id(cid, n)
            if nxt in shown or nxt not in rows or rows[nxt][1].get("page") != rows[cid][1].get("page"):
                break
            window.append(nxt)
        return window


def _joined(rows: list[tuple[str, dict]]) -> tuple[str, dict]:
    """Consecutive chunks as one text (their sentence overlap once) and metadata spanning them."""
    text, meta = rows[0]
    for next_text, next_meta in rows[1:]:
        overlap = meta["end"] - next_meta["start"]
        text += next_text[overlap:] if overlap > 0 else "\n" + next_text
        meta = meta | {"end": next_meta["end"]}
    return text, meta


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
