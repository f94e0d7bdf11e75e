"""Prompt templates: text files in prompts/ named <name>.<language>.txt, with {slot} placeholders."""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from answer.errors import PromptError
from answer.refusal import refusal_for
from rag.settings import PROJECT_ROOT
from rag.types import Passage

if TYPE_CHECKING:  # only an LLM backend builds messages: the offline path never imports LangChain
    from langchain_core.messages import BaseMessage

PROMPTS_DIR = PROJECT_ROOT / "prompts"
LANGUAGES = ("ko", "en")


@dataclass(frozen=True)
class Prompt:
    name: str
    template: str

    @property
    def slots(self) -> set[str]:
        return {field for _, field, _, _ in string.Formatter().parse(self.template) if field}

    def render(self, **values: object) -> str:
        """Fill every slot; a slot without a value is an error that names it."""
        missing = sorted(self.slots - values.keys())
        if missing:
            raise PromptError(f"prompt {self.name!r} needs a value for slot {{{missing[0]}}}")
        return self.template.format(**{k: v for k, v in values.items() if k in self.slots})


@cache
def load_prompt(name: str, language: str, folder: Path = PROMPTS_DIR) -> Prompt:
    """The prompt `name` in `language` ('ko' or 'en')."""
    if language not in LANGUAGES:
        raise PromptError(f"no prompts in language {language!r}; use one of {', '.join(LANGUAGES)}")
    path = folder / f"{name}.{language}.txt"
    if not path.is_file():
        known = sorted({p.name.split(".")[0] for p in folder.glob("*.txt")})
        raise PromptError(f"unknown prompt {name!r} (no {path.name} in {folder}); known: {', '.join(known)}")
    return Prompt(name, path.read_text(encoding="utf-8").strip())


def _untrusted(text: str) -> str:
    # A passage must not be able to close the delimiter and speak outside it.
    return text.replace("<passages>", "(passages)").replace("</passages>", "(/passages)")


def format_passages(passages: Sequence[Passage]) -> str:
    """`[n] title — text` per passage, numbered from 1, blank line between."""
    blocks = []
    for n, p in enumerate(passages, 1):
        head = f"[{n}] {p.title} — " if p.title else f"[{n}] "
        blocks.append(_untrusted(head + " ".join(p.text.split())))
    return "\n\n".join(blocks)


def answer_messages(question: str, passages: Sequence[Passage], language: str) -> list[BaseMessage]:
    """System rules, then the passages and the question in the user turn (never in the system turn)."""
    system = load_prompt("answer_system", language).render(refusal=refusal_for(language))
    user = load_prompt("answer_user", language).render(passages=format_passages(passages), question=question)
    from langchain_core.messages import HumanMessage, SystemMessage

    return [SystemMessage(system), HumanMessage(user)]


def format_history(history: Sequence[tuple[str, str]]) -> str:
    return "\n".join(f"User: {q}\nAssistant: {a}" for q, a in history)


def condense_messages(question: str, history: Sequence[tuple[str, str]], language: str) -> list[BaseMessage]:
    """A single user turn asking to rewrite a follow-up into a standalone question."""
    text = load_prompt("condense", language).render(history=format_history(history), question=question)
    from langchain_core.messages import HumanMessage

    return [HumanMessage(text)]
