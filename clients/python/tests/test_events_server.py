"""Events with the real server: what the SDK records appears in the flag's report, shutdown sends
what is queued, the server's per-event rejections are counted, and failing outputs trip a kill
rule on the server end to end."""

from __future__ import annotations

from collections.abc import Callable

from openfeature import api
from openfeature.flag_evaluation import Reason
from openfeature.track import TrackingEventDetails

import switchyard
from conftest import Environment, eventually

FLAG = "ai-document-summary"
Make = Callable[..., switchyard.SwitchyardProvider]


def arms(environment: Environment) -> dict[str, dict]:
    status, report = environment.admin("GET", f"/api/v1/flags/{FLAG}/report")
    assert status == 200, report
    return {arm["variant"]: arm for arm in report["arms"]}


def test_exposures_outputs_and_follow_ups_appear_in_the_report(environment: Environment) -> None:
    provider = switchyard.SwitchyardProvider(environment.server.url, environment.sdk_key, flush_interval=60.0)
    api.set_provider_and_wait(provider, domain="report-test")
    client = api.get_client("report-test")
    try:
        for index in range(40):
            user = switchyard.user_context(f"u-{index}", email="dev@acme.com" if index % 4 == 0 else f"u{index}@example.org")
            details = client.get_boolean_details(FLAG, False, user)
            client.get_boolean_details(FLAG, False, user)  # a repeat: one exposure per unit and window
            output_id = provider.track_output(FLAG, user, variant=details.variant, model="gpt-4o", output="A short summary.",
                                              latency_ms=420.0, tokens_in=300, tokens_out=12, error="rate limited" if index % 8 == 0 else None)
            client.track("feedback", user, TrackingEventDetails(attributes={"outputId": output_id, "positive": index % 3 != 0}))
            provider.track_edit(output_id, edited_length=15, edit_distance=2)
        assert provider.flush(timeout=10)
        assert provider.event_stats.rejected == 0
        report = arms(environment)
        assert report["on"]["outputs"] == 10 and report["on"]["units"] == 10
        assert report["off"]["outputs"] == 30 and report["off"]["units"] == 30
        assert report["on"]["values"]["errorRate"] == 0.5 and report["off"]["values"]["errorRate"] == 0.0
        assert report["on"]["values"]["editRate"] == 1.0
        assert report["off"]["values"]["latencyMs"] == 420.0
    finally:
        api.shutdown()


def test_shutdown_sends_the_queued_events(environment: Environment) -> None:
    provider = switchyard.SwitchyardProvider(environment.server.url, environment.sdk_key, flush_interval=60.0)
    api.set_provider_and_wait(provider, domain="shutdown-test")
    client = api.get_client("shutdown-test")
    for index in range(25):
        user = switchyard.user_context(f"u-{index}", email="x@example.org")
        provider.track_output(FLAG, user, variant=client.get_boolean_details(FLAG, False, user).variant)
    assert provider.event_stats.sent == 0
    api.shutdown()
    assert provider.event_stats.sent == 50
    report = arms(environment)
    assert (report["off"]["units"], report["off"]["outputs"]) == (25, 25)


def test_events_the_server_rejects_are_counted_not_raised(environment: Environment, make_provider: Make) -> None:
    provider = make_provider(environment.server.url, environment.sdk_key)
    provider.track_output("no-such-flag", None, variant="on")
    provider.track_output(FLAG, None, variant="sometimes")
    provider.track_output(FLAG, None, variant="on")
    assert provider.flush(timeout=10)
    assert (provider.event_stats.sent, provider.event_stats.rejected) == (3, 2)


def test_failing_outputs_trip_a_server_kill_rule_end_to_end(environment: Environment, make_provider: Make) -> None:
    status, answer = environment.admin("PUT", f"/api/v1/flags/{FLAG}/rules", text="errorRate > 0.2 over 10m minSamples 20\n")
    assert status == 200, answer
    provider = make_provider(environment.server.url, environment.sdk_key)
    internal = switchyard.user_context("u-1", email="dev@acme.com")
    for index in range(30):
        provider.track_output(FLAG, internal, variant="on", model="gpt-4o", error="upstream 500" if index % 2 else None)
    assert provider.flush(timeout=10)
    details = eventually(lambda: (d := provider.resolve_boolean_details(FLAG, True, internal)).reason == Reason.DISABLED and d,
                         timeout=5, message="the guardrail's kill")
    assert details.value is False
    assert details.flag_metadata.get("killedBy") == "guardrails"
    assert "errorRate" in details.flag_metadata.get("killReason", "")
