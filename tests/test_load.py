"""20 chat sessions through the Gradio API for 60 s while an ingest runs: no errors, valid citations.

Prints p50/p95 latency and throughput (the README's Reliability section quotes them). The duration can be
shortened with RAG_LOAD_SECONDS for quick local runs.
"""

from __future__ import annotations

import os
import re
import statistics
import threading
import time

import pytest

from conftest import ROOT, make_settings
from ingest.document import LoadedDocument
from ingest.pipeline import Ingestor
from ui.app import build_demo, launch
from ui.services import Services

SESSIONS = 20
SECONDS = float(os.environ.get("RAG_LOAD_SECONDS", "60"))
QUESTIONS = [
    "청하 청소년 AI 해커톤의 대상은 어느 팀이 받았나요?",
    "청람 AI 아카데미는 언제 문을 열었나요?",
    "How many apprentices were in the first Harlow Valley cohort?",
    "AI 마이스터 부트캠프 1기 수료생은 몇 명인가요?",
    "미르전자와 가온대학교의 펠로십 규모는 얼마인가요?",
]


def _generated(n: int) -> list[LoadedDocument]:
    return [
        LoadedDocument(f"load://doc{i}", f"부하 문서 {i}", " ".join(
            f"부하 시험 기관 {i}호는 {2000 + j}년에 인재 {j * 7 + i}명을 길렀다." for j in range(40)))
        for i in range(n)
    ]


@pytest.mark.slow
def test_twenty_sessions_during_ingest(tmp_path, free_port):
    from gradio_client import Client

    settings = make_settings(tmp_path, samples_dir=ROOT / "data" / "samples", port=free_port)
    services = Services(settings)
    services.index()  # the samples are ingested before the clock starts
    demo = build_demo(settings, services)
    launch(demo, settings, prevent_thread_lock=True, quiet=True)
    url = f"http://127.0.0.1:{free_port}/"
    latencies, errors, bad_citations = [], [], []
    deadline = time.monotonic() + SECONDS

    def session(number: int) -> None:
        client = Client(url, verbose=False)
        asked = number
        while time.monotonic() < deadline:
            question = QUESTIONS[asked % len(QUESTIONS)]
            asked += 1
            start = time.perf_counter()
            try:
                answer = client.predict(question, api_name="/chat")
            except Exception as exc:  # noqa: BLE001 - counted, and the test fails on any
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            latencies.append(time.perf_counter() - start)
            # The passages behind a /chat answer are not returned; [n] must stay within the top-k.
            bad_citations.extend(n for n in map(int, re.findall(r"\[(\d+)\]", answer)) if not 1 <= n <= settings.top_k)

    ingest_done = []
    writer = threading.Thread(target=lambda: ingest_done.append(Ingestor(services.index()).ingest_documents(_generated(60))))
    threads = [threading.Thread(target=session, args=(i,)) for i in range(SESSIONS)]
    try:
        writer.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        writer.join()
    finally:
        demo.close()
    p50, p95 = statistics.median(latencies), statistics.quantiles(latencies, n=20)[18]
    print(f"\nload: {SESSIONS} sessions, {SECONDS:.0f} s, {len(latencies)} answers, "
          f"{len(latencies) / SECONDS:.1f} answers/s, p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, errors {len(errors)}")
    assert not errors, errors[:3]
    assert not bad_citations
    assert len(latencies) >= SESSIONS
    assert ingest_done and all(r.status == "added" for r in ingest_done[0])
    index = services.index()
    assert set(index.lexical.ids) == set(index.store.chunk_ids())
