"""Files and URLs to LoadedDocument: one parser per format, chosen from a table by suffix or content type."""

from __future__ import annotations

import stat
import unicodedata
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import NamedTuple
from urllib.parse import urlsplit

from ingest.cleaning import clean_markdown, clean_web_text, first_title
from ingest.containers import check_container
from ingest.document import LoadedDocument, LoadError, human_size, one_line
from ingest.download import download, media_type
from ingest.encoding import decode_bytes
from ingest.formats.hwp import parse_hwp, parse_hwpx
from ingest.formats.pdf import parse_pdf
from ingest.formats.sheets import parse_csv, parse_xlsx
from ingest.formats.slides import parse_pptx
from ingest.formats.webpage import parse_html
from ingest.formats.word import parse_docx
from ingest.url_policy import OPERATOR, UrlPolicy

_GENERIC_TYPES = {"", "text/plain", "application/octet-stream", "binary/octet-stream", "application/zip"}

Parse = Callable[[bytes, str, "str | None"], LoadedDocument]  # (data, source, declared charset)


class Format(NamedTuple):
    kind: str  # names the format in error messages
    parse: Parse


def load_file(path: Path, max_bytes: int) -> LoadedDocument:
    """Read and clean one local file; any failure is a LoadError with a one-line reason."""
    fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise LoadError(f"unsupported file type {path.suffix or '(no extension)'}")
    size = _filehuman_size(path)
    if size > max_bytes:
        raise LoadError(f"file too large: {human_size(size)} > {human_size(max_bytes)} limit")
    if size == 0:
        raise LoadError("empty file")
    try:
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise LoadError(f"file too large: more than {human_size(max_bytes)}")
    return _parse(fmt, data, str(path.resolve()), None, max_bytes)


def load_url(url: str, max_bytes: int, timeout: float, policy: UrlPolicy = OPERATOR) -> LoadedDocument:
    """Download and clean one http(s) URL; any failure is a LoadError with a one-line reason."""
    data, headers, final_url = download(url, max_bytes, timeout, policy)
    if not data:
        raise LoadError("empty response")
    content_type, charset = media_type(headers)
    by_type = FORMATS_BY_CONTENT_TYPE.get(content_type)
    by_suffix = FORMATS_BY_SUFFIX.get(PurePosixPath(urlsplit(final_url).path).suffix.lower())
    fmt = (by_suffix if content_type in _GENERIC_TYPES else None) or by_type or by_suffix
    if fmt is None:
        raise LoadError(f"unsupported content type {content_type}")
    return _parse(fmt, data, url, charset, max_bytes)


def _filehuman_size(path: Path) -> int:
    """Size from stat(), so oversized files are refused without reading them."""
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise LoadError("no such file") from exc
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise LoadError("not a regular file")
    return info.st_size


def _parse(fmt: Format, data: bytes, source: str, charset: str | None, max_bytes: int) -> LoadedDocument:
    """Run a format's parser, turning anything it throws into a one-line LoadError, and finish the document."""
    check_container(data, fmt.kind, max_bytes)  # before any parser unpacks a zip bomb
    try:
        doc = fmt.parse(data, source, charset)
    except LoadError:
        raise
    except Exception as exc:  # parsers of untrusted files fail in countless ways; the user needs one line
        raise LoadError(f"cannot read {fmt.kind}: {one_line(exc)}") from exc
    doc.text = unicodedata.normalize("NFC", doc.text)  # parsers with spans (pages, rows) normalised already
    if not doc.text.strip():
        raise LoadError("no text found")
    title = unicodedata.normalize("NFC", " ".join(doc.title.split()))
    doc.title = title or first_title(doc.text.splitlines())
    doc.tags = [unicodedata.normalize("NFC", tag) for tag in doc.tags]
    return doc


def _parse_text(data: bytes, source: str, charset: str | None) -> LoadedDocument:
    """Plain text, typically copied from a web page: decode, then strip page chrome."""
    title, text, tags = clean_web_text(decode_bytes(data, source, charset))
    return LoadedDocument(source, title, text, tags)


def _parse_markdown(data: bytes, source: str, charset: str | None) -> LoadedDocument:
    """Markdown: decode, then reduce markup to readable text."""
    title, text, tags = clean_markdown(decode_bytes(data, source, charset))
    return LoadedDocument(source, title, text, tags)


TEXT = Format("text", _parse_text)
MARKDOWN = Format("Markdown", _parse_markdown)
HTML = Format("HTML", parse_html)
PDF = Format("PDF", parse_pdf)
DOCX = Format("DOCX", parse_docx)
HWP = Format("HWP", parse_hwp)
HWPX = Format("HWPX", parse_hwpx)
PPTX = Format("PPTX", parse_pptx)
XLSX = Format("XLSX", parse_xlsx)
CSV = Format("CSV", parse_csv)

FORMATS_BY_SUFFIX = {
    ".txt": TEXT,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".html": HTML,
    ".htm": HTML,
    ".pdf": PDF,
    ".docx": DOCX,
    ".hwp": HWP,
    ".hwpx": HWPX,
    ".pptx": PPTX,
    ".xlsx": XLSX,
    ".csv": CSV,
}
FORMATS_BY_CONTENT_TYPE = {
    "text/plain": TEXT,
    "text/markdown": MARKDOWN,
    "text/x-markdown": MARKDOWN,
    "text/html": HTML,
    "application/xhtml+xml": HTML,
    "application/pdf": PDF,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": DOCX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": PPTX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": XLSX,
    "text/csv": CSV,
    "application/x-hwp": HWP,
    "application/haansofthwp": HWP,
    "application/vnd.hancom.hwp": HWP,
    "application/hwp+zip": HWPX,
    "application/vnd.hancom.hwpx": HWPX,
    "application/haansofthwpx": HWPX,
}
