"""Embedders chosen by RAG_EMBEDDINGS; the offline default downloads nothing."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from rag.errors import RagError
from rag.ngram_hash import hashed_counts


class EmbedderError(RagError):
    """The configured embedder cannot be used; the message says what to do."""


class Embedder(Protocol):
    """What the store needs of an embedder: LangChain's Embeddings interface, which every backend
    below has. Only a type, so the offline path never imports LangChain (a second of cold start)."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class HashingEmbeddings:
    """Character n-gram feature hashing: offline, deterministic, good at Korean word-form variants.

    It knows no meaning, only spelling, so retrieval gives it a low fusion weight. It has the
    methods of LangChain's Embeddings, so LangChain's vector stores take it as it is.
    """

    def __init__(self, dim: int = 384, ngrams: tuple[int, ...] = (2, 3)):  # n-grams of up to 3 characters
        self.dim = dim
        self.ngrams = ngrams

    def _vector(self, counts: np.ndarray) -> list[float]:
        vec = np.sign(counts) * np.log1p(np.abs(counts))  # damp repeated n-grams
        norm = float(np.linalg.norm(vec))  # per row, as one vector: a row-wise norm may differ in the last bit
        return (vec / norm).tolist() if norm else vec.tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(row) for row in hashed_counts(list(texts), self.dim, self.ngrams)]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


# Embedders known to read Korean; the others join retrieval only where BM25 is weak.
MULTILINGUAL_HINTS = ("bge-m3", "kure", "multilingual", "e5", "text-embedding-3", "labse", "ko-sroberta", "gte-multi")


def _huggingface(model: str, base_url: str | None) -> Embedder:
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise EmbedderError(
            "huggingface embeddings need sentence-transformers: pip install -r requirements-hf.txt"
        ) from exc
    try:
        st = SentenceTransformer(model)
    except Exception as exc:  # noqa: BLE001 - hub/network errors come in many types
        raise EmbedderError(f"cannot load embedding model {model!r} (offline? give a local path): {exc}") from exc

    class _SentenceTransformerEmbeddings:
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return st.encode(texts, normalize_embeddings=True, batch_size=32).tolist()

        def embed_query(self, text: str) -> list[float]:
            return st.encode([text], normalize_embeddings=True)[0].tolist()

    return _SentenceTransformerEmbeddings()


def _ollama(model: str, base_url: str | None) -> Embedder:
    from langchain_ollama import OllamaEmbeddings

    return OllamaEmbeddings(model=model, base_url=base_url) if base_url else OllamaEmbeddings(model=model)


def _openai(model: str, base_url: str | None) -> Embedder:
    from langchain_openai import OpenAIEmbeddings

    return OpenAIEmbeddings(model=model, base_url=base_url, check_embedding_ctx_length=False)


BACKENDS = {"huggingface": _huggingface, "ollama": _ollama, "openai": _openai}


def make_embedder(spec: str, base_url: str | None = None) -> Embedder:
    """Build the embedder named by `spec`: 'hash', 'hash:<dimensions>' or '<backend>:<model>'."""
    backend, _, model = spec.partition(":")
    if backend == "hash":
        if model and not model.isdigit():
            raise EmbedderError(f"RAG_EMBEDDINGS={spec!r}: use hash or hash:<dimensions>, e.g. hash:384")
        return HashingEmbeddings(dim=int(model)) if model else HashingEmbeddings()
    if backend not in BACKENDS or not model:
        raise EmbedderError(
            f"unknown RAG_EMBEDDINGS={spec!r}; use hash, huggingface:<model>, ollama:<model> or openai:<model>"
        )
    return BACKENDS[backend](model, base_url)


def reads_korean(spec: str) -> bool:
    """Whether the embedder is known to understand Korean (and so may always join the fusion)."""
    return any(hint in spec.lower() for hint in MULTILINGUAL_HINTS)
