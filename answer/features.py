"""What the answer-selection model sees of a candidate sentence: a few numbers, each given a weight
fitted on data (answer/model.json) instead of a hand-written rule.

Question words are weighted by how rare they are among the candidate sentences, so the words that
single out the answer count most and the ones every sentence shares count little.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from answer.answer_types import AnswerTypes, load_types
from answer.facts import Evidence, asked_rate, evidence
from answer.glossary import is_korean, is_term
from answer.question import GENERIC_ENTITIES, Question, Slot
from answer.sentences import Sentence, word_pairs
from answer.similarity import similarity
from rag.korean import terms

FEATURES = (
    "exact",  # weighted share of the question's words in the sentence
    "soft",  # the same, a word also counting by its nearest meaning (학비 for 수강료)
    "pairs",  # share of the question's adjacent word pairs that the sentence repeats in order
    "previous",  # exact share of the sentence before it in its passage: the question may echo the set-up
    "next",  # and of the one after it
    "context",  # weighted share in the sentence, its paragraph so far, the title or the document's lead
    "entities",  # share of the question's names found in the sentence's document context
    "entities_here",  # share of the question's names in the sentence itself
    "focus",  # share of the asked-about words ("정원" in "정원은 몇 명") named, softly, in context
    "fact",  # the sentence states a fact of the kind asked for (1; 0.5 inside quoted speech)
    "unit",  # that fact carries the unit asked for ("몇 명" -> "296명")
    "another",  # the fact is said of some other name, the question's names absent
    "rate_missing",  # a rate is asked ("per hour") and the sentence states none
    "listed",  # a list question's sentence names what the list is of
    "type_wh",  # a word of it looks like answers to the question word (answer_types.py: "누구" -> NNP>교수)
    "type_head",  # and like answers to the question's last noun ("...개발한 사람은?")
    "passage",  # 1 / rank of its passage
    "position",  # 1 / (1 + place in its passage)
    "length",  # characters / 100, at most 3
    # The same for every candidate, so only the confidence reads them: what no candidate has.
    "unmatched",  # weighted share of the question's words that no candidate holds, exactly or softly
    "focus_unmatched",  # share of the asked-about words that no candidate names
)


@dataclass(frozen=True)
class Candidates:
    """Every candidate sentence with its feature row."""

    sentences: list[Sentence]
    values: np.ndarray  # len(sentences) x len(FEATURES)
    facts: list[Evidence]


def _weights(question: Question, sentences: Sequence[Sentence]) -> dict[Slot, float]:
    n = len(sentences)
    return {slot: math.log((n + 1) / (sum(1 for s in sentences if s.mentions(slot)) + 0.5)) for slot in question.slots}


def _crossing(weights: dict[Slot, float], korean_sentence: bool) -> dict[Slot, float]:
    """Across languages only words the glossary translates, names and numbers can be found: the
    rest are left out of the share instead of counting as missing."""
    kept = {slot: w for slot, w in weights.items()
            if slot.entity or any(is_korean(f) == korean_sentence for f in slot.forms)}
    return kept or weights


def _share(weights: dict[Slot, float], found: Callable[[Slot], float]) -> float:
    total = sum(weights.values())
    return sum(w * found(slot) for slot, w in weights.items()) / total if total else 1.0


def _mean(slots: Sequence[Slot], found: Callable[[Slot], float]) -> float:
    return sum(found(slot) for slot in slots) / len(slots) if slots else 1.0


def _about_another(question: Question, sentence: Sentence, fact_at: int) -> bool:
    """A number or date said of some other name, in a sentence naming none of the question's names."""
    if fact_at < 0 or any(sentence.mentions(slot) for slot in question.entities):
        return False
    asked = " ".join(form for slot in question.slots for form in slot.forms)
    # Glosses in parentheses and quoted titles are not the subject of the sentence.
    outside = re.sub(r"\([^)]*\)|[‘'\"“][^’'\"”]*[’'\"”]", lambda m: " " * len(m.group()), sentence.text.raw).lower()
    return any(
        0 <= outside.find(name) < fact_at
        for name in sentence.names
        if name not in asked and len(name) >= 2 and not is_term(name) and not name.startswith(tuple(GENERIC_ENTITIES))
    )


def _fact(question: Question, sentence: Sentence, same_language: bool) -> tuple[Evidence, bool]:
    """The asked-for fact in the sentence, and whether it carries the asked unit."""
    raw, names = sentence.text.raw, sentence.names
    with_unit = evidence(question.fact, raw, question.text, names, question.units) if question.units else None
    unit = with_unit is not None and with_unit.strength > 0
    strict = question.units_required and same_language
    found = with_unit if strict or unit else evidence(question.fact, raw, question.text, names)
    return found, unit


def _row(question: Question, sentence: Sentence, weights: dict[Slot, float],
         asked_pairs: frozenset[tuple[str, str]], types: AnswerTypes) -> tuple[list[float], Evidence]:
    korean_sentence = is_korean(sentence.text.raw)
    same_language = korean_sentence == (question.language == "ko")
    if not same_language:
        weights = _crossing(weights, korean_sentence)

    def soft(slot: Slot) -> float:
        return 1.0 if sentence.mentions(slot) else similarity(slot.term, sentence.morphemes)

    def named_in_context(slot: Slot) -> float:
        return 1.0 if sentence.mentions_in_context(slot) else soft(slot)

    found, unit = _fact(question, sentence, same_language)
    rate = asked_rate(question.text) if question.fact else None
    row = [
        _share(weights, lambda slot: float(sentence.mentions(slot))),
        _share(weights, soft),
        len(asked_pairs & sentence.text.pairs) / len(asked_pairs) if asked_pairs else 0.0,
        _share(weights, lambda slot: float(sentence.mentions_in_document(slot))),
        _mean(question.entities, lambda slot: float(sentence.mentions_in_document(slot))),
        _mean(question.entities, lambda slot: float(sentence.mentions(slot))),
        _mean(question.focus, named_in_context),
        found.strength if question.fact else 0.0,
        float(unit),
        float(question.fact is not None and _about_another(question, sentence, found.position)),
        float(rate is not None and rate.search(sentence.text.raw) is None),
        float(question.asks_list and any(sentence.mentions(slot) for slot in question.listed)),
        *types.scores(question.text, sentence.words),
        1.0 / sentence.passage,
        1.0 / (1 + sentence.index),
        min(len(sentence.text.raw), 300) / 100,
    ]
    return row, found


def _unmatched(question: Question, sentences: Sequence[Sentence]) -> set[Slot]:
    """The question's words that no candidate (nor its context) holds or comes close to: the
    attribute of an unanswerable question ("정원" of a school whose article never gives one)."""
    morphemes = tuple({m for s in sentences for m in s.morphemes})
    return {slot for slot in question.slots
            if not any(s.mentions_in_document(slot) for s in sentences) and similarity(slot.term, morphemes) == 0.0}


def candidates(question: Question, sentences: Sequence[Sentence], types: AnswerTypes | None = None) -> Candidates:
    """The feature rows of `sentences` as answers to `question` (`types`: the shipped tables unless given)."""
    types = types or load_types()
    weights = _weights(question, sentences)
    asked_pairs = word_pairs(terms(question.text))
    unmatched = _unmatched(question, sentences)
    absent = [_share(weights, lambda slot: float(slot in unmatched)),
              _mean(question.focus, lambda slot: float(slot in unmatched)) if question.focus else 0.0]
    rows, facts = [], []
    for sentence in sentences:
        row, found = _row(question, sentence, weights, asked_pairs, types)
        rows.append(row)
        facts.append(found)
    # The neighbours' exact shares slot in after "pairs", once every sentence has its own.
    exact = {(s.passage, s.index): row[0] for s, row in zip(sentences, rows)}
    at = FEATURES.index("previous")
    for sentence, row in zip(sentences, rows):
        key = sentence.passage, sentence.index
        row[at:at] = [exact.get((key[0], key[1] - 1), 0.0), exact.get((key[0], key[1] + 1), 0.0)]
        row += absent
    values = np.array(rows, dtype=float).reshape(len(rows), len(FEATURES))
    return Candidates(list(sentences), values, facts)
