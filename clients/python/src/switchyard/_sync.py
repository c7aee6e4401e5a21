"""Keeps the flag document current: the first fetch, then the SSE stream (resumed with
``Last-Event-ID``, reconnected with jittered exponential back-off), or ETag polling when streaming is
off or the server has no stream."""

from __future__ import annotations

import json
import logging
import random
import threading
import typing

from ._document import ServedDocument
from ._http import Connection, ServerError, StreamUnsupported, refused
from ._sse import ServerSentEvent, ServerSentEventParser


class SyncTarget(typing.Protocol):
    """What the sync thread reads and updates."""

    def served_document(self) -> ServedDocument | None:
        """The document served now."""

    def apply_document(self, document: ServedDocument) -> None:
        """Serves a document from the server (compiles it, writes the cache, reports the receipt)."""

    def set_connected(self, connected: bool) -> None:
        """Whether the server is reachable."""


class Backoff:
    """Jittered exponential back-off between ``first`` and ``longest`` seconds."""

    def __init__(self, first: float, longest: float) -> None:
        self._first = first
        self._longest = longest
        self._next = first

    def next(self) -> float:
        """The next wait: uniformly within the upper half of the current step, which then doubles."""
        wait = random.uniform(self._next / 2, self._next)
        self._next = min(self._next * 2, self._longest)
        return wait

    def reset(self) -> None:
        """Starts over from the first step."""
        self._next = self._first


class Sync:
    """The background thread that keeps ``target``'s document current."""

    def __init__(
        self,
        connection: Connection,
        target: SyncTarget,
        *,
        streaming: bool,
        poll_interval: float,
        stream_idle_timeout: float,
        reconnect_delay: tuple[float, float],
        logger: logging.Logger,
    ) -> None:
        self._connection = connection
        self._target = target
        self._streaming = streaming
        self._poll_interval = poll_interval
        self._idle_timeout = stream_idle_timeout
        self._backoff = Backoff(*reconnect_delay)
        self._logger = logger
        self._stopping = threading.Event()
        #: Set once the first fetch has answered or failed.
        self.first_attempt = threading.Event()
        self._thread = threading.Thread(target=self._run, name="switchyard-sync", daemon=True)

    def start(self) -> None:
        """Starts the thread."""
        self._thread.start()

    def stop(self, timeout: float) -> None:
        """Stops syncing: breaks the open stream and waits at most ``timeout`` for the thread."""
        self._stopping.set()
        self._connection.close_stream()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        try:
            self._fetch()
        except (OSError, ServerError) as error:
            self._logger.warning("switchyard: no flag document from the server at start (%s); serving the local document or code defaults", error)
            self._target.set_connected(False)
        finally:
            self.first_attempt.set()
        server_retry = 0.0
        while not self._stopping.is_set():
            try:
                if self._streaming:
                    server_retry = self._stream_once()
                    if self._stopping.is_set():
                        return
                    self._logger.info("switchyard: the flag stream ended; reconnecting")
                else:
                    self._fetch()
                    self._backoff.reset()
                    self._stopping.wait(self._poll_interval)
                    continue
            except StreamUnsupported as error:
                self._logger.warning("switchyard: the server has no flag stream (%s); polling every %ss", error, self._poll_interval)
                self._streaming = False
                continue
            except (OSError, ServerError, ValueError) as error:
                if self._stopping.is_set():
                    return
                self._logger.warning("switchyard: flag sync failed (%s); serving the last known good document", error)
            self._target.set_connected(False)
            self._stopping.wait(max(self._backoff.next(), server_retry))

    def _fetch(self) -> None:
        """One conditional ``GET /api/v1/sdk/flags``."""
        served = self._target.served_document()
        etag = served.etag if served is not None and served.origin == "server" else None
        answer = self._connection.fetch_document(etag)
        if answer.status == 304:
            self._target.set_connected(True)
            return
        if answer.status != 200:
            raise refused("GET /api/v1/sdk/flags", answer.status)
        body = answer.json()
        if not isinstance(body, dict) or not isinstance(body.get("document"), dict) or not isinstance(body.get("version"), int):
            raise ServerError("the flags answer has no document or version")
        self._target.apply_document(ServedDocument(body["document"], body["version"], answer.headers.get("etag"), "server"))
        self._target.set_connected(True)

    def _stream_once(self) -> float:
        """Reads one stream connection until the server or ``stop`` ends it; returns the stream's
        ``retry:`` in seconds (the least wait before reconnecting)."""
        served = self._target.served_document()
        resume = served.version if served is not None and served.origin in ("server", "cache") else None
        parser = ServerSentEventParser()
        for line in self._connection.open_stream(resume, self._idle_timeout, self._stream_opened):
            event = parser.feed(line)
            if event is not None:
                self._handle(event)
            if self._stopping.is_set():
                break
        return (parser.retry_ms or 0) / 1000

    def _stream_opened(self) -> None:
        """The server accepted the stream: whatever it holds newer than the document served comes
        next, so the provider is as current as the server from here on."""
        self._backoff.reset()
        self._target.set_connected(True)

    def _handle(self, event: ServerSentEvent) -> None:
        """Applies a ``document`` or ``change`` event; anything else is ignored."""
        try:
            data = json.loads(event.data)
        except ValueError as error:
            self._logger.error("switchyard: ignoring an unreadable stream event %r: %s", event.name, error)
            return
        if not isinstance(data, dict) or not isinstance(data.get("version"), int):
            return
        version = data["version"]
        if event.name == "document" and isinstance(data.get("document"), dict):
            self._target.apply_document(ServedDocument(data["document"], version, None, "server"))
        elif event.name == "change" and isinstance(data.get("flag"), str):
            kill = data.get("kill")
            if data.get("action") == "flag.kill" and isinstance(kill, dict):
                self._logger.warning("switchyard: flag %r was killed by %s: %s", data["flag"], kill.get("by"), kill.get("reason"))
            served = data.get("served")
            base = self._target.served_document()
            if base is None or base.origin == "bootstrap" or base.version is None:
                # A change without the document it applies to: start over from the whole document.
                self._fetch()
                return
            if version <= base.version:
                return
            self._target.apply_document(base.applying(data["flag"], served if isinstance(served, dict) else None, version))
