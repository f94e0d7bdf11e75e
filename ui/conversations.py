"""Saved conversations as plain JSON, kept in the user's own browser (gr.BrowserState), newest first.

A conversation is `{"id", "title", "created", "updated", "turns": [turn, ...]}` and a turn is what the chat shows
for one answer: `{"question", "answer", "refused", "citations": [...], "closest": [...]}`. The server keeps none of
it: every browser holds only its own conversations.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone

from answer.types import Answer

EMPTY: dict = {"version": 1, "active": None, "conversations": []}
MAX_CONVERSATIONS = 100
# JSON characters kept in localStorage. Chromium allows ~5 M characters per site, and Gradio's encryption turns
# each character of Korean text into about four (UTF-8, then base64), so 800 k stays clear of the limit.
BUDGET_CHARS = 800_000
TITLE_CHARS = 60
CITATION_CHARS = 2_000
CLOSEST = 3  # passages shown under a refusal
CLOSEST_CHARS = 600


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def title_of(question: str) -> str:
    flat = " ".join(question.split())
    return flat if len(flat) <= TITLE_CHARS else flat[: TITLE_CHARS - 1] + "…"


def turn_of(answer: Answer) -> dict:
    """What is kept of an answer: its text and citations, and on a refusal the closest passages."""
    closest = answer.passages[:CLOSEST] if answer.refused else []
    return {
        "question": answer.question,
        "answer": answer.answer,
        "refused": answer.refused,
        "citations": [c.to_json() | {"text": c.text[:CITATION_CHARS]} for c in answer.citations],
        "closest": [{"title": p.title, "source": p.source, "text": p.text[:CLOSEST_CHARS]} for p in closest],
    }


def with_turn(conversation: dict | None, turn: dict) -> dict:
    """The conversation (a new one for None) with `turn` added; the first question becomes its title."""
    now = _now()
    base = conversation or {"id": uuid.uuid4().hex[:12], "title": "", "created": now, "turns": []}
    return base | {"title": base["title"] or title_of(turn["question"]), "updated": now,
                   "turns": [*base["turns"], turn]}


def history(conversation: dict | None) -> list[tuple[str, str]]:
    """(question, answer) pairs for the answerer, oldest first."""
    return [(t["question"], t["answer"]) for t in (conversation or {}).get("turns", [])]


def renamed(conversation: dict, title: str) -> dict:
    return conversation | {"title": title_of(title) or conversation["title"]}


def normalised(saved: object) -> dict:
    """The browser's value as a store; anything unreadable (an older format, a hand edit) starts empty."""
    if not isinstance(saved, dict) or not isinstance(saved.get("conversations"), list):
        return dict(EMPTY)
    kept = [c for c in saved["conversations"] if isinstance(c, dict) and {"id", "title", "turns"} <= c.keys()]
    active = saved.get("active") if any(c["id"] == saved.get("active") for c in kept) else None
    return {"version": 1, "active": active, "conversations": kept}


def find(saved: object, conversation_id: str | None) -> dict | None:
    return next((c for c in normalised(saved)["conversations"] if c["id"] == conversation_id), None)


def _size(conversation: dict) -> int:
    return len(json.dumps(conversation, ensure_ascii=False))


def _updated(conversation: dict) -> str:
    return conversation.get("updated", "")


def stored(saved: object, conversation: dict) -> dict:
    """The store with `conversation` saved and active, newest first; the oldest others go beyond the budget."""
    others = sorted((c for c in normalised(saved)["conversations"] if c["id"] != conversation["id"]),
                    key=_updated, reverse=True)
    kept, used = [], _size(conversation)
    for other in others[: MAX_CONVERSATIONS - 1]:
        used += _size(other)
        if used > BUDGET_CHARS:
            break
        kept.append(other)
    return {"version": 1, "active": conversation["id"],
            "conversations": sorted([conversation, *kept], key=_updated, reverse=True)}


def without(saved: object, conversation_id: str | None) -> dict:
    store = normalised(saved)
    kept = [c for c in store["conversations"] if c["id"] != conversation_id]
    return {"version": 1, "active": None if store["active"] == conversation_id else store["active"],
            "conversations": kept}


def deactivated(saved: object) -> dict:
    return normalised(saved) | {"active": None}


def activated(saved: object, conversation_id: str) -> dict:
    return normalised(saved) | {"active": conversation_id}


def choices(saved: object) -> list[tuple[str, str]]:
    """(title, id) for the list of past chats, newest first."""
    return [(c["title"] or "(untitled)", c["id"]) for c in normalised(saved)["conversations"]]
