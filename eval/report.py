"""Printing an evaluation: its summary table, each question with --show, the threshold curve."""

from __future__ import annotations

from collections.abc import Sequence

from eval.metrics import Record

CURVE_COLUMNS = ("threshold", "answer_contains_gold", "contains_vs_naive", "false_refusal_rate", "refusal_accuracy")


def _cell(value) -> str:
    return "-" if value is None else str(value)


def print_summary(summary: dict) -> None:
    for key, value in summary.items():
        print(f"{key:>22}: {_cell(value)}")


def print_records(records: Sequence[Record]) -> None:
    for r in records:
        mark = "ok " if (r.contains_gold if r.qa.answerable else r.answer.refused) else "BAD"
        print(f"{mark} {r.qa.id} [{r.hit_rank}] {r.qa.q}\n      -> {r.answer.answer}")
        if r.qa.answerable:
            print(f"      naive ({'ok' if r.naive_contains_gold else 'no'}) -> {r.naive_answer}")


def print_curve(rows: Sequence[dict]) -> None:
    widths = [max(len(c), 9) for c in CURVE_COLUMNS]
    print("  ".join(c.rjust(w) for c, w in zip(CURVE_COLUMNS, widths)))
    for row in rows:
        print("  ".join(_cell(row[c]).rjust(w) for c, w in zip(CURVE_COLUMNS, widths)))
