from ingest.chunking import chunk_document
from ingest.document import LoadedDocument


def _doc(text, pages=()):
    return LoadedDocument(source="/x.txt", title="t", text=text, pages=list(pages))


def test_whole_sentences_packed_with_overlap():
    sentences = [f"{i}번째 문장은 인공지능 인재 양성에 관한 내용을 담고 있습니다." for i in range(40)]
    text = " ".join(sentences)
    chunks = chunk_document(_doc(text), size=200, overlap=1)
    assert len(chunks) > 5
    for chunk in chunks:
        assert len(chunk.text) <= 200
        assert chunk.text == text[chunk.start : chunk.end]
        assert chunk.text.endswith("습니다.")  # never cut inside a sentence
    for prev, nxt in zip(chunks, chunks[1:]):
        last_sentence = prev.text.rsplit("습니다. ", 1)[-1]
        assert nxt.text.startswith(last_sentence)  # one sentence of overlap


def test_overlong_sentence_is_cut_and_offsets_hold():
    text = "가나다 " * 300 + "끝."
    chunks = chunk_document(_doc(text), size=100, overlap=1)
    assert all(len(c.text) <= 100 for c in chunks)
    assert "".join(c.text for c in chunks).replace(" ", "") == text.replace(" ", "")


def test_chunks_stay_within_pages():
    text = "첫 페이지 문장입니다.\n\n둘째 페이지 문장입니다."
    pages = [(1, 0, 12), (2, 14, len(text))]
    chunks = chunk_document(_doc(text, pages), size=500)
    assert [(c.page, c.text) for c in chunks] == [(1, "첫 페이지 문장입니다."), (2, "둘째 페이지 문장입니다.")]
