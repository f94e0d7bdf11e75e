"""Text cleaning: page chrome out of scraped web text, markup out of Markdown, junk titles, tidy whitespace."""

from __future__ import annotations

import re
from collections.abc import Iterator

Cleaned = tuple[str, str, list[str]]  # (title, text, tags)

# Whole-line patterns of site furniture that shows up when a page is copied as plain text.
_CHROME_PATTERNS = (
    r"search( for)?:?|close (this )?search( box)?\.?|검색(하기)?|검색어를 입력하세요\.?",
    r"((post|page) )?views?\s*:?\s*[\d,.]+[km]?|[\d,.]+[km]?\s*views?|조회\s?수?\s*:?\s*[\d,]+\s*회?",
    r"share( (this|on|via|to)\b.*)?:?|공유(하기)?|print( this( page| article| post)?)?|인쇄(하기)?",
    r"(read|view) more\W*|continue reading\W*|더\s?보기\W*|계속\s?읽기\W*",
    r"(copyright\s*)?(©|\(c\)).*|copyright\s+\d{4}.*|.*all rights reserved\.?",
    r"skip to (main )?content|본문\s?바로\s?가기|(toggle )?(navigation|menu)|메뉴|back to top|맨\s?위로",
    r"(previous|next) (post|article)\b.*|(이전|다음)\s?글\b.*|(leave a (comment|reply)|댓글\s?(남기기|쓰기|달기)).*",
    r"subscribe|구독(하기)?|like this:|loading\.\.\.|related (posts|articles)|관련\s?(글|기사)",
)
_CHROME = re.compile("|".join(_CHROME_PATTERNS), re.IGNORECASE)
_CHROME_MAX_LEN = 80  # a long line that happens to start like chrome is prose
_SOCIAL = {
    "facebook",
    "twitter",
    "x",
    "linkedin",
    "kakao",
    "kakaotalk",
    "kakaostory",
    "카카오톡",
    "카카오스토리",
    "naver",
    "네이버",
    "band",
    "밴드",
    "email",
    "e-mail",
    "pinterest",
    "telegram",
    "whatsapp",
    "line",
    "url",
}
_HASHTAG_LINE = re.compile(r"#\w[^\s#]*(?:\s+#\w[^\s#]*)*")
_SENTENCE_END = (".", "!", "?", "。", "…", ":", ";", '"', "\u201d", "\u2019")  # closing quotes
_MENU_LINE_MAX = 40  # menu entries and taglines are short; article sentences rarely are
_LIST_ITEM = re.compile(r"([-*+•·]|\d+[.)])\s")
_H1 = re.compile(r"#\s+(.+?)(?:\s+#+)?\s*$")
_FENCE = re.compile(r"\s*(```|~~~)")
_RULE = re.compile(r"([-*_])(\s*\1){2,}")
_LINK_DEFINITION = re.compile(r"\s*\[[^\]]+\]:\s+\S+")
# Applied in order: images before links, bold before italics.
_INLINE_MARKUP = [
    (re.compile(r"^\s*#{1,6}\s+(.*?)(\s+#+)?\s*$"), r"\1"),  # ATX heading markers
    (re.compile(r"^\s*>\s?"), ""),  # blockquote markers
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images keep their alt text
    (re.compile(r"\[([^\]]+)\](\([^)]*\)|\[[^\]]*\])"), r"\1"),  # inline and reference links
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold, strikethrough
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *italic*
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),  # _italic_, not snake_case
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
]
_INVISIBLE = str.maketrans({"\u200b": None, "\u2060": None, "\ufeff": None, "\xa0": " "})
_TITLE_MAX = 150
# Titles that tools write into metadata when the author wrote none.
_JUNK_TITLE = re.compile(
    r"about:blank|untitled\b.*|제목\s*없음|무제|title|제목(입니다)?\.?|(new )?document\s*\d*|문서\s*\d*"
    r"|microsoft (word|powerpoint|excel)\s*-.*|powerpoint (presentation|프레젠테이션)|슬라이드\s*\d*|slide\s*\d*"
    r"|.*\.(docx?|hwpx?|pdf|pptx?|xlsx?|csv|txt|rtf|odt|indd|qxd)|.*[\\/].*",
    re.IGNORECASE,
)


def clean_web_text(text: str) -> Cleaned:
    """Strip page chrome from text copied off a web page; hashtag-only lines become tags."""
    lines, tags = _take_hashtags(_split_lines(text))
    lines = [line for line in lines if not _is_chrome(line)]
    lines = _drop_trailing_menu(lines)
    return first_title(lines), _join(lines), tags


def tidy_whitespace(text: str) -> str:
    """Trim line ends, drop invisible characters and collapse blank-line runs to one paragraph break."""
    return _join(_split_lines(text))


def metadata_title(title: str | None) -> str:
    """A title from document metadata, or '' when it is what a tool writes for none ("Untitled", a file name)."""
    title = " ".join((title or "").split())
    return "" if not title or _JUNK_TITLE.fullmatch(title) else title


def _substance(line: str) -> int:
    # A Hangul syllable is a whole block of letters: "임종석" and "과학" are titles, "AI" is not.
    return sum(2 if "\uac00" <= ch <= "\ud7a3" else 1 for ch in line if ch.isalnum())


def first_title(lines: list[str]) -> str:
    """The first line with some substance, shortened to a title."""
    for line in lines:
        if _substance(line) >= 4:
            return _shorten(line.strip())
    return ""


def clean_markdown(text: str) -> Cleaned:
    """Markdown to readable text: title from the first '# ' heading, markup stripped lightly."""
    lines = _split_lines(text)
    front_title, lines = _take_front_matter(lines)
    lines, tags = _take_hashtags(lines)
    heading = next((_unmark_line(m.group(1)) for line in lines if (m := _H1.match(line))), "")
    plain = list(_unmark(lines))
    return _shorten(heading or front_title) or first_title(plain), _join(plain), tags


def _take_front_matter(lines: list[str]) -> tuple[str, list[str]]:
    """Remove a leading YAML front-matter block, returning its title (or '') and the rest."""
    if not lines or lines[0] != "---":
        return "", lines
    end = next((i for i, line in enumerate(lines[1:], 1) if line in ("---", "...")), None)
    if end is None:
        return "", lines
    titles = [line.split(":", 1)[1].strip().strip("'\"") for line in lines[1:end] if line.startswith("title:")]
    return (titles[0] if titles else ""), lines[end + 1 :]


def _unmark(lines: list[str]) -> Iterator[str]:
    """Yield lines with Markdown syntax replaced by the text it decorates; code is kept verbatim."""
    in_code = False
    for line in lines:
        if _FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            yield line
        elif not _RULE.fullmatch(line.strip()) and not _LINK_DEFINITION.match(line):
            yield _unmark_line(line)


def _unmark_line(line: str) -> str:
    """One line of Markdown as plain text."""
    for pattern, replacement in _INLINE_MARKUP:
        line = pattern.sub(replacement, line)
    return line


def _split_lines(text: str) -> list[str]:
    """Lines with trailing whitespace and invisible characters removed; blank lines become ''."""
    return [line.rstrip() if line.strip() else "" for line in text.translate(_INVISIBLE).splitlines()]


def _join(lines: list[str]) -> str:
    """Join lines, keeping at most one blank line between paragraphs."""
    paragraphs = "\n".join(lines).split("\n\n")
    return "\n\n".join(p.strip("\n") for p in paragraphs if p.strip())


def _take_hashtags(lines: list[str]) -> tuple[list[str], list[str]]:
    """Separate lines made only of #tags from content, returning the tags in order without '#'."""
    kept: list[str] = []
    tags: dict[str, None] = {}
    for line in lines:
        if _HASHTAG_LINE.fullmatch(line.strip()):
            tags.update(dict.fromkeys(tag.lstrip("#").rstrip(",.;:") for tag in line.split()))
        else:
            kept.append(line)
    return kept, [tag for tag in tags if tag]


def _is_chrome(line: str) -> bool:
    """True for a line that is site furniture: search box, counters, share bar, copyright, ..."""
    stripped = line.strip()
    if not stripped or len(stripped) > _CHROME_MAX_LEN:
        return False
    if _CHROME.fullmatch(stripped):
        return True
    words = re.split(r"[\s,/|·]+", stripped.lower())
    return all(word in _SOCIAL for word in words)


def _drop_trailing_menu(lines: list[str]) -> list[str]:
    """Drop a final run of short, mostly unpunctuated lines (category menu, tagline) after the article."""
    start = len(lines)
    while start > 0 and _could_be_menu(lines[start - 1]):
        start -= 1
    tail = [line for line in lines[start:] if line]
    if not any(lines[:start]) or len(tail) < 2:
        return lines  # nothing before it, or a lone closing line: keep it
    unpunctuated = sum(1 for line in tail if not line.strip().endswith(_SENTENCE_END))
    return lines[:start] if unpunctuated * 2 > len(tail) else lines


def _could_be_menu(line: str) -> bool:
    """Blank, or short and not a list item (authors' lists at the end are content)."""
    stripped = line.strip()
    return not stripped or (len(stripped) < _MENU_LINE_MAX and not _LIST_ITEM.match(stripped))


def _shorten(line: str) -> str:
    """Cut an over-long line at a word boundary so it reads as a title."""
    if len(line) <= _TITLE_MAX:
        return line
    return line[:_TITLE_MAX].rsplit(" ", 1)[0].rstrip(",;:") + "…"
