"""Names in both scripts. The passages may spell a name both ways: "청람 AI 아카데미(Cheongram AI Academy)"
makes "Cheongram" name 청람. And a romanized name in an English question is also searched as the Hangul
spelling the store's chunks use ("Pado" as 파도), so it finds a Korean article that never writes it in Latin;
a Hangul loanword in a Korean question as the Latin word of the same consonants (코르반 as Corvane)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from difflib import SequenceMatcher
from typing import Protocol

from answer.glossary import is_korean
from answer.question import Question
from rag.romanization import SKELETON_MIN, hangul_readings, hangul_skeleton, latin_skeletons, romanized

NEAREST_BY = 0.1  # how much closer in spelling one of several same-consonant words must come to be the one
CHOOSE_MIN = 4  # consonants a skeleton needs to choose among several words: 드론 (t-r-n) is turn and train too
# A Korean name followed by its Latin spelling in parentheses.
_GLOSSED = re.compile(r"([^()\n]{1,80})\(([A-Za-z][A-Za-z0-9&.' -]{1,60})\)")
_SPLIT = re.compile(r"[\s\-]+")
_EDGE = "'\"‘’“”<>《》「」『』,·"


def find_aliases(texts: Iterable[str]) -> dict[str, frozenset[str]]:
    """Each word of a glossed name mapped to its counterpart in the other script, word by word
    when both spellings have as many words ("미르-가온 AI 펠로십(Mir-Gaon AI Fellowship)")."""
    found: dict[str, set[str]] = {}
    for text in texts:
        for before, latin in _GLOSSED.findall(text):
            latin_words = [w.strip(_EDGE).lower() for w in _SPLIT.split(latin.strip()) if w.strip(_EDGE)]
            korean_words = [w.strip(_EDGE) for w in _SPLIT.split(before.strip()) if w.strip(_EDGE)]
            korean_words = korean_words[-len(latin_words):]
            if len(korean_words) != len(latin_words) or not is_korean(korean_words[-1]):
                continue
            for korean, word in zip(korean_words, latin_words):
                if korean.lower() != word and is_korean(korean) and len(korean) >= 2:
                    found.setdefault(word, set()).add(korean)
                    found.setdefault(korean, set()).add(word)
    return {word: frozenset(others) for word, others in found.items()}


def with_aliases(question: Question, texts: Sequence[str]) -> Question:
    """`question` with each word's spelling in the other script, as the passages give it."""
    aliases = find_aliases(texts)
    if not aliases:
        return question
    return _with_forms(question, aliases)


class Vocabulary(Protocol):
    """What the store's BM25 index says of words (a Retriever)."""

    def document_frequencies(self, terms: list[str]) -> tuple[list[int], int]: ...

    def spelled_like(self, skeleton: str) -> list[str]: ...


def with_names_in_both_scripts(question: Question, vocabulary: Vocabulary) -> Question:
    """An English question's romanized names also in the Hangul the store uses ("Pado" as 파도); a Korean
    question's loanwords also in the Latin spelling the store uses instead ("코르반" as Corvane)."""
    if question.language == "ko":
        return _with_latin_names(question, vocabulary)
    return _with_hangul_names(question, vocabulary.document_frequencies)


def _with_latin_names(question: Question, vocabulary: Vocabulary) -> Question:
    """Each Hangul word no chunk holds, when exactly one Latin word of the store has its consonants: a Korean
    question about an English article names it in Hangul ("코르반 텔레콤") where the article never does."""
    hangul = [slot.term for slot in question.slots if is_korean(slot.term)]
    if not hangul:
        return question
    unseen = [term for term, count in zip(hangul, vocabulary.document_frequencies(hangul)[0]) if not count]
    found = {}
    for term in unseen:
        if latin := _spelled_like(hangul_skeleton(term), vocabulary, term):
            found[term] = latin
    # A name of two short words ("할로 밸리", Harlow Valley) is also read whole: each alone has too few consonants.
    # The store indexes a Latin pair joined ("harlowvalley"); one whose two words each have their Hangul word's
    # consonants is the name ("label" has the pair's consonants too, but is not two such words).
    for first, second in zip(unseen, unseen[1:]):
        if first not in found and second not in found and f"{first} {second}" in question.text:
            pairs = [m for m in vocabulary.spelled_like(hangul_skeleton(first + second)) if _splits(m, first, second, vocabulary)]
            if len(pairs) == 1:
                found[first] = found[second] = pairs[0]
    if not found:
        return question
    named = _with_forms(question, {term: {latin} for term, latin in found.items()})
    return replace(named, latin_names=tuple(dict.fromkeys(found.values())))


def _spelled_like(skeleton: str, vocabulary: Vocabulary, hangul: str = "") -> str | None:
    """The store's one Latin word with these consonants, or None. One word and its compounds ("tidemark",
    "tidemarkai") count as one. Of several words, the one whose spelling comes clearly nearest the Hangul
    word read in the Revised Romanization (그레이헤이븐 "geureiheibeun": greyhaven, not corvan), when the
    skeleton is long enough to be that specific."""
    matches = sorted(vocabulary.spelled_like(skeleton) if len(skeleton) >= SKELETON_MIN else [], key=len)
    words = [m for m in matches if not any(m != other and m.startswith(other) for other in matches)]
    if len(words) <= 1 or not hangul or len(skeleton) < CHOOSE_MIN:
        return words[0] if len(words) == 1 else None
    reading = romanized(hangul)
    (best, word), (second, _) = sorted(((SequenceMatcher(None, reading, w).ratio(), w) for w in words), reverse=True)[:2]
    return word if best - second >= NEAREST_BY else None


def _splits(latin: str, first: str, second: str, vocabulary: Vocabulary) -> bool:
    """Whether a joined Latin pair is two of the store's words with the consonants of `first` and `second`."""
    first_consonants, second_consonants = hangul_skeleton(first), hangul_skeleton(second)
    cuts = [i for i in range(2, len(latin) - 1)
            if first_consonants in latin_skeletons(latin[:i]) and second_consonants in latin_skeletons(latin[i:])]
    counts = vocabulary.document_frequencies([latin[:i] for i in cuts] + [latin[i:] for i in cuts])[0] if cuts else []
    return any(counts[n] and counts[n + len(cuts)] for n in range(len(cuts)))


def _with_hangul_names(question: Question, document_frequencies: Callable[[list[str]], tuple[list[int], int]]) -> Question:
    """An English question whose romanized names also carry the Hangul reading the store uses most."""
    readings = {slot.term: hangul_readings(slot.term) for slot in question.slots if slot.entity}
    wanted = sorted({r for found in readings.values() for r in found})
    if not wanted:
        return question
    counts = dict(zip(wanted, document_frequencies(wanted)[0]))
    best = {term: max(found, key=counts.get) for term, found in readings.items() if any(counts[r] for r in found)}
    if not best:
        return question
    return _with_forms(question, {term: {reading} for term, reading in best.items()})


def _with_forms(question: Question, extra: Mapping[str, Iterable[str]]) -> Question:
    """`question` with more forms for the words `extra` names."""
    slots = [replace(slot, forms=slot.forms | set(extra.get(slot.term, ()))) for slot in question.slots]
    return replace(question, slots=slots, listed=[s for s in slots if s.term in {x.term for x in question.listed}])
