"""The baseline: LangChain's RAG tutorial with our embedder.

TextLoader -> RecursiveCharacterTextSplitter(1000, 200) -> Chroma.from_documents -> similarity_search(k=4).
The collection uses cosine space like ours; the hash vectors have unit length, so L2 would rank the same.
Its "answer" is the retrieved sentence sharing most words with the question (no LLM), for a latency floor.

`python -m bench.baseline DB_DIR QUESTION` is its cold start: open the store, search, answer, print JSON.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

from bench.measure import StageTimer
from bench.systems import Hit, IngestStats

COLLECTION = "bench"
TUTORIAL_K = 4
_SENTENCE_END = re.compile(r"(?<=[.!?다])\s+")


def naive_answer(question: str, texts: list[str]) -> str:
    """The sentence of `texts` sharing most whitespace words with the question."""
    words = set(question.lower().split())
    sentences = [s for t in texts for s in _SENTENCE_END.split(t) if s.strip()]
    return max(sentences, key=lambda s: len(words & set(s.lower().split())), default="")


def _chroma(db_dir: Path, embedding):
    from langchain_chroma import Chroma

    return Chroma(collection_name=COLLECTION, embedding_function=embedding, persist_directory=str(db_dir),
                  collection_metadata={"hnsw:space": "cosine"})


def load_and_split(paths: list[Path], timer: StageTimer) -> list:
    """The tutorial's documents: each file loaded whole, then split into 1000-character chunks."""
    from langchain_community.document_loaders import TextLoader
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    load = timer.wrap("extract", lambda p: TextLoader(str(p), encoding="utf-8").load())
    docs = [d for p in paths for d in load(p)]
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
    return timer.wrap("split", splitter.split_documents)(docs)


class Baseline:
    name = "baseline"
    persistent = True
    search_k = TUTORIAL_K  # timed as the tutorial searches; quality is scored at k=5

    def __init__(self, db_dir: Path):
        self.db_dir = db_dir
        self.store = None

    def ingest(self, paths: list[Path]) -> IngestStats:
        from langchain_chroma import Chroma

        from rag.embeddings import HashingEmbeddings

        timer = StageTimer()
        start = time.perf_counter()
        splits = load_and_split(paths, timer)
        embedding = HashingEmbeddings()
        embedding.embed_documents = timer.wrap("embed", embedding.embed_documents)
        write_start = time.perf_counter()
        Chroma.from_documents(splits, embedding, collection_name=COLLECTION, persist_directory=str(self.db_dir),
                              collection_metadata={"hnsw:space": "cosine"})
        timer.add("write", time.perf_counter() - write_start - timer.seconds["embed"])  # from_documents embeds, then writes
        return IngestStats(len(splits), len(paths), time.perf_counter() - start, timer.rounded())

    def open(self) -> None:
        from rag.embeddings import HashingEmbeddings

        self.store = _chroma(self.db_dir, HashingEmbeddings())

    def search(self, query: str, k: int) -> list[Hit]:
        return [Hit(Path(d.metadata["source"]).name, d.page_content) for d in self.store.similarity_search(query, k=k)]

    def ask(self, question: str) -> str:
        return naive_answer(question, [d.page_content for d in self.store.similarity_search(question, k=TUTORIAL_K)])

    def cold_start(self, question: str) -> tuple[list[str], dict[str, str]]:
        return ["-m", "bench.baseline", str(self.db_dir), question], {}


def main(argv: list[str]) -> int:
    db_dir, question = argv
    system = Baseline(Path(db_dir))
    system.open()
    print(json.dumps({"question": question, "answer": system.ask(question)}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
