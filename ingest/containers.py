"""Checks on a file's container before any parser opens it: zip bombs, and Office files locked or of the old kind."""

from __future__ import annotations

import io
import zipfile

from ingest.document import LoadError, human_size, one_line

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: HWP 5, and Office files that are encrypted
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # the stream an encrypted DOCX/PPTX/XLSX keeps
OFFICE_KINDS = {"DOCX": ".doc", "PPTX": ".ppt", "XLSX": ".xls"}


def check_container(data: bytes, kind: str, max_bytes: int) -> None:
    """Refuse, with a one-line reason, what no parser of `kind` should be handed."""
    if kind in OFFICE_KINDS and data.startswith(OLE_MAGIC):
        if _ENCRYPTED_PACKAGE in data:
            raise LoadError(f"encrypted {kind} (password-protected): save a copy without a password")
        raise LoadError(f"not a {kind}: an old binary Office file ({OFFICE_KINDS[kind]})? save it as {kind.lower()}")
    if data.startswith(ZIP_MAGIC):
        check_zip(data, kind, max_bytes)


def check_zip(data: bytes, kind: str, max_bytes: int) -> None:
    """Refuse a zip whose members would unpack to more than `max_bytes` (RAG_MAX_FILE_MB), before any unpacking.

    The declared sizes can be trusted: zipfile and the Rust readers (calamine, unhwp) stop a member at its
    declared size, so a member that lies only fails to parse.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise LoadError(f"corrupt {kind}: {one_line(exc)}") from exc
    total = sum(member.file_size for member in members)
    if total > max_bytes:
        raise LoadError(f"{kind} unzips to {human_size(total)} (limit {human_size(max_bytes)}, RAG_MAX_FILE_MB): "
                        "possible zip bomb")
