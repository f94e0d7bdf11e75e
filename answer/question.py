"""What a question asks: its key terms (with glossary synonyms), named entities, focus and fact kind."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from answer import glossary
from answer.facts import DATE, PERSON, asked_fact, asked_units, units_required
from rag.korean import ENGLISH_STOPWORDS, detect_language, get_kiwi, shattered_names

CONTENT_TAGS = {"NNG", "NNP", "NR", "VV", "VA", "XR", "SL", "SH", "SN"}
NOUN_TAGS = {"NNG", "NNP", "SL", "SH", "XR"}
PREDICATE_TAGS = {"NNG", "VV", "VA", "XR"}
MODAL_NOUNS = {"예정", "계획", "전망", "방침"}  # "열릴 예정인가요": the event is 열리다, not 예정
TIME_NOUNS = {"해", "때", "날", "시기", "시점", "연도", "년도", "날짜"}
# Question words that stand where the answer goes: "N은 몇 명", "N은 어디", "N은 누구", "N은 어느 팀".
NOMINAL_QUESTION_WORDS = {"몇", "어디", "누구", "무엇", "뭐", "얼마", "어느", "어떤"}
# Words that carry no topic: light verbs, counters, and the words that only say what kind of fact is asked.
STOP_TERMS = {
    "하", "되", "있", "없", "이", "않", "받", "주", "보", "알", "것", "수", "등", "때", "중", "내", "그",
    "년", "월", "일", "명", "곳", "개", "가지", "퍼센트", "비율", "이름", "명칭",
    "몇", "언제", "어디", "누구", "무엇", "뭐", "얼마", "어느", "어떤", "어떻", "왜",
    "name", "called", "named", "year", "date", "number", "percent", "percentage", "amount", "total",
    "did", "does", "do", "tell", "know", "please", "according", "document", "documents",
}
# Nouns that only restate the unit asked for ("몇 명인 사람", "the number of"): not an attribute to find.
GENERIC_FOCUS = {"사람", "사람들", "인원", "수", "숫자", "규모", "금액", "액수", "곳", "것", "기관", "people", "number",
                 "amount", "total", "many", "much"}
# Words that single out one of a series: "언제 처음 열렸어" asks for the first date, not the latest.
ORDINALS = {"처음", "첫", "최초", "first", "initial", "마지막", "last", "latest", "최근"}
# Acronyms so common in this domain that they identify nothing.
GENERIC_ENTITIES = {"ai", "it", "ict", "r&d", "gen"}
# "which city" names the kind of answer, which the answering sentence seldom repeats ("in Aachen"),
# so it is not a focus; "how many workers" usually does repeat it ("25,000 workers").
_EN_FOCUS = (
    re.compile(r"\bhow (?:many|much) ([a-z'-]+)", re.I),
    re.compile(r"\bwhat (?:is|was|are|were) the ((?:[a-z'-]+ ){0,2}?[a-z'-]+)(?= of\b| for\b| at\b| in\b| on\b|\?|$)", re.I),
    re.compile(r"\bwho (?:is|was|are|were) the ([a-z'-]+)", re.I),
)
# "두 가지 어려움", "어떤 세 가지 트랙", "the three tiers": a count of things asks for their list.
_ASKS_LIST = re.compile(
    r"(?P<ko>두|세|네|다섯)\s*가지|\b(?P<en>two|three|four|five) (?:[\w-]+ )?[\w-]+s\b", re.I)
LIST_WINDOW = 12  # characters either side of the count searched for what the list is of
_LIST_COUNTS = {"두": 2, "세": 3, "네": 4, "다섯": 5, "two": 2, "three": 3, "four": 4, "five": 5}


@dataclass(frozen=True)
class Slot:
    """One thing the question names; `forms` are the words that count as naming it."""

    term: str
    forms: frozenset[str]
    entity: bool = False  # a name that the answer's sentence (or its context) must mention
    focus: bool = False  # part of what is asked about: "입학 정원" in "입학 정원은 몇 명"


@dataclass
class Question:
    text: str
    language: str
    fact: str | None
    units: tuple[str, ...]
    units_required: bool = False
    slots: list[Slot] = field(default_factory=list)
    list_size: int = 0  # "두 가지 어려움", "three reasons": how many items the answer should list
    listed: list[Slot] = field(default_factory=list)  # what the list is of: 트랙, 문제점, tiers
    latin_names: tuple[str, ...] = ()  # Latin spellings of its Hangul loanwords the store uses ("코르반" -> corvan)

    @property
    def asks_list(self) -> bool:
        return self.list_size > 0

    @property
    def entities(self) -> list[Slot]:
        return [s for s in self.slots if s.entity]

    @property
    def focus(self) -> list[Slot]:
        return [s for s in self.slots if s.focus]


def _normal(word: str) -> str:
    """Lowercase, and fold an English plural unless the glossary knows the word as it is."""
    word = word.lower()
    if glossary.is_korean(word) or glossary.knows(word) or len(word) <= 3:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith(("ss", "us", "is")) else word


def blank_phrases(text: str) -> tuple[list[str], str]:
    """Glossary phrases ("graduate school") found in `text`, and `text` with them blanked out."""
    found = []
    for phrase in glossary.english_phrases():
        pattern = re.compile(rf"\b{re.escape(phrase)}\b", re.I)
        if pattern.search(text):
            found.append(phrase)
            text = pattern.sub(" ", text)
    return found, text


def _token_terms(text: str, tokens: Sequence, english: bool) -> list[tuple[str, bool]]:
    """(term, looks like a name) for each content token of `text`."""
    out = []
    for tok in tokens:
        tag = tok.tag.split("-")[0]
        form = tok.form.lower()
        if tag not in CONTENT_TAGS or form in STOP_TERMS or form in ENGLISH_STOPWORDS:
            continue
        if tag == "SL":  # Latin words are names when capitalised ("Cisco", "IBM") but not opening the question
            opening = english and tok.start == len(text) - len(text.lstrip())  # capitalised by grammar
            out.append((_normal(form), tok.form.isupper() or (tok.form[0].isupper() and not opening)))
        else:  # a number in the question identifies ("제4회", "1기"): like a name, it must be found
            out.append((form, tag in ("NNP", "SH", "SN")))
    return out


def _korean_focus(tokens: Sequence) -> list[str]:
    """The nouns topic-marked right before the question word: "입학 정원은 몇 명" -> [입학, 정원]."""
    tokens = [t for t in tokens if t.tag not in ("SF", "SP")]
    marked = None
    for i, tok in enumerate(tokens):
        if tok.form in NOMINAL_QUESTION_WORDS and i >= 1 and tokens[i - 1].tag in ("JX", "JKS"):
            marked = i - 1
            break
    if marked is None and len(tokens) >= 2 and tokens[-1].tag in ("JX", "JKS"):
        marked = len(tokens) - 1  # an elliptical question: "... 대학은?"
    run: list[str] = []
    i = (marked or 0) - 1
    while marked is not None and i >= 0 and tokens[i].tag in NOUN_TAGS:
        run.insert(0, _normal(tokens[i].form))
        i -= 1
    return run


def _korean_predicate(tokens: Sequence) -> list[str]:
    """For "언제"/"누가" questions, the event asked about: "언제 개설했나요" / "개설한 해는 언제" -> [개설]."""
    tokens = [t for t in tokens if t.tag not in ("SF", "SP")]
    at = next((i for i, t in enumerate(tokens) if t.form in ("언제", "누구")), None)
    if at is None:
        return []
    after = [t for t in tokens[at + 1 :] if t.tag in PREDICATE_TAGS and t.form not in MODAL_NOUNS]
    before = [t for t in tokens[:at] if t.tag in PREDICATE_TAGS and t.form not in MODAL_NOUNS | TIME_NOUNS]
    chosen = after[-1:] if after else before[-1:]
    return [t.form.lower() for t in chosen]


def _english_predicate(text: str) -> list[str]:
    """For "when"/"who" questions, the verb: "When did LG open its ..." -> [open], "Who directs X" -> [direct]."""
    in_role = re.match(r"\s*who (?:is|was|are|were) (.+)", text, re.I)  # "who is in charge of ..."
    phrase = next((p for p in glossary.english_phrases() if in_role and in_role.group(1).lower().startswith(p)), None)
    if phrase:
        return [phrase]
    who = re.match(r"\s*who (\w+)", text, re.I)
    if who and who.group(1).lower() not in ENGLISH_STOPWORDS | STOP_TERMS:
        return [_normal(who.group(1))]
    match = re.search(r"\bwhen (?:did|does|do|was|were|is|are|will|has|have)\b(.*)", text, re.I)
    for word in re.findall(r"[A-Za-z'-]+", match.group(1)) if match else []:
        lowered = word.lower()
        if word[0].isupper() or lowered in ENGLISH_STOPWORDS:
            continue
        if glossary.knows(lowered) or lowered.endswith(("ed", "en")):
            return [_normal(lowered)]
    return []


def _english_focus(text: str) -> list[str]:
    for pattern in _EN_FOCUS:
        match = pattern.search(text)
        if match:
            phrase = match.group(1).lower()
            if glossary.knows(phrase):
                return [phrase]
            return [_normal(w) for w in phrase.split() if w not in ENGLISH_STOPWORDS and w not in STOP_TERMS]
    return []


def _is_entity(term: str, looks_like_name: bool) -> bool:
    if glossary.is_name(term) or term.isdigit():
        return True
    return looks_like_name and term not in GENERIC_ENTITIES and not glossary.is_term(term)


def reply_language(text: str) -> str:
    """The language to reply in: Korean when the question is built with Korean grammar (particles
    and endings, "Corvane AI Forward는 언제 시작했어?"), English when it is not, even if it names a
    Korean article ("When did 가온대 open?")."""
    if not glossary.is_korean(text):
        return "en"
    tokens = get_kiwi().tokenize(text)
    if any(t.tag.startswith(("J", "E")) for t in tokens if glossary.is_korean(t.form)):
        return "ko"
    return detect_language(text)


def search_query(question: Question) -> str:
    """An English question plus the Korean glossary words for its words, so that it finds Korean
    passages too ("graduate school" also searches 대학원). A Korean question gets only the Latin spelling of
    a loanword the store never writes in Hangul (코르반 -> Corvane), and then, as it names an English article,
    the glossary English for its other words; without such a name glossary English would pull in English
    articles that merely share a common word."""
    if question.language == "ko" and not question.latin_names:
        return question.text
    # A Latin name found for a Hangul word is also among its slot's forms, so it comes twice and weighs
    # double in BM25 (as measured).
    other_script = [form for slot in question.slots for form in sorted(slot.forms)
                    if glossary.is_korean(form) != (question.language == "ko")]
    return " ".join([question.text, *question.latin_names, *dict.fromkeys(other_script)])


def analyze(text: str) -> Question:
    """Read what `text` asks."""
    language, fact = detect_language(text), asked_fact(text)
    phrases, rest = blank_phrases(text) if language == "en" else ([], text)
    tokens = get_kiwi().tokenize(rest)
    if language == "ko":
        focus = _korean_focus(tokens) + (_korean_predicate(tokens) if fact in (DATE, PERSON) else [])
    else:
        focus = _english_focus(text) + (_english_predicate(text) if fact in (DATE, PERSON) else [])
    raw = [(phrase, False) for phrase in phrases] + _token_terms(rest, tokens, language == "en")
    if language == "ko":  # an unknown name Kiwi cut apart must still be found whole ("이빛산업진흥원")
        raw += [(name, True) for name in shattered_names(tokens)]
    slots, seen = [], set()
    for term, looks_like_name in raw:
        if term not in seen:
            seen.add(term)
            is_focus = (term in focus and term not in GENERIC_FOCUS) or (term in ORDINALS and fact == DATE)
            slots.append(Slot(term, glossary.synonyms(term), _is_entity(term, looks_like_name), is_focus))
    size, listed = _list_of(text, slots)
    return Question(text, language, fact, asked_units(text), units_required(text), slots, size, listed)


def _list_of(text: str, slots: Sequence[Slot]) -> tuple[int, list[Slot]]:
    """How many items a list question asks for ("세 가지 트랙" -> 3), or 0, and the words next to
    the count that say what the items are ("문제점으로 꼽힌 두 가지", "three tiers")."""
    match = _ASKS_LIST.search(text)
    if not match:
        return 0, []
    near = text[max(0, match.start() - LIST_WINDOW) : match.end() + LIST_WINDOW].lower()
    listed = [slot for slot in slots if not slot.entity and slot.term in near and slot.term not in STOP_TERMS]
    return _LIST_COUNTS[(match.group("ko") or match.group("en")).lower()], listed
