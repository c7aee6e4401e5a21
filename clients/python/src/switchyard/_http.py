"""The server's SDK endpoints over the standard library's ``http.client``, authenticated with the SDK key."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import typing
import urllib.parse
from dataclasses import dataclass

#: The largest document, event answer or error body read.
MAXIMUM_BODY_BYTES = 64 << 20


class ServerError(Exception):
    """An answer the client cannot use: a status it does not expect or a body it cannot read."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def refused(request: str, status: int) -> ServerError:
    """The error for an answer with an unexpected status, saying what a refused key means."""
    if status in (401, 403):
        return ServerError(f"{request} answered {status}: the server refused the SDK key (create one with `switchyard keys create --kind sdk`)", status)
    return ServerError(f"{request} answered {status}", status)


class StreamUnsupported(ServerError):
    """The server has no SDK stream (or answered it with something that is not an event stream)."""


@dataclass(frozen=True)
class Answer:
    """One HTTP answer."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> typing.Any:
        """The body as JSON."""
        try:
            return json.loads(self.body)
        except ValueError as error:
            raise ServerError(f"the answer is not JSON: {error}", self.status) from error


class Connection:
    """Requests to one Switchyard server as one client (``client_id``)."""

    def __init__(self, url: str, sdk_key: str, client_id: str, timeout: float) -> None:
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(f"url must be an http:// or https:// URL with a host, found {url!r}")
        self._https = parsed.scheme == "https"
        self._host = parsed.hostname
        self._port = parsed.port
        self._prefix = parsed.path.rstrip("/")
        self._headers = {"Authorization": f"Bearer {sdk_key}", "X-Switchyard-Client": client_id, "User-Agent": "switchyard-python/0.1.0"}
        self.client_id = client_id
        self.timeout = timeout
        self._per_thread = threading.local()
        self._stream_lock = threading.Lock()
        self._stream: socket.socket | None = None
        self._streams_closed = False

    def _connect(self, timeout: float) -> http.client.HTTPConnection:
        if self._https:
            return http.client.HTTPSConnection(self._host, self._port, timeout=timeout)
        return http.client.HTTPConnection(self._host, self._port, timeout=timeout)

    def request(self, method: str, path: str, body: typing.Any = None, headers: dict[str, str] | None = None, timeout: float | None = None,
                keep_alive: bool = False) -> Answer:
        """One request with a JSON body (when ``body`` is not ``None``); network errors raise ``OSError``.

        With ``keep_alive`` the calling thread reuses its own connection (opened again once when
        the server closed it meanwhile); otherwise each request has a connection of its own.
        """
        all_headers = dict(self._headers)
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":")).encode("utf-8")
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        limit = self.timeout if timeout is None else timeout
        if not keep_alive:
            connection = self._connect(limit)
            try:
                return self._exchange(connection, method, path, data, all_headers)
            finally:
                connection.close()
        kept: http.client.HTTPConnection | None = getattr(self._per_thread, "connection", None)
        if kept is not None:
            try:
                return self._exchange(kept, method, path, data, all_headers)
            except OSError:
                kept.close()
        connection = self._per_thread.connection = self._connect(limit)
        try:
            return self._exchange(connection, method, path, data, all_headers)
        except OSError:
            connection.close()
            self._per_thread.connection = None
            raise

    def _exchange(self, connection: http.client.HTTPConnection, method: str, path: str, data: bytes | None, headers: dict[str, str]) -> Answer:
        try:
            connection.request(method, self._prefix + path, body=data, headers=headers)
            response = connection.getresponse()
            content = response.read(MAXIMUM_BODY_BYTES + 1)
        except http.client.HTTPException as error:
            raise OSError(f"{method} {path}: {error!r}") from error
        if len(content) > MAXIMUM_BODY_BYTES:
            raise ServerError(f"{method} {path}: the answer is larger than {MAXIMUM_BODY_BYTES} bytes")
        return Answer(response.status, {name.lower(): value for name, value in response.getheaders()}, content)

    def fetch_document(self, etag: str | None, timeout: float | None = None) -> Answer:
        """``GET /api/v1/sdk/flags``, conditional on ``etag``."""
        return self.request("GET", "/api/v1/sdk/flags", headers={"If-None-Match": etag} if etag else None, timeout=timeout)

    def report_applied(self, version: int) -> None:
        """``POST /api/v1/sdk/applied``: this client now serves ``version`` (a propagation receipt)."""
        answer = self.request("POST", "/api/v1/sdk/applied", {"client": self.client_id, "version": version})
        if not 200 <= answer.status < 300:
            raise refused("POST /api/v1/sdk/applied", answer.status)

    def open_stream(self, last_event_id: int | None, idle_timeout: float, on_open: typing.Callable[[], None]) -> typing.Iterator[bytes]:
        """Opens ``GET /api/v1/sdk/stream?client=ID`` resuming after ``last_event_id``, calls
        ``on_open`` once the server accepted it, and yields its lines; a read silent for
        ``idle_timeout`` raises ``TimeoutError``."""
        connection = self._connect(self.timeout)
        headers = dict(self._headers, Accept="text/event-stream")
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        query = urllib.parse.urlencode({"client": self.client_id})
        stream_socket: socket.socket | None = None
        response: http.client.HTTPResponse | None = None
        try:
            connection.request("GET", f"{self._prefix}/api/v1/sdk/stream?{query}", headers=headers)
            # The response may take the socket over (a body read to the end of the connection), so
            # keep it here: for the idle timeout and for close_stream.
            stream_socket = connection.sock
            with self._stream_lock:
                if self._streams_closed:
                    raise OSError("the provider is shutting down")
                self._stream = stream_socket
            response = connection.getresponse()
            if response.status in (404, 405, 501):
                raise StreamUnsupported(f"the stream answered HTTP {response.status}", response.status)
            if response.status != 200:
                raise refused("GET /api/v1/sdk/stream", response.status)
            content_type = response.getheader("Content-Type", "")
            if not content_type.startswith("text/event-stream"):
                raise StreamUnsupported(f"the stream answered with content type {content_type!r}")
            if stream_socket is not None:
                stream_socket.settimeout(idle_timeout)
            on_open()
            while True:
                line = response.readline(MAXIMUM_BODY_BYTES)
                if not line:
                    return
                yield line
        except http.client.HTTPException as error:
            raise OSError(f"the stream broke: {error!r}") from error
        finally:
            with self._stream_lock:
                self._stream = None
            if response is not None:
                response.close()
            connection.close()
            if stream_socket is not None:
                stream_socket.close()

    def close_stream(self) -> None:
        """Breaks the open stream, if any, so that the thread reading it returns; no stream opens after this."""
        with self._stream_lock:
            self._streams_closed = True
            stream = self._stream
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.shutdown(socket.SHUT_RDWR)
