"""python -m ingest PATH_OR_URL [...] | --list [--json] | --delete SOURCE_OR_DOC_ID"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from tqdm import tqdm

from ingest.pipeline import Ingestor, IngestResult, doc_id_for, retokenized
from ingest.sources import expand_sources
from ingest.url_policy import OPERATOR
from rag.embeddings import EmbedderError
from rag.index import SearchIndex
from rag.korean import warm_up
from rag.settings import get_settings
from rag.store import Store, StoreError

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


def ingest_inputs(index: SearchIndex, inputs: list[str]) -> int:
    sources, rejected = expand_sources(inputs)
    results = [IngestResult(arg, "failed", reason=reason) for arg, reason in rejected]
    for r in results:
        print(r.line())
    bar = tqdm(total=len(sources), unit="doc", disable=len(sources) < PROGRESS_FROM, file=sys.stderr)

    def report(result: IngestResult) -> None:
        results.append(result)
        bar.write(result.line()) if not bar.disable else print(result.line(), flush=True)

    Ingestor(index, url_policy=OPERATOR).ingest(sources, on_result=report, on_step=lambda _: bar.update())
    bar.close()
    counts = Counter(r.status for r in results)
    summary = ", ".join(f"{counts[s]} {s}" for s in ("added", "updated", "unchanged", "duplicate", "failed") if counts[s])
    print(f"summary: {summary or 'nothing to ingest'}; {len(index.lexical.ids)} chunks in the store")
    return 1 if counts["failed"] else 0


def reindex(settings) -> SearchIndex:
    index = SearchIndex(settings, store=Store(settings, reindexing=True))
    with tqdm(total=index.store.chunks.count(), unit="chunk", file=sys.stderr) as bar:
        count = index.store.reindex(index.embedder.embed_documents, on_batch=lambda done: bar.update(done - bar.n),
                                    refresh_terms=retokenized)
    index.sync(full=True)
    print(f"re-embedded {count} chunks with RAG_EMBEDDINGS={settings.embeddings} and refreshed their BM25 terms")
    return index


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.inputs:
        warm_up()  # Kiwi loads while the store opens and the first files are read
    settings = get_settings()
    try:
        index = reindex(settings) if args.reindex else SearchIndex(settings)
        status = 0
        if args.delete:
            status = 1 if delete_documents(index, args.delete) else 0
        if args.inputs:
            status = max(status, ingest_inputs(index, args.inputs))
        if args.list:
            list_documents(index, args.json)
        return status
    except (StoreError, EmbedderError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: the store is consistent; run again to finish", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
