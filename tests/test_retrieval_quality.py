"""Retrieval quality on the shared dev set (plus the sample articles as distractors) and on the samples' own questions."""

from __future__ import annotations

import json

import pytest

from conftest import DEV_QA, LG_ARTICLE, ROOT, SAMPLES, make_settings, needs_shared
from ingest.pipeline import ingest_paths
from rag.index import SearchIndex
from rag.retrieval import Retriever

SAMPLES_QA = ROOT / "tests" / "data" / "samples_qa.jsonl"


def _answerable(path):
    return [q for q in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if q["answerable"]]


@pytest.fixture(scope="module")
def retriever(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("quality"))
    index = SearchIndex(settings)
    docs = [LG_ARTICLE, SAMPLES] if LG_ARTICLE.is_file() else [SAMPLES]  # without ../shared: the samples alone
    results = ingest_paths(settings, docs, index=index)
    assert all(r.status == "added" for r in results), [r.line() for r in results]
    return Retriever(index)


def _hit_and_mrr(retriever, questions, ranking):
    hits = mrr = 0.0
    for q in questions:
        ids = ranking(retriever, q["q"])[:5]
        texts = retriever.index.store.get_chunks(ids)
        rank = next((r for r, cid in enumerate(ids, 1) if any(g in texts[cid][0] for g in q["gold"])), None)
        hits += rank is not None
        mrr += 1 / rank if rank else 0
    return hits / len(questions), mrr / len(questions)


def hybrid(retriever, query):
    return [cid for cid, _ in retriever.rank(query)[2]]


def lexical(retriever, query):
    return retriever.rank(query)[0]


@pytest.mark.parametrize("qa, min_hit, min_mrr", [pytest.param(DEV_QA, 0.95, 0.9, marks=needs_shared),
                                                  (SAMPLES_QA, 0.9, 0.65)])
def test_hybrid_meets_floors(retriever, qa, min_hit, min_mrr):
    hit, mrr = _hit_and_mrr(retriever, _answerable(qa), hybrid)
    assert hit >= min_hit and mrr >= min_mrr, (hit, mrr)


@pytest.mark.parametrize("qa", [pytest.param(DEV_QA, marks=needs_shared), SAMPLES_QA])
def test_hybrid_never_worse_than_lexical_alone(retriever, qa):
    questions = _answerable(qa)
    hybrid_hit, hybrid_mrr = _hit_and_mrr(retriever, questions, hybrid)
    lexical_hit, lexical_mrr = _hit_and_mrr(retriever, questions, lexical)
    assert hybrid_hit >= lexical_hit and hybrid_mrr >= lexical_mrr - 1e-9


@needs_shared
def test_passages_carry_ranks_and_metadata(retriever):
    passages = retriever.search("LG는 사내 AI 대학원을 언제 개설했나요?", 3)
    top = passages[0]
    assert "2022" in top.text and top.title == "LG는 왜 사내에 AI 대학원을 만들었을까?"
    assert top.lexical_rank == 1
    assert {"chunk_index", "start", "end", "language", "tags", "ingested_at"} <= set(top.metadata)
    assert top.metadata["language"] == "ko" and "AI대학원" in top.metadata["tags"]


def test_passages_of_a_sample_carry_ranks_and_metadata(retriever):
    top = retriever.search("남해공과대학교 교수 몇 명이 기초 과목을 지원하나요?", 3)[0]
    assert "남해공과대학교 교수 5명" in top.text and top.title.startswith("청람정밀 사내 'AI 아카데미'")
    assert top.lexical_rank == 1 and top.source.endswith("ko-cheongram-ai-academy.md")
    assert {"chunk_index", "start", "end", "language", "tags", "ingested_at"} <= set(top.metadata)
    assert top.metadata["language"] == "ko"
