"""Spreadsheets: XLSX sheets (read by calamine) and CSV files, one line per row with its header cells."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from ingest.blocks import TextBuilder
from ingest.document import LoadedDocument, LoadError, one_line
from ingest.encoding import decode_bytes

_SNIFF_CHARS = 16 * 1024
_DELIMITERS = ",;\t|"


def parse_xlsx(data: bytes, source: str, charset: str | None) -> LoadedDocument:
    """Every sheet's rows; the sheet's name heads its rows when the workbook has several."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    builder = TextBuilder()
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [(name, [[_cell(value) for value in row] for row in book.get_sheet_by_name(name).iter_rows()])
                  for name in book.sheet_names]
    except PasswordError as exc:
        raise LoadError("encrypted XLSX (password-protected): save a copy without a password") from exc
    except (CalamineError, ValueError, OSError) as exc:
        raise LoadError(f"corrupt XLSX: {one_line(exc)}") from exc
    sheets = [(name, rows) for name, rows in sheets if any(any(row) for row in rows)]
    for name, rows in sheets:
        if len(sheets) > 1:
            builder.paragraph(name, heading=True)
        builder.table(rows, sheet=True)
    return builder.document(source, _file_title(source))


def parse_csv(data: bytes, source: str, charset: str | None) -> LoadedDocument:
    """Rows of a CSV file, its encoding detected like a .txt file's and its delimiter sniffed."""
    text = decode_bytes(data, source, charset)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:_SNIFF_CHARS], delimiters=_DELIMITERS)
    except csv.Error:  # one column, or too little to tell: plain commas
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise LoadError(f"corrupt CSV: {one_line(exc)}") from exc
    builder = TextBuilder()
    builder.table(rows, sheet=True)
    return builder.document(source, _file_title(source))


def _cell(value: object) -> str:
    """A cell as people write it: 16 not 16.0, dates without a midnight time."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.10g}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _file_title(source: str) -> str:
    """A spreadsheet names its subject in its file name more often than in its cells."""
    path = unquote(urlsplit(source).path) if "://" in source else source.replace("\\", "/")
    return PurePosixPath(path).stem.replace("_", " ").strip()
