"""A local stand-in for a partner's webhook receiver: a small WSGI app on 127.0.0.1 (port
chosen by the system) in a thread, recording each request and answering scripted codes."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

TIMEOUT = "timeout"  # a scripted answer: sleep past the sender's timeout, then 200


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class _Quiet(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class StandIn:
    """``script``: the answers to give in turn (a status code, or ``TIMEOUT``), then
    ``default`` for every further request."""

    def __init__(self, default: int = 200, sleep_seconds: float = 1.0) -> None:
        self.default = default
        self.sleep_seconds = sleep_seconds
        self.script: list[int | str] = []
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._server = make_server(
            "127.0.0.1", 0, self._app, server_class=_ThreadingServer, handler_class=_Quiet
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/hooks"

    def _app(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        with self._lock:
            self.received.append(Received(environ["PATH_INFO"], headers, body))
            answer = self.script.pop(0) if self.script else self.default
        if answer == TIMEOUT:
            time.sleep(self.sleep_seconds)
            answer = 200
        extra = [("Location", "http://127.0.0.1:1/elsewhere")] if 300 <= answer < 400 else []
        start_response(f"{answer} Scripted", [("Content-Type", "text/plain"), *extra])
        return [b"ok"]

    def start(self) -> StandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
