"""Fetching a URL for ingest: redirects followed, the body streamed and cut off at a size and a deadline.

Under a UrlPolicy that refuses private addresses, every hop's scheme is checked and every connection
is made by GuardedBackend, which resolves the name once, checks each address and connects only to one
that passed, so neither a redirect nor a name that re-resolves elsewhere (DNS rebinding) gets past it.
"""

from __future__ import annotations

import time
from email.message import Message

import httpcore
import httpx

from ingest.document import LoadError, human_size, one_line
from ingest.url_policy import OPERATOR, UrlPolicy

_USER_AGENT = "Mozilla/5.0 (compatible; rag-ingest/1.0)"


class UrlRefused(LoadError):
    """The policy does not allow this URL or the address it leads to."""


def download(url: str, max_bytes: int, timeout: float,
             policy: UrlPolicy = OPERATOR) -> tuple[bytes, httpx.Headers, str]:
    """GET url following redirects; the body is streamed and cut off at max_bytes."""
    try:
        with (
            _client(policy, timeout) as client,
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


def _client(policy: UrlPolicy, timeout: float) -> httpx.Client:
    options = dict(follow_redirects=True, timeout=timeout, headers={"User-Agent": _USER_AGENT})
    if policy.allow_private:
        return httpx.Client(**options)
    # No proxies from the environment: a proxy would connect to the private address on our behalf.
    return httpx.Client(**options, transport=_GuardedTransport(policy), trust_env=False,
                        event_hooks={"request": [_check_scheme]})


def _check_scheme(request: httpx.Request) -> None:
    """Runs before every request, redirects included."""
    if request.url.scheme not in ("http", "https"):
        raise UrlRefused(f"refused: unsupported URL scheme {request.url.scheme}://")


class GuardedBackend(httpcore.SyncBackend):
    """Opens TCP connections only to addresses the policy allows; TLS still verifies the host name."""

    def __init__(self, policy: UrlPolicy):
        self.policy = policy

    def connect_tcp(self, host: str, port: int, timeout=None, local_address=None, socket_options=None):
        try:
            addresses = self.policy.resolve(host, port)
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve {host}")
        allowed = [address for address in addresses if not self.policy.blocked_kind(address)]
        if not allowed:
            raise UrlRefused(self.policy.refusal(host, addresses[0]))
        error: Exception | None = None
        for address in allowed:  # like socket.create_connection, but over the checked addresses only
            try:
                stream = super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            refusal = self.policy.refusal(host, stream.get_extra_info("socket").getpeername()[0])
            if refusal:  # the address the socket really reached
                stream.close()
                raise UrlRefused(refusal)
            return stream
        raise error


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport over a connection pool whose connections GuardedBackend makes."""

    def __init__(self, policy: UrlPolicy):
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(), network_backend=GuardedBackend(policy))


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
