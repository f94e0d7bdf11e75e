"""Signed feature hashing of words' character n-grams, for many texts at once in numpy.

Bit for bit what hashing each n-gram with `zlib.crc32` in a Python loop gives (tests/test_embeddings.py keeps
that loop as the reference), about fifty times faster: the loop spent its time in per-n-gram interpreter work.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

_WORD = re.compile(r"\w+")


def _crc_table() -> np.ndarray:
    """zlib's CRC-32 table (reflected polynomial 0xEDB88320)."""
    table = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        table = np.where(table & 1, (table >> 1) ^ np.uint32(0xEDB88320), table >> 1).astype(np.uint32)
    return table


_TABLE = _crc_table()


def padded_words(text: str) -> str:
    """Each word of `text` between spaces, " w1  w2 ": an n-gram holding two spaces crosses words."""
    words = _WORD.findall(unicodedata.normalize("NFC", text).lower())
    return " " + "  ".join(words) + " " if words else ""


def _utf8(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each code point's UTF-8 bytes (rows of 4, unused ones last) and how many there are."""
    c = codes.astype(np.uint32)
    count = 1 + (c >= 0x80) + (c >= 0x800) + (c >= 0x10000)
    cont = lambda shift: (0x80 | ((c >> shift) & 0x3F)).astype(np.uint32)  # noqa: E731 - a continuation byte
    lead = np.select([count == 1, count == 2, count == 3], [c, 0xC0 | (c >> 6), 0xE0 | (c >> 12)], 0xF0 | (c >> 18))
    rows = np.zeros((len(c), 4), dtype=np.uint32)
    rows[:, 0] = lead
    rows[:, 1] = np.select([count == 2, count == 3], [cont(0), cont(6)], cont(12))
    rows[:, 2] = np.where(count == 3, cont(0), cont(6))
    rows[:, 3] = cont(0)
    return rows, count


def _crc_step(crc: np.ndarray, rows: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Feed one code point per position (its `count` bytes) into running CRCs."""
    for k in range(4):
        fed = _TABLE[(crc ^ rows[:, k]) & 0xFF] ^ (crc >> 8)
        crc = np.where(count > k, fed, crc)
    return crc


def hashed_counts(texts: list[str], dim: int, ngrams: tuple[int, ...]) -> np.ndarray:
    """(len(texts), dim) float32: for each n-gram of each padded word, +1 or -1 (the CRC's top bit) in bucket
    crc % dim."""
    padded = [padded_words(t) for t in texts]
    out = np.zeros((len(texts), dim), dtype=np.float32)
    joined = "".join(padded)
    if not joined:
        return out
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    owner = np.repeat(np.arange(len(texts)), [len(p) for p in padded])
    rows, count = _utf8(codes)
    double_space = (codes[:-1] == 32) & (codes[1:] == 32)  # texts start and end with a space, so this splits them too
    crc, crossed = np.full(len(codes), 0xFFFFFFFF, dtype=np.uint32), np.zeros(len(codes), dtype=bool)
    flat = np.zeros(len(texts) * dim, dtype=np.float64)
    for n in range(1, max(ngrams) + 1):
        starts = len(codes) - n + 1
        crc = _crc_step(crc[:starts], rows[n - 1 :], count[n - 1 :])
        if n > 1:
            crossed = crossed[:starts] | double_space[n - 2 : n - 2 + starts]
        if n in ngrams:
            h = crc[~crossed] ^ np.uint32(0xFFFFFFFF)
            sign = np.where(h & 0x80000000, 1.0, -1.0)
            flat += np.bincount(owner[:starts][~crossed] * dim + (h % dim), weights=sign, minlength=len(flat))
    out[:] = flat.reshape(len(texts), dim)
    return out
