"""The product's front door.

    python app.py                      serve the web app (RAG_HOST:RAG_PORT)
    python app.py search "QUERY" ...   retrieved passages
    python app.py ask "QUESTION" ...   a grounded, cited answer (QUESTION - reads it from standard input)
    python app.py --help               usage; any other arguments are a usage error (exit 2)

Importing this module starts nothing; `demo` (the Gradio app) is built on first access.
"""

from __future__ import annotations

import sys


def __getattr__(name: str):
    # Built lazily so that `search`/`ask` never pay for importing Gradio.
    if name == "demo":
        from ui.app import build_demo

        globals()["demo"] = build_demo()
        return globals()["demo"]
    raise AttributeError(name)


def serve() -> None:
    from ui.app import launch

    launch(__getattr__("demo"))


if __name__ == "__main__":
    if len(sys.argv) > 1:  # a command, --help, or a mistake: never a server started by accident
        from cli import main

        sys.exit(main(sys.argv[1:]))
    serve()
