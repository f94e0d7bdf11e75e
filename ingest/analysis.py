"""Kiwi analysis of documents (their chunks and title terms), in a helper process for long runs.

Chroma's upsert holds the GIL, so a thread cannot analyse while this process writes; a second process can.
Only pure work runs there: every read and write of the store stays in the ingesting process, so crash safety
and idempotence are those of the sequential pipeline.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ingest.chunking import Chunk, chunk_document
from ingest.document import LoadedDocument
from rag.korean import get_kiwi, terms

Analysis = tuple[list[Chunk], list[str]]  # a document's chunks and its title's BM25 terms


def analyse(doc: LoadedDocument, size: int, overlap: int) -> Analysis:
    return chunk_document(doc, size, overlap), terms(doc.title)


def analysed(pending: Callable[[], Analysis]) -> Analysis:
    """Wait for a submitted analysis (a named step, so the bench can time it)."""
    return pending()


def _start_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the ingesting process's to handle
    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True).start()
    get_kiwi()


def _exit_with(parent: int) -> None:
    """End this helper once the ingesting process is gone (killed with -9, it cannot say so)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


class Analyser:
    """Analyses documents here until `after` of them were asked for, then in one helper process.

    A helper costs a second or two to start (imports and Kiwi's model), so short runs never start one.
    """

    def __init__(self, size: int, overlap: int, use_process: bool, after: int = 16):
        self.size, self.overlap = size, overlap
        self.use_process, self.after = use_process, after
        self.asked = 0
        self._pool: ProcessPoolExecutor | None = None
        self._broken = False

    @property
    def started(self) -> bool:
        """Whether analyses run in the helper (and so may be asked for well ahead)."""
        return self._pool is not None and not self._broken

    def submit(self, doc: LoadedDocument) -> Callable[[], Analysis]:
        """Start analysing `doc`; the returned call waits for the result (or raises what the analysis raised)."""
        self.asked += 1
        here = lambda: analyse(doc, self.size, self.overlap)  # noqa: E731 - analysed when asked for, in order
        if not self.use_process or self.asked <= self.after or self._broken:
            return here
        try:
            if self._pool is None:
                # spawn, not fork: this process runs Kiwi's and Chroma's threads, which a fork would copy mid-work
                self._pool = ProcessPoolExecutor(1, multiprocessing.get_context("spawn"), initializer=_start_worker)
            future: Future = self._pool.submit(analyse, doc, self.size, self.overlap)
        except (BrokenProcessPool, RuntimeError):
            self._broken = True
            return here
        return lambda: self._result(future, here)

    def _result(self, future: Future, here: Callable[[], Analysis]) -> Analysis:
        try:
            return future.result()
        except BrokenProcessPool:  # the helper died (killed, out of memory): the rest is analysed here
            self._broken = True
            return here()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
