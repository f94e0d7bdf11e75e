"""Refresh the README's picture: `python tests/readme_screenshot.py [PATH]` (default docs/screenshot.png).

Starts `python app.py` on a temporary store with the sample articles, asks a question and a follow-up in Debian's
chromium at 1400 px, opens the cited passage and the retrieval inspector, and saves a full-page screenshot.
The tests never write into the repository; this is the one explicit command that does.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: the project's packages too

from app_process import running_app  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from conftest import ROOT  # noqa: E402

WAIT_MS = 90_000


def take(path: Path) -> None:
    with tempfile.TemporaryDirectory() as folder, running_app(Path(folder)) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        page = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ko-KR").new_page()
        page.goto(url)
        for question in ("청람 AI 아카데미는 언제 문을 열었나요?", "그럼 누적 수료생은 몇 명인가요?"):
            answers = page.locator("#chatbot .answer")
            before = answers.count()
            page.locator("#question textarea").fill(question)
            page.locator("#send").click()
            expect(answers.nth(before)).not_to_have_class(re.compile("pending"), timeout=WAIT_MS)
        page.locator("#chatbot a.cite-ref").last.click()
        page.locator("#inspector").get_by_text("Retrieval inspector").click()
        expect(page.locator("#passages")).to_contain_text("청람정밀")
        page.evaluate("document.fonts.ready")
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        browser.close()
    print(f"wrote {path}")


if __name__ == "__main__":
    take(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.png")
