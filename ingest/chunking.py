"""Korean-aware chunking: whole Kiwi sentences packed to a target size, with sentence overlap."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.document import LoadedDocument
from rag.korean import split_sentences


@dataclass(frozen=True)
class Chunk:
    text: str
    start: int  # character offsets in the document's cleaned text
    end: int
    page: int | None = None


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


def _pack(spans: list[tuple[int, int]], size: int, overlap: int) -> list[tuple[int, int]]:
    """Group sentence spans into chunk spans of at most `size` characters where possible."""
    chunks, current = [], []
    for span in spans:
        if current and span[1] - current[0][0] > size:
            chunks.append((current[0][0], current[-1][1]))
            carried = current[-overlap:] if overlap else []
            # Overlap only when it leaves room for new text.
            current = carried if carried and span[1] - carried[0][0] <= size else []
        current.append(span)
    if current:
        chunks.append((current[0][0], current[-1][1]))
    return chunks


def _segments(doc: LoadedDocument) -> list[tuple[int, int, int | None]]:
    if doc.pages:
        return [(start, end, page) for page, start, end in doc.pages]
    return [(0, len(doc.text), None)]


def chunk_document(doc: LoadedDocument, size: int = 500, overlap: int = 1) -> list[Chunk]:
    """Chunks of `doc`, never crossing a page; a sentence is cut only when it alone exceeds `size`."""
    chunks = []
    for seg_start, seg_end, page in _segments(doc):
        segment = doc.text[seg_start:seg_end]
        spans = []
        for start, end in split_sentences(segment):
            spans.extend(_cut_long(seg_start + start, seg_start + end, doc.text, size))
        for start, end in _pack(spans, size, overlap):
            chunks.append(Chunk(doc.text[start:end], start, end, page))
    return chunks
