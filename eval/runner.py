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
    with tempfile.TemporaryDirectory(prefix="rag-eval-") as tmp:
        temporary = settings.model_copy(update={"db_dir": Path(tmp), "chroma_host": None})
        failed = [r.line() for r in _ingest(temporary, docs, progress) if r.status == "failed"]
        if failed:
            raise EvalError(f"could not ingest {len(failed)} input(s): {failed[0]}")
        yield temporary


def _ingest(settings: Settings, docs: Sequence[str], progress: bool) -> list:
    # ingest_paths with a progress bar: a 70-article store takes minutes and should say so.
    from ingest.pipeline import Ingestor
    from ingest.result import IngestResult
    from ingest.sources import expand_sources
    from ingest.url_policy import OPERATOR
    from rag.index import SearchIndex

    sources, rejected = expand_sources(list(docs))
    bar = Progress(len(sources), "document", enabled=progress and len(sources) >= PROGRESS_FROM)
    try:
        ingested = Ingestor(SearchIndex(settings), url_policy=OPERATOR).ingest(sources, on_step=lambda _: bar.update())
    finally:
        bar.close()
    return [IngestResult(arg, "failed", reason=reason) for arg, reason in rejected] + ingested


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
