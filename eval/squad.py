"""SQuAD-format files (KorQuAD): articles by position, their text as documents, sampled questions."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from eval.dataset import QA, DatasetError

SPLITS = ("even", "odd", "all")
_UNSAFE = re.compile(r"[^\w.-]+")  # \w keeps Hangul; everything else becomes "_"
_NAME_MAX = 60


@dataclass(frozen=True)
class Paragraph:
    context: str
    questions: tuple[QA, ...]  # gold = the distinct answer texts of each question


@dataclass(frozen=True)
class Article:
    position: int  # index in the file's `data`: what the even/odd split is made on
    title: str
    paragraphs: tuple[Paragraph, ...]


def load_articles(path: Path, split: str = "even") -> list[Article]:
    """The articles at even, odd or all positions of a SQuAD file, in file order."""
    if split not in SPLITS:
        raise DatasetError(f"unknown article split {split!r}; use one of {', '.join(SPLITS)}")
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))["data"]
        # Every article is parsed, so a malformed file fails here and not halfway through a store build.
        articles = [_article(i, raw) for i, raw in enumerate(data)]
    except OSError as exc:
        raise DatasetError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DatasetError(f"{path}: not a SQuAD file ({type(exc).__name__}: {exc})") from None
    wanted = {"even": {0}, "odd": {1}, "all": {0, 1}}[split]
    chosen = [a for a in articles if a.position % 2 in wanted]
    if not chosen:
        raise DatasetError(f"{path}: no articles at {split} positions")
    return chosen


def _article(position: int, raw: dict) -> Article:
    paragraphs = tuple(Paragraph(str(p["context"]), tuple(map(_question, p["qas"]))) for p in raw["paragraphs"])
    # Wikipedia keys ("노아의_방주") as the article writes its title.
    return Article(position, " ".join(str(raw["title"]).replace("_", " ").split()), paragraphs)


def _question(raw: dict) -> QA:
    gold = tuple(dict.fromkeys(str(a["text"]) for a in raw["answers"]))  # SQuAD repeats an answer per annotator
    return QA(str(raw["id"]), str(raw["question"]), gold, True)


def document_text(article: Article) -> str:
    return "\n\n".join([article.title, *(p.context.strip() for p in article.paragraphs)])


def write_documents(articles: Sequence[Article], folder: Path) -> Path:
    """One UTF-8 .txt per article ("title", blank line, paragraphs), for the ordinary ingest pipeline."""
    folder.mkdir(parents=True, exist_ok=True)
    for a in articles:
        # The position keeps names unique and sorted; the title only makes them readable.
        name = f"{a.position:04d}-{_UNSAFE.sub('_', a.title).strip('._')[:_NAME_MAX]}.txt"
        (folder / name).write_text(document_text(a) + "\n", encoding="utf-8")
    return folder


def article_questions(article: Article) -> list[QA]:
    return [qa for p in article.paragraphs for qa in p.questions]


def sample_questions(articles: Sequence[Article], n: int, seed: int = 0) -> list[QA]:
    """n questions spread evenly over the articles (round-robin in a shuffled order); the same for the same seed."""
    rng = random.Random(seed)
    pools = [rng.sample(qs, len(qs)) for qs in map(article_questions, articles)]
    rng.shuffle(pools)
    picked: list[QA] = []
    while len(picked) < n and any(pools):
        for pool in pools:
            if pool and len(picked) < n:
                picked.append(pool.pop())
    return picked


def unanswerable_split(articles: Sequence[Article]) -> tuple[list[Article], list[Article]]:
    """(asked, stored): questions come from every other article, the store holds only the rest."""
    if len(articles) < 2:
        raise DatasetError("an unanswerable split needs at least two articles")
    return list(articles[0::2]), list(articles[1::2])


def without_answers(articles: Sequence[Article], n: int, seed: int = 0) -> tuple[list[Article], list[QA]]:
    """Up to n questions whose answer is taken out of the store: each one's paragraph is dropped from its article
    (the subject stays, the asked fact goes), one paragraph per article in turn, every article keeping at least
    one. A question is only asked when none of its answers is still written elsewhere in what remains."""
    rng = random.Random(seed)
    kept = {a.position: list(a.paragraphs) for a in articles}
    order = rng.sample(list(articles), len(articles))
    asked: list[QA] = []
    while len(asked) < n:
        progressed = False
        for article in order:
            paragraphs = kept[article.position]
            candidates = [p for p in paragraphs if p.questions]
            if len(asked) >= n or len(paragraphs) < 2 or not candidates:
                continue
            dropped = rng.choice(candidates)
            paragraphs.remove(dropped)
            rest = document_text(replace(article, paragraphs=tuple(paragraphs)))
            unsaid = [qa for qa in dropped.questions if not any(g in rest for g in qa.gold)]
            if unsaid:
                asked.append(rng.choice(unsaid))
            progressed = True
        if not progressed:
            break
    trimmed = [replace(a, paragraphs=tuple(kept[a.position])) for a in articles]
    return trimmed, as_unanswerable(asked)


def as_unanswerable(questions: Sequence[QA]) -> list[QA]:
    """The same questions, scored as ones the store cannot answer (no gold)."""
    return [replace(qa, gold=(), answerable=False) for qa in questions]
