"""Local circuit breakers: kill rules measured over this process's own events only, so they work
while the server is unreachable."""

from __future__ import annotations

import collections
import math
import threading
import typing
from dataclasses import dataclass

from .rules import BernoulliCUSUM, KillRule, Measurement, log_normal_mean_bounds, wilson_lower, wilson_upper

Event = dict[str, typing.Any]

#: Observations one rule keeps per variant; past it the oldest are forgotten (fewer samples, never more).
MAXIMUM_OBSERVATIONS = 100_000
#: Outputs remembered so that feedback, edits and actions can be attributed to their flag and variant.
REMEMBERED_OUTPUTS = 20_000

_FINISH_RATES = {"emptyRate": "empty", "truncationRate": "length", "refusalRate": "refused"}
_QUANTITY_MEMBERS = {"outputChars": "chars", "outputWords": "words", "latencyMs": "latencyMs", "tokensIn": "tokensIn", "tokensOut": "tokensOut"}


@dataclass(frozen=True)
class BreakerTrip:
    """A rule that tripped: the ``breakerTrip`` event and what the log says."""

    flag: str
    variant: str
    rule: KillRule
    at_ms: int
    measurement: Measurement

    def event(self) -> Event:
        """The ``breakerTrip`` event of docs/events.md."""
        return {"type": "breakerTrip", "flag": self.flag, "variant": self.variant, "rule": self.rule.text,
                "detail": self.measurement.detail, "timestamp": self.at_ms}


class _Window:
    """One rule's running sums over one variant's observations in the rule's sliding window.

    Each observation is a tuple of numbers that add up: rates ``(events, trials)``, means
    ``(count, ln(1 + x), ln(1 + x)², x)``, quantiles ``(count, above the threshold)``.
    """

    def __init__(self, rule: KillRule) -> None:
        self.rule = rule
        self.observations: collections.deque[tuple[int, tuple[float, ...]]] = collections.deque()
        self.sums = [0.0, 0.0, 0.0, 0.0]
        self.cusum = BernoulliCUSUM(rule.baseline, rule.threshold) if rule.baseline is not None and rule.kind == "rate" else None

    def add(self, at_ms: int, values: tuple[float, ...]) -> None:
        if len(self.observations) >= MAXIMUM_OBSERVATIONS:
            self._forget_oldest()
        self.observations.append((at_ms, values))
        for index, value in enumerate(values):
            self.sums[index] += value
        if self.cusum is not None:
            self.cusum.observe(round(values[0]), round(values[1]))

    def expire(self, before_ms: int) -> None:
        while self.observations and self.observations[0][0] < before_ms:
            self._forget_oldest()

    def _forget_oldest(self) -> None:
        _, values = self.observations.popleft()
        for index, value in enumerate(values):
            self.sums[index] -= value

    def measure(self) -> Measurement:
        rule = self.rule
        above = rule.comparison == ">"
        observed: float | None
        bound: float | None
        if rule.kind == "rate":
            events, samples = round(self.sums[0]), round(self.sums[1])
            if rule.metric in ("editRate", "actionRate"):
                events = min(events, samples)
            observed = events / samples if samples else None
            bound = wilson_lower(events, samples) if above else wilson_upper(events, samples)
            limit = rule.threshold
        elif rule.kind == "mean":
            samples = round(self.sums[0])
            lower, upper = log_normal_mean_bounds(samples, self.sums[1], self.sums[2])
            observed = self.sums[3] / samples if samples else None
            bound = (lower if above else upper) if samples > 1 else None
            limit = rule.threshold
        else:
            samples, exceeding = round(self.sums[0]), round(self.sums[1])
            observed = exceeding / samples if samples else None
            bound = wilson_lower(exceeding, samples)
            limit = 1 - (rule.percent or 0) / 100
        breaches = samples >= rule.min_samples and bound is not None and (bound > limit if above else bound < limit)
        if not breaches and self.cusum is not None and self.cusum.alarms:
            # The fast path: the statistic has built up over as long as the rule is armed.
            return Measurement(observed, self.cusum.statistic, self.cusum.threshold, samples, True)
        return Measurement(observed, bound, limit, samples, breaches)


class _Breaker:
    """One rule on one flag, watching one variant or (``variant is None``) every variant but the safe one."""

    def __init__(self, flag: str, rule: KillRule, variant: str | None, now_ms: int) -> None:
        self.flag = flag
        self.rule = rule
        self.variant = variant
        self.armed_since_ms = now_ms
        self.trip: BreakerTrip | None = None
        self.windows: dict[str, _Window] = {}

    def rearm(self, now_ms: int) -> None:
        self.trip = None
        self.armed_since_ms = now_ms
        self.windows.clear()

    def watches(self, variant: str, safe_variant: str | None) -> bool:
        return variant == self.variant if self.variant is not None else variant != safe_variant

    def observe(self, variant: str, event: Event, at_ms: int) -> None:
        observation = _observation(self.rule, event)
        if observation is None:
            return
        window = self.windows.get(variant)
        if window is None:
            window = self.windows[variant] = _Window(self.rule)
        window.add(at_ms, observation)

    def evaluate(self, now_ms: int) -> BreakerTrip | None:
        if self.trip is not None:
            return None
        since = max(now_ms - self.rule.window * 1000, self.armed_since_ms)
        for variant, window in self.windows.items():
            window.expire(since)
            measurement = window.measure()
            if measurement.breaches:
                self.trip = BreakerTrip(self.flag, variant, self.rule, now_ms, measurement)
                return self.trip
        return None

    def cool_down(self, now_ms: int) -> bool:
        """Re-arms a tripped rule whose cool-down has passed; returns whether it did."""
        if self.trip is None or self.rule.cooldown is None or now_ms < self.trip.at_ms + self.rule.cooldown * 1000:
            return False
        self.rearm(self.trip.at_ms + self.rule.cooldown * 1000)
        return True


def _observation(rule: KillRule, event: Event) -> tuple[float, ...] | None:
    """What one event adds to a rule's sums, or ``None`` when it does not concern the rule."""
    kind = event["type"]
    metric = rule.metric
    if rule.kind == "rate":
        if metric == "negativeFeedbackRate":
            return (0.0 if event["positive"] else 1.0, 1.0) if kind == "feedback" else None
        if metric in ("editRate", "actionRate"):
            if kind == "output":
                return 0.0, 1.0
            return (1.0, 0.0) if kind == ("edit" if metric == "editRate" else "action") else None
        if kind != "output":
            return None
        if metric == "errorRate":
            failed = event.get("error") is not None or event.get("finishReason") == "error"
        else:
            failed = event.get("finishReason") == _FINISH_RATES[metric]
        return 1.0 if failed else 0.0, 1.0
    if kind != "output":
        return None
    value = _quantity(rule.quantity or "", event)
    if value is None:
        return None
    if rule.kind == "mean":
        logarithm = math.log1p(value)
        return 1.0, logarithm, logarithm * logarithm, value
    return 1.0, 1.0 if value > rule.threshold else 0.0


def _quantity(quantity: str, event: Event) -> float | None:
    member = _QUANTITY_MEMBERS[quantity]
    if member in event:
        return float(event[member])
    text = event.get("_text")
    if text is None or member not in ("chars", "words"):
        return None
    return float(len(text) if member == "chars" else len(text.split()))


class LocalBreakers:
    """The breakers attached in this process. Thread-safe; every method is quick (running sums)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._breakers: list[_Breaker] = []
        self._flags: set[str] = set()
        self._outputs: collections.OrderedDict[str, tuple[str, str]] = collections.OrderedDict()

    def attach(self, flag: str, rule: KillRule, variant: str | None, now_ms: int) -> None:
        """Watches ``variant`` of ``flag`` (every variant but the safe one when ``None``) with ``rule``."""
        with self._lock:
            self._breakers.append(_Breaker(flag, rule, variant, now_ms))
            self._flags.add(flag)

    @property
    def active(self) -> bool:
        """Whether any breaker is attached."""
        return bool(self._flags)

    def observe(self, event: Event, safe_variant: typing.Callable[[str], str | None]) -> list[BreakerTrip]:
        """Counts one event towards the breakers it concerns; returns the rules that tripped now.

        Follow-ups (feedback, edits, actions) are attributed through the outputs remembered here.
        """
        at_ms = event["timestamp"]
        with self._lock:
            if event["type"] == "output":
                flag, variant = event["flag"], event["variant"]
                if flag not in self._flags:
                    return []
                self._outputs[event["outputId"]] = (flag, variant)
                if len(self._outputs) > REMEMBERED_OUTPUTS:
                    self._outputs.popitem(last=False)
            elif event["type"] in ("feedback", "edit", "action"):
                remembered = self._outputs.get(event["outputId"])
                if remembered is None:
                    return []
                flag, variant = remembered
            else:
                return []
            safe = safe_variant(flag)
            trips = []
            for breaker in self._breakers:
                if breaker.flag != flag or breaker.trip is not None or not breaker.watches(variant, safe):
                    continue
                breaker.observe(variant, event, at_ms)
                trip = breaker.evaluate(at_ms)
                if trip is not None:
                    trips.append(trip)
            return trips

    def tripped(self, now_ms: int) -> dict[str, BreakerTrip]:
        """The flags held by a tripped breaker (re-arming those whose cool-down has passed)."""
        with self._lock:
            held: dict[str, BreakerTrip] = {}
            for breaker in self._breakers:
                breaker.cool_down(now_ms)
                if breaker.trip is not None:
                    held.setdefault(breaker.flag, breaker.trip)
            return held

    def reset(self, flag: str, now_ms: int) -> bool:
        """Re-arms every breaker of ``flag``; returns whether one was tripped."""
        with self._lock:
            was_tripped = False
            for breaker in self._breakers:
                if breaker.flag == flag:
                    was_tripped = was_tripped or breaker.trip is not None
                    breaker.rearm(now_ms)
            return was_tripped
