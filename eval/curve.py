"""Containment against refusal accuracy as the answerer's confidence threshold moves."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from eval.metrics import Record, contains_any, ratio, share

STEPS = [round(i * 0.05, 2) for i in range(20)]  # 0.0 .. 0.95
FEW_CONFIDENCES = 20  # up to this many distinct confidences join the steps, so every real cut-off shows


def reply_at_any_threshold(record: Record) -> str:
    """What the answerer would say if it did not refuse: its best guess, else a reply it did give."""
    answer = record.answer
    return answer.best_guess or ("" if answer.refused else answer.answer)


def refused_at(record: Record, threshold: float) -> bool:
    """Whether the answer would be a refusal with the cut-off at `threshold`: too unsure, or nothing to say."""
    return record.answer.confidence < threshold or not reply_at_any_threshold(record)


def thresholds(records: Iterable[Record]) -> list[float]:
    confidences = {round(r.answer.confidence, 3) for r in records}
    extra = confidences if len(confidences) <= FEW_CONFIDENCES else set()
    return sorted(set(STEPS) | extra)


def curve(records: Sequence[Record], cuts: Sequence[float] | None = None) -> list[dict]:
    """One row per threshold: containment and false refusals (answerable), refusal accuracy (unanswerable)."""
    answerable = [r for r in records if r.qa.answerable]
    unanswerable = [r for r in records if not r.qa.answerable]
    naive = sum(r.naive_contains_gold for r in answerable)
    rows = []
    for t in thresholds(records) if cuts is None else cuts:
        contains = sum(not refused_at(r, t) and contains_any(reply_at_any_threshold(r), r.qa.gold) for r in answerable)
        rows.append({
            "threshold": t,
            "answer_contains_gold": share(contains, len(answerable)),
            "contains_vs_naive": ratio(contains, naive),
            "false_refusal_rate": share(sum(refused_at(r, t) for r in answerable), len(answerable)),
            "refusal_accuracy": share(sum(refused_at(r, t) for r in unanswerable), len(unanswerable)),
        })
    return rows
