"""Greetings, thanks and "what can you do?": a short help reply in the user's language, instead of
a search that would quote some random fact."""

from __future__ import annotations

import re

_KOREAN = re.compile(
    r"^(?:안녕(?:하세요|하십니까)?|반가워(?:요)?|반갑습니다|고마워(?:요)?|감사(?:합니다|해요)|하이|헬로|도움말|사용법"
    r"|(?:너는?|넌|당신은?)\s*(?:누구|뭐)(?:야|니|세요|예요|인가요)?"
    r"|(?:뭘|무엇을|뭐)\s*(?:할 수 있어|할 수 있나요|할 수 있니|도와줄 수 있어|할 줄 알아)(?:요)?"
    r"|어떻게\s*(?:써|쓰나요|사용해|사용하나요))$")
_ENGLISH = re.compile(
    r"^(?:hi|hello|hey|good (?:morning|afternoon|evening)|thanks|thank you|help|who are you|what are you"
    r"|what can you do|how do i use (?:this|you)|what do you do)(?: there)?$", re.I)
HELP = {
    "ko": "안녕하세요! 올려 두신 문서에서 답을 찾아 드립니다. 문서에 대해 물어보세요. "
          "예: \"그 프로그램은 언제 시작했어?\" 답에는 근거 문서 번호 [1]가 붙고, 문서에 없는 내용은 없다고 말씀드립니다.",
    "en": "Hi! I answer questions from the documents you have added. Ask about them, e.g. \"When did the "
          "program start?\" Each answer cites its source as [1], and I say so when the documents don't answer.",
}


def help_reply(message: str) -> str | None:
    """The help reply when `message` is only a greeting, a thank-you or a question about the bot."""
    text = re.sub(r"[\s!?.~,ㅎㅋ^]+$", "", message.strip()).strip()
    if _KOREAN.match(text):
        return HELP["ko"]
    if _ENGLISH.match(text):
        return HELP["en"]
    return None
