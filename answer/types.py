"""What the answerer hands back: the reply, its citations and how long each step took."""

from __future__ import annotations

from dataclasses import dataclass, field

from rag.types import Passage


@dataclass(frozen=True)
class Citation:
    """A passage the answer cites as [n]."""

    n: int
    doc_id: str
    source: str
    title: str
    chunk_id: str
    text: str
    location: str = ""  # "p. 4", "slide 3", or "" where the format has no pages

    @classmethod
    def of(cls, n: int, passage: Passage) -> Citation:
        return cls(n, passage.doc_id, passage.source, passage.title, passage.chunk_id, passage.text, passage.location)

    def to_json(self) -> dict:
        return {
            "n": self.n,
            "doc_id": self.doc_id,
            "source": self.source,
            "title": self.title,
            "chunk_id": self.chunk_id,
            "text": self.text,
            "location": self.location,
        }


@dataclass(frozen=True)
class AnswerDelta:
    """The answer text so far, while it is being generated."""

    text: str


@dataclass
class Answer:
    """A finished answer; `passages` are all that were retrieved, `citations` only those cited."""

    question: str
    answer: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)  # retrieve, generate, total
    standalone_question: str = ""
    confidence: float = 1.0  # how likely the reply holds the answer (0..1); the offline answerer refuses below its threshold
    best_guess: str = ""  # the reply it would give without refusing ("" when nothing came close)

    @property
    def text(self) -> str:
        """Same name as `AnswerDelta.text`, so a stream consumer can show either."""
        return self.answer

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "confidence": round(self.confidence, 3),
            "citations": [c.to_json() for c in self.citations],
            "timings_ms": {k: self.timings_ms.get(k, 0.0) for k in ("retrieve", "generate", "total")},
        }
