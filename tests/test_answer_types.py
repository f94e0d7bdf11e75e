"""Answer types learned from answer spans: a question word's table prefers the words its answers are
made of, ignores the question's own words, and a cue seen too seldom gets no table."""

from answer.answer_types import MIN_ANSWERS, AnswerTypes, cues, learn, load_types, patterns
from rag.korean import get_kiwi


def words(sentence: str):
    return patterns(get_kiwi().tokenize(sentence))


def paragraph(i: int) -> str:
    return f"연구소는 {2001 + i}년에 문을 열었다. 소장은 {'김이박최정'[i % 5]}{'민서하도윤'[i % 3]}수 교수가 맡았다."


def examples(n: int):
    for i in range(n):
        p = paragraph(i)
        name = p.split("소장은 ")[1].split(" 교수")[0]
        yield "연구소 소장은 누구인가?", p, [name]
        yield "연구소는 언제 문을 열었나?", p, [f"{2001 + i}년"]


def test_each_question_word_prefers_the_words_its_answers_are_made_of():
    types = learn(examples(MIN_ANSWERS))
    person, year = words("소장은 한가람 교수가 맡았다."), words("연구소는 2019년에 문을 열었다.")
    assert types.scores("센터 소장은 누구야?", person)[0] > types.scores("센터 소장은 누구야?", year)[0]
    assert types.scores("센터는 언제 열었어?", year)[0] > types.scores("센터는 언제 열었어?", person)[0]


def test_a_word_the_question_already_holds_is_not_its_answer():
    types = learn(examples(MIN_ANSWERS))
    assert types.scores("2019년에 연 연구소는 언제 열었어?", words("연구소는 2019년에 문을 열었다."))[0] == 0.0


def test_a_cue_seen_too_seldom_gets_no_table():
    assert "wh:누구" not in learn(examples(2)).tables
    assert AnswerTypes({}).scores("누구야?", words("소장은 한가람 교수다.")) == (0.0, 0.0)


def test_english_question_words_share_the_korean_tables():
    assert cues("Who heads the center?")[0] == ("누구",) and cues("몇 명이 참가했어?")[0][-1] == "몇"


def test_the_shipped_tables_know_what_a_person_and_a_place_look_like():
    types = load_types()
    assert {"wh:누구", "wh:어디", "wh:언제", "wh:얼마"} <= set(types.tables)
    person = words("센터장은 가온대 컴퓨터공학과 정하람 교수가 맡았습니다.")
    opened = words("양측은 2024년 3월 캠퍼스 안에 연구센터를 열었습니다.")
    assert types.scores("연구센터 센터장은 누구야?", person)[0] > types.scores("연구센터 센터장은 누구야?", opened)[0]
