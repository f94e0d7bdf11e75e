"""`python app.py` in its own process on a free port and a temporary store, for tests that need the real server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from conftest import ROOT, _free_port

START_TIMEOUT_S = 90


@contextmanager
def running_app(folder: Path, **env: str) -> Iterator[str]:
    """The base URL of `python app.py` serving a fresh store in `folder` (offline backends); its log is folder/app.log."""
    port = _free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "CHROMA_", "OPENAI_"))}
    environment |= {"RAG_DB_DIR": str(folder / "db"), "RAG_PORT": str(port), "RAG_HOST": "127.0.0.1",
                    "RAG_LLM": "extractive", "RAG_EMBEDDINGS": "hash", "GRADIO_ANALYTICS_ENABLED": "False"} | env
    with open(folder / "app.log", "wb") as log:
        proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=environment, stdout=log,
                                stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                assert proc.poll() is None, (folder / "app.log").read_text(errors="replace")
                try:
                    if httpx.get(url, timeout=2).status_code in (200, 401):
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, "the app did not start"
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=20)
