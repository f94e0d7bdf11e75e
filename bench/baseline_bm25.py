"""The lexical baseline: LangChain's BM25Retriever (rank_bm25, whitespace tokens) over the tutorial's chunks.

It lives in memory only, so it has no index size and no cold start; it is built in the process that queries it.
"""

from __future__ import annotations

import time
from pathlib import Path

from bench.baseline import load_and_split
from bench.measure import StageTimer
from bench.systems import Hit, IngestStats


class BaselineBM25:
    name = "baseline-bm25"
    persistent = False
    search_k = 4  # BM25Retriever's default k; quality is scored at k=5

    def __init__(self, db_dir: Path):
        self.retriever = None

    def ingest(self, paths: list[Path]) -> IngestStats:
        from langchain_community.retrievers import BM25Retriever

        timer = StageTimer()
        start = time.perf_counter()
        splits = load_and_split(paths, timer)
        # from_documents splits on whitespace and builds the BM25Okapi tables: tokenize and index in one.
        self.retriever = timer.wrap("tokenize", BM25Retriever.from_documents)(splits)
        return IngestStats(len(splits), len(paths), time.perf_counter() - start, timer.rounded())

    def open(self) -> None:
        if self.retriever is None:
            raise RuntimeError("baseline-bm25 keeps no index: ingest in the same process first")

    def search(self, query: str, k: int) -> list[Hit]:
        self.retriever.k = k
        return [Hit(Path(d.metadata["source"]).name, d.page_content) for d in self.retriever.invoke(query)]

    def ask(self, question: str) -> None:
        return None

    def cold_start(self, question: str) -> None:
        return None
