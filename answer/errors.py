"""Errors of the answering step; the CLI and the web app turn them into one-line messages."""

from rag.errors import RagError


class AnswerError(RagError):
    """Base class: the message is a one-line reason fit to show a user."""


class LLMConfigError(AnswerError):
    """The configured chat model cannot be built (unknown backend, missing model or file, missing package)."""


class LLMUnavailableError(AnswerError):
    """The chat model's server could not be reached or failed while answering."""


class PromptError(AnswerError):
    """A prompt file is missing or a slot was left without a value."""
