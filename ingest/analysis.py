"""Kiwi analysis of documents (their chunks and title terms), in a helper process for long runs.

Chroma's upsert holds the GIL, so a thread cannot analyse while this process writes; a second process can.
Only pure work runs there: every read and write of the store stays in the ingesting process, so crash safety
and idempotence are those of the sequential pipeline.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import signal
import threading
from collections.abc import Callable

from ingest.chunking import Chunk, chunk_document
from ingest.document import LoadedDocument
from rag.korean import get_kiwi, terms

Analysis = tuple[list[Chunk], list[str]]  # a document's chunks and its title's BM25 terms


def analyse(doc: LoadedDocument, size: int, overlap: int) -> Analysis:
    return chunk_document(doc, size, overlap), terms(doc.title)


def analysed(pending: Callable[[], Analysis]) -> Analysis:
    """Wait for a submitted analysis (a named step, so the bench can time it)."""
    return pending()


class HelperGone(Exception):
    """The helper process died (killed, out of memory)."""


class _Helper:
    """One spawned process that analyses the documents sent down a pipe, in order.

    Chroma's upsert holds this process's GIL for a second at a time; a process pool's feeder and result
    threads live here and so stalled with it, starving the helper (its Kiwi idled through every write). Here
    the helper's own threads receive documents as they are sent and hold results until they are asked for.
    """

    def __init__(self, size: int, overlap: int):
        # spawn, not fork: this process runs Kiwi's and Chroma's threads, which a fork would copy mid-work
        context = multiprocessing.get_context("spawn")
        docs_in, self._docs = context.Pipe(duplex=False)
        self._results, results_out = context.Pipe(duplex=False)
        self._process = context.Process(target=_serve, args=(docs_in, results_out, size, overlap), daemon=True)
        self._process.start()
        docs_in.close()  # only the helper holds these ends: when either process dies, the other sees EOF
        results_out.close()
        self._sent = 0
        self._received: dict[int, tuple[bool, object]] = {}
        self._caught_up = False

    def send(self, doc: LoadedDocument) -> int:
        try:
            self._docs.send(doc)
        except OSError as exc:
            raise HelperGone from exc
        self._sent += 1
        return self._sent - 1

    def caught_up(self, ticket: int) -> bool:
        """Whether it has reached the `ticket`th document; until then (it starts in seconds) this process
        analyses on and the helper's results for those documents are dropped."""
        while not self._caught_up and self._results.poll():
            self._receive(ticket)
            self._caught_up = ticket in self._received
        return self._caught_up

    def result(self, ticket: int) -> Analysis:
        """The analysis of the `ticket`th document sent (asked for in order; skipped ones are dropped)."""
        while ticket not in self._received:
            self._receive(ticket)
        ok, value = self._received.pop(ticket)
        if not ok:
            raise value
        return value

    def _receive(self, ticket: int) -> None:
        try:
            done, ok, value = self._results.recv()
        except (EOFError, OSError) as exc:
            raise HelperGone from exc
        if done >= ticket:
            self._received[done] = (ok, value)

    def close(self) -> None:
        self._docs.close()
        self._results.close()
        self._process.terminate()  # it only computes: nothing of the store is lost by stopping it mid-document
        self._process.join(timeout=5)  # reaped, not left a zombie while this process goes on


def _serve(docs, results, size: int, overlap: int) -> None:
    """The helper's main: analyse what arrives until the ingesting process closes its pipe (or dies)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the ingesting process's to handle
    inbox: queue.SimpleQueue = queue.SimpleQueue()
    outbox: queue.SimpleQueue = queue.SimpleQueue()
    threading.Thread(target=_read_docs, args=(docs, inbox), daemon=True).start()
    threading.Thread(target=_send_results, args=(outbox, results), daemon=True).start()
    get_kiwi()
    ticket = 0
    while (doc := inbox.get()) is not None:
        try:
            outbox.put((ticket, True, analyse(doc, size, overlap)))
        except Exception as exc:  # noqa: BLE001 - raised in the ingesting process, for that document only
            outbox.put((ticket, False, exc))
        ticket += 1
    os._exit(0)


def _read_docs(docs, inbox: queue.SimpleQueue) -> None:
    try:
        while True:
            inbox.put(docs.recv())
    except (EOFError, OSError):
        inbox.put(None)


def _send_results(outbox: queue.SimpleQueue, results) -> None:
    while True:
        ticket, ok, value = outbox.get()
        try:
            try:
                results.send((ticket, ok, value))
            except (pickle.PicklingError, TypeError, AttributeError):  # an exception that does not pickle
                results.send((ticket, False, RuntimeError(f"{type(value).__name__}: {value}")))
        except OSError:  # the ingesting process is gone
            os._exit(0)


class Analyser:
    """Analyses documents here until `after` of them were asked for, then in one helper process.

    A helper costs a second or two to start (imports and Kiwi's model), so short runs never start one.
    """

    def __init__(self, size: int, overlap: int, use_process: bool, after: int = 16):
        self.size, self.overlap = size, overlap
        self.use_process, self.after = use_process, after
        self.asked = 0
        self._helper: _Helper | None = None
        self._broken = False

    @property
    def started(self) -> bool:
        """Whether analyses run in the helper (and so may be asked for well ahead)."""
        return self._helper is not None and not self._broken

    def submit(self, doc: LoadedDocument) -> Callable[[], Analysis]:
        """Start analysing `doc`; the returned call waits for the result (or raises what the analysis raised)."""
        self.asked += 1
        here = lambda: analyse(doc, self.size, self.overlap)  # noqa: E731 - analysed when asked for, in order
        if not self.use_process or self.asked <= self.after or self._broken:
            return here
        try:
            if self._helper is None:
                self._helper = _Helper(self.size, self.overlap)
            ticket = self._helper.send(doc)
        except (HelperGone, RuntimeError):
            self._broken = True
            return here
        return lambda: self._result(ticket, here)

    def _result(self, ticket: int, here: Callable[[], Analysis]) -> Analysis:
        try:
            if not self._helper.caught_up(ticket):
                return here()
            return self._helper.result(ticket)
        except HelperGone:  # what it had not finished is analysed here
            self._broken = True
            return here()

    def close(self) -> None:
        if self._helper is not None:
            self._helper.close()
            self._helper = None
