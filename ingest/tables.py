"""Tables as sentences: each row rendered with its header cells ("수강료: 무료"), so BM25 and the answerer can use a cell."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import zip_longest

Grid = list[list[str]]
Cell = tuple[str, int, int]  # (text, rowspan, colspan) as formats with merged cells store them

_NUMBER = re.compile(r"[-+]?[\d,]*\.?\d+%?")
_HEADER_CELL_MAX = 60  # header cells are labels; a long cell is content
_MAX_SPAN = 1000  # more rows or columns than a merge could cover: hostile input, not a table
CELL_SEPARATOR = "; "  # commas occur inside values ("30만 원, 교재비 별도"); semicolons rarely do


def table_lines(grid: Sequence[Sequence[str]], sheet: bool = False) -> tuple[list[str], bool]:
    """The lines a table becomes, and whether they are rows (True) or the paragraphs of a layout box (False).

    A document table of two columns is read as label | value ("수강료: 무료"); a wider one, or any sheet, takes
    its first row as the header when that row looks like labels. A document table of one row or one column
    is a box drawn around text, not data.
    """
    rows = _tidy(grid)
    if not rows:
        return [], False
    width = max(len(row) for row in rows)
    if not sheet and (width < 2 or len(rows) < 2):
        return [cell for row in rows for cell in row if cell], False
    if not sheet and width == 2:
        return [_render(row[:1], row[1:]) or row[0] for row in rows], True
    if _is_header(rows[0]) and len(rows) > 1:
        return [line for row in rows[1:] if (line := _render(rows[0], row))], True
    return [" | ".join(cell for cell in row if cell) for row in rows], True


def span_grid(rows: Sequence[Sequence[Cell]]) -> Grid:
    """A rectangular grid from rows that omit the cells a merge covers.

    A cell merged down repeats in each row it spans (it applies to each); one merged across keeps its
    text in its first column only, so it sits under one header.
    """
    grid: Grid = []
    below: dict[int, tuple[str, int]] = {}  # column -> (text, rows still covered)
    for cells in rows:
        out: list[str] = []
        queue = list(cells)
        while queue or any(col >= len(out) for col in below):
            col = len(out)
            if col in below:
                text, left = below.pop(col)
                out.append(text)
                if left > 1:
                    below[col] = (text, left - 1)
                continue
            if not queue:
                out.append("")
                continue
            text, rowspan, colspan = queue.pop(0)
            rowspan, colspan = min(max(rowspan, 1), _MAX_SPAN), min(max(colspan, 1), _MAX_SPAN)
            for offset in range(colspan):
                out.append(text if offset == 0 else "")
                if rowspan > 1:
                    below[col + offset] = (text if offset == 0 else "", rowspan - 1)
        grid.append(out)
    return grid


def _tidy(grid: Sequence[Sequence[str]]) -> Grid:
    """Cells on one line each; empty rows and empty trailing cells dropped, empty columns removed."""
    rows = [[" ".join(str(cell or "").split()) for cell in row] for row in grid]
    rows = [row for row in rows if any(row)]
    width = max((len(row) for row in rows), default=0)
    used = [col for col in range(width) if any(col < len(row) and row[col] for row in rows)]
    return [[row[col] if col < len(row) else "" for col in used] for row in rows]


def _is_header(row: list[str]) -> bool:
    """Labels: mostly filled, none a number, none long, no two alike."""
    labels = [cell for cell in row if cell]
    return (
        len(labels) * 2 > len(row)
        and not any(_NUMBER.fullmatch(cell) for cell in labels)
        and all(len(cell) <= _HEADER_CELL_MAX for cell in labels)
        and len(set(labels)) == len(labels)
    )


def _render(header: Sequence[str], row: Sequence[str]) -> str:
    """'기간: 16주; 수강료: 무료': each filled cell under its header cell (alone when the header is empty)."""
    parts = [f"{label}: {value}" if label and label != value else value
             for label, value in zip_longest(header, row, fillvalue="") if value]
    return CELL_SEPARATOR.join(parts)
