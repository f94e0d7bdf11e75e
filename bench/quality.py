"""Retrieval quality: hit@k and MRR of ranked hits against gold strings (and, for generated questions, the doc)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from bench.questions import contains_gold
from bench.systems import Hit

K = 5
ROOT = Path(__file__).resolve().parent.parent
DEV_QA = ROOT.parent / "shared" / "eval" / "dev_qa.jsonl"
DEV_DOCS = (ROOT.parent / "shared" / "corpus" / "lg-ai-graduate-school.txt", ROOT / "data" / "samples")


def first_rank(hits: Sequence[Hit], gold: Sequence[str], doc: str | None = None) -> int | None:
    """1-based rank of the first hit holding a gold string (from `doc`, when given)."""
    for rank, hit in enumerate(hits, 1):
        if doc is None and any(g in hit.text for g in gold):
            return rank
        if doc is not None and hit.doc == doc and any(contains_gold(hit.text, g) for g in gold):
            return rank
    return None


def summarize(ranks: Sequence[int | None], prefix: str = "") -> dict[str, float | None]:
    if not ranks:
        return {f"{prefix}hit@{K}": None, f"{prefix}mrr": None}
    hit = sum(r is not None and r <= K for r in ranks) / len(ranks)
    mrr = sum(1 / r for r in ranks if r and r <= K) / len(ranks)
    return {f"{prefix}hit@{K}": round(hit, 4), f"{prefix}mrr": round(mrr, 4)}


def dev_questions() -> list[dict] | None:
    """The shared dev set's answerable questions; None when ../shared is not there."""
    if not DEV_QA.is_file() or not DEV_DOCS[0].is_file():
        return None
    rows = [json.loads(line) for line in DEV_QA.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r.get("answerable", bool(r.get("gold")))]


def dev_paths() -> list[Path]:
    samples = sorted(p for p in DEV_DOCS[1].iterdir() if p.suffix in (".md", ".txt"))
    return [DEV_DOCS[0], *samples]
