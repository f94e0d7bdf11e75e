"""Hangul spellings of a romanized Korean name ("Cheongram" -> 청람), read backwards through the Revised
Romanization of Korean: every reading is generated and the caller keeps those its documents use."""

from __future__ import annotations

import re
from functools import lru_cache

# Letters -> choseong / jungseong / jongseong indexes of the Unicode Hangul syllable block. Besides the
# official table, the letters loanwords add (c, f, v, z, x) and "r" or "l" for a final ㄹ.
INITIALS = {
    "g": (0,), "k": (0, 15), "kk": (1,), "n": (2,), "d": (3,), "t": (3, 16), "tt": (4,), "r": (5,), "l": (5,),
    "m": (6,), "b": (7,), "p": (7, 17), "pp": (8,), "s": (9,), "ss": (10,), "": (11,), "j": (12,), "jj": (13,),
    "ch": (14,), "h": (18,), "c": (15,), "f": (17,), "v": (7,), "z": (12,),
}
# "u" and "yu" also as the ㅓ/ㅕ of older spellings ("Samsung" 삼성, "Hyundai" 현대), "ai" as ㅐ.
VOWELS = {
    "a": (0,), "ae": (1,), "ai": (1,), "ya": (2,), "yae": (3,), "eo": (4,), "e": (5,), "yeo": (6,), "ye": (7,),
    "o": (8,), "wa": (9,), "wae": (10,), "oe": (11,), "yo": (12,), "u": (13, 4), "wo": (14,), "we": (15,),
    "wi": (16,), "yu": (17, 6), "eu": (18,), "ui": (19,), "i": (20,),
}
FINALS = {"": (0,), "k": (1,), "g": (1,), "n": (4,), "t": (7, 19, 20, 22, 23, 25, 27), "l": (8,), "r": (8,), "m": (16,),
          "p": (17, 26), "b": (17,), "ng": (21,), "s": (19,)}
EU = 18  # the ㅡ a loanword puts after a consonant with no vowel ("Mir" -> 미르)
MAX_SYLLABLES = 5
MAX_READINGS = 4000  # an unlucky long word stops here instead of exploding


def _syllable(initial: int, vowel: int, final: int) -> str:
    return chr(0xAC00 + (initial * 21 + vowel) * 28 + final)


@lru_cache(maxsize=4096)
def hangul_readings(word: str) -> tuple[str, ...]:
    """Every Hangul spelling `word` could romanize, syllable by syllable; () for what cannot be one."""
    word = word.lower()
    if not word.isascii() or not word.isalpha() or len(word) > 3 * MAX_SYLLABLES:
        return ()
    readings: list[str] = []

    def spell(at: int, done: str) -> None:
        if len(readings) >= MAX_READINGS or len(done) > MAX_SYLLABLES:
            return
        if at == len(word):
            if done:
                readings.append(done)
            return
        for ini in _prefixes(word, at, INITIALS):
            start = at + len(ini)
            vowels = _prefixes(word, start, VOWELS)
            if not vowels and ini:  # a consonant with no vowel after it: a loanword's ㅡ
                for i in INITIALS[ini]:
                    spell(start, done + _syllable(i, EU, 0))
            for vow in vowels:
                after = start + len(vow)
                for fin in _prefixes(word, after, FINALS):
                    for i in INITIALS[ini]:
                        for v in VOWELS[vow]:
                            for f in FINALS[fin]:
                                spell(after + len(fin), done + _syllable(i, v, f))

    spell(0, "")
    return tuple(dict.fromkeys(readings))


def _prefixes(word: str, at: int, table: dict) -> list[str]:
    """The table's letter groups that `word` continues with at `at` ("" included when the table has it)."""
    return [key for key in table if word.startswith(key, at)]


# A loanword written in Hangul keeps the consonants of its Latin original in order, whatever its vowels do
# (코르반 / Corvane: k r p n; 타이드마크 / Tidemark: t m k once Hangul's silent ㅇ and English's unsounded "r"
# go). Both sides are read into the same few consonant classes and compared as such skeletons.
# By choseong index (ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ) and by jongseong index.
_INITIAL_CLASS = ("k", "k", "n", "t", "t", "r", "m", "p", "p", "s", "s", "", "s", "s", "s", "k", "t", "p", "h")
_FINAL_CLASS = ("", "k", "k", "k", "n", "n", "n", "t", "r", "k", "m", "p", "s", "t", "p", "h", "m", "p", "p", "t",
                "t", "g", "t", "t", "k", "t", "p", "h")
_LATIN_CLASS = {"b": "p", "p": "p", "f": "p", "v": "p", "c": "k", "k": "k", "g": "k", "q": "k", "d": "t", "t": "t",
                "s": "s", "z": "s", "j": "s", "x": "ks", "l": "r", "r": "r", "m": "m", "n": "n", "h": "h",
                "G": "g"}  # G: "ng", one sound (final ㅇ)
SKELETON_MIN = 3  # consonants: shorter skeletons are shared by too many words to name one


def _collapse(classes: str) -> str:
    return "".join(c for i, c in enumerate(classes) if i == 0 or c != classes[i - 1])


# The official Revised Romanization letters, by the same indexes, for reading a Hangul word back.
_RR_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
_RR_VOWELS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
              "yu", "eu", "ui", "i")
_RR_FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
              "ng", "t", "t", "k", "t", "p", "t")


def romanized(word: str) -> str:
    """A Hangul word in the Revised Romanization, syllable by syllable ("그레이헤이븐" -> "geureiheibeun");
    other characters as they are."""
    out = []
    for ch in word:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(_RR_INITIALS[code // 588] + _RR_VOWELS[code // 28 % 21] + _RR_FINALS[code % 28])
        else:
            out.append(ch.lower())
    return "".join(out)


def hangul_skeleton(word: str) -> str:
    """The consonant classes of a Hangul word ("코르반" -> "krpn"); "" when it is not all Hangul syllables."""
    out = []
    for ch in word:
        code = ord(ch) - 0xAC00
        if not 0 <= code < 11172:
            return ""
        out += [_INITIAL_CLASS[code // 588], _FINAL_CLASS[code % 28]]
    return _collapse("".join(out).replace("h", ""))


def latin_skeletons(word: str) -> frozenset[str]:
    """The consonant classes of a Latin word, with and without the "r"s English leaves unsounded before a
    consonant or at the end ("tidemark" -> "tmrk", "tmk"); ng is one sound (ㅇ), h is dropped on both sides."""
    word = word.lower()
    if not word.isascii() or not word.isalpha():
        return frozenset()
    word = word.replace("ph", "f").replace("ck", "k").replace("ng", "G")
    word = "".join("s" if ch == "c" and word[i + 1 : i + 2] in ("e", "i", "y") else ch for i, ch in enumerate(word))
    spelled = "".join(_LATIN_CLASS.get(ch, "-") for ch in word).replace("h", "")  # "-": a vowel
    full = _collapse(spelled.replace("-", ""))
    # An "r" after a vowel and before a consonant or the end: "mark" -> 마크, "Harlow" keeps it (할로).
    quiet = _collapse(re.sub(r"(?<=-)r(?=[^-]|$)", "", spelled).replace("-", ""))
    return frozenset(s for s in (full, quiet) if s)
