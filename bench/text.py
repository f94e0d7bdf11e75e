"""Filling templates: `{slot}` from a dict, `{slot|은}` adds the Korean particle that fits the slot's value."""

from __future__ import annotations

import re

_SLOT = re.compile(r"\{(\w+)(?:\|(\w+))?\}")
# particle after a final consonant, after a vowel
_PARTICLES = {"은": ("은", "는"), "는": ("은", "는"), "이": ("이", "가"), "가": ("이", "가"), "을": ("을", "를"),
              "를": ("을", "를"), "과": ("과", "와"), "와": ("과", "와"), "으로": ("으로", "로"), "로": ("으로", "로"),
              "이다": ("이다", "다"), "의": ("의", "의")}
_LATIN_FINAL_CONSONANT = set("lmnLMN")  # "AI Lab", "Team" read with a final consonant; "AI", "Tech" without


class TemplateError(KeyError):
    """A template names a slot that was not given."""


def has_final_consonant(word: str) -> bool:
    """Whether the last syllable of `word` ends in a consonant (decides 은/는, 이/가, ...)."""
    last = word.rstrip(" '\")")[-1:]
    if "가" <= last <= "힣":
        return (ord(last) - ord("가")) % 28 != 0
    if last.isdigit():
        return last in "013678"  # 영, 일, 삼, 육, 칠, 팔
    return last in _LATIN_FINAL_CONSONANT


def particle(word: str, name: str) -> str:
    after_consonant, after_vowel = _PARTICLES[name]
    last = word.rstrip(" '\")")[-1:]
    if name in ("으로", "로") and "가" <= last <= "힣" and (ord(last) - ord("가")) % 28 == 8:
        return "로"  # after ㄹ: 서울로, not 서울으로
    return after_consonant if has_final_consonant(word) else after_vowel


def fill(template: str, values: dict) -> str:
    """`template` with every slot replaced; a missing slot raises TemplateError naming it."""

    def replace(match: re.Match) -> str:
        slot, name = match.groups()
        if slot not in values:
            raise TemplateError(f"template slot {slot!r} has no value in: {template[:60]!r}")
        value = str(values[slot])
        return value + particle(value, name) if name else value

    return _SLOT.sub(replace, template)
