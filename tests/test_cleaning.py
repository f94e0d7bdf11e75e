"""Chrome stripping for scraped web text, Markdown to text, whitespace tidying."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.cleaning import clean_markdown, clean_web_text, first_title, tidy_whitespace

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
ARTICLE = (
    "AI 대학원은 기업이 직접 인재를 키우는 방법입니다. 여러 기업이 이 방식을 택하고 있습니다.\n\n"
    "두 번째 문단도 충분히 긴 문장으로 이루어져 있어서 본문으로 인정되어야 합니다."
)


@pytest.fixture(scope="module")
def lg_article() -> tuple[str, str, list[str]]:
    path = CORPUS / "lg-ai-graduate-school.txt"
    if not path.is_file():
        pytest.skip("needs the real scraped article ../shared/corpus/lg-ai-graduate-school.txt beside the clone")
    return clean_web_text(path.read_text(encoding="utf-8"))


def test_real_article_title_and_tags(lg_article):
    title, _, tags = lg_article
    assert title == "LG는 왜 사내에 AI 대학원을 만들었을까?"
    assert tags == ["AI", "AI대학원", "LG"]


@pytest.mark.parametrize(
    "chrome",
    [
        "Post Views",
        "Search",
        "Close this search box.",
        "AI 자격증(AICA)",
        "이벤트",
        "AI:ING only",
        "AI Double UP",
        "끝없이 이어질 인공지능의 이야기",
        "#AI",
        "\xa0",
    ],
)
def test_real_article_chrome_is_gone(lg_article, chrome):
    _, text, _ = lg_article
    assert chrome not in text


@pytest.mark.parametrize(
    "body",
    [
        "애리조나주립대학은 지난 1월 18일",
        "AI 인재 양성을 위해 기업간 연합을 주도하는 글로벌 기업들",
        "딜로이트(Deloitte)",
    ],
)
def test_real_article_body_is_kept(lg_article, body):
    assert body in lg_article[1]


def test_real_article_ends_with_last_paragraph(lg_article):
    _, text, _ = lg_article
    assert text.startswith("LG는 왜 사내에 AI 대학원을 만들었을까?\n\n")
    assert text.endswith("필요가 있기 때문이죠.")
    assert "\n\n\n" not in text
    assert all(line == line.rstrip() for line in text.splitlines())


@pytest.mark.parametrize(
    "line",
    [
        "Search",
        "Close this search box.",
        "Post Views: 496",
        "Views: 1,204",
        "3.4k views",
        "조회수 1,234",
        "Skip to content",
        "본문 바로가기",
        "Share this:",
        "Share on Facebook",
        "Read more »",
        "Continue reading →",
        "© 2024 Example Corp.",
        "Copyright 2023 뉴스. All rights reserved.",
        "Facebook Twitter Email",
        "Leave a comment",
        "Previous post: 지난 글 제목",
        "다음 글",
        "Print",
        "맨 위로",
    ],
)
def test_chrome_lines_are_dropped_anywhere(line):
    _, text, _ = clean_web_text(f"기사 제목입니다\n\n{line}\n\n{ARTICLE}\n\n{line}\n\n마무리 문장도 본문입니다.")
    assert line not in text.splitlines()
    assert ARTICLE in text


@pytest.mark.parametrize(
    "prose",
    [
        "Search engines index fresh pages every day, so publishing often matters.",
        "Copyright law in Korea protects authors for seventy years after death.",
        "Share prices rose sharply after the announcement of the new AI graduate school programme.",
    ],
)
def test_prose_that_starts_like_chrome_is_kept(prose):
    _, text, _ = clean_web_text(f"Headline here\n\n{prose}\n\n{ARTICLE}")
    assert prose in text


def test_trailing_menu_block_is_dropped():
    menu = "HOME\n\n뉴스\n\nIT/과학\n\n오피니언\n\n우리의 이야기는 계속됩니다."
    _, text, _ = clean_web_text(f"제목\n\n{ARTICLE}\n\n{menu}")
    assert text.endswith("본문으로 인정되어야 합니다.")
    assert "오피니언" not in text


@pytest.mark.parametrize(
    "ending",
    [
        "감사합니다.",
        "- 첫째 항목\n- 둘째 항목\n- 셋째 항목",
        "1. 준비\n2. 실행\n3. 검토",
        "질문이 있나요?\n댓글로 알려 주세요!",
    ],
)
def test_short_real_endings_are_kept(ending):
    _, text, _ = clean_web_text(f"제목\n\n{ARTICLE}\n\n{ending}")
    assert text.endswith(ending)


def test_text_of_only_short_lines_is_not_emptied():
    _, text, _ = clean_web_text("장보기\n\n사과\n\n배\n\n우유")
    assert text == "장보기\n\n사과\n\n배\n\n우유"


@pytest.mark.parametrize(
    ("raw", "tags"),
    [("#AI #LLM", ["AI", "LLM"]), ("#AI대학원,", ["AI대학원"]), ("#a\n#b #a", ["a", "b"])],
)
def test_hashtag_lines_become_tags(raw, tags):
    _, text, found = clean_web_text(f"제목 줄입니다\n\n{raw}\n\n{ARTICLE}")
    assert found == tags
    assert "#" not in text


def test_hashtag_inside_a_sentence_stays_content():
    _, text, tags = clean_web_text(f"제목 줄입니다\n\n오늘의 주제는 #AI 입니다.\n\n{ARTICLE}")
    assert tags == []
    assert "오늘의 주제는 #AI 입니다." in text


def test_title_skips_noise_lines():
    title, _, _ = clean_web_text(f"Search\n\n>>\n\n  \n진짜 제목은 여기에\n\n{ARTICLE}")
    assert title == "진짜 제목은 여기에"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a  \n\n\n \n\xa0\nb\t", "a\n\nb"),
        ("\n\n첫 줄\n둘째 줄  \n\n\n\n셋째\n\n", "첫 줄\n둘째 줄\n\n셋째"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("non\xa0breaking", "non breaking"),
    ],
)
def test_tidy_whitespace(raw, expected):
    assert tidy_whitespace(raw) == expected


def test_first_title_shortens_a_long_first_line():
    title = first_title(["word " * 100])
    assert title.endswith("…")
    assert len(title) <= 151


MARKDOWN = """# 제목 **강조**

Some *italic* and __bold__ text with a [link](https://example.com) and ![그림 설명](a.png) and `code`.
snake_case_name stays as it is. ~~struck~~

## 소제목 ##

> 인용문입니다.

```python
# a comment in code stays
x = [1, 2]  # *not emphasis*
```

***
[ref]: https://example.com/ref
"""


def test_markdown_title_is_first_h1_without_markup():
    title, _, _ = clean_markdown(MARKDOWN)
    assert title == "제목 강조"


@pytest.mark.parametrize(
    "expected",
    [
        "제목 강조",
        "Some italic and bold text with a link and 그림 설명 and code.",
        "snake_case_name stays as it is. struck",
        "소제목",
        "인용문입니다.",
        "# a comment in code stays",
        "x = [1, 2]  # *not emphasis*",
    ],
)
def test_markdown_text_is_readable(expected):
    _, text, _ = clean_markdown(MARKDOWN)
    assert expected in text.splitlines()


@pytest.mark.parametrize("markup", ["**", "](", "```", "***", "[ref]", "> "])
def test_markdown_markup_is_gone(markup):
    _, text, _ = clean_markdown(MARKDOWN)
    assert markup not in text.replace("*not emphasis*", "")


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ('---\ntitle: "Front Title"\ndate: 2024-01-01\n---\nBody text without a heading.', "Front Title"),
        ("Intro line of the note\n\n## Only a level-two heading", "Intro line of the note"),
        ("Setext title\n============\n\n# Real H1\n\ntext", "Real H1"),
    ],
)
def test_markdown_title_fallbacks(raw, title):
    found, text, _ = clean_markdown(raw)
    assert found == title
    assert "date: 2024" not in text


def test_a_short_korean_title_is_a_title():
    assert first_title(["임종석", "임종석은 대한민국의 정치인이다."]) == "임종석"
    assert first_title(["AI", "두 번째 줄이 제목이 된다"]) == "두 번째 줄이 제목이 된다"
