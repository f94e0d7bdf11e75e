"""`python -m eval [--qa FILE | --squad FILE ...] [--k 5] [--docs PATH ...] [--curve] [--json]`: retrieval and answer quality."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from answer.errors import AnswerError
from eval.curve import curve
from eval.dataset import DatasetError
from eval.metrics import Record, summarize
from eval.report import print_curve, print_records, print_summary
from eval.runner import EvalError, evaluation_settings, run_questions
from eval.sets import QuestionSet, question_file_set, squad_sets
from eval.squad import SPLITS
from rag.errors import user_message
from rag.settings import Settings, get_settings


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m eval", description=__doc__)
    parser.add_argument("--qa", type=Path, help="question file (.jsonl); default ../shared/eval/dev_qa.jsonl")
    parser.add_argument("--squad", type=Path, metavar="FILE",
                        help="a SQuAD-format file (KorQuAD): store its articles, ask a sample of its questions")
    parser.add_argument("--articles", choices=SPLITS, default=None,
                        help="with --squad: the articles at even, odd or all positions of `data` (default even)")
    parser.add_argument("--distractors", action="store_true",
                        help="with --squad: also store the articles at the other positions (never asked about), "
                             "as in the reference figures of all 140 KorQuAD articles in one store")
    parser.add_argument("--questions", type=int, default=300, metavar="N", help="with --squad: questions sampled (300)")
    parser.add_argument("--seed", type=int, default=0, help="with --squad: seed of the question sample (0)")
    parser.add_argument("--unanswerable", action="store_true",
                        help="with --squad: ask about every other article, storing only the rest")
    parser.add_argument("--attribute-absent", action="store_true",
                        help="with --squad: ask questions whose article is stored without the paragraph that "
                             "answers them (the subject is there, the asked fact is not)")
    parser.add_argument("--curve", action="store_true",
                        help="also print containment against refusal accuracy over confidence thresholds "
                             "(with --squad: runs the answerable and the unanswerable set)")
    parser.add_argument("--k", type=int, default=None, help="passages retrieved per question (default RAG_TOP_K)")
    parser.add_argument("--docs", action="append", default=[], metavar="PATH",
                        help="file or folder to ingest into a temporary store first (repeatable); "
                             "default: use the configured store (with --squad: added to its store)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--show", action="store_true", help="also print each question and its answer")
    args = parser.parse_args(argv)
    if args.squad and args.qa:
        parser.error("give --qa or --squad, not both")
    if not args.squad and (args.unanswerable or args.attribute_absent or args.articles or args.distractors):
        parser.error("--articles, --distractors, --unanswerable and --attribute-absent need --squad FILE")
    if args.questions < 1:
        parser.error("--questions must be 1 or more")
    return args


def question_sets(args: argparse.Namespace, folder: Path) -> list[QuestionSet]:
    if not args.squad:
        return [question_file_set(args.qa, args.docs)]
    # A curve needs both sides: answerable questions and ones whose article is not stored.
    only_refusals = args.unanswerable or args.attribute_absent
    return squad_sets(args.squad, args.articles or "even", args.questions, args.seed,
                      answerable=not only_refusals, unanswerable=args.unanswerable or args.curve,
                      folder=folder, extra_docs=args.docs, distractors=args.distractors,
                      attribute_absent=args.attribute_absent)


def run_set(qset: QuestionSet, settings: Settings, k: int) -> list[Record]:
    if qset.name:
        print(f"{qset.name}: {len(qset.questions)} questions; store: {qset.store}", file=sys.stderr, flush=True)
    with evaluation_settings(settings, qset.docs, progress=True) as run_settings:
        from answer.pipeline import Answerer
        from rag.service import open_retriever

        answerer = Answerer(open_retriever(run_settings), run_settings)
        return run_questions(answerer, qset.questions, k, progress=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        settings = get_settings()
        k = args.k or settings.top_k
        settings = settings.model_copy(update={"top_k": k})
        with tempfile.TemporaryDirectory(prefix="rag-eval-docs-") as folder:
            runs = [(qset, run_set(qset, settings, k)) for qset in question_sets(args, Path(folder))]
    except (DatasetError, EvalError, AnswerError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the edge: store and loader errors become one line
        print(f"error: {user_message(exc)}", file=sys.stderr)
        return 2
    rows = curve([r for _, records in runs for r in records]) if args.curve else None
    (print_json if args.json else print_text)(runs, rows, k, args.show)
    return 0


def print_json(runs: list[tuple[QuestionSet, list[Record]]], rows: list[dict] | None, k: int, show: bool) -> None:
    def payload(records: list[Record]) -> dict:
        return summarize(records, k) | ({"records": [r.to_json() for r in records]} if show else {})

    # One set keeps the summary at the top level, as question files always had it.
    out = payload(runs[0][1]) if len(runs) == 1 else {qset.name: payload(records) for qset, records in runs}
    print(json.dumps(out | ({"curve": rows} if rows is not None else {}), ensure_ascii=False))


def print_text(runs: list[tuple[QuestionSet, list[Record]]], rows: list[dict] | None, k: int, show: bool) -> None:
    for qset, records in runs:
        if qset.name:
            print(f"\n{qset.name} (store: {qset.store})")
        if show:
            print_records(records)
        print_summary(summarize(records, k))
    if rows is not None:
        print("\nconfidence threshold curve (containment and false refusals: answerable; refusal accuracy: unanswerable)")
        print_curve(rows)


if __name__ == "__main__":
    sys.exit(main())
