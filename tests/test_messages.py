"""Result lines name two different sources so that a person can tell them apart."""

from __future__ import annotations

import pytest

from conftest import make_settings
from ingest.pipeline import ingest_paths
from ingest.result import distinct_names
from ui.documents import DocumentsTab
from ui.services import Services

TEXT = "보안 점검 결과 서버 세 대에서 취약점이 발견되었다. 담당자는 이번 주 안에 조치를 마칠 예정이다. " * 3


@pytest.mark.parametrize(("first", "second", "expected"), [
    ("/srv/db/uploads/b.md", "/srv/db/uploads/a.md", ("b.md", "a.md")),
    ("/srv/db/uploads/server_secret.txt", "/home/kim/secret/server_secret.txt",
     ("uploads/server_secret.txt", "secret/server_secret.txt")),
    ("/a/x/same/f.txt", "/b/x/same/f.txt", ("a/x/same/f.txt", "b/x/same/f.txt")),
    ("https://news.example/a/post", "https://blog.example/a/post", ("https://news.example/a/post", "https://blog.example/a/post")),
    ("https://news.example/post.html", "/srv/docs/post.html", ("https://news.example/post.html", "post.html")),
])
def test_distinct_names(first, second, expected):
    assert distinct_names(first, second) == expected


def test_an_upload_duplicating_a_file_of_the_same_name_says_which_is_which(tmp_path):
    original = tmp_path / "secret" / "server_secret.txt"
    original.parent.mkdir()
    original.write_text(TEXT, encoding="utf-8")
    services = Services(make_settings(tmp_path), seed_samples=False)
    assert [r.status for r in ingest_paths(services.settings, [original], index=services.index())] == ["added"]
    upload = tmp_path / "browser-temp" / "server_secret.txt"
    upload.parent.mkdir()
    upload.write_text(TEXT, encoding="utf-8")
    log = DocumentsTab(services).upload([str(upload)])[0]
    assert log == "duplicate: uploads/server_secret.txt (same text as secret/server_secret.txt)"
