"""The real app in a real browser: cited answers, upload -> ask -> delete, inert HTML, and the /chat API.

Runs `python app.py` on a free port with a temporary store (the sample articles are ingested on first use)
and drives Debian's chromium through Playwright; Playwright never downloads a browser here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import ROOT, _free_port

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)", allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402 - after the skip

SCREENSHOT = ROOT / "docs" / "screenshot.png"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WAIT_MS = 90_000  # the first question ingests the samples
REFUSAL_KO = "제공된 문서에서 답을 찾을 수 없습니다."

NEW_ARTICLE = "\n\n".join([
    "# 은하수 양봉 연구소, 꿀벌 AI 관제 시작",
    "충북 옥천의 은하수 양봉 연구소는 2025년 5월 12일 벌통 온도를 예측하는 AI 관제 시스템을 도입했습니다.",
    "은하수 양봉 연구소의 소장은 곤충생태학자 출신의 도하람 박사입니다. 연구소는 벌통 1,180개를 관리합니다.",
])
NEW_QUESTION = "은하수 양봉 연구소의 소장은 누구인가요?"
HOSTILE_ARTICLE = "\n\n".join([
    '# <img src=x onerror="window.__pwned=1;document.title=\'pwned\'"> 보라매 실험실',
    "보라매 실험실의 비밀 암호는 <script>window.__pwned=2;document.title='pwned'</script> 파랑새입니다.",
    '보라매 실험실에는 <img src=x onerror="window.__pwned=3"> 연구원 열한 명이 일합니다.',
])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """URL of `python app.py` serving a fresh store."""
    tmp = tmp_path_factory.mktemp("e2e")
    port = _free_port()
    env = os.environ | {"RAG_DB_DIR": str(tmp / "db"), "RAG_PORT": str(port), "RAG_HOST": "127.0.0.1",
                        "RAG_LLM": "extractive", "RAG_EMBEDDINGS": "hash", "RAG_AUTH": "",
                        "GRADIO_ANALYTICS_ENABLED": "False"}
    env.pop("RAG_AUTH")
    log = open(tmp / "app.log", "wb")
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, (tmp / "app.log").read_text(errors="replace")
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the app did not start"
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 1100}, locale="ko-KR")
    page = context.new_page()
    page.goto(server)
    expect(page.locator("#question textarea")).to_be_visible(timeout=WAIT_MS)
    yield page
    context.close()


def ask(page: Page, question: str):
    """Ask in the chat tab; the finished answer's element."""
    page.get_by_role("tab", name="채팅 · Chat").click()
    replies = page.locator("#chatbot .answer, #chatbot .notice")
    before = replies.count()
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()
    answer = replies.nth(before)
    expect(answer).not_to_have_class(re.compile("pending"), timeout=WAIT_MS)
    expect(answer).not_to_have_text("…", timeout=WAIT_MS)
    return answer


def upload(page: Page, name: str, text: str) -> str:
    """Upload one file in the documents tab; the results box afterwards."""
    page.get_by_role("tab", name="문서 · Documents").click()
    page.locator("#upload input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "text/markdown", "buffer": text.encode("utf-8")}]
    )
    log = page.locator("#ingest-log textarea")
    expect(log).to_have_value(re.compile(r"^(added|updated|failed)"), timeout=WAIT_MS)
    return log.input_value()


def test_korean_question_gets_a_cited_answer_with_clickable_source(page):
    answer = ask(page, "청람 AI 아카데미는 언제 문을 열었나요?")
    expect(answer).to_contain_text("2021년 3월")
    expect(answer.locator("a.cite-ref")).to_have_text("[1]")
    block = page.locator("#chatbot details.cite").first
    expect(block.locator("summary")).to_contain_text("청람정밀 사내 'AI 아카데미'")
    expect(block.locator("summary")).to_contain_text("ko-cheongram-ai-academy.md")
    assert not block.evaluate("e => e.open")
    answer.locator("a.cite-ref").click()
    expect(block).to_have_attribute("open", "")
    expect(block.locator("mark")).to_contain_text("2021년 3월 문을 연")

    follow_up = ask(page, "그럼 누적 수료생은 몇 명인가요?")  # answered only if the history reaches the answerer
    expect(follow_up).to_contain_text("312명")
    follow_up.locator("a.cite-ref").first.click()
    page.locator("#inspector").get_by_text("Retrieval inspector").click()
    expect(page.locator("#passages")).to_contain_text("청람정밀")
    expect(page.locator("#backends textarea")).to_have_value("LLM: extractive · embeddings: hash")
    expect(page.locator("#searched textarea")).to_have_value(re.compile("^청람 AI 아카데미 누적 수료생"))
    page.evaluate("document.fonts.ready")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_new_chat_clears_the_conversation(page):
    ask(page, "청하 청소년 AI 해커톤의 대상은 어느 팀이 받았나요?")
    page.locator("#new-chat").click()
    expect(page.locator("#chatbot .answer")).to_have_count(0)


def test_uploaded_document_answers_until_it_is_deleted(page):
    line = upload(page, "은하수 양봉.md", NEW_ARTICLE)
    assert line == "added: 은하수 양봉 연구소, 꿀벌 AI 관제 시작 (1 chunks) [은하수 양봉.md]"
    expect(page.locator("#documents")).to_contain_text("은하수 양봉.md")
    answer = ask(page, NEW_QUESTION)
    expect(answer).to_contain_text("도하람 박사")
    expect(page.locator("#chatbot details.cite summary").last).to_contain_text("은하수 양봉 연구소, 꿀벌 AI 관제 시작")

    page.get_by_role("tab", name="문서 · Documents").click()
    page.locator("#documents").get_by_text("은하수 양봉.md").click()  # selecting the row picks it for deletion
    expect(page.locator("#delete-choice input")).to_have_value(re.compile("은하수 양봉"))
    page.locator("#delete").click()
    expect(page.locator("#ingest-log textarea")).to_have_value(re.compile("^deleted: 은하수 양봉 연구소"), timeout=WAIT_MS)
    expect(page.locator("#documents")).not_to_contain_text("은하수 양봉.md")
    expect(ask(page, NEW_QUESTION)).to_have_text(REFUSAL_KO)


def test_html_inside_a_document_is_shown_as_text_and_never_runs(page):
    title = page.title()
    line = upload(page, '../../evil "x".md', HOSTILE_ARTICLE)
    assert line.startswith("added: ") and line.endswith("[evil x.md]")
    expect(page.locator("#documents")).to_contain_text('<img src=x onerror="window.__pwned=1')
    answer = ask(page, "보라매 실험실의 비밀 암호는 무엇인가요?")
    expect(answer).to_contain_text("<script>window.__pwned=2;document.title='pwned'</script> 파랑새입니다.")
    answer.locator("a.cite-ref").first.click()
    block = page.locator("#chatbot details.cite").last
    expect(block.locator("summary")).to_contain_text('<img src=x onerror="window.__pwned=1')
    expect(block).to_contain_text('<img src=x onerror="window.__pwned=3">')
    page.get_by_role("tab", name="문서 · Documents").click()
    page.wait_for_timeout(500)  # give any injected handler its chance to fire
    assert page.evaluate("window.__pwned") is None
    assert page.title() == title != "pwned"
    assert page.locator("#chatbot script, #chatbot img[src=x], #documents img[src=x]").count() == 0


def test_chat_api_returns_the_answer_text(server):
    from gradio_client import Client

    text = Client(server, verbose=False).predict("청하 청소년 AI 해커톤의 대상은 어느 팀이 받았나요?", api_name="/chat")
    assert isinstance(text, str) and "바다소리" in text and text.endswith("[1]")
