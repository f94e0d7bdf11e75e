"""Real processes side by side on one embedded store: a running app while the CLI re-indexes, ingests and
deletes; two CLI writers at once."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import ROOT, make_settings
from rag.index import SearchIndex

FIRST = ("# 은하수 코딩 캠프\n\n은하수 코딩 캠프는 2023년 제주에서 시작했다. "
         "캠프의 첫 기수 교육생은 64명이었고 교육 기간은 12주였다.")
LATER = ("# 바다별 AI 학교\n\n바다별 AI 학교는 2024년 부산에서 문을 열었다. "
         "바다별 AI 학교의 교장은 최서린 박사다.")


def run(args, env, timeout=300):
    proc = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read()
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise AssertionError("the app did not start")


@pytest.mark.slow
def test_a_running_app_survives_reindex_ingest_and_delete_from_the_cli(tmp_path, free_port):
    from gradio_client import Client

    samples = tmp_path / "samples"
    samples.mkdir()
    (samples / "first.md").write_text(FIRST, encoding="utf-8")
    later = tmp_path / "later.md"
    later.write_text(LATER, encoding="utf-8")
    env = os.environ | {"RAG_DB_DIR": str(tmp_path / "db"), "RAG_SAMPLES_DIR": str(samples), "RAG_PORT": str(free_port)}
    app = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
    try:
        wait_for_port(free_port, app)
        client = Client(f"http://127.0.0.1:{free_port}/", verbose=False)

        def ask(question: str) -> str:
            time.sleep(2.5)  # the app looks for another process's changes at most every 2 s
            return client.predict(question, api_name="/chat")

        assert "64명" in ask("은하수 코딩 캠프 첫 기수 교육생은 몇 명?")
        assert "re-embedded" in run(["-m", "ingest", "--reindex"], env).stdout
        assert "64명" in ask("은하수 코딩 캠프 첫 기수 교육생은 몇 명?")  # was: NotFoundError, collection does not exist
        assert run(["-m", "ingest", str(later)], env).stdout.startswith("added: 바다별 AI 학교")
        assert "최서린" in ask("바다별 AI 학교의 교장은 누구인가요?")
        assert run(["-m", "ingest", "--delete", str(later)], env).returncode == 0
        assert "최서린" not in ask("바다별 AI 학교의 교장은 누구인가요?")
        assert "64명" in ask("은하수 코딩 캠프 첫 기수 교육생은 몇 명?")
    finally:
        app.terminate()
        app.wait(timeout=30)
    assert "NotFoundError" not in app.stderr.read()


def _corpus(folder, prefix: str, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        text = " ".join(f"{prefix} {i}호 기관은 {2000 + j}년에 AI 인재 {i * 10 + j}명을 길렀다." for j in range(25))
        (folder / f"{prefix}{i:03d}.txt").write_text(f"{prefix} 문서 {i}\n\n{text}", encoding="utf-8")


class HeldPage(BaseHTTPRequestHandler):
    """A page that is served only once the test sets `release`: it keeps the first writer mid-run."""

    def do_GET(self):  # noqa: N802 - http.server's name
        self.server.requested.set()
        self.server.release.wait(120)
        body = ("# 다래 AI 센터\n\n다래 AI 센터는 2022년에 문을 열었고 연구원은 31명이다.").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/markdown; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def held_page():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), HeldPage)
    httpd.requested, httpd.release = threading.Event(), threading.Event()
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.slow
def test_two_cli_writers_at_once_wait_for_each_other_and_both_land(tmp_path, held_page):
    settings = make_settings(tmp_path)
    env = os.environ | {"RAG_DB_DIR": str(settings.db_dir), "RAG_COLLECTION": settings.collection, "RAG_URL_TIMEOUT": "120"}
    _corpus(tmp_path / "a", "가람", 30)
    _corpus(tmp_path / "b", "나래", 30)
    page = f"http://127.0.0.1:{held_page.server_address[1]}/center.md"
    first = subprocess.Popen([sys.executable, "-m", "ingest", str(tmp_path / "a"), page], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    second = None
    try:
        assert held_page.requested.wait(120)  # the first writer is mid-run, holding its page download
        second = subprocess.Popen([sys.executable, "-m", "ingest", str(tmp_path / "b")], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        waiting = next(line for line in second.stderr if not line.startswith("progress: "))
        assert waiting.startswith("another process is writing to the store in ")  # it waits, and says so
        held_page.release.set()
        first_out, _ = first.communicate(timeout=300)
        second_out, _ = second.communicate(timeout=300)
    finally:
        for proc in (first, second):
            if proc and proc.poll() is None:
                proc.kill()
    assert first.returncode == 0 and second.returncode == 0
    assert first_out.count("added: ") == 31 and second_out.count("added: ") == 30

    index = SearchIndex(settings)
    docs = index.store.documents()
    assert len(docs) == 61 and len({d["source"] for d in docs}) == 61
    assert sorted(index.lexical.ids) == sorted(index.store.chunk_ids())  # BM25 knows both writers' chunks
    assert not index.store.uncommitted_chunk_ids()
    queries = tmp_path / "queries.jsonl"
    expected = {"가람 17호 기관": "가람 17호", "나래 23호 기관": "나래 23호", "다래 AI 센터 연구원": "31명"}
    queries.write_text("".join(json.dumps({"id": e, "q": q}, ensure_ascii=False) + "\n" for q, e in expected.items()),
                       encoding="utf-8")
    for line in run(["app.py", "search", "--batch", str(queries), "--k", "1", "--json"], env).stdout.splitlines():
        found = json.loads(line)
        assert found["results"] and found["id"] in found["results"][0]["text"]
