"""Scores of one evaluated question and their summary over a question file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from answer.citations import cited_numbers
from answer.types import Answer
from eval.dataset import QA
from rag.types import Passage


def _contains(text: str, gold: Sequence[str]) -> bool:
    lowered = text.lower()
    return any(g.lower() in lowered for g in gold)


def first_hit(passages: Sequence[Passage], gold: Sequence[str]) -> int | None:
    """1-based rank of the first passage that contains a gold string."""
    return next((rank for rank, p in enumerate(passages, 1) if _contains(p.text, gold)), None)


def citations_valid(answer: Answer) -> bool:
    """Every [n] in the answer names one of its citations."""
    return all(1 <= n <= len(answer.citations) for n in cited_numbers(answer.answer))


@dataclass(frozen=True)
class Record:
    qa: QA
    answer: Answer
    hit_rank: int | None

    @property
    def contains_gold(self) -> bool:
        return not self.answer.refused and _contains(self.answer.answer, self.qa.gold)

    def to_json(self) -> dict:
        return {"id": self.qa.id, "q": self.qa.q, "answerable": self.qa.answerable, "hit_rank": self.hit_rank,
                "contains_gold": self.contains_gold, "citations_valid": citations_valid(self.answer),
                **self.answer.to_json()}


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def _share(count: int, total: int) -> float | None:
    return round(count / total, 3) if total else None


def summarize(records: Sequence[Record], k: int) -> dict:
    """The evaluation's numbers; rates are None where a question kind is absent."""
    answerable = [r for r in records if r.qa.answerable]
    unanswerable = [r for r in records if not r.qa.answerable]
    latencies = [r.answer.timings_ms.get("total", 0.0) for r in records]
    return {
        "questions": len(records),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        f"hit@{k}": _share(sum(r.hit_rank is not None for r in answerable), len(answerable)),
        "mrr": round(sum(1 / r.hit_rank for r in answerable if r.hit_rank) / len(answerable), 3) if answerable else None,
        "answer_contains_gold": _share(sum(r.contains_gold for r in answerable), len(answerable)),
        "refusal_accuracy": _share(sum(r.answer.refused for r in unanswerable), len(unanswerable)),
        "false_refusal_rate": _share(sum(r.answer.refused for r in answerable), len(answerable)),
        "citation_validity": _share(sum(citations_valid(r.answer) for r in records), len(records)),
        "latency_ms_p50": percentile(latencies, 50),
        "latency_ms_p95": percentile(latencies, 95),
    }
