"""Which questions are asked against which store: a question file, or sets sampled from a SQuAD file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from eval.dataset import QA, default_qa_path, load_questions
from eval.squad import (
    as_unanswerable,
    load_articles,
    sample_questions,
    unanswerable_split,
    without_answers,
    write_documents,
)


@dataclass(frozen=True)
class QuestionSet:
    name: str  # "answerable_set", "unanswerable_set"; "" for a question file
    questions: list[QA]
    docs: list[str] = field(default_factory=list)  # inputs of a temporary store; none: the configured store
    store: str = ""  # what the store holds, for the heading


def question_file_set(qa: Path | None, docs: list[str]) -> QuestionSet:
    return QuestionSet("", load_questions(qa or default_qa_path()), list(docs))


def squad_sets(path: Path, split: str, n: int, seed: int, answerable: bool, unanswerable: bool,
               folder: Path, extra_docs: Sequence[str] = (), distractors: bool = False,
               attribute_absent: bool = False) -> list[QuestionSet]:
    """The answerable set (questions of the chosen articles, all of them stored), the unanswerable one (their
    articles not stored) and the attribute-absent one (their articles stored without the answering paragraph).

    Documents are written under `folder`, which must outlive the run; `extra_docs` join every store. With
    `distractors` the articles at the other positions join every store too, as documents only: their
    questions are never asked.
    """
    articles = load_articles(path, split)
    if distractors and split != "all":
        others = write_documents(load_articles(path, "odd" if split == "even" else "even"), folder / "distractors")
        extra_docs = [str(others), *extra_docs]
    also = ", and the other positions' articles as distractors" if distractors and split != "all" else ""
    sets = []
    if answerable:
        stored = write_documents(articles, folder / "answerable")
        sets.append(QuestionSet("answerable_set", sample_questions(articles, n, seed), [str(stored), *extra_docs],
                                f"{len(articles)} articles at {split} positions{also}"))
    if unanswerable:
        asked, kept = unanswerable_split(articles)
        stored = write_documents(kept, folder / "unanswerable")
        sets.append(QuestionSet("unanswerable_set", as_unanswerable(sample_questions(asked, n, seed)),
                                [str(stored), *extra_docs],
                                f"{len(kept)} articles at {split} positions, without the {len(asked)} asked about{also}"))
    if attribute_absent:
        trimmed, asked = without_answers(articles, n, seed)
        stored = write_documents(trimmed, folder / "attribute-absent")
        sets.append(QuestionSet("attribute_absent_set", asked, [str(stored), *extra_docs],
                                f"{len(trimmed)} articles at {split} positions, each without the paragraphs "
                                f"that answer its questions{also}"))
    return sets
