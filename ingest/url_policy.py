"""What a URL typed into the web app may reach: http(s) only, and no private address unless the operator allows it.

The address check itself runs where the connection is made (ingest/download.py), on every redirect hop
and on the address actually connected to, so a name that resolves differently the second time gains nothing.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ingest.sources import Rejected

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]  # (host, port) -> IP addresses as text

# Refused unless RAG_URL_ALLOW_PRIVATE: the server's own services, the company network, cloud metadata.
BLOCKED_NETWORKS: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = tuple(
    (ipaddress.ip_network(net), kind)
    for net, kind in (
        ("127.0.0.0/8", "loopback"),
        ("10.0.0.0/8", "private"),
        ("172.16.0.0/12", "private"),
        ("192.168.0.0/16", "private"),
        ("169.254.0.0/16", "link-local"),  # 169.254.169.254: cloud instance metadata
        ("224.0.0.0/4", "multicast"),
        ("0.0.0.0/8", "unspecified"),  # 0.0.0.0 reaches this host on Linux
        ("::1/128", "loopback"),
        ("::/128", "unspecified"),
        ("fc00::/7", "private"),
        ("fe80::/10", "link-local"),
        ("ff00::/8", "multicast"),
    )
)
ALLOW_HINT = "set RAG_URL_ALLOW_PRIVATE=true to allow private addresses"


def resolve_host(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for host, in its order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


@dataclass(frozen=True)
class UrlPolicy:
    """Which addresses a download may connect to; `resolve` and `blocked` are seams for tests."""

    allow_private: bool = False
    blocked: tuple = BLOCKED_NETWORKS
    resolve: Resolver = resolve_host

    def blocked_kind(self, address: str) -> str | None:
        """'loopback', 'private', ... when connecting to this IP address is refused; None when it is allowed."""
        if self.allow_private:
            return None
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
        return next((kind for net, kind in self.blocked if ip.version == net.version and ip in net), None)

    def refusal(self, host: str, address: str) -> str | None:
        """The one-line refusal of connecting to `address` (which `host` resolved to), or None when allowed."""
        kind = self.blocked_kind(address)
        if kind is None:
            return None
        named = f"{address} is" if host == address else f"{host} resolves to {address},"
        return f"refused: {named} a {kind} address ({ALLOW_HINT})"


OPERATOR = UrlPolicy(allow_private=True)  # the command line: the operator may fetch from anywhere


def web_sources(text: str | None) -> tuple[list[str], list[Rejected]]:
    """A URL typed into the web app as a source, or why it is refused: http(s) only, never a path or another scheme."""
    url = (text or "").strip()
    if not url:
        return [], [("URL", "empty")]
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as exc:
        return [], [(url, f"invalid URL: {exc}")]
    scheme = parts.scheme.lower()
    if scheme in ("http", "https") and "://" in url:
        return ([url], []) if parts.hostname else ([], [(url, "no host in URL")])
    if "://" in url:
        return [], [(url, f"unsupported URL scheme {url.split('://', 1)[0]}://")]
    return [], [(url, "not a URL: only http:// and https:// addresses can be added here")]
