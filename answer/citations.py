"""Citation markers: keep only [n] that name a retrieved passage, renumbered by first appearance."""

from __future__ import annotations

import re
from collections.abc import Sequence

from answer.types import Citation
from rag.types import Passage

# "[1]", "[1, 2]", "[1,2]", "[1-3]", "[1–3]"; at most three digits so a bracketed year "[2022]" is left alone.
MARKER = re.compile(r"[ \t]*\[(\s*\d{1,3}\s*(?:(?:[,，、]|[-–~])\s*\d{1,3}\s*)*)\]")
OPEN_TAIL = re.compile(r"[ \t]*\[[\d\s,，、\-–~]*$")  # a marker still being streamed


def marker_numbers(body: str) -> list[int]:
    """The numbers inside one marker's brackets, ranges expanded, in order, without repeats."""
    numbers: list[int] = []
    for part in re.split(r"[,，、]", body):
        bounds = [int(x) for x in re.findall(r"\d+", part)]
        if len(bounds) == 2 and re.search(r"[-–~]", part) and 0 < bounds[1] - bounds[0] < 20:
            bounds = list(range(bounds[0], bounds[1] + 1))
        numbers.extend(n for n in bounds if n not in numbers)
    return numbers


def cited_numbers(text: str) -> list[int]:
    """Every number cited in `text`, in order of appearance (repeats kept)."""
    return [n for m in MARKER.finditer(text) for n in marker_numbers(m.group(1))]


def invalid_numbers(text: str, n_passages: int) -> list[int]:
    """Cited numbers that name no passage (0, or above the number of passages)."""
    return [n for n in cited_numbers(text) if not 1 <= n <= n_passages]


def clean_citations(text: str, passages: Sequence[Passage]) -> tuple[str, list[Citation]]:
    """Drop invented numbers, renumber the rest 1..m by first appearance, list the cited passages."""
    renumber: dict[int, int] = {}

    def replace(match: re.Match) -> str:
        kept = [n for n in marker_numbers(match.group(1)) if 1 <= n <= len(passages)]
        if not kept:
            return ""
        new = [renumber.setdefault(n, len(renumber) + 1) for n in kept]
        lead = " " if match.group(0)[0] in " \t" else ""
        return lead + "".join(f"[{n}]" for n in sorted(set(new)))

    cleaned = MARKER.sub(replace, text)
    citations = [Citation.of(new, passages[old - 1]) for old, new in renumber.items()]
    return cleaned.strip(), citations


def clean_partial(text: str, passages: Sequence[Passage]) -> str:
    """`clean_citations` for a reply still being streamed: an unfinished marker is held back."""
    return clean_citations(OPEN_TAIL.sub("", text), passages)[0]
