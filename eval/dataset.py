"""Question files: one JSON object a line with id, q, gold (strings) and answerable."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rag.settings import PROJECT_ROOT

DEFAULT_QA = PROJECT_ROOT.parent / "shared" / "eval" / "dev_qa.jsonl"


class DatasetError(Exception):
    """The question file is missing or malformed; the message says where."""


@dataclass(frozen=True)
class QA:
    id: str
    q: str
    gold: tuple[str, ...]
    answerable: bool


def default_qa_path() -> Path:
    if not DEFAULT_QA.is_file():
        raise DatasetError(f"no question file at {DEFAULT_QA}; pass one with --qa FILE")
    return DEFAULT_QA


def load_questions(path: Path) -> list[QA]:
    """The questions of a .jsonl file, in order."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DatasetError(f"cannot read {path}: {exc.strerror or exc}") from None
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            gold = tuple(str(g) for g in row.get("gold", []))
            items.append(QA(str(row.get("id", number)), row["q"], gold, bool(row.get("answerable", bool(gold)))))
        except (ValueError, KeyError, TypeError) as exc:
            raise DatasetError(f"{path}:{number}: not a question line ({type(exc).__name__}: {exc})") from None
    return items
