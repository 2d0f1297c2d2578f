"""Local stand-ins for the systems around the platform: small WSGI apps in a thread on
127.0.0.1 that speak the documented request and answer shapes (and their failures), so the
contract tests need no network. Each records what it received; ``mode`` scripts its next
answers."""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args) -> None:  # no request lines in the test output
        pass


class _ThreadingServer(WSGIServer):
    daemon_threads = True

    def process_request(self, request, client_address):  # one thread per request
        thread = threading.Thread(target=self._handle, args=(request, client_address), daemon=True)
        thread.start()

    def _handle(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        finally:
            self.shutdown_request(request)


@dataclass
class Received:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


@dataclass
class StandIn:
    """A running stand-in: ``url`` to configure, ``received`` to assert on."""

    app: object
    received: list[Received] = field(default_factory=list)
    server: object = None
    url: str = ""

    def start(self) -> StandIn:
        def recording(environ, start_response):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            headers = {
                key[5:].replace("_", "-").title(): value
                for key, value in environ.items()
                if key.startswith("HTTP_")
            }
            if environ.get("CONTENT_TYPE"):
                headers["Content-Type"] = environ["CONTENT_TYPE"]
            self.received.append(
                Received(
                    environ["REQUEST_METHOD"],
                    environ["PATH_INFO"],
                    environ.get("QUERY_STRING", ""),
                    headers,
                    body,
                )
            )
            return self.app(environ, start_response, body)

        self.server = make_server(
            "127.0.0.1", 0, recording, server_class=_ThreadingServer, handler_class=_Quiet
        )
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _json(start_response, status: str, document: dict) -> list[bytes]:
    body = json.dumps(document).encode()
    start_response(status, [("Content-Type", "application/json")])
    return [body]


@dataclass
class Dhis2StandIn:
    """DHIS2's Web API as the push uses it (2.36+ WebMessage answers): ``GET
    /api/system/info``, ``POST /api/dataValueSets``. ``mode``: "ok", "conflict" (409, atomic:
    nothing imported), "warning" (200, some values ignored), "error" (500), "slow" (answers
    after ``delay`` seconds), "html" (200 with a login page)."""

    username: str = "cpims"
    password: str = "district"
    mode: str = "ok"
    delay: float = 3.0
    modes: list[str] = field(default_factory=list)  # next answers' modes, then ``mode``
    imported: dict[tuple, str] = field(default_factory=dict)  # (de, period, ou, coc) -> value

    def _authorised(self, environ) -> bool:
        expected = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return environ.get("HTTP_AUTHORIZATION", "") == f"Basic {expected}"

    def __call__(self, environ, start_response, body: bytes):
        if not self._authorised(environ):
            start_response("401 Unauthorized", [("WWW-Authenticate", 'Basic realm="DHIS2"')])
            return [b""]
        path = environ["PATH_INFO"]
        if path == "/api/system/info" and environ["REQUEST_METHOD"] == "GET":
            return _json(start_response, "200 OK", {"version": "2.40.3", "revision": "x"})
        if path != "/api/dataValueSets" or environ["REQUEST_METHOD"] != "POST":
            return _json(start_response, "404 Not Found", {"httpStatusCode": 404})
        mode = self.modes.pop(0) if self.modes else self.mode
        if mode == "slow":
            time.sleep(self.delay)
        if mode == "error":
            return _json(start_response, "500 Internal Server Error", {"httpStatusCode": 500})
        if mode == "html":
            start_response("200 OK", [("Content-Type", "text/html")])
            return [b"<html>login</html>"]
        query = dict(p.split("=", 1) for p in environ.get("QUERY_STRING", "").split("&") if p)
        values = json.loads(body)["dataValues"]
        for value in values:
            for key in ("dataElement", "period", "orgUnit", "categoryOptionCombo", "value"):
                if key not in value:
                    return self._summary(start_response, "409 Conflict", "ERROR", ignored=1)
        if mode == "conflict":
            conflicts = [{"object": values[0]["dataElement"], "value": "Data element not found"}]
            return self._summary(
                start_response, "409 Conflict", "ERROR", ignored=len(values), conflicts=conflicts
            )
        imported = updated = ignored = 0
        for value in values:
            if mode == "warning" and value is values[-1]:
                ignored += 1
                continue
            key = (
                value["dataElement"],
                value["period"],
                value["orgUnit"],
                value["categoryOptionCombo"],
            )
            if key in self.imported:
                updated += 1
            else:
                imported += 1
            if query.get("dryRun") != "true":
                self.imported[key] = value["value"]
        conflicts = [{"object": "x", "value": "Value not a number"}] if ignored else []
        status = "WARNING" if ignored else "SUCCESS"
        return self._summary(
            start_response,
            "200 OK",
            status,
            imported=imported,
            updated=updated,
            ignored=ignored,
            conflicts=conflicts,
        )

    def _summary(self, start_response, http: str, status: str, conflicts=(), **counts):
        code = int(http.split()[0])
        count = {"imported": 0, "updated": 0, "ignored": 0, "deleted": 0, **counts}
        return _json(
            start_response,
            http,
            {
                "httpStatus": http.split(" ", 1)[1],
                "httpStatusCode": code,
                "status": "OK" if code == 200 else "ERROR",
                "response": {
                    "responseType": "ImportSummary",
                    "status": status,
                    "importCount": count,
                    "conflicts": list(conflicts),
                },
            },
        )


def _paged(environ, start_response, records: list[dict], base: str, page_size: int = 2):
    """Django REST framework style pages (``count``, ``next``, ``results``), filtered by
    ``updated_after`` on each record's ``updated``."""
    from urllib.parse import parse_qs, urlencode

    query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    after = query.get("updated_after")
    chosen = [r for r in records if not after or r["updated"] > after]
    page = int(query.get("page", "1"))
    size = min(int(query.get("page_size", page_size)), page_size)
    start = (page - 1) * size
    more = start + size < len(chosen)
    following = {**query, "page": str(page + 1)}
    host = environ.get("HTTP_HOST", "")
    next_url = f"http://{host}{base}?{urlencode(following)}" if more else None
    return _json(
        start_response,
        "200 OK",
        {"count": len(chosen), "next": next_url, "results": chosen[start : start + size]},
    )


@dataclass
class KmhflStandIn:
    """KMHFL's API: OAuth2 password grant at ``/o/token/``, facilities paged at
    ``/api/facilities/facilities/`` (records shaped as KMHFL publishes them). ``down`` answers
    503 to everything."""

    facilities: list[dict] = field(default_factory=list)
    client_id: str = "cpims-client"
    down: bool = False
    token: str = "kmhfl-token-1"

    def __call__(self, environ, start_response, body: bytes):
        from urllib.parse import parse_qs

        if self.down:
            return _json(start_response, "503 Service Unavailable", {"detail": "maintenance"})
        path = environ["PATH_INFO"]
        if path == "/o/token/" and environ["REQUEST_METHOD"] == "POST":
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            if form.get("grant_type") != "password" or form.get("client_id") != self.client_id:
                return _json(start_response, "401 Unauthorized", {"error": "invalid_client"})
            return _json(start_response, "200 OK", {"access_token": self.token, "expires_in": 3600})
        if environ.get("HTTP_AUTHORIZATION") != f"Bearer {self.token}":
            return _json(start_response, "401 Unauthorized", {"detail": "no token"})
        if path == "/api/facilities/facilities/":
            return _paged(environ, start_response, self.facilities, path)
        return _json(start_response, "404 Not Found", {"detail": "not found"})


@dataclass
class NemisStandIn:
    """NEMIS as the adapter expects it: schools paged at ``/api/schools/``, a learner by UPI at
    ``/api/learners/<upi>/`` (404 when unknown), an API key as a bearer token."""

    schools: list[dict] = field(default_factory=list)
    learners: set[str] = field(default_factory=set)
    api_key: str = "nemis-key"
    down: bool = False

    def __call__(self, environ, start_response, body: bytes):
        if self.down:
            return _json(start_response, "503 Service Unavailable", {"detail": "down"})
        if environ.get("HTTP_AUTHORIZATION") != f"Bearer {self.api_key}":
            return _json(start_response, "401 Unauthorized", {"detail": "bad key"})
        path = environ["PATH_INFO"]
        if path == "/api/schools/":
            return _paged(environ, start_response, self.schools, path)
        if path.startswith("/api/learners/"):
            upi = path.removeprefix("/api/learners/").strip("/")
            if upi in self.learners:
                return _json(start_response, "200 OK", {"upi": upi, "status": "active"})
            return _json(start_response, "404 Not Found", {"detail": "no such learner"})
        return _json(start_response, "404 Not Found", {"detail": "not found"})
