"""HTML: the article of a page via trafilatura, its data tables first turned into rows with their header cells."""

from __future__ import annotations

import unicodedata
from email.message import Message

import lxml.etree
import lxml.html
import trafilatura

from ingest.cleaning import tidy_whitespace
from ingest.document import LoadedDocument, LoadError
from ingest.encoding import decode_bytes
from ingest.tables import span_grid, table_lines

_META_SCAN = 16 * 1024  # pages declare their charset near the top


def parse_html(data: bytes, source: str, charset: str | None) -> LoadedDocument:
    """The article of an HTML page via trafilatura: no scripts, styles, navigation, footers or comments."""
    html = decode_bytes(data, source, charset or _meta_charset(data))
    if not html.strip():
        raise LoadError("no text found")
    # Re-encoded with an explicit parser encoding, so a stale <meta charset> cannot re-decode it.
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=True)  # huge_tree: depth > 256
    tree = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    metadata = trafilatura.extract_metadata(tree)  # before extract(), which prunes the tree
    title = (metadata.title if metadata else None) or tree.findtext(".//title") or ""
    row_lines = _flatten_tables(tree)
    text = trafilatura.extract(tree, include_comments=False, include_tables=True, favor_precision=True)
    text = unicodedata.normalize("NFC", tidy_whitespace(text or ""))
    return LoadedDocument(source, title, text, rows=_find_lines(text, row_lines))


def _flatten_tables(tree: lxml.html.HtmlElement) -> list[str]:
    """Replace each innermost table by one paragraph per row ("기간: 16주; 수강료: 무료"); returns the row lines."""
    found: list[str] = []
    for table in list(tree.iter("table")):
        if table.find(".//table") is not None:  # a layout table around others: its inner tables are the data
            continue
        grid = span_grid([[(cell.text_content(), _span(cell, "rowspan"), _span(cell, "colspan"))
                           for cell in row if cell.tag in ("td", "th")] for row in table.iter("tr")])
        lines, are_rows = table_lines(grid)
        box = lxml.html.Element("div")
        for line in lines:
            lxml.etree.SubElement(box, "p").text = line
        box.tail = table.tail
        table.getparent().replace(table, box)
        found += [unicodedata.normalize("NFC", line) for line in lines] if are_rows else []
    return found


def _span(cell: lxml.html.HtmlElement, name: str) -> int:
    value = (cell.get(name) or "1").strip()
    return int(value) if value.isdigit() else 1  # span_grid caps it


def _find_lines(text: str, lines: list[str]) -> list[tuple[int, int]]:
    """Spans of `lines` where each stands whole on a line of `text`, in order (the extractor may drop some)."""
    spans, at = [], 0
    for line in lines:
        start = text.find(line, at)
        while start >= 0 and not (text[start - 1 : start] in ("", "\n") and text[start + len(line) :][:1] in ("", "\n")):
            start = text.find(line, start + 1)
        if start >= 0:
            spans.append((start, start + len(line)))
            at = start + len(line)
    return spans


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
