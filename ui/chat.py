"""The chat tab: streamed, cited answers, follow-ups with history, a retrieval inspector, and the /chat API."""

# No `from __future__ import annotations`: gr.api reads the /chat endpoint's types from live annotations.
import logging
from collections.abc import Iterator

import gradio as gr

from answer.errors import AnswerError
from answer.types import Answer, AnswerDelta
from rag.korean import detect_language
from ui import notices, render
from ui.services import Services

log = logging.getLogger(__name__)

EXAMPLES = [
    "청람 AI 아카데미는 언제 문을 열었나요?",
    "청하 청소년 AI 해커톤의 대상은 어느 팀이 받았나요?",
    "AI 마이스터 부트캠프 1기에서 과정을 마친 사람은 몇 명인가요?",
    "How many apprentices were in the first Harlow Valley cohort?",
]


def replies(services: Services, question: str, turns: list, top_k: int | None) -> Iterator[AnswerDelta | Answer | str]:
    """The answerer's stream, or one sentence (a str) when there is nothing to search or the answer fails."""
    language = detect_language(question)
    try:
        if not services.has_documents():
            yield notices.empty_store(language)
            return
        history = [(q, a) for q, a in turns or []]
        yield from services.answerer(top_k).stream(question, history=history or None)
    except Exception as exc:  # noqa: BLE001 - the edge: any failure becomes one sentence in the chat
        if not isinstance(exc, AnswerError):
            log.exception("answering %r failed", question)
        yield notices.failure(exc, language)


def searched_line(answer: Answer) -> str:
    t = answer.timings_ms
    timing = f"retrieve {t.get('retrieve', 0):.0f} ms, total {t.get('total', 0):.0f} ms"
    return f"{answer.standalone_question or answer.question}  ({timing})"


class ChatTab:
    """Handlers of the chat tab; `build` lays it out inside the current Blocks."""

    def __init__(self, services: Services):
        self.services = services

    def respond(self, message: str, messages: list, turns: list, top_k: int):
        """Stream the answer into the chat; remember the turn and fill the inspector once it is final."""
        question = (message or "").strip()
        if not question:
            yield message, messages, turns, gr.skip(), gr.skip()
            return
        key = str(len(turns) + 1)  # unique within one conversation: the ids of this answer's source blocks
        messages = [*messages, {"role": "user", "content": render.question_html(question)},
                    {"role": "assistant", "content": render.pending_html()}]
        yield "", messages, turns, gr.skip(), gr.skip()
        reply = None
        for reply in replies(self.services, question, turns, top_k):
            messages = [*messages[:-1], {"role": "assistant", "content": render.answer_html(reply, key)}]
            yield "", messages, turns, gr.skip(), gr.skip()
        if isinstance(reply, Answer):
            turns = [*turns, [question, reply.answer]]
            yield "", messages, turns, searched_line(reply), render.passage_rows(reply.passages)

    def ask(self, message: str) -> str:
        """Answer one question without history; the answer text with its [n] markers."""
        *_, reply = replies(self.services, (message or "").strip(), [], None)
        return reply if isinstance(reply, str) else reply.text

    @staticmethod
    def new_chat():
        return [], [], "", []

    def build(self) -> None:
        settings = self.services.settings
        chatbot = gr.Chatbot(label="대화 · Chat", height=520, elem_id="chatbot", latex_delimiters=[], allow_tags=False,
                             buttons=[], feedback_options=None)  # "copy" would copy the HTML markup
        turns = gr.State([])
        with gr.Row():
            message = gr.Textbox(placeholder="문서에 대해 질문하세요 · Ask about your documents", show_label=False,
                                 scale=8, elem_id="question", autofocus=True)
            send = gr.Button("보내기 · Send", variant="primary", scale=1, elem_id="send")
            new = gr.Button("새 대화 · New chat", scale=1, elem_id="new-chat")
        gr.Examples(EXAMPLES, inputs=[message], label="예시 질문 · Examples")
        with gr.Accordion("검색 과정 보기 · Retrieval inspector", open=False, elem_id="inspector"):
            with gr.Row():
                top_k = gr.Slider(1, 20, value=settings.top_k, step=1, label="top-k passages")
                gr.Textbox(render.backends_line(settings), label="Backends (RAG_LLM, RAG_EMBEDDINGS)", interactive=False,
                           elem_id="backends")
            searched = gr.Textbox(label="Searched for", interactive=False, elem_id="searched")
            passages = gr.Dataframe(headers=render.PASSAGE_HEADERS, datatype="str", interactive=False, wrap=True,
                                    elem_id="passages", column_widths=["5%", "25%", "10%", "10%", "10%", "40%"])
        chat = dict(fn=self.respond, inputs=[message, chatbot, turns, top_k],
                    outputs=[message, chatbot, turns, searched, passages], concurrency_id="chat",
                    concurrency_limit=settings.concurrency, api_visibility="private")
        message.submit(**chat)
        send.click(**chat)
        for clears in (new.click, chatbot.clear):  # the chat's own trash button must forget the history too
            clears(self.new_chat, outputs=[chatbot, turns, searched, passages], queue=False, api_visibility="private")
        gr.api(self.ask, api_name="chat", concurrency_id="chat", concurrency_limit=settings.concurrency)
