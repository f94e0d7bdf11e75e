"""The answering pipeline: rewrite a follow-up, retrieve passages, answer from them with citations."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

from answer import extractive
from answer.aliases import Vocabulary, with_names_in_both_scripts
from answer.citations import clean_citations, clean_partial
from answer.condense import History, condense
from answer.llm import make_chat_model, stream_text
from answer.prompts import answer_messages
from answer.question import analyze, reply_language, search_query
from answer.refusal import is_refusal, refusal_for
from answer.smalltalk import help_reply
from answer.types import Answer, AnswerDelta
from rag.settings import Settings
from rag.types import Passage

if TYPE_CHECKING:  # a type only: the offline answerer never imports LangChain (cold start)
    from langchain_core.language_models import BaseChatModel


class Retriever(Vocabulary, Protocol):
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
        help_text = help_reply(question)
        if help_text is not None:  # a greeting or "what can you do?": no search, no citation
            yield Answer(question, help_text, False, timings_ms={"total": _ms(time.perf_counter() - start)},
                         standalone_question=question)
            return
        standalone = condense(question, history, self.settings, self.chat_model)
        retrieve_start = time.perf_counter()
        asked = with_names_in_both_scripts(analyze(standalone), self.retriever)
        passages = self.retriever.search(search_query(asked), self.settings.top_k)
        generate_start = time.perf_counter()
        language = reply_language(question)
        confidence, guess = 1.0, ""
        if not passages:
            reply, confidence = refusal_for(language), 0.0
        elif self.chat_model is None:
            decision = extractive.decide(asked, passages)
            guess, confidence = extractive.compose(asked, decision, language), decision.confidence
            reply = refusal_for(language) if decision.refused or not guess else guess
        else:
            reply = ""
            for delta in self._generate(standalone, passages, language):
                reply += delta
                yield AnswerDelta(clean_partial(reply, passages))
        end = time.perf_counter()
        timings = {"retrieve": _ms(generate_start - retrieve_start), "generate": _ms(end - generate_start),
                   "total": _ms(end - start)}
        answer = self._finish(question, standalone, reply, passages, language, timings)
        answer.confidence, answer.best_guess = confidence, guess or (answer.answer if not answer.refused else "")
        yield answer

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
