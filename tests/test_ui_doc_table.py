"""The documents table: search, sort and paging over thousands of records, selection, confirmed multi-delete, re-fetch."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import make_settings
from rag.store import Store
from ui import doc_table
from ui.documents import DocumentsTab
from ui.services import Services


def record(i: int, **extra) -> dict:
    return {"doc_id": f"d{i:05d}", "title": f"문서 {i} AI talent", "source": f"/srv/db/uploads/file-{i}.md", "chunks": i % 7,
            "ingested_at": f"2026-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}+00:00"} | extra


MANY = [record(i) for i in range(1234)]


def test_newest_first_by_default_even_across_time_zones():
    docs = [record(1, ingested_at="2024-01-02T03:04:05+00:00"), record(2, ingested_at="2025-06-07T08:09:10+09:00"),
            record(3, ingested_at="2025-06-06T23:30:00+00:00")]
    assert [r[-1] for r in doc_table.page_of(docs).rows] == ["d00003", "d00002", "d00001"]  # 23:30 UTC is after 23:09 UTC
    assert [r[-1] for r in doc_table.page_of(docs, sort="oldest").rows] == ["d00001", "d00002", "d00003"]


def test_pages_hold_page_size_rows_and_say_where_they_are():
    view = doc_table.page_of(MANY, page=2)
    assert len(view.rows) == doc_table.PAGE_SIZE and view.pages == 62 and view.page == 2
    assert view.rows[0][-1] == "d01213"  # newest first: 1233 is on page 1 with the 19 before it
    assert view.summary(3) == "21–40 / 1,234 · page 2 / 62 · 선택 3 · 3 selected"
    last = doc_table.page_of(MANY, page=999)  # clamped, not empty
    assert last.page == 62 and len(last.rows) == 1234 - 61 * doc_table.PAGE_SIZE


def test_search_matches_title_or_file_name_case_insensitively_and_counts_the_matches():
    view = doc_table.page_of(MANY, query="FILE-12")  # file-12, file-120..129, file-1200..1233
    assert view.matching == 1 + 10 + 34 and view.total == 1234
    assert all("file-12" in r[2] for r in view.rows)
    assert "(전체 1,234)" in view.summary(0)
    assert doc_table.page_of(MANY, query="문서 777 TALENT").matching == 1  # every word must occur
    assert doc_table.page_of(MANY, query="srv").matching == 0  # the server's folders are not searchable: not shown
    assert doc_table.page_of(MANY, query="없는 말").summary(0).startswith("일치하는 문서 없음")


def test_rows_show_file_names_and_marks_never_server_paths():
    [row] = doc_table.page_of([record(5, title="")], selected=["d00005"]).rows
    assert row == ["✓", "", "file-5.md", 5, "2026-01-01 00:00", "d00005"]
    url = record(6, source="https://example.com/post?id=1")
    assert doc_table.page_of([url]).rows[0][2] == "https://example.com/post?id=1"


@pytest.mark.parametrize(("sort", "first"), [("title", "d00000"), ("source", "d00000"), ("oldest", "d00000"),
                                             ("newest", "d01233")])
def test_sorts(sort, first):
    assert doc_table.page_of(MANY, sort=sort).rows[0][-1] == first


def test_toggle_and_confirmation_name_how_many():
    assert doc_table.toggle(doc_table.toggle([], "a"), "b") == ["a", "b"]
    assert doc_table.toggle(["a", "b"], "a") == ["b"]
    assert doc_table.confirmation(3) == "선택한 문서 3개를 삭제할까요? · Delete 3 selected documents?"
    assert doc_table.confirmation(1).endswith("Delete 1 selected document?")


# The tab's handlers over a real store ---------------------------------------------------------------------------


def write(folder, name: str, text: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return str(folder / name)


@pytest.fixture
def stocked(tmp_path) -> tuple[DocumentsTab, list[str]]:
    """A store of 25 small documents uploaded through the tab."""
    tab = DocumentsTab(Services(make_settings(tmp_path, max_upload_files=30)))
    paths = [write(tmp_path / "in", f"report-{i:02d}.md", f"# 보고서 {i:02d}\n\n고유한 사실 번호 {i}번은 가나{i}입니다.")
             for i in range(25)]
    log, *_ = tab.upload(paths)
    assert log.count("added: ") == 25
    return tab, paths


def test_search_paging_and_selection_through_the_handlers(stocked):
    tab, _ = stocked
    table, page, summary, selected = tab.listing("", "newest", 1, [])
    assert len(table.value["data"]) == doc_table.PAGE_SIZE and page == 1 and summary.startswith("1–20 / 25")
    table, page, summary, _ = tab.next_page("", "newest", 1, [])
    assert page == 2 and len(table.value["data"]) == 5 and summary.startswith("21–25 / 25 · page 2 / 2")
    table, page, summary, _ = tab.first_page("report-0", "title", [])
    assert [row[1] for row in table.value["data"]] == [f"보고서 {i:02d}" for i in range(10)]
    ids = [row[-1] for row in table.value["data"]]
    *_, selected = tab.select_page("report-0", "title", 1, [])
    assert selected == ids
    table, _, summary, selected = tab.clear_selection("report-0", "title", 1)
    assert selected == [] and summary.endswith("0 selected") and all(row[0] == "" for row in table.value["data"])


def test_delete_asks_first_naming_how_many_then_removes_only_those(stocked):
    tab, _ = stocked
    table, *_ = tab.first_page("report-1", "title", [])  # report-10..19
    doomed = [row[-1] for row in table.value["data"]][:3]
    log, confirm, question = tab.ask_delete(doomed)
    assert confirm.visible is True and "3개" in question and "Delete 3 selected documents?" in question
    assert len(tab.services.documents()) == 25  # asking deleted nothing
    log, confirm = tab.cancel_delete()
    assert confirm.visible is False and len(tab.services.documents()) == 25

    log, confirm, table, page, summary, selected = tab.delete("", "newest", 1, doomed)
    assert log.splitlines() == [f"deleted: 보고서 1{i} (1 chunks)" for i in range(3)]
    assert confirm.visible is False and selected == [] and summary.startswith("1–20 / 22")
    left = {d["doc_id"] for d in tab.services.documents()}
    assert len(left) == 22 and not left & set(doomed)


def test_delete_with_nothing_selected_says_how_to_select(stocked):
    tab, _ = stocked
    log, confirm, _ = tab.ask_delete([])
    assert log.startswith("Select documents to delete first") and confirm.visible is False


def test_a_change_by_another_writer_shows_at_the_next_refresh(stocked, tmp_path):
    tab, _ = stocked
    assert tab.listing()[2].startswith("1–20 / 25")
    other = Store(tab.services.settings)  # another process's view of the same store
    doc_id = tab.services.documents()[0]["doc_id"]
    other.bump_revision()
    other.remove_document(doc_id)
    other.bump_revision()
    assert tab.listing()[2].startswith("1–20 / 24")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _Pages:
    """A local web server whose page text the test changes between fetches."""

    def __init__(self, folder):
        self.folder = folder
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/{name}"


def test_refetch_updates_a_changed_url_document_and_skips_files(tmp_path):
    # Loopback URLs are allowed here on purpose: the URL policy of the web app is tested with the policy itself.
    tab = DocumentsTab(Services(make_settings(tmp_path, url_allow_private=True)))
    pages = _Pages(tmp_path / "site")
    write(tmp_path / "site", "post.txt", "첫 번째 판\n\n이 글의 첫 판은 사과 이야기를 합니다.")
    try:
        log, *_ = tab.add_url(pages.url("post.txt"))
        assert log.startswith("added: 첫 번째 판"), log
        tab.upload([write(tmp_path / "in", "local.md", "# 로컬 파일\n\n파일은 다시 가져올 수 없습니다.")])
        everything = [d["doc_id"] for d in tab.services.documents()]

        log, *_ = tab.refetch("", "newest", 1, everything)
        assert log.splitlines() == [f"unchanged: 첫 번째 판 (1 chunks) [{pages.url('post.txt')}]"]
        write(tmp_path / "site", "post.txt", "두 번째 판\n\n고쳐 쓴 글은 배 이야기를 합니다.")
        log, table, *_ = tab.refetch("", "newest", 1, everything)
        assert log.startswith("updated: 두 번째 판 (1 chunks)")
        assert "두 번째 판" in [row[1] for row in table.value["data"]]
        local = [d["doc_id"] for d in tab.services.documents() if d["source"].endswith("local.md")]
        assert tab.refetch("", "newest", 1, local)[0].startswith("Select URL documents to re-fetch first")
    finally:
        pages.server.shutdown()


def test_own_examples_name_the_newest_three_titled_documents(tmp_path):
    from ui.examples import example_questions

    docs = [record(i, title=f"문서 {i} 인재 양성") for i in range(5)] + [record(9, title="")]
    assert example_questions(docs, tmp_path) == [f"문서 {i} 인재 양성 — 무슨 내용인가요?" for i in (4, 3, 2)]
    assert example_questions([record(1, title="Harlow Valley opens an AI school")], tmp_path) == [
        "What is 'Harlow Valley opens an AI school' about?"]
    assert example_questions([], tmp_path) == []


def test_documents_of_the_same_second_follow_their_file_names():
    same = [record(i, ingested_at="2026-01-01T00:00:00+00:00") for i in (3, 1, 2)]
    assert [r[2] for r in doc_table.page_of(same).rows] == ["file-1.md", "file-2.md", "file-3.md"]
    assert [r[2] for r in doc_table.page_of(same, sort="oldest").rows] == ["file-1.md", "file-2.md", "file-3.md"]
