"""The offline hash embedder: vectorised, it must give exactly the vectors of the per-n-gram loop it replaced."""

import random
import re
import unicodedata
import zlib

import numpy as np
import pytest

from rag.embeddings import HashingEmbeddings


def reference_vector(text: str, dim: int = 384, ngrams: tuple[int, ...] = (2, 3)) -> list[float]:
    """The embedder as it was written first (stores built with it must keep matching queries)."""
    vec = np.zeros(dim, dtype=np.float32)
    for word in re.findall(r"\w+", unicodedata.normalize("NFC", text).lower()):
        padded = f" {word} "
        for n in ngrams:
            for i in range(max(1, len(padded) - n + 1)):
                h = zlib.crc32(padded[i : i + n].encode())
                vec[h % dim] += 1.0 if h & 0x80000000 else -1.0
    vec = np.sign(vec) * np.log1p(np.abs(vec))
    norm = float(np.linalg.norm(vec))
    return (vec / norm).tolist() if norm else vec.tolist()


CASES = [
    "",
    "   ",
    "!!! ---",
    "a",
    "LG는 사내 AI 대학원을 2022년에 개설했다.",
    "Apprentices apprentice OpenAI Open AI",
    "emoji 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and 漢字 and Ünïcödé Straße ǅ",
    "ﾊﾝｶｸ and decomposed \u1112\u1161\u11ab\u1100\u1173\u11af",  # NFC composes the jamo into 한글
    "line one\nline two\tthree  four",
    "x" * 3000,
]


@pytest.mark.parametrize("text", CASES)
def test_same_vector_as_the_loop(text):
    assert HashingEmbeddings().embed_query(text) == reference_vector(text)


def test_same_vectors_for_a_batch_of_random_mixed_texts():
    rng = random.Random(3)
    alphabet = "가나다라마바사아자차카타파하한국어 abcdefgXYZ 0123 .,!?\n😀é"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400))) for _ in range(200)] + CASES
    got = HashingEmbeddings(dim=97).embed_documents(texts)
    assert got == [reference_vector(t, dim=97) for t in texts]
