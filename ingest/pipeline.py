"""load -> chunk -> identify -> embed -> write -> commit, one document at a time."""

from __future__ import annotations

import hashlib
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ingest.analysis import Analyser, Analysis, analyse, analysed
from ingest.batch import StagedDocument, WriteBatch, commit
from ingest.chunking import Chunk
from ingest.document import LoadedDocument, LoadError
from ingest.result import IngestResult
from ingest.url_policy import OPERATOR, UrlPolicy
from rag.index import SearchIndex
from rag.korean import detect_language, terms, terms_batch
from rag.lexical import shared
from rag.store import chunk_id


def doc_id_for(source: str) -> str:
    """Stable id of a document, derived from its source (absolute path or URL)."""
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]


def load_source(source: str, max_bytes: int, timeout: float, policy: UrlPolicy = OPERATOR) -> LoadedDocument:
    from ingest.loaders import load_file, load_url  # parsers load only when files are read

    if source.lower().startswith(("http://", "https://")):
        return load_url(source, max_bytes, timeout, policy)
    return load_file(Path(source), max_bytes)


class Ingestor:
    """Writes documents into a SearchIndex so that a crash at any point leaves it consistent.

    Documents are staged and written in batches of about FLUSH_CHUNKS chunks; a document is
    reported only once its batch is committed. With `analysis_process`, long runs analyse documents in a
    helper process up to AHEAD_DOCS ahead of the one being staged, so Kiwi works while Chroma writes.
    """

    # Chroma's cost per chunk falls by a third from 256- to 1024-chunk writes, then flattens
    # (bench/results/2026-11-26-findings.md); a write of 1024 takes about 1.5 s.
    FLUSH_CHUNKS = 1024
    FLUSH_SECONDS = 2.0  # finished documents are committed (kept by a Ctrl-C, reported) at least this often
    # Enough to keep the helper busy through a 1024-chunk write (~1.5 s, ~130 documents); the characters bound
    # what waits in memory when documents are large.
    AHEAD_DOCS = 256
    IDENTIFY_DOCS = 32  # documents read ahead are looked up in the registry together
    AHEAD_CHARS = 8_000_000

    def __init__(self, index: SearchIndex, url_policy: UrlPolicy | None = None, analysis_process: bool = False):
        """`url_policy` None: what the settings allow a web user (no private addresses unless RAG_URL_ALLOW_PRIVATE).

        `analysis_process`: may start a helper process for long runs. Only for a main module that runs nothing on
        import (`python -m ingest`): a spawned process imports it again (app.py would build its UI there).
        """
        self.index = index
        self.settings = index.settings
        self.url_policy = url_policy or UrlPolicy(allow_private=self.settings.url_allow_private)
        self.analysis_process = analysis_process
        self._flushes = 0
        self._committed_in: dict[str, int] = {}  # doc_id or content hash -> the flush that committed it this run

    def ingest(self, sources: Iterable[str], on_result: Callable[[IngestResult], None] | None = None,
               on_step: Callable[[str], None] | None = None,
               stop: Callable[[], bool] | None = None) -> list[IngestResult]:
        """Load and store each source (path or URL); a failure is reported and the rest go on.

        `on_step(source)` follows each input as it is read; `on_result` each final result. Once `stop()` is
        true no further input is read, the documents already staged are committed and reported, and those
        read ahead for the helper process are dropped.
        """
        limits = (self.settings.max_bytes, self.settings.url_timeout, self.url_policy)
        items = ((s, lambda s=s: load_source(s, *limits)) for s in sources)
        return self._run(items, on_result, on_step, stop or (lambda: False))

    def ingest_documents(self, docs: Iterable[LoadedDocument], on_result=None, on_step=None) -> list[IngestResult]:
        """Store documents that are already loaded (generated corpora, tests)."""
        return self._run(((d.source, lambda d=d: d) for d in docs), on_result, on_step, lambda: False)

    def _run(self, items: Iterable[tuple[str, Callable[[], LoadedDocument]]], on_result, on_step,
             stop: Callable[[], bool]) -> list[IngestResult]:
        results: list[IngestResult] = []
        order: dict[str, int] = {}

        def report(result: IngestResult) -> None:
            results.append(result)
            if on_result:
                on_result(result)

        with self.index.writing():
            with self.index.lock:
                self.index.store.bump_revision()  # until the end, BM25 knows it may be behind
                # A shared server may have other writers mid-document: spare their fresh chunks.
                self.index.store.repair(min_age_s=600 if self.settings.chroma_host else 0)
            # Loading, analysis and embedding run outside the lock, so searches go on meanwhile.
            batch, changes = WriteBatch(), ({}, set())
            flushed_at = time.monotonic()
            analyser = Analyser(self.settings.chunk_size, self.settings.chunk_overlap, self.analysis_process)
            ahead: deque[tuple[str, _Read]] = deque()
            ahead_chars = 0

            def stage_oldest() -> None:
                nonlocal flushed_at, ahead_chars
                source, read = ahead.popleft()
                ahead_chars -= len(read.doc.text)
                result = _guarded(source, lambda: self._stage(read, batch))
                if result:  # staged documents are reported when their batch commits
                    report(result)
                if batch.chunk_count >= self.FLUSH_CHUNKS or time.monotonic() - flushed_at > self.FLUSH_SECONDS:
                    self._flush(batch, changes, report)
                    flushed_at = time.monotonic()

            loaded: list[tuple[str, LoadedDocument]] = []

            def read_loaded() -> None:
                nonlocal ahead_chars
                for source, read in self._read_all(loaded, analyser):
                    if isinstance(read, _Read):
                        ahead.append((source, read))
                        ahead_chars += len(read.doc.text)
                    else:
                        report(read)
                loaded.clear()
                limit = self.AHEAD_DOCS if analyser.started else 0
                while ahead and (len(ahead) > limit or ahead_chars > self.AHEAD_CHARS):
                    stage_oldest()

            try:
                for source, load in items:
                    if stop():
                        break
                    order.setdefault(source, len(order))
                    doc = _guarded(source, load)
                    if isinstance(doc, LoadedDocument):
                        loaded.append((source, doc))
                    else:
                        report(doc)
                    if on_step:
                        on_step(source)
                    if len(loaded) >= (self.IDENTIFY_DOCS if analyser.started else 1):
                        read_loaded()
                if not stop():
                    read_loaded()
                while ahead and not stop():  # after a stop, what was read ahead is dropped: not reported, not stored
                    stage_oldest()
                self._flush(batch, changes, report)
            finally:
                analyser.close()
                # BM25 is rebuilt once per run, not per batch: rebuilding is linear in the corpus.
                self.index.record_changes(*changes)
        return sorted(results, key=lambda r: order.get(r.source, len(order)))

    def _flush(self, batch: WriteBatch, changes: tuple[dict, set], report: Callable[[IngestResult], None]) -> None:
        staged = batch.take()
        if not staged:
            return
        try:
            embeddings = self.index.embedder.embed_documents([t for doc in staged for t in doc.texts])
            with self.index.lock:  # held only while writing, so searches wait milliseconds, not minutes
                added, removed = commit(self.index.store, staged, embeddings)
                self.index.lexical.stage_rows((cid, text, meta) for doc in staged
                                              for cid, text, meta in zip(doc.ids, doc.texts, doc.metadatas))
        except Exception as exc:  # noqa: BLE001 - the batch stays uncommitted, so nothing half-done is visible
            for doc in staged:
                report(IngestResult(doc.outcome.source, "failed", reason=_one_line(exc)))
            return
        for doc in staged:
            self._committed_in[doc.doc_id] = self._committed_in[doc.record["content_hash"]] = self._flushes
        self._flushes += 1
        changes[0].update((cid, shared(t)) for cid, t in added.items())  # held until the run ends
        changes[1].update(removed)
        for doc in staged:
            report(doc.outcome)

    def _read_all(self, loaded: list[tuple[str, LoadedDocument]], analyser: Analyser) -> list[tuple[str, object]]:
        """Loaded documents identified in the store (one call); the analysis of each not stored already starts."""
        keys = [(doc_id_for(d.source), d.source, hashlib.sha256(d.text.encode("utf-8")).hexdigest()) for _, d in loaded]
        try:
            found = self.index.store.identify_all(keys)
        except Exception as exc:  # noqa: BLE001 - the store failed: each document says so, the run goes on
            return [(source, IngestResult(source, "failed", reason=_one_line(exc))) for source, _ in loaded]
        reads = []
        for (source, doc), (doc_id, _, content_hash), (existing, twin) in zip(loaded, keys, found):
            settled = (existing and existing["content_hash"] == content_hash) or (twin and twin["doc_id"] != doc_id)
            start = lambda doc=doc, settled=settled: None if settled else analyser.submit(doc)  # noqa: E731
            pending = _guarded(source, start)
            if isinstance(pending, IngestResult):
                reads.append((source, pending))
            else:
                reads.append((source, _Read(doc, doc_id, content_hash, (existing, twin), self._flushes, pending)))
        return reads

    def _stage(self, read: _Read, batch: WriteBatch) -> IngestResult | None:
        """Result now for unchanged/duplicate documents; None when staged (reported at flush).

        Decided on the store as it is now: a batch committed since the document was read may hold its twin.
        """
        doc, doc_id, content_hash = read.doc, read.doc_id, read.content_hash
        existing, twin = read.identified
        if max(self._committed_in.get(doc_id, -1), self._committed_in.get(content_hash, -1)) >= read.flushes:
            existing, twin = self.index.store.identify(doc_id, doc.source, content_hash)
        if existing and existing["content_hash"] == content_hash:
            return IngestResult(doc.source, "unchanged", doc_id, existing["title"], existing["chunks"])
        pending = batch.pending_hash(content_hash)
        twin = {"doc_id": pending.doc_id, **pending.record} if pending else twin
        if twin and twin["doc_id"] != doc_id:
            return IngestResult(doc.source, "duplicate", twin["doc_id"], twin["title"], reason=twin["source"])
        pending_analysis = read.analysis or (lambda: analyse(doc, self.settings.chunk_size, self.settings.chunk_overlap))
        chunks, title_terms = analysed(pending_analysis)
        if not chunks:
            raise LoadError("no text found")
        staged = _staged(doc, doc_id, content_hash, chunks, title_terms)
        staged.outcome = IngestResult(doc.source, "updated" if existing else "added", doc_id, doc.title, len(chunks))
        batch.add(staged)
        return None


@dataclass
class _Read:
    """A document read and identified, waiting (with its analysis under way) to be staged."""

    doc: LoadedDocument
    doc_id: str
    content_hash: str
    identified: tuple[dict | None, dict | None]  # (registered document, twin) when read
    flushes: int  # batches this run had committed when it was identified
    analysis: Callable[[], Analysis] | None  # None: it looked stored already when read


def _guarded(source: str, work: Callable[[], object]):
    try:
        return work()
    except LoadError as exc:
        return IngestResult(source, "failed", reason=str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the others
        return IngestResult(source, "failed", reason=_one_line(exc))


def _one_line(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:300]


def with_title(chunk_terms: list[str], title_terms: list[str]) -> list[str]:
    """A chunk's BM25 terms plus the title's terms it lacks.

    Articles name their subject in the title and lead, then say "the program"; without this a fact deep in
    an article cannot be found by the subject's name (bench: synthetic hit@5 0.68 -> 0.85).
    """
    present = set(chunk_terms)
    return chunk_terms + [t for t in dict.fromkeys(title_terms) if t not in present]


def retokenized(texts: list[str], metadatas: list[dict]) -> list[dict]:
    """Chunk metadatas with BM25 terms from the current analysis (for a re-index after an upgrade)."""
    titles = {title: terms(title) for title in {m.get("title", "") for m in metadatas}}
    return [meta | {"terms": " ".join(with_title(chunk_terms, titles[meta.get("title", "")]))}
            for chunk_terms, meta in zip(terms_batch(texts), metadatas)]


def _staged(doc: LoadedDocument, doc_id: str, content_hash: str, chunks: list[Chunk],
            title_terms: list[str]) -> StagedDocument:
    version = content_hash[:12]
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    common = {"doc_id": doc_id, "version": version, "source": doc.source, "title": doc.title,
              "language": detect_language(doc.text), "tags": ",".join(doc.tags), "ingested_at": now}
    chunk_terms = [with_title(list(c.terms), title_terms) for c in chunks]
    metadatas = []
    for i, chunk in enumerate(chunks):
        meta = {**common, "chunk_index": i, "start": chunk.start, "end": chunk.end, "terms": " ".join(chunk_terms[i])}
        if chunk.page is not None:
            meta["page"] = chunk.page
            meta["page_unit"] = doc.page_unit  # "page" or "slide": how citations name it
        metadatas.append(meta)
    record = {k: common[k] for k in ("source", "title", "version", "language", "tags", "ingested_at")}
    return StagedDocument(
        doc_id=doc_id,
        version=version,
        record=record | {"chunks": len(chunks), "content_hash": content_hash},
        ids=[chunk_id(doc_id, version, i) for i in range(len(chunks))],
        texts=[c.text for c in chunks],
        metadatas=metadatas,
        terms=chunk_terms,
    )


def ingest_paths(settings, paths: list[str], index: SearchIndex | None = None,
                 progress_from: int | None = None) -> list[IngestResult]:
    """Ingest files, folders and URLs (as the CLI does) into the configured store; with `progress_from`,
    show progress on standard error when there are at least that many inputs."""
    from ingest.progress import Progress
    from ingest.sources import expand_sources

    sources, rejected = expand_sources([str(p) for p in paths])
    index = index or SearchIndex(settings)
    results = [IngestResult(arg, "failed", reason=reason) for arg, reason in rejected]
    bar = Progress(len(sources), "document", enabled=progress_from is not None and len(sources) >= progress_from)
    try:
        return results + Ingestor(index, url_policy=OPERATOR).ingest(sources, on_step=lambda _: bar.update())
    finally:
        bar.close()
