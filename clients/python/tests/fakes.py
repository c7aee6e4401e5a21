"""A scripted stand-in for the server's event endpoint, for what the real server cannot be made to
do on demand (fail a batch, then accept it)."""

from __future__ import annotations

import http.server
import json
import threading
import typing


class FakeEventServer:
    """Answers ``POST /api/v1/events`` with the statuses in ``script`` (then 200), recording each batch."""

    def __init__(self, script: list[int] | None = None, rejected: list[dict[str, str]] | None = None) -> None:
        self.script = list(script or [])
        self.rejected = rejected or []
        self.batches: list[dict[str, typing.Any]] = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status = fake.script.pop(0) if fake.script else 200
                fake.batches.append({"status": status, "body": body})
                answer = json.dumps({"batchId": body.get("batchId"), "accepted": len(body["events"]), "duplicate": False,
                                     "rejected": fake.rejected if status == 200 else []}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def do_GET(self) -> None:
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: typing.Any) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()

    @property
    def delivered(self) -> list[dict[str, typing.Any]]:
        """The events of the batches answered 200."""
        return [event for batch in self.batches if batch["status"] == 200 for event in batch["body"]["events"]]

    def close(self) -> None:
        """Stops serving."""
        self._server.shutdown()
        self._server.server_close()


class FakeFlagServer:
    """Serves ``GET /api/v1/sdk/flags`` and ``GET /api/v1/sdk/stream`` from a script, recording
    each request's path and headers: for what the real server does not do on demand (go silent,
    have no stream)."""

    def __init__(self, document: dict[str, typing.Any], *, stream: bool = True) -> None:
        self.document = document
        self.version = 1
        self.stream = stream
        #: Each stream connection's events: a list of (id, name, data) sent before the stream
        #: stays open silently until closed by the client (``None`` ends it at once instead).
        self.stream_script: list[list[tuple[int, str, dict[str, typing.Any]] | None]] = []
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                fake.requests.append(("GET", self.path, dict(self.headers)))
                if self.path.startswith("/api/v1/sdk/flags"):
                    etag = f'"{fake.version}"'
                    if self.headers.get("If-None-Match") == etag:
                        self.send_response(304)
                        self.send_header("ETag", etag)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    body = json.dumps({"environment": "production", "version": fake.version, "document": fake.document}).encode()
                    self.send_response(200)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                elif self.path.startswith("/api/v1/sdk/stream") and fake.stream:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    events = fake.stream_script.pop(0) if fake.stream_script else []
                    for item in events:
                        if item is None:
                            self.close_connection = True
                            return
                        event_id, name, data = item
                        self.wfile.write(f"id: {event_id}\nevent: {name}\ndata: {json.dumps(data)}\n\n".encode())
                        self.wfile.flush()
                    self.rfile.read(1)  # silent until the client goes away
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                fake.requests.append(("POST", self.path, {"body": self.rfile.read(length).decode()}))
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: typing.Any) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()

    def streams(self) -> list[dict[str, str]]:
        """The headers of each stream request, with the path under ``path``."""
        return [{**headers, "path": path} for method, path, headers in self.requests if path.startswith("/api/v1/sdk/stream")]

    def close(self) -> None:
        """Stops serving."""
        self._server.shutdown()
        self._server.server_close()
