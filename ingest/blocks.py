"""A document's text assembled from paragraphs and tables, remembering where each page and table row lies."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from ingest.cleaning import tidy_whitespace
from ingest.document import LoadedDocument
from ingest.tables import table_lines

_PARAGRAPH_BREAK = "\n\n"


class TextBuilder:
    """Appends blocks in reading order; spans are offsets in the finished, NFC-normalised text."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._page: tuple[int, int] | None = None  # (number, start) of the page being written
        self.pages: list[tuple[int, int, int]] = []
        self.rows: list[tuple[int, int]] = []
        self.headings: list[str] = []

    def paragraph(self, text: str, heading: bool = False) -> None:
        text = tidy_whitespace(unicodedata.normalize("NFC", text))
        if text:
            self._append(text, _PARAGRAPH_BREAK)
            if heading:
                self.headings.append(" ".join(text.split()))

    def table(self, grid: Sequence[Sequence[str]], sheet: bool = False) -> None:
        """A table's rows, one line each, with their header cells; a layout box's cells as paragraphs."""
        lines, are_rows = table_lines([[unicodedata.normalize("NFC", str(c or "")) for c in row] for row in grid], sheet)
        for i, line in enumerate(lines):
            if not are_rows:
                self.paragraph(line)
                continue
            start = self._append(line, "\n" if i else _PARAGRAPH_BREAK)
            self.rows.append((start, start + len(line)))

    def start_page(self, number: int) -> None:
        self.end_page()
        self._page = (number, -1)

    def end_page(self) -> None:
        if self._page and self._page[1] >= 0:
            self.pages.append((self._page[0], self._page[1], self._length))
        self._page = None

    def document(self, source: str, title: str, page_unit: str = "page") -> LoadedDocument:
        self.end_page()
        return LoadedDocument(source, title, "".join(self._parts), pages=self.pages, page_unit=page_unit,
                              rows=self.rows)

    def _append(self, text: str, joiner: str) -> int:
        if self._parts:
            self._parts.append(joiner)
            self._length += len(joiner)
        start = self._length
        if self._page and self._page[1] < 0:
            self._page = (self._page[0], start)
        self._parts.append(text)
        self._length += len(text)
        return start
