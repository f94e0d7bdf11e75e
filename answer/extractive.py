"""The offline answerer (RAG_LLM=extractive): quote the sentence that answers, or refuse.

Every sentence of the retrieved passages is a candidate; a fitted ranker (answer/scorer.py) picks
the best, and a fitted confidence says how likely it answers. Below the model's threshold the reply
is the refusal sentence; the best guess is still kept for the caller to show or measure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from answer.aliases import with_aliases
from answer.facts import Evidence
from answer.features import candidates
from answer.glossary import is_korean
from answer.question import Question, analyze, reply_language
from answer.refusal import refusal_for
from answer.scorer import Model, load_model
from answer.sentences import Sentence, split_passages
from rag.types import Passage

# A second sentence is quoted when the ranker finds it at least this likely as the best one: two
# sentences at most, so an answer cannot buy containment with length.
RUNNER_UP = 0.5
_ITEM_SEPARATORS = re.compile(r",|、|·|\band\b|\bor\b|[가-힣](?:와|과)\s|및")
INTROS = {"ko": "문서에 따르면", "en": "The documents say"}


@dataclass(frozen=True)
class Decision:
    """What the answerer would quote, and how sure it is."""

    chosen: list[Sentence] = field(default_factory=list)
    fact: Evidence | None = None  # the asked-for fact in the first chosen sentence
    confidence: float = 0.0
    refused: bool = True


def _list_items(question: Question, chosen: Sentence, sentences: Sequence[Sentence]) -> list[Sentence]:
    """The sentences after one that announces a list without its items ("AI Forward is built in
    three tiers."), as many as the items asked for; one that names them needs none."""
    if len(_ITEM_SEPARATORS.findall(chosen.text.raw)) >= question.list_size - 1:
        return []
    after = {s.index: s for s in sentences if s.passage == chosen.passage}
    items = []
    for index in range(chosen.index + 1, chosen.index + 1 + question.list_size):
        if index not in after:
            break
        items.append(after[index])
    return items


def decide(question: Question, passages: Sequence[Passage], model: Model | None = None) -> Decision:
    """The sentences that best answer `question` from `passages`, with the model's confidence."""
    model = model or load_model()
    question = with_aliases(question, [p.text for p in passages])
    sentences = split_passages(passages)
    if not sentences or not question.slots:
        return Decision()
    found = candidates(question, sentences)
    scores = model.scores(found.values)
    best, *runner_up = quoted(scores)
    confidence = model.confidence_of(model.answer_features(found.values, scores, question.fact, question.units_required))
    chosen = [sentences[best]]
    if question.asks_list:
        chosen += _list_items(question, sentences[best], sentences)
    else:
        chosen += [sentences[i] for i in runner_up]
    return Decision(chosen, found.facts[best], confidence, confidence < model.threshold)


def quoted(scores: np.ndarray) -> list[int]:
    """The best candidate, and the runner-up too when the ranker finds it at least RUNNER_UP as likely."""
    order = [int(i) for i in np.argsort(-scores, kind="stable")[:2]]
    return order if len(order) > 1 and np.exp(scores[order[1]] - scores[order[0]]) >= RUNNER_UP else order[:1]


def compose(question: Question, decision: Decision, language: str) -> str:
    """The quoted sentences, each followed by its passage number. Across languages the sentence is
    quoted as written (translating offline would need a model; a quote stays checkable), after the
    asked-for fact itself when there is one, or a short lead in the question's language."""
    if not decision.chosen:
        return ""
    crossing = any(is_korean(s.text.raw) != (language == "ko") for s in decision.chosen)
    if not crossing:
        return " ".join(f"{s.text.raw} [{s.passage}]" for s in decision.chosen)
    quotes = " ".join(f"\u201c{s.text.raw}\u201d [{s.passage}]" for s in decision.chosen)
    fact = _lead(decision) if question.fact else ""
    return f"{fact} \u2014 {quotes}" if fact else f"{INTROS.get(language, INTROS['en'])}: {quotes}"


def _lead(decision: Decision) -> str:
    """The asked-for fact to lead with, unless it is only part of a word ("두 기" of "두 기관") or
    the capitalised word that opens the sentence ("Its first edition ...")."""
    if not decision.fact or not decision.fact.span or not decision.chosen:
        return ""
    raw, span, at = decision.chosen[0].text.raw, decision.fact.span, decision.fact.position
    after = raw[at + len(span) : at + len(span) + 1]
    if at <= 0 or (is_korean(span) and is_korean(after)):
        return ""
    return span


def answer(question: str, passages: Sequence[Passage]) -> str:
    """The reply to a question not yet analysed, or the refusal sentence."""
    asked, language = analyze(question), reply_language(question)
    decision = decide(asked, passages)
    reply = compose(asked, decision, language)
    return refusal_for(language) if decision.refused or not reply else reply
