"""The fail-safe order with the real server: killed mid-stream the provider keeps serving the last
document (and its cache serves the next process), and when the server comes back the stream
resumes and delivers what changed meanwhile."""

from __future__ import annotations

import json
import pathlib
from collections.abc import Callable

from openfeature.flag_evaluation import Reason

import switchyard
from conftest import EXAMPLE_FLAGS, Environment, Server, eventually, example_document

FLAG = "ai-document-summary"
INTERNAL = switchyard.user_context("u-1", email="dev@acme.com")
Make = Callable[..., switchyard.SwitchyardProvider]


def test_killed_mid_stream_the_provider_serves_the_last_document_then_resumes(
        own_server: Server, make_provider: Make, cache_dir: pathlib.Path) -> None:
    environment = Environment(own_server, example_document())
    cache = cache_dir / "flags.json"
    provider = make_provider(own_server.url, environment.sdk_key, cache_file=str(cache), reconnect_delay=(0.05, 0.2))
    environment.admin("POST", "/api/v1/flags/summary-model-version/disable")
    eventually(lambda: provider.resolve_string_details("summary-model-version", "code", INTERNAL).reason == Reason.DISABLED, message="the change")
    version = provider.document_version
    eventually(lambda: json.loads(cache.read_text())["version"] == version, message="the cache written")

    own_server.kill()
    eventually(lambda: provider.state == "stale", message="noticing the server is gone")
    assert provider.resolve_boolean_details(FLAG, False, INTERNAL).value is True
    assert provider.resolve_string_details("summary-model-version", "code", INTERNAL).value == "code"

    # A process started now, with the server down, serves the cache rather than the bootstrap file.
    second = make_provider(own_server.url, environment.sdk_key, cache_file=str(cache), bootstrap_file=str(EXAMPLE_FLAGS), start_timeout=0.5,
                           reconnect_delay=(0.05, 0.2))
    assert second.state_description == "the cached document"
    assert second.resolve_string_details("summary-model-version", "code", INTERNAL).reason == Reason.DISABLED

    own_server.start()
    eventually(lambda: provider.state == "ready", timeout=10, message="reconnecting")
    # The stream resumed after the cached version with nothing newer: the cache is current.
    eventually(lambda: second.state == "ready", timeout=10, message="the cached document counting as current")
    environment.admin("POST", f"/api/v1/flags/{FLAG}/kill", {"reason": "after the restart"})
    eventually(lambda: provider.resolve_boolean_details(FLAG, True, INTERNAL).reason == Reason.DISABLED, message="a change after the restart")
    assert provider.document_version > version
    eventually(lambda: json.loads(cache.read_text())["version"] == provider.document_version, message="the cache following")


def test_a_change_made_while_disconnected_arrives_on_resume(own_server: Server, make_provider: Make) -> None:
    environment = Environment(own_server, example_document())
    provider = make_provider(own_server.url, environment.sdk_key, reconnect_delay=(0.5, 0.5))
    own_server.kill()
    eventually(lambda: provider.state == "stale", message="noticing the server is gone")
    own_server.start()
    # Written before the provider's reconnection: only the resumed stream can bring it.
    environment.admin("POST", f"/api/v1/flags/{FLAG}/disable")
    eventually(lambda: provider.resolve_boolean_details(FLAG, True, INTERNAL).reason == Reason.DISABLED, timeout=10, message="the missed change")


def test_openfeature_hears_stale_when_the_server_is_lost_and_ready_when_it_is_back(own_server: Server) -> None:
    from openfeature import api
    from openfeature.event import ProviderEvent

    environment = Environment(own_server, example_document())
    provider = switchyard.SwitchyardProvider(own_server.url, environment.sdk_key, reconnect_delay=(0.05, 0.2), exposures=False)
    heard: list[ProviderEvent] = []
    api.set_provider_and_wait(provider, domain="stale-test")
    try:
        client = api.get_client("stale-test")
        for event in (ProviderEvent.PROVIDER_STALE, ProviderEvent.PROVIDER_READY):
            client.add_handler(event, lambda details, event=event: heard.append(event))
        heard.clear()  # a handler added to a ready provider hears READY at once
        own_server.kill()
        eventually(lambda: ProviderEvent.PROVIDER_STALE in heard, message="PROVIDER_STALE")
        assert client.get_boolean_value(FLAG, False, INTERNAL) is True, "a stale provider still evaluates"
        own_server.start()
        eventually(lambda: heard[-1] == ProviderEvent.PROVIDER_READY, timeout=10, message="PROVIDER_READY")
    finally:
        api.shutdown()
