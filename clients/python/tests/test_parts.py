"""The small parts on their own: the SSE parser, exposure deduplication and the context helper."""

from __future__ import annotations

import typing

import pytest
from openfeature.evaluation_context import EvaluationContext
from openfeature.flag_evaluation import FlagEvaluationDetails, Reason
from openfeature.flag_evaluation import FlagType
from openfeature.hook import HookContext

import switchyard
from switchyard._exposures import ExposureHook
from switchyard._sse import ServerSentEventParser


def test_the_sse_parser_dispatches_on_blank_lines_and_keeps_the_id() -> None:
    parser = ServerSentEventParser()
    lines = [b": heartbeat\n", b"\n", b"id: 7\n", b"event: change\n", b'data: {"version": 7,\n', b'data:  "flag": "f"}\r\n', b"retry: 1500\n", b"\n"]
    events = [event for line in lines if (event := parser.feed(line)) is not None]
    assert len(events) == 1
    assert (events[0].name, events[0].data, events[0].id) == ("change", '{"version": 7,\n "flag": "f"}', "7")
    assert (parser.last_id, parser.retry_ms) == ("7", 1500)


def evaluated(hook: ExposureHook, unit: str | None, variant: str | None, reason: Reason = Reason.TARGETING_MATCH) -> None:
    context = HookContext("f", FlagType.BOOLEAN, False, EvaluationContext(unit))
    hook.after(context, FlagEvaluationDetails("f", True, variant, reason=reason), {})


def test_exposures_are_reported_once_per_unit_flag_and_variant_in_a_window(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[dict[str, typing.Any]] = []
    clock = [1000.0]
    monkeypatch.setattr("switchyard._exposures.time.monotonic", lambda: clock[0])
    hook = ExposureHook(sent.append, window=600)
    for _ in range(3):
        evaluated(hook, "u-1", "on")
    evaluated(hook, "u-1", "off")
    evaluated(hook, "u-2", "on")
    evaluated(hook, None, "on")
    evaluated(hook, "u-3", None, Reason.ERROR)
    reported = [(event["unitKey"], event["variant"], event["reason"]) for event in sent]
    assert reported == [("u-1", "on", "TARGETING_MATCH"), ("u-1", "off", "TARGETING_MATCH"), ("u-2", "on", "TARGETING_MATCH")]
    clock[0] += 601
    evaluated(hook, "u-1", "on")
    assert len(sent) == 4


def test_user_context_sets_the_targeting_key_and_attributes() -> None:
    context = switchyard.user_context("u-42", email="a@acme.com", tier="enterprise", beta=True, plan="team")
    assert context.targeting_key == "u-42"
    assert context.attributes == {"email": "a@acme.com", "tier": "enterprise", "beta": True, "plan": "team"}
    with pytest.raises(ValueError, match="user_id must not be empty"):
        switchyard.user_context("")


def test_anonymous_evaluations_of_a_rollout_log_nothing(caplog: pytest.LogCaptureFixture) -> None:
    from conftest import EXAMPLE_FLAGS
    provider = switchyard.SwitchyardProvider(bootstrap_file=str(EXAMPLE_FLAGS))
    with caplog.at_level("DEBUG"):
        details = provider.resolve_boolean_details("ai-document-summary", True, EvaluationContext(None, {"email": "x@example.org"}))
    assert (details.variant, str(details.reason)) == ("off", "DEFAULT")
    assert [record.getMessage() for record in caplog.records if record.levelno >= 40] == []
