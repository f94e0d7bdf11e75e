"""Loading files, folders and URLs: formats, encodings, limits, and one-line errors for bad input."""

from __future__ import annotations

import io
import shutil
import socket
import subprocess
import threading
import time
import unicodedata
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from ingest.document import LoadError
from ingest.encoding import decode_bytes
from ingest.loaders import FORMATS_BY_SUFFIX, load_file, load_url
from ingest.sources import SUPPORTED_SUFFIXES, expand_sources

MAX = 10 * 1024 * 1024
KOREAN = "인공지능 대학원은 기업이 직접 인재를 키우는 방법입니다. 똠방각하는 CP949에만 있는 글자입니다."
PARAGRAPH = (
    "Retrieval augmented generation grounds the answers of a language model in documents. "
    "The loader has to keep the article and throw away menus, scripts and footers. "
) * 3
KOREAN_PAGE = (
    "<html><head><title>서버 제목</title></head>"
    f"<body><article><p>{KOREAN * 3}</p><p>{PARAGRAPH}</p></article></body></html>"
)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def load_error(path: Path, max_bytes: int = MAX) -> str:
    with pytest.raises(LoadError) as caught:
        load_file(path, max_bytes)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


# --- sources ---------------------------------------------------------------


def test_suffix_tables_agree():
    assert set(FORMATS_BY_SUFFIX) == SUPPORTED_SUFFIXES


def test_expand_sources_walks_folders_sorted_and_skips_hidden(tmp_path):
    for name in ["b/2.md", "b/1.PDF", "a.txt", "skip.xyz", ".hidden.txt", ".git/x.txt", "c/d/e.docx"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    sources, rejected = expand_sources([str(tmp_path)])
    root = tmp_path.resolve()
    assert sources == [str(root / "a.txt"), str(root / "b/1.PDF"), str(root / "b/2.md"), str(root / "c/d/e.docx")]
    assert rejected == []


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("notes.xyz", "unsupported file type .xyz"),
        ("Makefile", "unsupported file type (no extension)"),
        ("missing.txt", "no such file or directory"),
        ("empty_dir", "no supported files in folder"),
    ],
)
def test_expand_sources_reports_unusable_arguments(tmp_path, name, reason):
    (tmp_path / "empty_dir").mkdir()
    for existing in ("notes.xyz", "Makefile"):
        (tmp_path / existing).write_text("x")
    arg = str(tmp_path / name)
    assert expand_sources([arg]) == ([], [(arg, reason)])


def test_expand_sources_keeps_urls_and_dedupes_files(tmp_path, monkeypatch):
    write(tmp_path, "a.md", "# hi")
    monkeypatch.chdir(tmp_path)
    url = "https://example.com/a?b=1"
    sources, rejected = expand_sources([url, "a.md", str(tmp_path / "a.md"), "ftp://host/x"])
    assert sources == [url, str(tmp_path.resolve() / "a.md")]
    assert rejected == [("ftp://host/x", "unsupported URL scheme ftp://")]


# --- encodings -------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (KOREAN.encode("cp949"), KOREAN),
        ("짧은 한글".encode("euc-kr"), "짧은 한글"),
        ("LG AI 대학원".encode("cp949"), "LG AI 대학원"),
        ("\ufeff" + KOREAN, KOREAN),
        (KOREAN.encode("utf-16"), KOREAN),
        ("BOM 없는 UTF-8 " + KOREAN, "BOM 없는 UTF-8 " + KOREAN),
        ("줄1\r\n줄2\r줄3", "줄1\n줄2\n줄3"),
        (unicodedata.normalize("NFD", "한국어 정규화"), "한국어 정규화"),
        ("Grüße aus München, café au lait.".encode("cp1252"), "Grüße aus München, café au lait."),
    ],
)
def test_decode_bytes(data, expected):
    raw = data.encode("utf-8") if isinstance(data, str) else data
    assert decode_bytes(raw, "test") == expected


def test_decode_bytes_prefers_declared_charset():
    assert decode_bytes("Ünïcödé".encode("latin-1"), "t", declared="iso-8859-1") == "Ünïcödé"


def test_decode_bytes_widens_euc_kr_to_cp949():
    text = "★※● 똠 ●※★ 漢字 " * 3  # few syllables, so only the declared label can get this right
    assert decode_bytes(text.encode("cp949"), "t", declared="euc-kr") == text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("人工知能大学院は企業が直接人材を育てる方法です。東京の学校。", "euc-jp"),
        ("人工知能大学院は企業が直接人材を育てる方法です。", "shift_jis"),
        ("人工智能研究生院是企业直接培养人才的方法。", "gbk"),
        ("Привет, как дела? Искусственный интеллект.", "cp1251"),
        ("ㅋㅋㅋ 진짜 웃기다 똠방각하", "cp949"),
    ],
)
def test_decode_bytes_does_not_force_korean(text, encoding):
    assert decode_bytes(text.encode(encoding), "t") == text


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(32)) * 50])
def test_decode_bytes_refuses_binary(data):
    with pytest.raises(LoadError, match=r"^binary content, not text$"):
        decode_bytes(data, "x")


# --- plain text and Markdown files -----------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (("제목입니다\n\n" + KOREAN).encode("cp949"), KOREAN),
        (b"\xef\xbb\xbf" + ("Title line\n\n" + KOREAN).encode("utf-8"), KOREAN),
        (unicodedata.normalize("NFD", "한글 제목\n\n" + KOREAN).encode("utf-8"), KOREAN),
    ],
)
def test_text_file_encodings(tmp_path, data, expected):
    doc = load_file(write(tmp_path, "a.txt", data), MAX)
    assert expected in doc.text
    assert doc.text == unicodedata.normalize("NFC", doc.text)
    assert not any("\u1100" <= ch <= "\u11ff" for ch in doc.text)  # no conjoining jamo left


def test_text_file_is_cleaned_and_identified(tmp_path):
    path = write(
        tmp_path, "article.txt", f"Search\nClose this search box.\n\n헤드라인\n\n#AI\n\n{KOREAN}\n\nPost Views: 3"
    )
    doc = load_file(path, MAX)
    assert (doc.source, doc.title, doc.tags) == (str(path.resolve()), "헤드라인", ["AI"])
    assert doc.text == f"헤드라인\n\n{KOREAN}"


def test_markdown_file(tmp_path):
    doc = load_file(write(tmp_path, "n.md", f"# 마크다운 **제목**\n\n{KOREAN} [링크](http://x)\n"), MAX)
    assert doc.title == "마크다운 제목"
    assert doc.text == f"마크다운 제목\n\n{KOREAN} 링크"


@pytest.mark.parametrize(
    ("name", "data", "max_bytes", "reason"),
    [
        ("empty.txt", b"", MAX, "empty file"),
        ("big.txt", b"x" * 1300, 10, "file too large: 1.3 KB > 10 B limit"),
        ("big.pdf", b"x" * (3 * 1024 * 1024 + 300_000), 2 * 1024 * 1024, "file too large: 3.3 MB > 2 MB limit"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), MAX, "binary content, not text"),
        ("blank.txt", b" \n\n\t\n", MAX, "no text found"),
        ("chrome.txt", b"Search\n\nPost Views: 12\n", MAX, "no text found"),
        ("a.xyz", b"hello", MAX, "unsupported file type .xyz"),
    ],
)
def test_bad_files_give_one_line_reasons(tmp_path, name, data, max_bytes, reason):
    assert load_error(write(tmp_path, name, data), max_bytes) == reason


def test_size_is_checked_before_reading(tmp_path, monkeypatch):
    path = write(tmp_path, "big.txt", b"x" * 100)
    monkeypatch.setattr(Path, "open", lambda *a, **k: pytest.fail("read an oversized file"))
    assert load_error(path, 10).startswith("file too large")


def test_missing_file(tmp_path):
    assert load_error(tmp_path / "gone.txt") == "no such file"


# --- HTML ------------------------------------------------------------------

PAGE = f"""<!DOCTYPE html><html><head><title>Page Title | Site</title>
<script>var leaked = "SCRIPT_TEXT";</script><style>body {{ color: red }} /* STYLE_TEXT */</style></head>
<body><nav><ul><li><a href="/">NAV_HOME</a></li><li><a href="/about">NAV_ABOUT</a></li></ul></nav>
<article><h1>기사 제목</h1><p>{KOREAN * 3}</p><p>{PARAGRAPH}</p>
<table><tr><td>셀 하나</td><td>셀 둘</td></tr></table></article>
<footer>FOOTER_TEXT Copyright 2024</footer></body></html>"""


@pytest.fixture
def page_doc(tmp_path):
    return load_file(write(tmp_path, "page.html", PAGE), MAX)


@pytest.mark.parametrize(
    "absent", ["SCRIPT_TEXT", "STYLE_TEXT", "NAV_HOME", "NAV_ABOUT", "FOOTER_TEXT", "<p>", "color"]
)
def test_html_keeps_only_the_article(page_doc, absent):
    assert absent not in page_doc.text


@pytest.mark.parametrize("present", [KOREAN, PARAGRAPH.strip(), "셀 하나", "셀 둘"])
def test_html_article_text_is_kept(page_doc, present):
    assert present in page_doc.text


def test_html_title(page_doc):
    assert page_doc.title == "기사 제목"


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="euc-kr">',
        '<meta http-equiv="Content-Type" content="text/html; charset=EUC-KR">',
        '<meta charset="cp949">',
    ],
)
def test_html_in_legacy_korean_encoding(tmp_path, head):
    doc = load_file(write(tmp_path, "kr.htm", KOREAN_PAGE.replace("<head>", f"<head>{head}").encode("cp949")), MAX)
    assert KOREAN in doc.text  # 똠 is CP949-only: an EUC-KR label must still decode it


def test_html_meta_charset_beats_guessing(tmp_path):
    kanji = "東京大学 人工知能 研究所"  # as CP949 these bytes read as plausible Hangul
    body = f"<body><article><p>{kanji}</p><p>{PARAGRAPH}</p></article></body>"
    html = f'<html><head><meta charset="euc-jp"></head>{body}</html>'
    assert kanji in load_file(write(tmp_path, "jp.html", html.encode("euc-jp")), MAX).text


@pytest.mark.parametrize("depth", [50, 600])
def test_deeply_nested_html(tmp_path, depth):
    opening, closing = "<div><span>" * depth, "</span></div>" * depth
    html = f"<html><head><title>Deep</title></head><body>{opening}<p>{PARAGRAPH}</p>{closing}</body></html>"
    doc = load_file(write(tmp_path, "deep.html", html), MAX)
    assert PARAGRAPH.strip() in doc.text


def test_absurdly_nested_html_fails_cleanly(tmp_path):
    html = f"<html><body>{'<div>' * 20000}<p>{PARAGRAPH}</p>{'</div>' * 20000}</body></html>"
    try:
        doc = load_file(write(tmp_path, "abyss.html", html), MAX)
    except LoadError as exc:
        assert str(exc) == "no text found"
    else:
        assert PARAGRAPH.strip() in doc.text


def test_html_title_falls_back_to_title_tag(tmp_path):
    html = f"<html><head><title>Only The Title Tag</title></head><body><div><p>{PARAGRAPH}</p></div></body></html>"
    assert load_file(write(tmp_path, "t.html", html), MAX).title == "Only The Title Tag"


# --- PDF -------------------------------------------------------------------


def make_pdf(pages: list[str], title: str | None = None, font: str | None = None) -> bytes:
    pdf = FPDF()
    if font:
        pdf.add_font("cjk", fname=font)
    for text in pages:
        pdf.add_page()
        pdf.set_font("cjk" if font else "helvetica", size=12)
        pdf.multi_cell(0, 8, text)
    if title:
        pdf.set_title(title)
    return identity_encoded(bytes(pdf.output())) if font else bytes(pdf.output())


def identity_encoded(data: bytes) -> bytes:
    """The PDF with its Type0 fonts declared /Identity-H, as real PDFs have them.

    For a CFF font (Noto CJK's .ttc) fpdf2 writes an embedded CMap as /Encoding that pypdf reads one byte
    at a time, which puts a NUL before every character.
    """
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            if font.get_object()["/Subtype"] == "/Type0":
                font.get_object()[NameObject("/Encoding")] = NameObject("/Identity-H")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF_PAGES = [f"Page one says alpha. {PARAGRAPH}", f"Page two says beta. {PARAGRAPH}", "Page three says gamma."]


def test_pdf_pages_and_spans(tmp_path):
    doc = load_file(write(tmp_path, "a.pdf", make_pdf(PDF_PAGES, title="Meta Title")), MAX)
    assert doc.title == "Meta Title"
    assert [number for number, _, _ in doc.pages] == [1, 2, 3]
    for (_, start, end), word in zip(doc.pages, ["alpha", "beta", "gamma"], strict=True):
        assert doc.text[start:end].startswith("Page") and word in doc.text[start:end]
    assert doc.pages[-1][2] == len(doc.text)
    assert doc.text[doc.pages[0][2] : doc.pages[1][1]] == "\n\n"


def test_pdf_title_falls_back_to_first_line(tmp_path):
    doc = load_file(write(tmp_path, "a.pdf", make_pdf(["Quarterly Report\nSecond line here."])), MAX)
    assert doc.title == "Quarterly Report"


def korean_font() -> str | None:
    if not shutil.which("fc-list"):
        return None
    found = subprocess.run(["fc-list", ":lang=ko", "file"], capture_output=True, text=True, check=False).stdout.split()
    # Debian's fonts-noto-cjk ships collections (.ttc); fpdf2 reads the first font of one, which has Hangul.
    fonts = [f.rstrip(":") for f in found if f.rstrip(":").lower().endswith((".ttf", ".otf", ".ttc"))]
    return min(fonts, key=lambda f: ("Regular" not in f, "Sans" not in f, f)) if fonts else None


def test_korean_pdf(tmp_path):
    font = korean_font()
    if font is None:
        pytest.skip("no Korean font on this system (fc-list :lang=ko; Debian: apt-get install fonts-noto-cjk)")
    doc = load_file(write(tmp_path, "ko.pdf", make_pdf(["한국어 제목", KOREAN], font=font)), MAX)
    assert doc.title == "한국어 제목"
    assert "인공지능 대학원" in doc.text


def encrypted(data: bytes, user: str, owner: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user, owner_password=owner)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_encrypted_pdf_is_refused(tmp_path):
    data = encrypted(make_pdf(PDF_PAGES), user="secret", owner="owner")
    assert load_error(write(tmp_path, "locked.pdf", data)) == "encrypted PDF"


def test_pdf_with_empty_user_password_opens(tmp_path):
    data = encrypted(make_pdf(PDF_PAGES), user="", owner="owner")
    assert "beta" in load_file(write(tmp_path, "restricted.pdf", data), MAX).text


def image_only_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


def test_image_only_pdf(tmp_path):
    reason = load_error(write(tmp_path, "scan.pdf", image_only_pdf()))
    assert reason == "no extractable text (scanned/image-only PDF?)"


@pytest.mark.parametrize("keep", [0.9, 0.5, 0.1])
def test_truncated_pdf(tmp_path, keep):
    data = make_pdf(PDF_PAGES)
    assert load_error(write(tmp_path, "cut.pdf", data[: int(len(data) * keep)])).startswith("corrupt PDF: ")


def test_not_a_pdf(tmp_path):
    assert load_error(write(tmp_path, "fake.pdf", b"hello, I am text")).startswith("corrupt PDF: ")


# --- DOCX ------------------------------------------------------------------


def make_docx(core_title: str = "") -> bytes:
    document = docx.Document()
    document.core_properties.title = core_title
    document.add_heading("문서 제목", 0)
    document.add_heading("첫 절", 1)
    document.add_paragraph("첫 문단입니다.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "이름", "값"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "합친 칸"
    document.add_paragraph("표 다음 문단.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_in_document_order(tmp_path):
    doc = load_file(write(tmp_path, "a.docx", make_docx()), MAX)
    assert doc.title == "문서 제목"
    assert doc.text == "문서 제목\n\n첫 절\n\n첫 문단입니다.\n\n이름: 값\n합친 칸\n\n표 다음 문단."
    assert [doc.text[a:b] for a, b in doc.rows] == ["이름: 값", "합친 칸"]


def test_docx_text_is_nfc(tmp_path):
    document = docx.Document()
    document.add_paragraph(unicodedata.normalize("NFD", KOREAN))
    out = io.BytesIO()
    document.save(out)
    assert load_file(write(tmp_path, "nfd.docx", out.getvalue()), MAX).text == KOREAN


def test_docx_core_title_wins(tmp_path):
    assert load_file(write(tmp_path, "a.docx", make_docx("Core Title")), MAX).title == "Core Title"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"PK\x03\x04 not really a zip", "corrupt DOCX: File is not a zip file"),
        (make_docx()[:3000], "corrupt DOCX: File is not a zip file"),
    ],
)
def test_corrupt_docx(tmp_path, data, reason):
    assert load_error(write(tmp_path, "bad.docx", data)) == reason


def test_zip_without_word_parts(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert load_error(write(tmp_path, "empty.docx", out.getvalue())).startswith("corrupt DOCX: There is no item named")


def zip_bomb_docx() -> bytes:
    """A DOCX-shaped zip whose document part inflates 20 MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            for _ in range(20):
                member.write(bytes(1024 * 1024))
    return out.getvalue()


def test_zip_bomb_docx_is_refused_before_unzipping(tmp_path):
    reason = load_error(write(tmp_path, "bomb.docx", zip_bomb_docx()))
    assert reason == "DOCX unzips to 20 MB (limit 10 MB, RAG_MAX_FILE_MB): possible zip bomb"


def test_docx_unzipping_past_the_file_size_limit_is_refused(tmp_path):
    data = make_docx()
    reason = load_error(write(tmp_path, "big.docx", data), max_bytes=len(data) + 1)
    assert reason.startswith("DOCX unzips to ") and reason.endswith("RAG_MAX_FILE_MB): possible zip bomb")


# --- URLs ------------------------------------------------------------------

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class Handler(BaseHTTPRequestHandler):
    """Serves canned responses by path; a few paths misbehave on purpose."""

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def do_GET(self) -> None:
        routes = {
            "/page.html": (200, "text/html; charset=utf-8", PAGE.encode()),
            "/kr": (200, "text/html; charset=euc-kr", KOREAN_PAGE.encode("cp949")),
            "/doc": (200, "application/pdf", make_pdf(PDF_PAGES, title="Served PDF")),
            "/word": (200, DOCX_TYPE, make_docx()),
            "/notes.md": (200, "text/plain", b"# Served Markdown\n\nSome **bold** words in a note."),
            "/zip": (200, "application/zip", b"PK\x03\x04"),
            "/empty": (200, "text/plain", b""),
            "/big": (200, "text/plain", b"x" * 5000),
            "/missing": (404, "text/html", b"<h1>Not found</h1>"),
        }
        if self.path == "/old":
            self.send_response(301)
            self.send_header("Location", "/page.html")
            self.end_headers()
        elif self.path in ("/slow", "/trickle", "/endless"):
            getattr(self, "serve_" + self.path[1:])()
        else:
            status, content_type, body = routes.get(self.path, (404, "text/plain", b"nope"))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def serve_slow(self) -> None:
        time.sleep(2)
        self.send_response(200)
        self.end_headers()

    def serve_trickle(self) -> None:
        self._stream(b"a", pause=0.05, limit=200)

    def serve_endless(self) -> None:
        self._stream(b"x" * 65536, pause=0, limit=10_000)

    def _stream(self, chunk: bytes, pause: float, limit: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        try:
            for _ in range(limit):
                self.wfile.write(chunk)
                self.wfile.flush()
                time.sleep(pause)
        except OSError:  # the client hung up, as it should
            pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_html(server):
    url = f"{server}/page.html"
    doc = load_url(url, MAX, 5)
    assert (doc.source, doc.title) == (url, "기사 제목")
    assert KOREAN in doc.text and "NAV_HOME" not in doc.text and "SCRIPT_TEXT" not in doc.text


def test_url_redirect_keeps_the_given_url_as_source(server):
    doc = load_url(f"{server}/old", MAX, 5)
    assert doc.source == f"{server}/old" and KOREAN in doc.text


def test_url_charset_from_header(server):
    assert KOREAN in load_url(f"{server}/kr", MAX, 5).text


def test_url_pdf_by_content_type(server):
    doc = load_url(f"{server}/doc", MAX, 5)
    assert doc.title == "Served PDF" and len(doc.pages) == 3 and "gamma" in doc.text


def test_url_docx_by_content_type(server):
    assert "합친 칸" in load_url(f"{server}/word", MAX, 5).text


def test_url_generic_type_uses_suffix(server):
    doc = load_url(f"{server}/notes.md", MAX, 5)
    assert doc.title == "Served Markdown" and "Some bold words" in doc.text


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("path", "max_bytes", "timeout", "reason"),
    [
        ("/missing", MAX, 5, "^HTTP 404$"),
        ("/nothing-here", MAX, 5, "^HTTP 404$"),
        ("/slow", MAX, 0.3, r"^timed out after 0.3s$"),
        ("/trickle", MAX, 0.5, r"^timed out after 0.5s$"),
        ("/endless", 1024 * 1024, 10, r"^download too large: more than 1 MB$"),
        ("/big", 1000, 5, r"^download too large: 4.9 KB > 1000 B limit$"),
        ("/zip", MAX, 5, "^unsupported content type application/zip$"),
        ("/empty", MAX, 5, "^empty response$"),
    ],
)
def test_url_failures(server, path, max_bytes, timeout, reason):
    started = time.monotonic()
    with pytest.raises(LoadError, match=reason):
        load_url(f"{server}{path}", max_bytes, timeout)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (f"http://127.0.0.1:{closed_port()}/", "^cannot connect: "),
        ("http://[::1/x", "^invalid URL: "),
        ("htp://x", "^invalid URL: "),
    ],
)
def test_url_cannot_connect(url, reason):
    with pytest.raises(LoadError, match=reason):
        load_url(url, MAX, 2)
