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


def matches(document: dict, query: str) -> bool:
    """Whether every word of `query` occurs in the document's title or its shown source (case-insensitive)."""
    haystack = _fold(f"{document.get('title') or ''} {display_source(document.get('source', ''))}")
    return all(word in haystack for word in _fold(query).split())


def _moment(document: dict) -> datetime:
    try:
        moment = datetime.fromisoformat(document.get("ingested_at", ""))
    except (TypeError, ValueError):
        return datetime.min.replace(tzinfo=timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _name(document: dict) -> str:
    return _fold(display_source(document.get("source", "")))


SORT_KEYS = {
    "title": lambda d: (_fold(d.get("title") or ""), _name(d)),
    "source": _name,
}


def sort_documents(documents: Sequence[dict], sort: str) -> list[dict]:
    """Documents in `sort` order (a key of SORTS; anything else means newest first). Documents ingested in the same
    second (one upload) follow their file names, so the order never looks random."""
    if sort in SORT_KEYS:
        return sorted(documents, key=SORT_KEYS[sort])
    by_name = sorted(documents, key=_name)
    return sorted(by_name, key=_moment, reverse=sort != "oldest")  # stable: the names stay in order within a time


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


def page_of(documents: Sequence[dict], query: str = "", sort: str = "newest", page: int = 1,
            selected: Collection[str] = ()) -> TablePage:
    """The `page`-th page of the documents matching `query`, in `sort` order; selected ones carry a ✓."""
    found = sort_documents([d for d in documents if matches(d, query)], sort)
    pages = max(1, math.ceil(len(found) / PAGE_SIZE))
    page = min(max(1, int(page or 1)), pages)
    shown = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    chosen = set(selected)
    return TablePage([row(d, d["doc_id"] in chosen) for d in shown], [d["doc_id"] for d in shown], page, pages,
                     len(found), len(documents))


def toggle(selected: Sequence[str], doc_id: str) -> list[str]:
    """The selection with `doc_id` added, or removed if it was in it."""
    return [i for i in selected if i != doc_id] if doc_id in selected else [*selected, doc_id]


def confirmation(count: int) -> str:
    return f"선택한 문서 {count:,}개를 삭제할까요? · Delete {count:,} selected document{'s' if count != 1 else ''}?"
