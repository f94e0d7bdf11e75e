"""Composes the tabs into one Blocks app and launches it with the configured address, login and limits."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from rag.settings import Settings, get_settings
from ui.chat import ChatTab
from ui.documents import DocumentsTab
from ui.services import Services

ASSETS = Path(__file__).parent / "assets"
# System fonts only: no request to Google Fonts, and Noto CJK renders the Korean.
FONTS = ["Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", "sans-serif"]


def build_demo(settings: Settings | None = None, services: Services | None = None) -> gr.Blocks:
    """The app; nothing is opened until the first request (the services are built lazily)."""
    services = services or Services(settings or get_settings())
    with gr.Blocks(title="문서 Q&A · RAG chat", analytics_enabled=False) as demo:
        gr.Markdown("## 문서 Q&A · Ask your documents")
        with gr.Tabs():
            with gr.Tab("채팅 · Chat", id="chat"):
                ChatTab(services).build()
            with gr.Tab("문서 · Documents", id="documents"):
                documents = DocumentsTab(services)
                table, chosen = documents.build()
        demo.load(documents.listing, outputs=[table, chosen], api_visibility="private")
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
    """Serve on RAG_HOST:RAG_PORT; chats run `concurrency` at a time, ingests and deletes one at a time."""
    settings = settings or get_settings()
    auth = parse_auth(settings.auth.get_secret_value() if settings.auth else None)
    demo.queue(default_concurrency_limit=settings.concurrency)
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
    )
    demo.launch(**(options | overrides))
