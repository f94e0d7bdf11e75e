"""The offline extractive answerer on the question sets, through the real store and retriever.

Floors sit a little under what was measured (see the numbers in each test); a drop below them
is a regression in retrieval or answering.
"""

import json
from pathlib import Path

import pytest

from answer.pipeline import Answerer
from eval.__main__ import main
from eval.dataset import load_questions
from eval.metrics import summarize
from eval.runner import run_questions
from ingest.pipeline import ingest_paths
from rag.service import open_retriever
from rag.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
LG_ARTICLE = SHARED / "corpus" / "lg-ai-graduate-school.txt"
DEV_QA = SHARED / "eval" / "dev_qa.jsonl"
QUESTIONS = ROOT / "eval" / "questions"
SAMPLES = ROOT / "data" / "samples"

pytestmark = pytest.mark.skipif(not LG_ARTICLE.is_file(), reason="the shared LG article is not checked out")


@pytest.fixture(scope="module")
def answerer(tmp_path_factory):
    settings = Settings(_env_file=None, db_dir=tmp_path_factory.mktemp("eval-db"), samples_dir=SAMPLES,
                        llm="extractive", top_k=5)
    results = ingest_paths(settings, [str(LG_ARTICLE), str(SAMPLES), str(QUESTIONS / "articles")])
    assert [r for r in results if r.status == "failed"] == []
    return Answerer(open_retriever(settings, seed_samples=False), settings)


def evaluate(answerer, path):
    return summarize(run_questions(answerer, load_questions(path), k=5), k=5)


# Floors sit under what was measured (README, "Answer quality"); every set is also measured against
# the naive answerer in the same run, which the answerer must not fall behind.
# measured (contains / refused): shared dev 1.00 / 0.50, samples 0.82 / 0.25, answers_dev 0.93 / 0.52, fresh_dev 0.47 / 0.45
@pytest.mark.parametrize("path, contains, refused", [
    (DEV_QA, 0.9, 0.5),
    (ROOT / "tests" / "data" / "samples_qa.jsonl", 0.75, 0.125),
    (QUESTIONS / "answers_dev.jsonl", 0.85, 0.4),
    (QUESTIONS / "fresh_dev.jsonl", 0.4, 0.35),  # never fitted on
], ids=["shared-dev", "samples", "answers-dev", "fresh-dev"])
def test_question_sets(answerer, path, contains, refused):
    summary = evaluate(answerer, path)
    assert summary["answer_contains_gold"] >= contains
    assert summary["answer_contains_gold"] >= summary["naive_contains_gold"] - 0.05
    assert summary["refusal_accuracy"] >= refused
    assert summary["citation_validity"] == 1.0


def test_cli_prints_one_json_object(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("RAG_DB_DIR", str(tmp_path / "unused-db"))
    qa = tmp_path / "qa.jsonl"
    qa.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in [
        {"id": "a", "q": "LG는 사내 AI 대학원을 언제 개설했나요?", "gold": ["2022"], "answerable": True},
        # Subject absent. (An attribute-absent question over one article is the known gap, README.)
        {"id": "b", "q": "하람대학교 AI 대학원의 입학 정원은 몇 명인가요?", "gold": [], "answerable": False},
    ]))
    assert main(["--qa", str(qa), "--docs", str(LG_ARTICLE), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["questions"] == 2
    assert summary["answer_contains_gold"] == 1.0 and summary["refusal_accuracy"] == 1.0
    assert not (tmp_path / "unused-db").exists()  # --docs evaluated in a temporary store


def test_cli_missing_question_file_is_one_line(tmp_path, capsys):
    assert main(["--qa", str(tmp_path / "nope.jsonl")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot read") and err.count("\n") == 1
