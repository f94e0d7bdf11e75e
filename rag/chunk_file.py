"""A copy of the committed chunks' text and metadata beside the BM25 index, so that a query reads its passages
without touching Chroma: embedded Chroma's first read of a collection loads its whole vector index (~4 s at 1M
chunks), which an offline query whose embedder is gated off never needs.

Rows follow the index's sorted chunk ids: `chunks.jsonl` holds one `[text, metadata]` line per chunk and
`chunks.offsets.npy` where each line starts. A chunk left out (start == end) is read from Chroma instead. A chunk
id names its document version, so a row never changes once committed: a copy can be incomplete, never stale.
"""

from __future__ import annotations

import json
import mmap
import os
import tempfile
from bisect import bisect_left
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

ROWS, OFFSETS = "chunks.jsonl", "chunks.offsets.npy"
Row = tuple[str, dict]


def without_terms(meta: dict) -> dict:
    """A chunk's metadata as the copy holds it: its BM25 terms stay out (the index holds them)."""
    return {k: v for k, v in meta.items() if k != "terms"}


def encode(text: str, meta: dict) -> bytes:
    """One chunk's line."""
    return json.dumps([text, without_terms(meta)], ensure_ascii=False).encode() + b"\n"


class ChunkFile:
    """Read side: rows by chunk id, memory-mapped."""

    def __init__(self, ids: list[str], rows: mmap.mmap | bytes, offsets: np.ndarray):
        self.ids, self._rows, self._offsets = ids, rows, offsets

    @classmethod
    def open(cls, data_dir: Path, ids: list[str]) -> ChunkFile | None:
        """The copy written with these ids, or None (an index written before copies existed)."""
        try:
            offsets = np.load(data_dir / OFFSETS, mmap_mode="r")
            with open(data_dir / ROWS, "rb") as f:
                rows = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if os.fstat(f.fileno()).st_size else b""
        except (OSError, ValueError):
            return None
        whole = len(offsets) == len(ids) + 1 and int(offsets[-1]) == len(rows)  # not cut short by a full disk
        return cls(ids, rows, offsets) if whole else None

    def raw(self, chunk_id: str) -> bytes | None:
        i = bisect_left(self.ids, chunk_id)
        if i == len(self.ids) or self.ids[i] != chunk_id:
            return None
        start, end = int(self._offsets[i]), int(self._offsets[i + 1])
        return self._rows[start:end] if end > start else None

    def get(self, ids: Iterable[str]) -> dict[str, Row]:
        out = {}
        for cid in ids:
            line = self.raw(cid)
            if line is not None:
                text, meta = json.loads(line)
                out[cid] = (text, meta)
        return out


class StagedRows:
    """Rows of chunks added since the last save, spilled to a temporary file (1M chunks' text would not fit
    beside everything else an ingest holds)."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self._file = tempfile.TemporaryFile(dir=folder)
        self._at: dict[str, tuple[int, int]] = {}

    def add(self, rows: Iterable[tuple[str, str, dict]]) -> None:
        self._file.seek(0, os.SEEK_END)
        for cid, text, meta in rows:
            line = encode(text, meta)
            self._at[cid] = (self._file.tell(), len(line))
            self._file.write(line)

    def raw(self, chunk_id: str) -> bytes | None:
        at = self._at.get(chunk_id)
        if at is None:
            return None
        self._file.seek(at[0])
        return self._file.read(at[1])

    def close(self) -> None:
        self._file.close()


def write(data_dir: Path, ids: list[str], row_of: Callable[[str], bytes | None]) -> None:
    """Write the copy for `ids`, each row from `row_of` (None leaves that chunk to Chroma)."""
    offsets = np.zeros(len(ids) + 1, dtype=np.int64)
    with open(data_dir / ROWS, "wb") as f:
        for i, cid in enumerate(ids):
            line = row_of(cid)
            if line:
                f.write(line)
            offsets[i + 1] = f.tell()
    np.save(data_dir / OFFSETS, offsets)
