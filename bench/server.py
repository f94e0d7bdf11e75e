"""A `chroma run` server for the scale-out measurement, started and stopped by the bench when asked."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path


class ServerError(RuntimeError):
    """The Chroma server could not be started or reached."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(host: str, port: int, proc: subprocess.Popen | None = None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise ServerError(f"chroma run exited early with code {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex((host, port)) == 0:
                return
        time.sleep(0.2)
    raise ServerError(f"no Chroma server answered on {host}:{port} within {timeout:.0f} s")


class ChromaServer:
    """`chroma run --path DIR` on a free loopback port; a context manager that stops it on exit."""

    def __init__(self, path: Path):
        self.path = path
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def __enter__(self) -> ChromaServer:
        chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
        if not Path(chroma).exists():
            raise ServerError("the chroma CLI is not installed (pip install chromadb)")
        self.path.mkdir(parents=True, exist_ok=True)
        log = open(self.path / "server.log", "wb")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen([chroma, "run", "--path", str(self.path), "--host", "127.0.0.1",
                                      "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT)
        wait_for("127.0.0.1", self.port, self.proc)
        return self

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
