"""Store + BM25 index behaviour, embedded and against a real Chroma server."""

from __future__ import annotations

import shutil

import pytest

from ingest.document import LoadedDocument
from ingest.pipeline import Ingestor
from rag.embeddings import HashingEmbeddings
from rag.index import SearchIndex, lexical_folder
from rag.retrieval import Retriever
from rag.store import Store, StoreError


class CountingEmbeddings(HashingEmbeddings):
    """The real offline embedder, counting the texts it was asked to embed."""

    def __init__(self):
        super().__init__()
        self.embedded = 0

    def embed_documents(self, texts):
        self.embedded += len(texts)
        return super().embed_documents(texts)


ALPHA = "알파전자는 2019년 사내 AI 아카데미를 열었다. 수료생은 모두 120명이다."
BETA = "베타대학교는 2021년 해커톤을 처음 개최했다. 참가자는 300명이었다."


def doc(source, text, title="제목"):
    return LoadedDocument(source=source, title=title, text=text)


def ingest(index, *docs):
    return [(r.status, r.chunks) for r in Ingestor(index).ingest_documents(docs)]


def hits(index, query):
    return [(p.source, p.text) for p in Retriever(index).search(query, 5)]


@pytest.fixture
def index(any_settings):
    return SearchIndex(any_settings, embedder=CountingEmbeddings())


def test_collection_uses_cosine_and_records_embedder(index):
    assert index.store.chunks.configuration["hnsw"]["space"] == "cosine"
    assert index.store.chunks.metadata["embedder"] == "hash"


def test_reingest_unchanged_writes_and_embeds_nothing(index):
    assert ingest(index, doc("/a.txt", ALPHA)) == [("added", 1)]
    ids, embedded = index.store.chunk_ids(), index.embedder.embedded
    assert ingest(index, doc("/a.txt", ALPHA)) == [("unchanged", 1)]
    assert index.store.chunk_ids() == ids
    assert index.embedder.embedded == embedded


def test_changed_document_replaces_all_old_chunks(index):
    ingest(index, doc("/a.txt", ALPHA))
    assert ingest(index, doc("/a.txt", BETA)) == [("updated", 1)]
    assert all("알파" not in text for _, text in hits(index, "알파전자 아카데미"))
    assert len(index.store.chunk_ids()) == 1 and set(index.lexical.ids) == set(index.store.chunk_ids())


def test_same_text_under_two_sources_is_stored_once(index):
    assert ingest(index, doc("/a.txt", ALPHA), doc("https://x.test/a", ALPHA)) == [("added", 1), ("duplicate", 0)]
    assert len(index.store.documents()) == 1


def test_delete_removes_from_chroma_and_bm25(index):
    ingest(index, doc("/a.txt", ALPHA), doc("/b.txt", BETA))
    doc_id = next(d["doc_id"] for d in index.store.documents() if d["source"] == "/a.txt")
    assert index.delete_document(doc_id) == 1
    assert not index.store.chunk_ids_of(doc_id)
    assert all(not cid.startswith(doc_id) for cid in index.lexical.ids)
    assert all(source != "/a.txt" for source, _ in hits(index, "알파전자 AI 아카데미"))
    reopened = SearchIndex(index.settings, embedder=CountingEmbeddings())
    assert reopened.lexical.ids == index.lexical.ids


def test_crash_before_commit_leaves_store_consistent(index, monkeypatch):
    ingest(index, doc("/a.txt", ALPHA))
    before = set(index.store.chunk_ids())

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # as if killed between writing chunks and committing them

    monkeypatch.setattr(Store, "commit_documents", crash)
    with pytest.raises(KeyboardInterrupt):
        ingest(index, doc("/b.txt", BETA))
    monkeypatch.undo()
    reopened = SearchIndex(index.settings, embedder=CountingEmbeddings())
    assert set(reopened.lexical.ids) == before  # the half-written document is invisible
    assert all(source != "/b.txt" for source, _ in hits(reopened, "베타대학교 해커톤"))
    assert ingest(reopened, doc("/b.txt", BETA)) == [("added", 1)]
    assert set(reopened.lexical.ids) == set(reopened.store.chunk_ids())
    assert not reopened.store.uncommitted_chunk_ids()


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_lexical_index_rebuilt_from_chroma(settings, damage):
    index = SearchIndex(settings)
    ingest(index, doc("/a.txt", ALPHA), doc("/b.txt", BETA))
    folder = lexical_folder(settings)
    if damage == "missing":
        shutil.rmtree(folder)
    else:
        (folder / "current.json").write_text("{not json")
    reopened = SearchIndex(settings)
    assert sorted(reopened.lexical.ids) == sorted(index.store.chunk_ids())
    assert hits(reopened, "베타대학교 해커톤")[0][0] == "/b.txt"


def test_other_embedder_on_existing_store_is_a_clear_error(settings):
    ingest(SearchIndex(settings), doc("/a.txt", ALPHA))
    with pytest.raises(StoreError, match="RAG_EMBEDDINGS"):
        SearchIndex(settings.model_copy(update={"embeddings": "openai:text-embedding-3-small"}))


def test_search_finds_korean_across_spacing_and_endings(index):
    ingest(index, doc("/a.txt", ALPHA), doc("/b.txt", BETA))
    passages = Retriever(index).search("알파 전자가 AI아카데미를 연 해는?", 2)
    assert passages[0].source == "/a.txt"
    assert passages[0].lexical_rank == 1


LONG = "\n".join(
    ["감마재단 AI 캠프는 2020년 부산에서 시작된 지역 인재 양성 프로그램이다."]
    + [f"{n}번째 문단은 교육 환경과 지역 산업의 변화를 길게 설명한다. 참여 기업은 {n * 3}곳으로 늘었다." for n in range(1, 9)]
    + ["교육 기간은 모두 36주이며 마지막 달에는 현장 프로젝트를 한다."]
)


def test_passage_carries_the_following_chunk_once(any_settings):
    index = SearchIndex(any_settings.model_copy(update={"chunk_size": 150}))
    ingest(index, doc("/gamma.txt", LONG, title="감마재단 AI 캠프"))
    question = "감마재단 AI 캠프는 언제 시작했나?"
    windowed = Retriever(index).search(question, 3)
    single = Retriever(SearchIndex(index.settings.model_copy(update={"context_chunks": 0}))).search(question, 3)
    first, alone = windowed[0], single[0]
    assert first.chunk_id == alone.chunk_id and first.text.startswith(alone.text) and len(first.text) > len(alone.text)
    # the following chunk repeats one sentence of overlap; the passage holds every sentence once
    sentences = [s for s in first.text.replace("\n", " ").split(". ") if s]
    assert len(sentences) == len(set(sentences))
    assert first.metadata["end"] > alone.metadata["end"]
    assert LONG[first.metadata["start"] : first.metadata["end"]].split() == first.text.split()
    # no chunk is shown twice across passages
    shown = [LONG[p.metadata["start"] : p.metadata["end"]] for p in windowed]
    assert all(a not in b for i, a in enumerate(shown) for j, b in enumerate(shown) if i != j)


def test_reindex_refreshes_terms_from_an_older_analysis(settings, caplog):
    from ingest.__main__ import reindex

    index = SearchIndex(settings)
    ingest(index, doc("/gamma.txt", LONG, title="감마재단 AI 캠프"))
    # a store written by an older analyser: its chunks hold other terms than today's
    got = index.store.chunks.get(include=["metadatas"])
    index.store.chunks.update(ids=got["ids"], metadatas=[m | {"terms": "옛날"} for m in got["metadatas"]])
    index.store.chunks.modify(metadata={"embedder": settings.embeddings, "terms_version": 1})
    index.sync(full=True)
    assert not Retriever(index).rank("감마재단 캠프 교육 기간")[0]  # BM25 finds nothing
    SearchIndex(settings)
    assert "python -m ingest --reindex" in caplog.text  # opening it says what to do
    caplog.clear()

    index = reindex(settings)
    SearchIndex(settings)
    assert "--reindex" not in caplog.text
    lexical = Retriever(index).rank("감마재단 캠프 교육 기간")[0]
    assert lexical and lexical[0] in got["ids"]
    reopened = SearchIndex(settings)  # the persisted BM25 index and the terms in Chroma agree
    assert set(reopened.lexical.ids) == set(got["ids"])
    assert "감마재단" in reopened.store.get_chunks(got["ids"][:1], with_text=False)[got["ids"][0]][1]["terms"].split()


def test_chunk_text_is_stored_without_chromas_full_text_index(index):
    ingest(index, doc("/a.txt", ALPHA))
    got = index.store.chunks.get(include=["documents", "metadatas"])
    assert got["documents"] == [None]  # a Chroma document would be indexed for full-text search
    text, meta = index.store.get_chunks(got["ids"])[got["ids"][0]]
    assert text == ALPHA and "text" not in meta
    assert hits(index, "알파전자 수료생") == [("/a.txt", ALPHA)]


def test_a_store_written_with_chroma_documents_still_reads_and_reindexes(settings):
    from ingest.__main__ import reindex

    index = SearchIndex(settings)
    ingest(index, doc("/a.txt", ALPHA))
    got = index.store.chunks.get(include=["metadatas", "embeddings"])
    # The layout before chunk texts moved into the metadata: the text as the Chroma document.
    old = [{k: v for k, v in m.items() if k != "text"} for m in got["metadatas"]]
    index.store.chunks.delete(ids=got["ids"])  # an upsert would keep the metadata's text
    index.store.chunks.add(ids=got["ids"], documents=[ALPHA], metadatas=old, embeddings=got["embeddings"])
    assert index.store.chunks.get(include=["metadatas"])["metadatas"][0].get("text") is None
    assert hits(SearchIndex(settings), "알파전자 수료생") == [("/a.txt", ALPHA)]
    assert hits(reindex(settings), "알파전자 수료생") == [("/a.txt", ALPHA)]


def test_the_bm25_side_keeps_one_string_per_distinct_word(index):
    """At a million chunks a separate copy of every word occurrence alone outgrew the machine's memory."""
    ingest(index, doc("/a.txt", ALPHA), doc("/b.txt", ALPHA.replace("알파전자", "감마전자")))
    reloaded = SearchIndex(index.settings).lexical._all_terms()
    for terms in (index.lexical._all_terms(), reloaded):
        first, second = (terms[cid] for cid in sorted(terms))
        assert "아카데미" in first and next(t for t in first if t == "아카데미") is next(t for t in second if t == "아카데미")


def test_an_ingest_hands_its_term_lists_to_the_bm25_side_without_copying_them(index):
    from ingest.pipeline import Ingestor

    held = {}
    record = index.record_changes
    index.record_changes = lambda added, removed: (held.update(added), record(added, removed))
    Ingestor(index).ingest_documents([doc("/a.txt", ALPHA)])
    assert held and all(index.lexical._all_terms()[cid] is terms for cid, terms in held.items())
