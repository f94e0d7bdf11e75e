"""Questions over the synthetic corpus, paraphrased from templates, each with its gold string and document."""

from __future__ import annotations

import random
import re
from dataclasses import asdict, dataclass

from bench.corpus import Article
from bench.facts import ASKED, templates
from bench.text import fill


@dataclass(frozen=True)
class Question:
    id: str
    q: str
    lang: str
    fact: str
    gold: str
    doc: str  # the article's file name

    def to_json(self) -> dict:
        return asdict(self)


def make_questions(arts: list[Article], count: int, seed: int) -> list[Question]:
    """`count` questions about randomly chosen articles (each article at most once while there are enough)."""
    rng = random.Random(f"bench-questions:{seed}:{len(arts)}")
    picked = rng.sample(arts, count) if count <= len(arts) else [rng.choice(arts) for _ in range(count)]
    out = []
    for i, art in enumerate(picked):
        fact = rng.choice(ASKED)
        q = fill(rng.choice(templates(art.lang)["questions"][fact]), art.facts)
        out.append(Question(f"g{i:04d}", q, art.lang, fact, art.facts[fact], art.name))
    return out


def contains_gold(text: str, gold: str) -> bool:
    """`gold` in `text` as a whole number or word piece: "24" does not match inside "2024"."""
    return re.search(rf"(?<![\d,]){re.escape(gold)}(?![\d,]\d)", text) is not None
