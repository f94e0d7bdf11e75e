"""HWP 5 and HWPX (Hancom Office) through unhwp's document model: paragraphs, headings, notes and tables."""

from __future__ import annotations

import json

from ingest.blocks import TextBuilder
from ingest.cleaning import metadata_title
from ingest.document import LoadedDocument, LoadError
from ingest.tables import span_grid

_HWP3_SIGNATURE = b"HWP Document File V3"
_ENCRYPTED, _UNKNOWN_FORMAT, _DISTRIBUTION = 12, 3, 403  # unhwp.ErrorKind values


def parse_hwp(data: bytes, source: str, charset: str | None) -> LoadedDocument:
    return _parse(data, source, "HWP")


def parse_hwpx(data: bytes, source: str, charset: str | None) -> LoadedDocument:
    return _parse(data, source, "HWPX")


def _parse(data: bytes, source: str, kind: str) -> LoadedDocument:
    if data.startswith(_HWP3_SIGNATURE):
        raise LoadError("HWP 3 file: only HWP 5 (한글 2002 and later) is read; save it in 한글 as .hwp or .hwpx")
    model = _model(data, kind)
    builder = TextBuilder()
    for section in model.get("sections") or []:
        for block in section.get("content") or []:
            _add(builder, block)
    metadata = model.get("metadata") or {}
    title = metadata_title(metadata.get("title")) or next(iter(builder.headings), "")
    return builder.document(source, title)


def _model(data: bytes, kind: str) -> dict:
    """unhwp's JSON document model of the file."""
    try:
        import unhwp
    except (ImportError, OSError) as exc:  # OSError: the package ships no native build for this platform
        raise LoadError(f"reading {kind} needs the 'unhwp' package: pip install unhwp") from exc
    try:
        with unhwp.parse_bytes(data) as result:
            return json.loads(result.json)
    except unhwp.UnhwpError as exc:
        raise LoadError(_reason(exc, kind)) from exc


def _reason(exc: Exception, kind: str) -> str:
    code = getattr(exc, "kind", None)
    if code == _ENCRYPTED:
        return f"encrypted {kind} (password-protected): save a copy without a password"
    if code == _DISTRIBUTION:
        return f"{kind} distribution document (배포용 문서): its text is locked against copying"
    if code == _UNKNOWN_FORMAT:
        return f"not an {kind} file"
    message = " ".join(str(exc).removeprefix("Failed to parse bytes:").split())[:200]
    return f"corrupt {kind}: {message}"


def _add(builder: TextBuilder, block: dict) -> None:
    if "Table" in block:
        rows = block["Table"].get("rows") or []
        builder.table(span_grid([[_cell(cell) for cell in row.get("cells") or []] for row in rows]))
    elif "Paragraph" in block:
        paragraph = block["Paragraph"]
        level = (paragraph.get("style") or {}).get("heading_level") or 0
        builder.paragraph(_text(paragraph.get("content")), heading=level > 0)
    else:  # a block kind this version does not know: keep whatever text it holds
        builder.paragraph(_text(block))


def _cell(cell: dict) -> tuple[str, int, int]:
    text = "\n".join(_text(paragraph.get("content")) for paragraph in cell.get("content") or [])
    return text, int(cell.get("rowspan") or 1), int(cell.get("colspan") or 1)


def _text(node: object) -> str:
    """The text of an inline node tree: every "text" field in order ("style" and resource ids skipped)."""
    if isinstance(node, list):
        return "".join(_text(item) for item in node)
    if isinstance(node, dict):
        if isinstance(node.get("text"), str):
            return node["text"]
        if "LineBreak" in node:
            return "\n"
        return "".join(_text(value) for key, value in node.items() if key != "style")
    return ""
