"""Files and URLs to LoadedDocument: one parser per format, chosen from a table by suffix or content type."""

from __future__ import annotations

import io
import itertools
import logging
import stat
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from email.message import Message
from pathlib import Path, PurePosixPath
from typing import NamedTuple
from urllib.parse import urlsplit

import docx
import httpx
import lxml.etree
import lxml.html
import trafilatura
from docx.table import Table
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, PyPdfError

from ingest.cleaning import clean_markdown, clean_web_text, first_title, tidy_whitespace
from ingest.document import LoadedDocument, LoadError
from ingest.encoding import decode_bytes

# pypdf logs a warning for every recoverable quirk of real-world PDFs; real failures reach the user as LoadError.
logging.getLogger("pypdf").setLevel(logging.ERROR)

MB = 1024 * 1024
MAX_UNZIPPED_BYTES = 256 * MB  # a DOCX that unzips to more than this is treated as a zip bomb
MAX_COMPRESSION_RATIO = 200  # Word's XML compresses 5-50x; bomb members compress 1000x and more
_RATIO_MIN_SIZE = MB  # small members may compress as well as they like
_PAGE_BREAK = "\n\n"
_META_SCAN = 16 * 1024  # pages declare their charset near the top
_GENERIC_TYPES = {"", "text/plain", "application/octet-stream", "binary/octet-stream"}
_USER_AGENT = "Mozilla/5.0 (compatible; rag-ingest/1.0)"

Parse = Callable[[bytes, str, "str | None"], LoadedDocument]  # (data, source, declared charset)


class Format(NamedTuple):
    kind: str  # names the format in error messages
    parse: Parse


def load_file(path: Path, max_bytes: int) -> LoadedDocument:
    """Read and clean one local file; any failure is a LoadError with a one-line reason."""
    fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise LoadError(f"unsupported file type {path.suffix or '(no extension)'}")
    size = _file_size(path)
    if size > max_bytes:
        raise LoadError(f"file too large: {_size(size)} > {_size(max_bytes)} limit")
    if size == 0:
        raise LoadError("empty file")
    try:
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise LoadError(f"file too large: more than {_size(max_bytes)}")
    return _parse(fmt, data, str(path.resolve()), None)


def load_url(url: str, max_bytes: int, timeout: float) -> LoadedDocument:
    """Download and clean one http(s) URL; any failure is a LoadError with a one-line reason."""
    data, headers, final_url = _download(url, max_bytes, timeout)
    if not data:
        raise LoadError("empty response")
    content_type, charset = _content_type(headers)
    by_type = FORMATS_BY_CONTENT_TYPE.get(content_type)
    by_suffix = FORMATS_BY_SUFFIX.get(PurePosixPath(urlsplit(final_url).path).suffix.lower())
    fmt = (by_suffix if content_type in _GENERIC_TYPES else None) or by_type or by_suffix
    if fmt is None:
        raise LoadError(f"unsupported content type {content_type}")
    return _parse(fmt, data, url, charset)


def _file_size(path: Path) -> int:
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


def _download(url: str, max_bytes: int, timeout: float) -> tuple[bytes, httpx.Headers, str]:
    """GET url following redirects; the body is streamed and cut off at max_bytes."""
    try:
        headers = {"User-Agent": _USER_AGENT}
        with (
            httpx.Client(follow_redirects=True, timeout=timeout, headers=headers) as client,
            client.stream("GET", url) as response,
        ):
            if not response.is_success:
                raise LoadError(f"HTTP {response.status_code}")
            return _read_body(response, max_bytes, time.monotonic() + timeout), response.headers, str(response.url)
    except httpx.TimeoutException as exc:
        raise LoadError(f"timed out after {timeout:g}s") from exc
    except httpx.TooManyRedirects as exc:
        raise LoadError("too many redirects") from exc
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise LoadError(f"invalid URL: {_one_line(exc)}") from exc
    except httpx.ConnectError as exc:
        raise LoadError(f"cannot connect: {_one_line(exc)}") from exc
    except httpx.HTTPError as exc:
        raise LoadError(f"download failed: {_one_line(exc)}") from exc


def _read_body(response: httpx.Response, max_bytes: int, deadline: float) -> bytes:
    """The (decompressed) body, refusing it once it passes max_bytes or the overall deadline."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise LoadError(f"download too large: {_size(int(declared))} > {_size(max_bytes)} limit")
    chunks: list[bytes] = []
    received = 0
    for chunk in response.iter_bytes():
        received += len(chunk)
        if received > max_bytes:
            raise LoadError(f"download too large: more than {_size(max_bytes)}")
        if time.monotonic() > deadline:  # httpx times each read; a trickling server must not run forever
            raise httpx.ReadTimeout("overall deadline passed")
        chunks.append(chunk)
    return b"".join(chunks)


def _content_type(headers: httpx.Headers) -> tuple[str, str | None]:
    """Media type (lower case, '' if absent) and charset of a Content-Type header."""
    if "content-type" not in headers:
        return "", None
    message = Message()
    message["content-type"] = headers["content-type"]
    return message.get_content_type(), message.get_content_charset()


def _parse(fmt: Format, data: bytes, source: str, charset: str | None) -> LoadedDocument:
    """Run a format's parser, turning anything it throws into a one-line LoadError, and finish the document."""
    try:
        doc = fmt.parse(data, source, charset)
    except LoadError:
        raise
    except Exception as exc:  # parsers of untrusted files fail in countless ways; the user needs one line
        raise LoadError(f"cannot read {fmt.kind}: {_one_line(exc)}") from exc
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


def _parse_pdf(data: bytes, source: str, charset: str | None) -> LoadedDocument:
    """Text of each page, joined with page spans; refuses encrypted, corrupt and image-only PDFs."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise LoadError("encrypted PDF")
        texts = [tidy_whitespace(unicodedata.normalize("NFC", page.extract_text() or "")) for page in reader.pages]
        title = _pdf_title(reader)
    except DependencyError as exc:
        raise LoadError("encrypted PDF (AES): install the 'cryptography' package to open it") from exc
    except PyPdfError as exc:
        raise LoadError(f"corrupt PDF: {_one_line(exc)}") from exc
    text, pages = _join_pages(texts)
    if not text:
        raise LoadError("no extractable text (scanned/image-only PDF?)")
    return LoadedDocument(source, title, text, pages=pages)


def _pdf_title(reader: PdfReader) -> str:
    """The document-info title, or '' when missing or unreadable."""
    try:
        return str(reader.metadata.title or "") if reader.metadata else ""
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError):  # a broken info dict must not cost the text
        return ""


def _join_pages(texts: list[str]) -> tuple[str, list[tuple[int, int, int]]]:
    """Join non-empty page texts, recording each page's (number, start, end) span in the result."""
    pages: list[tuple[int, int, int]] = []
    start = 0
    for number, text in enumerate(texts, 1):
        if text:
            pages.append((number, start, start + len(text)))
            start += len(text) + len(_PAGE_BREAK)
    return _PAGE_BREAK.join(text for text in texts if text), pages


def _parse_docx(data: bytes, source: str, charset: str | None) -> LoadedDocument:
    """Headings, paragraphs and table rows in document order."""
    _check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, BadZipFile, lxml errors, ... for broken parts
        raise LoadError(f"corrupt DOCX: {_one_line(exc)}") from exc
    blocks = list(_docx_blocks(document))
    headings = (text for style, text in blocks if style.startswith(("Title", "Heading")))
    title = (document.core_properties.title or "").strip() or next(headings, "")
    return LoadedDocument(source, title, tidy_whitespace("\n\n".join(text for _, text in blocks)))


def _docx_blocks(document: docx.document.Document) -> Iterator[tuple[str, str]]:
    """(style name, text) of each body paragraph and table; a table is one block, a row per line."""
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            rows = (_row_text([cell.text.strip() for cell in row.cells]) for row in block.rows)
            yield "", "\n".join(row for row in rows if row)
        else:
            yield (block.style.name if block.style is not None else ""), block.text.strip()


def _row_text(cells: list[str]) -> str:
    """Cells joined with ' | '; a merged cell repeats in python-docx, so adjacent repeats collapse."""
    return " | ".join(text for text, _ in itertools.groupby(cells) if text)


def _check_zip(data: bytes) -> None:
    """Refuse a DOCX whose zip would unpack to something huge, before any parser unpacks it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise LoadError(f"corrupt DOCX: {_one_line(exc)}") from exc
    # Declared sizes are safe to trust: zipfile stops reading a member at its declared size.
    total = sum(member.file_size for member in members)
    if total > MAX_UNZIPPED_BYTES:
        raise LoadError(f"DOCX unzips to {_size(total)} (limit {_size(MAX_UNZIPPED_BYTES)}): possible zip bomb")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_MIN_SIZE and ratio > MAX_COMPRESSION_RATIO:
            raise LoadError(f"DOCX part {member.filename} is compressed {ratio:.0f}:1: possible zip bomb")


def _size(n: int) -> str:
    """A byte count for people: '73.2 MB', '50 MB', '12 B'."""
    for unit, scale in (("GB", 1024**3), ("MB", MB), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} B"


def _one_line(exc: BaseException) -> str:
    """An exception's message on one short line (KeyError's repr quotes dropped)."""
    message = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    return " ".join(message.split())[:200] or type(exc).__name__


TEXT = Format("text", _parse_text)
MARKDOWN = Format("Markdown", _parse_markdown)
HTML = Format("HTML", _parse_html)
PDF = Format("PDF", _parse_pdf)
DOCX = Format("DOCX", _parse_docx)

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
