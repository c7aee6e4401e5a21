"""Kill rules in the server's text form, and the statistical bounds the server measures them with.

``errorRate > 0.05 over 15m minSamples 50 cooldown 30m``::

    rule    := metric (">" | "<") number "over" duration option*
    option  := "minSamples" integer | "baseline" number | "cooldown" duration

Rates trip on the Wilson score bound, means on Cox's log-normal bound of ``ln(1 + x)``, quantiles on
the Wilson bound of the share of values above the threshold, all at z = 2.33 (a 99 % one-sided
bound), exactly as ``SwitchyardGuard`` does (``KillRule+Measure.swift``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

#: The normal quantile of every bound: a 99 % one-sided bound.
Z = 2.33
DEFAULT_MIN_SAMPLES = 50

#: Rate metrics: what counts as an event, and among which trials.
RATE_METRICS = ("errorRate", "emptyRate", "truncationRate", "refusalRate", "negativeFeedbackRate", "editRate", "actionRate")
#: Quantities a mean or quantile rule bounds, with whether a quantile of it is supported.
QUANTITIES = {"outputChars": True, "outputWords": True, "latencyMs": True, "tokensIn": False, "tokensOut": False}

_DURATION = re.compile(r"^(\d+)([smhd])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86_400}


class KillRuleError(ValueError):
    """A kill rule's text that does not parse; the message names the column."""


@dataclass(frozen=True)
class KillRule:
    """A kill rule: ``metric comparison threshold over window`` with its options."""

    #: The metric as written: ``errorRate``, ``meanOutputChars``, ``p95LatencyMs``, ...
    metric: str
    #: ``">"`` (trip when provably above) or ``"<"`` (provably below).
    comparison: str
    threshold: float
    #: The sliding window, in seconds.
    window: int
    min_samples: int = DEFAULT_MIN_SAMPLES
    #: The normal rate: enables the CUSUM fast path from ``baseline`` to ``threshold`` (``>`` rate rules).
    baseline: float | None = None
    #: Seconds after a trip when the rule re-arms by itself; ``None`` waits for a reset.
    cooldown: int | None = None

    @property
    def kind(self) -> str:
        """``rate``, ``mean`` or ``quantile``."""
        if self.metric in RATE_METRICS:
            return "rate"
        return "mean" if self.metric.startswith("mean") else "quantile"

    @property
    def quantity(self) -> str | None:
        """The quantity of a mean or quantile rule: ``outputChars``, ``latencyMs``, ..."""
        if self.kind == "rate":
            return None
        name = self.metric[4:] if self.kind == "mean" else self.metric[3:]
        return name[0].lower() + name[1:]

    @property
    def percent(self) -> int | None:
        """The quantile of a quantile rule, in percent."""
        return int(self.metric[1:3]) if self.kind == "quantile" else None

    @property
    def text(self) -> str:
        """The canonical text form, which :meth:`parse` reads back to an equal rule."""
        parts = [self.metric, self.comparison, _number(self.threshold), "over", _duration(self.window), "minSamples", str(self.min_samples)]
        if self.baseline is not None:
            parts += ["baseline", _number(self.baseline)]
        if self.cooldown is not None:
            parts += ["cooldown", _duration(self.cooldown)]
        return " ".join(parts)

    def __str__(self) -> str:
        return self.text

    @classmethod
    def parse(cls, text: str) -> KillRule:
        """Reads the text form.

        :raises KillRuleError: naming the column of the problem, as the server does.
        :raises TypeError: when ``text`` is not a string.
        """
        if not isinstance(text, str):
            raise TypeError(f"a kill rule must be a string such as 'errorRate > 0.05 over 15m', found {type(text).__name__}")
        tokens = _tokens(text)
        end = len(text) + 1
        position = 0

        def take(what: str) -> tuple[str, int]:
            nonlocal position
            if position >= len(tokens):
                raise KillRuleError(f"kill rule, column {end}: expected {what}, found the end of the rule")
            token = tokens[position]
            position += 1
            return token

        name, name_column = take("a metric such as errorRate")
        if position < len(tokens) and tokens[position][0] == "ratio":
            raise KillRuleError(f"kill rule, column {name_column}: 'ratio vs control' rules compare two variants and are evaluated by the server only")
        if not _known_metric(name):
            raise KillRuleError(f"kill rule, column {name_column}: unknown metric '{name}'; known: {', '.join(_known_names())}")
        comparison, comparison_column = take("'>' or '<'")
        if comparison not in (">", "<"):
            raise KillRuleError(f"kill rule, column {comparison_column}: expected '>' or '<', found '{comparison}'")
        threshold, threshold_column = _number_token(take("a threshold"), "a threshold")
        word, column = take("'over'")
        if word != "over":
            raise KillRuleError(f"kill rule, column {column}: expected 'over', found '{word}'")
        window = _duration_token(take("a duration such as 15m"))
        min_samples, baseline, cooldown = DEFAULT_MIN_SAMPLES, None, None
        while position < len(tokens):
            option, option_column = take("an option")
            if option == "minSamples":
                value, column = _number_token(take("a whole number of samples"), "a whole number of samples")
                if value < 1 or not value.is_integer() or value >= 1e9:
                    raise KillRuleError(f"kill rule, column {column}: minSamples must be a whole number ≥ 1")
                min_samples = int(value)
            elif option == "baseline":
                baseline = _number_token(take("a baseline rate"), "a baseline rate")[0]
            elif option == "cooldown":
                cooldown = _duration_token(take("a duration such as 15m"))
            else:
                raise KillRuleError(f"kill rule, column {option_column}: expected minSamples, baseline or cooldown, found '{option}'")
        rule = cls(name, comparison, threshold, window, min_samples, baseline, cooldown)
        problem = rule._problem()
        if problem is not None:
            message, concerns_threshold = problem
            raise KillRuleError(f"kill rule, column {threshold_column if concerns_threshold else comparison_column}: {message}")
        return rule

    def _problem(self) -> tuple[str, bool] | None:
        kind = self.kind
        if kind == "rate" and not 0 < self.threshold < 1:
            return "a rate threshold must be between 0 and 1", True
        if kind == "mean" and not (self.threshold >= 0 and math.isfinite(self.threshold)):
            return "a mean threshold must be a non-negative number", True
        if kind == "quantile":
            if self.comparison == "<":
                return "quantile rules only support '>'", False
            if not (self.threshold >= 1 and math.isfinite(self.threshold)):
                return "a quantile threshold must be at least 1", True
        if self.window <= 0:
            return "the window must be longer than zero", False
        if self.baseline is not None:
            if kind != "rate" or self.comparison != ">":
                return "baseline applies to '>' rate rules only", False
            if not 0 < self.baseline < self.threshold:
                return "baseline must be between 0 and the threshold", True
        if self.cooldown is not None and self.cooldown <= 0:
            return "the cooldown must be longer than zero", False
        return None


@dataclass(frozen=True)
class Measurement:
    """One measurement of a rule over a window."""

    observed: float | None
    bound: float | None
    limit: float
    samples: int
    breaches: bool

    @property
    def detail(self) -> str:
        """The numbers, as a ``breakerTrip`` event's ``detail``."""
        def show(value: float | None) -> str:
            return "none" if value is None else f"{value:.6g}"
        return f"observed {show(self.observed)}, bound {show(self.bound)}, limit {show(self.limit)}, samples {self.samples}"


class BernoulliCUSUM:
    """The fast path of rate rules with a ``baseline``: Wald's SPRT log-likelihood ratio accumulated
    as Page's CUSUM, ``S = max(0, S + k·ln(p1/p0) + (n−k)·ln((1−p1)/(1−p0)))`` for ``k`` failures in
    ``n`` trials, alarming at ``S ≥ ln((1−β)/α)`` with α = 10⁻⁶ and β = 0.01, as the server's
    ``BernoulliCUSUM``."""

    def __init__(self, p0: float, p1: float, alpha: float = 1e-6, beta: float = 0.01) -> None:
        if not 0 < p0 < p1 < 1:
            raise ValueError(f"the CUSUM needs 0 < baseline < threshold < 1, found {p0} and {p1}")
        self._failure = math.log(p1 / p0)
        self._success = math.log((1 - p1) / (1 - p0))
        self.threshold = math.log((1 - beta) / alpha)
        self.statistic = 0.0

    def observe(self, failures: int, trials: int) -> None:
        """Adds ``failures`` out of ``trials`` observations."""
        self.statistic = max(0.0, self.statistic + failures * self._failure + max(0, trials - failures) * self._success)

    @property
    def alarms(self) -> bool:
        """Whether the statistic crossed the threshold."""
        return self.statistic >= self.threshold


def wilson_lower(successes: int, trials: int, z: float = Z) -> float:
    """The lower Wilson score bound of ``successes / trials``; 0 without trials."""
    if trials <= 0:
        return 0.0
    center, spread = _wilson(successes, trials, z)
    return max(0.0, center - spread)


def wilson_upper(successes: int, trials: int, z: float = Z) -> float:
    """The upper Wilson score bound of ``successes / trials``; 1 without trials."""
    if trials <= 0:
        return 1.0
    center, spread = _wilson(successes, trials, z)
    return min(1.0, center + spread)


def _wilson(successes: int, trials: int, z: float) -> tuple[float, float]:
    n = float(trials)
    p = min(successes, trials) / n
    z2 = z * z
    denominator = 1 + z2 / n
    center = (p + z2 / (2 * n)) / denominator
    spread = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return center, spread


def log_normal_mean_bounds(count: int, sum_of_logs: float, sum_of_log_squares: float, z: float = Z) -> tuple[float, float]:
    """Cox's one-sided bounds (lower, upper) of E[X] from the moments of ``ln(1 + x)``;
    (-inf, inf) with fewer than two observations."""
    if count < 2:
        return -math.inf, math.inf
    n = float(count)
    log_mean = sum_of_logs / n
    variance = max(0.0, (sum_of_log_squares - sum_of_logs * sum_of_logs / n) / (n - 1))
    center = log_mean + variance / 2
    spread = z * math.sqrt(variance / n + variance * variance / (2 * (n - 1)))
    return math.expm1(center - spread), math.expm1(center + spread)


def _known_metric(name: str) -> bool:
    if name in RATE_METRICS:
        return True
    for quantity, has_quantile in QUANTITIES.items():
        capitalized = quantity[0].upper() + quantity[1:]
        if name == f"mean{capitalized}":
            return True
        if has_quantile and re.fullmatch(rf"p(\d\d){capitalized}", name) and 1 <= int(name[1:3]) <= 99:
            return True
    return False


def _known_names() -> list[str]:
    means = [f"mean{quantity[0].upper()}{quantity[1:]}" for quantity in QUANTITIES]
    return [*RATE_METRICS, *means, "p50LatencyMs", "p95OutputChars", "p99OutputWords (any pNN of outputChars, outputWords, latencyMs)"]


def _tokens(text: str) -> list[tuple[str, int]]:
    """Whitespace-separated words with their 1-based columns; ``>`` and ``<`` stand alone."""
    tokens: list[tuple[str, int]] = []
    current, start = "", 0
    for column, character in enumerate(text, start=1):
        if character.isspace() or character in "<>":
            if current:
                tokens.append((current, start))
            current = ""
            if not character.isspace():
                tokens.append((character, column))
        else:
            if not current:
                start = column
            current += character
    if current:
        tokens.append((current, start))
    return tokens


def _number_token(token: tuple[str, int], what: str) -> tuple[float, int]:
    text, column = token
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise KillRuleError(f"kill rule, column {column}: expected {what}, found '{text}'")
    return value, column


def _duration_token(token: tuple[str, int]) -> int:
    text, column = token
    match = _DURATION.match(text)
    if match is None:
        raise KillRuleError(f"kill rule, column {column}: expected a duration such as 90s, 15m, 1h or 3d, found '{text}'")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _duration(seconds: int) -> str:
    for unit, size in (("d", 86_400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
