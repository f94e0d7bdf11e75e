"""The public command shapes: python -m ingest ... and python app.py search ..."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT

ACADEMY = ROOT / "data" / "samples" / "ko-cheongram-ai-academy.md"
CONSORTIUM = ROOT / "data" / "samples" / "en-meuse-rhine-ai-workforce-consortium.md"


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
    run(["-m", "ingest", str(folder / "good.md"), str(ACADEMY)], env, check_rc=0)
    docs = json.loads(run(["-m", "ingest", "--list", "--json"], env, check_rc=0).stdout)
    assert {d["title"] for d in docs} == {"좋은 문서", "청람정밀 사내 'AI 아카데미', 문 연 지 3년 만에 수료생 300명 넘었다"}
    assert all(set(d) == {"doc_id", "source", "title", "chunks", "ingested_at"} and d["chunks"] > 0 for d in docs)
    deleted = run(["-m", "ingest", "--delete", str(folder / "good.md")], env, check_rc=0)
    assert deleted.stdout.startswith("deleted: 좋은 문서")
    academy = next(d for d in docs if d["title"].startswith("청람"))
    run(["-m", "ingest", "--delete", academy["doc_id"]], env, check_rc=0)
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
    run(["-m", "ingest", str(ACADEMY), str(CONSORTIUM)], env, check_rc=0)
    out = json.loads(run(["app.py", "search", "청람 AI 아카데미 겸임 교수", "--k", "3", "--json"], env, check_rc=0).stdout)
    assert out["query"] == "청람 AI 아카데미 겸임 교수" and len(out["results"]) == 3
    first = out["results"][0]
    assert set(first) == {"rank", "doc_id", "source", "title", "chunk_id", "text", "score"}
    assert first["rank"] == 1 and "17명의 사내 엔지니어" in first["text"]
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": "a", "q": "도장 불량률"}\n{"id": "b", "q": "Meuse-Rhine consortium"}\n', encoding="utf-8")
    lines = run(["app.py", "search", "--batch", str(batch), "--json"], env, check_rc=0).stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a", "b"]
    assert "18%" in json.loads(lines[0])["results"][0]["text"]
    assert json.loads(lines[1])["results"][0]["source"].endswith("en-meuse-rhine-ai-workforce-consortium.md")


def test_search_readable_output(env):
    run(["-m", "ingest", str(ACADEMY)], env, check_rc=0)
    out = run(["app.py", "search", "남해공과대학교"], env, check_rc=0).stdout
    assert out.startswith("Query: 남해공과대학교") and "1. 청람정밀 사내" in out


@pytest.mark.parametrize("command", ["search", "ask"])
def test_a_dash_reads_the_question_from_standard_input(env, command):
    run(["-m", "ingest", str(ACADEMY)], env, check_rc=0)
    proc = subprocess.run([sys.executable, "app.py", command, "-", "--json"], cwd=ROOT, env=env,
                          input="청람 AI 아카데미 원장은 누구?\n", capture_output=True, text=True, timeout=300)
    out = json.loads(proc.stdout)
    assert out.get("query", out.get("question")) == "청람 AI 아카데미 원장은 누구?"
    assert "박서윤" in json.dumps(out, ensure_ascii=False)


def test_help_prints_usage_without_serving(env):
    proc = run(["app.py", "--help"], env | {"RAG_PORT": "1"}, check_rc=0)  # port 1: a server could not even bind
    assert proc.stdout.startswith("usage: python app.py") and "search" in proc.stdout and "ask" in proc.stdout


@pytest.mark.parametrize(("args", "error"), [
    (["serach", "x"], "invalid choice: 'serach'"),
    (["search", "x", "--k", "0"], "argument --k: must be 1 or more, not 0"),
    (["ask", "x", "--k", "-3"], "argument --k: must be 1 or more, not -3"),
    (["search", "x", "--k", "many"], "argument --k: not a whole number"),
    (["--port", "8000"], "invalid choice: '8000'"),
])
def test_usage_errors_of_app_py_exit_2(env, args, error):
    proc = run(["app.py", *args], env | {"RAG_PORT": "1"}, check_rc=2)
    assert proc.stderr.startswith("usage: python app.py") and error in proc.stderr


def test_first_start_ingests_the_sample_articles(tmp_path):
    env = os.environ | {"RAG_DB_DIR": str(tmp_path / "db")}
    out = json.loads(run(["app.py", "search", "청하 청소년 AI 해커톤 대상", "--json"], env, check_rc=0).stdout)
    assert out["results"] and "data/samples" in out["results"][0]["source"]
    listed = json.loads(run(["-m", "ingest", "--list", "--json"], env, check_rc=0).stdout)
    assert len(listed) == len(list((ROOT / "data" / "samples").iterdir()))


def test_switching_embedder_needs_reindex_then_works(env):
    added = run(["-m", "ingest", str(ACADEMY)], env, check_rc=0).stdout
    chunks = int(added.split("(", 1)[1].split()[0])
    other = env | {"RAG_EMBEDDINGS": "hash:256"}
    refused = run(["app.py", "search", "청람", "--json"], other, check_rc=1)
    assert "--reindex" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert f"re-embedded {chunks} chunks" in run(["-m", "ingest", "--reindex"], other, check_rc=0).stdout
    out = json.loads(run(["app.py", "search", "도장 불량률", "--json"], other, check_rc=0).stdout)
    assert "18%" in out["results"][0]["text"]
    assert run(["-m", "ingest", "--list"], env, check_rc=1).stderr.startswith("error: collection")


def test_an_offline_ask_never_imports_langchain(env):
    """LangChain's import costs most of a second of cold start; only an LLM backend needs it."""
    ask = ("import runpy, sys; sys.argv = ['app.py', 'ask', '청람 AI 아카데미는 언제 생겼어?', '--json']\n"
           "try:\n    runpy.run_path('app.py', run_name='__main__')\nexcept SystemExit:\n    pass\n"
           "print(sorted(m for m in sys.modules if m.startswith(('langchain', 'langsmith'))), file=sys.stderr)")
    proc = run(["-c", ask], env | {"RAG_SAMPLES_DIR": str(ROOT / "data" / "samples"), "RAG_LLM": "extractive"}, 0)
    assert json.loads(proc.stdout)["citations"], proc.stdout
    assert proc.stderr.strip().splitlines()[-1] == "[]"
