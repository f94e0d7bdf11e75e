"""The systems under test: one small interface, chosen by name from a table."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Hit:
    doc: str  # file name of the source document
    text: str


@dataclass
class IngestStats:
    chunks: int
    docs: int
    seconds: float
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage; the rest is "other"


class System(Protocol):
    name: str
    persistent: bool  # keeps an index on disk (so it has an index size and a cold start)

    def ingest(self, paths: list[Path]) -> IngestStats: ...

    def open(self) -> None: ...

    def search(self, query: str, k: int) -> list[Hit]: ...

    def ask(self, question: str) -> str | None: ...

    def cold_start(self, question: str) -> tuple[list[str], dict[str, str]] | None: ...


SYSTEMS = {
    "ours": "bench.ours:Ours",
    "baseline": "bench.baseline:Baseline",
    "baseline-bm25": "bench.baseline_bm25:BaselineBM25",
}


def make_system(name: str, db_dir: Path, **options) -> System:
    """The system called `name`, storing its index under `db_dir`."""
    module, _, cls = SYSTEMS[name].partition(":")
    return getattr(importlib.import_module(module), cls)(db_dir, **options)
