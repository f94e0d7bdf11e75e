"""The synthetic corpus: seeded Korean and English articles about AI talent programs, written as .txt files.

Article i depends only on the seed and the articles before it, so a smaller corpus is a prefix of a larger one.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from bench.facts import LANGUAGES, draw_facts, templates
from bench.text import fill

VERSION = 1  # bump when the generator changes: cached corpora are then rewritten
MIN_CHARS, MAX_CHARS = 1500, 4000
CALIBRATION_ARTICLES = 80
SECTIONS = ("program", "leader", "results", "partners")  # between the lead and the plans, in any order


@dataclass(frozen=True)
class Article:
    name: str  # file name, also how questions point at their document
    lang: str
    text: str  # title line, blank line, paragraphs separated by blank lines
    facts: dict[str, str]


def _paragraph(rng: random.Random, choices: list[str], facts: dict) -> str:
    return fill(rng.choice(choices), facts)


def _fillers(rng: random.Random, fillers: list[str], facts: dict) -> Iterator[str]:
    """Paragraphs of 2-4 filler sentences, no sentence twice in one article."""
    pool = rng.sample(fillers, len(fillers))
    while pool:
        take = rng.randint(2, 4)
        yield " ".join(fill(s, facts) for s in pool[:take])
        del pool[:take]


def render(rng: random.Random, lang: str, facts: dict) -> str:
    """Title and paragraphs: each asked fact once, padded with filler to a length in [MIN_CHARS, MAX_CHARS]."""
    parts = templates(lang)["article"]
    middle = list(SECTIONS)
    rng.shuffle(middle)
    paragraphs = [_paragraph(rng, parts[s], facts) for s in ("lead", *middle, "plans")]
    title = _paragraph(rng, parts["titles"], facts)
    target = rng.randint(MIN_CHARS, MAX_CHARS)
    length = len(title) + sum(len(p) + 2 for p in paragraphs)
    for extra in _fillers(rng, parts["fillers"], facts):
        if length >= target or length + len(extra) + 2 > MAX_CHARS:
            break
        paragraphs.insert(rng.randint(1, len(paragraphs) - 1), extra)  # never before the lead
        length += len(extra) + 2
    return "\n\n".join([title, *paragraphs]) + "\n"


def generate(seed: int) -> Iterator[Article]:
    """The endless article stream of a seed."""
    rng = random.Random(f"bench-corpus:{seed}")
    taken: set[str] = set()
    for i in range(10**9):
        lang = rng.choice(LANGUAGES)
        facts = draw_facts(rng, lang, taken)
        yield Article(f"{i:06d}-{lang}-{facts['kind']}.txt", lang, render(rng, lang, facts), facts)


def articles(seed: int, count: int) -> list[Article]:
    return list(islice(generate(seed), count))


def chunks_per_article(seed: int, chunk_size: int, overlap: int) -> float:
    """Mean number of our chunks per article, measured on the first articles of the stream."""
    from ingest.chunking import chunk_document
    from ingest.document import LoadedDocument

    sample = articles(seed, CALIBRATION_ARTICLES)
    total = sum(len(chunk_document(LoadedDocument(a.name, "", a.text), chunk_size, overlap)) for a in sample)
    return total / len(sample)


class CorpusDir:
    """A folder holding the first articles of a seed's stream, with their facts, grown on demand."""

    def __init__(self, root: Path, seed: int):
        self.seed = seed
        self.folder = root / f"corpus-v{VERSION}-seed{seed}"
        self.manifest_path = self.folder / "manifest.json"

    def _manifest(self) -> dict:
        if self.manifest_path.is_file():
            return json.loads(self.manifest_path.read_text())
        return {"written": 0, "calibration": {}}

    def articles_for(self, chunks: int, chunk_size: int, overlap: int) -> int:
        """How many articles our chunker turns into about `chunks` chunks (calibrated once, then cached)."""
        manifest = self._manifest()
        key = f"{chunk_size}/{overlap}"
        if key not in manifest["calibration"]:
            manifest["calibration"][key] = chunks_per_article(self.seed, chunk_size, overlap)
            self.folder.mkdir(parents=True, exist_ok=True)
            self.manifest_path.write_text(json.dumps(manifest))
        return max(1, math.ceil(chunks / manifest["calibration"][key]))

    def ensure(self, count: int) -> list[Article]:
        """The first `count` articles, written to the folder (with facts.jsonl) if not there yet."""
        arts = articles(self.seed, count)
        manifest = self._manifest()
        if manifest["written"] < count:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(self.folder / "facts.jsonl", "w", encoding="utf-8") as f:
                for a in arts:
                    (self.folder / a.name).write_text(a.text, encoding="utf-8")
                    f.write(json.dumps({"name": a.name, "lang": a.lang, "facts": a.facts}, ensure_ascii=False) + "\n")
            manifest["written"] = count
            self.manifest_path.write_text(json.dumps(manifest))
        return arts

    def paths(self, arts: list[Article]) -> list[Path]:
        return [self.folder / a.name for a in arts]
