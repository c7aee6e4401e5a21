"""A server-sent-events parser over lines (the WHATWG rules Switchyard's stream needs)."""

from __future__ import annotations

from dataclasses import dataclass

#: The most data one event may hold before it is dropped (a document is at most this large).
MAXIMUM_EVENT_BYTES = 64 << 20


@dataclass(frozen=True)
class ServerSentEvent:
    """One dispatched event."""

    name: str
    data: str
    id: str | None


class ServerSentEventParser:
    """Feeds lines, returns the events they complete; remembers the last ``id`` and ``retry``."""

    def __init__(self) -> None:
        self.last_id: str | None = None
        self.retry_ms: int | None = None
        self._name = ""
        self._data: list[str] = []
        self._size = 0

    def feed(self, raw: bytes) -> ServerSentEvent | None:
        """One line (with or without its line break); returns the event a blank line dispatches."""
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._name = value
        elif name == "data":
            self._size += len(value)
            if self._size <= MAXIMUM_EVENT_BYTES:
                self._data.append(value)
        elif name == "id" and "\0" not in value:
            self.last_id = value
        elif name == "retry" and value.isdigit():
            self.retry_ms = int(value)
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        data, name, oversized = self._data, self._name or "message", self._size > MAXIMUM_EVENT_BYTES
        self._name, self._data, self._size = "", [], 0
        if not data or oversized:
            return None
        return ServerSentEvent(name, "\n".join(data), self.last_id)
