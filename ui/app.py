"""Composes the tabs into one Blocks app and launches it with the configured address, login, limits and API."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from rag.settings import Settings, get_settings
from ui import conversations, history
from ui.chat import ChatTab
from ui.documents import DocumentsTab
from ui.services import Services

ASSETS = Path(__file__).parent / "assets"
# System fonts only: no request to Google Fonts, and Noto CJK renders the Korean.
FONTS = ["Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", "sans-serif"]
# Where the browser keeps its conversations. Gradio encrypts the value with this key, which the page itself
# must know: it keeps the text from casual view, but the protection is the browser's own per-site storage.
STORAGE_KEY = "rag-chat-conversations"
STORAGE_SECRET = "rag-chat-conversations-v1"
# Gradio's Korean translation lacks these: a screen reader would hear "common.complete".
KOREAN_GAPS = {"common.complete": "완료", "common.retry": "다시 시도", "common.cancel": "취소", "common.like": "좋아요",
               "common.dislike": "싫어요", "common.copy_message": "메시지 복사", "common.copied_message": "메시지 복사됨"}


def build_demo(settings: Settings | None = None, services: Services | None = None) -> gr.Blocks:
    """The app; nothing is opened until the first request (the services are built lazily)."""
    services = services or Services(settings or get_settings())
    chat_tab, documents_tab = ChatTab(services), DocumentsTab(services)
    with gr.Blocks(title="문서 Q&A · RAG chat", analytics_enabled=False) as demo:
        saved = gr.BrowserState(conversations.EMPTY, storage_key=STORAGE_KEY, secret=STORAGE_SECRET)
        with gr.Sidebar(width=300, elem_id="history"):
            panel = history.build_panel()
        gr.Markdown("## 문서 Q&A · Ask your documents", elem_id="app-title")
        with gr.Tabs():
            with gr.Tab("채팅 · Chat", id="chat") as chat_page:
                chat = chat_tab.build()
            with gr.Tab("문서 · Documents", id="documents") as documents_page:
                view, shown = documents_tab.build()
        opened = history.wire(panel, chat, saved)
        private = dict(api_visibility="private", show_progress="hidden")
        demo.load(history.HistoryPanel.restore, inputs=[saved], outputs=opened, queue=False, **private)
        demo.load(chat_tab.examples, outputs=[chat.examples], **private)
        demo.load(documents_tab.listing, inputs=view, outputs=shown, **private)
        chat_page.select(chat_tab.examples, outputs=[chat.examples], **private)
        documents_page.select(documents_tab.listing, inputs=view, outputs=shown, **private)
    demo.services = services  # the shared instance, for tests and tools
    return demo


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """'user:password' as Gradio's (user, password); None when unset."""
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ValueError("RAG_AUTH must look like user:password")
    return user, password


def launch(demo: gr.Blocks, settings: Settings | None = None, **overrides) -> None:
    """Serve on RAG_HOST:RAG_PORT, with the OpenAI-compatible API beside the UI; chats run `concurrency` at a time,
    ingests and deletes one at a time."""
    from gradio.routes import App

    from ui.openai_api import openai_router

    settings = settings or get_settings()
    auth = parse_auth(settings.auth.get_secret_value() if settings.auth else None)
    demo.queue(default_concurrency_limit=settings.concurrency)
    server = App()  # Gradio's own FastAPI app, given our routes first: how Gradio's Server mode adds routes too
    server.include_router(openai_router(demo.services))
    options = dict(
        server_name=settings.host,
        server_port=settings.port,
        auth=auth,
        max_file_size=settings.max_bytes,
        max_threads=max(40, 2 * settings.concurrency + 8),
        theme=gr.themes.Soft(font=FONTS, font_mono=["Noto Sans Mono CJK KR", "monospace"]),
        css=(ASSETS / "app.css").read_text(encoding="utf-8"),
        js=(ASSETS / "app.js").read_text(encoding="utf-8"),
        footer_links=["api"],
        i18n=gr.I18n(ko=KOREAN_GAPS),
        _app=server,
    )
    demo.launch(**(options | overrides))
