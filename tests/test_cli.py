"""The public command shapes: python -m ingest ... and python app.py search ..."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import LG_ARTICLE, ROOT


def run(args, env, check_rc=None):
    proc = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    if check_rc is not None:
        assert proc.returncode == check_rc, proc.stdout + proc.stderr
    return proc


@pytest.fixture
def env(tmp_path):
    return os.environ | {"RAG_DB_DIR": str(tmp_path / "db"), "RAG_SAMPLES_DIR": str(tmp_path / "none")}


@pytest.fixture
def folder(tmp_path):
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "good.md").write_text("# 좋은 문서\n\n한빛전자는 2020년 AI 연구소를 세웠다.", encoding="utf-8")
    (docs / "sub" / "also.txt").write_text("Nightjar Labs trained 45 engineers in 2021.", encoding="utf-8")
    (docs / "empty.txt").write_bytes(b"")
    (docs / "binary.txt").write_bytes(bytes(range(256)) * 20)
    return docs


def test_folder_with_bad_files_reports_each_and_ingests_the_rest(env, folder):
    proc = run(["-m", "ingest", str(folder)], env, check_rc=1)
    lines = proc.stdout.splitlines()
    assert sum(line.startswith("added: ") for line in lines) == 2
    assert any(line.startswith("failed: ") and "empty.txt" in line and "empty" in line.split(":")[-1] for line in lines)
    assert any(line.startswith("failed: ") and "binary.txt" in line for line in lines)
    assert "2 added" in lines[-1] and "2 failed" in lines[-1]
    again = run(["-m", "ingest", str(folder / "good.md"), str(folder / "sub")], env, check_rc=0)
    assert again.stdout.count("unchanged: ") == 2


def test_list_json_and_delete(env, folder):
    run(["-m", "ingest", str(folder / "good.md"), str(LG_ARTICLE)], env, check_rc=0)
    docs = json.loads(run(["-m", "ingest", "--list", "--json"], env, check_rc=0).stdout)
    assert {d["title"] for d in docs} == {"좋은 문서", "LG는 왜 사내에 AI 대학원을 만들었을까?"}
    assert all(set(d) == {"doc_id", "source", "title", "chunks", "ingested_at"} and d["chunks"] > 0 for d in docs)
    deleted = run(["-m", "ingest", "--delete", str(folder / "good.md")], env, check_rc=0)
    assert deleted.stdout.startswith("deleted: 좋은 문서")
    lg = next(d for d in docs if d["title"].startswith("LG"))
    run(["-m", "ingest", "--delete", lg["doc_id"]], env, check_rc=0)
    assert json.loads(run(["-m", "ingest", "--list", "--json"], env, check_rc=0).stdout) == []
    assert run(["-m", "ingest", "--delete", "nope"], env, check_rc=1).stdout.startswith("failed: nope")


@pytest.mark.parametrize("args", [[], ["--json"]])
def test_usage_errors_exit_2(env, args):
    assert run(["-m", "ingest", *args], env, check_rc=2).stderr.startswith("usage:")


def test_progress_bar_for_many_documents(env, tmp_path):
    many = tmp_path / "many"
    many.mkdir()
    for i in range(6):
        (many / f"doc{i}.txt").write_text(f"문서 {i}번은 인공지능 인재 {i * 10}명을 다룬다.", encoding="utf-8")
    proc = run(["-m", "ingest", str(many)], env, check_rc=0)
    assert "6/6" in proc.stderr and proc.stdout.count("added: ") == 6


def test_search_json_and_batch(env, tmp_path):
    run(["-m", "ingest", str(LG_ARTICLE)], env, check_rc=0)
    out = json.loads(run(["app.py", "search", "CSET 보고서 제목", "--k", "3", "--json"], env, check_rc=0).stdout)
    assert out["query"] == "CSET 보고서 제목" and len(out["results"]) == 3
    first = out["results"][0]
    assert set(first) == {"rank", "doc_id", "source", "title", "chunk_id", "text", "score"}
    assert first["rank"] == 1 and "AI Faculty Shortage" in first["text"]
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": "a", "q": "딜로이트 설문"}\n{"id": "b", "q": "Cisco consortium"}\n', encoding="utf-8")
    lines = run(["app.py", "search", "--batch", str(batch), "--json"], env, check_rc=0).stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a", "b"]
    assert "79%" in json.loads(lines[0])["results"][0]["text"]


def test_search_readable_output(env):
    run(["-m", "ingest", str(LG_ARTICLE)], env, check_rc=0)
    out = run(["app.py", "search", "애리조나주립대학"], env, check_rc=0).stdout
    assert out.startswith("Query: 애리조나주립대학") and "1. LG는 왜" in out


def test_first_start_ingests_the_sample_articles(tmp_path):
    env = os.environ | {"RAG_DB_DIR": str(tmp_path / "db")}
    out = json.loads(run(["app.py", "search", "청하 청소년 AI 해커톤 대상", "--json"], env, check_rc=0).stdout)
    assert out["results"] and "data/samples" in out["results"][0]["source"]
    listed = json.loads(run(["-m", "ingest", "--list", "--json"], env, check_rc=0).stdout)
    assert len(listed) == len(list((ROOT / "data" / "samples").iterdir()))


def test_switching_embedder_needs_reindex_then_works(env):
    run(["-m", "ingest", str(LG_ARTICLE)], env, check_rc=0)
    other = env | {"RAG_EMBEDDINGS": "hash:256"}
    refused = run(["app.py", "search", "CSET", "--json"], other, check_rc=1)
    assert "--reindex" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert "re-embedded 9 chunks" in run(["-m", "ingest", "--reindex"], other, check_rc=0).stdout
    out = json.loads(run(["app.py", "search", "CSET 보고서", "--json"], other, check_rc=0).stdout)
    assert "AI Faculty Shortage" in out["results"][0]["text"]
    assert run(["-m", "ingest", "--list"], env, check_rc=1).stderr.startswith("error: collection")
