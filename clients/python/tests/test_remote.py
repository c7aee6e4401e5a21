"""Remote mode: one OFREP request per evaluation, with the kill marker, and the code default when
the server cannot be reached."""

from __future__ import annotations

from collections.abc import Callable

from openfeature.exception import ErrorCode
from openfeature.flag_evaluation import Reason

import switchyard
from conftest import Environment, free_port

FLAG = "ai-document-summary"
INTERNAL = switchyard.user_context("u-1", email="dev@acme.com")
Make = Callable[..., switchyard.SwitchyardProvider]


def test_remote_mode_evaluates_over_ofrep_with_the_kill_marker(environment: Environment, make_provider: Make) -> None:
    provider = make_provider(environment.server.url, environment.sdk_key, mode="remote")
    details = provider.resolve_boolean_details(FLAG, False, INTERNAL)
    assert (details.value, details.variant, details.reason) == (True, "on", Reason.TARGETING_MATCH)
    assert provider.resolve_object_details("summary-model-config", {}, None).value["promptVersion"] == "summary-v3"
    assert provider.resolve_integer_details(FLAG, 7, INTERNAL).error_code == ErrorCode.TYPE_MISMATCH
    assert provider.resolve_string_details("missing", "code", INTERNAL).error_code == ErrorCode.FLAG_NOT_FOUND
    environment.admin("POST", f"/api/v1/flags/{FLAG}/kill", {"reason": "remote drill"})
    details = provider.resolve_boolean_details(FLAG, True, INTERNAL)
    assert (details.value, details.reason, details.flag_metadata.get("killReason")) == (False, Reason.DISABLED, "remote drill")


def test_remote_mode_serves_the_code_default_when_the_server_is_down(make_provider: Make) -> None:
    provider = make_provider(f"http://127.0.0.1:{free_port()}", "sy_sdk_x", mode="remote")
    details = provider.resolve_boolean_details(FLAG, True, INTERNAL)
    assert (details.value, details.error_code, details.reason) == (True, ErrorCode.GENERAL, Reason.ERROR)
    assert provider.state == "stale"
