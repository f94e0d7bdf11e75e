"""`python -m eval.fit --squad FILE [--qa FILE ...] [--docs PATH ...]`: fit answer/model.json.

The ranker (which sentence answers) is a conditional logit over the candidates of each question,
fitted on the sentences that hold the gold answer. The confidence (does the chosen sentence answer)
is a logistic regression fitted on out-of-fold choices: KorQuAD questions from the even-position
articles (two folds), the same questions asked of a store without their article (unanswerable),
with --attribute-absent N others asked of their article without the paragraph that answers them,
and the question files with their documents (which hold both kinds of unanswerable question). The
refusal threshold is the one that gets the most right while refusing at most
FALSE_REFUSAL_BUDGET of the answerable KorQuAD questions.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from answer.aliases import with_names_in_both_scripts
from answer.answer_types import TYPES_FILE, AnswerTypes, learn
from answer.extractive import quoted
from answer.features import FEATURES, candidates
from answer.question import analyze, search_query
from answer.scorer import ANSWER_FEATURES, MODEL_FILE, Model
from answer.sentences import split_passages
from eval.dataset import QA, DatasetError, load_questions
from eval.metrics import contains_any
from eval.runner import EvalError, evaluation_settings
from eval.squad import (
    article_questions,
    as_unanswerable,
    load_articles,
    sample_questions,
    without_answers,
    write_documents,
)
from ingest.progress import Progress
from rag.settings import Settings, get_settings

FALSE_REFUSAL_BUDGET = 0.04  # of answerable KorQuAD questions (the goal allows 0.05)
QUESTION_FILE_SHARE = 1.0  # the question files weigh this much of KorQuAD's total in every fit
NOTHING_TO_FIT = "error: nothing to fit on: give --squad FILE (or --load features that include it)"
RIDGE = 1.0  # L2 penalty: keeps the few weights small where the data says little


@dataclass
class Group:
    """One question's candidates."""

    source: str  # "korquad", "korquad-absent" or a question file's name
    fold: int  # 0 or 1: which half fits the ranker that scores it out of fold
    answerable: bool
    values: np.ndarray  # candidates x FEATURES
    labels: np.ndarray  # the candidate holds a gold answer
    fact: str | None  # the kind of fact the question asks
    units_required: bool
    question: str = ""
    weight: float = 1.0


def collect(settings: Settings, questions: Sequence[QA], source: str, folds: Sequence[int],
            types: dict[int, AnswerTypes] | None = None) -> list[Group]:
    """Retrieve for each question and compute its candidates' features (`types`: the answer-type
    tables to read each fold's questions with, learned without them)."""
    from rag.service import open_retriever

    retriever = open_retriever(settings, seed_samples=False)
    groups, progress = [], Progress(len(questions), f"questions ({source})")
    for qa, fold in zip(questions, folds):
        asked = with_names_in_both_scripts(analyze(qa.q), retriever)
        sentences = split_passages(retriever.search(search_query(asked), settings.top_k))
        progress.update()
        if not sentences or not asked.slots:
            continue
        found = candidates(asked, sentences, types[fold] if types else None)
        labels = np.array([qa.answerable and contains_any(s.text.raw, qa.gold) for s in sentences])
        groups.append(Group(source, fold, qa.answerable, found.values, labels, asked.fact, asked.units_required, qa.q))
    progress.close()
    return groups


def gather(args: argparse.Namespace, types: AnswerTypes | None) -> list[Group]:
    settings = get_settings().model_copy(update={"llm": "extractive"})
    groups: list[Group] = []
    with tempfile.TemporaryDirectory(prefix="rag-fit-") as tmp:
        if args.squad:
            groups += _korquad(args, settings, Path(tmp))
        if args.qa:
            with evaluation_settings(settings, args.docs, progress=True) as own:
                for path in args.qa:
                    questions = load_questions(path)
                    groups += collect(own, questions, path.name, [i % 2 for i in range(len(questions))],
                                      {0: types, 1: types})
    return groups


def _fold(position: int) -> int:
    return (position // 2) % 2


def learn_types(path: Path, folds: Sequence[int] = (0, 1)) -> AnswerTypes:
    """Answer-type tables from the even-position articles of the given folds."""
    return learn((qa.q, p.context, qa.gold) for a in load_articles(path, "even") if _fold(a.position) in folds
                 for p in a.paragraphs for qa in p.questions)


def _korquad(args: argparse.Namespace, settings: Settings, tmp: Path) -> list[Group]:
    """Answerable questions asked of all even articles; absent ones of a store of the other fold."""
    articles = load_articles(args.squad, "even")
    folds = {a.position: _fold(a.position) for a in articles}
    # Each fold's questions are read with tables learned on the other fold's answers only.
    types = {fold: learn_types(args.squad, [1 - fold]) for fold in (0, 1)}
    fold_of = {qa.id: folds[a.position] for a in articles for qa in article_questions(a)}
    asked = sample_questions(articles, args.questions, args.seed)
    with evaluation_settings(settings, [str(write_documents(articles, tmp / "korquad"))], progress=True) as store:
        groups = collect(store, asked, "korquad", [fold_of[q.id] for q in asked], types)
    for fold in (0, 1):  # each fold's questions asked of a store holding only the other fold
        folder = write_documents([a for a in articles if folds[a.position] != fold], tmp / f"fold{fold}")
        absent = sample_questions([a for a in articles if folds[a.position] == fold], args.absent // 2, args.seed + 1)
        with evaluation_settings(settings, [str(folder)], progress=True) as store:
            groups += collect(store, as_unanswerable(absent), "korquad-absent", [fold] * len(absent), types)
    if args.attribute_absent:  # the article stays, the paragraph that answers goes
        trimmed, asked = without_answers(articles, args.attribute_absent, args.seed + 2)
        with evaluation_settings(settings, [str(write_documents(trimmed, tmp / "attribute"))], progress=True) as store:
            groups += collect(store, asked, "korquad-attribute", [fold_of[q.id] for q in asked], types)
    return groups


def _weigh(groups: list[Group]) -> None:
    korquad = sum(g.source.startswith("korquad") for g in groups)
    files = [g for g in groups if not g.source.startswith("korquad")]
    for g in files:
        g.weight = QUESTION_FILE_SHARE * korquad / len(files)


def _ranker_objective(groups: Sequence[Group], w: np.ndarray) -> float:
    """Weighted log-likelihood of the answer-holding candidates, less the ridge penalty."""
    total = -RIDGE / 2 * w @ w
    for g in groups:
        s = g.values @ w
        top = s.max()
        total += g.weight * ((g.labels / g.labels.sum()) @ s - top - np.log(np.exp(s - top).sum()))
    return total


def fit_ranker(groups: Sequence[Group], iterations: int = 40) -> np.ndarray:
    """Conditional-logit weights by Newton's method with a backtracking line search: each
    question's softmax over its candidates puts its mass on those holding the answer."""
    usable = [g for g in groups if g.labels.any()]
    w = np.zeros(len(FEATURES))
    current = _ranker_objective(usable, w)
    for _ in range(iterations):
        grad, hess = -RIDGE * w, -RIDGE * np.eye(len(w))
        for g in usable:
            s = g.values @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            mean = p @ g.values
            grad += g.weight * ((g.labels / g.labels.sum()) @ g.values - mean)
            centred = g.values - mean
            hess -= g.weight * (centred.T * p) @ centred
        step, scale = np.linalg.solve(hess, grad), 1.0
        while scale > 1e-4:
            trial = w - scale * step
            value = _ranker_objective(usable, trial)
            if value >= current:
                break
            scale /= 2
        else:
            break
        improved, w, current = value - current, trial, value
        if improved < 1e-6:
            break
    return w


def fit_logistic(x: np.ndarray, y: np.ndarray, weights: np.ndarray, iterations: int = 50) -> np.ndarray:
    """Weighted logistic regression (bias first) by Newton's method, standardised inside."""
    mean, scale = x.mean(0), x.std(0) + 1e-9
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    penalty = RIDGE * np.eye(len(w))
    penalty[0, 0] = 0
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-z @ w))
        grad = z.T @ (weights * (y - p)) - penalty @ w
        hess = -(z.T * (weights * p * (1 - p))) @ z - penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    raw = w[1:] / scale
    return np.concatenate([[w[0] - raw @ mean], raw])


def _choices(model: Model, groups: Sequence[Group]) -> tuple[np.ndarray, np.ndarray]:
    """Confidence inputs and 'the reply holds the answer' for each group under `model`'s ranker."""
    rows, right = [], []
    for g in groups:
        scores = model.scores(g.values)
        features = model.answer_features(g.values, scores, g.fact, g.units_required)
        rows.append([features[f] for f in ANSWER_FEATURES])
        right.append(bool(g.labels[quoted(scores)].any()))
    return np.array(rows), np.array(right)


def _model(ranker: np.ndarray, confidence: np.ndarray | None = None, threshold: float = 0.5, fitted_on: str = "") -> Model:
    conf = dict(zip(("bias", *ANSWER_FEATURES), confidence)) if confidence is not None else {}
    return Model(dict(zip(FEATURES, ranker)), conf, threshold, fitted_on)


def _threshold(groups: Sequence[Group], confidence: np.ndarray, right: np.ndarray) -> tuple[float, list[str]]:
    """The threshold with the most right answers and refusals within the false-refusal budget, and
    the curve it was read from."""
    sources = sorted({g.source for g in groups})
    answerable = np.array([g.answerable for g in groups])
    lines, best = [], (-1.0, 0.5)
    for t in np.round(np.arange(0.02, 0.96, 0.02), 2):
        answered = confidence >= t
        scores = {}
        for source in sources:
            mask = np.array([g.source == source for g in groups])
            ans, una = mask & answerable, mask & ~answerable
            scores[source] = ((answered & right & ans).sum() / ans.sum() if ans.any() else None,
                              (~answered & ans).sum() / ans.sum() if ans.any() else 0.0,
                              (~answered & una).sum() / una.sum() if una.any() else None)
        total = np.mean([v for contained, _, refused in scores.values() for v in (contained, refused) if v is not None])
        lines.append(f"{t:.2f} " + "  ".join(
            f"{s}:" + (f" c={c:.2f} fr={fr:.2f}" if c is not None else "") + (f" r={r:.2f}" if r is not None else "")
            for s, (c, fr, r) in scores.items()))
        if scores["korquad"][1] <= FALSE_REFUSAL_BUDGET and total > best[0]:
            best = (total, float(t))
    return best[1], lines


def fit(groups: list[Group], fitted_on: str) -> tuple[Model, list[str]]:
    _weigh(groups)
    out_of_fold_x, out_of_fold_y, ordered = [], [], []
    for fold in (0, 1):
        ranker = fit_ranker([g for g in groups if g.fold != fold])
        held = [g for g in groups if g.fold == fold]
        x, y = _choices(_model(ranker), held)
        out_of_fold_x.append(x)
        out_of_fold_y.append(y)
        ordered += held
    x, y = np.vstack(out_of_fold_x), np.concatenate(out_of_fold_y)
    weights = np.array([g.weight for g in ordered])
    confidence = fit_logistic(x, y.astype(float), weights)
    ranker = fit_ranker(groups)
    model = _model(ranker, confidence)
    oof = np.array([model.confidence_of(dict(zip(ANSWER_FEATURES, row))) for row in x])
    threshold, curve = _threshold(ordered, oof, y)
    answerable = np.array([g.answerable for g in ordered])
    report = [f"out-of-fold: the quoted sentences hold the answer for {y[answerable].mean():.3f} of answerable questions",
              "threshold  per set: c = answered and right (answerable), fr = refused (answerable), r = refused (unanswerable)",
              *curve]
    return _model(ranker, confidence, threshold, fitted_on), report


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m eval.fit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--squad", type=Path, help="SQuAD-format file; only its even-position articles are read")
    parser.add_argument("--questions", type=int, default=1200, help="answerable KorQuAD questions sampled")
    parser.add_argument("--absent", type=int, default=500, help="KorQuAD questions asked of a store without their article")
    parser.add_argument("--attribute-absent", type=int, default=0,
                        help="KorQuAD questions asked of their article without the paragraph that answers them "
                             "(0: none; the shipped model was fitted without them, see README)")
    parser.add_argument("--qa", type=Path, action="append", default=[], help="question file fitted on too (repeatable)")
    parser.add_argument("--docs", action="append", default=[], help="documents of the question files (repeatable)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--save", type=Path, help="also keep this run's computed features in FILE")
    parser.add_argument("--load", type=Path, action="append", default=[],
                        help="add features saved by an earlier --save (repeatable)")
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not (args.squad or args.load or args.save):  # said before minutes of retrieval, not after
        print(NOTHING_TO_FIT, file=sys.stderr)
        return 2
    try:
        types = learn_types(args.squad) if args.squad else None
        groups = gather(args, types) if args.squad or args.qa else []
    except (DatasetError, EvalError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.save:
        args.save.write_bytes(pickle.dumps(groups))
    for path in args.load:
        groups += pickle.loads(path.read_bytes())
    if not any(g.source == "korquad" for g in groups):
        print(NOTHING_TO_FIT, file=sys.stderr)
        return 2
    command = "python -m eval.fit " + " ".join(sys.argv[1:] if argv is None else argv)
    model, report = fit(groups, command)
    print("\n".join(report))
    args.out.write_text(json.dumps(model.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    written = [args.out]
    if types is not None:
        types_file = args.out.with_name(TYPES_FILE.name)
        types_file.write_text(json.dumps(types.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(types_file)
    print(f"threshold {model.threshold:.2f}; wrote {', '.join(map(str, written))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
