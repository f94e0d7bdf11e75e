"""The past-chats panel: new chat, reopen, rename, delete and export the conversations kept in this browser.

Handlers take the open conversation (a gr.State) and the browser's store (a gr.BrowserState); those that open a
conversation (or none) return what `wire` calls `opened`: conversation, messages, store, list, title, inspector.
"""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from ui import conversations, export, render

# Runs in the browser after `export` filled the two hidden boxes: saves the Markdown as a file, no server copy.
DOWNLOAD_JS = """(markdown, name) => {
  if (!markdown) return;
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([markdown], {type: "text/markdown;charset=utf-8"}));
  link.download = name;
  document.body.appendChild(link);
  link.click();
  setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
}"""


def _chats(store: dict) -> gr.Radio:
    return gr.Radio(choices=conversations.choices(store), value=store["active"])


def _opened(conversation: dict | None, store: dict) -> tuple:
    """The `opened` outputs: conversation, chat messages, store, past-chats list, title box, inspector cleared."""
    title = conversation["title"] if conversation else ""
    return conversation, render.messages(conversation), store, _chats(store), title, "", []


class HistoryPanel:
    """Stateless handlers; the conversations live in the browser, the open one in the session."""

    @staticmethod
    def restore(saved: object) -> tuple:
        """On page load: the list of past chats, and the one that was open, reopened as it was."""
        store = conversations.normalised(saved)
        return _opened(conversations.find(store, store["active"]), store)

    @staticmethod
    def save(conversation: dict | None, saved: object) -> tuple:
        """After an answer: keep the conversation in the browser (store, list, title)."""
        if not conversation:
            return gr.skip(), gr.skip(), gr.skip()
        store = conversations.stored(saved, conversation)
        return store, _chats(store), conversation["title"]

    @staticmethod
    def open(conversation_id: str | None, saved: object) -> tuple:
        conversation = conversations.find(saved, conversation_id)
        if conversation is None:
            return _opened(None, conversations.deactivated(saved))
        return _opened(conversation, conversations.activated(saved, conversation["id"]))

    @staticmethod
    def new_chat(saved: object) -> tuple:
        return _opened(None, conversations.deactivated(saved))

    @staticmethod
    def rename(title: str, conversation: dict | None, saved: object) -> tuple:
        if not conversation or not (title or "").strip():
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        conversation = conversations.renamed(conversation, title)
        store = conversations.stored(saved, conversation)
        return conversation, store, _chats(store), conversation["title"]

    @staticmethod
    def delete(conversation: dict | None, saved: object) -> tuple:
        store = conversations.without(saved, conversation["id"]) if conversation else conversations.deactivated(saved)
        return _opened(None, store)

    @staticmethod
    def export(conversation: dict | None) -> tuple[str, str]:
        """The open conversation as Markdown and its file name, for DOWNLOAD_JS."""
        if not conversation or not conversation.get("turns"):
            gr.Info("내보낼 대화가 아직 없습니다 · Nothing to export yet: ask a question first.")
            return "", ""
        return export.to_markdown(conversation), export.file_name(conversation)


@dataclass
class PanelParts:
    new: gr.Button
    chats: gr.Radio
    title: gr.Textbox
    rename: gr.Button
    delete: gr.Button
    export: gr.Button
    markdown: gr.Textbox  # hidden: the export's text and file name, read by DOWNLOAD_JS
    name: gr.Textbox


def build_panel() -> PanelParts:
    """Lay out the panel (inside the app's sidebar)."""
    new = gr.Button("새 대화 · New chat", variant="primary", elem_id="new-chat")
    chats = gr.Radio(choices=[], label="지난 대화 · Past chats", elem_id="past-chats")
    title = gr.Textbox(label="이 대화의 제목 · This chat's title", max_lines=1, elem_id="chat-title")
    rename = gr.Button("이름 바꾸기 · Rename", size="sm", elem_id="rename-chat")
    with gr.Row(elem_id="chat-actions"):
        export_button = gr.Button("내보내기 · Export", size="sm", min_width=110, elem_id="export-chat")
        delete = gr.Button("삭제 · Delete", size="sm", variant="stop", min_width=90, elem_id="delete-chat")
    markdown = gr.Textbox(visible=False)
    name = gr.Textbox(visible=False)
    return PanelParts(new, chats, title, rename, delete, export_button, markdown, name)


def wire(panel: PanelParts, chat, saved: gr.BrowserState) -> list:
    """Connect the panel to the chat (a ChatParts); returns `opened`, the outputs a page load restores."""
    opened = [chat.conversation, chat.chatbot, saved, panel.chats, panel.title, chat.searched, chat.passages]
    quick = dict(queue=False, api_visibility="private", show_progress="hidden")
    for answered in chat.answered:
        answered.then(HistoryPanel.save, inputs=[chat.conversation, saved], outputs=[saved, panel.chats, panel.title],
                      **quick)
    for clears in (panel.new.click, chat.chatbot.clear):  # the chat's own trash button starts a new chat too
        clears(HistoryPanel.new_chat, inputs=[saved], outputs=opened, **quick)
    panel.chats.input(HistoryPanel.open, inputs=[panel.chats, saved], outputs=opened, **quick)
    for renames in (panel.rename.click, panel.title.submit):
        renames(HistoryPanel.rename, inputs=[panel.title, chat.conversation, saved],
                outputs=[chat.conversation, saved, panel.chats, panel.title], **quick)
    panel.delete.click(HistoryPanel.delete, inputs=[chat.conversation, saved], outputs=opened, **quick)
    panel.export.click(HistoryPanel.export, inputs=[chat.conversation], outputs=[panel.markdown, panel.name],
                       **quick).then(None, inputs=[panel.markdown, panel.name], js=DOWNLOAD_JS, **quick)
    return opened
