"""PDF: text per page, lines the layout wrapped joined back into sentences, page spans kept."""

from __future__ import annotations

import io
import logging
import unicodedata

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, PyPdfError

from ingest.blocks import TextBuilder
from ingest.cleaning import metadata_title
from ingest.document import LoadedDocument, LoadError, one_line
from ingest.linewrap import join_wrapped_lines

# pypdf logs a warning for every recoverable quirk of real-world PDFs; real failures reach the user as LoadError.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def parse_pdf(data: bytes, source: str, charset: str | None) -> LoadedDocument:
    """Text of each page, joined with page spans; refuses encrypted, corrupt and image-only PDFs."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise LoadError("encrypted PDF")
        texts = [page.extract_text() or "" for page in reader.pages]
        title = _pdf_title(reader)
    except DependencyError as exc:
        raise LoadError("encrypted PDF (AES): install the 'cryptography' package to open it") from exc
    except PyPdfError as exc:
        raise LoadError(f"corrupt PDF: {one_line(exc)}") from exc
    builder = TextBuilder()
    for number, text in enumerate(texts, 1):
        builder.start_page(number)
        # NUL never belongs in text; some CID fonts (fpdf2's subsets of .ttc collections) put one before each character
        builder.paragraph(join_wrapped_lines(unicodedata.normalize("NFC", text.replace("\x00", ""))))
    doc = builder.document(source, title)
    if not doc.text:
        raise LoadError("no extractable text (scanned/image-only PDF?)")
    return doc


def _pdf_title(reader: PdfReader) -> str:
    """The document-info title unless it is junk ("Untitled", a file name), else ''."""
    try:
        return metadata_title(str(reader.metadata.title or "")) if reader.metadata else ""
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError):  # a broken info dict must not cost the text
        return ""
