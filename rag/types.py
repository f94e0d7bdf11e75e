"""Values passed between ingest, retrieval and answering."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Passage:
    """One retrieved chunk, with why it was chosen."""

    chunk_id: str
    doc_id: str
    source: str
    title: str
    text: str
    score: float = 0.0
    metadata: dict = field(default_factory=dict)  # page, language, tags, start, end, chunk_index
    lexical_rank: int | None = None  # 1-based rank in BM25, None when BM25 did not return it
    dense_rank: int | None = None  # 1-based rank in the embedding search

    @property
    def location(self) -> str:
        """Where in its document the passage is, as a citation says it: "p. 3", "slide 3", or ""."""
        page = self.metadata.get("page")
        if page is None:
            return ""
        return f"slide {page}" if self.metadata.get("page_unit") == "slide" else f"p. {page}"
