"""What ingesting one input came to, as the one line the CLI and the web app show for it."""

from __future__ import annotations

from dataclasses import dataclass


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
