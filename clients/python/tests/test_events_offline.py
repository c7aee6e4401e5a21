"""The event queue and sender against a scripted server: retries with the same batch id, the
bounded queue, rejections, shutdown flush, and bad arguments."""

from __future__ import annotations

import logging
import typing
from collections.abc import Callable, Iterator

import pytest

import switchyard
from conftest import eventually
from fakes import FakeEventServer

USER = switchyard.user_context("u-1", email="a@acme.com")


@pytest.fixture
def fake() -> Iterator[FakeEventServer]:
    server = FakeEventServer()
    yield server
    server.close()


def provider_for(fake: FakeEventServer, make_provider: Callable[..., switchyard.SwitchyardProvider], **options: typing.Any) -> switchyard.SwitchyardProvider:
    options.setdefault("retry_delay", (0.01, 0.05))
    return make_provider(fake.url, "sy_sdk_fake", initialize=False, **options)


def test_a_failed_batch_is_retried_with_the_same_batch_id(fake: FakeEventServer, make_provider: Callable[..., switchyard.SwitchyardProvider]) -> None:
    fake.script = [503, 500]
    provider = provider_for(fake, make_provider)
    output_id = provider.track_output("ai-document-summary", USER, variant="on", model="m", output="three short words")
    assert provider.flush(timeout=5)
    assert [batch["status"] for batch in fake.batches] == [503, 500, 200]
    assert len({batch["body"]["batchId"] for batch in fake.batches}) == 1
    [event] = fake.delivered
    assert event["outputId"] == output_id
    assert (event["chars"], event["words"], event["finishReason"], event["unitKey"]) == (17, 3, "stop", "u-1")
    assert provider.event_stats.retries == 2


def test_a_batch_goes_as_soon_as_flush_size_events_are_queued(fake: FakeEventServer, make_provider: Callable[..., switchyard.SwitchyardProvider]) -> None:
    provider = provider_for(fake, make_provider, flush_size=3, flush_interval=60.0)
    for index in range(7):
        provider.track_action("o-1", f"action-{index}")
    eventually(lambda: len(fake.delivered) >= 6, message="two full batches sent without a flush")
    assert all(len(batch["body"]["events"]) <= 3 for batch in fake.batches)
    assert provider.event_stats.queued == 7


def test_a_refused_batch_is_dropped_and_counted(fake: FakeEventServer, make_provider: Callable[..., switchyard.SwitchyardProvider]) -> None:
    fake.script = [400]
    provider = provider_for(fake, make_provider)
    provider.track_feedback("o-1", True)
    provider.flush(timeout=5)
    assert len(fake.batches) == 1
    assert provider.event_stats.dropped_failed == 1


def test_a_batch_too_large_for_the_server_is_sent_again_in_halves(fake: FakeEventServer, make_provider: Callable[..., switchyard.SwitchyardProvider]) -> None:
    fake.script = [413]
    provider = provider_for(fake, make_provider)
    for index in range(10):
        provider.track_action("o-1", f"action-{index}")
    assert provider.flush(timeout=5)
    assert [(batch["status"], len(batch["body"]["events"])) for batch in fake.batches] == [(413, 10), (200, 5), (200, 5)]
    assert [event["name"] for event in fake.delivered] == [f"action-{index}" for index in range(10)]


def test_a_full_queue_drops_the_oldest_and_counts_them(fake: FakeEventServer, make_provider: Callable[..., switchyard.SwitchyardProvider]) -> None:
    provider = provider_for(fake, make_provider, max_queued_events=3, flush_size=100)
    for index in range(5):
        provider.track_action("o-1", f"action-{index}")
    assert provider.event_stats.dropped_full == 2
    assert provider.flush(timeout=5)
    assert [event["name"] for event in fake.delivered] == ["action-2", "action-3", "action-4"]


def test_rejections_are_counted_and_each_message_logged_once(
        fake: FakeEventServer, make_provider: Callable[..., switchyard.SwitchyardProvider], caplog: pytest.LogCaptureFixture) -> None:
    fake.rejected = [{"path": f"events[{index}].flag", "message": f"events[{index}].flag: the environment has no flag 'gone'"} for index in range(3)]
    provider = provider_for(fake, make_provider)
    for _ in range(3):
        provider.track_output("gone", USER, variant="on")
    with caplog.at_level(logging.WARNING, logger="switchyard"):
        assert provider.flush(timeout=5)
    assert provider.event_stats.rejected == 3
    warnings = [record.getMessage() for record in caplog.records if "rejected an event" in record.getMessage()]
    assert len(warnings) == 1 and "no flag 'gone'" in warnings[0]


def test_shutdown_sends_what_is_queued(fake: FakeEventServer) -> None:
    provider = switchyard.SwitchyardProvider(fake.url, "sy_sdk_fake", flush_interval=60.0)
    provider.track_output("ai-document-summary", USER, variant="off")
    provider.track_action("o-1", "sent")
    provider.shutdown()
    assert [event["type"] for event in fake.delivered] == ["output", "action"]


def test_tracking_never_waits_for_an_unreachable_server(make_provider: Callable[..., switchyard.SwitchyardProvider]) -> None:
    provider = make_provider("http://127.0.0.1:9", "sy_sdk_fake", initialize=False, retry_delay=(5.0, 5.0), shutdown_timeout=0.1)
    for _ in range(1000):
        provider.track_output("ai-document-summary", USER, variant="on", output="x")
    assert provider.event_stats.queued == 1000
    assert provider.flush(timeout=0.2) is False


def test_the_control_arm_needs_only_flag_context_and_variant(fake: FakeEventServer, make_provider: Callable[..., switchyard.SwitchyardProvider]) -> None:
    provider = provider_for(fake, make_provider)
    provider.track_output("ai-document-summary", None, variant="off")
    provider.flush(timeout=5)
    [event] = fake.delivered
    assert event == {**event, "unitKey": "anonymous", "model": "unknown", "chars": 0, "words": 0, "latencyMs": 0.0,
                     "tokensIn": 0, "tokensOut": 0, "finishReason": "stop"}
    assert isinstance(event["timestamp"], int) and event["timestamp"] > 1_700_000_000_000


@pytest.mark.parametrize(("call", "message"), [
    (lambda p: p.track_output("", USER, variant="on"), "flag must be a non-empty string"),
    (lambda p: p.track_output("f", USER, variant=""), "variant must be a non-empty string"),
    (lambda p: p.track_output("f", USER, variant="on", finish_reason="done"), "finish_reason must be one of"),
    (lambda p: p.track_output("f", USER, variant="on", latency_ms=-1), "latency_ms must be a finite number"),
    (lambda p: p.track_output("f", USER, variant="on", tokens_in=1.5), "tokens_in must be a whole number"),
    (lambda p: p.track_output("f", {"targetingKey": "u"}, variant="on"), "context must be an openfeature EvaluationContext"),
    (lambda p: p.track_feedback("o-1", 1), "positive must be True or False"),
    (lambda p: p.track_edit("o-1", -3, 1), "edited_length must be a finite number"),
    (lambda p: p.attach_breaker("f", "errorRate > 2 over 1m"), "column 13: a rate threshold"),
])
def test_bad_arguments_name_what_is_wrong(call: Callable[[switchyard.SwitchyardProvider], None], message: str,
                                          make_provider: Callable[..., switchyard.SwitchyardProvider]) -> None:
    provider = make_provider(initialize=False)
    with pytest.raises((TypeError, ValueError), match=message):
        call(provider)


@pytest.mark.parametrize(("options", "message"), [
    ({"start_timout": 1}, "unknown option start_timout"),
    ({"flush_size": 0}, "flush_size must be a whole number"),
    ({"mode": "edge"}, 'mode must be "in-process" or "remote"'),
    ({"reconnect_delay": (5, 1)}, "the longest wait 1 is shorter than the first 5"),
])
def test_bad_options_name_the_option(options: dict[str, typing.Any], message: str) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        switchyard.SwitchyardProvider(**options)


def test_a_url_without_an_sdk_key_is_refused() -> None:
    with pytest.raises(ValueError, match="sdk_key is required"):
        switchyard.SwitchyardProvider("http://127.0.0.1:8700")
    with pytest.raises(ValueError, match="url must be an http:// or https:// URL"):
        switchyard.SwitchyardProvider("127.0.0.1:8700", "sy_sdk_x")
    with pytest.raises(ValueError, match='mode="remote" evaluates on the server'):
        switchyard.SwitchyardProvider(mode="remote")
