"""Soft word matching with Kiwi's morpheme embeddings (its CoNg model ships with kiwipiepy_model,
no download): 학비 meets 수강료 (0.73), 설립 meets 창설 (0.73), where spelling alone finds nothing."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rag.korean import get_kiwi

SOFT_TAGS = {"NNG", "NNP", "VV", "VA", "XR"}  # words with a meaning of their own
SOFT_FLOOR = 0.55  # below this the embeddings relate words by topic, not by meaning (설립~대학 0.4)


@lru_cache(maxsize=65536)
def known(morpheme: int, form: str) -> bool:
    """Whether Kiwi has a vector of its own for this token: words it has never seen ("초거대")
    share placeholder ids with empty forms."""
    return get_kiwi().morpheme(morpheme).form == form


@lru_cache(maxsize=16384)
def morpheme_id(word: str) -> int | None:
    """Kiwi's id for `word` when it is one content morpheme the model has a vector for."""
    tokens = get_kiwi().tokenize(word)
    if len(tokens) != 1 or tokens[0].tag not in SOFT_TAGS or tokens[0].form != word or not known(tokens[0].id, word):
        return None
    return tokens[0].id


def similarity(word: str, morphemes: Sequence[int]) -> float:
    """How close the nearest of `morphemes` comes to `word` in meaning (0 below SOFT_FLOOR)."""
    own = morpheme_id(word)
    if own is None or not morphemes:
        return 0.0
    kiwi = get_kiwi()
    best = max(kiwi.morpheme_similarity(own, other) for other in morphemes)
    return best if best >= SOFT_FLOOR else 0.0
