"""Lines a page layout wrapped inside a sentence (PDF text), joined back so sentence splitting sees whole sentences."""

from __future__ import annotations

import re

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LINE_END = (".", "!", "?", "。", "…", ":", ";", "\u201d", '"', "'", "\u2019")  # where a line may end a sentence
_LINE_START_MARKER = re.compile(r"([-*+•·○●◦□■▪▶▷◆◇※]|\d+[.)]|\(\w{1,2}\)|[①-⑳])(\s|$)")
_HANGUL_MARKER = re.compile(r"[가-하][.)]\s")  # "다. " begins an item, unless it ends the word before it
_FULL_LINE = 0.75  # a line this share of the page's long lines filled the width: the text wrapped there
_MIN_WIDTH = 20  # characters; a page whose lines are all shorter holds headings, not wrapped prose


def join_wrapped_lines(text: str) -> str:
    """Join the lines a PDF broke inside a sentence, so sentence splitting sees whole sentences.

    A line is joined to the next when it does not end like a sentence, the next is not a list item, and it
    either filled the page's width or the next goes on in lower case; a capitalised last word before a
    capital ("Quarterly Report" / "Second ...") is taken for a heading. Korean lines meet with or without a
    space as Kiwi's spacing model says ("원이" + "다." -> "원이다.", "교육을" + "실시한다." with a space).
    """
    lines = text.split("\n")
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    if len(lengths) < 2:
        return text
    width = max(lengths[int(0.8 * (len(lengths) - 1))], _MIN_WIDTH)
    joins = [i for i in range(len(lines) - 1) if _continues(lines[i].strip(), lines[i + 1].strip(), width)]
    if not joins:
        return text
    glue = _glue([(lines[i].strip(), lines[i + 1].strip()) for i in joins])
    joined = {i: g for i, g in zip(joins, glue) if not _starts_item(lines[i].strip(), lines[i + 1].strip(), g)}
    out = [lines[0]]
    for i, line in enumerate(lines[1:], 1):
        if i - 1 in joined:
            out[-1] = out[-1].rstrip() + joined[i - 1] + line.strip()
        else:
            out.append(line)
    return "\n".join(out)


def _continues(line: str, following: str, width: int) -> bool:
    """Whether `following` goes on with the sentence `line` left unfinished."""
    if not line or not following or line.endswith(_LINE_END) or _LINE_START_MARKER.match(following):
        return False
    last, first = line[-1], following[0]
    if not (last.isalnum() or last in ",-(") or not (first.isalnum() or first in "(\"'\u201c\u2018"):
        return False
    if first.isupper() and line.rsplit(" ", 1)[-1][:1].isupper():  # "Quarterly Report" / "Second ...": a heading
        return False
    return len(line) >= _FULL_LINE * width or first.islower()


def _starts_item(line: str, following: str, glue: str) -> bool:
    """'나. ...' after '가. ...' is the next item; after a line ending mid-word ('원이' + '다.') it is not."""
    return bool(_HANGUL_MARKER.match(following)) and (glue == " " or bool(_HANGUL_MARKER.match(line)))


def _glue(pairs: list[tuple[str, str]]) -> list[str]:
    """What goes between each pair of joined lines: '' inside a Korean word or after a hyphen, else a space."""
    glue = [" "] * len(pairs)
    korean = [i for i, (a, b) in enumerate(pairs) if _HANGUL.match(a[-1]) and _HANGUL.match(b[0])]
    for i, (a, _) in enumerate(pairs):
        if a.endswith("-"):
            glue[i] = ""
    if korean:
        from rag.korean import get_kiwi  # Kiwi loads only when a PDF needs it

        tails = [(pairs[i][0].rsplit(" ", 1)[-1], pairs[i][1].split(" ", 1)[0]) for i in korean]
        spaced = get_kiwi().space([a + b for a, b in tails], reset_whitespace=False)
        for i, (a, _), result in zip(korean, tails, spaced):
            glue[i] = " " if _space_after(result, len(a)) else ""
    return glue


def _space_after(text: str, count: int) -> bool:
    """Whether `text` has a space right after its first `count` non-space characters."""
    seen = 0
    for ch in text:
        if seen == count:
            return ch == " "
        seen += ch != " "
    return False
