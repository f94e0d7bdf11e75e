"""The documents tab: upload files or a URL with per-file results, list what is indexed, delete a document."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from ingest.pipeline import IngestResult
from ingest.sources import SUPPORTED_SUFFIXES
from ingest.url_policy import web_sources
from ui import render, uploads
from ui.services import Services


class DocumentsTab:
    """Handlers of the documents tab; `build` lays it out inside the current Blocks."""

    def __init__(self, services: Services):
        self.services = services

    def listing(self):
        """The documents table and the delete dropdown, as they are now."""
        docs = self.services.documents()
        return render.document_rows(docs), gr.Dropdown(choices=render.document_choices(docs), value=None)

    def _ingest(self, sources: list[str], progress) -> list[str]:
        lines = []
        progress((0, len(sources)), desc="ingesting", unit="files")
        for done, result in enumerate(self.services.ingest(sources), 1):
            lines.append(render.result_line(result))
            progress((done, len(sources)), desc=lines[-1], unit="files")
        return lines

    def upload(self, files: list[str] | None, progress=gr.Progress()):  # noqa: B008 - Gradio's way to ask for a progress bar
        """Save the accepted files under safe names, ingest them one by one; a line per file."""
        settings = self.services.settings
        lines, saved = [], []
        for position, path in enumerate(files or [], 1):
            name = Path(path).name
            reason = uploads.refusal(name, position, settings.max_upload_files)
            if reason:
                lines.append(render.result_line(IngestResult(uploads.safe_filename(name), "failed", reason=reason)))
            else:
                saved.append(str(uploads.save_upload(path, uploads.uploads_folder(settings.db_dir))))
        lines += self._ingest(saved, progress)
        return "\n".join(lines), *self.listing(), None

    def add_url(self, url: str, progress=gr.Progress()):  # noqa: B008 - Gradio's way to ask for a progress bar
        """Download and ingest one http(s) URL."""
        sources, rejected = web_sources(url)  # http(s) only; the download refuses private addresses
        lines = [render.result_line(IngestResult(arg, "failed", reason=reason)) for arg, reason in rejected]
        lines += self._ingest(sources, progress)
        return "\n".join(lines), *self.listing(), ""

    def delete(self, doc_id: str | None):
        """Remove a document and its chunks; the next question no longer finds it."""
        doc_id = (doc_id or "").strip()
        known = {d["doc_id"]: d for d in self.services.documents()}
        if doc_id not in known:
            line = "Pick a document to delete first." if not doc_id else f"failed: no document with id {doc_id}"
            return line, *self.listing()
        removed = self.services.delete(doc_id)
        title = known[doc_id].get("title") or render.display_source(known[doc_id].get("source", ""))
        return f"deleted: {title} ({removed} chunks)", *self.listing()

    @staticmethod
    def pick(evt: gr.SelectData):
        """A click on a table row selects that document for deletion."""
        row = evt.row_value or []
        return row[-1] if row else gr.skip()

    def build(self) -> tuple[gr.Dataframe, gr.Dropdown]:
        """Lay out the tab; returns the table and dropdown, which the app fills when a page loads."""
        settings = self.services.settings
        types = sorted(SUPPORTED_SUFFIXES)
        files = gr.File(file_count="multiple", file_types=types, elem_id="upload", height=140,
                        label=f"파일 올리기 · Upload ({' '.join(types)}; ≤ {settings.max_file_mb:g} MB each, "
                              f"≤ {settings.max_upload_files} files)")
        with gr.Row():
            url = gr.Textbox(placeholder="https://…", label="URL", scale=5, elem_id="url")
            add = gr.Button("URL 추가 · Add URL", scale=1)
        log = gr.Textbox(label="결과 · Results", lines=3, max_lines=12, interactive=False, elem_id="ingest-log")
        table = gr.Dataframe(headers=render.DOCUMENT_HEADERS, datatype="str", interactive=False, wrap=True,
                             label="문서 · Documents (click a row to select it)", elem_id="documents")
        with gr.Row():
            chosen = gr.Dropdown(label="삭제할 문서 · Document to delete", allow_custom_value=True, scale=5,
                                 elem_id="delete-choice")
            delete = gr.Button("삭제 · Delete", variant="stop", scale=1, elem_id="delete")
        writes = dict(concurrency_id="ingest", concurrency_limit=1, api_visibility="private")
        files.upload(self.upload, inputs=[files], outputs=[log, table, chosen, files], **writes)
        add.click(self.add_url, inputs=[url], outputs=[log, table, chosen, url], **writes)
        url.submit(self.add_url, inputs=[url], outputs=[log, table, chosen, url], **writes)
        delete.click(self.delete, inputs=[chosen], outputs=[log, table, chosen], **writes)
        table.select(self.pick, outputs=[chosen], queue=False, api_visibility="private")
        return table, chosen
