"""kill -9 during ingest, again and again: the store stays consistent and the next run completes it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT, make_settings
from rag.index import SearchIndex

DOCS = 300
KILLS = 5


def _write_corpus(folder, seed=7):
    rng = random.Random(seed)
    folder.mkdir()
    for i in range(DOCS):
        sentences = [
            f"{i}번 기관은 {rng.randint(2000, 2024)}년에 AI 인재 {rng.randint(10, 900)}명을 양성했다."
            for _ in range(rng.randint(3, 30))
        ]
        (folder / f"doc{i:03d}.txt").write_text(f"문서 {i}\n\n" + " ".join(sentences), encoding="utf-8")


def _ingest(folder, env, kill_after_docs=None, extra_ms=0):
    """Run the CLI; with `kill_after_docs`, SIGKILL it that many reported documents (+ a few ms) in."""
    proc = subprocess.Popen([sys.executable, "-m", "ingest", str(folder)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    if kill_after_docs is None:
        proc.stdout.read()
        return proc.wait(timeout=600)
    reported = 0
    for line in proc.stdout:
        reported += line.startswith(("added:", "unchanged:"))
        if reported >= kill_after_docs:
            time.sleep(extra_ms / 1000)  # lands anywhere inside the next batch's work
            proc.send_signal(signal.SIGKILL)
            break
    return proc.wait(timeout=60)


def _state(settings):
    index = SearchIndex(settings)
    docs = index.store.documents()
    return index, docs


@pytest.mark.slow
def test_repeated_kill_minus_nine_then_completion_matches_a_clean_run(tmp_path):
    corpus = tmp_path / "corpus"
    _write_corpus(corpus)
    clean = make_settings(tmp_path / "clean")
    crashed = make_settings(tmp_path / "crashed")
    env_of = lambda s: os.environ | {"RAG_DB_DIR": str(s.db_dir), "RAG_COLLECTION": s.collection}  # noqa: E731

    assert _ingest(corpus, env_of(clean)) == 0
    rng = random.Random(11)
    committed = 0
    for _ in range(KILLS):
        # A run re-reports committed documents as unchanged first; kill a little past them, never near the end.
        target = min(committed + rng.randint(5, 45), DOCS - 60)
        assert _ingest(corpus, env_of(crashed), kill_after_docs=target, extra_ms=rng.uniform(0, 300)) == -9
        index, docs = _state(crashed)
        assert len({d["source"] for d in docs}) == len(docs) >= target  # each document once
        assert set(index.lexical.ids) <= set(index.store.chunk_ids())  # BM25 never points at a missing chunk
        committed = len(docs)
    assert _ingest(corpus, env_of(crashed)) == 0

    clean_index, clean_docs = _state(clean)
    index, docs = _state(crashed)
    assert len(docs) == len(clean_docs) == DOCS
    assert sorted(index.store.chunk_ids()) == sorted(clean_index.store.chunk_ids())
    assert sorted(index.lexical.ids) == sorted(index.store.chunk_ids())
    assert not index.store.uncommitted_chunk_ids()
