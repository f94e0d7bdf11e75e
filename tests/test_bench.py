"""The benchmark's corpus generator is deterministic and its runner returns complete, sane rows."""

from __future__ import annotations

import pytest

from bench.corpus import articles
from bench.questions import contains_gold, make_questions
from bench.report import REQUIRED, markdown
from bench.runner import Plan, run_plan
from bench.text import TemplateError, fill


def test_same_seed_same_corpus_other_seed_other_corpus():
    assert articles(3, 12) == articles(3, 12)
    assert [a.text for a in articles(4, 12)] != [a.text for a in articles(3, 12)]
    assert articles(3, 12)[:5] == articles(3, 5)  # a smaller corpus is a prefix of a larger one


def test_articles_are_bilingual_realistic_and_uniquely_named():
    arts = articles(3, 120)
    assert {a.lang for a in arts} == {"ko", "en"}
    assert all(1500 <= len(a.text) <= 4100 for a in arts)
    assert len({a.facts["program"] for a in arts}) == len(arts)


def test_questions_paraphrase_and_their_gold_is_in_their_document():
    arts = articles(3, 80)
    by_name = {a.name: a for a in arts}
    questions = make_questions(arts, 60, 3)
    assert questions == make_questions(arts, 60, 3)
    for q in questions:
        doc = by_name[q.doc].text
        assert contains_gold(doc, q.gold), q
        assert q.q not in doc and q.gold not in q.q


@pytest.mark.parametrize("text, gold, found", [("in 2024 we", "24", False), ("24 weeks", "24", True),
                                               ("1,240 graduates", "240", False), ("1,240명", "1,240", True)])
def test_gold_matches_whole_numbers_only(text, gold, found):
    assert contains_gold(text, gold) is found


@pytest.mark.parametrize("word, out", [("아카데미", "아카데미는"), ("대학원", "대학원은"), ("Team", "Team은"), ("AI", "AI는")])
def test_korean_particles_follow_the_last_syllable(word, out):
    assert fill("{w|은}", {"w": word}) == out


def test_a_missing_slot_is_named():
    with pytest.raises(TemplateError, match="city"):
        fill("{city}에서", {})


def test_tiny_run_returns_every_required_key_with_sane_values(tmp_path):
    plan = Plan(sizes=[60], questions=20, searches=20, asks=5, cold_starts=0, dev=False, work=tmp_path,
                systems=["ours", "baseline"])
    rows = run_plan(plan)
    assert [r["system"] for r in rows] == ["ours", "baseline"]
    for row in rows:
        assert set(REQUIRED) <= set(row), set(REQUIRED) - set(row)
        assert row["chunks"] == 60 and row["system_chunks"] > 0
        assert row["ingest_chunks_per_s"] > 0 and row["peak_rss_mb"] > 0 and row["index_mb"] > 0
        assert 0 < row["search_p50_ms"] <= row["search_p95_ms"]
        assert 0 <= row["hit@5"] <= 1 and 0 <= row["mrr"] <= row["hit@5"]
    assert rows[0]["ask_p50_ms"] > 0
    assert "| ours |" in markdown(rows, [])
