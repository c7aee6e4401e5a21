"""Exposures: an OpenFeature hook that reports which variant each unit was served, once per unit,
flag and variant within a window."""

from __future__ import annotations

import threading
import time
import typing

from openfeature.flag_evaluation import FlagEvaluationDetails, FlagValueType, Reason
from openfeature.hook import Hook, HookContext, HookHints

from ._events import now_ms

#: Exposures remembered in one window; past it the memory starts over (reporting again, never less).
MAXIMUM_REMEMBERED = 200_000


class ExposureHook(Hook):
    """Queues an ``exposure`` event after each evaluation that served a variant to a unit with a
    targeting key, unless the same unit saw the same variant of the flag in the current window."""

    def __init__(self, append: typing.Callable[[dict[str, typing.Any]], None], window: float) -> None:
        self._append = append
        self._window = window
        self._window_started = time.monotonic()
        self._seen: set[tuple[str, str, str]] = set()
        self._lock = threading.Lock()

    def after(self, hook_context: HookContext, details: FlagEvaluationDetails[FlagValueType], hints: HookHints) -> None:
        """Reports the exposure, if new in this window."""
        variant = details.variant
        if not variant or details.reason == Reason.ERROR or details.error_code is not None:
            return
        context = hook_context.evaluation_context
        unit = context.targeting_key if context is not None else None
        if not unit:
            return
        key = (unit, details.flag_key, variant)
        now = time.monotonic()
        with self._lock:
            if now - self._window_started >= self._window or len(self._seen) >= MAXIMUM_REMEMBERED:
                self._seen.clear()
                self._window_started = now
            if key in self._seen:
                return
            self._seen.add(key)
        self._append({"type": "exposure", "flag": details.flag_key, "variant": variant, "reason": str(details.reason or "UNKNOWN"),
                      "unitKey": unit, "timestamp": now_ms()})
