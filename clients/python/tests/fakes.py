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
