"""BM25 over Kiwi morphemes (bm25s), persisted beside the store as derived data."""

from __future__ import annotations

import json
import os
import shutil
import sys
import uuid
from bisect import bisect_left
from pathlib import Path

import bm25s
import numpy as np

from rag import chunk_file
from rag.chunk_file import ChunkFile, StagedRows
from rag.romanization import SKELETON_MIN, latin_skeletons


def shared(terms: list[str]) -> list[str]:
    """`terms` made to hold one string object per distinct word, in place, and returned: a store's chunks
    repeat a vocabulary of some hundred thousand words, and a separate copy of each occurrence costs ~70 bytes
    (100k chunks: 740 MB held instead of 83 MB; measured with the bench corpus). In place, so an ingest's
    terms and the index built from them share one list per chunk (~0.9 GB at 1M chunks)."""
    terms[:] = map(sys.intern, terms)
    return terms


class LexicalIndex:
    """A BM25 index of chunk terms, with a copy of the chunks' rows (`rows`); `revision` names the store state
    both were built from."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.ids: list[str] = []
        self.id_set: frozenset[str] = frozenset()
        self.revision: str | None = None
        self._terms: dict[str, list[str]] | None = None  # loaded only when the index changes
        self._bm25: bm25s.BM25 | None = None
        self._data_dir: Path | None = None
        self._skeletons: tuple[bm25s.BM25, dict[str, list[str]]] | None = None  # built on first use
        self.rows: ChunkFile | None = None  # as of the files on disk, which in-memory changes do not touch
        self._staged: StagedRows | None = None  # rows of chunks added since, written with the next save

    # Persistence -----------------------------------------------------------------------------
    def load(self) -> bool:
        """Load from disk; False when missing, unreadable or without its rows (then the caller rebuilds)."""
        try:
            pointer = json.loads((self.folder / "current.json").read_text())
            data_dir = self.folder / pointer["dir"]
            ids = json.loads((data_dir / "ids.json").read_text())
            bm25 = bm25s.BM25.load(str(data_dir), mmap=True, show_progress=False) if ids else None
            if bm25 is not None and bm25.scores["num_docs"] != len(ids):
                return False
        except (OSError, ValueError, KeyError, TypeError):
            return False
        rows = ChunkFile.open(data_dir, ids)
        if rows is None:  # written before the copy existed: rebuilt once, with it
            return False
        self.ids, self.revision, self._bm25, self._data_dir = ids, pointer["revision"], bm25, data_dir
        self.id_set = frozenset(ids)
        self._terms = None
        self.rows = rows
        return True

    def _save(self) -> None:
        data_dir = self.folder / f"v-{uuid.uuid4().hex[:12]}"
        data_dir.mkdir(parents=True)
        (data_dir / "ids.json").write_text(json.dumps(self.ids))
        with open(data_dir / "terms.jsonl", "w", encoding="utf-8") as f:
            f.writelines(json.dumps(self._terms[i], ensure_ascii=False) + "\n" for i in self.ids)
        if self._bm25 is not None:
            self._bm25.save(str(data_dir), show_progress=False)
        chunk_file.write(data_dir, self.ids, self._row_of)
        self._write_pointer(data_dir)
        self.rows = ChunkFile.open(data_dir, self.ids)
        if self._staged is not None:
            self._staged.close()
            self._staged = None
        for old in self.folder.glob("v-*"):
            if old != data_dir:
                shutil.rmtree(old, ignore_errors=True)
        self._data_dir = data_dir

    def _write_pointer(self, data_dir: Path) -> None:
        tmp = self.folder / f"current.{os.getpid()}.tmp"
        tmp.write_text(json.dumps({"dir": data_dir.name, "revision": self.revision}))
        os.replace(tmp, self.folder / "current.json")  # the switch to the new files is atomic

    def _row_of(self, chunk_id: str) -> bytes | None:
        staged = self._staged.raw(chunk_id) if self._staged is not None else None
        return staged or (self.rows.raw(chunk_id) if self.rows is not None else None)

    def stage_rows(self, rows) -> None:
        """(chunk id, text, metadata) of chunks being added, for the copy the next save writes."""
        if self._staged is None:
            self._staged = StagedRows(self.folder)
        self._staged.add(rows)

    def _all_terms(self) -> dict[str, list[str]]:
        if self._terms is None:
            self._terms = {}
            if self._data_dir is not None and self.ids:
                with open(self._data_dir / "terms.jsonl", encoding="utf-8") as f:
                    self._terms = {cid: shared(json.loads(line)) for cid, line in zip(self.ids, f)}
        return self._terms

    # Changes ---------------------------------------------------------------------------------
    def replace_all(self, terms: dict[str, list[str]], revision: str, persist: bool = True) -> None:
        self._terms = {cid: shared(t) for cid, t in terms.items()}
        self._reindex(revision, persist)

    def update(self, added: dict[str, list[str]], removed: set[str], revision: str, persist: bool = True) -> None:
        """Apply changes; `persist` False keeps them in memory (another process owns the files meanwhile).

        Raises FileNotFoundError when the files this copy was loaded from were replaced by another process.
        """
        if not added and not (removed & set(self.ids)) and self._data_dir is not None:
            self.revision = revision  # nothing to re-index: only record the store state
            if persist:
                self._write_pointer(self._data_dir)
            return
        current = self._all_terms()
        for cid in removed:
            current.pop(cid, None)
        current.update((cid, shared(t)) for cid, t in added.items())
        self._reindex(revision, persist)

    def _reindex(self, revision: str, persist: bool = True) -> None:
        self.ids = sorted(self._terms)
        self.id_set = frozenset(self.ids)
        self.revision = revision
        self._bm25 = None
        if self.ids:
            self._bm25 = bm25s.BM25()
            # An empty term list would leave a document with no row; "" keeps rows aligned.
            self._bm25.index([self._terms[i] or [""] for i in self.ids], show_progress=False)
        if persist:
            self._save()

    # Search ----------------------------------------------------------------------------------
    def search(self, query_terms: list[str], k: int) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) of the best k chunks with a positive score."""
        if self._bm25 is None or not query_terms:
            return []
        scores = self._bm25.get_scores(query_terms)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def document_frequencies(self, terms: list[str]) -> list[int]:
        """How many chunks hold each term (0 for a term the index has never seen)."""
        if self._bm25 is None:
            return [0] * len(terms)
        vocab, indptr = self._bm25.vocab_dict, self._bm25.scores["indptr"]  # term columns of the score matrix
        return [int(indptr[i + 1] - indptr[i]) if (i := vocab.get(t)) is not None else 0 for t in terms]

    def found_in(self, chunk_id: str, terms: set[str]) -> set[str]:
        """Which of `terms` a chunk holds, read off the index: each term's column lists the chunks holding it in
        index order, so a binary search touches a few pages of it (a word of most chunks: ~1M entries at 1M)."""
        i = bisect_left(self.ids, chunk_id)
        if self._bm25 is None or i == len(self.ids) or self.ids[i] != chunk_id:
            return set()
        vocab, scores = self._bm25.vocab_dict, self._bm25.scores
        found = set()
        for term in terms:
            if (j := vocab.get(term)) is None:
                continue
            column = scores["indices"][scores["indptr"][j] : scores["indptr"][j + 1]]
            at = int(np.searchsorted(column, i))
            if at < len(column) and column[at] == i:
                found.add(term)
        return found

    def spelled_like(self, skeleton: str) -> list[str]:
        """The index's Latin terms with this consonant skeleton (rag.romanization), for a Hangul loanword."""
        if self._bm25 is None:
            return []
        if self._skeletons is None or self._skeletons[0] is not self._bm25:
            found: dict[str, list[str]] = {}
            for term in self._bm25.vocab_dict:
                for key in latin_skeletons(term):
                    if len(key) >= SKELETON_MIN:
                        found.setdefault(key, []).append(term)
            self._skeletons = (self._bm25, found)
        return list(self._skeletons[1].get(skeleton, ()))
