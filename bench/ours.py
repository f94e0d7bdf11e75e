"""Our pipeline as a benchmarked system: the real Ingestor, Retriever and extractive Answerer.

Ingest stages are timed by wrapping the functions the Ingestor calls, for the length of one ingest only.
`python -m bench.ours DB_DIR QUESTION` answers the way `python app.py ask` does: the cold start used when the CLI fails.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bench.measure import StageTimer
from bench.systems import Hit, IngestStats

COLLECTION = "bench"


def bench_settings(db_dir: Path, server: str | None = None, collection: str = COLLECTION):
    """Offline defaults whatever the environment says: hash embeddings, extractive answers, no samples."""
    from rag.settings import Settings

    host, _, port = (server or "").rpartition(":")
    return Settings(db_dir=db_dir, collection=collection, samples_dir=db_dir / "no-samples", embeddings="hash",
                    llm="extractive", chroma_host=host or None, chroma_port=int(port or 8000))


@contextmanager
def _patched(obj, name: str, timer: StageTimer, stage: str):
    original = getattr(obj, name)
    setattr(obj, name, timer.wrap(stage, original))
    try:
        yield
    finally:
        setattr(obj, name, original)


# Where the Ingestor's stages run, by the names its modules call them (whichever exist in this version).
STAGE_FUNCTIONS = {
    "extract": ["load_source"],
    "split": ["chunk_document"],
    "tokenize": ["analyze_sentences", "split_sentences", "terms", "terms_batch", "analysed"],  # every Kiwi call,
    # and the wait for the helper process's analysis
}
STORE_REGISTRY = ["identify", "identify_all", "document", "find_by_hash", "commit_document", "commit_documents",
                  "chunk_ids_of", "delete_chunks", "repair", "bump_revision", "committed_versions"]
INGEST_MODULES = ["ingest.pipeline", "ingest.chunking", "ingest.batch", "ingest.analysis"]


def _stage_functions(index) -> list[tuple[object, str, str]]:
    """(object, attribute, stage) for every stage function this version of the code has."""
    modules = [importlib.import_module(m) for m in INGEST_MODULES if importlib.util.find_spec(m)]
    found = [(m, name, stage) for stage, names in STAGE_FUNCTIONS.items() for name in names for m in modules
             if callable(getattr(m, name, None))]
    found += [(index.embedder, "embed_documents", "embed"), (index.store, "write_chunks", "write"),
              (index, "record_changes", "bm25")]
    return found + [(index.store, name, "registry") for name in STORE_REGISTRY if hasattr(index.store, name)]


class Ours:
    name = "ours"
    persistent = True

    def __init__(self, db_dir: Path, server: str | None = None, collection: str = COLLECTION):
        self.db_dir = db_dir
        self.settings = bench_settings(db_dir, server, collection)
        self.retriever = self.answerer = None

    def ingest(self, paths: list[Path]) -> IngestStats:
        import ingest.pipeline as pipeline
        from rag.index import SearchIndex
        from rag.korean import get_kiwi

        timer = StageTimer()
        start = time.perf_counter()
        timer.wrap("load_models", get_kiwi)()  # once per process; kept apart so small runs read true stage costs
        index = SearchIndex(self.settings)
        index.embedder  # noqa: B018 - built here, not inside the first document's timing
        with ExitStack() as stack:
            for obj, name, stage in _stage_functions(index):
                stack.enter_context(_patched(obj, name, timer, stage))
            results = pipeline.Ingestor(index, analysis_process=True).ingest([str(p) for p in paths])  # as the CLI
        seconds = time.perf_counter() - start
        failed = [r.line() for r in results if r.status == "failed"]
        if failed:
            raise RuntimeError(f"{len(failed)} documents failed, first: {failed[0]}")
        return IngestStats(sum(r.chunks for r in results), len(results), seconds, timer.rounded())

    def open(self) -> None:
        from answer.pipeline import Answerer
        from rag.index import SearchIndex
        from rag.retrieval import Retriever

        self.retriever = Retriever(SearchIndex(self.settings))
        self.answerer = Answerer(self.retriever, self.settings)

    def search(self, query: str, k: int) -> list[Hit]:
        return [Hit(Path(p.source).name, p.text) for p in self.retriever.search(query, k)]

    def ask(self, question: str) -> str:
        return self.answerer.ask(question).answer

    def cold_start(self, question: str) -> tuple[list[str], dict[str, str]]:
        """The command a user runs (`python app.py ask`) and its environment."""
        env = {"RAG_DB_DIR": str(self.db_dir), "RAG_COLLECTION": self.settings.collection, "RAG_EMBEDDINGS": "hash",
               "RAG_LLM": "extractive", "RAG_SAMPLES_DIR": str(self.db_dir / "no-samples")}
        if self.settings.chroma_host:
            env |= {"CHROMA_HOST": self.settings.chroma_host, "CHROMA_PORT": str(self.settings.chroma_port)}
        return ["app.py", "ask", question, "--json"], env

    def cold_start_fallback(self, question: str) -> tuple[list[str], dict[str, str]]:
        server = f"{self.settings.chroma_host}:{self.settings.chroma_port}" if self.settings.chroma_host else ""
        return ["-m", "bench.ours", str(self.db_dir), question, server, self.settings.collection], {}


def main(argv: list[str]) -> int:
    from answer.pipeline import Answerer
    from rag.service import open_retriever

    db_dir, question, server, collection = (argv + ["", COLLECTION])[:4]
    settings = bench_settings(Path(db_dir), server or None, collection)
    answer = Answerer(open_retriever(settings, seed_samples=False), settings).ask(question)
    print(json.dumps(answer.to_json(), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

