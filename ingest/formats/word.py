"""DOCX: headings, paragraphs and tables in document order, each table row with its header cells."""

from __future__ import annotations

import io
from collections.abc import Iterator

import docx
from docx.table import Table

from ingest.blocks import TextBuilder
from ingest.cleaning import metadata_title
from ingest.document import LoadedDocument, LoadError, one_line


def parse_docx(data: bytes, source: str, charset: str | None) -> LoadedDocument:
    """Headings, paragraphs and table rows in document order."""
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, BadZipFile, lxml errors, ... for broken parts
        raise LoadError(f"corrupt DOCX: {one_line(exc)}") from exc
    builder = TextBuilder()
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            builder.table(_grid(block))
        else:
            style = block.style.name if block.style is not None else ""
            builder.paragraph(block.text, heading=style.startswith(("Title", "Heading")))
    title = metadata_title(document.core_properties.title) or next(iter(builder.headings), "")
    return builder.document(source, title)


def _grid(table: Table) -> list[list[str]]:
    """Cell texts by row; python-docx repeats a merged cell in every column it spans, so repeats across go blank."""
    return [list(_row(row.cells)) for row in table.rows]


def _row(cells) -> Iterator[str]:
    previous = None
    for cell in cells:
        yield "" if cell._tc is previous else cell.text  # noqa: SLF001 - the cell's XML element is its identity
        previous = cell._tc  # noqa: SLF001
