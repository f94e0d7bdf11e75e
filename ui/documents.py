"""The documents tab: upload files or a URL with per-file results; a searchable, paged table to delete or re-fetch."""

from __future__ import annotations

import logging
from pathlib import Path

import gradio as gr

from ingest.pipeline import IngestResult
from ingest.sources import SUPPORTED_SUFFIXES
from ingest.url_policy import web_sources
from rag.errors import user_message
from ui import doc_table, render, uploads
from ui.services import Services

log = logging.getLogger(__name__)


class DocumentsTab:
    """Handlers of the documents tab; `build` lays it out inside the current Blocks.

    The table's view travels as four inputs, `query, sort, page, selected`; handlers that change the store
    return the log line(s) and then the refreshed view (`table, page, summary, selected`).
    """

    def __init__(self, services: Services):
        self.services = services
        self._catalog: doc_table.Catalog | None = None

    def catalog(self) -> doc_table.Catalog:
        """The table's model of the registry as it is now, rebuilt only when the registry was read again."""
        documents = self.services.documents()
        if self._catalog is None or self._catalog.documents is not documents:
            self._catalog = doc_table.Catalog(documents)
        return self._catalog

    def listing(self, query: str = "", sort: str = "newest", page: float = 1, selected: list | None = None):
        """The table at this view, the page it landed on, the summary line and the selection still in the store."""
        try:
            catalog = self.catalog()
        except Exception as exc:  # noqa: BLE001 - the edge: a store that cannot be read becomes one line
            log.exception("listing documents failed")
            return [], 1, f"failed: {user_message(exc)}", list(selected or [])
        known = catalog.ids
        selected = [i for i in selected or [] if i in known]
        view = doc_table.page_of(catalog, query or "", sort, page, selected)
        return (gr.Dataframe(value=view.rows, headers=doc_table.HEADERS), view.page, view.summary(len(selected)),
                selected)

    def first_page(self, query: str, sort: str, selected: list):
        return self.listing(query, sort, 1, selected)

    def previous_page(self, query: str, sort: str, page: float, selected: list):
        return self.listing(query, sort, (page or 1) - 1, selected)

    def next_page(self, query: str, sort: str, page: float, selected: list):
        return self.listing(query, sort, (page or 1) + 1, selected)

    def pick(self, query: str, sort: str, page: float, selected: list, evt: gr.SelectData):
        """A click on a row selects or unselects that document."""
        row = evt.row_value or []
        if not row:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return self.listing(query, sort, page, doc_table.toggle(selected or [], str(row[-1])))

    def select_page(self, query: str, sort: str, page: float, selected: list):
        view = doc_table.page_of(self.catalog(), query or "", sort, page)
        return self.listing(query, sort, page, [*selected, *(i for i in view.ids if i not in selected)])

    def clear_selection(self, query: str, sort: str, page: float):
        return self.listing(query, sort, page, [])

    @staticmethod
    def ask_delete(selected: list):
        """Show the confirmation, naming how many documents would go; nothing is deleted yet."""
        if not selected:
            return "Select documents to delete first: click their rows.", gr.Column(visible=False), gr.skip()
        return "", gr.Column(visible=True), f"**{doc_table.confirmation(len(selected))}**"

    def delete(self, query: str, sort: str, page: float, selected: list, progress=gr.Progress()):  # noqa: B008 - Gradio's progress
        """Remove the selected documents and their chunks; the next question no longer finds them."""
        known = {d["doc_id"]: d for d in self.services.documents()}
        lines = []
        for done, doc_id in enumerate(selected or [], 1):
            progress((done - 1, len(selected)), desc="deleting", unit="documents")
            if doc_id not in known:
                lines.append(f"failed: no document with id {doc_id}")
                continue
            removed = self.services.delete(doc_id)
            lines.append(f"deleted: {render.document_name(known[doc_id])} ({removed} chunks)")
        return "\n".join(lines), gr.Column(visible=False), *self.listing(query, sort, page, [])

    @staticmethod
    def cancel_delete():
        return "", gr.Column(visible=False)

    def _ingest(self, sources: list[str], progress) -> list[str]:
        lines = []
        progress((0, len(sources)), desc="ingesting", unit="files")
        for done, result in enumerate(self.services.ingest(sources), 1):
            lines.append(render.result_line(result))
            progress((done, len(sources)), desc=lines[-1], unit="files")
        return lines

    def upload(self, files: list[str] | None, query: str = "", sort: str = "newest", page: float = 1,
               selected: list | None = None, progress=gr.Progress()):  # noqa: B008 - Gradio's way to ask for a progress bar
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
        return "\n".join(lines), *self.listing(query, sort, page, selected), None

    def add_url(self, url: str, query: str = "", sort: str = "newest", page: float = 1, selected: list | None = None,
                progress=gr.Progress()):  # noqa: B008 - Gradio's way to ask for a progress bar
        """Download and ingest one http(s) URL."""
        lines = self._url_lines(url, progress)
        return "\n".join(lines), *self.listing(query, sort, page, selected), ""

    def _url_lines(self, url: str | None, progress) -> list[str]:
        """Ingest one URL the web app accepts: one result line, or a line saying why not."""
        sources, rejected = web_sources(url)  # http(s) only; the download refuses private addresses
        lines = [render.result_line(IngestResult(arg, "failed", reason=reason)) for arg, reason in rejected]
        lines += self._ingest(sources, progress)
        return lines

    def refetch(self, query: str, sort: str, page: float, selected: list, progress=gr.Progress()):  # noqa: B008 - Gradio's progress
        """Download the selected URL documents again: `updated` when the page changed, `unchanged` when not."""
        known = {d["doc_id"]: d["source"] for d in self.services.documents()}
        urls = [known[i] for i in selected or [] if render.is_url(known.get(i, ""))]
        if not urls:
            return "Select URL documents to re-fetch first: click their rows.", *self.listing(query, sort, page, selected)
        lines = [line for url in urls for line in self._url_lines(url, progress)]  # the same checks as a new URL
        return "\n".join(lines), *self.listing(query, sort, page, selected)

    def build(self) -> tuple[list, list]:
        """Lay out the tab; returns the view's inputs and outputs, which the app refreshes when a page loads."""
        settings = self.services.settings
        types = " ".join(sorted(SUPPORTED_SUFFIXES))
        gr.Markdown(f"파일 올리기 · Upload: {types} · ≤ {settings.max_file_mb:g} MB each, "
                    f"≤ {settings.max_upload_files} files", elem_id="upload-help")
        # No file_types: Gradio would refuse other files with a bare "Error" badge; our own line names the reason.
        files = gr.File(file_count="multiple", elem_id="upload", height=120, label="파일 올리기 · Upload files",
                        show_label=False)
        with gr.Row(equal_height=True):
            url = gr.Textbox(placeholder="https://…", label="URL", scale=5, min_width=200, elem_id="url")
            add = gr.Button("URL 추가 · Add URL", scale=1, min_width=140, elem_id="add-url")
        results = gr.Textbox(label="결과 · Results", lines=2, max_lines=12, interactive=False, elem_id="ingest-log",
                             placeholder="한 파일에 한 줄 · one line per file")
        with gr.Row(equal_height=True, elem_id="documents-controls"):
            query = gr.Textbox(placeholder="제목·출처 검색 · Search title or source", show_label=False, scale=3,
                               min_width=200, elem_id="documents-search")
            sort = gr.Dropdown([(label, key) for key, label in doc_table.SORTS.items()], value="newest",
                               show_label=False, scale=1, min_width=160, elem_id="documents-sort")
        table = gr.Dataframe(headers=doc_table.HEADERS, datatype="str", interactive=False, wrap=True, max_height=760,
                             column_widths=doc_table.COLUMN_WIDTHS, elem_id="documents", show_label=False,
                             buttons=[])
        selected = gr.State([])
        with gr.Row(equal_height=True, elem_id="documents-pager"):
            previous = gr.Button("◀", size="sm", min_width=44, scale=0, elem_id="page-previous")
            page = gr.Number(value=1, precision=0, minimum=1, show_label=False, min_width=70, scale=0,
                             elem_id="page-number")
            following = gr.Button("▶", size="sm", min_width=44, scale=0, elem_id="page-next")
            summary = gr.Markdown(elem_id="documents-summary")
        with gr.Row(elem_id="selection-actions"):
            select_page = gr.Button("이 페이지 선택 · Select page", size="sm", min_width=150)
            clear = gr.Button("선택 해제 · Clear selection", size="sm", min_width=150)
            refetch = gr.Button("다시 가져오기 · Re-fetch URL", size="sm", min_width=150, elem_id="refetch")
            delete = gr.Button("선택 삭제 · Delete selected", variant="stop", size="sm", min_width=150, elem_id="delete")
        with gr.Column(visible=False, elem_id="delete-confirm") as confirm:
            question = gr.Markdown(elem_id="delete-question")
            with gr.Row():
                yes = gr.Button("삭제 확인 · Confirm delete", variant="stop", size="sm", elem_id="delete-yes")
                no = gr.Button("취소 · Cancel", size="sm", elem_id="delete-no")

        view = [query, sort, page, selected]
        shown = [table, page, summary, selected]
        quick = dict(queue=False, api_visibility="private", show_progress="hidden")
        writes = dict(concurrency_id="ingest", concurrency_limit=1, api_visibility="private")
        files.upload(self.upload, inputs=[files, *view], outputs=[results, *shown, files], **writes)
        for event in (add.click, url.submit):
            event(self.add_url, inputs=[url, *view], outputs=[results, *shown, url], **writes)
        query.change(self.first_page, inputs=[query, sort, selected], outputs=shown, trigger_mode="always_last", **quick)
        sort.change(self.first_page, inputs=[query, sort, selected], outputs=shown, **quick)
        page.submit(self.listing, inputs=view, outputs=shown, **quick)
        previous.click(self.previous_page, inputs=view, outputs=shown, **quick)
        following.click(self.next_page, inputs=view, outputs=shown, **quick)
        table.select(self.pick, inputs=view, outputs=shown, **quick)
        select_page.click(self.select_page, inputs=view, outputs=shown, **quick)
        clear.click(self.clear_selection, inputs=view[:3], outputs=shown, **quick)
        delete.click(self.ask_delete, inputs=[selected], outputs=[results, confirm, question], **quick)
        no.click(self.cancel_delete, outputs=[results, confirm], **quick)
        yes.click(self.delete, inputs=view, outputs=[results, confirm, *shown], **writes)
        refetch.click(self.refetch, inputs=view, outputs=[results, *shown], **writes)
        return view, shown
