"""The one-sentence replies the chat gives instead of an answer, in the question's language."""

from __future__ import annotations

from answer.errors import AnswerError, LLMConfigError, LLMUnavailableError
from rag.errors import user_message

EMPTY_STORE = {
    "ko": "검색할 문서가 아직 없으니 문서 탭에서 파일이나 URL을 추가해 주세요.",
    "en": "There are no documents to search yet: add files or URLs in the Documents tab.",
}
UNREACHABLE = {"ko": "답변 모델에 연결할 수 없습니다: {reason}", "en": "The answer model is unreachable: {reason}"}
MISCONFIGURED = {"ko": "답변 모델 설정에 문제가 있습니다: {reason}", "en": "The answer model is not set up: {reason}"}
FAILED = {"ko": "답변하지 못했습니다: {reason}", "en": "Could not answer: {reason}"}


def _pick(table: dict[str, str], language: str) -> str:
    return table.get(language, table["en"])


def empty_store(language: str) -> str:
    return _pick(EMPTY_STORE, language)


def failure(exc: BaseException, language: str) -> str:
    """One sentence for a failed answer: unreachable or misconfigured model, or any other error."""
    if isinstance(exc, LLMUnavailableError):
        table = UNREACHABLE
    elif isinstance(exc, LLMConfigError):
        table = MISCONFIGURED
    else:
        table = FAILED
    reason = " ".join(str(exc).split())[:300] if isinstance(exc, AnswerError) else user_message(exc)
    return _pick(table, language).format(reason=reason.rstrip("."))
