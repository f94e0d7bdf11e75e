"""Scores of one evaluated question and their summary over a question file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from answer.citations import cited_numbers
from answer.types import Answer
from eval.dataset import QA
from rag.types import Passage


def contains_any(text: str, gold: Sequence[str]) -> bool:
    """Whether `text` holds one of the gold strings, ignoring case."""
    lowered = text.lower()
    return any(g.lower() in lowered for g in gold)


def first_hit(passages: Sequence[Passage], gold: Sequence[str]) -> int | None:
    """1-based rank of the first passage that contains a gold string."""
    return next((rank for rank, p in enumerate(passages, 1) if contains_any(p.text, gold)), None)


def citations_valid(answer: Answer) -> bool:
    """Every [n] in the answer names one of its citations."""
    return all(1 <= n <= len(answer.citations) for n in cited_numbers(answer.answer))


@dataclass(frozen=True)
class Record:
    qa: QA
    answer: Answer
    hit_rank: int | None
    naive_answer: str = ""  # the baseline's reply from the same retrieved passages (eval/baseline.py)

    @property
    def contains_gold(self) -> bool:
        return not self.answer.refused and contains_any(self.answer.answer, self.qa.gold)

    @property
    def naive_contains_gold(self) -> bool:
        return contains_any(self.naive_answer, self.qa.gold)

    def to_json(self) -> dict:
        return {"id": self.qa.id, "q": self.qa.q, "answerable": self.qa.answerable, "hit_rank": self.hit_rank,
                "contains_gold": self.contains_gold, "citations_valid": citations_valid(self.answer),
                **self.answer.to_json(), "best_guess": self.answer.best_guess,
                "naive_answer": self.naive_answer, "naive_contains_gold": self.naive_contains_gold}


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def share(count: int, total: int) -> float | None:
    """count / total rounded, None for no total."""
    return round(count / total, 3) if total else None


def ratio(value: float | None, baseline: float | None) -> float | None:
    """value / baseline (rounded), None when either is missing or the baseline is 0."""
    return round(value / baseline, 3) if value is not None and baseline else None


def summarize(records: Sequence[Record], k: int) -> dict:
    """The evaluation's numbers; rates are None where a question kind is absent."""
    answerable = [r for r in records if r.qa.answerable]
    unanswerable = [r for r in records if not r.qa.answerable]
    latencies = [r.answer.timings_ms.get("total", 0.0) for r in records]
    contains = sum(r.contains_gold for r in answerable)
    naive = sum(r.naive_contains_gold for r in answerable)
    return {
        "questions": len(records),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        f"hit@{k}": share(sum(r.hit_rank is not None for r in answerable), len(answerable)),
        "mrr": round(sum(1 / r.hit_rank for r in answerable if r.hit_rank) / len(answerable), 3) if answerable else None,
        "answer_contains_gold": share(contains, len(answerable)),
        "naive_contains_gold": share(naive, len(answerable)),
        "contains_vs_naive": ratio(contains, naive),  # same questions, so the ratio of counts
        "refusal_accuracy": share(sum(r.answer.refused for r in unanswerable), len(unanswerable)),
        "false_refusal_rate": share(sum(r.answer.refused for r in answerable), len(answerable)),
        "citation_validity": share(sum(citations_valid(r.answer) for r in records), len(records)),
        "latency_ms_p50": percentile(latencies, 50),
        "latency_ms_p95": percentile(latencies, 95),
    }
