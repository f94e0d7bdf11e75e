"""Shared fixtures: isolated settings per test, embedded or against a real `chroma run` server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from rag.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
LG_ARTICLE = SHARED / "corpus" / "lg-ai-graduate-school.txt"
DEV_QA = SHARED / "eval" / "dev_qa.jsonl"
SAMPLES = ROOT / "data" / "samples"
needs_shared = pytest.mark.skipif(not (LG_ARTICLE.is_file() and DEV_QA.is_file()),
                                  reason="needs ../shared (the LG article and the dev set) beside the clone")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("chroma run exited early")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("chroma run did not start")


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """(host, port) of a Chroma server: RAG_TEST_CHROMA (host:port) if set, else one started here."""
    if os.environ.get("RAG_TEST_CHROMA"):
        host, port = os.environ["RAG_TEST_CHROMA"].rsplit(":", 1)
        yield host, int(port)
        return
    chroma = shutil.which("chroma")
    if not chroma:
        pytest.skip("the chroma CLI is not installed")
    port = _free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, proc)
        yield "127.0.0.1", port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def make_settings(tmp_path: Path, **overrides) -> Settings:
    base = {"db_dir": tmp_path / "db", "samples_dir": tmp_path / "no-samples", "collection": "test-articles"}
    return Settings(**(base | overrides))


@pytest.fixture
def settings(tmp_path) -> Settings:
    """An embedded store in a temporary folder."""
    return make_settings(tmp_path)


@pytest.fixture(params=["embedded", "server"])
def any_settings(request, tmp_path) -> Settings:
    """The same test against the embedded store and a Chroma server."""
    if request.param == "embedded":
        return make_settings(tmp_path)
    host, port = request.getfixturevalue("chroma_server")
    collection = f"t-{uuid.uuid4().hex[:12]}"  # isolates tests sharing the server
    return make_settings(tmp_path, chroma_host=host, chroma_port=port, collection=collection)


@pytest.fixture
def free_port() -> int:
    return _free_port()
