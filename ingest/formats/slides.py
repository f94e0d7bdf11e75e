"""PPTX: each slide's title, text boxes, tables and speaker notes; slides are counted like a PDF's pages."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

import pptx
from pptx.enum.shapes import MSO_SHAPE_TYPE

from ingest.blocks import TextBuilder
from ingest.cleaning import metadata_title
from ingest.document import LoadedDocument, LoadError, one_line
from ingest.tables import span_grid


def parse_pptx(data: bytes, source: str, charset: str | None) -> LoadedDocument:
    try:
        deck = pptx.Presentation(io.BytesIO(data))
    except Exception as exc:  # python-pptx raises KeyError, BadZipFile, lxml errors, ... for broken parts
        raise LoadError(f"corrupt PPTX: {one_line(exc)}") from exc
    builder = TextBuilder()
    for number, slide in enumerate(deck.slides, 1):
        builder.start_page(number)
        title = slide.shapes.title
        if title is not None:
            builder.paragraph(title.text_frame.text, heading=True)
        for shape in _reading_order(slide.shapes):
            if title is None or shape.shape_id != title.shape_id:
                _add(builder, shape)
        notes = slide.notes_slide.notes_text_frame if slide.has_notes_slide else None
        if notes is not None:
            builder.paragraph(notes.text)
    title = metadata_title(deck.core_properties.title) or next(iter(builder.headings), "")
    return builder.document(source, title, page_unit="slide")


def _reading_order(shapes: Iterable) -> Iterator:
    """Shapes top to bottom, then left to right; groups opened."""
    for shape in sorted(shapes, key=lambda s: (s.top or 0, s.left or 0)):
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _reading_order(shape.shapes)
        else:
            yield shape


def _add(builder: TextBuilder, shape) -> None:
    if getattr(shape, "has_table", False):
        rows = [[(cell.text, cell.span_height, cell.span_width) for cell in row.cells if not cell.is_spanned]
                for row in shape.table.rows]
        builder.table(span_grid(rows))
    elif shape.has_text_frame:
        builder.paragraph(shape.text_frame.text)
