"""One saved conversation as a Markdown file: each question, its answer, and every citation with its passage."""

from __future__ import annotations

from datetime import datetime, timezone

from ui.render import CLOSEST_LABEL, display_source
from ui.uploads import safe_filename


def _quote(text: str) -> str:
    """The passage as a Markdown block quote, its line breaks kept."""
    return "\n".join(f"> {line}".rstrip() for line in text.strip().splitlines())


def _sources(items: list[dict], numbered: bool) -> list[str]:
    out = []
    for i, item in enumerate(items, 1):
        label = f"[{item.get('n', i)}] " if numbered else f"{i}. "
        out += [f"{label}**{item.get('title') or display_source(item.get('source', ''))}** — "
                f"{display_source(item.get('source', ''))}", "", _quote(item.get("text", "")), ""]
    return out


def to_markdown(conversation: dict, exported_at: datetime | None = None) -> str:
    """The conversation as Markdown; sources are named by URL or file name, never by a server path."""
    moment = (exported_at or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"# {conversation.get('title') or 'Chat'}", "", f"_Exported {moment} · "
             f"{len(conversation.get('turns', []))} questions_", ""]
    for number, turn in enumerate(conversation.get("turns", []), 1):
        lines += [f"## {number}. {' '.join(turn['question'].split())}", "", turn["answer"].strip(), ""]
        if turn.get("citations"):
            lines += ["### 출처 · Sources", "", *_sources(turn["citations"], numbered=True)]
        if turn.get("closest"):
            lines += [f"### {CLOSEST_LABEL}", "", *_sources(turn["closest"], numbered=False)]
    return "\n".join(lines).rstrip() + "\n"


def file_name(conversation: dict) -> str:
    """'chat-2026-11-26-청람 AI 아카데미는 언제 문을 열었나요.md': the date it started and its title."""
    day = (conversation.get("created") or "")[:10] or datetime.now(timezone.utc).strftime("%Y-%m-%d")
    return safe_filename(f"chat-{day}-{conversation.get('title') or 'untitled'}"[:100] + ".md")
