"""The offline answerer with the shipped fitted model: picks the sentence that answers, cites it, or refuses."""

import pytest

from answer import extractive
from answer.citations import invalid_numbers
from answer.facts import DATE, NUMBER, PERSON, asked_fact, asked_units
from answer.question import analyze
from answer.refusal import REFUSALS
from answer.sentences import split_passages
from rag.korean import detect_language
from rag.types import Passage

LG = (
    "교육계의 변화를 기다리기 힘든 기업의 입장에서는 내부 전문 인력을 교수진으로 활용합니다. 대표적인 곳이 바로 LG입니다. "
    "LG는 2022년 사내에 ‘AI 대학원’을 개설해 인재를 양성하고 있습니다.\n\n"
    "기업들은 ‘해커톤’ 행사를 열고 있는데요, 네이버, 카카오, 삼성 등 국내 기업들이 특히 자주 행사를 진행하고 있습니다."
)
CONSORTIUM = (
    "올해 4월 4일, 벨기에 루벤에서는 Cisco를 중심으로 Google, IBM, Microsoft 등 8개 주요 기업과 6개 자문사가 참여해 "
    "인력 컨소시엄을 구성했습니다. 목표는 로드맵 구축입니다."
)
CHALLENGES = (
    "대학의 AI 인력 양성 과정 역량은 두 가지 측면에서 어려움을 겪고 있습니다. "
    "하나는 폭증하는 AI 교육 수요를 채울 수 있는 교수진의 부족입니다. 또 다른 문제는 미스매치입니다."
)
APPRENTICES = (
    "When Harlow Valley Community College launched its AI Technician Apprenticeship in January 2023, "
    "the first cohort had 36 apprentices.\n\n"
    "At launch, 14 employers signed on, ranging from a 90-person plastics molder to Brightwater Logistics, "
    "a regional warehouse operator with 3,400 employees.\n\n"
    '"They know the machines," said Maria Okafor, who directs the program.'
)
COURSES = (
    "AI Forward is built in three tiers. "
    "Courses are co-developed with six partner universities, and staff study on paid time."
)
HACKATHON = (
    "이번 대회에는 고등학생과 대학생 296명이 참가했습니다. "
    '김도현 시장은 "내년에는 참가 규모를 400명까지 늘리겠다"고 밝혔습니다.'
)


def passages(*texts: str, title: str = "") -> list[Passage]:
    return [Passage(f"c{i}", f"d{i}", f"/docs/{i}.txt", title, t, metadata={"chunk_index": 0})
            for i, t in enumerate(texts, 1)]


@pytest.mark.parametrize(
    "question, texts, expected",
    [
        ("LG는 사내 AI 대학원을 언제 개설했나요?", [LG], "2022년"),
        ("Cisco 중심의 인력 컨소시엄에 참여한 주요 기업은 몇 곳인가요?", [LG, CONSORTIUM], "8개 주요 기업"),
        ("대학의 AI 인력 양성이 겪는 두 가지 어려움은 무엇인가요?", [CHALLENGES], "교수진"),
        ("When did Harlow Valley Community College launch its AI Technician Apprenticeship?", [APPRENTICES], "January 2023"),
        ("Who directs the Harlow Valley apprenticeship program?", [APPRENTICES], "Maria Okafor"),
        ("How many employers signed on when the apprenticeship launched?", [APPRENTICES], "14 employers"),
        ("이번 대회에는 몇 명이 참가했나요?", [HACKATHON], "296명"),  # not the 400 only said in a quote
        # a launch is a first: the sentence need not say "first"
        ("What year did Kesmore Workforce Board first launch Kesmore AI Bootcamp?",
         ["When Kesmore Workforce Board launched Kesmore AI Bootcamp in March 2009, few people in Leeds expected it to last. "
          "Today the program is held up as a model. Each cohort admits 40 workers."],
         "March 2009"),
        ("How many partner universities co-develop the AI Forward courses?", [COURSES], "six partner universities"),
    ],
)
def test_answers_with_the_sentence_that_holds_the_fact(question, texts, expected):
    ps = passages(*texts)
    reply = extractive.answer(question, ps)
    assert expected in reply
    assert reply not in REFUSALS.values()
    assert "[" in reply and invalid_numbers(reply, len(ps)) == []


# Known gap of the fitted answerer (README, "How the offline answer works"): when the subject is there
# and only the asked attribute is missing, it is confident too often. Strict, so a fix shows.
ATTRIBUTE_GAP = pytest.mark.xfail(reason="attribute absent, subject present: refused about half the time", strict=True)


@pytest.mark.parametrize(
    "question, texts",
    [
        ("LG AI 대학원의 입학 정원은 몇 명인가요?", [LG]),  # the attribute is nowhere
        pytest.param("삼성은 사내 AI 대학원을 언제 개설했나요?", [LG], marks=ATTRIBUTE_GAP),  # another company's fact
        ("네이버가 개최한 해커톤의 우승팀은 어디인가요?", [LG]),
        pytest.param("How many employees does Harlow Valley Community College have?", [APPRENTICES],
                     marks=ATTRIBUTE_GAP),  # Brightwater's number
        pytest.param("What is the tuition fee of the Harlow Valley apprenticeship?", [APPRENTICES], marks=ATTRIBUTE_GAP),
        ("Who is the CEO of Brightwater Logistics?", [APPRENTICES]),
        ("LG는 사내 AI 대학원을 언제 개설했나요?", []),  # nothing retrieved
        pytest.param("When was the Seoul AI hackathon first held?", ["The third Seoul AI hackathon was held in May 2024."],
                     marks=ATTRIBUTE_GAP),
        ("안녕?", [LG]),  # nothing asked
    ],
)
def test_refuses_when_the_passages_do_not_say(question, texts):
    language = detect_language(question)
    assert extractive.answer(question, passages(*texts)) == REFUSALS[language]


def test_list_question_takes_the_following_sentences_too():
    reply = extractive.answer("대학의 AI 인력 양성이 겪는 두 가지 어려움은 무엇인가요?", passages(CHALLENGES))
    assert reply.count("[1]") == 3 and "교수진의 부족" in reply and "미스매치" in reply


TIERS = ("The program is built in three tiers. Literacy is a short online course. "
         "Practitioner is a ten-week course. Builder is a six-month course. It costs $5 million.")


def test_list_header_takes_as_many_sentences_as_items():
    reply = extractive.answer("What are the three tiers of the program?", passages(TIERS))
    assert all(word in reply for word in ("Literacy", "Practitioner", "Builder")) and "$5 million" not in reply


def test_list_sentence_naming_its_items_stands_alone():
    text = "교육 과정은 불량 검사, 예지 보전, 공정 최적화 등 세 가지 트랙으로 나뉩니다. 교육 기간은 24주입니다."
    reply = extractive.answer("교육 과정은 어떤 세 가지 트랙으로 구성돼 있어?", passages(text))
    assert "공정 최적화" in reply and "24주" not in reply


def test_english_question_over_korean_passage_leads_with_the_fact_and_quotes_the_sentence():
    reply = extractive.answer("When did LG open its in-house AI graduate school?", passages(LG))
    assert reply.startswith("2022 \u2014 \u201cLG는 2022년")
    assert reply.endswith("[1]")


def test_english_question_without_a_fact_kind_gets_an_english_lead():
    reply = extractive.answer("What does LG do to train AI talent?", passages(LG))
    assert reply.startswith("The documents say: \u201c") and "LG" in reply


def test_korean_paraphrase_of_the_attribute_is_found_by_meaning():
    text = "별빛 스마트팜 AI 학교는 2023년 3월 문을 열었습니다. 교장은 한솔비 박사가 맡았습니다. 수강료는 월 20만 원입니다."
    ps = passages(text, title="별빛 스마트팜 AI 학교")
    assert "20만 원" in extractive.answer("별빛 스마트팜 AI 학교 학비는 얼마야?", ps)
    assert "한솔비" in extractive.answer("별빛 스마트팜 AI 학교 교장은 누구야?", ps)


def test_cites_the_passage_the_sentence_came_from():
    reply = extractive.answer("Cisco 중심의 인력 컨소시엄에 참여한 주요 기업은 몇 곳인가요?", passages(LG, CONSORTIUM))
    assert reply.endswith("[2]")


@pytest.mark.parametrize(
    "question, fact, units",
    [
        ("LG는 언제 개설했나요?", DATE, ()),
        ("몇 퍼센트가 예상했나요?", NUMBER, "%"),
        ("기업은 몇 곳인가요?", NUMBER, "개"),
        ("How much is the budget?", NUMBER, "$"),
        ("How long is the course?", NUMBER, "weeks"),
        ("How many employers signed on when it launched?", NUMBER, "employers"),
        ("Who directs the program?", PERSON, ()),
        ("대학의 두 가지 어려움은 무엇인가요?", None, ()),
    ],
)
def test_question_kinds(question, fact, units):
    assert asked_fact(question) == fact
    assert (units in asked_units(question)) if units else asked_units(question) == ()


def test_question_analysis_marks_names_and_the_asked_attribute():
    q = analyze("LG AI 대학원의 입학 정원은 몇 명인가요?")
    assert [s.term for s in q.entities] == ["lg"]
    assert [s.term for s in q.focus] == ["입학", "정원"]
    assert "ai" not in [s.term for s in q.entities]  # too common to identify anything


def test_english_terms_reach_korean_words_through_the_glossary():
    q = analyze("When did LG open its in-house AI graduate school?")
    forms = {f for s in q.slots for f in s.forms}
    assert {"대학원", "사내", "개설"} <= forms


def test_a_measure_word_is_named_by_a_number_in_its_unit():
    ps = passages("부트캠프 수료식이 열렸습니다. 교육은 16주 동안 하루 8시간씩 진행됩니다.", title="AI 부트캠프")
    assert "16주" in extractive.answer("AI 부트캠프의 교육 기간은 얼마인가요?", ps)
    assert extractive.answer("AI 부트캠프의 교육 예산은 얼마인가요?", ps) == REFUSALS["ko"]  # no amount of money


def test_when_first_asks_for_the_first_event_not_the_latest():
    text = ("제3회 청하 해커톤이 2024년 8월 열렸습니다. 참가자는 296명이었습니다.\n\n"
            "2022년 처음 열린 이 해커톤은 해마다 규모가 커졌습니다.")
    assert "2022년" in extractive.answer("청하 해커톤은 언제 처음 열렸어?", passages(text))


def test_who_is_in_charge_reads_the_phrase_as_the_role():
    assert any(s.focus and s.term == "in charge" for s in analyze("Who is in charge of the program?").slots)


@pytest.mark.parametrize("question, expected", [
    pytest.param("How much are apprentices paid per hour?", None, marks=ATTRIBUTE_GAP),
    ("How many hours of on-the-job training does the apprenticeship combine?", "2,000 hours"),
])
def test_a_rate_question_needs_a_rate(question, expected):
    text = "The apprenticeship combines 2,000 hours of paid on-the-job training with 320 hours of classes."
    reply = extractive.answer(question, passages(text))
    assert (expected in reply) if expected else reply == REFUSALS["en"]



@pytest.mark.xfail(reason="a look-alike subject (휘빛 for 이빛) with every other word matching is answered", strict=True)
def test_unknown_korean_name_kiwi_cuts_apart_must_be_found_whole():
    # Alone, Kiwi reads "이빛산업진흥원" as 이/빛/산업/진흥원; the article about 휘빛산업진흥원 must not answer.
    other = "휘빛산업진흥원이 울산에서 운영하는 휘빛산업진흥원 AI 인재 컨소시엄은 2024년 6월 개설됐다. 교육생은 모두 50명이다."
    right = "이빛산업진흥원이 청주에서 운영하는 이빛산업진흥원 AI 인재 컨소시엄은 2019년 3월 개설됐다. 교육생은 모두 80명이다."
    question = "이빛산업진흥원 AI 인재 컨소시엄은 언제 개설됐나요?"
    assert "이빛산업진흥원" in [s.term for s in analyze(question).entities]
    assert extractive.answer(question, passages(other)) == REFUSALS["ko"]
    assert "2019년 3월" in extractive.answer(question, passages(other, right))


def test_a_doubled_question_word_is_not_a_name():
    assert [s.term for s in analyze("다솔 대학원 전공 뭐뭐 있어?").entities] == ["다솔"]


def test_the_lead_is_never_part_of_a_word_or_the_opening_word():
    text = "두 기관은 2023년 9월 12일 가온대 본관에서 미르-가온 AI 펠로십 협약을 체결했습니다."
    reply = extractive.answer("How many organisations signed the Mir-Gaon AI Fellowship agreement?", passages(text))
    assert not reply.startswith("두 기 \u2014")


def test_a_korean_money_question_over_an_english_passage_leads_with_the_amount():
    text = ("The company announced the program on February 27, 2024, pledging $150 million over three years "
            "to prepare 18,000 employees.")
    reply = extractive.answer("그 회사는 프로그램에 얼마를 투자해?", passages(text))
    # The currency sign stands before its amount: the lead is not "2024, pledging $".
    assert reply.startswith("$150 million \u2014 \u201cThe company"), reply


def test_a_sentence_said_in_two_passages_is_one_candidate_and_quoted_once():
    """Two chunks share their overlap sentence, so two passages can hold the same sentence: as two candidates
    they split the ranker's certainty between them, and the answer quoted it twice (8 of 600 KorQuAD answers)."""
    said = "다솔 AI 대학원은 2025년 3월 4일 첫 입학식을 가졌다."
    found = passages(f"다솔물류는 인천 송도에 연수원을 두고 있다. {said}", f"{said} 교육 과정은 세 개 전공으로 구성된다.")
    sentences = split_passages(found)
    assert [s.text.raw for s in sentences].count(said) == 1
    reply = extractive.answer("다솔 AI 대학원은 언제 첫 입학식을 가졌어?", found)
    assert reply.count(said) == 1
