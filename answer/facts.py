"""Kinds of fact a question asks for (a date, a number, a name, a person) and finding them in text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

DATE, NUMBER, PERSON, NAME = "date", "number", "person", "name"

# Checked in this order: "몇 년에" asks for a date before it asks for a number.
QUESTION_CUES: tuple[tuple[str, re.Pattern], ...] = (
    (DATE, re.compile(
        r"언제|몇\s*년도|몇\s*년에|몇\s*월|며칠|연도|년도|날짜|시기|시점"
        r"|\bwhen\b|\b(?:what|which) (?:year|date|month|day)\b|\bsince when\b|\buntil when\b", re.I)),
    (NUMBER, re.compile(
        r"몇|얼마|퍼센트|비율|비중|액수|금액"
        r"|\bhow (?:many|much|long|old|large|big)\b|\bwhat (?:percent|percentage|share|proportion|number|amount)\b"
        r"|\bnumber of\b|\bby how much\b", re.I)),
    (PERSON, re.compile(r"누구|누가|\bwho\b|\bwhom\b", re.I)),
    (NAME, re.compile(
        r"어디|어느|어떤\s*(?:대학|학교|기업|회사|기관|팀|곳|단체|나라|도시|사람)|이름|제목|명칭"
        r"|(?:대학|학교|기업|회사|기관|팀|곳|단체|나라|도시|사람|인물)(?:은|는|이|가)?\s*\??\s*$"
        r"|\bwhere\b|\bwhich\b|\bwhat (?:is|was|are|were) the (?:name|title)s?\b|\bcalled\b|\bnamed\b", re.I)),
)

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_KO_NUMERALS = "한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|스무|수십|수백|수천|절반"
_EN_NUMERALS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred"
_COUNTERS = "가지|명|곳|개|차례|번|배|팀|건|주|달|해|기|개월|시간"
# Words that make a capitalised pair an organisation rather than a person ("Community College").
_ORG_WORDS = re.compile(
    r"\b(?:College|University|Community|Center|Centre|Company|Inc|Group|Fund|Foundation|Alliance|Association|"
    r"Council|Ministry|Institute|Academy|School|Program|Programme|Consortium|Telecom|Logistics|Region|Valley|"
    r"Department|Agency|Office|Hackathon|Project|Lab|Labs|Bank|Corporation)\b"
)

FACT_PATTERNS: dict[str, re.Pattern] = {
    DATE: re.compile(
        rf"(?:19|20)\d{{2}}|\d{{1,2}}\s*월|\d{{1,2}}\s*일|올해|작년|지난해|내년|이듬해|상반기|하반기"
        rf"|\b(?:{_MONTHS})\b", re.I),
    # Counts and amounts, not the parts of a date ("2024년", "12월 6일", a bare year).
    NUMBER: re.compile(
        rf"(?<![\d,.])(?!(?:19|20)\d\d(?!\d|,\d))\d[\d,.]*(?!\s*(?:년|월|일)|[\d,.])"
        rf"|(?<![가-힣])(?:{_KO_NUMERALS})\s*(?:{_COUNTERS})|\b(?:{_EN_NUMERALS}|half|dozen)\b", re.I),
    # Korean personal names come from Kiwi's proper nouns (see evidence()); English ones look like this.
    PERSON: re.compile(r"\b[A-Z][a-z]+ (?:[A-Z]\. )?[A-Z][a-z]+\b"),
    NAME: re.compile(
        r"[‘'\"“<《「『][^’'\"”>》」』]{2,60}[’'\"”>》」』]|\b[A-Z][\w&.-]+"
        r"|[가-힣]{2,}(?:대학교|대학|대|학교|연구소|연구원|센터|진흥원|재단|그룹|전자|정밀|공단|협회)"),
}

MONEY = ("원", "억", "만 원", "won", "dollars", "달러", "$", "€", "£", "euros", "million", "billion")
DURATION = ("개월", "주", "년", "일", "시간", "months", "weeks", "years", "days", "hours", "month", "week", "year",
            "day", "hour")
PERCENT = ("%", "퍼센트", "percent", "%p", "프로", "퍼센트포인트", "percentage points")
KOREAN_COUNTERS = ("명", "곳", "개", "건", "팀", "개사")
UNIT_EQUIVALENTS = (
    ("곳", "개", "개사", "군데", "companies", "places", "organizations", "universities"),
    PERCENT,
    ("명", "인", "people", "persons", "students", "participants", "members"),
    MONEY,
    ("주", "weeks"),
    ("개월", "달", "months"),
    ("년", "해", "years"),
    ("시간", "hours"),
    ("일", "days"),
    ("건", "cases"),
    ("팀", "teams"),
)
_KO_UNIT = re.compile(r"몇\s*(개월|시간|퍼센트|[가-힣%])")
# "how many Corvane employees": the first plural word after "how many" is the counted noun.
_EN_UNIT = re.compile(r"\bhow many (?:[\w-]+ ){0,2}?([a-z-]+s)\b|\bhow many ([\w-]+)|\bwhat (percent)", re.I)
_PERCENT_WORDS = re.compile(r"비율|비중|퍼센트|\bpercent|\bshare\b|\bproportion\b|\brate\b", re.I)
_MONEY_NOUNS = re.compile(
    r"원|달러|예산|비용|금액|상금|지원금|장려금|등록금|수강료|수업료|학비|교육비|참가비|연봉|급여|투자|매출|가격|기금|보조금"
    r"|\b(?:budget|cost|price|fund|funding|grant|invest\w*|salary|wage|revenue|prize|spend\w*|worth)\b",
    re.I,
)
_MONEY_ASKS = re.compile(r"얼마|how much|\bwhat\b|\bhow large\b|\bhow big\b", re.I)
_DURATION_WORDS = re.compile(r"얼마나 오래|기간은? (?:얼마|어느)|\bhow long\b", re.I)
_SPEECH = re.compile(r"\u201c[^\u201d]{12,}\u201d|\"[^\"]{12,}\"")  # quoted speech, not '작은따옴표' names
_WORD = re.compile(r"[\w%$€]+")
SPEECH_STRENGTH = 0.5  # a fact only inside quoted speech is often a plan or an opinion


# A rate: "paid per hour" wants "$18 an hour" or "시급", not "2,000 hours of paid training".
_PER = r"(?:\bper|\ban?|\beach|\bevery)\s+"
RATES: tuple[re.Pattern, ...] = tuple(re.compile(p, re.I) for p in (
    rf"{_PER}hour\b|\bhourly\b|시간당|시급",
    rf"{_PER}day\b|\bdaily\b|하루에?\s|일당|하루당",
    rf"{_PER}week\b|\bweekly\b|주당|매주",
    rf"{_PER}month\b|\bmonthly\b|월당|매달|매월|월급|다달이",
    rf"{_PER}year\b|\bannual(?:ly)?\b|\byearly\b|연간|매년|해마다|해당|연봉",
    rf"{_PER}(?:person|head|student|participant)\b|1?인당|명당",
))


def asked_rate(question: str) -> re.Pattern | None:
    """The rate a question asks for ("How much are apprentices paid per hour?"), or None."""
    return next((rate for rate in RATES if rate.search(question)), None)


def asked_fact(question: str) -> str | None:
    """The kind of fact the question asks for, or None for open questions (what, why, how).

    The earliest cue wins ("How many ... when it launched?" asks a number); at the same place the
    order of QUESTION_CUES decides ("몇 년에" asks a date).
    """
    found = [(m.start(), order, kind) for order, (kind, cue) in enumerate(QUESTION_CUES) if (m := cue.search(question))]
    return min(found)[2] if found else None


def units_required(question: str) -> bool:
    """Whether the answer's number must carry the asked unit: yes for known units ("몇 명", "how
    much" money); no for a noun after "how many", which the text may well name otherwise."""
    units = asked_units(question)
    return bool(units) and any(units == group for group in (*UNIT_EQUIVALENTS, DURATION, PERCENT))


def asked_units(question: str) -> tuple[str, ...]:
    """Units a number in the answer should carry ("몇 명" -> 명, "how much" money -> 원, $, ...)."""
    if _DURATION_WORDS.search(question):
        return DURATION
    match = _KO_UNIT.search(question) or _EN_UNIT.search(question)
    unit = next((g for g in match.groups() if g), "").lower() if match else ""
    for group in UNIT_EQUIVALENTS:
        if unit in group:
            return group
    if unit and unit.isascii():  # "how many employers": "14 employers", or a Korean counter ("14곳")
        return ((unit, unit[:-1]) if unit.endswith("s") else (unit, unit + "s")) + KOREAN_COUNTERS
    if asked_fact(question) == NUMBER and _PERCENT_WORDS.search(question):
        return PERCENT
    return MONEY if _MONEY_ASKS.search(question) and _MONEY_NOUNS.search(question) else ()


def _is_new(span: str, question: str) -> bool:
    """A span is new when most of its words are not already in the question."""
    words = _WORD.findall(span.lower())
    asked = question.lower()
    return bool(words) and sum(w in asked for w in words) / len(words) <= 0.5


def _korean_person(name: str) -> bool:
    return 2 <= len(name) <= 4 and all("가" <= ch <= "힣" for ch in name)


def _unit_pattern(units: tuple[str, ...]) -> re.Pattern:
    # A currency sign stands before its number ("$150 million"), every other unit after it ("296명").
    alternatives = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True) if u not in "$€£")
    scale = r"(?:\s*(?:million|billion|thousand))?"
    # A Korean numeral opens its word: the 한 of "당연한 명제" is an ending, not "one".
    number = rf"(?:\d[\d,.]*{scale}|(?<![가-힣])(?:{_KO_NUMERALS})|\b(?:{_EN_NUMERALS}))"
    signs = "".join(re.escape(s) for s in "$€£" if s in units)
    prefixed = rf"|[{signs}]\s?(?P<amount>\d[\d,.]*{scale})" if signs else ""
    # One describing word may come between ("six partner universities", "74개 참가 팀").
    between = r"(?:개\s*)?(?:[\w-]+\s+)?"
    after = rf"(?P<number>{number})[\s-]*{between}(?:{alternatives})" if alternatives else "(?!)"
    return re.compile(rf"{after}{prefixed}", re.I)


def _spans(kind: str, text: str, names: Iterable[str]) -> list[tuple[int, str]]:
    found = [(m.start(), m.group(0).strip()) for m in FACT_PATTERNS[kind].finditer(text)]
    if kind == PERSON:
        found = [(i, s) for i, s in found if not _ORG_WORDS.search(s)]
    if kind in (PERSON, NAME):
        lowered = text.lower()
        found += [(lowered.find(n), n) for n in names if (kind == NAME or _korean_person(n)) and n in lowered]
    return found


@dataclass(frozen=True)
class Evidence:
    """How well a sentence states the asked-for fact, and where."""

    strength: float  # 1: stated outside quotes; SPEECH_STRENGTH: only inside quoted speech; 0: absent
    position: int = -1  # character offset of the first such fact
    span: str = ""  # the fact itself ("2021년 5월", "296명"), when one was asked for


def evidence(kind: str | None, text: str, question: str, names: Iterable[str] = (),
             units: tuple[str, ...] = ()) -> Evidence:
    """Whether `text` states a fact of `kind` (with one of `units`) that the question does not give."""
    if kind is None:
        return Evidence(1.0, 0)
    names = list(names)
    plain = _SPEECH.sub(lambda m: " " * len(m.group()), text)  # same offsets, speech blanked
    for strength, source in ((1.0, plain), (SPEECH_STRENGTH, text)):
        if units:
            # Only the number has to be new: "six partner universities" repeats the question's words.
            spans = [(m.start(), next(v for v in m.groupdict().values() if v), m.group(0).strip())
                     for m in _unit_pattern(units).finditer(source)]
        else:
            spans = [(i, span, span) for i, span in _spans(kind, source, names)]
        new = sorted((i, shown) for i, span, shown in spans if _is_new(span, question))
        if new:
            return Evidence(strength, *new[0])
    return Evidence(0.0)
