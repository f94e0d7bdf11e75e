"""Follow-up questions ("그럼 그건 언제 시작됐어?") rewritten to stand alone before retrieval."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from answer.llm import generate_text
from answer.prompts import condense_messages
from answer.question import NOUN_TAGS, analyze, blank_phrases
from answer.refusal import is_refusal
from rag.korean import ENGLISH_STOPWORDS, detect_language, get_kiwi
from rag.settings import Settings

if TYPE_CHECKING:  # a type only: the offline answerer never imports LangChain (cold start)
    from langchain_core.language_models import BaseChatModel

History = Sequence[tuple[str, str]]  # (user question, assistant answer), oldest first

# A pointer word and what follows it in the same word: "그건" = 그 + 건, "거기서" = 거기 + 서.
KO_POINTER = re.compile(r"^(그것|그거|거기|그곳|그분|그들|이것|이거|이곳|여기|저것|저거|저기|해당|그|이)(.*?)([?.!,]*)$")
KO_PARTICLES = {
    "", "은", "는", "이", "가", "을", "를", "의", "에", "에서", "서", "도", "만", "건", "게", "걸", "와", "과",
    "엔", "에는", "에선", "에서는", "로", "으로", "랑", "이랑",
}
# "that"/"this" point back only when no noun follows ("when did that start?", not "the first that ...").
EN_POINTER = re.compile(
    r"\b(it|its|they|them|their|there|(?:that|this)(?=\s*(?:\?|$|is\b|was\b|did\b|does\b|has\b|have\b)))\b", re.I
)
LEADING_MARKERS = re.compile(r"^\s*(?:그럼|그러면|그리고|그래서|그렇다면|and|so|then|also)\s*,?\s*", re.I)
JOINING_TAGS = {"SO", "XPN", "XSN", "SN"}  # "서울대-네이버", "초대규모", "3기" stay one phrase
MAX_TOPIC_RUNS = 3


def _has_final_consonant(word: str) -> bool:
    last = word[-1]
    return "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0


def _particle(remainder: str, referent: str) -> str:
    """Re-attach a particle that agreed with the pronoun so it agrees with the referent."""
    contracted = {"ㄴ": "은", "ᆫ": "은", "건": "은", "게": "이", "걸": "을", "서": "에서"}
    remainder = contracted.get(remainder, remainder)
    pairs = {"은": "는", "이": "가", "을": "를", "과": "와"}
    for batchim, vowel in pairs.items():
        if remainder in (batchim, vowel):
            return batchim if _has_final_consonant(referent) else vowel
    return remainder


def _topic(question: str) -> str:
    """The noun phrases a follow-up may point back to: the topic-marked one and those naming entities."""
    if detect_language(question) == "en":
        return _english_topic(question)
    tokens = get_kiwi().tokenize(question)
    entities = {s.term for s in analyze(question).entities}
    runs, current = [], []
    for tok in tokens + [None]:
        if tok is not None and (tok.tag in NOUN_TAGS or (current and tok.tag in JOINING_TAGS)):
            current.append(tok)
            continue
        while current and current[-1].tag not in NOUN_TAGS:
            current.pop()
        marked = tok is not None and tok.tag in ("JX", "JKS")
        if current and (marked or any(t.form.lower() in entities for t in current)):
            runs.append(question[current[0].start : current[-1].end])
        current = []
    return " ".join(dict.fromkeys(runs[:MAX_TOPIC_RUNS]))


def _english_topic(question: str) -> str:
    """Capitalised names and glossary phrases, in order: "LG in-house AI graduate school"."""
    phrases, _ = blank_phrases(question)
    found = [(m.start(), m.group()) for p in phrases for m in re.finditer(re.escape(p), question, re.I)]
    words = re.finditer(r"\b[A-Z][\w&.-]*", question)
    found += [(m.start(), m.group()) for m in words if m.start() > 0 and m.group().lower() not in ENGLISH_STOPWORDS]
    return " ".join(dict.fromkeys(text for _, text in sorted(found)))


def _replace_korean_pointer(question: str, referent: str) -> str | None:
    words = question.split(" ")
    for i, word in enumerate(words):
        match = KO_POINTER.match(word)
        if not match or match.group(2) not in KO_PARTICLES:
            continue
        following = words[i + 1] if i + 1 < len(words) else ""
        named = next((k for k in range(len(following), 1, -1) if referent.endswith(following[:k])), 0)
        if not match.group(2) and named:  # "그 해커톤은" -> "LG 에이머스 해커톤은", not "... 해커톤 해커톤은"
            words[i : i + 2] = [referent + _particle(following[named:], referent)]
        else:
            words[i] = referent + _particle(match.group(2), referent) + match.group(3)
        return " ".join(words)
    return None


def _replace_english_pointer(question: str, referent: str) -> str | None:
    match = EN_POINTER.search(question)
    if not match:
        return None
    possessive = "'s" if match.group(1).lower() in ("its", "their") else ""
    return question[: match.start()] + referent + possessive + question[match.end() :]


def carry_entities(question: str, history: History) -> str:
    """Extractive rewriting: name the previous turn's topic where the follow-up points back to it."""
    referent = _topic(history[-1][0]) if history else ""
    if not referent:
        return question
    question = LEADING_MARKERS.sub("", question)
    replace = _replace_korean_pointer if detect_language(question) == "ko" else _replace_english_pointer
    rewritten = replace(question, referent)
    if rewritten is None:
        analysed = analyze(question)
        if analysed.entities or len(analysed.slots) > 2:
            return question  # names its own topic: not a follow-up
        rewritten = f"{referent} {question}"  # an elliptical follow-up: "그럼 예산은?"
    return rewritten


def resolve_history(history: History) -> list[tuple[str, str]]:
    """Each earlier question made standalone in turn, so a chain of follow-ups keeps its topic."""
    resolved: list[tuple[str, str]] = []
    for question, reply in history:
        resolved.append((carry_entities(question, resolved), reply))
    return resolved


def condense(
    question: str, history: History | None, settings: Settings, chat_model: BaseChatModel | None = None
) -> str:
    """The question rewritten to stand alone, using at most `settings.history_turns` earlier turns."""
    turns = list(history or [])[-settings.history_turns :] if settings.history_turns else []
    if not turns:
        return question
    if chat_model is None:
        return carry_entities(question, resolve_history(turns))
    language = detect_language(question)
    kept = [(q, a) for q, a in turns if not is_refusal(a)] or turns
    reply = generate_text(chat_model, condense_messages(question, kept, language), settings)
    return _first_line(reply) or question


def _first_line(reply: str) -> str:
    """The rewritten question out of a model reply: first non-empty line, without label or quotes."""
    line = next((line.strip() for line in reply.splitlines() if line.strip()), "")
    line = re.sub(r"^(?:standalone question|독립 질문)\s*:\s*", "", line, flags=re.I)
    return line.strip("\"'\u201c\u201d ")
