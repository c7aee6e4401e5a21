"""The provider's options, checked when the provider is made."""

from __future__ import annotations

import dataclasses
import logging
import math
import typing


@dataclasses.dataclass(frozen=True)
class Options:
    """How a :class:`~switchyard.SwitchyardProvider` starts, syncs and reports; every member has a
    default that suits a web service. Times are in seconds."""

    #: ``"in-process"`` (sync the document, evaluate locally) or ``"remote"`` (one OFREP request per evaluation).
    mode: str = "in-process"
    #: Where the last known good document is kept between runs (written atomically after each change).
    cache_file: str | None = None
    #: A flagd document shipped with the application, served when neither the server nor the cache has one.
    bootstrap_file: str | None = None
    #: How long ``initialize`` waits for the server's document before serving what it has.
    start_timeout: float = 2.0
    #: The limit for one request (document fetch, receipt, event batch, OFREP evaluation).
    request_timeout: float = 5.0
    #: A stream silent this long (heartbeats come every 15 s) is reconnected.
    stream_idle_timeout: float = 60.0
    #: Whether to sync over the SSE stream; ``False`` polls with ETags instead.
    streaming: bool = True
    #: The time between polls when polling.
    poll_interval: float = 30.0
    #: The first and the longest wait between reconnection attempts (jittered, doubling).
    reconnect_delay: tuple[float, float] = (0.25, 30.0)
    #: The time between event flushes.
    flush_interval: float = 5.0
    #: A flush starts early once this many events are queued; also the largest batch posted.
    flush_size: int = 500
    #: The most events held; beyond it the oldest are dropped (and counted).
    max_queued_events: int = 10_000
    #: How often one batch is posted before it is given up (and counted as dropped).
    max_send_attempts: int = 5
    #: The first and the longest wait between two attempts to post a batch (jittered, doubling).
    retry_delay: tuple[float, float] = (0.5, 30.0)
    #: Whether evaluations through an OpenFeature client report exposures.
    exposures: bool = True
    #: The window within which a unit's exposure to one variant of a flag is reported once.
    exposure_window: float = 600.0
    #: How long ``shutdown`` may spend sending the queued events.
    shutdown_timeout: float = 5.0
    #: Identifies this process in propagation receipts; random by default.
    client_id: str | None = None
    #: Where the provider logs (``logging.getLogger("switchyard")`` by default); it never prints.
    logger: logging.Logger | None = None

    @classmethod
    def from_keywords(cls, keywords: dict[str, typing.Any]) -> Options:
        """The options from keyword arguments.

        :raises TypeError: for an unknown option or a value of the wrong type.
        :raises ValueError: for a value out of range.
        """
        fields = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(keywords) - fields)
        if unknown:
            raise TypeError(f"unknown option {', '.join(unknown)}; the options are {', '.join(sorted(fields))}")
        options = cls(**keywords)
        options._check()
        return options

    def _check(self) -> None:
        if self.mode not in ("in-process", "remote"):
            raise ValueError(f'mode must be "in-process" or "remote", found {self.mode!r}')
        for name in ("cache_file", "bootstrap_file", "client_id"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value):
                raise TypeError(f"{name} must be a non-empty string or None, found {value!r}")
        for name in ("start_timeout", "request_timeout", "stream_idle_timeout", "poll_interval", "flush_interval", "exposure_window", "shutdown_timeout"):
            _positive(name, getattr(self, name), allow_zero=name in ("start_timeout", "shutdown_timeout"))
        for name in ("flush_size", "max_queued_events", "max_send_attempts"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number ≥ 1, found {value!r}")
        for name in ("reconnect_delay", "retry_delay"):
            value = getattr(self, name)
            if not isinstance(value, tuple) or len(value) != 2:
                raise TypeError(f"{name} must be a pair (first, longest) of seconds, found {value!r}")
            _positive(f"{name}[0]", value[0])
            _positive(f"{name}[1]", value[1])
            if value[1] < value[0]:
                raise ValueError(f"{name}: the longest wait {value[1]} is shorter than the first {value[0]}")
        for name in ("streaming", "exposures"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"{name} must be True or False, found {getattr(self, name)!r}")
        if self.logger is not None and not isinstance(self.logger, logging.Logger):
            raise TypeError(f"logger must be a logging.Logger, found {type(self.logger).__name__}")


def _positive(name: str, value: typing.Any, allow_zero: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name} must be a positive number of seconds, found {value!r}")
