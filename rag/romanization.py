"""Hangul spellings of a romanized Korean name ("Cheongram" -> 청람), read backwards through the Revised
Romanization of Korean: every reading is generated and the caller keeps those its documents use."""

from __future__ import annotations

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
