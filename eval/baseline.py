"""The naive answerer every answer figure is measured against: the best-overlapping retrieved sentence."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.korean import split_sentences, terms, terms_batch
from rag.types import Passage

NAIVE_PASSAGES = 3
# Kiwi leaves English prose as one "sentence"; without this cut the baseline could answer with a whole passage.
_ENGLISH_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def sentences(text: str) -> list[str]:
    """Kiwi's sentences of `text`, English ones cut at their full stops."""
    return [piece for start, end in split_sentences(text)
            for piece in _ENGLISH_END.split(text[start:end]) if piece.strip()]


def naive_answer(question: str, passages: Sequence[Passage]) -> str:
    """The sentence of the top passages sharing the most Kiwi terms with the question; never refuses.

    Ties go to the earlier passage and sentence; "" only when there is no sentence at all.
    """
    candidates = [s for p in passages[:NAIVE_PASSAGES] for s in sentences(p.text)]
    asked = set(terms(question))
    shared = [len(asked.intersection(words)) for words in terms_batch(candidates)]
    # max() keeps the first of equals: the earlier passage and sentence.
    return max(zip(candidates, shared), key=lambda pair: pair[1], default=("", 0))[0]
