"""Expected failures, and the one place they become a line for the user."""

from __future__ import annotations


class RagError(Exception):
    """A failure the user can act on; its message is the one line shown to them."""


def user_message(exc: BaseException) -> str:
    """One line for the CLI or UI: the message of an expected error, the type of anything else."""
    text = str(exc) if isinstance(exc, RagError) else f"unexpected {type(exc).__name__}: {exc}"
    return " ".join(text.split())[:500]
