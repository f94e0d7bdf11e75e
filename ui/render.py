"""Answers, citations and tables as HTML or rows; every piece of document text is escaped here, once."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import PurePath

from answer.types import Answer
from ingest.result import distinct_names
from rag.korean import split_sentences
from rag.types import Passage
from ui.conversations import turn_of

MARKER = re.compile(r"\[(\d{1,3})\]")
_LEADING_MARKUP = re.compile(r"^[#>*\-\s]+")
SUPPORT_OVERLAP = 0.6  # share of a sentence's character pairs the answer must repeat to count as support
SNIPPET_CHARS = 160
CLOSEST_LABEL = "가장 가까운 구절 · Closest passages"
PASSAGE_HEADERS = ["#", "Title", "Lexical rank", "Dense rank", "Fused score", "Snippet"]


def text_html(text: str) -> str:
    """Text as inert HTML: escaped, line breaks kept, and no raw newline (a blank line would end the HTML block)."""
    return html.escape(text).replace("\r", "").replace("\n", "<br>")


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def display_source(source: str) -> str:
    """What a person sees for a source: the URL, or the file's name without the server's folders."""
    return source if "://" in source else PurePath(source).name


def source_html(source: str) -> str:
    if is_url(source):
        url = html.escape(source, quote=True)
        return f'<a href="{url}" target="_blank" rel="noopener noreferrer nofollow">{url}</a>'
    return html.escape(display_source(source))


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", _LEADING_MARKUP.sub("", text)).lower()


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def supporting_spans(passage: str, answer: str) -> list[tuple[int, int]]:
    """Spans of the passage's sentences that the answer quotes or closely restates."""
    target = _compact(answer)
    target_pairs = _pairs(target)
    spans = []
    for start, end in split_sentences(passage):
        sentence = _compact(passage[start:end])
        if len(sentence) < 6:
            continue
        pairs = _pairs(sentence)
        if sentence in target or len(pairs & target_pairs) >= SUPPORT_OVERLAP * len(pairs):
            spans.append((start, end))
    return spans


def highlight(passage: str, answer: str) -> str:
    """The passage as HTML with its supporting sentences in <mark>."""
    out, at = [], 0
    for start, end in supporting_spans(passage, answer):
        out += [text_html(passage[at:start]), "<mark>", text_html(passage[start:end]), "</mark>"]
        at = end
    return "".join(out + [text_html(passage[at:])])


def citation_html(citation: dict, answer: str, key: str) -> str:
    """One collapsible source block: title and source in the summary, the passage with support marked inside."""
    source, n = citation.get("source", ""), citation["n"]
    link = f'<div class="cite-link">{source_html(source)}</div>' if is_url(source) else ""
    return (
        f'<details class="cite" id="cite-{key}-{n}"><summary><span class="cite-n">[{n}]</span> '
        f"<strong>{html.escape(citation.get('title') or display_source(source))}</strong>"
        f' <span class="cite-source">· {html.escape(display_source(source))}'
        f'{html.escape(" · " + citation["location"]) if citation.get("location") else ""}</span></summary>'
        f'<div class="cite-body">{link}'
        f'<div class="cite-passage">{highlight(citation.get("text", ""), answer)}</div></div></details>'
    )


def closest_html(passages: Sequence[dict]) -> str:
    """Under a refusal, collapsed: the passages that came closest, so the user can judge for themselves."""
    if not passages:
        return ""
    items = "".join(
        f'<div class="closest-passage"><div class="closest-title"><strong>'
        f"{html.escape(p.get('title') or display_source(p.get('source', '')))}</strong>"
        f' <span class="cite-source">· {html.escape(display_source(p.get("source", "")))}</span></div>'
        f'<div class="cite-passage">{text_html(p.get("text", ""))}</div></div>'
        for p in passages
    )
    return f'<details class="closest"><summary>{CLOSEST_LABEL}</summary>{items}</details>'


def link_markers(escaped: str, numbers: set[int], key: str) -> str:
    """Turn [n] in escaped answer text into links to the matching source block."""

    def link(match: re.Match) -> str:
        n = int(match.group(1))
        if n not in numbers:
            return match.group(0)
        target = f"cite-{key}-{n}"
        return f'<a class="cite-ref" href="#{target}">[{n}]</a>'

    return MARKER.sub(link, escaped)


def turn_html(turn: dict, key: str) -> str:
    """A finished answer as kept in a conversation: its text with clickable [n], its sources or closest passages."""
    text, citations = turn["answer"], turn.get("citations", [])
    body = link_markers(text_html(text), {c["n"] for c in citations}, key)
    blocks = "".join(citation_html(c, text, key) for c in citations)
    sources = f'<div class="sources">{blocks}</div>' if blocks else ""
    return f'<div class="answer">{body}</div>{sources}{closest_html(turn.get("closest", []))}'


def answer_html(reply: object, key: str) -> str:
    """An assistant message: the (partial) answer, or a finished one as a conversation keeps it; a notice for a str."""
    if isinstance(reply, str):
        return f'<div class="notice">{text_html(reply)}</div>'
    if isinstance(reply, Answer):
        return turn_html(turn_of(reply), key)
    return f'<div class="answer">{text_html(getattr(reply, "text", ""))}</div>'


def messages(conversation: dict | None) -> list[dict]:
    """The chat's messages for a saved conversation."""
    out = []
    for key, turn in enumerate((conversation or {}).get("turns", []), 1):
        out += [{"role": "user", "content": question_html(turn["question"])},
                {"role": "assistant", "content": turn_html(turn, str(key))}]
    return out


def question_html(text: str) -> str:
    return f'<div class="question">{text_html(text)}</div>'


def pending_html() -> str:
    return '<div class="answer pending">…</div>'


def when(iso: str) -> str:
    """'2026-11-26T06:57:07+00:00' as '2026-11-26 06:57 UTC'."""
    try:
        moment = datetime.fromisoformat(iso).astimezone(timezone.utc)
    except (TypeError, ValueError):
        return iso or ""
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def document_name(document: dict) -> str:
    """A document as a person knows it: its title, else its file name or URL."""
    return document.get("title") or display_source(document.get("source", ""))


def _rank(rank: int | None) -> str:
    return "—" if rank is None else str(rank)


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def passage_rows(passages: Sequence[Passage]) -> list[list]:
    """The retrieval inspector's rows: why each passage was chosen."""
    return [
        [n, p.title, _rank(p.lexical_rank), _rank(p.dense_rank), f"{p.score:.4f}", snippet(p.text)]
        for n, p in enumerate(passages, 1)
    ]


def result_line(result) -> str:
    """One line per ingested source, naming the file rather than the server path it was saved to."""
    name = display_source(result.source)
    if result.status == "failed":
        return f"failed: {name}: {result.reason}"
    if result.status == "duplicate":
        return "duplicate: {} (same text as {})".format(*distinct_names(result.source, result.reason))
    return f"{result.status}: {result.title or name} ({result.chunks} chunks) [{name}]"


def backends_line(settings) -> str:
    return f"LLM: {settings.llm}{f' ({settings.llm_model})' if settings.llm_model else ''} · embeddings: {settings.embeddings}"
