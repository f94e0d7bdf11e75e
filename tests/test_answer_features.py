"""What the answer-selection model sees: soft word matches, rare words weighing most, a fact of the
asked kind, a number said of another name."""

from answer.features import FEATURES, candidates
from answer.question import analyze
from answer.sentences import split_passages
from answer.similarity import morpheme_id, similarity
from rag.korean import get_kiwi
from rag.types import Passage


def rows(question: str, *texts: str) -> dict[str, dict[str, float]]:
    passages = [Passage(f"c{i}", f"d{i}", f"/d/{i}.txt", "", t, metadata={"chunk_index": 0}) for i, t in enumerate(texts, 1)]
    found = candidates(analyze(question), split_passages(passages))
    return {s.text.raw: dict(zip(FEATURES, row)) for s, row in zip(found.sentences, found.values)}


def content_ids(text: str) -> list[int]:
    return [t.id for t in get_kiwi().tokenize(text) if t.tag in ("NNG", "NNP", "VV")]


def test_a_word_meets_its_synonym_through_kiwis_embeddings():
    assert similarity("학비", content_ids("수강료는 월 20만 원이다")) > 0.6
    assert similarity("학비", content_ids("교장은 한솔비 박사다")) == 0.0


def test_a_word_kiwi_has_never_seen_has_no_vector():
    assert morpheme_id("초거대") is None and morpheme_id("설립") is not None


def test_soft_coverage_credits_a_paraphrase_that_exact_coverage_misses():
    found = rows("학비는 얼마야?", "수강료는 월 20만 원입니다. 교장은 한솔비 박사입니다.")
    fee = found["수강료는 월 20만 원입니다."]
    assert fee["exact"] == 0.0 and fee["soft"] > 0.5
    assert fee["fact"] == 1.0 and found["교장은 한솔비 박사입니다."]["fact"] == 0.0


def test_a_rare_question_word_weighs_more_than_a_common_one():
    found = rows("LG 해커톤 우승팀은 어디야?",
                 "LG는 해커톤을 열었습니다. LG는 AI 대학원도 세웠습니다. LG는 인재를 키웁니다. 우승팀은 가온대입니다.")
    assert found["우승팀은 가온대입니다."]["exact"] > found["LG는 AI 대학원도 세웠습니다."]["exact"]


def test_a_number_said_of_another_name_is_marked():
    found = rows("How many employees does Harlow Valley Community College have?",
                 "Brightwater Logistics is a warehouse operator with 3,400 employees.")
    assert next(iter(found.values()))["another"] == 1.0
