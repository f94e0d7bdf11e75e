"""Chat model backends: chosen by name, misconfiguration explained, the openai one against a local server."""

from pathlib import Path

import pytest

from answer.errors import LLMConfigError, LLMUnavailableError
from answer.llm import BACKENDS, N_CTX, make_chat_model, server_url, stream_text
from answer.pipeline import Answerer
from answer.types import Answer, AnswerDelta
from rag.settings import Settings
from rag.types import Passage
from tests.openai_server import FakeOpenAIServer, closed_port_url
from tests.test_answer_pipeline import ListRetriever

KEY = "sk-test-4f9a-very-secret"
PASSAGES = [
    Passage("c1", "d1", "/docs/lg.txt", "LG 기사", "LG는 2022년 사내에 AI 대학원을 개설해 인재를 양성하고 있습니다."),
    Passage("c2", "d2", "/docs/hack.txt", "해커톤", "LG 에이머스 해커톤은 2022년 하반기부터 열렸습니다."),
]


@pytest.fixture(autouse=True)
def no_ambient_keys(monkeypatch):
    for name in ("RAG_LLM", "RAG_LLM_API_KEY", "OPENAI_API_KEY", "RAG_LLM_MODEL", "RAG_LLM_BASE_URL", "OLLAMA_HOST"):
        monkeypatch.delenv(name, raising=False)


def settings(**overrides) -> Settings:
    return Settings(_env_file=None, **overrides)


def openai_settings(base_url: str, **overrides) -> Settings:
    # The key field is read by its alias only (Settings(llm_api_key=...) would be ignored).
    return settings(llm="openai", llm_model="test-model", llm_base_url=base_url, RAG_LLM_API_KEY=KEY,
                    llm_timeout=5, **overrides)


def test_extractive_needs_no_model():
    assert make_chat_model(settings(llm="extractive")) is None


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"llm": "gpt5"}, "unknown RAG_LLM='gpt5'; use one of: extractive, openai, ollama, llamacpp"),
        ({"llm": "openai"}, "RAG_LLM=openai needs RAG_LLM_MODEL"),
        ({"llm": "openai", "llm_model": "m"}, "RAG_LLM=openai needs RAG_LLM_API_KEY, or RAG_LLM_BASE_URL"),
        ({"llm": "ollama"}, "RAG_LLM=ollama needs RAG_LLM_MODEL"),
        ({"llm": "llamacpp"}, "RAG_LLM=llamacpp needs RAG_LLM_MODEL_PATH"),
        ({"llm": "llamacpp", "llm_model_path": Path("/no/such/model.gguf")}, "is not a file"),
    ],
)
def test_misconfiguration_is_one_line(overrides, message):
    with pytest.raises(LLMConfigError) as info:
        make_chat_model(settings(**overrides))
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_llamacpp_without_the_package_says_what_to_install(tmp_path):
    pytest.importorskip("langchain_community")
    try:
        import llama_cpp  # noqa: F401
        pytest.skip("llama-cpp-python is installed here")
    except ImportError:
        pass
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    with pytest.raises(LLMConfigError, match=r"pip install -r requirements-llamacpp\.txt"):
        make_chat_model(settings(llm="llamacpp", llm_model_path=model))


def test_ollama_gets_a_large_context_window():
    model = make_chat_model(settings(llm="ollama", llm_model="qwen2.5:7b", ollama_host="http://127.0.0.1:9"))
    assert model.num_ctx == N_CTX == 8192
    assert model.base_url == "http://127.0.0.1:9"


def test_backends_are_a_table():
    assert set(BACKENDS) == {"extractive", "openai", "ollama", "llamacpp"}


def test_server_url_hides_credentials():
    s = settings(llm="openai", llm_base_url="http://user:pw@example.test:8000/v1")
    assert server_url(s) == "http://example.test:8000/v1"


def test_openai_answer_puts_passages_in_the_user_turn():
    with FakeOpenAIServer(["LG는 2022년에 개설했습니다 [1]. 해커톤도 2022년입니다 [2][7]."]) as server:
        s = openai_settings(server.base_url)
        answer = Answerer(ListRetriever(PASSAGES), s).ask("LG는 사내 AI 대학원을 언제 개설했나요?")
    body = server.requests[-1]["body"]
    system, user = body["messages"]
    assert body["model"] == "test-model"
    assert system["role"] == "system" and user["role"] == "user"
    assert "개설해 인재를" not in system["content"] and "[1]" not in system["content"].split("e.g.")[0]
    assert "[1] LG 기사 — LG는 2022년 사내에" in user["content"]
    assert "[2] 해커톤 — LG 에이머스" in user["content"]
    assert answer.answer == "LG는 2022년에 개설했습니다 [1]. 해커톤도 2022년입니다 [2]."
    assert [c.chunk_id for c in answer.citations] == ["c1", "c2"]
    assert not answer.refused


def test_openai_streams_several_growing_chunks():
    reply = "LG opened its in-house AI graduate school in 2022 [1]."
    with FakeOpenAIServer([reply], chunk_chars=6) as server:
        events = list(Answerer(ListRetriever(PASSAGES), openai_settings(server.base_url)).stream("When?"))
    deltas = [e.text for e in events if isinstance(e, AnswerDelta)]
    assert len(deltas) >= 5
    assert all(a == b[: len(a)] or a.rstrip() == b[: len(a.rstrip())] for a, b in zip(deltas, deltas[1:]))
    assert isinstance(events[-1], Answer) and events[-1].answer == reply
    assert server.requests[-1]["body"]["stream"] is True


def test_openai_refusal_is_detected():
    with FakeOpenAIServer(["The documents don't say."]) as server:
        answer = Answerer(ListRetriever(PASSAGES), openai_settings(server.base_url)).ask("LG AI 대학원의 정원은?")
    assert answer.refused and answer.citations == []
    assert answer.answer == "제공된 문서에서 답을 찾을 수 없습니다."  # in the question's language


def test_unreachable_server_is_one_clean_error_without_the_key():
    url = closed_port_url()
    answerer = Answerer(ListRetriever(PASSAGES), openai_settings(url))
    with pytest.raises(LLMUnavailableError) as info:
        answerer.ask("When?")
    message = str(info.value)
    assert message.startswith(f"cannot reach the LLM server at {url}")
    assert KEY not in message and KEY not in repr(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_rejected_key_is_a_config_error_without_the_key():
    with FakeOpenAIServer(status=401) as server:
        model = make_chat_model(openai_settings(server.base_url))
        with pytest.raises(LLMConfigError) as info:
            list(stream_text(model, [("user", "hi")], openai_settings(server.base_url)))
    assert "rejected the API key" in str(info.value)
    assert KEY not in str(info.value)
    headers = {k.lower(): v for k, v in server.requests[-1]["headers"].items()}
    assert headers["authorization"] == f"Bearer {KEY}"  # the key did reach the server
