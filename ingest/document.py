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
