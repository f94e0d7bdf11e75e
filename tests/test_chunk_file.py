"""The copy of chunk rows beside the BM25 index: queries read passages from it, and it always says what Chroma says."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.document import LoadedDocument
from ingest.pipeline import Ingestor, ingest_paths
from rag.chunk_file import ROWS
from rag.index import SearchIndex, lexical_folder
from rag.retrieval import Retriever
from tests.conftest import SAMPLES

QUESTIONS = ["가온-미르 멀티모달 AI 연구센터 센터장은 누구인가요?", "How much did Corvane pledge for reskilling?",
             "청하 청소년 AI 해커톤 참가 팀 수", "다솔 AI 대학원 전공"]


class Untouchable:
    """Stands in for the chunk collection: any use of it fails the test."""

    def __getattr__(self, name):
        raise AssertionError(f"the query used Chroma's chunk collection ({name})")


def load_samples(index: SearchIndex) -> None:
    results = ingest_paths(index.settings, [str(SAMPLES)], index=index)
    assert results and all(r.status == "added" for r in results), [r.line() for r in results]


def assert_copy_matches_chroma(index: SearchIndex) -> None:
    """Every committed chunk's row in the copy equals Chroma's, BM25 terms aside."""
    reopened = SearchIndex(index.settings)
    ids = reopened.lexical.ids
    assert ids and reopened.lexical.rows is not None
    chroma = {cid: (text, {k: v for k, v in meta.items() if k != "terms"})
              for cid, (text, meta) in reopened.store.get_chunks(ids).items()}
    assert reopened.lexical.rows.get(ids) == chroma


@pytest.fixture
def index(settings) -> SearchIndex:
    index = SearchIndex(settings)
    load_samples(index)
    return index


def test_a_fresh_process_answers_without_opening_the_chunk_collection(index):
    k = 5  # BM25 finds at least k here, so the hash embedder stays gated off (below k it fills in)
    expected = {q: Retriever(index).search(q, k) for q in QUESTIONS}
    cold = SearchIndex(index.settings)  # as `python app.py ask` starts
    cold.store.chunks = Untouchable()
    retriever = Retriever(cold)
    for question in QUESTIONS:
        assert retriever.search(question, k) == expected[question]


def test_passages_are_the_same_read_from_chroma(index):
    with_copy = [Retriever(index).search(q, 5) for q in QUESTIONS]
    index.lexical.rows = None  # every row from Chroma, as before the copy existed
    assert [Retriever(index).search(q, 5) for q in QUESTIONS] == with_copy


def test_the_copy_follows_updates_and_deletions(index):
    assert_copy_matches_chroma(index)
    source = str(SAMPLES / "changed.txt")
    Ingestor(index).ingest_documents([LoadedDocument(source=source, title="t", text="알파전자는 2019년 문을 열었다.")])
    Ingestor(index).ingest_documents([LoadedDocument(source=source, title="t", text="알파전자는 2020년 문을 열었다.")])
    assert_copy_matches_chroma(index)
    texts = [text for text, _ in SearchIndex(index.settings).lexical.rows.get(index.lexical.ids).values()]
    assert "알파전자는 2020년 문을 열었다." in texts and "알파전자는 2019년 문을 열었다." not in texts
    doc_id = next(d["doc_id"] for d in index.store.documents() if d["source"] == source)
    index.delete_document(doc_id)
    assert_copy_matches_chroma(index)
    assert not any("알파전자" in text for text, _ in index.lexical.rows.get(index.lexical.ids).values())


@pytest.mark.parametrize("damage", ["lost", "cut short"])
def test_an_index_without_a_whole_copy_is_rebuilt_with_it(index, damage):
    """BM25 files written before the copy existed, a copy lost or cut short: the next process rebuilds both."""
    for rows in Path(lexical_folder(index.settings)).glob(f"v-*/{ROWS}"):
        if damage == "lost":
            rows.unlink()
        else:
            rows.write_bytes(rows.read_bytes()[:-100])
    assert_copy_matches_chroma(index)


def test_chunk_terms_are_read_off_the_index(index):
    ids = index.lexical.ids[:20]
    for cid, (_, meta) in index.store.get_chunks(ids).items():
        held = set(meta["terms"].split())
        assert index.lexical.found_in(cid, held | {"없는낱말"}) == held
    assert index.lexical.found_in("no-such-chunk", {"AI"}) == set()
