"""Files and URLs to LoadedDocument: one parser per format, chosen from a table by suffix or content type."""

from __future__ import annotations

import stat
import unicodedata
from collections.abc import Callable
from email.message import Message
from pathlib import Path, PurePosixPath
from typing import NamedTuple
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import trafilatura

from ingest.cleaning import clean_markdown, clean_web_text, first_title, tidy_whitespace
from ingest.document import LoadedDocument, LoadError, human_size, one_line
from ingest.download import download, media_type
from ingest.encoding import decode_bytes
from ingest.pdf_docx import parse_docx, parse_pdf
from ingest.url_policy import OPERATOR, UrlPolicy

_META_SCAN = 16 * 1024  # pages declare their charset near the top
_GENERIC_TYPES = {"", "text/plain", "application/octet-stream", "binary/octet-stream"}

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
    return _parse(fmt, data, str(path.resolve()), None)


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
    return _parse(fmt, data, url, charset)


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


def _parse(fmt: Format, data: bytes, source: str, charset: str | None) -> LoadedDocument:
    """Run a format's parser, turning anything it throws into a one-line LoadError, and finish the document."""
    try:
        doc = fmt.parse(data, source, charset)
    except LoadError:
        raise
    except Exception as exc:  # parsers of untrusted files fail in countless ways; the user needs one line
        raise LoadError(f"cannot read {fmt.kind}: {one_line(exc)}") from exc
    doc.text = unicodedata.normalize("NFC", doc.text)
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


def _parse_html(data: bytes, source: str, charset: str | None) -> LoadedDocument:
    """The article of an HTML page via trafilatura: no scripts, styles, navigation, footers or comments."""
    html = decode_bytes(data, source, charset or _meta_charset(data))
    if not html.strip():
        raise LoadError("no text found")
    # Re-encoded with an explicit parser encoding, so a stale <meta charset> cannot re-decode it.
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=True)  # huge_tree: depth > 256
    tree = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    metadata = trafilatura.extract_metadata(tree)  # before extract(), which prunes the tree
    title = (metadata.title if metadata else None) or tree.findtext(".//title") or ""
    text = trafilatura.extract(tree, include_comments=False, include_tables=True, favor_precision=True)
    return LoadedDocument(source, title, tidy_whitespace(text or ""))


def _meta_charset(data: bytes) -> str | None:
    """The charset a page declares in <meta charset> or <meta http-equiv="Content-Type">."""
    parser = lxml.html.HTMLParser(encoding="iso-8859-1")  # any bytes parse, and ASCII attributes stay readable
    try:
        head = lxml.html.document_fromstring(data[:_META_SCAN], parser=parser)
    except (ValueError, lxml.etree.ParserError):
        return None
    for meta in head.iter("meta"):
        if meta.get("charset"):
            return meta.get("charset")
        if (meta.get("http-equiv") or "").lower() == "content-type":
            message = Message()
            message["content-type"] = meta.get("content") or ""
            return message.get_content_charset()
    return None


TEXT = Format("text", _parse_text)
MARKDOWN = Format("Markdown", _parse_markdown)
HTML = Format("HTML", _parse_html)
PDF = Format("PDF", parse_pdf)
DOCX = Format("DOCX", parse_docx)

FORMATS_BY_SUFFIX = {
    ".txt": TEXT,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".html": HTML,
    ".htm": HTML,
    ".pdf": PDF,
    ".docx": DOCX,
}
FORMATS_BY_CONTENT_TYPE = {
    "text/plain": TEXT,
    "text/markdown": MARKDOWN,
    "text/x-markdown": MARKDOWN,
    "text/html": HTML,
    "application/xhtml+xml": HTML,
    "application/pdf": PDF,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": DOCX,
}
