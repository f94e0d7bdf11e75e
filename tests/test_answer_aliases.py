from pathlib import Path

import pytest

from answer.aliases import find_aliases
from answer.pipeline import Answerer
from ingest.pipeline import ingest_paths
from rag.romanization import hangul_readings, hangul_skeleton, latin_skeletons, romanized
from rag.service import open_retriever


def test_glossed_name_maps_word_by_word_both_ways():
    aliases = find_aliases(["두 기관은 '미르-가온 AI 펠로십(Mir-Gaon AI Fellowship)' 협약을 체결했습니다."])
    assert aliases["mir"] == {"미르"} and aliases["gaon"] == {"가온"} and "fellowship" in aliases["펠로십"]
    assert "ai" not in aliases


def test_gloss_with_a_different_word_count_is_left_alone():
    assert find_aliases(["한국AI인재진흥원의 부트캠프(Korea AI Meister Bootcamp)"]) == {}


@pytest.mark.parametrize(("latin", "hangul"), [
    ("Cheongram", "청람"), ("Pado", "파도"), ("Ieum", "이음"), ("Chungbuk", "충북"), ("Hanbit", "한빛"),
    ("Mir", "미르"), ("Samsung", "삼성"), ("Hyundai", "현대"), ("Seoul", "서울"),
])
def test_a_romanized_name_reads_back_to_its_hangul(latin, hangul):
    assert hangul in hangul_readings(latin)


def test_what_no_romanization_spells_has_no_reading():
    assert hangul_readings("NextCareer") == () and hangul_readings("AI2") == () and hangul_readings("서울") == ()


HACKATHONS = {
    "파도.txt": "파도 해커톤 소식\n\n파도 해커톤은 2019년 부산 영도에서 처음 열렸다. 올해는 74팀이 참가했다.",
    "물결.txt": "물결 해커톤 소식\n\n물결 해커톤은 2021년 처음 열렸다. 올해는 52팀이 참가했다.",
    "바람.txt": "바람 해커톤 소식\n\n바람 해커톤은 2016년 처음 열렸다. 올해는 30팀이 참가했다.",
    "노을.txt": "노을 해커톤 소식\n\n노을 해커톤은 2023년 처음 열렸다. 올해는 41팀이 참가했다.",
}


def answerer_over(settings, folder: Path, files: dict[str, str]) -> Answerer:
    """An answerer over a real store holding only `files` (name -> text)."""
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    ingest_paths(settings, [str(folder)])
    return Answerer(open_retriever(settings, seed_samples=False), settings)


def test_english_question_names_a_korean_article_only_by_its_romanized_name(settings, tmp_path):
    answer = answerer_over(settings, tmp_path / "docs", HACKATHONS).ask("When was the Pado hackathon first held?")
    assert not answer.refused and "2019" in answer.answer, answer.answer
    assert answer.citations and all(Path(c.source).name == "파도.txt" for c in answer.citations)


@pytest.mark.parametrize(("hangul", "latin"), [
    ("코르반", "Corvane"), ("타이드마크", "Tidemark"), ("텔레콤", "telecom"), ("해커톤", "hackathon"),
    ("펠로십", "fellowship"), ("레지던시", "residency"), ("아카데미", "academy"),
])
def test_a_hangul_loanword_keeps_the_consonants_of_its_latin_original(hangul, latin):
    assert hangul_skeleton(hangul) in latin_skeletons(latin)


def test_words_of_other_consonants_or_scripts_do_not_match():
    assert hangul_skeleton("청람") not in latin_skeletons("telecom")
    assert hangul_skeleton("Corvane") == "" and latin_skeletons("코르반") == frozenset()


PROGRAMS = {
    "corvane.md": "# Corvane Telecom opens a training centre\n\nCorvane Telecom will spend $150 million on its "
                  "reskilling programme. The programme starts in 2025 in Lyon.",
    "meridian.md": "# Meridian Bank trains its tellers\n\nMeridian Bank will spend $40 million on training. "
                   "The courses start in 2026 in Leeds.",
    "파도.txt": "파도 해커톤 소식\n\n파도 해커톤은 2019년 부산 영도에서 처음 열렸다. 올해는 74팀이 참가했다.",
}


def test_korean_question_names_an_english_article_in_hangul(settings, tmp_path):
    answer = answerer_over(settings, tmp_path / "docs", PROGRAMS).ask("코르반 텔레콤은 얼마를 쓴대?")
    assert answer.passages and Path(answer.passages[0].source).name == "corvane.md"
    assert "$150 million" in answer.answer and not answer.refused, answer.answer


def test_a_name_of_two_short_hangul_words_is_read_as_the_latin_pair(settings, tmp_path):
    """"할로 밸리": each word alone has too few consonants to name one Latin word (할로 is just r), but the pair
    is two of the store's words in turn, Harlow and Valley; "label" has the pair's consonants and is not."""
    files = PROGRAMS | {
        "harlow.md": "# Harlow Valley trains technicians\n\nHarlow Valley Community College will spend $4 million "
                     "on its apprenticeship. The first cohort had 36 apprentices.",
        "label.md": "# A label for good jobs\n\nThe label costs employers $900 a year. It started in 2021.",
    }
    answer = answerer_over(settings, tmp_path / "docs", files).ask("할로 밸리는 얼마를 쓴대?")
    assert answer.passages and Path(answer.passages[0].source).name == "harlow.md"
    assert "$4 million" in answer.answer and not answer.refused, answer.answer


def test_of_two_latin_words_with_its_consonants_the_nearer_spelling_is_the_name(settings, tmp_path):
    """Corvane and Greyhaven are both k-r-p-n; 그레이헤이븐 read back ("geureiheibeun") is nearer Greyhaven."""
    assert romanized("그레이헤이븐") == "geureiheibeun"
    files = PROGRAMS | {
        "greyhaven.md": "# Greyhaven trains veterans\n\nThe Greyhaven bootcamp lasts 20 weeks. Its third class "
                        "graduated 61 veterans in Tucson.",
        "코드숲.txt": "코드숲 부트캠프 개강\n\n코드숲 부트캠프는 16주 과정이다. 부트캠프 수강생은 40명이다.",
    }
    answerer = answerer_over(settings, tmp_path / "docs", files)
    answer = answerer.ask("그레이헤이븐 부트캠프는 몇 주야?")
    assert answer.passages and Path(answer.passages[0].source).name == "greyhaven.md"
    assert "20 weeks" in answer.answer and not answer.refused, answer.answer
    corvane = answerer.ask("코르반 텔레콤은 얼마를 쓴대?")
    assert Path(corvane.passages[0].source).name == "corvane.md" and "$150 million" in corvane.answer
