"""Korean-aware text analysis with Kiwi: sentences, BM25 terms and language detection."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

# Bump when `terms` changes what it returns: stores whose chunks hold older terms are told to re-index.
TERMS_VERSION = 2
# Kiwi tags kept as search terms: nouns, verb/adjective stems, roots, foreign words, hanja, numbers.
CONTENT_TAGS = {"NNG", "NNP", "NR", "VV", "VA", "XR", "SL", "SH", "SN", "W_HASHTAG"}
# Tags that may open a word's stem (see _word_stems): nouns, numerals, pronouns, determiners ("이빛"), roots.
STEM_TAGS = {"NNG", "NNP", "NNB", "NR", "NP", "MM", "SL", "SH", "SN", "XR", "XPN"}
# Tags that may join a neighbour written without a space ("Open AI" / "OpenAI", "AI 대학원" / "AI대학원").
COMPOUND_TAGS = {"NNG", "NNP", "SL", "SH", "XR"}
ENGLISH_STOPWORDS = frozenset(
    """a an the of to in on at by for from with about as and or but is are was were be been being do does did
    has have had it its this that these those what which who whom whose when where why how many much
    i you he she we they me him her us them my your our their not no yes can could would should will shall
    may might must into than then there here also any some such""".split()
)
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")

_lock = threading.Lock()
_kiwi = None


def get_kiwi():
    """The shared Kiwi analyser (loads its model once, about a second)."""
    global _kiwi
    with _lock:
        if _kiwi is None:
            from kiwipiepy import Kiwi

            # The multi-word dictionary doubles the load time and only merges a few nouns ("자연어 처리")
            # that our compound terms join anyway ("자연어처리").
            kiwi = Kiwi(load_multi_dict=False)
            kiwi.tokenize("준비")  # the first analysis loads the rest of the model (about a second more)
            _kiwi = kiwi
        return _kiwi


def warm_up() -> threading.Thread:
    """Load Kiwi in the background, overlapping with the other start-up work."""
    thread = threading.Thread(target=get_kiwi, name="kiwi-warm-up", daemon=True)
    thread.start()
    return thread


@dataclass(frozen=True)
class Sentence:
    start: int  # character offsets in the analysed text
    end: int
    terms: tuple[str, ...]  # its BM25 terms, from the same Kiwi pass


def analyze_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` with their terms, in one Kiwi pass; line breaks always end a sentence."""
    lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    if not lines:
        return []
    # A list input lets Kiwi analyse lines on its worker threads. tokenize(split_sents=True) gives the spans
    # and tokens split_into_sents gives (same on the bench corpus and ../shared/corpus) for a fifth less CPU.
    analysed = get_kiwi().tokenize([line for _, line in lines], split_sents=True)
    return [
        Sentence(base + tokens[0].start, base + tokens[-1].end, tuple(_terms_from_tokens(tokens)))
        for (base, _), sents in zip(lines, analysed)
        for tokens in sents
        if tokens
    ]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text`; line breaks always end a sentence."""
    return [(s.start, s.end) for s in analyze_sentences(text)]


def _latin_terms(form: str) -> list[str]:
    word = form.lower()
    if word in ENGLISH_STOPWORDS or len(word) == 1:
        return []
    parts = [p.lower() for p in _CAMEL.findall(form)]
    extra = [p for p in parts if len(parts) > 1 and p not in ENGLISH_STOPWORDS]
    return [_stem(word)] + extra


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def _stem(word: str) -> str:
    # Snowball folds English inflections ("apprentices"/"apprentice"); Korean never reaches here.
    return _stemmer().stemWord(word)


def index_key(form: str, tag: str) -> str:
    """One morpheme as the BM25 index spells it: lowercased, English stemmed, no spaces."""
    return _stem(form.lower()) if tag == "SL" else form.lower().replace(" ", "")


def _joinable(prev, tok) -> bool:
    """Whether two adjacent tokens may also be indexed as one word (spacing variants)."""
    if tok.start - prev.end > 1 or prev.form.lower() in ENGLISH_STOPWORDS or tok.form.lower() in ENGLISH_STOPWORDS:
        return False
    latin = [t for t in (prev, tok) if t.tag == "SL"]
    # English prose would otherwise double its terms; only proper-noun-like pairs ("Open AI") join.
    return len(latin) < 2 or all(t.form[0].isupper() for t in latin)


def _terms_from_tokens(tokens) -> list[str]:
    terms: list[str] = []
    prev = None
    for i, tok in enumerate(tokens):
        tag = tok.tag.split("-")[0]
        if tag not in CONTENT_TAGS and not _counter(tokens, i):
            prev = None
            continue
        # Kiwi may return a multi-word form ("부트 캠프"); terms never hold spaces.
        terms.extend(_latin_terms(tok.form) if tag == "SL" else [tok.form.lower().replace(" ", "")])
        if prev is not None and tag in COMPOUND_TAGS and _joinable(prev, tok):
            terms.append((prev.form + tok.form).lower().replace(" ", ""))
        prev = tok if tag in COMPOUND_TAGS else None
    present = set(terms)
    return terms + [stem for stem in _word_stems(tokens) if stem not in present]


def _counter(tokens, i: int) -> bool:
    """A unit noun after a number or 몇: "몇 주" must find "40주" (Kiwi tags the first 주 NNB, the second NNG)."""
    if tokens[i].tag != "NNB" or i == 0:
        return False
    before = tokens[i - 1]
    return before.tag in ("SN", "NR") or before.form == "몇"


def _word_stems(tokens) -> list[str]:
    """Each space-delimited word's leading run of nominal morphemes, as one term.

    Kiwi splits an unknown name differently with and without a particle: "이빛산업진흥원" alone is
    이/빛/산업/진흥원, "이빛산업진흥원이" is one noun and 이. Both words share the stem "이빛산업진흥원".
    """
    return [_joined(run) for run in _stem_runs(tokens) if len(run) > 1]


def shattered_names(tokens) -> list[str]:
    """Words Kiwi cut into pieces one of which is a determiner, pronoun, prefix or single syllable: most
    likely a name it does not know ("이빛산업진흥원" -> 이/빛/산업/진흥원), to be matched whole. A word of
    pronouns only is a doubled question word ("뭐뭐", "어디어디"), not a name."""
    def odd(tok) -> bool:
        return tok.tag in ("MM", "NP", "XPN") or (len(tok.form) == 1 and tok.tag in ("NNG", "NNP"))

    return [_joined(run) for run in _stem_runs(tokens)
            if len(run) > 1 and any(odd(t) for t in run) and not any(t.tag == "SN" for t in run)  # not "1기"
            and not all(t.tag == "NP" for t in run)]


def _joined(run) -> str:
    return "".join(t.form for t in run).lower().replace(" ", "")


def _stem_runs(tokens) -> list[list]:
    """Each word's leading run of nominal tokens (a word = tokens with no space between them)."""
    runs, run, in_stem, end = [], [], False, None
    for tok in [*tokens, None]:
        if tok is None or tok.start != end:  # a space (or the end): the word before is complete
            if run:
                runs.append(run)
            run, in_stem = [], True
        if tok is None:
            break
        in_stem = in_stem and tok.tag.split("-")[0] in STEM_TAGS  # it stops at the first particle, ending or suffix
        if in_stem:
            run.append(tok)
        end = tok.start + tok.len
    return runs


def terms(text: str) -> list[str]:
    """BM25 terms of `text`: content morphemes, lowercased, with joined spacing variants."""
    return _terms_from_tokens(get_kiwi().tokenize(text))


def terms_batch(texts: Iterable[str]) -> list[list[str]]:
    """`terms` for many texts at once, using Kiwi's worker threads."""
    return [_terms_from_tokens(tokens) for tokens in get_kiwi().tokenize(list(texts))]


def detect_language(text: str) -> str:
    """'ko' when Hangul makes up a fair share of the letters, else 'en'."""
    hangul = len(_HANGUL.findall(text))
    latin = len(_LATIN.findall(text))
    return "ko" if hangul and hangul * 3 >= latin else "en"
