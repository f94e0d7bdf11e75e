"""The answering pipeline: rewrite a follow-up, retrieve passages, answer from them with citations."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Protocol

from langchain_core.language_models import BaseChatModel

from answer import extractive
from answer.citations import clean_citations, clean_partial
from answer.condense import History, condense
from answer.llm import make_chat_model, stream_text
from answer.prompts import answer_messages
from answer.question import analyze, search_query
from answer.refusal import is_refusal, refusal_for
from answer.types import Answer, AnswerDelta
from rag.korean import detect_language
from rag.settings import Settings
from rag.types import Passage


class Retriever(Protocol):
    def search(self, query: str, k: int) -> list[Passage]: ...


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


class Answerer:
    """Answers questions from a retriever's passages; `chat_model` None means the configured backend."""

    def __init__(self, retriever: Retriever, settings: Settings, chat_model: BaseChatModel | None = None):
        self.retriever = retriever
        self.settings = settings
        self.chat_model = chat_model if chat_model is not None else make_chat_model(settings)

    def ask(self, question: str, history: History | None = None) -> Answer:
        """The finished answer."""
        *_, final = self.stream(question, history)
        return final

    def stream(self, question: str, history: History | None = None) -> Iterator[AnswerDelta | Answer]:
        """`AnswerDelta`s with the text so far (citations already cleaned), then the final `Answer`."""
        start = time.perf_counter()
        standalone = condense(question, history, self.settings, self.chat_model)
        retrieve_start = time.perf_counter()
        asked = analyze(standalone)
        passages = self.retriever.search(search_query(asked), self.settings.top_k)
        generate_start = time.perf_counter()
        language = detect_language(question)
        if not passages:
            reply = refusal_for(language)
        elif self.chat_model is None:
            reply = extractive.reply(asked, passages)
        else:
            reply = ""
            for delta in self._generate(standalone, passages, language):
                reply += delta
                yield AnswerDelta(clean_partial(reply, passages))
        end = time.perf_counter()
        timings = {"retrieve": _ms(generate_start - retrieve_start), "generate": _ms(end - generate_start),
                   "total": _ms(end - start)}
        yield self._finish(question, standalone, reply, passages, language, timings)

    def _generate(self, question: str, passages: Sequence[Passage], language: str) -> Iterator[str]:
        return stream_text(self.chat_model, answer_messages(question, passages, language), self.settings)

    @staticmethod
    def _finish(question: str, standalone: str, reply: str, passages: list[Passage], language: str,
                timings: dict[str, float]) -> Answer:
        text, citations = clean_citations(reply, passages)
        refused = is_refusal(text) or not text
        if refused:
            text, citations = refusal_for(language), []
        return Answer(question, text, refused, citations, passages, timings, standalone)
