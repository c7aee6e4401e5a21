"""Sync details the real server does not do on demand: resuming with Last-Event-ID after the
stream ends, reconnecting a silent stream, and polling with ETags when there is no stream."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from openfeature.flag_evaluation import Reason

import switchyard
from conftest import eventually, example_document
from fakes import FakeFlagServer

FLAG = "ai-document-summary"
INTERNAL = switchyard.user_context("u-1", email="dev@acme.com")
Make = Callable[..., switchyard.SwitchyardProvider]


@pytest.fixture
def fake() -> Iterator[FakeFlagServer]:
    server = FakeFlagServer(example_document())
    yield server
    server.close()


def killed(document: dict) -> dict:
    flag = dict(document["flags"][FLAG])
    flag.pop("targeting")
    flag["metadata"] = {**flag.get("metadata", {}), "killed": True, "killReason": "drill", "killedBy": "key_x", "killedAt": "2026-12-01T00:00:00Z"}
    return flag


def test_the_stream_resumes_with_last_event_id_and_the_client_id(fake: FakeFlagServer, make_provider: Make) -> None:
    change = {"version": 2, "flag": FLAG, "served": killed(fake.document), "action": "flag.kill",
              "kill": {"reason": "drill", "at": "2026-12-01T00:00:00Z", "by": "key_x"}, "somethingNew": [1]}
    fake.stream_script = [[None], [(2, "change", change)]]
    provider = make_provider(fake.url, "sy_sdk_x", client_id="py-resume", reconnect_delay=(0.01, 0.02))
    details = eventually(lambda: (d := provider.resolve_boolean_details(FLAG, True, INTERNAL)).reason == Reason.DISABLED and d, message="the change")
    assert details.flag_metadata["killReason"] == "drill"
    streams = fake.streams()
    assert streams[0]["path"] == "/api/v1/sdk/stream?client=py-resume"
    assert streams[1]["Last-Event-ID"] == "1"

    def receipts() -> list[dict]:
        return [json.loads(headers["body"]) for method, path, headers in fake.requests if path == "/api/v1/sdk/applied"]

    eventually(lambda: {"client": "py-resume", "version": 2} in receipts(), message="the receipt for version 2")


def test_a_silent_stream_is_reconnected(fake: FakeFlagServer, make_provider: Make) -> None:
    fake.stream_script = [[], [(2, "document", {"version": 2, "document": {**fake.document, "flags": {}}})]]
    provider = make_provider(fake.url, "sy_sdk_x", stream_idle_timeout=0.2, reconnect_delay=(0.01, 0.02))
    eventually(lambda: provider.resolve_boolean_details(FLAG, True, INTERNAL).error_code is not None, message="the document of the second stream")
    assert len(fake.streams()) >= 2


def test_without_a_stream_the_provider_polls_with_etags(make_provider: Make) -> None:
    fake = FakeFlagServer(example_document(), stream=False)
    try:
        provider = make_provider(fake.url, "sy_sdk_x", poll_interval=0.05)
        eventually(lambda: any(h.get("If-None-Match") == '"1"' for m, p, h in fake.requests if p.startswith("/api/v1/sdk/flags")), message="a conditional poll")
        fake.document = {**fake.document, "flags": {FLAG: killed(fake.document)}}
        fake.version = 2
        eventually(lambda: provider.resolve_boolean_details(FLAG, True, INTERNAL).reason == Reason.DISABLED, message="the polled change")
        assert provider.state == "ready"
    finally:
        fake.close()
