"""The web app's URL box: http(s) only, no private addresses on any hop or connection, unless the operator allows them."""

from __future__ import annotations

import ipaddress
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import ROOT, make_settings
from ingest.download import UrlRefused, download
from ingest.url_policy import BLOCKED_NETWORKS, UrlPolicy, resolve_host, web_sources
from ui.documents import DocumentsTab
from ui.services import Services

PAGE = "<html><head><title>공개 기사</title></head><body><article><h1>공개 기사</h1><p>" + (
    "바람숲 연구소는 2024년에 AI 인재 120명을 길렀다. " * 8) + "</p></article></body></html>"


class Recorder(BaseHTTPRequestHandler):
    """Serves PAGE at /page.html, redirects /hop to the server's `redirect_to`, and records every request."""

    def do_GET(self):  # noqa: N802 - http.server's name
        self.server.seen.append((self.path, self.headers.get("Host")))
        if self.path == "/hop":
            self.send_response(302)
            self.send_header("Location", self.server.redirect_to)
            self.end_headers()
            return
        body = PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(host: str):
    httpd = ThreadingHTTPServer((host, 0), Recorder)
    httpd.seen, httpd.redirect_to = [], ""
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture
def server():
    httpd = serve("127.0.0.1")
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def private_server():
    """A second server on another loopback address: the private target a redirect must not reach."""
    httpd = serve("127.0.0.2")
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def url_of(httpd, path="/page.html", host=None) -> str:
    address, port = httpd.server_address[:2]
    return f"http://{host or address}:{port}{path}"


def public(*addresses: str) -> tuple:
    """The default blocked table with these addresses carved out, so a loopback test server plays a public host."""
    carved = []
    for net, kind in BLOCKED_NETWORKS:
        parts = [net]
        for address in map(ipaddress.ip_address, addresses):
            parts = [p for part in parts for p in (part.address_exclude(ipaddress.ip_network(address))
                                                   if address.version == part.version and address in part else [part])]
        carved += [(p, kind) for p in parts]
    return tuple(carved)


# The web app's form check -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "reason"), [
    ("", "empty"),
    ("/etc/passwd", "not a URL"),
    ("~/secret.txt", "not a URL"),
    ("data/samples", "not a URL"),
    ("file:///etc/passwd", "unsupported URL scheme file://"),
    ("ftp://example.com/a.txt", "unsupported URL scheme ftp://"),
    ("gopher://example.com/", "unsupported URL scheme gopher://"),
    ("javascript:alert(1)", "not a URL"),
    ("http://", "no host in URL"),
    ("http://example.com:99999/", "invalid URL"),
])
def test_web_sources_accept_only_http_urls(text, reason):
    sources, rejected = web_sources(text)
    assert sources == [] and len(rejected) == 1 and rejected[0][1].startswith(reason)


def test_web_sources_keep_an_http_url():
    assert web_sources("  https://example.com/a?b=1 ") == (["https://example.com/a?b=1"], [])


def test_a_server_path_in_the_url_box_ingests_nothing(tmp_path):
    secret = tmp_path / "secret" / "server_secret.txt"
    secret.parent.mkdir()
    secret.write_text("관리자 비밀번호는 hunter2 입니다. " * 5, encoding="utf-8")
    tab = DocumentsTab(Services(make_settings(tmp_path), seed_samples=False))
    for typed in (str(secret), str(secret.parent), f"file://{secret}"):
        log, table, *_ = tab.add_url(typed)
        assert log.startswith("failed: ") and "\n" not in log
        assert log.endswith(("not a URL: only http:// and https:// addresses can be added here", "unsupported URL scheme file://"))
        assert table.value["data"] == []
    assert tab.services.index().store.documents() == []


# The address check, on the connection --------------------------------------------------------------------------------
REFUSED = {
    "127.0.0.1": "loopback", "127.255.0.9": "loopback", "10.1.2.3": "private", "172.16.0.1": "private",
    "172.31.255.254": "private", "192.168.1.1": "private", "169.254.169.254": "link-local", "224.0.0.1": "multicast",
    "0.0.0.0": "unspecified", "::1": "loopback", "::": "unspecified", "fc00::1": "private", "fd12:3456::1": "private",
    "fe80::1": "link-local", "ff02::1": "multicast", "::ffff:127.0.0.1": "loopback", "::ffff:169.254.169.254": "link-local",
}


@pytest.mark.parametrize(("address", "kind"), sorted(REFUSED.items()))
def test_private_addresses_are_refused_before_connecting(address, kind):
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(UrlRefused, match=rf"^refused: {address} is a {kind} address \(set RAG_URL_ALLOW_PRIVATE"):
        download(f"http://{host}:9/x", 1000, 2, UrlPolicy())


@pytest.mark.parametrize("address", ["8.8.8.8", "172.32.0.1", "172.15.255.255", "192.169.0.1", "11.0.0.1",
                                     "2001:4860:4860::8888", "fbff::1", "fec0::1"])
def test_public_addresses_pass(address):
    assert UrlPolicy().blocked_kind(address) is None


def test_a_name_is_checked_by_what_it_resolves_to(server):
    with pytest.raises(UrlRefused, match=r"^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address"):
        download(url_of(server, host="localhost"), 100_000, 5, UrlPolicy())
    assert server.seen == []


def test_loopback_server_refused_in_the_app_then_allowed_by_the_setting(tmp_path, server):
    url = url_of(server)
    refused = DocumentsTab(Services(make_settings(tmp_path / "a"), seed_samples=False)).add_url(url)[0]
    assert refused == (f"failed: {url}: refused: 127.0.0.1 is a loopback address "
                       "(set RAG_URL_ALLOW_PRIVATE=true to allow private addresses)")
    assert server.seen == []  # not even one request reached it
    allowed = DocumentsTab(Services(make_settings(tmp_path / "b", url_allow_private=True), seed_samples=False))
    log, table, *_ = allowed.add_url(url)
    assert log.startswith("added: 공개 기사") and len(table.value["data"]) == 1
    assert server.seen == [("/page.html", f"127.0.0.1:{server.server_address[1]}")]


def test_the_setting_is_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("RAG_URL_ALLOW_PRIVATE", "true")
    assert make_settings(tmp_path).url_allow_private is True


@pytest.mark.parametrize("target", ["private", "resolved-private", "ipv6-loopback"])
def test_a_redirect_from_an_allowed_url_to_a_private_one_is_refused(server, private_server, target):
    resolver = {"intranet.test": ["10.0.0.7"]}
    policy = UrlPolicy(blocked=public("127.0.0.1"), resolve=lambda host, port: resolver.get(host) or resolve_host(host, port))
    assert b"AI" in download(url_of(server), 100_000, 5, policy)[0]  # the first hop really is allowed
    server.redirect_to = {
        "private": url_of(private_server, "/secret"),
        "resolved-private": f"http://intranet.test:{private_server.server_address[1]}/secret",
        "ipv6-loopback": "http://[::1]:9/secret",
    }[target]
    expected = {"private": "127.0.0.2 is a loopback", "resolved-private": "intranet.test resolves to 10.0.0.7, a private",
                "ipv6-loopback": "::1 is a loopback"}[target]
    with pytest.raises(UrlRefused, match=f"^refused: {expected} address"):
        download(url_of(server, "/hop"), 100_000, 5, policy)
    assert ("/hop", f"127.0.0.1:{server.server_address[1]}") in server.seen
    assert private_server.seen == []


def test_the_connection_goes_to_the_address_that_was_checked(server):
    """DNS rebinding: the name is resolved once per connection, and the socket connects to that very address."""
    answers = iter([["127.0.0.1"], ["127.0.0.2"]])  # a rebinding resolver: allowed first, private after
    calls = []

    def rebinding(host, port):
        calls.append(host)
        return next(answers)

    policy = UrlPolicy(blocked=public("127.0.0.1"), resolve=rebinding)
    data, _, final_url = download(url_of(server, host="news.test"), 100_000, 5, policy)
    assert "바람숲" in data.decode() and final_url == url_of(server, host="news.test")
    assert calls == ["news.test"]
    assert server.seen == [("/page.html", f"news.test:{server.server_address[1]}")]  # the Host header keeps the name


def test_the_command_line_still_fetches_private_urls(tmp_path, server):
    env = os.environ | {"RAG_DB_DIR": str(tmp_path / "db"), "RAG_SAMPLES_DIR": str(tmp_path / "none")}
    proc = subprocess.run([sys.executable, "-m", "ingest", url_of(server)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.startswith("added: 공개 기사"), proc.stdout + proc.stderr
