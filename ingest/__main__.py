"""python -m ingest PATH_OR_URL [...] | --list [--json] | --delete SOURCE_OR_DOC_ID | --reindex"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.progress import Progress
from ingest.result import IngestResult
from ingest.sources import expand_sources
from rag.errors import RagError

if TYPE_CHECKING:  # the store and the pipeline import Chroma: seconds, so only after the first line is out
    from rag.index import SearchIndex

PROGRESS_FROM = 5  # inputs; fewer than this print their lines without a bar


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m ingest", description="Ingest articles into the store.")
    parser.add_argument("inputs", nargs="*", metavar="PATH_OR_URL", help="files, folders (recursive) or http(s) URLs")
    parser.add_argument("--list", action="store_true", help="list ingested documents")
    parser.add_argument("--json", action="store_true", help="with --list: print JSON")
    parser.add_argument("--delete", metavar="SOURCE_OR_DOC_ID", action="append", help="remove a document")
    parser.add_argument("--reindex", action="store_true",
                        help="re-embed every chunk with the current RAG_EMBEDDINGS and refresh its BM25 terms")
    args = parser.parse_args(argv)
    if not (args.inputs or args.list or args.delete or args.reindex):
        parser.error("give files, folders or URLs to ingest, or --list, --delete or --reindex")
    return args


def list_documents(index: SearchIndex, as_json: bool) -> None:
    keys = ("doc_id", "source", "title", "chunks", "ingested_at")
    docs = [{k: d.get(k) for k in keys} for d in index.store.documents()]
    if as_json:
        print(json.dumps(docs, ensure_ascii=False, indent=2))
        return
    for d in docs:
        print(f"{d['doc_id']}  {d['chunks']:>4} chunks  {d['ingested_at']}  {d['title']}  [{d['source']}]")
    print(f"{len(docs)} documents")


def delete_documents(index: SearchIndex, targets: list[str]) -> int:
    from ingest.pipeline import doc_id_for

    failed = 0
    for target in targets:
        candidates = [target, doc_id_for(target)]
        if not target.startswith(("http://", "https://")):
            candidates.append(doc_id_for(str(Path(target).resolve())))
        doc = next((d for d in map(index.store.document, candidates) if d), None)
        if doc is None:
            print(f"failed: {target}: no such document (see --list)")
            failed += 1
            continue
        removed = index.delete_document(doc["doc_id"])
        print(f"deleted: {doc['title']} ({removed} chunks) [{doc['source']}]")
    return failed


class InputsRun:
    """Ingesting the command's inputs: what was rejected and the progress are shown before the store opens."""

    def __init__(self, inputs: list[str]):
        self.sources, rejected = expand_sources(inputs)
        self.results = [IngestResult(arg, "failed", reason=reason) for arg, reason in rejected]
        for result in self.results:
            print(result.line(), flush=True)
        self.progress = Progress(len(self.sources), "document", enabled=len(self.sources) >= PROGRESS_FROM)

    def run(self, index: SearchIndex) -> int:
        from ingest.pipeline import Ingestor
        from ingest.url_policy import OPERATOR

        def report(result: IngestResult) -> None:
            self.results.append(result)
            self.progress.write(result.line())

        stopping = threading.Event()

        def interrupt(signum, frame) -> None:
            if stopping.is_set():
                raise KeyboardInterrupt  # a second Ctrl-C: stop at once (what was committed still stays)
            stopping.set()  # the first: commit the documents already read, then stop

        previous = signal.signal(signal.SIGINT, interrupt)
        try:
            ingestor = Ingestor(index, url_policy=OPERATOR, analysis_process=True)
            ingestor.ingest(self.sources, on_result=report, stop=stopping.is_set, on_step=lambda _: self.progress.update())
        except KeyboardInterrupt:
            stopping.set()
        finally:
            signal.signal(signal.SIGINT, previous)
            self.progress.close()
        if stopping.is_set():
            done = sum(r.status != "failed" for r in self.results)
            summary = f" ({self.summary()})" if self.results else ""
            print(f"interrupted: {done} of {len(self.sources)} documents committed{summary}; the store is "
                  "consistent: run the same command again to finish", file=sys.stderr)
            return 130
        print(f"summary: {self.summary() or 'nothing to ingest'}; {len(index.lexical.ids)} chunks in the store")
        return 1 if any(r.status == "failed" for r in self.results) else 0

    def summary(self) -> str:
        counts = Counter(r.status for r in self.results)
        return ", ".join(f"{counts[s]} {s}" for s in ("added", "updated", "unchanged", "duplicate", "failed") if counts[s])


def open_index(settings, **options) -> SearchIndex:
    from rag.index import SearchIndex

    index = SearchIndex(settings, **options)
    index.on_wait = lambda message: print(message, file=sys.stderr, flush=True)
    return index


def reindex(settings) -> SearchIndex:
    from ingest.pipeline import retokenized
    from rag.store import Store

    index = open_index(settings, store=Store(settings, reindexing=True))
    with index.writing():
        progress = Progress(index.store.chunk_count(), "chunk")
        count = index.store.reindex(index.embedder.embed_documents, on_batch=progress.set, refresh_terms=retokenized)
        progress.close()
        index.store.bump_revision()  # running apps see the new collection and re-read every chunk's terms
        index.sync(full=True)
    print(f"re-embedded {count} chunks with RAG_EMBEDDINGS={settings.embeddings} and refreshed their BM25 terms")
    return index


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        inputs = None
        if args.inputs:
            from rag.korean import warm_up

            warm_up()  # Kiwi loads while the store opens and the first files are read
            inputs = InputsRun(args.inputs)
        from rag.settings import get_settings

        settings = get_settings()
        index = reindex(settings) if args.reindex else open_index(settings)
        status = 0
        if args.delete:
            status = 1 if delete_documents(index, args.delete) else 0
        if inputs:
            status = max(status, inputs.run(index))
        if args.list and status != 130:
            list_documents(index, args.json)
        return status
    except RagError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: the store is consistent; run again to finish", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
