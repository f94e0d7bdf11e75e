"""The chat tab: streamed, cited answers, follow-ups with history, a retrieval inspector, and the /chat and /ask APIs."""

# No `from __future__ import annotations`: gr.api reads the endpoints' types from live annotations.
import logging
from collections.abc import Iterator
from dataclasses import dataclass

import gradio as gr

from answer.errors import AnswerError
from answer.types import Answer
from rag.korean import detect_language
from ui import conversations, examples, notices, render
from ui.services import Services

log = logging.getLogger(__name__)


def replies(services: Services, question: str, history: list, top_k: int | None) -> Iterator:
    """The answerer's stream (AnswerDelta..., Answer), or one sentence (a str) when there is nothing to answer from."""
    language = detect_language(question)
    try:
        if not services.has_documents():
            yield notices.empty_store(language)
            return
        yield from services.answerer(top_k).stream(question, history=list(history or []) or None)
    except Exception as exc:  # noqa: BLE001 - the edge: any failure becomes one sentence in the chat
        if not isinstance(exc, AnswerError):
            log.exception("answering %r failed", question)
        yield notices.failure(exc, language)


def final_reply(services: Services, question: str, history: list, top_k: int | None = None):
    *_, reply = replies(services, (question or "").strip(), history, top_k)
    return reply


def reply_json(reply, question: str) -> dict:
    """An Answer's JSON, or for a sentence instead of an answer the same shape with `error` set."""
    if isinstance(reply, Answer):
        return reply.to_json()
    return {"question": question, "answer": reply, "refused": True, "citations": [], "error": reply}


def searched_line(answer: Answer) -> str:
    t = answer.timings_ms
    timing = f"retrieve {t.get('retrieve', 0):.0f} ms, total {t.get('total', 0):.0f} ms"
    return f"{answer.standalone_question or answer.question}  ({timing})"


@dataclass
class ChatParts:
    """The chat tab's components that the past-chats panel and the page load update."""

    chatbot: gr.Chatbot
    conversation: gr.State
    searched: gr.Textbox
    passages: gr.Dataframe
    examples: gr.Dataset
    answered: object  # the event dependency of a finished answer, for `.then`


class ChatTab:
    """Handlers of the chat tab; `build` lays it out inside the current Blocks."""

    def __init__(self, services: Services):
        self.services = services

    def respond(self, message: str, messages: list, conversation: dict | None, top_k: int):
        """Stream the answer into the chat; add the turn to the conversation and fill the inspector once it is final."""
        question = (message or "").strip()
        if not question:
            yield message, messages, conversation, gr.skip(), gr.skip()
            return
        key = str(len(messages) // 2 + 1)  # unique within one conversation: the ids of this answer's source blocks
        messages = [*messages, {"role": "user", "content": render.question_html(question)},
                    {"role": "assistant", "content": render.pending_html()}]
        yield "", messages, conversation, gr.skip(), gr.skip()
        reply = None
        for reply in replies(self.services, question, conversations.history(conversation), top_k):
            messages = [*messages[:-1], {"role": "assistant", "content": render.answer_html(reply, key)}]
            yield "", messages, conversation, gr.skip(), gr.skip()
        if isinstance(reply, Answer):
            conversation = conversations.with_turn(conversation, conversations.turn_of(reply))
            yield "", messages, conversation, searched_line(reply), render.passage_rows(reply.passages)

    def ask(self, message: str) -> str:
        """Answer one question without history; the answer text with its [n] markers."""
        reply = final_reply(self.services, message, [])
        return reply if isinstance(reply, str) else reply.text

    def ask_json(self, question: str, history: list[list[str]] | None = None) -> dict:
        """Answer a question, optionally after earlier (question, answer) turns: {answer, refused, citations, ...}.

        Each citation is {n, doc_id, source, title, chunk_id, text}: the passage that "[n]" in the answer names.
        """
        turns = [(str(t[0]), str(t[1])) for t in history or [] if isinstance(t, (list, tuple)) and len(t) == 2]
        return reply_json(final_reply(self.services, question, turns), question)

    def examples(self) -> gr.Dataset:
        """Example questions about what the store holds now (hidden when there are none)."""
        try:
            found = examples.example_questions(self.services.documents(), self.services.settings.samples_dir)
        except Exception:  # noqa: BLE001 - examples are a nicety: a store error shows in the documents tab
            log.exception("listing example questions failed")
            found = []
        return gr.Dataset(samples=[[q] for q in found], visible=bool(found))

    def build(self) -> ChatParts:
        settings = self.services.settings
        # No label: Gradio's floats over the messages when they scroll. No "copy": it would copy the HTML markup.
        chatbot = gr.Chatbot(show_label=False, height=560, elem_id="chatbot", latex_delimiters=[], allow_tags=False,
                             buttons=[], feedback_options=None, placeholder="문서에 대해 무엇이든 물어보세요 · "
                             "Ask anything about your documents")
        conversation = gr.State(None)
        with gr.Row(equal_height=True, elem_id="ask-row"):
            message = gr.Textbox(placeholder="질문하세요 · Ask a question", show_label=False, scale=8, min_width=200,
                                 elem_id="question", autofocus=True, lines=1, max_lines=6)
            send = gr.Button("보내기 · Send", variant="primary", scale=1, min_width=110, elem_id="send")
        samples = gr.Dataset(components=[message], samples=[], label="예시 질문 · Examples", visible=False,
                             elem_id="examples")
        with gr.Accordion("검색 과정 보기 · Retrieval inspector", open=False, elem_id="inspector"):
            with gr.Row():
                top_k = gr.Slider(1, 20, value=settings.top_k, step=1, label="top-k passages")
                gr.Textbox(render.backends_line(settings), label="Backends (RAG_LLM, RAG_EMBEDDINGS)", interactive=False,
                           elem_id="backends")
            searched = gr.Textbox(label="Searched for", interactive=False, elem_id="searched")
            passages = gr.Dataframe(headers=render.PASSAGE_HEADERS, datatype="str", interactive=False, wrap=True,
                                    elem_id="passages", column_widths=["5%", "25%", "10%", "10%", "10%", "40%"])
        samples.click(lambda sample: sample[0], inputs=[samples], outputs=[message], queue=False,
                      api_visibility="private")
        chat = dict(fn=self.respond, inputs=[message, chatbot, conversation, top_k],
                    outputs=[message, chatbot, conversation, searched, passages], concurrency_id="chat",
                    concurrency_limit=settings.concurrency, api_visibility="private")
        answered = [message.submit(**chat), send.click(**chat)]
        gr.api(self.ask, api_name="chat", concurrency_id="chat", concurrency_limit=settings.concurrency)
        gr.api(self.ask_json, api_name="ask", concurrency_id="chat", concurrency_limit=settings.concurrency)
        return ChatParts(chatbot, conversation, searched, passages, samples, answered)
