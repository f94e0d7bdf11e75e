"""Chat model backends chosen by RAG_LLM, and calling them with errors a user can act on."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from answer.errors import LLMConfigError, LLMUnavailableError
from rag.settings import Settings

if TYPE_CHECKING:  # types only: the offline answerer never imports LangChain (cold start)
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

N_CTX = 8192  # Ollama's default of 2048 tokens silently cuts RAG prompts short
OPENAI_URL = "https://api.openai.com/v1"


def _need(value, what: str, backend: str):
    if not value:
        raise LLMConfigError(f"RAG_LLM={backend} needs {what}")
    return value


def _openai(settings: Settings) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    model = _need(settings.llm_model, "RAG_LLM_MODEL (the model name the server serves)", "openai")
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    if not key and not settings.llm_base_url:
        raise LLMConfigError("RAG_LLM=openai needs RAG_LLM_API_KEY, or RAG_LLM_BASE_URL for a local server")
    return ChatOpenAI(
        model=model,
        base_url=settings.llm_base_url,
        api_key=key or "not-needed",  # local OpenAI-compatible servers accept any key
        temperature=settings.llm_temperature,
        timeout=settings.llm_timeout,
        max_retries=1,  # an unreachable server should fail in seconds, not after long backoff
        streaming=True,
    )


def _ollama(settings: Settings) -> BaseChatModel:
    from langchain_ollama import ChatOllama

    model = _need(settings.llm_model, "RAG_LLM_MODEL (e.g. qwen2.5:7b; see `ollama list`)", "ollama")
    return ChatOllama(
        model=model,
        base_url=settings.ollama_host,
        num_ctx=N_CTX,
        temperature=settings.llm_temperature,
        client_kwargs={"timeout": settings.llm_timeout},
    )


def _llamacpp(settings: Settings) -> BaseChatModel:
    path = _need(settings.llm_model_path, "RAG_LLM_MODEL_PATH (a local .gguf file)", "llamacpp")
    if not path.is_file():
        raise LLMConfigError(f"RAG_LLM_MODEL_PATH={path} is not a file; download a .gguf model there first")
    try:
        import llama_cpp  # noqa: F401 - the package behind ChatLlamaCpp; optional, slow to build
        from langchain_community.chat_models import ChatLlamaCpp
    except ImportError:
        raise LLMConfigError(
            "RAG_LLM=llamacpp needs llama-cpp-python: pip install -r requirements-llamacpp.txt"
        ) from None
    return ChatLlamaCpp(
        model_path=str(path), n_ctx=N_CTX, temperature=settings.llm_temperature, streaming=True, verbose=False
    )


BACKENDS: dict[str, Callable[[Settings], BaseChatModel] | None] = {
    "extractive": None,  # quotes the passages itself; no model
    "openai": _openai,
    "ollama": _ollama,
    "llamacpp": _llamacpp,
}


def make_chat_model(settings: Settings) -> BaseChatModel | None:
    """The chat model named by RAG_LLM, or None for the extractive answerer."""
    if settings.llm not in BACKENDS:
        raise LLMConfigError(f"unknown RAG_LLM={settings.llm!r}; use one of: {', '.join(BACKENDS)}")
    build = BACKENDS[settings.llm]
    return build(settings) if build else None


def server_url(settings: Settings) -> str:
    """Where the configured backend answers, without any user:password part."""
    url = {"openai": settings.llm_base_url or OPENAI_URL, "ollama": settings.ollama_host}.get(settings.llm)
    if url is None:
        return str(settings.llm_model_path or "the local model")
    parts = urlsplit(url)
    if parts.username or parts.password:
        url = urlunsplit(parts._replace(netloc=(parts.hostname or "") + (f":{parts.port}" if parts.port else "")))
    return url


def _translate(exc: Exception, settings: Settings) -> Exception | None:
    """The user-facing error for a failed model call, or None when it is not a known kind."""
    import httpx
    import openai  # installed with langchain-openai; its errors are the openai backend's

    where = server_url(settings)
    if isinstance(exc, openai.AuthenticationError):
        return LLMConfigError(f"the LLM server at {where} rejected the API key (check RAG_LLM_API_KEY)")
    if isinstance(exc, openai.NotFoundError):
        return LLMConfigError(f"the LLM server at {where} has no model {settings.llm_model!r}")
    if isinstance(exc, openai.APIStatusError):
        return LLMUnavailableError(f"the LLM server at {where} answered HTTP {exc.status_code}")
    if isinstance(exc, (openai.APIConnectionError, httpx.HTTPError, ConnectionError)):
        reason = "timed out" if "timeout" in type(exc).__name__.lower() else "connection failed"
        return LLMUnavailableError(f"cannot reach the LLM server at {where}: {reason}")
    if type(exc).__name__ == "ResponseError":  # ollama: unknown model and other server-side refusals
        hint = f"try `ollama pull {settings.llm_model}`"
        return LLMConfigError(f"Ollama at {where} refused: {_redact(str(exc), settings)} ({hint})")
    return None


def _redact(text: str, settings: Settings) -> str:
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else ""
    return text.replace(key, "***") if key else text


def _text(content) -> str:
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)


def stream_text(model: BaseChatModel, messages: Sequence[BaseMessage], settings: Settings) -> Iterator[str]:
    """The reply's text pieces as they arrive; connection and server failures become AnswerErrors."""
    try:
        for chunk in model.stream(list(messages)):
            yield _text(chunk.content)
    except Exception as exc:  # noqa: BLE001 - each client library has its own error types
        translated = _translate(exc, settings)
        if translated is None:
            raise
        raise translated from None  # the one-line message is the whole story for the user


def generate_text(model: BaseChatModel, messages: Sequence[BaseMessage], settings: Settings) -> str:
    """The whole reply at once (used to rewrite follow-up questions)."""
    return "".join(stream_text(model, messages, settings))
