"""The offline answerer (RAG_LLM=extractive): quote the sentences that answer, or refuse.

Sentences of the retrieved passages are scored by how much of the question they cover, each
question word weighted by how rare it is among those sentences, with a bonus for carrying the kind
of fact asked for. A sentence may answer only when it names every entity of the question (itself,
its paragraph, the title or the document's lead), names the asked-about attribute, states a fact of
the asked kind (in the asked unit), is not about some other name, and covers enough of the
question; when no sentence qualifies the answer is the refusal sentence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from answer import glossary
from answer.aliases import with_aliases
from answer.facts import DATE, NUMBER, asked_rate, evidence, has_unit, measure_units
from answer.glossary import is_korean
from answer.question import GENERIC_ENTITIES, Question, Slot, analyze
from answer.refusal import refusal_for
from answer.sentences import Sentence, split_passages
from rag.types import Passage

MIN_COVERAGE = 0.5  # weighted share of the question found in the sentence or its context
MIN_OWN_COVERAGE = 0.3  # weighted share of the words other than names found in the sentence itself
KEY_WEIGHT = 1.5  # entities and the asked-about attribute count more than other words
FACT_BONUS, UNIT_BONUS, RANK_BONUS = 0.3, 0.2, 0.05


@dataclass(frozen=True)
class Scored:
    sentence: Sentence
    score: float
    own: float  # covered share, sentence only
    own_topic: float  # covered share of the words other than names, sentence only
    coverage: float  # covered share, sentence and context
    fact: float  # strength of the asked-for fact in the sentence (see facts.Evidence)
    fact_at: int  # where it is
    unit: bool  # the fact carries the unit the question asked for


def _weights(question: Question, sentences: Sequence[Sentence]) -> dict[Slot, float]:
    n = len(sentences)
    weights = {}
    for slot in question.slots:
        df = sum(1 for s in sentences if s.mentions(slot))
        weights[slot] = math.log((n + 1) / (df + 0.5)) * (KEY_WEIGHT if slot.entity or slot.focus else 1.0)
    return weights


def _crossing(weights: dict[Slot, float], korean_sentence: bool) -> dict[Slot, float]:
    """Across languages only words the glossary translates, names and numbers can be found: the
    rest ("entered", "cohort") are left out of the share instead of counting as missing."""
    return {slot: w for slot, w in weights.items()
            if slot.entity or any(is_korean(f) == korean_sentence for f in slot.forms)}


def _share(weights: dict[Slot, float], found: Callable[[Slot], bool]) -> float:
    """Weighted share of the slots for which `found` holds (1 when there are none)."""
    total = sum(weights.values())
    return sum(w for slot, w in weights.items() if found(slot)) / total if total else 1.0


def _score(question: Question, sentence: Sentence, weights: dict[Slot, float]) -> Scored:
    korean_sentence = is_korean(sentence.text.raw)
    same_language = korean_sentence == (question.language == "ko")
    if not same_language:
        weights = _crossing(weights, korean_sentence) or weights
    own = _share(weights, sentence.mentions)
    own_topic = _share({slot: w for slot, w in weights.items() if not slot.entity}, sentence.mentions)
    coverage = _share(weights, sentence.mentions_in_document)
    raw, names = sentence.text.raw, sentence.names
    with_unit = evidence(question.fact, raw, question.text, names, question.units) if question.units else None
    unit = with_unit is not None and with_unit.strength > 0
    # A known unit must be there ("몇 명" wants "296명"); across languages ("몇 명" over "36 apprentices")
    # or for a plain noun after "how many", any number will do, the unit only adds to the score.
    strict = question.units_required and same_language
    found = with_unit if strict or unit else evidence(question.fact, raw, question.text, names)
    score = own + 0.5 * coverage + FACT_BONUS * found.strength + UNIT_BONUS * unit + RANK_BONUS / sentence.passage
    return Scored(sentence, score, own, own_topic, coverage, found.strength, found.position, unit)


# A founding is a first by its nature: "X launched X in 2019" answers "what year did X first launch".
# The glossary's founding words, less a bare "opened" (events that recur open too), plus two idioms.
_FIRSTS = {"처음", "첫", "최초", "first", "initial"}
_FOUNDED = Slot("founded", glossary.synonyms("founded") - {"open", "opened"} | {"opened its doors", "첫발"})


def _names_attribute(question: Question, scored: Scored) -> bool:
    """The asked-about attribute is named: every word of it in the sentence or the paragraph leading
    to it, or part of it plus the unit asked for ("교육 기간은 몇 주" is answered by "교육은 16주 동안"),
    or, for a word that names a measure ("취업률"), a number in that measure's unit."""
    s = scored.sentence
    raw = s.text.raw

    def named(slot: Slot) -> bool:
        if slot.term in _FIRSTS and question.fact == DATE and s.mentions(_FOUNDED):
            return True
        units = measure_units(slot.term)
        return s.mentions_in_context(slot) or (bool(units) and has_unit(units, raw))

    return all(named(slot) for slot in question.focus) or (
        scored.unit and any(s.mentions(slot) for slot in question.focus)
    )


def _about_another(question: Question, scored: Scored) -> bool:
    """A number or date said of some other name, in a sentence naming none of the question's names,
    is that other one's: "... Brightwater Logistics, a warehouse operator with 3,400 employees"."""
    s = scored.sentence
    if question.fact not in (DATE, NUMBER) or any(s.mentions(slot) for slot in question.entities):
        return False
    asked = " ".join(form for slot in question.slots for form in slot.forms)
    # Glosses in parentheses and quoted titles are not the subject of the sentence.
    outside = re.sub(r"\([^)]*\)|[‘'\"“][^’'\"”]*[’'\"”]", lambda m: " " * len(m.group()), s.text.raw).lower()
    return any(
        0 <= outside.find(name) < scored.fact_at
        for name in s.names
        if name not in asked and len(name) >= 2 and not glossary.is_term(name)
        and not name.startswith(tuple(GENERIC_ENTITIES))
    )


def _names_list(question: Question, scored: Scored) -> bool:
    """A list question's sentence names what the list is of ("한계도 지적됩니다" for "문제점 두 가지")."""
    return any(scored.sentence.mentions(slot) for slot in question.listed)


_ITEM_SEPARATORS = re.compile(r",|、|·|\band\b|\bor\b|[가-힣](?:와|과)\s|및")


def _list_items(question: Question, chosen: Sentence, ranked: Sequence[Scored]) -> list[Sentence]:
    """The sentences after one that announces a list without its items ("AI Forward is built in
    three tiers."), as many as the items asked for; one that names them needs none."""
    if len(_ITEM_SEPARATORS.findall(chosen.text.raw)) >= question.list_size - 1:
        return []
    after = {x.sentence.index: x.sentence for x in ranked if x.sentence.passage == chosen.passage}
    items = []
    for index in range(chosen.index + 1, chosen.index + 1 + question.list_size):
        if index not in after:
            break
        items.append(after[index])
    return items


def supports(question: Question, scored: Scored) -> bool:
    """Whether the sentence may answer: names, attribute, fact kind and coverage all present."""
    s = scored.sentence
    return (
        all(s.mentions_in_document(slot) for slot in question.entities)
        and _names_attribute(question, scored)
        and scored.fact > 0
        and scored.coverage >= MIN_COVERAGE
        and (scored.own_topic >= MIN_OWN_COVERAGE or scored.unit or _names_list(question, scored))
        and not _about_another(question, scored)
        and _states_rate(question, scored)
    )


def _states_rate(question: Question, scored: Scored) -> bool:
    """A question about a rate ("per hour", "1인당") is answered only by a sentence stating one."""
    rate = asked_rate(question.text) if question.fact == NUMBER else None
    return rate is None or rate.search(scored.sentence.text.raw) is not None


def rank_sentences(question: Question, passages: Sequence[Passage]) -> list[Scored]:
    """Every sentence of the passages, best answer first."""
    sentences = split_passages(passages)
    if not sentences or not question.slots:
        return []
    weights = _weights(question, sentences)
    return sorted((_score(question, s, weights) for s in sentences), key=lambda x: -x.score)


def choose(question: Question, passages: Sequence[Passage]) -> list[Sentence]:
    """The one or two sentences that answer, or [] when the passages do not."""
    ranked = rank_sentences(question, passages)
    supported = [s for s in ranked if supports(question, s)]
    if not supported:
        return []
    # A fact stated plainly beats one only found inside a quotation, and one in the asked unit beats
    # any other number, whatever the word overlap.
    # For a list, the sentence naming what the list is of beats a headline that merely shares words.
    best = max(supported, key=lambda s: (s.fact, question.asks_list and _names_list(question, s), s.unit, s.score))
    chosen = [best.sentence]
    if question.asks_list:  # "두 가지 어려움은?": the items usually follow the sentence that announces them
        chosen += _list_items(question, best.sentence, ranked)
    return chosen


def compose(question: Question, chosen: Sequence[Sentence]) -> str:
    """The reply: the chosen sentences, each followed by its passage number."""
    if not chosen:
        return refusal_for(question.language)
    parts = [f"{s.text.raw} [{s.passage}]" for s in chosen]
    if question.language == "en" and any(is_korean(s.text.raw) for s in chosen):
        # An English question over Korean passages gets the Korean sentence quoted: translating
        # offline would need a model, and a quote keeps the answer checkable against its source.
        return "The documents say: " + " ".join(f"\u201c{s.text.raw}\u201d [{s.passage}]" for s in chosen)
    return " ".join(parts)


def reply(question: Question, passages: Sequence[Passage]) -> str:
    """An extractive reply from `passages`, with [n] citations, or the refusal sentence."""
    question = with_aliases(question, [p.text for p in passages])
    return compose(question, choose(question, passages))


def answer(question: str, passages: Sequence[Passage]) -> str:
    """`reply` for a question not yet analysed."""
    return reply(analyze(question), passages)
