"""What a loader hands to the rest of ingest."""

from __future__ import annotations

from dataclasses import dataclass, field

from rag.errors import RagError


class LoadError(RagError):
    """An input could not be turned into text; the message is a one-line reason for the user."""


@dataclass
class LoadedDocument:
    source: str  # absolute file path or URL: the document's identity
    title: str
    text: str  # cleaned, NFC-normalised article text
    tags: list[str] = field(default_factory=list)
    # For paginated formats: (page_number, start, end) character spans of `text`, 1-based pages.
    pages: list[tuple[int, int, int]] = field(default_factory=list)
    page_unit: str = "page"  # what `pages` count: "page" (PDF) or "slide" (PPTX)
    # (start, end) spans of table rows in `text`: the chunker never cuts inside one that fits in a chunk.
    rows: list[tuple[int, int]] = field(default_factory=list)


MB = 1024 * 1024


def human_size(n: int) -> str:
    """A byte count for people: '73.2 MB', '50 MB', '12 B'."""
    for unit, scale in (("GB", 1024**3), ("MB", MB), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} B"


def one_line(exc: BaseException) -> str:
    """An exception's message on one short line (KeyError's repr quotes dropped)."""
    message = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    return " ".join(message.split())[:200] or type(exc).__name__
