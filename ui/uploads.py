"""Uploaded files: refused by type and count, then copied under safe, readable names into the store's folder."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

from ingest.sources import SUPPORTED_SUFFIXES

MAX_NAME_CHARS = 120
# Path separators, control characters, and characters that shells or Windows treat specially.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|`$;&]')
# Browsers send `"`, CR and LF in a multipart file name as %22, %0D, %0A (WHATWG); all three are dropped anyway.
_FORM_ESCAPES = re.compile(r"%(?:22|0d|0a)", re.I)


def uploads_folder(db_dir: Path) -> Path:
    return db_dir / "uploads"


def safe_filename(name: str) -> str:
    """A name that stays inside a folder: no separators or `..`, no hidden dot-files; Korean and spaces kept."""
    name = unicodedata.normalize("NFC", _FORM_ESCAPES.sub("", name).replace("\\", "/").rsplit("/", 1)[-1])
    name = " ".join(_UNSAFE.sub("", name).split()).lstrip(".- ").rstrip(". ")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = stem.rstrip(". ")[: MAX_NAME_CHARS - len(suffix) - 1] or "upload"
    return f"{stem}.{suffix.lower()}" if suffix else stem


def refusal(name: str, position: int, limit: int) -> str | None:
    """Why an upload (1-based `position` in its batch) is refused, or None to accept it."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return f"unsupported file type {suffix or '(no extension)'}"
    if position > limit:
        return f"more than {limit} files in one upload"
    return None


def save_upload(path: str | Path, folder: Path, name: str | None = None) -> Path:
    """Copy an uploaded temporary file into `folder` under the safe form of `name` (default: its own name)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = (folder / safe_filename(name or Path(path).name)).resolve()
    if target.parent != folder.resolve():  # belt and braces: safe_filename already forbids this
        raise ValueError(f"refusing to write outside {folder}")
    shutil.copyfile(path, target)
    return target
