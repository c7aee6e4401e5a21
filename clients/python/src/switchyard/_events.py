"""The bounded event queue and the background sender that posts it in batches to ``POST /api/v1/events``."""

from __future__ import annotations

import collections
import logging
import random
import re
import threading
import time
import typing
import uuid

from ._http import Connection

Event = dict[str, typing.Any]

#: An event's place in a batch, left out when rejection messages are compared.
_EVENT_INDEX = re.compile(r"events\[\d+\]")
#: The most events the server takes in one batch.
MAXIMUM_BATCH_EVENTS = 10_000
#: The distinct rejection messages remembered (each is logged once).
MAXIMUM_REMEMBERED_REJECTIONS = 1_000


def now_ms() -> int:
    """Milliseconds since the Unix epoch, the events' timestamps."""
    return time.time_ns() // 1_000_000


def text_length(text: str) -> tuple[int, int]:
    """The length of an output in characters and in words (runs of non-whitespace)."""
    return len(text), len(text.split())


def finished(event: Event) -> Event:
    """The event as the server reads it: an output's length measured from its text, if given."""
    text = event.pop("_text", None)
    if text is not None:
        chars, words = text_length(text)
        event.setdefault("chars", chars)
        event.setdefault("words", words)
    return event


class EventStats:
    """Counters of what happened to events, for logs, metrics and tests."""

    def __init__(self) -> None:
        self.queued = 0
        self.sent = 0
        #: Dropped because the queue was full (the oldest go first).
        self.dropped_full = 0
        #: Dropped because the server refused the batch (4xx) or every attempt failed.
        self.dropped_failed = 0
        #: Rejected one by one by the server (``rejected`` in its answer).
        self.rejected = 0
        self.batches = 0
        self.retries = 0


class EventSender:
    """Holds at most ``maximum_queued`` events and posts them on a background thread every
    ``flush_interval`` seconds, or as soon as ``flush_size`` are queued.

    ``append`` never blocks on the network: a full queue drops its oldest event (counted). A batch
    that fails with a network error or a 5xx is retried with jittered exponential back-off and the
    same ``batchId`` (the server counts it once), up to ``maximum_attempts``; one the server refuses
    (4xx) is dropped and logged. Events the server rejects one by one are counted and each distinct
    message is logged once.
    """

    def __init__(
        self,
        connection: Connection | None,
        *,
        flush_interval: float,
        flush_size: int,
        maximum_queued: int,
        maximum_attempts: int,
        retry_delay: tuple[float, float],
        logger: logging.Logger,
    ) -> None:
        self._connection = connection
        self._flush_interval = flush_interval
        self._flush_size = flush_size
        self._maximum_queued = maximum_queued
        self._maximum_attempts = maximum_attempts
        self._retry_delay = retry_delay
        self._logger = logger
        self._queue: collections.deque[Event] = collections.deque()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._send_lock = threading.Lock()
        #: The largest batch the server accepted the size of (lowered after a 413).
        self._batch_limit = MAXIMUM_BATCH_EVENTS
        self._rejections_seen: set[str] = set()
        self.stats = EventStats()
        self._thread: threading.Thread | None = None
        if connection is not None:
            self._thread = threading.Thread(target=self._run, name="switchyard-events", daemon=True)
            self._thread.start()

    def append(self, event: Event) -> None:
        """Queues ``event``; drops the oldest when the queue is full. Without a server, does nothing."""
        if self._connection is None:
            return
        with self._lock:
            if len(self._queue) >= self._maximum_queued:
                self._queue.popleft()
                self.stats.dropped_full += 1
                if self.stats.dropped_full == 1 or self.stats.dropped_full % 1000 == 0:
                    self._logger.warning("switchyard: the event queue is full; dropped %d oldest events so far", self.stats.dropped_full)
            self._queue.append(event)
            self.stats.queued += 1
            full = len(self._queue) == self._flush_size  # the sender drains on until the queue is empty
        if full:
            self._wake.set()

    @property
    def pending(self) -> int:
        """Events queued and not yet sent."""
        with self._lock:
            return len(self._queue)

    def flush(self, timeout: float | None) -> bool:
        """Sends everything queued now, waiting at most ``timeout`` seconds (``None``: as long as
        the retries take); returns whether the queue was emptied."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if self._connection is None:
            return self.pending == 0
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return self.pending == 0
            if not self._send_lock.acquire(timeout=-1 if remaining is None else remaining):
                return False
            try:
                if not self._send_one_batch(deadline):
                    return self.pending == 0
            finally:
                self._send_lock.release()

    def stop(self, timeout: float) -> bool:
        """Flushes within ``timeout`` seconds and stops the background thread."""
        emptied = self.flush(timeout)
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=1.0)
        if not emptied:
            self._logger.warning("switchyard: %d events were not sent before shutdown", self.pending)
        return emptied

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(self._flush_interval)
            self._wake.clear()
            if self._stopping.is_set():
                return
            with self._send_lock:
                while not self._stopping.is_set() and self._send_one_batch(None):
                    pass

    def _take(self) -> list[Event]:
        with self._lock:
            count = min(len(self._queue), self._flush_size, self._batch_limit)
            return [self._queue.popleft() for _ in range(count)]

    def _send_one_batch(self, deadline: float | None) -> bool:
        """Posts one batch (retrying); returns whether there was one. Holds ``_send_lock``."""
        events = self._take()
        if not events:
            return False
        events = [finished(event) for event in events]
        batch = {"batchId": str(uuid.uuid4()), "events": events}
        delay, longest = self._retry_delay
        assert self._connection is not None
        for attempt in range(1, self._maximum_attempts + 1):
            try:
                answer = self._connection.request("POST", "/api/v1/events", batch)
            except OSError as error:
                problem = f"network error: {error}"
            else:
                if 200 <= answer.status < 300:
                    self.stats.sent += len(events)
                    self.stats.batches += 1
                    self._note_rejections(answer.json() if answer.body else {})
                    return True
                if answer.status == 413 and len(events) > 1:
                    # Too large for the server's body limit: send it again in halves.
                    self._batch_limit = max(1, len(events) // 2)
                    with self._lock:
                        self._queue.extendleft(reversed(events))
                    self._logger.info("switchyard: a batch of %d events was too large; sending at most %d at a time", len(events), self._batch_limit)
                    return True
                if answer.status < 500 and answer.status != 429:
                    self.stats.dropped_failed += len(events)
                    self._logger.error(
                        "switchyard: the server refused a batch of %d events (HTTP %d): %s",
                        len(events), answer.status, answer.body[:500].decode("utf-8", errors="replace"))
                    return True
                problem = f"HTTP {answer.status}"
            wait = random.uniform(delay / 2, delay)
            out_of_time = deadline is not None and time.monotonic() + wait > deadline
            if attempt == self._maximum_attempts or out_of_time or self._stopping.is_set():
                if out_of_time and attempt < self._maximum_attempts:
                    with self._lock:
                        self._queue.extendleft(reversed(events))
                    self._logger.warning("switchyard: sending events failed (%s); keeping them for a later flush", problem)
                    return False
                self.stats.dropped_failed += len(events)
                self._logger.error("switchyard: dropped a batch of %d events after %d attempts (%s)", len(events), attempt, problem)
                return True
            self.stats.retries += 1
            self._logger.info("switchyard: sending events failed (%s); retrying in %.2fs", problem, wait)
            self._stopping.wait(wait)
            delay = min(delay * 2, longest)
        return True

    def _note_rejections(self, answer: typing.Any) -> None:
        rejected = answer.get("rejected") if isinstance(answer, dict) else None
        if not isinstance(rejected, list) or not rejected:
            return
        self.stats.rejected += len(rejected)
        for item in rejected:
            message = str(item.get("message") or item) if isinstance(item, dict) else str(item)
            message = _EVENT_INDEX.sub("events[…]", message)
            if message in self._rejections_seen or len(self._rejections_seen) >= MAXIMUM_REMEMBERED_REJECTIONS:
                continue
            self._rejections_seen.add(message)
            self._logger.warning("switchyard: the server rejected an event: %s", message)
