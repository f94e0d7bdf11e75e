"""CLI arguments to ingestable sources: files, folders walked recursively, and URLs."""

from __future__ import annotations

import os
from pathlib import Path

SUPPORTED_SUFFIXES = frozenset(
    {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".hwp", ".hwpx", ".pptx", ".xlsx", ".csv"}
)
_URL_PREFIXES = ("http://", "https://")

Rejected = tuple[str, str]  # (argument, one-line reason)


def expand_sources(args: list[str]) -> tuple[list[str], list[Rejected]]:
    """Turn arguments into absolute file paths and URLs, plus (argument, reason) for the unusable ones."""
    sources: dict[str, None] = {}  # ordered set: a file named twice is ingested once
    rejected: list[Rejected] = []
    for arg in args:
        found, reason = _expand_one(arg)
        if reason:
            rejected.append((arg, reason))
        sources.update(dict.fromkeys(found))
    return list(sources), rejected


def _expand_one(arg: str) -> tuple[list[str], str | None]:
    """Sources named by one argument, or a reason why there are none."""
    if arg.lower().startswith(_URL_PREFIXES):
        return [arg], None
    if "://" in arg:
        return [], f"unsupported URL scheme {arg.split('://', 1)[0]}://"
    path = Path(arg).expanduser()
    if path.is_dir():
        files = [str(file) for file in _walk(path.resolve())]
        return files, None if files else "no supported files in folder"
    if not path.exists():
        return [], "no such file or directory"
    if not path.is_file():
        return [], "not a regular file"
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return [], f"unsupported file type {suffix}" if suffix else "unsupported file type (no extension)"
    return [str(path.resolve())], None


def _walk(folder: Path) -> list[Path]:
    """Supported, non-hidden files under folder, in a stable sorted order."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):  # followlinks=False: a symlink loop cannot trap us
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            if not name.startswith(".") and path.suffix.lower() in SUPPORTED_SUFFIXES and path.is_file():
                found.append(path)
    return found
