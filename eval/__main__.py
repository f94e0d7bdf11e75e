"""`python -m eval [--qa FILE] [--k 5] [--docs PATH ...] [--json]`: retrieval and answer quality."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from answer.errors import AnswerError
from eval.dataset import DatasetError, default_qa_path, load_questions
from eval.metrics import summarize
from eval.runner import EvalError, evaluation_settings, run_questions
from rag.errors import user_message
from rag.settings import get_settings


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m eval", description=__doc__)
    parser.add_argument("--qa", type=Path, help="question file (.jsonl); default ../shared/eval/dev_qa.jsonl")
    parser.add_argument("--k", type=int, default=None, help="passages retrieved per question (default RAG_TOP_K)")
    parser.add_argument("--docs", action="append", default=[], metavar="PATH",
                        help="file or folder to ingest into a temporary store first (repeatable); "
                             "default: use the configured store")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--show", action="store_true", help="also print each question and its answer")
    return parser.parse_args(argv)


def _print_table(summary: dict) -> None:
    for key, value in summary.items():
        print(f"{key:>22}: {'-' if value is None else value}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        questions = load_questions(args.qa or default_qa_path())
        settings = get_settings()
        k = args.k or settings.top_k
        with evaluation_settings(settings.model_copy(update={"top_k": k}), args.docs) as run_settings:
            from answer.pipeline import Answerer
            from rag.service import open_retriever

            answerer = Answerer(open_retriever(run_settings), run_settings)
            records = run_questions(answerer, questions, k)
    except (DatasetError, EvalError, AnswerError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the edge: store and loader errors become one line
        print(f"error: {user_message(exc)}", file=sys.stderr)
        return 2
    summary = summarize(records, k)
    if args.json:
        payload = summary | ({"records": [r.to_json() for r in records]} if args.show else {})
        print(json.dumps(payload, ensure_ascii=False))
        return 0
    if args.show:
        for r in records:
            mark = "ok " if (r.contains_gold if r.qa.answerable else r.answer.refused) else "BAD"
            print(f"{mark} {r.qa.id} [{r.hit_rank}] {r.qa.q}\n      -> {r.answer.answer}")
    _print_table(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
