"""Ctrl-C during `python -m ingest`: finished documents stay committed, the count is said, exit status 130."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import pytest

from conftest import ROOT, make_settings
from rag.index import SearchIndex

DOCS = 500  # far more than one interrupted run gets through, even when the test process is starved


def _corpus(folder) -> None:
    folder.mkdir()
    for i in range(DOCS):
        text = " ".join(f"{i}번 연구소는 {2000 + j}년에 AI 인재 {i + j * 3}명을 길렀다." for j in range(30))
        (folder / f"doc{i:03d}.txt").write_text(f"연구소 문서 {i}\n\n{text}", encoding="utf-8")


@pytest.mark.slow
def test_ctrl_c_keeps_committed_documents_says_how_many_and_exits_130(tmp_path):
    corpus = tmp_path / "corpus"
    _corpus(corpus)
    settings = make_settings(tmp_path)
    env = os.environ | {"RAG_DB_DIR": str(settings.db_dir), "RAG_COLLECTION": settings.collection}
    # -X importtime writes a line per import to stderr, so the order of stderr shows what came before Chroma loaded.
    log = open(tmp_path / "stderr.log", "w+", encoding="utf-8")  # a file, as in a log; a pipe would fill up
    proc = subprocess.Popen([sys.executable, "-X", "importtime", "-m", "ingest", str(corpus)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=log, text=True)
    added = []
    for line in proc.stdout:
        added += [line] if line.startswith("added: ") else []
        if len(added) >= 5:
            break
    proc.send_signal(signal.SIGINT)
    rest = proc.stdout.read()  # (communicate() would skip what the loop above has buffered)
    proc.wait(timeout=120)
    stderr = (tmp_path / "stderr.log").read_text(encoding="utf-8")
    log.close()
    added += [line for line in rest.splitlines() if line.startswith("added: ")]
    assert proc.returncode == 130

    said = re.search(rf"^interrupted: (\d+) of {DOCS} documents committed \((\d+) added\); the store is consistent",
                     stderr, re.M)
    assert said, stderr[-2000:]
    assert int(said[1]) == int(said[2]) == len(added) < DOCS
    index = SearchIndex(settings)
    assert len(index.store.documents()) == len(added)  # what was reported is what was kept
    assert sorted(index.lexical.ids) == sorted(index.store.chunk_ids())

    ours = [line for line in stderr.splitlines() if not line.startswith("import time:")]
    assert ours[0] == f"progress: 0/{DOCS} documents"  # plain lines, not a terminal's bar
    assert "\r" not in stderr
    first_chroma = next(i for i, line in enumerate(stderr.splitlines()) if re.search(r"\| +chromadb", line))
    assert stderr.splitlines().index(f"progress: 0/{DOCS} documents") < first_chroma  # shown before the slow imports

    again = subprocess.run([sys.executable, "-m", "ingest", str(corpus)], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=600)
    assert again.returncode == 0
    assert again.stdout.count("unchanged: ") == len(added) and again.stdout.count("added: ") == DOCS - len(added)
