"""What ingesting one input came to, as the one line the CLI and the web app show for it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath


@dataclass
class IngestResult:
    source: str
    status: str  # added | updated | unchanged | duplicate | failed
    doc_id: str = ""
    title: str = ""
    chunks: int = 0
    reason: str = ""

    def line(self) -> str:
        label = self.title or self.source
        if self.status == "failed":
            return f"failed: {self.source}: {self.reason}"
        if self.status == "duplicate":
            return f"duplicate: {self.source} (same text as {self.reason})"
        return f"{self.status}: {label} ({self.chunks} chunks) [{self.source}]"


def distinct_names(first: str, second: str) -> tuple[str, str]:
    """Short names for two sources that still tell them apart: a URL whole, a path by its file name and as
    many of its folders as it takes (the server's folders stay hidden where the names alone differ)."""
    if "://" in first or "://" in second:
        return tuple(s if "://" in s else PurePath(s).name for s in (first, second))
    a, b = PurePath(first).parts, PurePath(second).parts
    for n in range(1, max(len(a), len(b)) + 1):
        if a[-n:] != b[-n:]:
            return str(PurePath(*a[-n:])), str(PurePath(*b[-n:]))
    return first, second
