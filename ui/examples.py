"""Example questions under the chat: the bundled samples' own when they are in the store, else about your newest documents."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePath

from rag.korean import detect_language

# A sample article's file name -> a question it answers (shown only while that article is in the store).
SAMPLE_QUESTIONS = {
    "ko-cheongram-ai-academy.md": "청람 AI 아카데미는 언제 문을 열었나요?",
    "ko-cheongha-youth-ai-hackathon.txt": "청하 청소년 AI 해커톤의 대상은 어느 팀이 받았나요?",
    "ko-ai-meister-bootcamp.md": "AI 마이스터 부트캠프 1기에서 과정을 마친 사람은 몇 명인가요?",
    "en-harlow-valley-ai-apprenticeship.md": "How many apprentices were in the first Harlow Valley cohort?",
}
OWN_EXAMPLES = 3


def question_about(title: str) -> str:
    """A question the answerer can take from a title alone, in the title's language."""
    return f"{title} — 무슨 내용인가요?" if detect_language(title) == "ko" else f"What is '{title}' about?"


def example_questions(documents: Sequence[dict], samples_dir: Path) -> list[str]:
    """Questions to offer: the samples' while any are in the store, else one per newest titled document, or none."""
    folder = samples_dir.resolve()  # sources are stored as absolute paths (or URLs): compare, don't touch the disk
    samples = {PurePath(d["source"]).name for d in documents if PurePath(d.get("source", "")).parent == folder}
    bundled = [question for name, question in SAMPLE_QUESTIONS.items() if name in samples]
    if bundled:
        return bundled
    newest = sorted((d for d in documents if d.get("title")), key=lambda d: d.get("ingested_at", ""), reverse=True)
    return [question_about(" ".join(d["title"].split())) for d in newest[:OWN_EXAMPLES]]
