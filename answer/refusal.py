"""The exact sentences that say the documents hold no answer, and how to recognise them."""

from __future__ import annotations

import re

REFUSALS = {
    "ko": "제공된 문서에서 답을 찾을 수 없습니다.",
    "en": "The documents don't say.",
}


def refusal_for(language: str) -> str:
    """The refusal sentence in `language` ('ko' or 'en'; anything else gets English)."""
    return REFUSALS.get(language, REFUSALS["en"])


def _squash(text: str) -> str:
    # Models vary the apostrophe, spacing and final period; compare letters only.
    return re.sub(r"[\W_]+", "", text.replace("’", "'").replace("'", "")).lower()


_SQUASHED = [_squash(sentence) for sentence in REFUSALS.values()]


def is_refusal(text: str) -> bool:
    """Whether a model's reply is (or opens with) one of the refusal sentences."""
    squashed = _squash(text)
    return any(squashed.startswith(r) for r in _SQUASHED)
