"""Saved conversations (kept in the browser), the past-chats panel's handlers, and the Markdown export."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from answer.types import Answer, Citation
from rag.types import Passage
from ui import conversations, export
from ui.history import HistoryPanel

REFUSAL = "제공된 문서에서 답을 찾을 수 없습니다."
PASSAGE = "청람정밀은 2021년 3월 사내 교육기관 '청람 AI 아카데미'를 열었습니다.\n교육 기간은 24주입니다."


def cited(question: str, text: str = "2021년 3월에 열었습니다. [1]", source: str = "/srv/db/uploads/cheongram.md") -> Answer:
    return Answer(question, text, False, [Citation(1, "doc1", source, "청람 AI 아카데미", "doc1:v1:00000", PASSAGE)])


def refused(question: str) -> Answer:
    passages = [Passage(f"c{i}", f"d{i}", f"https://example.com/{i}", f"가까운 글 {i}", f"가까운 구절 {i}") for i in range(5)]
    return Answer(question, REFUSAL, True, [], passages)


def chat(*answers: Answer) -> dict:
    conversation = None
    for a in answers:
        conversation = conversations.with_turn(conversation, conversations.turn_of(a))
    return conversation


def test_a_conversation_is_titled_by_its_first_question_and_feeds_the_history():
    c = chat(cited("청람 AI 아카데미는   언제 문을 열었나요?"), cited("그럼 교육 기간은?", "24주입니다. [1]"))
    assert c["title"] == "청람 AI 아카데미는 언제 문을 열었나요?"
    assert conversations.history(c) == [("청람 AI 아카데미는   언제 문을 열었나요?", "2021년 3월에 열었습니다. [1]"),
                                        ("그럼 교육 기간은?", "24주입니다. [1]")]
    assert len(conversations.title_of("가" * 200)) == conversations.TITLE_CHARS
    json.dumps(c)  # what BrowserState stores must be plain JSON


def test_a_turn_keeps_citations_and_on_a_refusal_the_three_closest_passages():
    answered = conversations.turn_of(cited("q"))
    assert answered["citations"][0] | {"text": ""} == {"n": 1, "doc_id": "doc1", "source": "/srv/db/uploads/cheongram.md",
                                                       "title": "청람 AI 아카데미", "chunk_id": "doc1:v1:00000", "text": "",
                                                       "location": ""}
    assert answered["closest"] == []
    turn = conversations.turn_of(refused("q"))
    assert turn["answer"] == REFUSAL and turn["refused"] and turn["citations"] == []
    assert [p["title"] for p in turn["closest"]] == ["가까운 글 0", "가까운 글 1", "가까운 글 2"]


def test_the_store_lists_newest_first_and_keeps_the_open_one_active():
    first, second = chat(cited("첫 질문")), chat(cited("둘째 질문"))
    second["updated"] = "9999-01-01T00:00:00+00:00"
    store = conversations.stored(conversations.stored(conversations.EMPTY, first), second)
    assert [title for title, _ in conversations.choices(store)] == ["둘째 질문", "첫 질문"]
    assert store["active"] == second["id"]
    renamed = conversations.renamed(first, "  새 이름 ")
    store = conversations.stored(store, renamed)  # renaming does not make it the newest
    assert conversations.choices(store) == [("둘째 질문", second["id"]), ("새 이름", first["id"])]
    store = conversations.without(store, first["id"])
    assert conversations.choices(store) == [("둘째 질문", second["id"])]


def test_the_oldest_conversations_go_when_the_browser_budget_is_reached(monkeypatch):
    monkeypatch.setattr(conversations, "BUDGET_CHARS", 3000)
    store = conversations.EMPTY
    for i in range(10):
        c = chat(cited(f"질문 {i}"))
        c["updated"] = f"2026-01-01T00:00:{i:02d}+00:00"
        store = conversations.stored(store, c)
    titles = [t for t, _ in conversations.choices(store)]
    assert titles[0] == "질문 9" and 1 < len(titles) < 10
    assert titles == [f"질문 {i}" for i in range(9, 9 - len(titles), -1)]  # the newest kept, in order
    assert len(json.dumps(store, ensure_ascii=False)) <= 3000 + 200


@pytest.mark.parametrize("garbage", [None, "x", [], {"conversations": "no"}, {"conversations": [{"id": 1}]}])
def test_an_unreadable_browser_value_starts_an_empty_store(garbage):
    assert conversations.normalised(garbage) == conversations.EMPTY


def test_the_panel_restores_reopens_renames_and_deletes():
    a, b = chat(cited("첫 질문")), chat(cited("둘째 질문"), refused("없는 것은?"))
    store = conversations.stored(conversations.stored(None, a), b)
    conversation, messages, store, chats, title, searched, rows = HistoryPanel.restore(store)
    assert conversation == b and title == "둘째 질문" and (searched, rows) == ("", [])
    assert [m["role"] for m in messages] == ["user", "assistant"] * 2
    assert "Closest passages" in messages[-1]["content"] and chats.value == b["id"]

    conversation, messages, store, chats, title, *_ = HistoryPanel.open(a["id"], store)
    assert conversation == a and len(messages) == 2 and store["active"] == a["id"]
    conversation, store, chats, title = HistoryPanel.rename("고친 제목", conversation, store)
    assert title == "고친 제목" and ("고친 제목", a["id"]) in chats.choices

    conversation, messages, store, chats, title, *_ = HistoryPanel.delete(conversation, store)
    assert conversation is None and messages == [] and [c for _, c in chats.choices] == [b["id"]]
    assert HistoryPanel.new_chat(store)[:2] == (None, [])


def test_saving_after_an_answer_puts_the_conversation_in_the_browser_store():
    c = chat(cited("첫 질문"))
    store, chats, title = HistoryPanel.save(c, conversations.EMPTY)
    assert conversations.find(store, c["id"]) == c and chats.value == c["id"] and title == "첫 질문"


def test_export_is_markdown_with_every_citation_and_quoted_passage():
    c = chat(cited("청람 AI 아카데미는 언제 문을 열었나요?"),
             cited("웹 출처는?", "웹에서도 그렇습니다. [1]", source="https://example.com/a?b=1"), refused("없는 것은?"))
    text = export.to_markdown(c, datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc))
    assert text.startswith("# 청람 AI 아카데미는 언제 문을 열었나요?\n\n_Exported 2026-11-26 09:30 UTC · 3 questions_")
    assert "## 1. 청람 AI 아카데미는 언제 문을 열었나요?\n\n2021년 3월에 열었습니다. [1]" in text
    assert "[1] **청람 AI 아카데미** — cheongram.md\n\n> 청람정밀은 2021년 3월" in text
    assert "> 교육 기간은 24주입니다." in text  # every line of the passage stays inside the quote
    assert "— https://example.com/a?b=1" in text and "/srv/db" not in text
    assert "### 가장 가까운 구절 · Closest passages\n\n1. **가까운 글 0** — https://example.com/0" in text
    assert export.file_name(c).startswith("chat-") and export.file_name(c).endswith(".md")
    assert "/" not in export.file_name(c) and "?" not in export.file_name(c)


def test_exporting_nothing_gives_nothing_to_download():
    assert HistoryPanel.export(None) == ("", "")
