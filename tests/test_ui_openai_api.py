"""The OpenAI-compatible API, driven by the official `openai` client against the running app, and /ask through
gradio_client: citations resolve to stored passages, streaming matches the full reply, the key is enforced and
never echoed or logged."""

from __future__ import annotations

import itertools
import re

import httpx
import openai
import pytest
from app_process import running_app

from answer.types import Answer, AnswerDelta
from conftest import ROOT, _free_port, make_settings
from ui.openai_api import HOLD_CHARS, RequestError, conversation_of, text_pieces

KEY = "sk-test-9f3c1e77a2b84d10"
QUESTION = "청하 청소년 AI 해커톤의 대상은 어느 팀이 받았나요?"


def numbers(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"\[(\d+)\]", text)}


@pytest.fixture(scope="module")
def keyed(tmp_path_factory):
    """(url, log path) of `python app.py` with RAG_API_KEY set."""
    folder = tmp_path_factory.mktemp("keyed")
    with running_app(folder, RAG_API_KEY=KEY) as url:
        yield url, folder / "app.log"


@pytest.fixture(scope="module")
def client(keyed) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{keyed[0]}/v1", api_key=KEY, max_retries=0, timeout=120)


def test_models_lists_the_knowledge_base(client):
    assert [m.id for m in client.models.list()] == ["rag-articles"]


def test_a_completion_carries_citations_that_resolve_to_the_passages(client, keyed):
    reply = client.chat.completions.create(model="rag-articles", messages=[{"role": "user", "content": QUESTION}])
    text = reply.choices[0].message.content
    citations = reply.model_extra["citations"]
    assert "바다소리" in text and reply.model_extra["refused"] is False and reply.choices[0].finish_reason == "stop"
    assert numbers(text) and numbers(text) == {c["n"] for c in citations}
    from gradio_client import Client  # the same question through the Gradio API gives the same answer

    data = Client(keyed[0], verbose=False).predict(QUESTION, None, api_name="/ask")
    assert data["answer"] == text and data["citations"] == citations
    assert all(c["text"] and c["chunk_id"].startswith(c["doc_id"] + ":") for c in citations)


def test_streaming_sends_the_same_text_and_the_citations_last(client):
    stream = client.chat.completions.create(model="rag-articles", stream=True,
                                            messages=[{"role": "user", "content": QUESTION}])
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    full = client.chat.completions.create(model="rag-articles", messages=[{"role": "user", "content": QUESTION}])
    assert text == full.choices[0].message.content
    assert chunks[0].choices[0].delta.role == "assistant" and chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["citations"] == full.model_extra["citations"]


def test_history_in_the_messages_answers_a_follow_up(client):
    first = client.chat.completions.create(model="rag-articles", messages=[
        {"role": "user", "content": "청람 AI 아카데미는 언제 문을 열었나요?"}]).choices[0].message.content
    follow = client.chat.completions.create(model="rag-articles", messages=[
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "청람 AI 아카데미는 언제 문을 열었나요?"},
        {"role": "assistant", "content": first},
        {"role": "user", "content": [{"type": "text", "text": "그럼 누적 수료생은 몇 명인가요?"}]},
    ])
    assert "312" in follow.choices[0].message.content


def test_the_key_is_required_never_echoed_and_never_logged(keyed):
    url, log = keyed
    wrong_key = "sk-wrong-key-0000"
    wrong = openai.OpenAI(base_url=f"{url}/v1", api_key=wrong_key, max_retries=0)
    with pytest.raises(openai.AuthenticationError) as raised:
        wrong.chat.completions.create(model="rag-articles", messages=[{"role": "user", "content": QUESTION}])
    with pytest.raises(openai.AuthenticationError):
        list(wrong.chat.completions.create(model="rag-articles", stream=True,
                                           messages=[{"role": "user", "content": QUESTION}]))
    with pytest.raises(openai.AuthenticationError):
        wrong.models.list()
    no_key = httpx.post(f"{url}/v1/chat/completions", json={"messages": [{"role": "user", "content": QUESTION}]})
    for body in (raised.value.response.text, no_key.text):
        assert "RAG_API_KEY" in body and KEY not in body and wrong_key not in body
    assert no_key.status_code == 401 and no_key.json()["error"]["code"] == "invalid_api_key"
    assert KEY not in log.read_text(errors="replace")


def test_malformed_requests_get_a_one_line_openai_error(keyed):
    url, _ = keyed
    headers = {"Authorization": f"Bearer {KEY}"}
    bad_json = httpx.post(f"{url}/v1/chat/completions", content=b"{nope", headers=headers)
    assert bad_json.status_code == 400 and bad_json.json()["error"]["message"] == "the request body is not JSON"
    no_user = httpx.post(f"{url}/v1/chat/completions", json={"messages": [{"role": "system", "content": "hi"}]},
                         headers=headers)
    assert no_user.status_code == 400 and "last message must be a user message" in no_user.json()["error"]["message"]


@pytest.mark.parametrize(("body", "expected"), [
    ({"messages": [{"role": "user", "content": "질문"}]}, ("질문", [], False)),
    ({"stream": True, "messages": [{"role": "system", "content": "be nice"}, {"role": "user", "content": "a"},
                                   {"role": "assistant", "content": "b"}, {"role": "user", "content": " c "}]},
     ("c", [("a", "b")], True)),
    ({"messages": [{"role": "user", "content": [{"type": "text", "text": "x"}, {"type": "image_url"}]}]}, ("x", [], False)),
])
def test_conversation_of_a_request(body, expected):
    assert conversation_of(body) == expected


@pytest.mark.parametrize("body", [None, [], {"messages": []}, {"messages": [{"role": "assistant", "content": "a"}]},
                                  {"messages": [{"role": "user", "content": ""}]}])
def test_conversation_of_a_bad_request(body):
    with pytest.raises(RequestError):
        conversation_of(body)


def test_text_pieces_hold_back_a_possible_refusal_and_never_take_text_back():
    final = Answer("q", "제공된 문서에서 답을 찾을 수 없습니다.", True)
    assert [p.text if isinstance(p, AnswerDelta) else p for p in text_pieces(
        [AnswerDelta("The documents don't say."), final])] == [final.answer, final]  # nothing sent before the end
    long = "가" * HOLD_CHARS
    pieces = list(text_pieces([AnswerDelta(long), AnswerDelta(long + "나 [1]"), Answer("q", long + "나 [1]", False)]))
    assert [p.text for p in pieces[:-1]] == [long, "나 [1]"]
    changed = list(text_pieces([AnswerDelta(long + "x"), Answer("q", "다른 답", False)]))
    assert [p.text for p in changed[:-1]] == [long + "x"]  # the final text no longer extends it: nothing appended


def test_a_streaming_model_arrives_in_pieces_through_the_openai_client(tmp_path):
    """With an LLM behind it (a LangChain fake that streams word by word), the reply streams in several chunks."""
    import shutil

    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    from ui.app import build_demo, launch
    from ui.services import Services

    reply = "청람 AI 아카데미는 2021년 3월에 문을 열었습니다 [1]. 지금까지 수료생은 312명입니다 [1]. 없는 출처 [9]."
    model = GenericFakeChatModel(messages=itertools.repeat(AIMessage(reply)))
    samples = tmp_path / "samples"
    samples.mkdir()
    shutil.copy(ROOT / "data" / "samples" / "ko-cheongram-ai-academy.md", samples)
    settings = make_settings(tmp_path, samples_dir=samples, llm="openai", port=_free_port())
    demo = build_demo(settings, Services(settings, chat_model=model))
    try:
        launch(demo, settings, prevent_thread_lock=True, quiet=True)
        open_client = openai.OpenAI(base_url=f"http://127.0.0.1:{settings.port}/v1", api_key="unused", max_retries=0)
        chunks = list(open_client.chat.completions.create(
            model="anything", stream=True, messages=[{"role": "user", "content": "청람 AI 아카데미는 언제 문을 열었나요?"}]))
    finally:
        demo.close()
    pieces = [c.choices[0].delta.content for c in chunks if c.choices[0].delta.content]
    text = "".join(pieces)
    assert len(pieces) >= 3 and text.startswith("청람 AI 아카데미는 2021년 3월에")
    assert "[9]" not in text and numbers(text) == {1} and chunks[-1].model_extra["refused"] is False
    assert [c["n"] for c in chunks[-1].model_extra["citations"]] == [1]
    assert {c.model for c in chunks} == {"rag-test-articles"}
