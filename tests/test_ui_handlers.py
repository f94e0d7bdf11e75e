"""The web app's handlers called directly, over real temporary stores: chat, follow-ups, uploads, deletes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import ROOT, make_settings
from ui import examples, render
from ui.app import build_demo, parse_auth
from ui.chat import ChatTab
from ui.documents import DocumentsTab
from ui.services import Services
from ui.uploads import uploads_folder

REFUSAL_KO = "제공된 문서에서 답을 찾을 수 없습니다."
ARTICLE = "\n\n".join([
    "# 솔바람 드론 학교, 강릉에서 문 열어",
    "솔바람 드론 학교가 2025년 4월 7일 강원 강릉시 경포동에서 개교식을 열었습니다. "
    "이 학교는 해안 산불 감시용 드론 조종사를 길러 내는 1년 과정의 직업 학교입니다.",
    "초대 교장은 드론 항법 연구자 출신의 한여름 박사가 맡았습니다. "
    "첫 기수 정원은 42명이며, 교육생 전원에게 매달 80만 원의 훈련 수당이 지급됩니다.",
])
QUESTION = "솔바람 드론 학교의 초대 교장은 누구인가요?"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Services:
    """The sample articles, ingested once for the read-only tests of this module."""
    tmp = tmp_path_factory.mktemp("seeded")
    return Services(make_settings(tmp, samples_dir=ROOT / "data" / "samples"))


@pytest.fixture
def empty(tmp_path) -> Services:
    return Services(make_settings(tmp_path, max_upload_files=3))


def final(generator) -> tuple:
    *_, last = generator
    return last


def write(folder: Path, name: str, text: str = ARTICLE) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return str(folder / name)


def test_nothing_is_opened_until_the_first_request(tmp_path):
    demo = build_demo(make_settings(tmp_path))
    assert demo.services._index is None
    assert not (tmp_path / "db").exists()


def test_importing_app_starts_nothing(tmp_path):
    code = "import app, socket; app.demo; print(type(app.demo).__name__)"
    env = os.environ | {"RAG_DB_DIR": str(tmp_path / "db"), "RAG_PORT": "1"}
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "Blocks", proc.stderr
    assert not (tmp_path / "db").exists()


def test_services_open_one_index_for_all_threads(tmp_path):
    services = Services(make_settings(tmp_path))
    with ThreadPoolExecutor(8) as pool:
        opened = list(pool.map(lambda _: services.index(), range(8)))
    assert all(index is opened[0] for index in opened)
    assert services.retriever().index is opened[0]


def test_chat_streams_a_cited_answer_and_fills_the_inspector(seeded):
    steps = list(ChatTab(seeded).respond("청하 청소년 AI 해커톤의 대상은 어느 팀이 받았나요?", [], [], 5))
    assert steps[0][1][-1]["content"] == '<div class="answer pending">…</div>'  # shown before the answer is ready
    box, messages, conversation, searched, rows = steps[-1]
    assert box == ""
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert "바다소리" in messages[-1]["content"]
    assert '<a class="cite-ref" href="#cite-1-1">[1]</a>' in messages[-1]["content"]
    assert "청하 청소년 AI 해커톤 폐막</strong>" in messages[-1]["content"]
    assert "<mark>" in messages[-1]["content"]
    [turn] = conversation["turns"]
    assert turn["question"] == "청하 청소년 AI 해커톤의 대상은 어느 팀이 받았나요?" and "바다소리" in turn["answer"]
    assert conversation["title"] == turn["question"] and turn["citations"][0]["n"] == 1
    assert messages[-1]["content"] == render.turn_html(turn, "1")  # reopening it later shows the same
    assert searched.startswith("청하 청소년 AI 해커톤의 대상은")
    assert len(rows) == 5 and rows[0][2] == "1"  # BM25 ranked the first passage first


def test_follow_up_is_searched_with_the_conversation_history(seeded):
    chat = ChatTab(seeded)
    _, messages, conversation, _, _ = final(chat.respond("청람 AI 아카데미는 언제 문을 열었나요?", [], None, 5))
    _, messages, conversation, searched, _ = final(chat.respond("그럼 누적 수료생은 몇 명인가요?", messages, conversation, 5))
    assert "청람" in searched  # the pronoun-free follow-up was rewritten with the earlier topic
    assert len(conversation["turns"]) == 2 and len(messages) == 4
    assert "312" in messages[-1]["content"]
    assert 'id="cite-2-1"' in messages[-1]["content"]  # the second answer's blocks do not clash with the first's


def test_top_k_slider_bounds_the_passages(seeded):
    *_, rows = final(ChatTab(seeded).respond("청람 AI 아카데미는 언제 문을 열었나요?", [], None, 2))
    assert len(rows) == 2


def test_blank_question_changes_nothing(seeded):
    [step] = list(ChatTab(seeded).respond("   ", [], None, 5))
    assert step[1] == [] and step[2] is None


def test_api_returns_the_answer_text(seeded):
    text = ChatTab(seeded).ask("When was AI Forward announced?")
    assert "February 27, 2024" in text and text.endswith("[1]")


def test_ask_json_returns_citations_that_resolve_to_stored_passages(seeded):
    data = ChatTab(seeded).ask_json("청하 청소년 AI 해커톤의 대상은 어느 팀이 받았나요?")
    assert {"question", "answer", "refused", "citations"} <= data.keys() and data["refused"] is False
    assert "바다소리" in data["answer"]
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", data["answer"])}
    assert cited and cited == {c["n"] for c in data["citations"]}
    stored = seeded.index().store.get_chunks([c["chunk_id"] for c in data["citations"]])
    for c in data["citations"]:
        text, meta = stored[c["chunk_id"]]
        assert c["text"].startswith(text.strip()[:200]) and meta["doc_id"] == c["doc_id"]
        assert c["title"] == meta["title"] and c["source"] == meta["source"]
    json.dumps(data)


def test_ask_json_uses_the_history_for_a_follow_up(seeded):
    first = ChatTab(seeded).ask_json("청람 AI 아카데미는 언제 문을 열었나요?")
    follow_up = ChatTab(seeded).ask_json("그럼 누적 수료생은 몇 명인가요?", [[first["question"], first["answer"]]])
    assert "312" in follow_up["answer"] and not follow_up["refused"]
    assert any("청람" in c["title"] for c in follow_up["citations"])
    odd = ChatTab(seeded).ask_json("청람 AI 아카데미는 언제 문을 열었나요?", [["only a question"], "not a pair"])
    assert "2021" in odd["answer"]  # malformed turns are skipped, not a crash


def test_ask_json_on_an_empty_store_says_why_in_the_same_shape(empty):
    data = ChatTab(empty).ask_json("When did it open?")
    assert data["refused"] is True and data["citations"] == [] and data["error"] == data["answer"]
    assert data["answer"].startswith("There are no documents to search yet")


def test_examples_are_the_samples_while_they_are_in_the_store(seeded):
    dataset = ChatTab(seeded).examples()
    assert dataset.visible is True
    assert [q for [q] in dataset.raw_samples] == list(examples.SAMPLE_QUESTIONS.values())


def test_examples_come_from_your_newest_documents_when_the_samples_are_absent(empty, tmp_path):
    docs, chat = DocumentsTab(empty), ChatTab(empty)
    assert chat.examples().visible is False  # nothing in the store: no examples at all
    docs.upload([write(tmp_path / "in", "양봉.md", "# 은하수 양봉 연구소, 꿀벌 AI 관제 시작\n\n"
                       "충북 옥천의 은하수 양봉 연구소는 2025년 5월 12일 벌통 온도를 예측하는 AI 관제 시스템을 도입했습니다.")])
    docs.upload([write(tmp_path / "in", "솔바람.md")])
    questions = [q for [q] in chat.examples().raw_samples]
    assert sorted(questions) == ["솔바람 드론 학교, 강릉에서 문 열어 — 무슨 내용인가요?",
                                 "은하수 양봉 연구소, 꿀벌 AI 관제 시작 — 무슨 내용인가요?"]
    reply = ChatTab(empty).ask_json("솔바람 드론 학교, 강릉에서 문 열어 — 무슨 내용인가요?")
    assert not reply["refused"] and reply["citations"][0]["title"] == "솔바람 드론 학교, 강릉에서 문 열어"


def test_empty_store_is_said_in_one_sentence(empty):
    reply = ChatTab(empty).ask("청람 AI 아카데미는 언제 문을 열었나요?")
    assert reply == "검색할 문서가 아직 없으니 문서 탭에서 파일이나 URL을 추가해 주세요."
    assert ChatTab(empty).ask("When did it open?").startswith("There are no documents to search yet")


def test_unreachable_llm_is_said_in_one_sentence(tmp_path):
    settings = make_settings(tmp_path, samples_dir=ROOT / "data" / "samples", llm="openai", llm_model="m",
                             llm_base_url="http://127.0.0.1:9/v1", llm_timeout=5)
    text = ChatTab(Services(settings)).ask("청람 AI 아카데미는 언제 문을 열었나요?")
    assert text.startswith("답변 모델에 연결할 수 없습니다: ") and "\n" not in text


def test_misconfigured_llm_is_said_in_one_sentence(tmp_path):
    services = Services(make_settings(tmp_path, samples_dir=ROOT / "data" / "samples", llm="openai"))
    assert ChatTab(services).ask("When was AI Forward announced?").startswith("The answer model is not set up: RAG_LLM=openai")


def test_upload_then_ask_then_delete(empty, tmp_path):
    docs, chat = DocumentsTab(empty), ChatTab(empty)
    log, table, page, summary, selected, cleared = docs.upload([write(tmp_path / "in", "솔바람 드론.md")])
    assert log == "added: 솔바람 드론 학교, 강릉에서 문 열어 (1 chunks) [솔바람 드론.md]"
    assert cleared is None and summary.startswith("1–1 / 1 · page 1 / 1")
    [[mark, title, source, chunks, _, doc_id]] = table.value["data"]
    assert (mark, title, source, chunks) == ("", "솔바람 드론 학교, 강릉에서 문 열어", "솔바람 드론.md", 1)
    assert "한여름" in chat.ask(QUESTION)  # the same shared index: no restart

    log, confirm, table, page, summary, selected = docs.delete("", "newest", 1, [doc_id])
    assert log == "deleted: 솔바람 드론 학교, 강릉에서 문 열어 (1 chunks)"
    assert table.value["data"] == [] and selected == [] and summary.startswith("문서 없음")
    assert chat.ask(QUESTION).startswith("검색할 문서가 아직 없으니")


def test_deleted_document_is_no_longer_an_answer_source(seeded, tmp_path):
    docs, chat = DocumentsTab(seeded), ChatTab(seeded)
    docs.upload([write(tmp_path / "in", "solbaram.md")])
    assert "한여름" in chat.ask(QUESTION)
    doc_id = next(d["doc_id"] for d in seeded.documents() if d["title"].startswith("솔바람"))
    docs.delete("", "newest", 1, [doc_id])
    assert chat.ask(QUESTION) == REFUSAL_KO


def test_upload_with_a_hostile_name_is_saved_inside_the_uploads_folder(empty, tmp_path):
    path = write(tmp_path / "in", 'evil "x" $(id).txt', "악성 이름 문서입니다. 이 문서는 안전하게 저장되어야 합니다.")
    log, table, *_ = DocumentsTab(empty).upload([path])
    folder = uploads_folder(empty.settings.db_dir)
    assert [p.name for p in folder.iterdir()] == ["evil x (id).txt"]
    assert log.startswith("added: ") and log.endswith("[evil x (id).txt]")
    assert table.value["data"][0][2] == "evil x (id).txt"
    assert [d["source"] for d in empty.documents()] == [str((folder / "evil x (id).txt").resolve())]


def test_reupload_of_the_same_file_is_unchanged_and_a_copy_is_a_duplicate(empty, tmp_path):
    docs = DocumentsTab(empty)
    docs.upload([write(tmp_path / "in", "a.md")])
    log, *_ = docs.upload([write(tmp_path / "again", "a.md"), write(tmp_path / "in", "b.md")])
    assert log.splitlines() == ["unchanged: 솔바람 드론 학교, 강릉에서 문 열어 (1 chunks) [a.md]",
                                "duplicate: b.md (same text as a.md)"]


def test_too_many_files_and_wrong_types_are_refused_with_a_line_each(empty, tmp_path):
    paths = [write(tmp_path / "in", f"{n}.txt", f"문서 {n}번의 본문입니다. 고유 단어 가나다{n}.") for n in range(1, 5)]
    paths.insert(0, write(tmp_path / "in", "tool.exe", "MZ"))  # five files, at most three per upload
    log, table, *_ = DocumentsTab(empty).upload(paths)
    lines = log.splitlines()
    assert lines[:3] == ["failed: tool.exe: unsupported file type .exe", "failed: 3.txt: more than 3 files in one upload",
                         "failed: 4.txt: more than 3 files in one upload"]
    assert [line.split(":")[0] for line in lines[3:]] == ["added"] * 2
    assert sorted(r[2] for r in table.value["data"]) == ["1.txt", "2.txt"]
    assert sorted(p.name for p in uploads_folder(empty.settings.db_dir).iterdir()) == ["1.txt", "2.txt"]


def test_a_bad_file_fails_alone(empty, tmp_path):
    log, table, *_ = DocumentsTab(empty).upload([write(tmp_path / "in", "blank.md", ""), write(tmp_path / "in", "ok.md")])
    assert log.splitlines()[0] == "failed: blank.md: empty file"
    assert log.splitlines()[1].startswith("added: ") and len(table.value["data"]) == 1


@pytest.mark.parametrize(("url", "line"), [("", "failed: URL: empty"),
                                           ("ftp://example.com/a.txt", "failed: ftp://example.com/a.txt: unsupported URL scheme ftp://")])
def test_bad_urls_are_refused(empty, url, line):
    log, table, *_, cleared = DocumentsTab(empty).add_url(url)
    assert log == line and table.value["data"] == [] and cleared == ""


def test_unreachable_url_fails_with_a_reason(empty):
    log, *_ = DocumentsTab(empty).add_url("http://127.0.0.1:9/article.html")
    assert log.startswith("failed: http://127.0.0.1:9/article.html: ")


def test_delete_of_an_unknown_document_says_so(empty):
    assert DocumentsTab(empty).delete("", "newest", 1, ["nope"])[0] == "failed: no document with id nope"


@pytest.mark.parametrize(("value", "pair"), [(None, None), ("", None), ("kim:s3cr:et", ("kim", "s3cr:et"))])
def test_parse_auth(value, pair):
    assert parse_auth(value) == pair


@pytest.mark.parametrize("value", ["nocolon", ":pw", "user:"])
def test_parse_auth_refuses_malformed_values(value):
    with pytest.raises(ValueError, match="user:password"):
        parse_auth(value)


def test_chats_share_one_concurrency_group_and_writes_run_one_at_a_time(tmp_path):
    settings = make_settings(tmp_path, concurrency=3)
    demo = build_demo(settings)
    groups = {}
    for fn in demo.fns.values():
        if fn.concurrency_id in ("chat", "ingest"):
            groups.setdefault(fn.concurrency_id, set()).add((fn.name, fn.concurrency_limit))
    assert groups["chat"] == {("respond", 3), ("ask", 3), ("ask_json", 3)}
    assert groups["ingest"] == {("upload", 1), ("add_url", 1), ("delete", 1), ("refetch", 1)}
    public = sorted(fn.api_name for fn in demo.fns.values() if fn.api_visibility == "public")
    assert public == ["ask", "chat"]
    endpoints = demo.get_api_info()["named_endpoints"]
    chat_api, ask_api = endpoints["/chat"], endpoints["/ask"]
    assert [p["python_type"]["type"] for p in chat_api["parameters"] + chat_api["returns"]] == ["str", "str"]
    assert [(p["parameter_name"], p["parameter_has_default"]) for p in ask_api["parameters"]] == [
        ("question", False), ("history", True)]
    assert "citations" in ask_api["description"]


def test_launch_binds_loopback_with_login_and_upload_limit(tmp_path):
    import httpx

    from conftest import _free_port
    from ui.app import launch

    settings = make_settings(tmp_path, port=_free_port(), auth="kim:pa:ss", max_file_mb=2)
    demo = build_demo(settings)
    try:
        launch(demo, settings, prevent_thread_lock=True, quiet=True)
        assert demo.server_name == "127.0.0.1" and demo.server_port == settings.port
        assert demo.max_file_size == 2 * 1024 * 1024
        base = f"http://127.0.0.1:{settings.port}"
        assert httpx.get(f"{base}/config").status_code == 401
        closed = httpx.get(f"{base}/v1/models")  # the login is not bypassed through the OpenAI-compatible API
        assert closed.status_code == 401 and "RAG_API_KEY" in closed.json()["error"]["message"]
        with httpx.Client(base_url=base) as client:
            assert client.post("/login", data={"username": "kim", "password": "wrong"}).status_code == 400
            assert client.post("/login", data={"username": "kim", "password": "pa:ss"}).status_code == 200
            assert client.get("/config").status_code == 200
    finally:
        demo.close()
    assert demo.services._index is None  # serving the page opened no store


def test_a_streaming_model_grows_the_answer_in_the_chat(tmp_path):
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    reply = "청람 AI 아카데미는 2021년 3월에 문을 열었습니다 [1]. 교육 기간은 24주입니다 [9]."
    model = GenericFakeChatModel(messages=iter([AIMessage(reply)]))  # streams word by word
    samples = tmp_path / "samples"
    samples.mkdir()
    shutil.copy(ROOT / "data" / "samples" / "ko-cheongram-ai-academy.md", samples)
    services = Services(make_settings(tmp_path, samples_dir=samples, llm="openai"), chat_model=model)
    steps = list(ChatTab(services).respond("청람 AI 아카데미는 언제 문을 열었나요?", [], [], 5))
    shown = [step[1][-1]["content"] for step in steps]
    partial = [html for html in shown if "2021년" in html and "</details>" not in html]
    assert len(partial) >= 3  # the answer appeared piece by piece before its sources
    assert all(len(a) <= len(b) for a, b in zip(partial, partial[1:]))
    assert "[9]" not in shown[-1]  # the invented citation was dropped by the answerer
    assert '<a class="cite-ref" href="#cite-1-1">[1]</a>' in shown[-1] and shown[-1].count("<details") == 1
