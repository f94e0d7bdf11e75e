"""PDF text: lines the layout wrapped inside a sentence are joined (Korean and English); junk metadata titles lose."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from fpdf import FPDF

from answer.pipeline import Answerer
from conftest import make_settings
from ingest.cleaning import metadata_title
from ingest.linewrap import join_wrapped_lines
from ingest.loaders import load_file
from ingest.pipeline import ingest_paths
from rag.index import SearchIndex
from rag.retrieval import Retriever

MAX = 10 * 1024 * 1024
FILLER = "교육은 주민센터와 구립도서관에서 열리며 신청한 주민은 누구나 무료로 참여할 수 있는 과정이"
KOREAN_LINES = [
    "새빛구 디지털 배움터 사업 안내",
    "새빛구 디지털혁신과는 어르신을 위한 디지털 배움터를 올해도 운영한다. 올해 사업 예산은",
    "6억 2천만 원이다. 교육은 주민센터와 구립도서관에서 열리며 신청한 주민은 누구나 무료로 참",
    "여할 수 있다. 담당 부서는 디지털혁신과이며 문의는 구청 대표 전화로 받고 접수는 3월에 시작",
    "한다.",
]
ENGLISH_LINES = [
    "Brightwater Coding Academy",
    "The academy opened in 2019 and trains about two hundred adults a year in data and software skills.",
    "Classes run on weekday evenings at the town library, and the person in charge of the teaching is",
    "Ilse Brandvold, who joined from a university in Bergen and designed the twelve-week curriculum",
    "that every cohort follows.",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Korean: a word cut by the line end meets without a space, two words with one
        (f"{FILLER}\n다. 다음 문장.", f"{FILLER}다. 다음 문장."),
        (f"{FILLER} 교육을\n실시한다.", f"{FILLER} 교육을 실시한다."),
        # English: the next line may start with a capital when the line ended in lower case
        ("The person in charge of the programme's teaching is\nIlse Brandvold.",
         "The person in charge of the programme's teaching is Ilse Brandvold."),
        # kept apart: sentence ends, headings, list items, short lines
        (f"{FILLER}다.\n다음 문단입니다.", f"{FILLER}다.\n다음 문단입니다."),
        ("Quarterly Report\nSecond line here.", "Quarterly Report\nSecond line here."),
        (f"과정 안내\n{FILLER}다.", f"과정 안내\n{FILLER}다."),
        (f"{FILLER}\n- 둘째 항목", f"{FILLER}\n- 둘째 항목"),
        (f"가. {FILLER}\n나. 둘째 항목", f"가. {FILLER}\n나. 둘째 항목"),
    ],
)
def test_wrapped_lines_are_joined_and_others_kept(text, expected):
    assert join_wrapped_lines(text) == expected


@pytest.mark.parametrize("junk", ["about:blank", "Untitled", "untitled document", "Microsoft Word - 공고문.docx",
                                  "report_final.pdf", "제목 없음", "PowerPoint Presentation", "C:\\Users\\kim\\a"])
def test_junk_metadata_titles(junk):
    assert metadata_title(junk) == ""


def test_real_metadata_titles_are_kept():
    assert metadata_title("  2026 디지털 배움터   안내 ") == "2026 디지털 배움터 안내"


def korean_font() -> str | None:
    """A Korean font file, including the .ttc collections Debian's fonts-noto-cjk ships."""
    if not shutil.which("fc-list"):
        return None
    found = subprocess.run(["fc-list", ":lang=ko", "file"], capture_output=True, text=True, check=False).stdout.split()
    fonts = sorted(f.rstrip(":") for f in found if f.rstrip(":").lower().endswith((".ttf", ".otf", ".ttc")))
    return next((f for f in fonts if "Regular" in f), fonts[0] if fonts else None)


def lines_pdf(lines: list[str], title: str | None = None, font: str | None = None) -> bytes:
    """A PDF with a hard line break after each given line, as word processors lay text out."""
    pdf = FPDF()
    pdf.add_page()
    if font:
        pdf.add_font("ko", fname=font)
        pdf.set_font("ko", size=10)
    else:
        pdf.set_font("helvetica", size=10)
    for line in lines:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    if title:
        pdf.set_title(title)
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf-text")
    made = {"english.pdf": lines_pdf(ENGLISH_LINES, title="Microsoft Word - academy_v3.docx")}
    font = korean_font()
    if font:
        made["korean.pdf"] = lines_pdf(KOREAN_LINES, title="about:blank", font=font)
    for name, data in made.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in made}


def korean(pdfs) -> Path:
    if "korean.pdf" not in pdfs:
        pytest.skip("no Korean font on this system (fc-list :lang=ko)")
    return pdfs["korean.pdf"]


def test_english_pdf_sentence_survives_the_line_break(pdfs):
    doc = load_file(pdfs["english.pdf"], MAX)
    assert "the teaching is Ilse Brandvold, who joined" in doc.text
    assert doc.title == "Brightwater Coding Academy"  # not "Microsoft Word - academy_v3.docx"


def test_korean_pdf_sentence_survives_the_line_break(pdfs):
    doc = load_file(korean(pdfs), MAX)
    assert "올해 사업 예산은 6억 2천만 원이다." in doc.text
    assert "누구나 무료로 참여할 수 있다." in doc.text and "접수는 3월에 시작한다." in doc.text
    assert doc.title == "새빛구 디지털 배움터 사업 안내"  # not "about:blank"


@pytest.fixture(scope="module")
def answerer(tmp_path_factory, pdfs):
    settings = make_settings(tmp_path_factory.mktemp("pdf-answers"))
    index = SearchIndex(settings)
    assert all(r.status == "added" for r in ingest_paths(settings, [str(p) for p in pdfs.values()], index=index))
    return Answerer(Retriever(index), settings)


def test_korean_answer_is_not_cut_at_the_line_break(answerer, pdfs):
    korean(pdfs)
    answer = answerer.ask("새빛구 디지털 배움터 사업 예산은 얼마야?")
    assert not answer.refused and "6억 2천만 원이다" in answer.answer, answer.answer
    assert any("6억 2천만 원이다" in c.text for c in answer.citations)


def test_english_answer_names_the_whole_name(answerer):
    answer = answerer.ask("Who is in charge of the teaching at Brightwater Coding Academy?")
    assert not answer.refused and "Ilse Brandvold" in answer.answer, answer.answer
