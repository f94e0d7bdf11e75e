"""The real app in a real browser: cited answers, conversations that survive a reload, export, the documents table
(search, paging, multi-delete with confirmation), closest passages on a refusal, inert HTML, the 390 px layout.

Runs `python app.py` on a free port with a temporary store (the sample articles are ingested on first use) and
drives Debian's chromium through Playwright; Playwright never downloads a browser here. Screenshots go to a
temporary folder (printed with -s); `python tests/readme_screenshot.py` refreshes docs/screenshot.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from app_process import running_app

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402 - after the skip

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WAIT_MS = 90_000  # the first question ingests the samples
REFUSAL_KO = "제공된 문서에서 답을 찾을 수 없습니다."
WIDE, PHONE = {"width": 1400, "height": 1000}, {"width": 390, "height": 844}

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


# Checks run in the page.
ICON_COVERED = """() => { const icon = document.querySelector('#upload .icon-wrap svg'); const b = icon.getBoundingClientRect();
    return !icon.contains(document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2)); }"""
PLACEHOLDER_FITS = """e => { const c = document.createElement('canvas').getContext('2d'); const s = getComputedStyle(e);
    c.font = `${s.fontSize} ${s.fontFamily}`;
    return c.measureText(e.placeholder).width <= e.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); }"""
HEADERS_INSIDE = """() => { const box = document.querySelector('#documents .table-wrap').getBoundingClientRect();
    const headers = Array.from(document.querySelectorAll('#documents thead th'));
    return headers.every(th => th.getBoundingClientRect().right <= box.right + 1); }"""
SHOWN_CELLS = """r => Array.from(r.children).filter(c => getComputedStyle(c).display !== 'none').map(c => {
    const b = c.getBoundingClientRect(); return [b.left >= 0 && b.right <= window.innerWidth + 1, c.textContent.trim()]; })"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """URL of `python app.py` serving a fresh store (up to 30 files per upload, for the paging test)."""
    with running_app(tmp_path_factory.mktemp("e2e"), RAG_MAX_UPLOAD_FILES="30") as url:
        yield url


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"\nscreenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser: Browser, server: str, viewport: dict = WIDE) -> Page:
    """A new browser context (its own localStorage: another browser, as far as the app can tell) on the app."""
    context = browser.new_context(viewport=viewport, locale="ko-KR")
    page = context.new_page()
    page.goto(server)
    expect(page.locator("#question textarea")).to_be_visible(timeout=WAIT_MS)
    return page


@pytest.fixture
def page(browser, server) -> Page:
    page = open_page(browser, server)
    yield page
    page.context.close()


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


def upload(page: Page, files: dict[str, str]) -> str:
    """Upload files (name -> text) in the documents tab; the results box afterwards."""
    page.get_by_role("tab", name="문서 · Documents").click()
    page.locator("#upload input[type=file]").set_input_files(files=[
        {"name": name, "mimeType": "text/markdown", "buffer": text.encode("utf-8")} for name, text in files.items()])
    log = page.locator("#ingest-log textarea")
    expect(log).to_have_value(re.compile(r"^(added|updated|failed)"), timeout=WAIT_MS)
    expect(log).to_have_value(re.compile(rf"^(.+\n){{{len(files) - 1}}}.+$"), timeout=WAIT_MS)  # a line per file
    return log.input_value()


def search_documents(page: Page, text: str) -> None:
    page.get_by_role("tab", name="문서 · Documents").click()
    page.locator("#documents-search textarea").fill(text)
    expect(page.locator("#documents-summary")).to_contain_text(re.compile(r"전체|no matching"), timeout=WAIT_MS)


def click_row(page: Page, text: str) -> None:
    """Click the documents table's row holding `text` (selects or unselects it)."""
    page.locator("#documents .virtual-row", has_text=text).first.click()


def delete_selected(page: Page, count: int) -> str:
    """Press delete, check the confirmation names `count`, confirm; the results box afterwards."""
    page.locator("#delete").click()
    confirm = page.locator("#delete-confirm")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text(f"{count}개를 삭제할까요? · Delete {count} selected document")
    page.locator("#delete-yes").click()
    log = page.locator("#ingest-log textarea")
    expect(log).to_have_value(re.compile(r"^deleted: "), timeout=WAIT_MS)
    expect(confirm).to_be_hidden()
    return log.input_value()


def line_count(page: Page, selector: str) -> int:
    """How many lines of text the element's content takes (1 = no wrap)."""
    return page.evaluate("""sel => { const range = document.createRange(); range.selectNodeContents(document.querySelector(sel));
        return new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top))).size; }""",
                         selector)


def test_korean_question_gets_a_cited_answer_with_clickable_source(page, shots):
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
    page.screenshot(path=str(shots / "chat-1400.png"), full_page=True)


def test_a_conversation_survives_a_reload_and_stays_in_its_own_browser(browser, server):
    page = open_page(browser, server)
    try:
        ask(page, "청하 청소년 AI 해커톤의 대상은 어느 팀이 받았나요?")
        ask(page, "그 팀은 무엇을 만들었나요?")
        chats = page.locator("#past-chats label")
        expect(chats.first).to_have_text("청하 청소년 AI 해커톤의 대상은 어느 팀이 받았나요?")
        page.reload()
        expect(page.locator("#chatbot .answer")).to_have_count(2, timeout=WAIT_MS)  # reopened as it was
        expect(page.locator("#chatbot .answer").first).to_contain_text("바다소리")
        expect(page.locator("#chat-title input, #chat-title textarea").first).to_have_value(
            "청하 청소년 AI 해커톤의 대상은 어느 팀이 받았나요?")
        page.locator("#chatbot a.cite-ref").first.click()  # the citations still open their passages
        expect(page.locator("#chatbot details.cite").first).to_have_attribute("open", "")

        page.locator("#new-chat").click()
        expect(page.locator("#chatbot .answer")).to_have_count(0)
        ask(page, "청람 AI 아카데미는 언제 문을 열었나요?")
        expect(chats).to_have_count(2)
        expect(chats.first).to_have_text("청람 AI 아카데미는 언제 문을 열었나요?")  # newest first
        chats.nth(1).click()
        expect(page.locator("#chatbot .answer")).to_have_count(2)
        expect(page.locator("#chatbot .answer").first).to_contain_text("바다소리")

        stranger = open_page(browser, server)  # another browser: none of this one's chats
        try:
            stranger.wait_for_timeout(1500)
            expect(stranger.locator("#past-chats label")).to_have_count(0)
            expect(stranger.locator("#chatbot .answer")).to_have_count(0)
        finally:
            stranger.context.close()
    finally:
        page.context.close()


def test_rename_export_and_delete_a_conversation(page):
    ask(page, "청람 AI 아카데미는 언제 문을 열었나요?")
    expect(page.locator("#past-chats label").first).to_have_text("청람 AI 아카데미는 언제 문을 열었나요?")  # saved
    title = page.locator("#chat-title input, #chat-title textarea").first
    title.fill("아카데미 메모")
    page.locator("#rename-chat").click()
    expect(page.locator("#past-chats label").first).to_have_text("아카데미 메모")

    with page.expect_download() as download:
        page.locator("#export-chat").click()
    assert download.value.suggested_filename.endswith("아카데미 메모.md")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# 아카데미 메모\n")
    assert "## 1. 청람 AI 아카데미는 언제 문을 열었나요?" in text and "2021년 3월" in text
    assert "[1] **청람정밀 사내 'AI 아카데미', 문 연 지 3년 만에 수료생 300명 넘었다** — ko-cheongram-ai-academy.md" in text
    assert re.search(r"^> .*2021년 3월 문을 연", text, re.M)  # the quoted passage

    page.locator("#delete-chat").click()
    expect(page.locator("#past-chats label")).to_have_count(0)
    expect(page.locator("#chatbot .answer")).to_have_count(0)
    page.reload()
    expect(page.locator("#question textarea")).to_be_visible(timeout=WAIT_MS)
    page.wait_for_timeout(1000)
    expect(page.locator("#past-chats label")).to_have_count(0)


def test_documents_search_paging_and_multi_delete_with_confirmation(page, shots):
    files = {f"주간 보고 {i:02d}.md": f"# 주간 보고 {i:02d}\n\n이번 주의 고유 사실 {i}번은 마루{i}입니다." for i in range(23)}
    log = upload(page, files)
    assert log.count("added: ") == 23
    summary = page.locator("#documents-summary")
    expect(summary).to_contain_text("1–20 / 30 · page 1 / 2")  # 23 uploads + the 7 samples
    first_rows = page.locator("#documents .virtual-row")
    expect(first_rows.first).to_contain_text("주간 보고")  # newest first: an upload, not a sample
    page.locator("#page-next").click()
    expect(summary).to_contain_text("21–30 / 30 · page 2 / 2")
    expect(page.locator("#documents .virtual-row", has_text="ko-cheongram-ai-academy.md")).to_have_count(1)  # oldest
    page.locator("#page-number input").fill("1")
    page.locator("#page-number input").press("Enter")
    expect(summary).to_contain_text("1–20 / 30 · page 1 / 2")
    page.locator("#page-next").click()
    page.screenshot(path=str(shots / "documents-1400.png"), full_page=True)

    search_documents(page, "주간 보고 1")  # every word, anywhere: 01, 10-19 and 21
    expect(summary).to_contain_text("1–12 / 12 (전체 30)")
    click_row(page, "주간 보고 12.md")
    expect(summary).to_contain_text("1 selected")
    click_row(page, "주간 보고 15.md")
    expect(summary).to_contain_text("2 selected")
    expect(page.locator("#documents .virtual-row", has_text="주간 보고 12.md")).to_contain_text("✓")

    page.locator("#delete").click()  # cancel first: nothing goes
    expect(page.locator("#delete-confirm")).to_contain_text("Delete 2 selected documents?")
    page.locator("#delete-no").click()
    expect(page.locator("#delete-confirm")).to_be_hidden()
    expect(summary).to_contain_text("1–12 / 12 (전체 30)")

    lines = delete_selected(page, 2).splitlines()
    assert lines == ["deleted: 주간 보고 12 (1 chunks)", "deleted: 주간 보고 15 (1 chunks)"]
    expect(summary).to_contain_text("1–10 / 10 (전체 28) · page 1 / 1 · 선택 0")
    expect(page.locator("#documents")).not_to_contain_text("주간 보고 12.md")


def test_uploaded_document_answers_until_deleted_then_the_refusal_shows_closest_passages(page, shots):
    line = upload(page, {"은하수 양봉.md": NEW_ARTICLE})
    assert line == "added: 은하수 양봉 연구소, 꿀벌 AI 관제 시작 (1 chunks) [은하수 양봉.md]"
    answer = ask(page, NEW_QUESTION)
    expect(answer).to_contain_text("도하람 박사")
    expect(page.locator("#chatbot details.cite summary").last).to_contain_text("은하수 양봉 연구소, 꿀벌 AI 관제 시작")

    search_documents(page, "은하수")
    click_row(page, "은하수 양봉.md")
    assert delete_selected(page, 1) == "deleted: 은하수 양봉 연구소, 꿀벌 AI 관제 시작 (1 chunks)"
    expect(page.locator("#documents")).not_to_contain_text("은하수 양봉.md")

    refusal = ask(page, NEW_QUESTION)
    expect(refusal).to_have_text(REFUSAL_KO)  # the refusal itself is unchanged
    closest = page.locator("#chatbot details.closest").last
    expect(closest.locator("summary")).to_have_text("가장 가까운 구절 · Closest passages")
    assert not closest.evaluate("e => e.open")  # collapsed
    expect(closest.locator(".closest-passage")).to_have_count(3)
    closest.locator("summary").click()
    expect(closest.locator(".closest-passage").first).to_be_visible()
    page.screenshot(path=str(shots / "refusal-1400.png"), full_page=True)


def test_an_unsupported_file_gets_a_line_with_the_reason_not_a_bare_error(page):
    line = upload(page, {"tool.exe": "MZ"})
    assert line == "failed: tool.exe: unsupported file type .exe"
    expect(page.locator("#upload .error")).to_have_count(0)


def test_html_inside_a_document_is_shown_as_text_and_never_runs(page):
    title = page.title()
    line = upload(page, {'../../evil "x".md': HOSTILE_ARTICLE})
    assert line.startswith("added: ") and line.endswith("[evil x.md]")
    search_documents(page, "보라매")
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


def test_the_layout_defects_are_gone_at_1400_px(page):
    assert page.locator("#chatbot label, #chatbot [data-testid=block-label]").count() == 0  # no label to float
    assert line_count(page, "#new-chat") == 1  # "새 대화 · New chat" on one line
    page.get_by_role("tab", name="문서 · Documents").click()
    assert not page.evaluate(ICON_COVERED)  # nothing (the old label) lies over the upload icon
    headers = page.locator("#documents thead th")
    expect(headers.nth(3)).to_contain_text("청크 · Chunks")
    assert all(line_count(page, f"#documents thead th:nth-child({n}) .header-content") <= 2 for n in range(1, 7))
    assert page.evaluate(HEADERS_INSIDE)  # long titles wrap in their column instead of pushing the others off screen
    announced = page.evaluate("""() => new Promise(done => { const said = new Set();
        const timer = setInterval(() => document.querySelectorAll('[aria-live]').forEach(e => said.add(e.textContent)), 20);
        setTimeout(() => { clearInterval(timer); done(Array.from(said)); }, 6500); })""")  # status lags 5 s apart
    assert not [text for text in announced if "common." in text]


def test_the_phone_layout_at_390_px(browser, server, shots):
    page = open_page(browser, server, PHONE)
    try:
        expect(page.locator("#history")).not_to_have_class(re.compile(r"\bopen\b"))  # the sidebar starts closed
        question = page.locator("#question textarea")
        assert question.evaluate("e => e.scrollWidth <= e.clientWidth")
        assert question.evaluate(PLACEHOLDER_FITS)
        ask(page, "청람 AI 아카데미는 언제 문을 열었나요?")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(shots / "chat-390.png"), full_page=True)

        page.get_by_role("tab", name="문서 · Documents").click()
        expect(page.locator("#documents .virtual-row").first).to_be_visible(timeout=WAIT_MS)
        row = page.locator("#documents .virtual-row").first
        visible = row.evaluate(SHOWN_CELLS)
        assert len(visible) == 4 and all(inside for inside, _ in visible)  # ✓, title, source and date all on screen
        assert visible[2][1].endswith((".md", ".txt")) and re.match(r"\d{4}-\d\d-\d\d", visible[3][1])
        page.screenshot(path=str(shots / "documents-390.png"), full_page=True)
    finally:
        page.context.close()


def test_chat_api_returns_the_answer_text(server):
    from gradio_client import Client

    text = Client(server, verbose=False).predict("청하 청소년 AI 해커톤의 대상은 어느 팀이 받았나요?", api_name="/chat")
    assert isinstance(text, str) and "바다소리" in text and text.endswith("[1]")
