"""Running a question file through the real pipeline: the configured store or a temporary one."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from answer.pipeline import Answerer
from eval.baseline import naive_answer
from eval.dataset import QA
from eval.metrics import Record, first_hit
from ingest.progress import Progress
from rag.settings import Settings

PROGRESS_FROM = 5  # documents or questions; fewer finish before a bar would help


class EvalError(Exception):
    """The evaluation cannot run as asked; the message says why."""


@contextmanager
def evaluation_settings(settings: Settings, docs: Sequence[str] = (), progress: bool = False) -> Iterator[Settings]:
    """`settings` as they are, or pointing at a temporary store holding only `docs`."""
    if not docs:
        yield settings
        return
    from ingest.pipeline import ingest_paths

    with tempfile.TemporaryDirectory(prefix="rag-eval-") as tmp:
        temporary = settings.model_copy(update={"db_dir": Path(tmp), "chroma_host": None})
        failed = [r.line() for r in ingest_paths(temporary, list(docs), progress_from=PROGRESS_FROM if progress else None)
                  if r.status == "failed"]
        if failed:
            raise EvalError(f"could not ingest {len(failed)} input(s): {failed[0]}")
        yield temporary


def run_questions(answerer: Answerer, questions: Sequence[QA], k: int, progress: bool = False) -> list[Record]:
    """Ask every question (no history) and score what came back, beside the naive answer from the same passages."""
    bar = Progress(len(questions), "question", enabled=progress and len(questions) >= PROGRESS_FROM)
    records = []
    try:
        for qa in questions:
            answer = answerer.ask(qa.q)
            hit = first_hit(answer.passages[:k], qa.gold) if qa.gold else None
            records.append(Record(qa, answer, hit, naive_answer(qa.q, answer.passages)))
            bar.update()
    finally:
        bar.close()
    return records
