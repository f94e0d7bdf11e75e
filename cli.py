"""`python app.py search|ask`: retrieval and answers from the command line, JSON or readable."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator

from rag.settings import get_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python app.py", description="Korean/English RAG over your articles. With no command: serve the web app "
        "on RAG_HOST:RAG_PORT (default http://127.0.0.1:7860).")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{search,ask}")
    for name, helptext in (("search", "show the passages retrieved for a query"), ("ask", "answer a question")):
        sub = commands.add_parser(name, help=helptext, description=helptext)
        sub.add_argument("text", nargs="?", metavar="QUERY", help="the query or question; - reads it from standard input")
        sub.add_argument("--batch", metavar="FILE.jsonl", help='lines of {"id", "q"}; one JSON line out per line')
        sub.add_argument("--k", type=_positive, default=None, help="passages to retrieve (default RAG_TOP_K)")
        sub.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _read_batch(path: str) -> Iterator[dict]:
    with open(path, encoding="utf-8-sig") as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                try:
                    item = json.loads(line)
                    yield {"id": item.get("id", number), "q": str(item["q"])}
                except (ValueError, KeyError, AttributeError):
                    raise SystemExit(f'error: {path}:{number}: expected a JSON object with "q"') from None


def search_json(retriever, query: str, k: int) -> dict:
    passages = retriever.search(query, k)
    results = [
        {"rank": rank, "doc_id": p.doc_id, "source": p.source, "title": p.title, "chunk_id": p.chunk_id,
         "text": p.text, "score": p.score}
        for rank, p in enumerate(passages, 1)
    ]
    return {"query": query, "results": results}


def print_search(result: dict) -> None:
    print(f"Query: {result['query']}")
    for r in result["results"]:
        snippet = " ".join(r["text"].split())[:200]
        print(f"\n{r['rank']}. {r['title']}  (score {r['score']:.4f})\n   {r['source']}\n   {snippet}")
    if not result["results"]:
        print("no matching passages")


def print_answer(result: dict) -> None:
    print(result["answer"])
    if result["citations"]:
        print("\nSources:")
    for c in result["citations"]:
        print(f"[{c['n']}] {c['title']} — {c['source']}")


def _run(args, handle: Callable[[str], dict], show: Callable[[dict], None]) -> int:
    if args.batch:
        for item in _read_batch(args.batch):
            print(json.dumps({"id": item["id"], **handle(item["q"])}, ensure_ascii=False), flush=True)
        return 0
    result = handle(args.text)
    print(json.dumps(result, ensure_ascii=False, indent=2)) if args.json else show(result)
    return 0


def main(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if bool(args.text) == bool(args.batch):
        parser.error("give either a QUERY or --batch FILE.jsonl")
    if args.text == "-":
        args.text = sys.stdin.read().strip()
        if not args.text:
            parser.error("nothing on standard input (QUERY was -)")
    from rag.korean import warm_up

    warm_up()  # Kiwi loads while Chroma and LangChain are imported
    settings = get_settings()
    k = args.k or settings.top_k
    from rag.service import open_retriever

    try:
        retriever = open_retriever(settings)
        if args.command == "search":
            return _run(args, lambda q: search_json(retriever, q, k), print_search)
        from answer.pipeline import Answerer

        answerer = Answerer(retriever, settings.model_copy(update={"top_k": k}))
        return _run(args, lambda q: answerer.ask(q).to_json(), print_answer)
    except Exception as exc:  # noqa: BLE001 - the edge: every failure becomes one line for the user
        from rag.errors import user_message

        print(f"error: {user_message(exc)}", file=sys.stderr)
        return 1
