"""Bytes to text: BOMs, UTF-8, Korean legacy encodings, and refusing binary files."""

from __future__ import annotations

import codecs
import logging
import unicodedata

import charset_normalizer

from ingest.document import LoadError

logger = logging.getLogger(__name__)

# Longest BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# CP949 is a superset of EUC-KR: pages labelled EUC-KR routinely use CP949-only syllables (e.g. 똠).
_SUPERSETS = {"euc_kr": "cp949", "ks_c_5601_1987": "cp949", "uhc": "cp949", "ascii": "utf-8", "iso8859_1": "cp1252"}
# Without a BOM a UTF-16/32 guess is almost always a misreading of short legacy text.
_NO_BOM_UNLIKELY = ("utf_16", "utf_32")
_SAMPLE = 8192
_ALLOWED_CONTROLS = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}
_CONTROLS = bytes(b for b in range(0x20) if b not in _ALLOWED_CONTROLS)
_MAX_CONTROL_RATIO = 0.05
_MIN_HANGUL_SHARE = 0.7  # Korean prose is ~95% syllables; Japanese misread as CP949 is ~40-60%


def decode_bytes(data: bytes, name: str, declared: str | None = None) -> str:
    """Decode file or download bytes to NFC text with \\n newlines; `declared` is a charset from headers/meta."""
    text = _decode(data, name, declared)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _decode(data: bytes, name: str, declared: str | None) -> str:
    """Pick an encoding: BOM, then the declared charset, then UTF-8, then Korean, then a guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data, encoding)
            return text if text is not None else _fail(name)
    if _looks_binary(data):
        raise LoadError("binary content, not text")
    for encoding in (_canonical(declared), "utf-8"):
        if encoding and (text := _strict(data, encoding)) is not None:
            return text
    korean = _strict(data, "cp949")
    if korean is not None and _plausible_korean(korean):
        return korean
    guessed = _guess(data)
    logger.debug("guessed encoding %s for %s", guessed, name)
    return (guessed and _strict(data, guessed)) or _fail(name)


def _strict(data: bytes, encoding: str) -> str | None:
    """Decode without replacement characters, or None if the bytes don't fit the encoding."""
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _canonical(encoding: str | None) -> str | None:
    """Python's codec name for a charset label, widened to its superset where one exists."""
    if not encoding:
        return None
    try:
        name = codecs.lookup(encoding.strip()).name.replace("-", "_")
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters mean an image, archive or executable, not text."""
    sample = data[:_SAMPLE]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROLS))  # counted in C, not byte by byte
    return controls > _MAX_CONTROL_RATIO * max(len(sample), 1)


def _plausible_korean(text: str) -> bool:
    """Mostly Hangul syllables: EUC-JP also decodes as CP949, but kana become lone jamo and symbols."""
    non_ascii = [ch for ch in text if ord(ch) > 0x7F and not ch.isspace()]
    syllables = sum(1 for ch in non_ascii if "\uac00" <= ch <= "\ud7a3")
    return bool(non_ascii) and syllables >= _MIN_HANGUL_SHARE * len(non_ascii)


def _guess(data: bytes) -> str | None:
    """charset-normalizer's best guess among plausible encodings."""
    candidates = [_canonical(match.encoding) for match in charset_normalizer.from_bytes(data)]
    plausible = [enc for enc in candidates if enc and not enc.startswith(_NO_BOM_UNLIKELY)]
    # CP949 decodes most double-byte text, so once the Korean check has failed it is the last resort.
    plausible.sort(key=lambda encoding: encoding == "cp949")
    return plausible[0] if plausible else None


def _fail(name: str) -> str:
    """Raise the user-facing error for bytes that fit no known text encoding."""
    logger.debug("no text encoding fits %s", name)
    raise LoadError("cannot decode text: unknown or mixed encoding")
