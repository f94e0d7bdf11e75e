"""A tiny OpenAI-compatible chat server for tests: canned replies, SSE streaming, recorded requests."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeOpenAIServer:
    """Serves /v1/chat/completions on 127.0.0.1; replies come from a queue (the last one repeats)."""

    def __init__(self, replies: list[str] | None = None, chunk_chars: int = 8, status: int = 200):
        self.replies = deque(replies or ["The documents don't say."])
        self.chunk_chars = chunk_chars
        self.status = status  # anything but 200 answers every request with that error
        self.requests: list[dict] = []  # {"path", "headers", "body"}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/v1"

    def __enter__(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def next_reply(self) -> str:
        return self.replies.popleft() if len(self.replies) > 1 else self.replies[0]

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                server.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
                    return
                if server.status != 200:
                    self._send(server.status, {"error": {"message": "Incorrect API key provided: "
                               + self.headers.get("Authorization", ""), "type": "invalid_request_error"}})
                    return
                reply = server.next_reply()
                if body.get("stream"):
                    self._stream(body.get("model", "fake"), reply)
                else:
                    self._send(200, _completion(body.get("model", "fake"), reply))

            def _send(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, model: str, reply: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                pieces = [reply[i : i + server.chunk_chars] for i in range(0, len(reply), server.chunk_chars)]
                for n, piece in enumerate(pieces):
                    delta = {"role": "assistant", "content": piece} if n == 0 else {"content": piece}
                    self._event(_chunk(model, delta, None))
                self._event(_chunk(model, {}, "stop"))
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

            def _event(self, payload: dict) -> None:
                self.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())
                self.wfile.flush()

        return Handler


def _completion(model: str, text: str) -> dict:
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(model: str, delta: dict, finish: str | None) -> dict:
    return {
        "id": "chatcmpl-test", "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def closed_port_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
