"""Evaluation scoring and question files."""

import json

import pytest

from answer.types import Answer, Citation
from eval.dataset import QA, DatasetError, load_questions
from eval.metrics import Record, citations_valid, first_hit, percentile, summarize
from rag.types import Passage


def answer(text: str, refused: bool = False, cited: int = 1, total_ms: float = 10.0) -> Answer:
    citations = [Citation(n, "d", "s", "t", f"c{n}", "x") for n in range(1, cited + 1)]
    return Answer("q", text, refused, citations, [], {"retrieve": 1.0, "generate": 2.0, "total": total_ms})


@pytest.mark.parametrize("values, q, expected", [([], 50, 0.0), ([5.0], 95, 5.0), ([1, 2, 3, 4], 50, 2), ([1, 2, 3, 4], 95, 4)])
def test_percentile(values, q, expected):
    assert percentile(values, q) == expected


def test_first_hit_is_the_rank_of_the_first_passage_with_gold():
    ps = [Passage(f"c{i}", "d", "s", "t", text) for i, text in enumerate(["no", "2022년 개설", "2022"], 1)]
    assert first_hit(ps, ["2022"]) == 2
    assert first_hit(ps, ["2030"]) is None


@pytest.mark.parametrize(
    "text, cited, valid", [("a [1]", 1, True), ("a [2]", 1, False), ("a [1][2]", 2, True), ("none", 0, True)]
)
def test_citations_valid(text, cited, valid):
    assert citations_valid(answer(text, cited=cited)) is valid


def test_summarize_counts_each_kind_of_question():
    records = [
        Record(QA("1", "q", ("2022",), True), answer("2022년 [1]", total_ms=10), 1),
        Record(QA("2", "q", ("79",), True), answer("The documents don't say.", refused=True, cited=0, total_ms=30), 2),
        Record(QA("3", "q", (), False), answer("제공된 문서에서 답을 찾을 수 없습니다.", True, cited=0, total_ms=20), None),
        Record(QA("4", "q", (), False), answer("made up [1]", total_ms=40), None),
    ]
    summary = summarize(records, k=5)
    assert summary["hit@5"] == 1.0 and summary["mrr"] == 0.75
    assert summary["answer_contains_gold"] == 0.5
    assert summary["false_refusal_rate"] == 0.5
    assert summary["refusal_accuracy"] == 0.5
    assert summary["citation_validity"] == 1.0
    assert (summary["latency_ms_p50"], summary["latency_ms_p95"]) == (20, 40)


def test_load_questions(tmp_path):
    path = tmp_path / "qa.jsonl"
    path.write_text(json.dumps({"id": "a", "q": "언제?", "gold": ["2022"], "answerable": True}, ensure_ascii=False)
                    + "\n\n" + json.dumps({"id": "b", "q": "정원은?", "gold": [], "answerable": False}) + "\n")
    assert load_questions(path) == [QA("a", "언제?", ("2022",), True), QA("b", "정원은?", (), False)]


def test_bad_question_files_say_where(tmp_path):
    path = tmp_path / "qa.jsonl"
    path.write_text('{"id": "a", "q": "ok"}\n{"id": "b"}\n')
    with pytest.raises(DatasetError, match=r"qa\.jsonl:2: not a question line"):
        load_questions(path)
    with pytest.raises(DatasetError, match="cannot read"):
        load_questions(tmp_path / "missing.jsonl")
