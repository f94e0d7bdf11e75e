"""SQuAD-format evaluation: articles by position, sampled and unanswerable sets, the naive baseline, the curve."""

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from answer.types import Answer
from eval.__main__ import main
from eval.baseline import naive_answer
from eval.curve import curve, refused_at
from eval.dataset import QA, DatasetError
from eval.metrics import Record, summarize
from eval.runner import evaluation_settings
from eval.sets import squad_sets
from eval.squad import (
    article_questions,
    as_unanswerable,
    document_text,
    load_articles,
    sample_questions,
    unanswerable_split,
    without_answers,
    write_documents,
)
from rag.settings import Settings
from rag.types import Passage

ROOT = Path(__file__).resolve().parents[1]

# (title, [(context, [(question, [answers])])]): small articles of both languages, three questions each.
ARTICLES = [
    ("서울_지하철_1호선", [("서울 지하철 1호선은 1974년 8월 15일에 개통되었다. 서울역에서 청량리역까지 9.5km 구간이었다. "
                      "개통 당시 국내 최초의 지하철이었다.",
                      [("서울 지하철 1호선은 언제 개통되었나?", ["1974년 8월 15일"]),
                       ("1호선 첫 구간의 길이는?", ["9.5km"]),
                       ("1호선 첫 구간은 서울역에서 어디까지였나?", ["청량리역"])])]),
    ("Eiffel_Tower", [("The Eiffel Tower was completed in 1889 for the World's Fair in Paris. "
                       "It is 330 metres tall. The company of Gustave Eiffel designed and built it.",
                       [("When was the Eiffel Tower completed?", ["1889", "1889", "in 1889"]),
                        ("How tall is the Eiffel Tower?", ["330 metres"]),
                        ("Whose company built the Eiffel Tower?", ["Gustave Eiffel"])])]),
    ("김치", [("김치는 배추와 무를 소금에 절여 양념과 버무린 한국의 발효 음식이다.",
             [("김치의 주재료는 무엇인가?", ["배추"])]),
            ("2013년 김장 문화는 유네스코 인류무형문화유산에 등재되었다. 김장은 겨울을 앞두고 김치를 담그는 일이다.",
             [("김장 문화가 유네스코에 등재된 해는?", ["2013년"]),
              ("김장은 언제 하는 일인가?", ["겨울을 앞두고"])])]),
    ("Mount_Everest", [("Mount Everest is 8,849 metres high. Edmund Hillary and Tenzing Norgay first reached "
                        "its summit in 1953. It lies on the border of Nepal and China.",
                        [("How high is Mount Everest?", ["8,849 metres"]),
                         ("In which year was Everest first climbed?", ["1953"]),
                         ("Which countries share Mount Everest?", ["Nepal and China"])])]),
    ("한글", [("한글은 1443년 세종대왕이 창제하였다. 1446년에 훈민정음이라는 이름으로 반포되었다. "
             "처음에는 스물여덟 자였다.",
             [("한글을 창제한 왕은?", ["세종대왕"]),
              ("훈민정음이 반포된 해는?", ["1446년"]),
              ("처음 한글은 몇 자였나?", ["스물여덟 자"])])]),
    ("Python_(programming_language)", [("Python is a programming language created by Guido van Rossum. "
                                        "It was first released in 1991. Its name comes from Monty Python.",
                                        [("Who created Python?", ["Guido van Rossum"]),
                                         ("When was Python first released?", ["1991"]),
                                         ("Where does the name Python come from?", ["Monty Python"])])]),
]


def squad_file(folder: Path) -> Path:
    data = []
    for a, (title, paragraphs) in enumerate(ARTICLES):
        data.append({"title": title, "paragraphs": [
            {"context": context, "qas": [
                {"id": f"{a}-{p}-{q}", "question": question,
                 "answers": [{"text": text, "answer_start": context.find(text)} for text in answers]}
                for q, (question, answers) in enumerate(qas)]}
            for p, (context, qas) in enumerate(paragraphs)]})
    path = folder / "tiny.json"
    path.write_text(json.dumps({"version": "tiny", "data": data}, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def tiny(tmp_path) -> Path:
    return squad_file(tmp_path)


@pytest.mark.parametrize("split, positions", [("even", [0, 2, 4]), ("odd", [1, 3, 5]), ("all", [0, 1, 2, 3, 4, 5])])
def test_articles_by_position(tiny, split, positions):
    articles = load_articles(tiny, split)
    assert [a.position for a in articles] == positions
    assert [a.title for a in articles] == [ARTICLES[i][0].replace("_", " ") for i in positions]


def test_gold_is_the_distinct_answer_texts(tiny):
    eiffel = article_questions(load_articles(tiny, "odd")[0])
    assert eiffel[0] == QA("1-0-0", "When was the Eiffel Tower completed?", ("1889", "in 1889"), True)


@pytest.mark.parametrize("content, message", [
    (None, "cannot read"),
    ("not json", "not a SQuAD file"),
    ('{"version": "x"}', "not a SQuAD file"),
    ('{"data": [{"title": "t", "paragraphs": [{"context": "c", "qas": [{"id": "1", "question": "q"}]}]}]}',
     "not a SQuAD file"),
])
def test_bad_files_are_one_line_dataset_errors(tmp_path, content, message):
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(DatasetError, match=message) as caught:
        load_articles(path)
    assert "\n" not in str(caught.value)


def test_a_split_with_no_articles_or_an_unknown_name_is_refused(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"data": [{"title": "t", "paragraphs": []}]}), encoding="utf-8")
    with pytest.raises(DatasetError, match="no articles at odd positions"):
        load_articles(path, "odd")
    with pytest.raises(DatasetError, match="unknown article split"):
        load_articles(path, "first")


def test_documents_are_one_text_file_per_article_with_safe_names(tiny, tmp_path):
    articles = load_articles(tiny, "all")
    folder = write_documents(articles, tmp_path / "docs")
    files = sorted(folder.iterdir())
    assert len(files) == len(articles) and all(f.suffix == ".txt" and f.parent == folder for f in files)
    assert all(re.fullmatch(r"\d{4}-[\w.-]+\.txt", f.name) for f in files)
    python = next(f for f in files if "Python" in f.name)
    assert "(" not in python.name and " " not in python.name
    title, first = python.read_text(encoding="utf-8").split("\n\n")[:2]
    assert title == "Python (programming language)" and first.startswith("Python is a programming language")


def test_sampling_is_deterministic_and_spread_over_articles(tiny):
    articles = load_articles(tiny, "all")
    first = sample_questions(articles, 6, seed=3)
    assert first == sample_questions(articles, 6, seed=3)
    # Six questions from six articles: one each.
    assert sorted(qa.id.split("-")[0] for qa in first) == [str(i) for i in range(6)]
    assert len({tuple(sample_questions(articles, 6, seed)) for seed in range(5)}) > 1
    everything = sample_questions(articles, 1000, seed=0)
    assert len(everything) == len({qa.id for qa in everything}) == sum(len(article_questions(a)) for a in articles)


def test_unanswerable_split_asks_only_about_articles_left_out(tiny):
    asked, stored = unanswerable_split(load_articles(tiny, "all"))
    assert [a.position for a in asked] == [0, 2, 4] and [a.position for a in stored] == [1, 3, 5]
    questions = as_unanswerable(sample_questions(asked, 5, seed=0))
    assert all(not qa.answerable and qa.gold == () for qa in questions)
    assert {qa.id.split("-")[0] for qa in questions} <= {"0", "2", "4"}
    with pytest.raises(DatasetError):
        unanswerable_split(load_articles(tiny, "all")[:1])


def test_the_unanswerable_store_holds_none_of_the_asked_articles(tiny, tmp_path):
    (qset,) = squad_sets(tiny, "all", 6, 0, answerable=False, unanswerable=True, folder=tmp_path / "docs")
    asked_titles = {ARTICLES[int(qa.id.split("-")[0])][0].replace("_", " ") for qa in qset.questions}
    settings = Settings(_env_file=None, db_dir=tmp_path / "unused", samples_dir=tmp_path / "no-samples")
    with evaluation_settings(settings, qset.docs) as run_settings:
        from rag.index import SearchIndex

        titles = {d["title"] for d in SearchIndex(run_settings).store.documents()}
    assert asked_titles and titles and not asked_titles & titles
    assert titles | asked_titles >= {"Eiffel Tower", "Mount Everest"}


def test_attribute_absent_questions_keep_their_article_but_not_the_answer(tiny):
    articles = load_articles(tiny, "all")
    gold = {qa.id: qa.gold for a in articles for qa in article_questions(a)}
    trimmed, asked = without_answers(articles, 10, seed=0)
    # Only 김치 has a paragraph to spare; the others keep their single one and are not asked about.
    assert asked and {qa.id.split("-")[0] for qa in asked} == {"2"}
    assert all(not qa.answerable and qa.gold == () for qa in asked)
    assert [a.position for a in trimmed] == [a.position for a in articles] and all(a.paragraphs for a in trimmed)
    kimchi = document_text(trimmed[2])
    assert kimchi.startswith("김치") and not any(g in kimchi for qa in asked for g in gold[qa.id])
    assert without_answers(articles, 10, seed=0) == (trimmed, asked)


def test_the_attribute_absent_set_stores_every_article(tiny, tmp_path):
    (qset,) = squad_sets(tiny, "all", 6, 0, answerable=False, unanswerable=False, folder=tmp_path / "docs",
                         attribute_absent=True)
    assert qset.name == "attribute_absent_set" and qset.questions
    assert len(list(Path(qset.docs[0]).iterdir())) == len(ARTICLES)


def passage(text: str, n: int = 1) -> Passage:
    return Passage(f"c{n}", "d", "s", "t", text)


def test_naive_answer_is_the_most_overlapping_sentence_of_the_top_three():
    passages = [passage("파리는 프랑스의 수도이다. 에펠탑은 파리에 있다.", 1),
                passage("에펠탑은 1889년에 완공되었다. 에펠탑 완공 당시 세계에서 가장 높은 건축물이었다.", 2),
                passage("런던은 영국의 수도이다.", 3),
                passage("에펠탑은 1889년 파리에서 완공되었다.", 4)]  # the best match, but fourth
    question = "에펠탑은 몇 년에 파리에서 완공되었나?"
    assert naive_answer(question, passages) == "에펠탑은 1889년에 완공되었다."
    assert naive_answer(question, passages[3:] + passages[:3]) == passages[3].text
    assert naive_answer("영국의 수도는?", passages) == "런던은 영국의 수도이다."
    assert naive_answer("anything", []) == ""


def test_naive_answer_cuts_english_prose_into_sentences():
    # Kiwi keeps English prose as one sentence; a whole passage would hold nearly any gold.
    text = "Python is a programming language. It was first released in 1991. Its name comes from Monty Python."
    assert naive_answer("When was Python first released?", [passage(text)]) == "It was first released in 1991."


def test_naive_ties_go_to_the_earlier_passage():
    passages = [passage("The tower is in Paris.", 1), passage("The tower is tall.", 2)]
    assert naive_answer("Which tower?", passages) == "The tower is in Paris."
    assert naive_answer("Which tower?", passages[::-1]) == "The tower is tall."


def record(answerable: bool, confidence: float, best_guess: str, refused: bool, naive: str = "") -> Record:
    qa = QA("q", "?", ("1889",) if answerable else (), answerable)
    reply = "no" if refused else best_guess or "1889"
    answer = Answer("?", reply, refused, confidence=confidence, best_guess=best_guess)
    return Record(qa, answer, None, naive)


def test_summary_measures_the_naive_answer_beside_the_answerer():
    records = [record(True, 1.0, "", False, naive="1889년"), record(True, 1.0, "", True, naive="1889"),
               record(True, 1.0, "", True, naive="no"), record(False, 1.0, "", True, naive="1889")]
    summary = summarize(records, k=5)
    assert summary["answer_contains_gold"] == 0.333 and summary["naive_contains_gold"] == 0.667
    assert summary["contains_vs_naive"] == 0.5


def test_curve_moves_one_way_as_the_threshold_rises():
    rng = random.Random(7)
    records = [record(rng.random() < 0.6, round(rng.random(), 2), rng.choice(["1889년", "모름", ""]), rng.random() < 0.4)
               for _ in range(200)]
    rows = curve(records)
    assert [r["threshold"] for r in rows] == sorted(r["threshold"] for r in rows)
    for before, after in zip(rows, rows[1:]):
        assert after["refusal_accuracy"] >= before["refusal_accuracy"]
        assert after["false_refusal_rate"] >= before["false_refusal_rate"]
        assert after["answer_contains_gold"] <= before["answer_contains_gold"]
    assert rows[-1]["threshold"] == 0.95 and rows[-1]["refusal_accuracy"] > rows[0]["refusal_accuracy"]


def test_curve_counts_what_each_threshold_would_say():
    records = [record(True, 0.93, "1889년", False), record(True, 0.33, "1889", True),
               record(True, 0.81, "", True), record(False, 0.62, "아마 1900년", False)]
    assert refused_at(records[2], 0.0)  # refused with no best guess: nothing to say at any threshold
    rows = {r["threshold"]: r for r in curve(records)}
    assert {0.33, 0.62, 0.93} <= set(rows)  # few distinct confidences join the steps
    assert (rows[0.0]["answer_contains_gold"], rows[0.0]["false_refusal_rate"], rows[0.0]["refusal_accuracy"]) \
        == (0.667, 0.333, 0.0)
    assert (rows[0.5]["answer_contains_gold"], rows[0.5]["false_refusal_rate"], rows[0.5]["refusal_accuracy"]) \
        == (0.333, 0.667, 0.0)
    assert (rows[0.95]["answer_contains_gold"], rows[0.95]["refusal_accuracy"]) == (0.0, 1.0)


def test_cli_on_a_squad_file_prints_one_json_object(tiny, tmp_path):
    env = os.environ | {"RAG_DB_DIR": str(tmp_path / "unused-db"), "RAG_SAMPLES_DIR": str(tmp_path / "no-samples")}
    done = subprocess.run([sys.executable, "-m", "eval", "--squad", str(tiny), "--questions", "6", "--json"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["questions"] == summary["answerable"] == 6 and summary["unanswerable"] == 0
    for key in ("hit@5", "answer_contains_gold", "naive_contains_gold", "contains_vs_naive",
                "false_refusal_rate", "refusal_accuracy"):
        assert key in summary
    assert summary["hit@5"] > 0.5 and summary["naive_contains_gold"] > 0  # the tiny store does answer
    assert not (tmp_path / "unused-db").exists()


def test_cli_curve_runs_both_sets(tiny, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("RAG_DB_DIR", str(tmp_path / "unused-db"))
    monkeypatch.setenv("RAG_SAMPLES_DIR", str(tmp_path / "no-samples"))
    assert main(["--squad", str(tiny), "--articles", "all", "--questions", "4", "--curve", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["answerable_set"]["answerable"] == 4 and out["unanswerable_set"]["unanswerable"] == 4
    assert out["curve"] and {"threshold", "answer_contains_gold", "refusal_accuracy"} <= set(out["curve"][0])
    assert out["curve"][0]["refusal_accuracy"] is not None and out["curve"][0]["answer_contains_gold"] is not None


@pytest.mark.parametrize("argv, message", [
    (["--unanswerable"], "need --squad"),
    (["--squad", "x.json", "--qa", "y.jsonl"], "not both"),
    (["--squad", "x.json", "--questions", "0"], "1 or more"),
])
def test_cli_usage_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2 and message in capsys.readouterr().err


def test_cli_missing_squad_file_is_one_line(tmp_path, capsys):
    assert main(["--squad", str(tmp_path / "nope.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot read") and err.count("\n") == 1


def test_distractors_store_the_other_positions_without_asking_them(tiny, tmp_path):
    from eval.sets import squad_sets

    plain, = squad_sets(tiny, "even", 4, 0, answerable=True, unanswerable=False, folder=tmp_path / "a")
    mixed, = squad_sets(tiny, "even", 4, 0, answerable=True, unanswerable=False, folder=tmp_path / "b",
                        distractors=True)
    assert [q.id for q in mixed.questions] == [q.id for q in plain.questions]
    stored = {p.name for d in mixed.docs for p in Path(d).iterdir()}
    assert len(stored) == len(load_articles(tiny, "all")) > len({p.name for d in plain.docs for p in Path(d).iterdir()})
