"""What the answer to a kind of question looks like, learned from answer spans instead of written as rules.

A question's cues are its question word ("누구", "어디", "몇 명"; English ones map to the Korean word)
and its last common noun ("...개발한 사람은?" -> 사람). A sentence's words are seen as Kiwi tag
patterns: the tag, the word for nouns and counters, and the tag beside the next and previous word
("NNP>교수", "NNG>에서"). For each cue, how much likelier a pattern is on an answer span than
anywhere in the candidate sentences is counted on KorQuAD's even-position articles (`python -m
eval.fit` writes answer/answer_types.json). A sentence scores by its word that looks most like an
answer and is not already in the question.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rag.korean import get_kiwi

TYPES_FILE = Path(__file__).with_name("answer_types.json")
MIN_ANSWERS = 20  # a cue needs this many answer words to get a table of its own
MIN_SEEN = 3  # and a pattern this many answer words
SCORE_CAP = 8.0  # one word's summed log-ratios are capped: the ranker reads score / SCORE_CAP
_QUESTION_WORDS = (  # earliest first; English words map to the Korean one so both share a table
    (re.compile(r"누구|누가|\bwho(?:m|se)?\b", re.I), "누구"),
    (re.compile(r"어디|\bwhere\b", re.I), "어디"),
    (re.compile(r"언제|\bwhen\b|\bwhat (?:year|date|month|day)\b", re.I), "언제"),
    (re.compile(r"몇|\bhow many\b", re.I), "몇"),
    (re.compile(r"얼마|\bhow (?:much|long|large|big|old)\b", re.I), "얼마"),
    (re.compile(r"어느|어떤|\bwhich\b", re.I), "어느"),
    (re.compile(r"무엇|뭐|무슨|\bwhat\b", re.I), "무엇"),
    (re.compile(r"왜|\bwhy\b", re.I), "왜"),
    (re.compile(r"어떻게|\bhow\b", re.I), "어떻게"),
)
_COUNTER = re.compile(r"몇\s*([가-힣]+)")
_WORD_TAGS = {"NNG", "NNB", "NR", "XSN"}  # tags whose word is part of the pattern ("명", "센터")
_NEIGHBOUR_WORD = ("J", "E", "X", "V", "NNB", "NR")  # neighbours seen by their word, the rest by their tag
_NOUNS = {"NNG"}


def _tag(token) -> str:
    return token.tag.split("-")[0]


def _key(token) -> str:
    tag = _tag(token)
    return f"{token.form}/{tag}" if tag.startswith(_NEIGHBOUR_WORD) else tag


def patterns(tokens: Sequence) -> list[tuple[str, tuple[str, ...]]]:
    """Each token's lowercased word and the patterns it is seen as."""
    out = []
    for i, token in enumerate(tokens):
        tag = _tag(token)
        seen = [tag, f"{tag}>{_key(tokens[i + 1]) if i + 1 < len(tokens) else '$'}",
                f"{_key(tokens[i - 1]) if i else '^'}<{tag}"]
        if tag in _WORD_TAGS:
            seen.append(f"{token.form}/{tag}")
        out.append((token.form.lower(), tuple(seen)))
    return out


@lru_cache(maxsize=4096)
def cues(question: str) -> tuple[tuple[str, ...], str | None, frozenset[str]]:
    """(question-word cues, most specific first; the last common noun; the question's own words)."""
    found = [(m.start(), i, word) for i, (cue, word) in enumerate(_QUESTION_WORDS) if (m := cue.search(question))]
    wh: tuple[str, ...] = ()
    if found:
        word = min(found)[2]
        counter = _COUNTER.search(question) if word == "몇" else None
        wh = ((f"몇 {get_kiwi().tokenize(counter.group(1))[0].form}",) if counter else ()) + (word,)
    tokens = get_kiwi().tokenize(question)
    nouns = [t.form for t in tokens if _tag(t) in _NOUNS]
    return wh, (nouns[-1] if nouns else None), frozenset(t.form.lower() for t in tokens)


@dataclass(frozen=True)
class AnswerTypes:
    """Log-ratios of answer patterns per cue: "wh:누구" and "head:사람" tables."""

    tables: dict[str, dict[str, float]]

    def scores(self, question: str, words: Sequence[tuple[str, tuple[str, ...]]]) -> tuple[float, float]:
        """(by the question word, by the last noun) how much the sentence's likeliest answer word
        looks like an answer, each 0..1."""
        wh, head, asked = cues(question)
        table = next((self.tables[f"wh:{c}"] for c in wh if f"wh:{c}" in self.tables), None)
        by_head = self.tables.get(f"head:{head}") if head else None
        return self._best(table, words, asked), self._best(by_head, words, asked)

    @staticmethod
    def _best(table: dict[str, float] | None, words: Sequence[tuple[str, tuple[str, ...]]],
              asked: frozenset[str]) -> float:
        if not table:
            return 0.0
        best = max((sum(table.get(p, 0.0) for p in seen) for word, seen in words if word not in asked), default=0.0)
        return min(max(best, 0.0), SCORE_CAP) / SCORE_CAP

    def to_json(self) -> dict:
        return {"tables": {c: dict(sorted(t.items(), key=lambda kv: -kv[1])) for c, t in sorted(self.tables.items())}}


def learn(examples: Iterable[tuple[str, str, Sequence[str]]]) -> AnswerTypes:
    """Tables from (question, paragraph, answer texts): patterns of the tokens an answer covers against
    those of every token of the paragraph that the question does not already hold."""
    answers: dict[str, Counter] = defaultdict(Counter)
    background: dict[str, Counter] = defaultdict(Counter)
    kiwi, analysed = get_kiwi(), {}
    for question, paragraph, gold in examples:
        answer = next((g for g in gold if g and g in paragraph), None)
        if answer is None:
            continue
        start = paragraph.find(answer)
        end = start + len(answer)
        if paragraph not in analysed:
            tokens = kiwi.tokenize(paragraph)
            analysed[paragraph] = (tokens, patterns(tokens))
        tokens, words = analysed[paragraph]
        wh, head, asked = cues(question)
        keys = [f"wh:{c}" for c in wh] + ([f"head:{head}"] if head else [])
        for token, (word, seen) in zip(tokens, words):
            if word in asked:
                continue
            inside = token.start < end and token.start + token.len > start
            for key in keys:
                background[key].update(seen)
                if inside:
                    answers[key].update(seen)
    return AnswerTypes({key: _log_ratios(counts, background[key]) for key, counts in answers.items()
                        if sum(n for p, n in counts.items() if p.isalpha()) >= MIN_ANSWERS})  # bare tags: one a word


def _log_ratios(answers: Counter, everywhere: Counter) -> dict[str, float]:
    """Add-one smoothed log-ratios of patterns seen on answers against everywhere; the positive ones."""
    total, rest, vocabulary = sum(answers.values()), sum(everywhere.values()), len(everywhere)
    table = {p: round(math.log((n + 1) / (total + vocabulary)) - math.log((everywhere[p] + 1) / (rest + vocabulary)), 2)
             for p, n in answers.items() if n >= MIN_SEEN}
    return {p: s for p, s in table.items() if s > 0}


@lru_cache(maxsize=1)
def load_types() -> AnswerTypes:
    """The shipped tables (none when the file is missing: the features then read 0)."""
    if not TYPES_FILE.exists():
        return AnswerTypes({})
    return AnswerTypes(json.loads(TYPES_FILE.read_text(encoding="utf-8"))["tables"])
