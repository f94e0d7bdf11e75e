"""The documents table as a model: search, sort and one page of rows, with selection kept across pages."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from ui.render import display_source, when

PAGE_SIZE = 20
HEADERS = ["✓", "제목 · Title", "출처 · Source", "청크 · Chunks", "추가 · Ingested (UTC)", "ID"]
# Pixel widths except the two text columns, which share what is left; cells wrap inside them.
COLUMN_WIDTHS = ["40px", "36%", "24%", "88px", "136px", "120px"]
SORTS = {
    "newest": "최신순 · Newest first",
    "oldest": "오래된 순 · Oldest first",
    "title": "제목순 · Title A–Z",
    "source": "출처순 · Source A–Z",
}
MARK = "✓"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _moment(document: dict) -> datetime:
    try:
        moment = datetime.fromisoformat(document.get("ingested_at", ""))
    except (TypeError, ValueError):
        return datetime.min.replace(tzinfo=timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class Catalog:
    """The registry's documents with what searching and sorting them needs, computed once per registry read.

    A refresh, a search or a page turn over 10k documents then costs a filter and a slice, not 10k parses.
    """

    def __init__(self, documents: Sequence[dict]):
        self.documents = documents
        self.ids = {d["doc_id"] for d in documents}
        self._names = [_fold(display_source(d.get("source", ""))) for d in documents]
        self._haystacks = [f"{_fold(d.get('title') or '')} {name}" for d, name in zip(documents, self._names)]
        self._orders: dict[str, list[int]] = {}

    def order(self, sort: str) -> list[int]:
        """Positions of the documents in `sort` order (a key of SORTS; anything else is newest first).

        Documents ingested in the same second (one upload) follow their file names, so the order never looks random.
        """
        sort = sort if sort in SORTS else "newest"
        if sort not in self._orders:
            by_name = sorted(range(len(self.documents)), key=self._names.__getitem__)
            if sort == "title":
                keys = [_fold(d.get("title") or "") for d in self.documents]
                order = sorted(by_name, key=keys.__getitem__)
            elif sort == "source":
                order = by_name
            else:
                moments = [_moment(d) for d in self.documents]
                order = sorted(by_name, key=moments.__getitem__, reverse=sort == "newest")  # stable within a second
            self._orders[sort] = order
        return self._orders[sort]

    def matching(self, query: str, sort: str) -> list[int]:
        """Positions of the documents whose title or shown source holds every word of `query`, in `sort` order."""
        words = _fold(query or "").split()
        order = self.order(sort)
        if not words:
            return order
        return [i for i in order if all(word in self._haystacks[i] for word in words)]


@dataclass(frozen=True)
class TablePage:
    """One page of the table: its rows and where it sits among the matching documents."""

    rows: list[list]
    ids: list[str]  # doc ids of `rows`, in order
    page: int  # 1-based, clamped to the pages there are
    pages: int
    matching: int
    total: int

    def summary(self, selected: int) -> str:
        """'21–40 of 1,234 documents · page 2 / 62 · 3 selected' (the filter's count when a search is on)."""
        if not self.matching:
            shown = "일치하는 문서 없음 · no matching documents" if self.total else "문서 없음 · no documents yet"
        else:
            first = (self.page - 1) * PAGE_SIZE + 1
            shown = f"{first:,}–{first + len(self.rows) - 1:,} / {self.matching:,}"
            if self.matching != self.total:
                shown += f" (전체 {self.total:,})"
            shown += f" · page {self.page} / {self.pages}"
        return f"{shown} · 선택 {selected:,} · {selected:,} selected"


def row(document: dict, selected: bool) -> list:
    return [MARK if selected else "", document.get("title") or "", display_source(document.get("source", "")),
            document.get("chunks", 0), when(document.get("ingested_at", "")).removesuffix(" UTC"), document["doc_id"]]


def page_of(documents: Sequence[dict] | Catalog, query: str = "", sort: str = "newest", page: float = 1,
            selected: Collection[str] = ()) -> TablePage:
    """The `page`-th page of the documents matching `query`, in `sort` order; selected ones carry a ✓."""
    catalog = documents if isinstance(documents, Catalog) else Catalog(documents)
    found = catalog.matching(query, sort)
    pages = max(1, math.ceil(len(found) / PAGE_SIZE))
    page = min(max(1, int(page or 1)), pages)
    shown = [catalog.documents[i] for i in found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]]
    chosen = set(selected)
    return TablePage([row(d, d["doc_id"] in chosen) for d in shown], [d["doc_id"] for d in shown], page, pages,
                     len(found), len(catalog.documents))


def toggle(selected: Sequence[str], doc_id: str) -> list[str]:
    """The selection with `doc_id` added, or removed if it was in it."""
    return [i for i in selected if i != doc_id] if doc_id in selected else [*selected, doc_id]


def confirmation(count: int) -> str:
    return f"선택한 문서 {count:,}개를 삭제할까요? · Delete {count:,} selected document{'s' if count != 1 else ''}?"
