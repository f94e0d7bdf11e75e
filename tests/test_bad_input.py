"""The bad-input suite: each bad input gets a one-line reason naming it, the rest are ingested, nothing else changes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from test_loaders import encrypted, image_only_pdf, make_pdf, server, zip_bomb_docx  # noqa: F401 - server is a fixture

from conftest import ROOT, make_settings
from ingest.pipeline import ingest_paths
from rag.index import SearchIndex
from rag.retrieval import Retriever

GOOD = "좋은 문서입니다. 한결전자는 2018년 AI 연수원을 세웠고 수료생은 240명이다."


PDF = make_pdf(["Page one of a real report about AI academies. " * 5])
# name -> (bytes, expected reason fragment)
BAD_FILES = {
    "zero.txt": (b"", "empty file"),
    "binary.txt": (bytes(range(256)) * 64, "binary content"),
    "truncated.pdf": (PDF[: len(PDF) // 2], "PDF"),
    "encrypted.pdf": (encrypted(PDF, user="secret", owner="owner"), "encrypted PDF"),
    "scan.pdf": (image_only_pdf(), "no extractable text"),
    "huge.txt": (b"a" * (2 * 1024 * 1024), "file too large"),
    "corrupt.docx": (b"PK\x03\x04 not a zip at all", "corrupt DOCX"),
    "bomb.docx": (zip_bomb_docx(), "zip bomb"),
    "broken.md": (b"\xff\xfe\xfa" + bytes(range(128, 256)) * 40, ""),
    "script-only.html": (b"<html><body><script>alert(1)</script><style>p{color:red}</style></body></html>", "no text"),
}
GOOD_FILES = {
    "good.txt": GOOD.encode("utf-8"),
    "cp949 한글 이름.txt": "씨피구사구 문서: 새롬대학교는 2017년 AI 캠프를 열었다. 똠방각하.".encode("cp949"),
    "it's \"quoted\".md": b"# Quoted\n\nNamed with quotes and spaces; Brightline trained 75 people.",
    "hostile.html": (
        b"<html><head><title>Hostile</title><script>window.pwned=1</script></head><body>"
        + b"<div>" * 300 + b"<article><p>Deeply nested article: Orchid Labs hired 31 AI engineers in 2020.</p></article>"
        + b"</div>" * 300 + b"<footer>Copyright footer</footer></body></html>"
    ),
}
BAD_URLS = {"/missing": "HTTP 404", "/slow": "timed out", "/endless": "download too large"}


@pytest.fixture(scope="module")
def outcome(tmp_path_factory, server):  # noqa: F811
    tmp = tmp_path_factory.mktemp("bad")
    folder = tmp / "inputs"
    folder.mkdir()
    for name, (data, _) in BAD_FILES.items():
        (folder / name).write_bytes(data)
    for name, data in GOOD_FILES.items():
        (folder / name).write_bytes(data)
    settings = make_settings(tmp, max_file_mb=1, url_timeout=1)
    index = SearchIndex(settings)
    urls = [server + path for path in BAD_URLS]
    (tmp / "slides.key").write_bytes(b"PK\x03\x04")  # named explicitly: folder walks skip unsupported types
    results = ingest_paths(settings, [folder, tmp / "does-not-exist.txt", tmp / "slides.key", *urls], index=index)
    return {os.path.basename(r.source.rstrip("/")) if "://" not in r.source else r.source: r for r in results}, index


def test_at_least_fifteen_bad_inputs_were_tried():
    assert len(BAD_FILES) + len(BAD_URLS) + 2 >= 15


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_fails_with_one_line_reason(outcome, name):
    results, _ = outcome
    result = results[name]
    assert result.status == "failed"
    assert BAD_FILES[name][1] in result.reason and "\n" not in result.reason
    assert name in result.line()


@pytest.mark.parametrize("path", sorted(BAD_URLS))
def test_bad_url_fails_with_one_line_reason(outcome, path):
    results, _ = outcome
    result = next(r for source, r in results.items() if source.endswith(path))
    assert result.status == "failed" and BAD_URLS[path] in result.reason and "\n" not in result.reason


def test_missing_path_and_unsupported_type_are_reported(outcome):
    assert outcome[0]["does-not-exist.txt"].reason == "no such file or directory"
    assert outcome[0]["slides.key"].reason == "unsupported file type .key"


def test_good_files_beside_bad_ones_are_ingested_and_nothing_else(outcome):
    results, index = outcome
    assert {name for name, r in results.items() if r.status == "added"} == set(GOOD_FILES)
    stored = {os.path.basename(d["source"]) for d in index.store.documents()}
    assert stored == set(GOOD_FILES)
    assert set(index.lexical.ids) == set(index.store.chunk_ids())


def test_hostile_html_keeps_article_drops_script_and_footer(outcome):
    _, index = outcome
    passage = Retriever(index).search("Orchid Labs AI engineers", 1)[0]
    assert "Orchid Labs hired 31" in passage.text
    assert "pwned" not in passage.text and "Copyright footer" not in passage.text


def test_cli_on_bad_inputs_prints_no_traceback(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (data, _) in list(BAD_FILES.items())[:6]:
        (folder / name).write_bytes(data)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    env = os.environ | {"RAG_DB_DIR": str(tmp_path / "db"), "RAG_MAX_FILE_MB": "1"}
    proc = subprocess.run([sys.executable, "-m", "ingest", str(folder)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    assert proc.stdout.count("failed: ") == 6 and proc.stdout.count("added: ") == 1
