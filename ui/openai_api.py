"""The knowledge base as an OpenAI-compatible "model": POST /v1/chat/completions (streamed or not), GET /v1/models.

Served by the web app's own process and port, so Open WebUI, LibreChat or the `openai` client can use it. The
reply's text carries the citations as [n]; the extra top-level fields `citations` (each `{n, doc_id, source,
title, chunk_id, text}`) and `refused` say what they point to (in the last chunk when streaming).
"""

from __future__ import annotations

import hmac
import json
import threading
import time
import uuid
from collections.abc import Iterator

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from answer.types import Answer, AnswerDelta
from ui.chat import replies, reply_json
from ui.services import Services

HOLD_CHARS = 32  # a reply this short may still become the refusal sentence: streamed only once it is longer


class RequestError(ValueError):
    """A request this API cannot answer; its message goes back to the client."""


def error(status: int, message: str, kind: str = "invalid_request_error", code: str | None = None) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": kind, "param": None, "code": code}}, status_code=status)


def _text(content: object) -> str:
    """A message's text: a string, or the text parts of a list of content parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return ""


def conversation_of(body: object) -> tuple[str, list[tuple[str, str]], bool]:
    """(question, earlier (question, answer) turns, stream) from a chat completion request; system messages are ignored."""
    if not isinstance(body, dict) or not isinstance(body.get("messages"), list) or not body["messages"]:
        raise RequestError("'messages' must be a non-empty list of {role, content}")
    said = [(m.get("role"), _text(m.get("content")).strip()) for m in body["messages"] if isinstance(m, dict)]
    said = [(role, text) for role, text in said if role in ("user", "assistant") and text]
    if not said or said[-1][0] != "user":
        raise RequestError("the last message must be a user message with text")
    turns = [(q, a) for (r1, q), (r2, a) in zip(said, said[1:]) if (r1, r2) == ("user", "assistant")]
    return said[-1][1], turns, bool(body.get("stream"))


def text_pieces(stream: Iterator) -> Iterator:
    """AnswerDeltas holding only the text new since the last one, then the final reply (an Answer, or a sentence).

    A client cannot take back text it was sent: a piece is sent only when it extends what was sent before.
    """
    sent, final = "", None
    for item in stream:
        if isinstance(item, AnswerDelta):
            if len(item.text) > max(len(sent), HOLD_CHARS - 1) and item.text.startswith(sent):
                yield AnswerDelta(item.text[len(sent):])
                sent = item.text
        else:
            final = item
    text = final.answer if isinstance(final, Answer) else str(final)
    if text.startswith(sent) and len(text) > len(sent):
        yield AnswerDelta(text[len(sent):])
    yield final


class ChatCompletions:
    """Answers chat completion requests, `concurrency` at a time (the UI's chats have their own limit)."""

    def __init__(self, services: Services):
        self.services = services
        self.model = f"rag-{services.settings.collection}"
        self._slots = threading.BoundedSemaphore(services.settings.concurrency)

    def refusal(self, request: Request) -> JSONResponse | None:
        """Why this request may not use the API, or None. The key is never logged or echoed."""
        settings = self.services.settings
        if settings.api_key:
            sent = request.headers.get("authorization", "")
            expected = f"Bearer {settings.api_key.get_secret_value()}"
            if not hmac.compare_digest(sent.encode(), expected.encode()):
                return error(401, "missing or wrong API key: send the header Authorization: Bearer <RAG_API_KEY>",
                             code="invalid_api_key")
        elif settings.auth:
            return error(401, "this app requires a login (RAG_AUTH): set RAG_API_KEY to open its OpenAI-compatible API",
                         code="invalid_api_key")
        return None

    def models(self) -> dict:
        return {"object": "list", "data": [{"id": self.model, "object": "model", "created": 0, "owned_by": "rag"}]}

    def _envelope(self, kind: str, ident: str, **fields) -> dict:
        return {"id": ident, "object": kind, "created": int(time.time()), "model": self.model, **fields}

    @staticmethod
    def _extras(reply: object, question: str) -> dict:
        data = reply_json(reply, question)
        return {"citations": data["citations"], "refused": data["refused"]}

    def complete(self, question: str, turns: list[tuple[str, str]]) -> dict:
        with self._slots:
            *_, reply = replies(self.services, question, turns, None)
        text = reply.answer if isinstance(reply, Answer) else str(reply)
        choice = {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
        usage = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}  # not counted: no tokenizer here
        return self._envelope("chat.completion", f"chatcmpl-{uuid.uuid4().hex}", choices=[choice], usage=usage,
                              **self._extras(reply, question))

    def stream(self, question: str, turns: list[tuple[str, str]]) -> Iterator[str]:
        """Server-sent events: a role chunk, text chunks, a last chunk with the citations, then [DONE]."""
        ident = f"chatcmpl-{uuid.uuid4().hex}"

        def event(delta: dict, finish: str | None = None, **extra) -> str:
            chunk = self._envelope("chat.completion.chunk", ident, choices=[
                {"index": 0, "delta": delta, "finish_reason": finish}], **extra)
            return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"

        with self._slots:
            yield event({"role": "assistant", "content": ""})
            for piece in text_pieces(replies(self.services, question, turns, None)):
                if isinstance(piece, AnswerDelta):
                    yield event({"content": piece.text})
                else:
                    yield event({}, "stop", **self._extras(piece, question))
        yield "data: [DONE]\n\n"


def openai_router(services: Services) -> APIRouter:
    """The /v1 routes, to be included in the app Gradio serves."""
    api = ChatCompletions(services)
    router = APIRouter(prefix="/v1")

    @router.get("/models")
    async def models(request: Request):
        return api.refusal(request) or api.models()

    @router.post("/chat/completions")
    async def chat_completions(request: Request):
        refused = api.refusal(request)
        if refused:
            return refused
        try:
            body = json.loads(await request.body() or b"null")
        except ValueError:
            return error(400, "the request body is not JSON")
        try:
            question, turns, streaming = conversation_of(body)
        except RequestError as exc:
            return error(400, str(exc))
        if streaming:
            return StreamingResponse(api.stream(question, turns), media_type="text/event-stream",
                                     headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        return await run_in_threadpool(api.complete, question, turns)

    return router
