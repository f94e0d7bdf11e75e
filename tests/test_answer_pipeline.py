"""The answering pipeline with LangChain's fake chat models and a small in-memory retriever."""

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage

from answer.pipeline import Answerer
from answer.refusal import REFUSALS
from answer.types import Answer, AnswerDelta
from rag.settings import Settings
from rag.types import Passage

PASSAGES = [
    Passage("c1", "d1", "/docs/lg.txt", "LG 기사", "LG는 2022년 사내에 ‘AI 대학원’을 개설해 인재를 양성하고 있습니다.",
            metadata={"chunk_index": 0}),
    Passage("c2", "d2", "/docs/aimers.txt", "해커톤", "LG는 ‘LG 에이머스(Aimers) 해커톤’을 2022년 하반기부터 개최했습니다.",
            metadata={"chunk_index": 0}),
]


class ListRetriever:
    """Returns the same passages for every query and remembers the queries."""

    def __init__(self, passages):
        self.passages = passages
        self.queries: list[str] = []

    def search(self, query: str, k: int) -> list[Passage]:
        self.queries.append(query)
        return self.passages[:k]

    def document_frequencies(self, terms: list[str]) -> tuple[list[int], int]:
        return [sum(term in p.text for p in self.passages) for term in terms], len(self.passages)

    def spelled_like(self, skeleton: str) -> list[str]:
        return []


def settings(**overrides) -> Settings:
    return Settings(_env_file=None, **overrides)


def fake(*replies: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(r) for r in replies]))


def test_invented_citations_are_stripped_and_the_rest_renumbered():
    model = fake("해커톤은 2022년 하반기부터입니다 [2]. 대학원은 2022년입니다 [1][9].")
    answer = Answerer(ListRetriever(PASSAGES), settings(llm="openai"), chat_model=model).ask("언제?")
    assert answer.answer == "해커톤은 2022년 하반기부터입니다 [1]. 대학원은 2022년입니다 [2]."
    assert [(c.n, c.chunk_id) for c in answer.citations] == [(1, "c2"), (2, "c1")]
    assert answer.passages == PASSAGES and not answer.refused


@pytest.mark.parametrize(
    "reply", ["The documents don't say.", "제공된 문서에서 답을 찾을 수 없습니다.", "The documents don’t say"]
)
def test_refusal_in_the_model_output_is_detected(reply):
    answer = Answerer(ListRetriever(PASSAGES), settings(), chat_model=fake(reply)).ask("LG AI 대학원의 정원은?")
    assert answer.refused and answer.citations == []
    assert answer.answer == REFUSALS["ko"]


def test_stream_yields_growing_text_then_the_answer():
    model = fake("LG opened its in-house AI graduate school in 2022 [1].")
    events = list(Answerer(ListRetriever(PASSAGES), settings(), chat_model=model).stream("When did LG open it?"))
    deltas, final = events[:-1], events[-1]
    assert len(deltas) >= 3 and all(isinstance(d, AnswerDelta) for d in deltas)
    assert [len(d.text) for d in deltas] == sorted(len(d.text) for d in deltas)
    assert isinstance(final, Answer) and final.text == deltas[-1].text == final.answer
    assert final.citations[0].chunk_id == "c1"


def test_no_passages_means_a_refusal_without_calling_the_model():
    model = fake("should not be used")
    answer = Answerer(ListRetriever([]), settings(), chat_model=model).ask("When did LG open it?")
    assert answer.refused and answer.answer == REFUSALS["en"]
    assert next(model.messages).content == "should not be used"  # the reply is still queued


def test_extractive_default_answers_with_a_citation():
    answer = Answerer(ListRetriever(PASSAGES), settings(llm="extractive")).ask("LG는 사내 AI 대학원을 언제 개설했나요?")
    assert "2022년" in answer.answer and answer.answer.endswith("[1]")
    assert [c.chunk_id for c in answer.citations] == ["c1"]


def test_timings_and_json_shape():
    answer = Answerer(ListRetriever(PASSAGES), settings()).ask("LG는 사내 AI 대학원을 언제 개설했나요?")
    data = answer.to_json()
    assert list(data) == ["question", "answer", "refused", "confidence", "citations", "timings_ms"]
    assert list(data["timings_ms"]) == ["retrieve", "generate", "total"]
    assert data["timings_ms"]["total"] >= data["timings_ms"]["retrieve"] + data["timings_ms"]["generate"] - 0.2
    assert list(data["citations"][0]) == ["n", "doc_id", "source", "title", "chunk_id", "text", "location"]


def test_follow_up_is_condensed_by_the_model_before_retrieval():
    model = FakeListChatModel(responses=["LG 에이머스 해커톤은 언제 시작됐나요?", "2022년 하반기부터입니다 [2]."])
    retriever = ListRetriever(PASSAGES)
    history = [("LG 에이머스 해커톤은 누가 열어?", "LG가 엽니다 [1].")]
    answer = Answerer(retriever, settings(), chat_model=model).ask("그럼 그건 언제 시작됐어?", history)
    assert retriever.queries == ["LG 에이머스 해커톤은 언제 시작됐나요?"]
    assert answer.standalone_question == "LG 에이머스 해커톤은 언제 시작됐나요?"
    assert answer.question == "그럼 그건 언제 시작됐어?"
    assert answer.answer == "2022년 하반기부터입니다 [1]."


def test_english_question_searches_with_korean_glossary_words_too():
    retriever = ListRetriever(PASSAGES)
    Answerer(retriever, settings()).ask("When did LG open its in-house AI graduate school?")
    assert retriever.queries[0].startswith("When did LG open its in-house AI graduate school?")
    assert "대학원" in retriever.queries[0] and "사내" in retriever.queries[0]


@pytest.mark.parametrize("message, language", [("안녕하세요!", "ko"), ("뭐 할 수 있어?", "ko"),
                                               ("hello", "en"), ("What can you do?", "en")])
def test_a_greeting_gets_a_short_help_reply_without_a_search(message, language):
    retriever = ListRetriever(PASSAGES)
    answer = Answerer(retriever, settings(llm="extractive")).ask(message)
    assert retriever.queries == [] and answer.citations == [] and not answer.refused
    assert ("문서" in answer.answer) if language == "ko" else ("documents" in answer.answer)


def test_a_korean_follow_up_to_an_english_question_gets_a_korean_reply():
    history = [("When did LG open its in-house AI graduate school?", "2022 — “LG는 2022년 …” [1]")]
    answer = Answerer(ListRetriever(PASSAGES), settings(llm="extractive")).ask("그럼 그건 어디서 열었어?", history)
    assert "The documents" not in answer.answer
    assert answer.refused == (answer.answer == REFUSALS["ko"])


def test_an_english_question_over_a_korean_passage_leads_with_the_fact():
    answer = Answerer(ListRetriever(PASSAGES[:1]), settings(llm="extractive")).ask(
        "When did LG open its in-house AI graduate school?")
    assert answer.answer.startswith("2022 \u2014 \u201cLG는 2022년") and answer.answer.endswith("[1]")


def test_a_refused_answer_keeps_its_best_guess_and_a_low_confidence():
    answer = Answerer(ListRetriever(PASSAGES), settings(llm="extractive")).ask("삼성 AI 대학원 입학 정원은 몇 명이야?")
    assert answer.refused and answer.answer == REFUSALS["ko"] and answer.citations == []
    assert answer.best_guess and answer.confidence < 0.5
