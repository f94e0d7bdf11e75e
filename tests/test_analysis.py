"""Analysis in a helper process: the same store as analysing in-process, and no helper outlives a kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, make_settings
from ingest.document import LoadedDocument
from ingest.pipeline import Ingestor
from rag.index import SearchIndex


def _docs(n: int) -> list[LoadedDocument]:
    docs = []
    for i in range(n):
        body = " ".join(f"{i}번 연구소는 {2000 + j}년에 AI 인재 {i * 7 + j}명을 길렀다. Open AI lab {j}." for j in range(12))
        docs.append(LoadedDocument(f"/gen/doc{i:03d}.txt", f"연구소 문서 {i}", body))
    twin = docs[30]
    docs.insert(45, LoadedDocument("/gen/twin.txt", "쌍둥이", twin.text))  # read ahead while its twin is staged
    return docs


def _store(tmp_path: Path, analysis_process: bool):
    index = SearchIndex(make_settings(tmp_path))
    results = Ingestor(index, analysis_process=analysis_process).ingest_documents(_docs(60))
    again = _docs(60)
    again[50].text += " 개정판."
    results += Ingestor(index, analysis_process=analysis_process).ingest_documents(again)  # looked up in batches
    got = index.store.get_chunks(index.store.chunk_ids())
    chunks = {cid: (text, meta["terms"], meta["start"], meta["end"]) for cid, (text, meta) in got.items()}
    return [(r.source, r.status, r.doc_id, r.chunks) for r in results], chunks, sorted(index.lexical.ids)


def test_the_helper_process_stores_what_in_process_analysis_stores(tmp_path):
    here = _store(tmp_path / "here", analysis_process=False)
    helper = _store(tmp_path / "helper", analysis_process=True)
    assert helper == here
    statuses = [status for _, status, _, _ in here[0]]
    assert statuses[:61].count("duplicate") == 1 and statuses[:61].count("added") == 60
    assert statuses[61:].count("unchanged") == 59 and statuses[61:].count("duplicate") == 1
    assert statuses[61:].count("updated") == 1


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_helper_that_dies_leaves_the_rest_to_this_process(tmp_path):
    index = SearchIndex(make_settings(tmp_path))

    def kill_helper(source: str) -> None:
        if source.endswith("doc040.txt"):
            for pid in _helpers(os.getpid()):
                os.kill(pid, signal.SIGKILL)

    results = Ingestor(index, analysis_process=True).ingest_documents(_docs(60), on_step=kill_helper)
    assert sorted(r.status for r in results) == ["added"] * 60 + ["duplicate"]
    assert sorted(index.lexical.ids) == sorted(index.store.chunk_ids())


def _helpers(pid: int) -> list[int]:
    return [c for c in _children(pid) if "spawn_main" in Path(f"/proc/{c}/cmdline").read_text()]


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_no_helper_outlives_a_killed_ingest(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for doc in _docs(300):
        (corpus / Path(doc.source).name).write_text(f"{doc.title}\n\n{doc.text}", encoding="utf-8")
    settings = make_settings(tmp_path)
    env = os.environ | {"RAG_DB_DIR": str(settings.db_dir), "RAG_COLLECTION": settings.collection}
    proc = subprocess.Popen([sys.executable, "-m", "ingest", str(corpus)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    helpers = []
    for line in proc.stdout:
        helpers = [c for c in _children(proc.pid) if "multiprocessing" in Path(f"/proc/{c}/cmdline").read_text()]
        if helpers or line.startswith("summary:"):
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert helpers, "the run never started a helper process"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{h}").exists() for h in helpers):
        time.sleep(0.2)
    alive = [h for h in helpers if Path(f"/proc/{h}").exists()]
    for h in alive:
        os.kill(h, signal.SIGKILL)
    assert not alive, "a helper outlived its ingest"


def test_an_analysis_that_fails_in_the_helper_fails_for_that_document_only():
    from ingest.analysis import Analyser

    analyser = Analyser(500, 1, use_process=True, after=0)
    try:
        broken = analyser.submit(LoadedDocument("/gen/bad.txt", "제목", None))  # no text: chunking raises
        good = analyser.submit(_docs(31)[0])
        assert analyser.started
        deadline = time.monotonic() + 60
        while not analyser._helper.caught_up(0) and time.monotonic() < deadline:  # it is loading Kiwi
            time.sleep(0.1)
        assert analyser._helper.caught_up(0), "the helper never answered"
        with pytest.raises(TypeError):
            broken()
        chunks, title_terms = good()
        assert chunks and "연구소" in title_terms
    finally:
        analyser.close()
