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


@pytest.mark.parametrize(
    "question, article",
    [
        ("이빛산업진흥원 AI 인재 컨소시엄은 언제 시작됐나요?", "청주의 이빛산업진흥원이 2024년 문을 열었다."),
        ("나봄에너지 AI 아카데미는 얼마 동안 진행돼?", "나봄에너지가 세운 아카데미는 대전에 있다."),
    ],
)
def test_unknown_name_meets_itself_with_and_without_a_particle(question, article):
    # Kiwi cuts an unknown name into pieces when no particle follows it ("이/빛/산업/진흥원"), but keeps it
    # whole before one ("이빛산업진흥원+이"): the word's stem is indexed either way.
    name = question.split()[0]
    assert name in terms(question)
    assert name in terms(article)


def test_counter_units_after_numbers_and_몇_are_terms():
    assert "주" in terms("과정을 마치려면 몇 주가 걸리나요?")
    assert "주" in terms("교육 과정은 총 40주로 짜여 있다.")
    assert "명" in terms("수료생은 몇 명인가요?") and "명" in terms("모두 3,057명을 배출했다.")
    assert "주" not in terms("그는 주로 데이터를 다룬다.")  # not a unit: no number before it
