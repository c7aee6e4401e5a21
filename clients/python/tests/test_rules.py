"""Kill rules read exactly as the server reads them, and bounded with the server's statistics
(the expected numbers are those of Tests/SwitchyardGuardTests)."""

from __future__ import annotations

import math

import pytest

from switchyard import KillRule, KillRuleError
from switchyard.rules import log_normal_mean_bounds, wilson_lower, wilson_upper


@pytest.mark.parametrize("text", [
    "errorRate > 0.05 over 15m minSamples 50",
    "meanOutputChars > 5000 over 15m minSamples 50",
    "p95LatencyMs > 8000 over 10m minSamples 50",
    "negativeFeedbackRate > 0.2 over 1h minSamples 50",
    "errorRate > 0.05 over 15m minSamples 20 baseline 0.02 cooldown 30m",
    "actionRate < 0.1 over 1d minSamples 200",
])
def test_the_text_form_round_trips(text: str) -> None:
    assert KillRule.parse(text).text == text


def test_reads_compact_rules_with_defaults() -> None:
    rule = KillRule.parse("errorRate>0.05 over 15m")
    assert (rule.metric, rule.comparison, rule.threshold, rule.window, rule.min_samples) == ("errorRate", ">", 0.05, 900, 50)
    quantile = KillRule.parse("p95LatencyMs > 8000 over 10m")
    assert (quantile.kind, quantile.quantity, quantile.percent) == ("quantile", "latencyMs", 95)


@pytest.mark.parametrize(("text", "column", "message"), [
    ("errorRat > 0.05 over 15m", 1, "unknown metric 'errorRat'"),
    ("errorRate >= 0.05 over 15m", 12, "expected a threshold, found '='"),
    ("errorRate > 0.05 during 15m", 18, "expected 'over', found 'during'"),
    ("errorRate > 0.05 over fifteen", 23, "expected a duration such as 90s, 15m, 1h or 3d, found 'fifteen'"),
    ("errorRate > 5 over 15m", 13, "a rate threshold must be between 0 and 1"),
    ("errorRate > 0.05 over 15m minSamples", 37, "expected a whole number of samples, found the end of the rule"),
    ("errorRate > 0.05 over 15m sometimes", 27, "expected minSamples, baseline or cooldown, found 'sometimes'"),
    ("p95LatencyMs < 10 over 1h", 14, "quantile rules only support '>'"),
])
def test_parse_errors_name_the_column(text: str, column: int, message: str) -> None:
    with pytest.raises(KillRuleError) as raised:
        KillRule.parse(text)
    assert f"column {column}:" in str(raised.value)
    assert message in str(raised.value)


def test_ratio_rules_are_refused_with_the_reason() -> None:
    with pytest.raises(KillRuleError, match="evaluated by the server only"):
        KillRule.parse("outputChars ratio vs control > 3 over 15m")


def test_a_rule_that_is_not_text_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="kill rule must be a string"):
        KillRule.parse(0.05)  # type: ignore[arg-type]


def test_wilson_bounds_match_the_server() -> None:
    assert wilson_lower(7, 50) == pytest.approx(0.061085930589714586, rel=1e-12)
    assert wilson_lower(0, 50) == 0
    assert wilson_lower(50, 50) == pytest.approx(0.902056508427914, rel=1e-12)
    assert wilson_upper(1, 200) == pytest.approx(0.035476814021086905, rel=1e-12)


def test_log_normal_mean_bounds_match_the_server() -> None:
    lower, upper = log_normal_mean_bounds(100, 700.0, 99 * 0.36 + 4900)
    assert lower == pytest.approx(1126.7969162925126, rel=1e-9)
    assert upper == pytest.approx(1527.4029151597524, rel=1e-9)
    assert log_normal_mean_bounds(1, 1.0, 1.0) == (-math.inf, math.inf)


def test_the_cusum_adds_log_likelihood_ratios_and_alarms_at_the_servers_threshold() -> None:
    from switchyard.rules import BernoulliCUSUM
    cusum = BernoulliCUSUM(0.02, 0.08)
    assert cusum.threshold == pytest.approx(math.log(0.99 / 1e-6))
    cusum.observe(failures=1, trials=1)
    assert cusum.statistic == pytest.approx(math.log(4))
    cusum.observe(failures=0, trials=100)
    assert cusum.statistic == 0
    with pytest.raises(ValueError, match="0 < baseline < threshold < 1"):
        BernoulliCUSUM(0.1, 0.05)
