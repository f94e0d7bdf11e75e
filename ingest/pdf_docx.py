"""The binary formats: PDF (text per page, with page spans) and DOCX (refusing zip bombs before unpacking)."""

from __future__ import annotations

import io
import itertools
import logging
import unicodedata
import zipfile
from collections.abc import Iterator

import docx
from docx.table import Table
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, PyPdfError

from ingest.cleaning import tidy_whitespace
from ingest.document import MB, LoadedDocument, LoadError, human_size, one_line

# pypdf logs a warning for every recoverable quirk of real-world PDFs; real failures reach the user as LoadError.
logging.getLogger("pypdf").setLevel(logging.ERROR)

MAX_UNZIPPED_BYTES = 256 * MB  # a DOCX that unzips to more than this is treated as a zip bomb
MAX_COMPRESSION_RATIO = 200  # Word's XML compresses 5-50x; bomb members compress 1000x and more
_RATIO_MIN_SIZE = MB  # small members may compress as well as they like
_PAGE_BREAK = "\n\n"


def parse_pdf(data: bytes, source: str, charset: str | None) -> LoadedDocument:
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
        raise LoadError(f"corrupt PDF: {one_line(exc)}") from exc
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


def parse_docx(data: bytes, source: str, charset: str | None) -> LoadedDocument:
    """Headings, paragraphs and table rows in document order."""
    _check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, BadZipFile, lxml errors, ... for broken parts
        raise LoadError(f"corrupt DOCX: {one_line(exc)}") from exc
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
        raise LoadError(f"corrupt DOCX: {one_line(exc)}") from exc
    # Declared sizes are safe to trust: zipfile stops reading a member at its declared size.
    total = sum(member.file_size for member in members)
    if total > MAX_UNZIPPED_BYTES:
        raise LoadError(f"DOCX unzips to {human_size(total)} (limit {human_size(MAX_UNZIPPED_BYTES)}): possible zip bomb")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_MIN_SIZE and ratio > MAX_COMPRESSION_RATIO:
            raise LoadError(f"DOCX part {member.filename} is compressed {ratio:.0f}:1: possible zip bomb")
