"""One typed settings object: every RAG_* variable is read here and nowhere else."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Configuration from the environment (and an optional .env file)."""

    model_config = SettingsConfigDict(env_prefix="RAG_", env_file=".env", extra="ignore", populate_by_name=True)

    # Store
    db_dir: Path = Field(PROJECT_ROOT / ".rag-db", description="Folder of the embedded Chroma store and the lexical index.")
    collection: str = Field("articles", description="Chroma collection of chunks.")
    chroma_host: str | None = Field(
        None, validation_alias="CHROMA_HOST", description="Chroma server host; unset = embedded store."
    )
    chroma_port: int = Field(8000, validation_alias="CHROMA_PORT", description="Chroma server port.")

    # Ingest
    chunk_size: int = Field(500, ge=100, description="Target chunk length in characters.")
    chunk_overlap: int = Field(1, ge=0, description="Sentences repeated at the start of the next chunk.")
    max_file_mb: float = Field(50, gt=0, description="Files and downloads larger than this are refused.")
    url_timeout: float = Field(15, gt=0, description="Seconds before a URL download gives up.")
    url_allow_private: bool = Field(
        False, description="Let URLs added in the web app reach loopback, private, link-local and multicast addresses "
        "(a company intranet); the command line always may.",
    )
    samples_dir: Path = Field(PROJECT_ROOT / "data" / "samples", description="Ingested when the store is empty.")

    # Retrieval
    embeddings: str = Field("hash", description="hash | huggingface:<model> | ollama:<model> | openai:<model>")
    embeddings_base_url: str | None = Field(None, description="Base URL for openai:/ollama: embeddings.")
    top_k: int = Field(5, ge=1, description="Passages handed to the answerer.")
    context_chunks: int = Field(
        1, ge=0, description="Following chunks of the same document appended to each retrieved chunk as its context."
    )
    lexical_weight: float = Field(1.0, ge=0, description="Weight of BM25 in reciprocal rank fusion.")
    dense_weight: float = Field(1.0, ge=0, description="Weight of the embedding search in reciprocal rank fusion.")
    dense_gate: float | None = Field(
        None, ge=0, le=1,
        description="An embedder that does not read Korean joins only when the best BM25 passage covers less than "
        "this share of the query's terms; unset = 0.2 for such embedders, always on for multilingual ones.",
    )
    rrf_k: int = Field(60, ge=1, description="Rank offset of reciprocal rank fusion.")

    # Answers
    llm: str = Field("extractive", description="extractive | openai | ollama | llamacpp")
    llm_model: str | None = Field(None, description="Model name for openai/ollama.")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible server URL, e.g. http://localhost:8000/v1.")
    llm_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("RAG_LLM_API_KEY", "OPENAI_API_KEY"), description="API key for openai."
    )
    llm_model_path: Path | None = Field(None, description="GGUF file for llamacpp.")
    llm_temperature: float = Field(0.1, ge=0, description="Sampling temperature for LLM backends.")
    llm_timeout: float = Field(120, gt=0, description="Seconds before an LLM call gives up.")
    ollama_host: str = Field("http://localhost:11434", validation_alias="OLLAMA_HOST", description="Ollama server.")
    history_turns: int = Field(4, ge=0, description="Previous chat turns used to rewrite follow-up questions.")

    # Web app
    host: str = Field("127.0.0.1", description="Address the web app binds.")
    port: int = Field(7860, description="Port of the web app.")
    auth: SecretStr | None = Field(None, description="user:password to require a login.")
    api_key: SecretStr | None = Field(
        None, description="Bearer token the OpenAI-compatible API (/v1) requires; unset = none, except that with "
        "RAG_AUTH set the API stays closed until this is set too."
    )
    max_upload_files: int = Field(20, ge=1, description="Most files accepted in one upload.")
    concurrency: int = Field(4, ge=1, description="Chat requests served at once.")

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
