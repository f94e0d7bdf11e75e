"""Candidate sentences: the retrieved passages cut into sentences that know which words they mention."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from answer.answer_types import patterns
from answer.glossary import is_korean
from answer.question import Slot
from answer.similarity import SOFT_TAGS, known
from rag.korean import get_kiwi, split_sentences, terms, terms_batch
from rag.types import Passage

MIN_CHARS = 8  # shorter lines are headings, tags or navigation ("#AI", "Search")
LEAD_SENTENCES = 2  # the opening of a document names what the whole article is about
# Kiwi keeps runs of English sentences together; split them where a sentence clearly ends.
_ENGLISH_END = re.compile(r"(?<=[a-z0-9%)][.!?])\s+(?=[A-Z0-9\"\u201c(])|(?<=[.!?][\"\u201d])\s+(?=[A-Z])")
_ABBREVIATION = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Prof|St|No|vs|Inc|Ltd|Co|Corp|Jr|Sr|U\.S|e\.g|i\.e)\.$")
_LATIN_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w&-]+")
_NOT_NAMES = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


@lru_cache(maxsize=8192)
def _keys(form: str) -> frozenset[str]:
    """`form` as the index spells words (stemmed, lowercased), when it is a single word."""
    found = terms(form)
    return frozenset(found) if len(found) == 1 else frozenset({form.lower()})


def _fold(word: str) -> str:
    """A light English suffix fold so "opened" meets "open" and "graduates" meets "graduate"."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def word_pairs(words: Sequence[str]) -> frozenset[tuple[str, str]]:
    return frozenset(zip(words, words[1:]))


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


@dataclass(frozen=True)
class Text:
    """Words of a piece of text, in the forms `mentions` compares."""

    raw: str
    terms: frozenset[str]
    pairs: frozenset[tuple[str, str]] = frozenset()  # adjacent words, in order: phrases the question may repeat

    @classmethod
    def of(cls, raw: str, words: Sequence[str]) -> Text:
        return cls(raw, frozenset(words) | {_fold(t) for t in words}, word_pairs(words))

    def join(self, others: Sequence[Text]) -> Text:
        return Text(" ".join([self.raw] + [o.raw for o in others]), self.terms.union(*(o.terms for o in others)))

    def mentions(self, slot: Slot) -> bool:
        return any(self._has(form) for form in slot.forms)

    def _has(self, form: str) -> bool:
        if _keys(form) & self.terms or _fold(form) in self.terms:
            return True
        if is_korean(form):
            # Kiwi sometimes cuts names apart ("청하고등학교" -> 청/하/고등학교); spelling still matches.
            return len(form) >= 2 and form.replace(" ", "") in _compact(self.raw)
        # Spelling for Latin words too: Kiwi splits some ("Sprint." -> S + print.); a longer word may
        # also match as a prefix ("launch" in "launched").
        tail = "" if len(form) >= 4 else r"\b"
        return re.search(rf"\b{re.escape(form)}{tail}", self.raw, re.I) is not None


@dataclass(frozen=True)
class Sentence:
    passage: int  # 1-based number of the passage, as cited
    index: int  # position among the passage's sentences
    text: Text
    context: Text  # the title and the sentences before this one in its paragraph
    lead: Text  # the opening sentences of the document: they name what the whole article is about
    names: frozenset[str]  # proper nouns in the sentence, lowercased
    morphemes: tuple[int, ...] = ()  # Kiwi ids of its content morphemes, for soft matching
    words: tuple[tuple[str, tuple[str, ...]], ...] = ()  # each word with its tag patterns (answer_types.py)

    def mentions(self, slot: Slot) -> bool:
        return self.text.mentions(slot)

    def mentions_in_context(self, slot: Slot) -> bool:
        """Named in the sentence, its paragraph so far, or the title."""
        return self.text.mentions(slot) or self.context.mentions(slot)

    def mentions_in_document(self, slot: Slot) -> bool:
        """Also in the document's lead, where an omitted subject or "the consortium" is named."""
        return self.mentions_in_context(slot) or self.lead.mentions(slot)


def _clean(sentence: str) -> str:
    return re.sub(r"^[#>*\-\s]+", "", " ".join(sentence.split()))


def _split_english(piece: str) -> list[str]:
    out: list[str] = []
    for part in _ENGLISH_END.split(piece):
        if out and _ABBREVIATION.search(out[-1]):
            out[-1] += " " + part  # "Dr. Lotte Vermeulen" is one sentence
        elif part:
            out.append(part)
    return out


def _paragraphs(text: str) -> list[list[str]]:
    """Sentences of `text`, grouped by paragraph (blank-line separated)."""
    out = []
    for block in re.split(r"\n\s*\n", text):
        sentences = []
        for start, end in split_sentences(block):
            piece = _clean(block[start:end])
            sentences.extend([piece] if is_korean(piece) else _split_english(piece))
        out.append([s for s in sentences if len(s) >= MIN_CHARS])
    return out


def _names(sentences: Sequence[str]) -> list[tuple[frozenset[str], tuple[int, ...], tuple]]:
    """Proper nouns of each sentence (Kiwi's NNP and capitalised Latin words not opening it), the
    ids of its content morphemes and its words' tag patterns."""
    out = []
    for raw, tokens in zip(sentences, get_kiwi().tokenize(list(sentences))):
        found = {t.form.lower() for t in tokens if t.tag == "NNP"}
        found |= {m.group().lower() for m in _LATIN_NAME.finditer(raw) if m.group().lower() not in _NOT_NAMES}
        morphemes = tuple(dict.fromkeys(t.id for t in tokens if t.tag in SOFT_TAGS and known(t.id, t.form)))
        out.append((frozenset(found), morphemes, tuple(patterns(tokens))))
    return out


def split_passages(passages: Sequence[Passage]) -> list[Sentence]:
    """Every sentence of every passage, with the context it is read in; headlines are left out."""
    layout = [_paragraphs(p.text) for p in passages]
    flat = [s for paras in layout for para in paras for s in para]
    analysed = terms_batch(flat + [p.title for p in passages])
    items = iter(zip((Text.of(raw, words) for raw, words in zip(flat, analysed)), _names(flat)))
    nested = [[[next(items) for _ in para] for para in paras] for paras in layout]
    titles = [Text.of(p.title, words) for p, words in zip(passages, analysed[len(flat) :])]
    headlines = [_clean(p.title) for p in passages]
    leads = {  # only known when the document's first chunk was retrieved
        p.doc_id: Text("", frozenset()).join([t for para in paras for t, _ in para if t.raw != head][:LEAD_SENTENCES])
        for p, paras, head in zip(passages, nested, headlines)
        if p.metadata.get("chunk_index") == 0
    }
    out, seen = [], set()
    for n, (passage, paras, title, headline) in enumerate(zip(passages, nested, titles, headlines), 1):
        lead = leads.get(passage.doc_id, Text("", frozenset()))
        index = 0
        for para in paras:
            for i, (text, names) in enumerate(para):
                # A sentence said again (the overlap of two chunks in different passages, an article repeating
                # itself) is one candidate, where it is best ranked: as two it would split the ranker's certainty.
                if text.raw != headline and text.raw not in seen:
                    out.append(Sentence(n, index, text, title.join([t for t, _ in para[:i]]), lead, *names))
                    seen.add(text.raw)
                index += 1
    return out
