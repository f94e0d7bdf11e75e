"""Follow-up questions rewritten to stand alone."""

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from answer.condense import carry_entities, condense, resolve_history
from rag.settings import Settings

HACKATHON = [("LG 에이머스 해커톤은 누가 개최하나요?", "LG가 개최합니다 [1].")]


@pytest.mark.parametrize(
    "question, expected",
    [
        ("그럼 그건 언제 시작됐어?", "LG 에이머스 해커톤은 언제 시작됐어?"),
        ("거기서 몇 기까지 했어?", "LG 에이머스 해커톤에서 몇 기까지 했어?"),
        ("그 해커톤은 언제 시작됐어?", "LG 에이머스 해커톤은 언제 시작됐어?"),
        ("그럼 예산은?", "LG 에이머스 해커톤 예산은?"),
        ("딜로이트 설문 결과는 어땠나요?", "딜로이트 설문 결과는 어땠나요?"),  # stands alone
    ],
)
def test_korean_follow_ups_carry_the_previous_topic(question, expected):
    assert carry_entities(question, HACKATHON) == expected


@pytest.mark.parametrize(
    "question, expected",
    [
        ("When did it start?", "When did LG in-house AI graduate school start?"),
        ("How many students does it have?", "How many students does LG in-house AI graduate school have?"),
        ("Which university was the first that partnered with OpenAI?",
         "Which university was the first that partnered with OpenAI?"),
    ],
)
def test_english_follow_ups_carry_the_previous_topic(question, expected):
    assert carry_entities(question, [("When did LG open its in-house AI graduate school?", "In 2022 [1].")]) == expected


def test_a_chain_of_follow_ups_keeps_its_topic():
    history = [("서울대-네이버 초대규모 AI 연구센터는 언제 설립되었나요?", "2021년 [1]"), ("그건 누가 주도했어?", "...")]
    resolved = resolve_history(history)
    assert resolved[1][0] == "서울대-네이버 초대규모 AI 연구센터는 누가 주도했어?"
    assert carry_entities("거기엔 몇 명이 있어?", resolved).startswith("서울대-네이버 초대규모 AI 연구센터")


def test_no_history_leaves_the_question_alone():
    assert condense("그건 언제야?", None, Settings(_env_file=None)) == "그건 언제야?"


def test_history_is_capped_at_history_turns():
    history = [("LG 에이머스 해커톤은 누가 개최하나요?", "a"), ("딜로이트 설문은 언제였나요?", "b")]
    capped = Settings(_env_file=None, history_turns=1)
    assert condense("그건 누가 했어?", history, capped) == "딜로이트 설문은 누가 했어?"
    assert condense("그건 누가 했어?", history, Settings(_env_file=None, history_turns=0)) == "그건 누가 했어?"


def test_llm_condense_uses_the_model_reply_and_the_prompt():
    model = FakeListChatModel(responses=['  "LG 에이머스 해커톤은 언제 시작됐나요?"\nextra line'])
    standalone = condense("그럼 그건 언제 시작됐어?", HACKATHON, Settings(_env_file=None), model)
    assert standalone == "LG 에이머스 해커톤은 언제 시작됐나요?"


def test_llm_condense_falls_back_to_the_question_on_an_empty_reply():
    model = FakeListChatModel(responses=["   "])
    assert condense("그건 언제?", HACKATHON, Settings(_env_file=None), model) == "그건 언제?"


CENTRE = [("가온-미르 멀티모달 AI 연구센터는 언제 문을 열었어?", "2023년 3월 문을 열었습니다 [1].")]


def test_a_question_that_names_its_own_subject_is_not_rewritten():
    question = "가온-미르 멀티모달 AI 연구센터 센터장은 누구인가요?"
    assert carry_entities(question, CENTRE) == question


def test_a_pointer_follow_up_takes_the_previous_subject():
    assert carry_entities("거기 센터장은 누구야?", CENTRE).startswith("가온-미르 멀티모달 AI 연구센터")
