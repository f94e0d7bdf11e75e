"""Citation markers: invented numbers stripped, the rest renumbered by first appearance."""

import pytest

from answer.citations import cited_numbers, clean_citations, clean_partial, invalid_numbers
from rag.types import Passage


def passages(n: int) -> list[Passage]:
    return [Passage(f"c{i}", f"d{i}", f"/docs/{i}.txt", f"Title {i}", f"text {i}") for i in range(1, n + 1)]


@pytest.mark.parametrize(
    "raw, expected_text, expected_chunks",
    [
        ("LG opened it in 2022 [1].", "LG opened it in 2022 [1].", ["c1"]),
        ("First [3]. Then [1]. Again [3].", "First [1]. Then [2]. Again [1].", ["c3", "c1"]),
        ("Invented [7] and zero [0] go.", "Invented and zero go.", []),
        ("Mixed [2, 9] stays partly.", "Mixed [1] stays partly.", ["c2"]),
        ("Both [1, 2] cited.", "Both [1][2] cited.", ["c1", "c2"]),
        ("Adjacent [2][1] cited.", "Adjacent [1][2] cited.", ["c2", "c1"]),
        ("A range [1-3] expands.", "A range [1][2][3] expands.", ["c1", "c2", "c3"]),
        ("Repeated [2, 2] once.", "Repeated [1] once.", ["c2"]),
        ("A year [2022] is not a citation [4].", "A year [2022] is not a citation [1].", ["c4"]),
        ("No citations at all.", "No citations at all.", []),
    ],
)
def test_clean_citations(raw, expected_text, expected_chunks):
    text, citations = clean_citations(raw, passages(5))
    assert text == expected_text
    assert [c.chunk_id for c in citations] == expected_chunks
    assert [c.n for c in citations] == list(range(1, len(expected_chunks) + 1))
    assert invalid_numbers(text, len(citations)) == []


def test_citation_carries_the_passage():
    text, (citation,) = clean_citations("답 [2]", passages(2))
    assert (citation.n, citation.doc_id, citation.source, citation.title, citation.text) == (
        1, "d2", "/docs/2.txt", "Title 2", "text 2")
    assert text == "답 [1]"


@pytest.mark.parametrize("text, n, invalid", [("a [1] b [6]", 5, [6]), ("[0]", 3, [0]), ("[1][2]", 2, []), ("none", 0, [])])
def test_invalid_numbers(text, n, invalid):
    assert invalid_numbers(text, n) == invalid


def test_cited_numbers_keep_order_and_repeats():
    assert cited_numbers("x [2] y [1, 3] z [2]") == [2, 1, 3, 2]


@pytest.mark.parametrize(
    "partial, shown", [("Answer [", "Answer"), ("Answer [1", "Answer"), ("Answer [3] and [", "Answer [1] and")]
)
def test_partial_text_hides_an_unfinished_marker(partial, shown):
    assert clean_partial(partial, passages(3)) == shown
