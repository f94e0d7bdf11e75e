"""Korean-aware chunking: whole Kiwi sentences and whole table rows packed to a target size, with overlap."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.document import LoadedDocument
from rag.korean import analyze_sentences, terms


@dataclass(frozen=True)
class Chunk:
    text: str
    start: int  # character offsets in the document's cleaned text
    end: int
    page: int | None = None
    terms: tuple[str, ...] = ()  # BM25 terms of its sentences


def _cut_long(start: int, end: int, text: str, size: int) -> list[tuple[int, int]]:
    """Split one over-long sentence at whitespace near the limit (hard cut when there is none)."""
    pieces = []
    while end - start > size:
        cut = text.rfind(" ", start + size // 2, start + size)
        cut = cut if cut > start else start + size
        pieces.append((start, cut))
        start = cut + 1 if text[cut : cut + 1] == " " else cut
    pieces.append((start, end))
    return pieces


Unit = tuple[int, int, tuple[str, ...]]  # a sentence (or a piece of an over-long one) and its terms


def _pack(units: list[Unit], size: int, overlap: int) -> list[list[Unit]]:
    """Group sentences into chunks of at most `size` characters where possible."""
    chunks, current = [], []
    for unit in units:
        if current and unit[1] - current[0][0] > size:
            chunks.append(current)
            carried = current[-overlap:] if overlap else []
            # Overlap only when it leaves room for new text.
            current = list(carried) if carried and unit[1] - carried[0][0] <= size else []
        current.append(unit)
    if current:
        chunks.append(current)
    return chunks


def _segments(doc: LoadedDocument) -> list[tuple[int, int, int | None]]:
    if doc.pages:
        return [(start, end, page) for page, start, end in doc.pages]
    return [(0, len(doc.text), None)]


def _units(text: str, seg_start: int, seg_end: int, size: int) -> list[Unit]:
    units = []
    for sent in analyze_sentences(text[seg_start:seg_end]):
        start, end = seg_start + sent.start, seg_start + sent.end
        if end - start <= size:
            units.append((start, end, sent.terms))
        else:  # rare: re-analyse the pieces of a sentence too long for one chunk
            units.extend((a, b, tuple(terms(text[a:b]))) for a, b in _cut_long(start, end, text, size))
    return units


def _whole_rows(units: list[Unit], rows: list[tuple[int, int]], size: int) -> list[Unit]:
    """Merge the sentences of each table row that fits in a chunk into one unit, so no chunk ends inside it.

    A row is one line and a line break always ends a sentence, so a row's sentences never reach outside it.
    """
    fitting = iter(sorted((a, b) for a, b in rows if b - a <= size))
    row = next(fitting, None)
    merged: list[Unit] = []
    for unit in units:
        while row and row[1] <= unit[0]:
            row = next(fitting, None)
        inside = row is not None and row[0] <= unit[0] and unit[1] <= row[1]
        if inside and merged and merged[-1][0] >= row[0]:
            merged[-1] = (merged[-1][0], unit[1], merged[-1][2] + unit[2])
        else:
            merged.append(unit)
    return merged


def chunk_document(doc: LoadedDocument, size: int = 500, overlap: int = 1) -> list[Chunk]:
    """Chunks of `doc`, never crossing a page nor cutting a table row that fits in one; a sentence is cut only
    when it alone exceeds `size`."""
    chunks = []
    for seg_start, seg_end, page in _segments(doc):
        units = _whole_rows(_units(doc.text, seg_start, seg_end, size), doc.rows, size)
        for group in _pack(units, size, overlap):
            start, end = group[0][0], group[-1][1]
            words = tuple(w for unit in group for w in unit[2])
            chunks.append(Chunk(doc.text[start:end], start, end, page, words))
    return chunks
