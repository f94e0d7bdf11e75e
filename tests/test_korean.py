import pytest

from rag.korean import detect_language, split_sentences, terms


@pytest.mark.parametrize(
    "spaced, joined, compound",
    [
        ("Open AI와 협력", "OpenAI와 협력", "openai"),
        ("AI 대학원을 개설", "AI대학원을 개설", "ai대학원"),
        ("챗 GPT가 출시", "챗GPT가 출시", "챗gpt"),
    ],
)
def test_spacing_variants_meet(spaced, joined, compound):
    assert compound in terms(spaced)
    assert compound in terms(joined)
    assert set(terms(spaced)) == set(terms(joined))


def test_particles_and_endings_dropped_content_kept():
    got = terms("LG는 2022년 사내에 AI 대학원을 개설했습니다.")
    assert {"lg", "2022", "사내", "ai", "대학원", "개설"} <= set(got)
    assert not {"는", "에", "을", "했습니다", "습니다"} & set(got)


def test_english_is_lowercased_without_stopwords():
    got = terms("When did LG open its graduate schools?")
    assert {"lg", "open", "school"} <= set(got)
    assert terms("graduate schools") == terms("graduate school")  # inflections fold
    assert not {"when", "did", "its", "When"} & set(got)


def test_sentences_respect_line_breaks():
    text = "첫 문장입니다. 둘째 문장이다!\n\n제목 줄\n마지막"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["첫 문장입니다.", "둘째 문장이다!", "제목 줄", "마지막"]


@pytest.mark.parametrize("text, lang", [("LG는 2022년", "ko"), ("LG opened a school in 2022", "en"), ("", "en")])
def test_detect_language(text, lang):
    assert detect_language(text) == lang
