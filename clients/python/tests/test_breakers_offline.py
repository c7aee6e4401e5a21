"""Local circuit breakers with the server unreachable: they trip on this process's own outputs,
serve the safe variant with the kill marker, report a breakerTrip event and re-arm."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from openfeature.flag_evaluation import Reason

import switchyard
from conftest import EXAMPLE_FLAGS, free_port

INTERNAL = switchyard.user_context("u-7", email="dev@acme.com")
FLAG = "ai-document-summary"
Make = Callable[..., switchyard.SwitchyardProvider]


def unreachable(make_provider: Make) -> switchyard.SwitchyardProvider:
    return make_provider(f"http://127.0.0.1:{free_port()}", "sy_sdk_x", bootstrap_file=str(EXAMPLE_FLAGS), start_timeout=0.5,
                         shutdown_timeout=0.1, retry_delay=(5.0, 5.0))


def breaker_trips(provider: switchyard.SwitchyardProvider) -> list[dict]:
    return [event for event in provider._events._queue if event["type"] == "breakerTrip"]


def test_an_error_rate_breaker_trips_with_the_server_unreachable(make_provider: Make) -> None:
    provider = unreachable(make_provider)
    provider.attach_breaker(FLAG, "errorRate > 0.2 over 10m minSamples 20", variant="on")
    for index in range(19):
        provider.track_output(FLAG, INTERNAL, variant="on", error="timeout" if index % 2 else None)
    assert provider.resolve_boolean_details(FLAG, False, INTERNAL).value is True, "19 samples are below minSamples"
    provider.track_output(FLAG, INTERNAL, variant="on", error="timeout")
    details = provider.resolve_boolean_details(FLAG, True, INTERNAL)
    assert (details.value, details.variant, details.reason) == (False, "off", Reason.DISABLED)
    assert details.flag_metadata["killed"] is True and details.flag_metadata["killedBy"] == "local-breaker"
    assert provider.tripped_breakers == {FLAG}
    [trip] = breaker_trips(provider)
    assert (trip["flag"], trip["variant"], trip["rule"]) == (FLAG, "on", "errorRate > 0.2 over 10m minSamples 20")
    assert "samples 20" in trip["detail"]


def test_healthy_outputs_do_not_trip(make_provider: Make) -> None:
    provider = unreachable(make_provider)
    provider.attach_breaker(FLAG, "errorRate > 0.2 over 10m minSamples 20")
    for index in range(200):
        provider.track_output(FLAG, INTERNAL, variant="on", error="x" if index % 10 == 0 else None)
    assert provider.tripped_breakers == set()
    assert provider.resolve_boolean_details(FLAG, False, INTERNAL).value is True


@pytest.mark.parametrize(("rule", "bad", "good"), [
    ("truncationRate > 0.3 over 5m minSamples 10", {"finish_reason": "length"}, {"finish_reason": "stop"}),
    ("emptyRate > 0.3 over 5m minSamples 10", {"finish_reason": "empty"}, {}),
    ("meanOutputChars < 100 over 5m minSamples 10", {"output": "ok"}, {"output": "a long and useful summary " * 20}),
    ("meanLatencyMs > 2000 over 5m minSamples 10", {"latency_ms": 9000.0}, {"latency_ms": 300.0}),
    ("p95LatencyMs > 5000 over 5m minSamples 10", {"latency_ms": 9000.0}, {"latency_ms": 300.0}),
    ("p90OutputWords > 50 over 5m minSamples 10", {"output": "word " * 80}, {"output": "word " * 20}),
])
def test_each_kind_of_rule_trips_on_bad_outputs_only(rule: str, bad: dict, good: dict, make_provider: Make) -> None:
    healthy = unreachable(make_provider)
    healthy.attach_breaker(FLAG, rule, variant="on")
    for _ in range(40):
        healthy.track_output(FLAG, INTERNAL, variant="on", **good)
    assert healthy.tripped_breakers == set()
    failing = unreachable(make_provider)
    failing.attach_breaker(FLAG, rule, variant="on")
    for _ in range(40):
        failing.track_output(FLAG, INTERNAL, variant="on", **bad)
    assert failing.tripped_breakers == {FLAG}


def test_negative_feedback_counts_through_the_output(make_provider: Make) -> None:
    provider = unreachable(make_provider)
    provider.attach_breaker(FLAG, "negativeFeedbackRate > 0.3 over 5m minSamples 10")
    for _ in range(15):
        provider.track_feedback(provider.track_output(FLAG, INTERNAL, variant="on"), False)
    assert provider.tripped_breakers == {FLAG}


def test_the_safe_variant_is_not_watched_and_other_variants_are(make_provider: Make) -> None:
    provider = unreachable(make_provider)
    provider.attach_breaker(FLAG, "errorRate > 0.2 over 10m minSamples 10")
    for _ in range(30):
        provider.track_output(FLAG, INTERNAL, variant="off", error="x")
    assert provider.tripped_breakers == set(), "the safe variant 'off' is what a trip serves"
    for _ in range(10):
        provider.track_output(FLAG, INTERNAL, variant="on", error="x")
    assert provider.tripped_breakers == {FLAG}


def test_reset_serves_the_flag_again_and_forgets_the_evidence(make_provider: Make) -> None:
    provider = unreachable(make_provider)
    provider.attach_breaker(FLAG, "errorRate > 0.2 over 10m minSamples 10", variant="on")
    for _ in range(10):
        provider.track_output(FLAG, INTERNAL, variant="on", error="x")
    assert provider.tripped_breakers == {FLAG}
    provider.reset_breaker(FLAG)
    assert provider.tripped_breakers == set()
    assert provider.resolve_boolean_details(FLAG, False, INTERNAL).reason == Reason.TARGETING_MATCH
    provider.track_output(FLAG, INTERNAL, variant="on", error="x")
    assert provider.tripped_breakers == set()


def test_a_cooldown_rearms_the_rule(make_provider: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    import switchyard.provider as provider_module
    clock = [1_800_000_000_000]
    monkeypatch.setattr(provider_module, "now_ms", lambda: clock[0])
    provider = unreachable(make_provider)
    provider.attach_breaker(FLAG, "errorRate > 0.2 over 10m minSamples 10 cooldown 1m", variant="on")
    for _ in range(10):
        provider.track_output(FLAG, INTERNAL, variant="on", error="x")
    assert provider.tripped_breakers == {FLAG}
    clock[0] += 59_000
    assert provider.tripped_breakers == {FLAG}
    clock[0] += 2_000
    assert provider.tripped_breakers == set()
    assert provider.resolve_boolean_details(FLAG, False, INTERNAL).value is True


def test_a_baseline_runs_the_cusum_fast_path_before_min_samples(make_provider: Make) -> None:
    provider = unreachable(make_provider)
    provider.attach_breaker(FLAG, "errorRate > 0.5 over 10m minSamples 1000 baseline 0.05", variant="on")
    for _ in range(5):
        provider.track_output(FLAG, INTERNAL, variant="on", error="x")
    assert provider.tripped_breakers == set(), "5 failures: S = 5 ln 10 = 11.51 < ln(0.99 / 1e-6) = 13.8055"
    provider.track_output(FLAG, INTERNAL, variant="on", error="x")
    assert provider.tripped_breakers == {FLAG}, "6 failures: S = 13.8155"
    [trip] = breaker_trips(provider)
    assert "bound 13.8155, limit 13.8055, samples 6" in trip["detail"]
