"""A small bilingual glossary: words that name the same thing in English and Korean.

Questions are expanded with it, so "graduate school" finds 대학원 and 설립 finds "founded"; the
answerer finds Korean paraphrases by meaning instead (answer/similarity.py).
Entries are domain vocabulary (education, companies, AI) and well-known names, not answers.
"""

from __future__ import annotations

import re
from functools import lru_cache

TERMS: tuple[tuple[str, ...], ...] = (
    # Institutions and people
    ("graduate school", "grad school", "대학원"),
    ("university", "universities", "college", "대학", "대학교"),
    ("company", "companies", "firm", "corporation", "enterprise", "business", "기업", "회사", "업체"),
    ("in-house", "internal", "corporate", "사내"),
    ("school", "학교"),
    ("high school", "고등학교"),
    ("academy", "아카데미"),
    ("bootcamp", "boot camp", "부트캠프", "부트 캠프"),
    ("research center", "research centre", "연구센터", "연구소"),
    ("center", "centre", "센터"),
    ("government", "정부"),
    ("city", "시"),
    ("mayor", "시장"),
    ("professor", "faculty", "교수", "교수진", "교원"),
    ("student", "students", "학생", "교육생", "수강생", "대학원생"),
    ("graduate", "graduates", "alumni", "수료생", "졸업생"),
    ("employee", "employees", "staff", "worker", "workers", "직원", "재직자", "근로자"),
    ("engineer", "engineers", "엔지니어"),
    ("researcher", "researchers", "연구원"),
    ("participant", "participants", "참가자", "참여자"),
    ("respondent", "respondents", "응답자"),
    ("team", "teams", "팀"),
    ("trainee", "trainees", "교육생", "연수생", "입소생"),
    ("apprentice", "apprentices", "견습생", "도제"),
    ("apprenticeship", "견습", "도제 과정"),
    ("applicant", "applicants", "apply", "applied", "지원자", "응모자"),
    ("member", "members", "회원", "회원사", "참여 기관"),
    ("talent", "talents", "인재", "인력"),
    ("expert", "experts", "specialist", "전문가"),
    ("executive", "executives", "경영진"),
    ("director", "head", "president", "원장", "대표", "센터장", "학장"),
    # Events and actions
    ("hackathon", "해커톤"),
    ("found", "founded", "establish", "established", "set up", "open", "opened", "launch", "launched",
     "설립", "개설", "개원", "출범", "개소"),
    ("open", "opened", "열"),  # a Korean "문을 열다" is an opening, but 설립 is not any 열다
    ("start", "started", "begin", "began", "launch", "launched", "kick off", "kicked off", "시작", "출범"),
    ("announce", "announced", "release", "released", "unveil", "unveiled", "publish", "published",
     "발표", "공개", "나오", "내놓"),
    ("in charge", "direct", "directs", "directed", "oversee", "oversees", "run", "runs", "manage", "manages",
     "responsible", "총괄", "책임", "맡", "이끌", "이끄", "운영"),
    ("enter", "entered", "enroll", "enrolled", "admit", "admitted", "입소", "입학"),
    ("cohort", "class", "batch", "기수"),
    ("first", "1", "첫", "첫째", "처음", "initial"),
    ("second", "2", "둘째"),
    ("third", "3", "셋째"),
    ("fourth", "4", "넷째"),
    ("spend", "spends", "spent", "투입", "지출"),
    ("compete", "competed", "take part", "took part", "참가", "출전"),
    ("lead", "leads", "led", "head", "heads", "이끌", "이끄"),
    ("complete", "completed", "finish", "finished", "수료", "마치", "이수"),
    ("invest", "investing", "invested", "investment", "pledge", "pledged", "pledging", "투자"),
    ("hold", "held", "host", "hosted", "organize", "organized", "개최", "주최", "열", "열리"),
    ("join", "joined", "participate", "participated", "take part", "참여", "참가"),
    ("select", "selected", "choose", "chosen", "선발", "선정"),
    ("sign", "signed", "agreement", "agreements", "deal", "deals", "협약", "체결"),
    ("partnership", "cooperation", "collaboration", "collaborate", "협력", "산학협력"),
    ("alliance", "동맹", "연합"),
    ("consortium", "컨소시엄"),
    ("survey", "설문", "설문조사"),
    ("report", "보고서"),
    ("title", "제목"),
    ("goal", "target", "aim", "목표"),
    ("plan", "plans", "계획"),
    ("training", "education", "course", "교육", "훈련"),
    ("program", "programme", "curriculum", "과정", "프로그램", "커리큘럼", "교육 과정"),
    ("project", "projects", "프로젝트", "과제"),
    ("shortage", "lack", "부족"),
    ("problem", "problems", "issue", "issues", "limitation", "limitations", "weakness", "drawback",
     "문제", "문제점", "한계", "과제"),
    ("track", "tracks", "트랙"),
    ("tier", "tiers", "level", "levels", "stage", "stages", "단계"),
    ("hub", "hubs", "거점", "거점센터", "권역"),
    ("region", "regional", "regions", "지역", "권역"),
    ("fellowship", "fellowships", "펠로십"),
    ("employment", "job", "jobs", "취업", "일자리"),
    ("employment rate", "취업률"),
    # Money and numbers
    ("budget", "예산"),
    ("scholarship", "scholarships", "장학금"),
    ("tuition", "tuition fee", "등록금", "수강료", "학비"),
    ("salary", "wage", "연봉", "급여"),
    ("prize", "prize money", "상금"),
    ("award", "상"),
    ("winner", "winning team", "우승", "우승팀"),
    ("quota", "enrollment", "capacity", "정원"),
    ("master's", "masters", "석사"),
    ("phd", "doctoral", "doctorate", "박사"),
    # Subjects
    ("artificial intelligence", "ai", "인공지능"),
    ("generative ai", "생성형 ai"),
    ("data", "데이터"),
    ("factory", "plant", "공장"),
    ("precision", "정밀"),
    ("electronics", "전자"),
    ("telecom", "telecommunications", "통신"),
    ("chemical", "chemicals", "화학"),
)

# Places and well-known names: translated like the rest, but a question naming one must find it.
NAMES: tuple[tuple[str, ...], ...] = (
    ("korea", "korean", "한국", "국내"),
    ("united states", "america", "american", "미국"),
    ("united kingdom", "britain", "british", "uk", "영국"),
    ("japan", "japanese", "일본"),
    ("belgium", "벨기에"),
    ("seoul", "서울"),
    ("seoul national university", "snu", "서울대", "서울대학교"),
    ("naver", "네이버"),
    ("kakao", "카카오"),
    ("samsung", "삼성"),
    ("google", "구글"),
    ("microsoft", "마이크로소프트"),
    ("meta", "메타"),
    ("deloitte", "딜로이트"),
    ("openai", "open ai", "오픈ai"),
    ("lg", "엘지"),
)

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def is_korean(form: str) -> bool:
    return bool(_HANGUL.search(form))


@lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for group in TERMS + NAMES:
        for form in group:
            index.setdefault(form, set()).update(group)
    return {form: frozenset(forms) for form, forms in index.items()}


def synonyms(term: str) -> frozenset[str]:
    """The forms that name `term` across languages (itself included): an English word gets its Korean
    words, a Korean word only its English ones. Korean paraphrases (학비 for 수강료) are left to the
    answerer's soft matching, which knows far more of them than any list."""
    lowered = term.lower()
    forms = _index().get(lowered, frozenset())
    if is_korean(lowered):
        forms = frozenset(f for f in forms if not is_korean(f))
    return forms | {lowered}


@lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    return frozenset(form for group in NAMES for form in group)


def is_name(term: str) -> bool:
    """Whether `term` is a place or organisation name from the glossary."""
    return term.lower() in _names()


def knows(term: str) -> bool:
    """Whether the glossary has an entry for `term`."""
    return term.lower() in _index()


def is_term(term: str) -> bool:
    """Whether `term` is ordinary domain vocabulary from the glossary."""
    return term.lower() in _index() and not is_name(term)


def english_phrases() -> list[str]:
    """Multi-word English entries ("graduate school", "in-house"), longest first, matched before words."""
    return sorted((f for f in _index() if (" " in f or "-" in f) and not is_korean(f)), key=len, reverse=True)
