"""Pure formatting of the web app: escaping, citations, highlights, table rows, safe upload names, notices."""

from __future__ import annotations

from pathlib import Path

import pytest

from answer.errors import LLMConfigError, LLMUnavailableError
from answer.types import Answer, AnswerDelta, Citation
from ingest.pipeline import IngestResult
from rag.settings import Settings
from rag.types import Passage
from ui import conversations, notices, render, uploads

REFUSAL = "제공된 문서에서 답을 찾을 수 없습니다."
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
PASSAGE = (
    "# 청람 AI 아카데미\n\n청람정밀은 2021년 3월 사내 교육기관 '청람 AI 아카데미'를 열었습니다. "
    "교육 기간은 24주입니다.\n\n회사는 해마다 약 45억 원을 투입합니다."
)


def citation(n=1, text=PASSAGE, title="청람 AI 아카데미", source="/srv/db/uploads/cheongram.md") -> Citation:
    return Citation(n, "doc1", source, title, "doc1:v1:0", text)


def answer(text: str, citations: list[Citation]) -> Answer:
    return Answer("q", text, False, citations)


@pytest.mark.parametrize("raw", [HOSTILE, "<b onmouseover=alert(1)>x</b>", '"><svg onload=alert(1)>'])
def test_text_html_leaves_no_markup(raw):
    out = render.text_html(raw)
    assert "<" not in out.replace("<br>", "") and ">" not in out.replace("<br>", "")
    assert "&lt;" in out


def test_text_html_keeps_line_breaks_without_raw_newlines():
    # A blank line would end the HTML block and let Markdown run over document text.
    assert render.text_html("a\n\nb\r\nc") == "a<br><br>b<br>c"


def test_answer_links_known_markers_to_their_source_blocks():
    html = render.answer_html(answer("2021년 3월에 열었습니다. [1] [7]", [citation()]), key="3")
    assert '<a class="cite-ref" href="#cite-3-1">[1]</a>' in html
    assert 'id="cite-3-1"' in html
    assert "[7]" in html and "#cite-3-7" not in html  # no block to open, so no link


def test_citation_block_shows_title_file_name_and_marks_the_supporting_sentence():
    reply = "청람정밀은 2021년 3월 사내 교육기관 '청람 AI 아카데미'를 열었습니다. [1]"
    html = render.answer_html(answer(reply, [citation()]), key="1")
    assert "<details" in html and "<summary>" in html
    assert "<strong>청람 AI 아카데미</strong>" in html
    assert "cheongram.md" in html and "/srv/db" not in html  # the server's folders stay private
    assert "<mark>청람정밀은 2021년 3월 사내 교육기관 &#x27;청람 AI 아카데미&#x27;를 열었습니다.</mark>" in html
    assert "<mark>교육 기간" not in html and "<mark>회사는" not in html
    assert "\n" not in html


def test_hostile_passage_title_and_answer_are_all_escaped():
    c = citation(text=f"본문 {HOSTILE} 끝.", title=HOSTILE, source="https://example.com/a?x=1&y=<2>")
    html = render.answer_html(answer(f"인용 {HOSTILE} [1]", [c]), key="1")
    assert "<script" not in html and "<img" not in html and "onerror=\"" not in html
    assert "&lt;script&gt;" in html
    assert '<a href="https://example.com/a?x=1&amp;y=&lt;2&gt;" target="_blank"' in html


@pytest.mark.parametrize("source", ["javascript:alert(1)", "data:text/html,<script>x</script>", "/tmp/a.md"])
def test_only_http_sources_become_links(source):
    assert "<a" not in render.source_html(source)


def test_supporting_spans_accept_a_close_restatement_and_reject_unrelated_sentences():
    spans = render.supporting_spans(PASSAGE, "교육 기간은 24주 입니다 [1]")
    assert [PASSAGE[s:e] for s, e in spans] == ["교육 기간은 24주입니다."]
    assert render.supporting_spans(PASSAGE, "The documents don't say.") == []


def test_partial_answer_and_notice_render_as_text():
    assert render.answer_html(AnswerDelta("부분 <i>답</i> [1"), "1") == '<div class="answer">부분 &lt;i&gt;답&lt;/i&gt; [1</div>'
    assert render.answer_html("문서가 없습니다 <b>", "1") == '<div class="notice">문서가 없습니다 &lt;b&gt;</div>'


def test_refusal_keeps_its_sentence_and_shows_the_closest_passages_collapsed():
    passages = [Passage(f"c{i}", f"d{i}", f"/srv/db/uploads/{i}.md", f"제목 {i} <b>", f"구절 {i} <script>x</script>")
                for i in range(1, 6)]
    html = render.answer_html(Answer("q", REFUSAL, True, [], passages), key="2")
    assert html.startswith(f'<div class="answer">{REFUSAL}</div><details class="closest">')
    assert "<summary>가장 가까운 구절 · Closest passages</summary>" in html and "<details class=\"closest\" open" not in html
    assert html.count('class="closest-passage"') == 3  # the top three, in rank order
    assert html.index("구절 1") < html.index("구절 2") < html.index("구절 3") and "구절 4" not in html
    assert "<script>" not in html and "&lt;script&gt;" in html and "/srv/db" not in html and "1.md" in html


def test_an_answer_shows_no_closest_passages():
    html = render.answer_html(answer("2021년 3월에 열었습니다. [1]", [citation()]), key="1")
    assert "closest" not in html


def test_a_reopened_turn_renders_like_the_live_answer():
    live = answer("청람정밀은 2021년 3월 사내 교육기관 '청람 AI 아카데미'를 열었습니다. [1]", [citation()])
    turn = conversations.turn_of(live)
    assert render.turn_html(turn, "1") == render.answer_html(live, "1")
    [user, assistant] = render.messages({"turns": [turn]})
    assert user == {"role": "user", "content": '<div class="question">q</div>'}
    assert assistant["role"] == "assistant" and 'href="#cite-1-1"' in assistant["content"]


def test_passage_rows_show_each_rank_and_the_fused_score():
    p = Passage("c1", "d1", "/x/a.md", "제목", "  첫 줄\n둘째 줄 " + "가" * 300, score=0.0163934, lexical_rank=1,
                dense_rank=None)
    [[n, title, lexical, dense, fused, snippet]] = render.passage_rows([p])
    assert (n, title, lexical, dense, fused) == (1, "제목", "1", "—", "0.0164")
    assert snippet.startswith("첫 줄 둘째 줄 가") and len(snippet) == render.SNIPPET_CHARS and snippet.endswith("…")


@pytest.mark.parametrize(
    ("result", "line"),
    [
        (IngestResult("/db/uploads/a.md", "added", "d", "제목", 3), "added: 제목 (3 chunks) [a.md]"),
        (IngestResult("/db/uploads/a.md", "unchanged", "d", "제목", 3), "unchanged: 제목 (3 chunks) [a.md]"),
        (IngestResult("/db/uploads/b.md", "duplicate", "d", "제목", reason="/db/uploads/a.md"),
         "duplicate: b.md (same text as a.md)"),
        (IngestResult("/db/uploads/c.pdf", "failed", reason="empty file"), "failed: c.pdf: empty file"),
    ],
)
def test_result_lines(result, line):
    assert render.result_line(result) == line


def test_backends_line_names_the_configured_backends():
    settings = Settings(llm="ollama", llm_model="qwen2.5:7b", embeddings="hash")
    assert render.backends_line(settings) == "LLM: ollama (qwen2.5:7b) · embeddings: hash"


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ('../../evil "x".txt', "evil x.txt"),
        ("evil %22x%22.md", "evil x.md"),  # how chromium sends the name above in a form upload
        ("100% 완료.txt", "100% 완료.txt"),
        ("..\\..\\windows\\evil.md", "evil.md"),
        ("보고서 2024 최종 (1).MD", "보고서 2024 최종 (1).md"),
        ("  여러   칸   띄움 .txt", "여러 칸 띄움.txt"),
        (".bashrc.txt", "bashrc.txt"),
        ("...", "upload"),
        ("$(rm -rf ~);`id`.txt", "(rm -rf ~)id.txt"),
        ("a\x00b\nc.txt", "abc.txt"),
        ("noext", "noext"),
    ],
)
def test_safe_filename(name, safe):
    assert uploads.safe_filename(name) == safe


def test_safe_filename_keeps_the_suffix_of_a_long_name():
    name = uploads.safe_filename("가" * 500 + ".pdf")
    assert len(name) == uploads.MAX_NAME_CHARS and name.endswith(".pdf")


def test_save_upload_stays_inside_the_folder(tmp_path):
    source = tmp_path / "incoming"
    source.write_text("본문", encoding="utf-8")
    folder = tmp_path / "db" / "uploads"
    saved = uploads.save_upload(source, folder, name='../../evil "x".txt')
    assert saved == (folder / "evil x.txt").resolve()
    assert saved.read_text(encoding="utf-8") == "본문"
    assert sorted(p.name for p in tmp_path.rglob("*.txt")) == ["evil x.txt"]


@pytest.mark.parametrize(
    ("name", "position", "reason"),
    [("a.md", 1, None), ("a.exe", 1, "unsupported file type .exe"), ("README", 1, "unsupported file type (no extension)"),
     ("a.txt", 3, "more than 2 files in one upload"), ("a.PDF", 2, None)],
)
def test_upload_refusal(name, position, reason):
    assert uploads.refusal(name, position, limit=2) == reason


def test_uploads_folder_is_under_the_store():
    assert uploads.uploads_folder(Path("/data/db")) == Path("/data/db/uploads")


@pytest.mark.parametrize(
    ("exc", "language", "line"),
    [
        (LLMUnavailableError("cannot reach the LLM server at http://h:1: refused."), "ko",
         "답변 모델에 연결할 수 없습니다: cannot reach the LLM server at http://h:1: refused"),
        (LLMConfigError("RAG_LLM=openai needs RAG_LLM_MODEL"), "en",
         "The answer model is not set up: RAG_LLM=openai needs RAG_LLM_MODEL"),
        (RuntimeError("boom"), "en", "Could not answer: unexpected RuntimeError: boom"),
    ],
)
def test_failure_notices_are_one_line_in_the_question_language(exc, language, line):
    assert notices.failure(exc, language) == line


def test_empty_store_notice_in_each_language():
    assert "문서 탭" in notices.empty_store("ko")
    assert "Documents tab" in notices.empty_store("en")
    assert notices.empty_store("fr") == notices.empty_store("en")
