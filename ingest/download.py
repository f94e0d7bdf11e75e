"""Fetching a URL for ingest: redirects followed, the body streamed and cut off at a size and a deadline."""

from __future__ import annotations

import time
from email.message import Message

import httpx

from ingest.document import LoadError, human_size, one_line

_USER_AGENT = "Mozilla/5.0 (compatible; rag-ingest/1.0)"


def download(url: str, max_bytes: int, timeout: float) -> tuple[bytes, httpx.Headers, str]:
    """GET url following redirects; the body is streamed and cut off at max_bytes."""
    try:
        headers = {"User-Agent": _USER_AGENT}
        with (
            httpx.Client(follow_redirects=True, timeout=timeout, headers=headers) as client,
            client.stream("GET", url) as response,
        ):
            if not response.is_success:
                raise LoadError(f"HTTP {response.status_code}")
            return _read_body(response, max_bytes, time.monotonic() + timeout), response.headers, str(response.url)
    except httpx.TimeoutException as exc:
        raise LoadError(f"timed out after {timeout:g}s") from exc
    except httpx.TooManyRedirects as exc:
        raise LoadError("too many redirects") from exc
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise LoadError(f"invalid URL: {one_line(exc)}") from exc
    except httpx.ConnectError as exc:
        raise LoadError(f"cannot connect: {one_line(exc)}") from exc
    except httpx.HTTPError as exc:
        raise LoadError(f"download failed: {one_line(exc)}") from exc


def _read_body(response: httpx.Response, max_bytes: int, deadline: float) -> bytes:
    """The (decompressed) body, refusing it once it passes max_bytes or the overall deadline."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise LoadError(f"download too large: {human_size(int(declared))} > {human_size(max_bytes)} limit")
    chunks: list[bytes] = []
    received = 0
    for chunk in response.iter_bytes():
        received += len(chunk)
        if received > max_bytes:
            raise LoadError(f"download too large: more than {human_size(max_bytes)}")
        if time.monotonic() > deadline:  # httpx times each read; a trickling server must not run forever
            raise httpx.ReadTimeout("overall deadline passed")
        chunks.append(chunk)
    return b"".join(chunks)


def media_type(headers: httpx.Headers) -> tuple[str, str | None]:
    """Media type (lower case, '' if absent) and charset of a Content-Type header."""
    if "content-type" not in headers:
        return "", None
    message = Message()
    message["content-type"] = headers["content-type"]
    return message.get_content_type(), message.get_content_charset()
