"""The repository's request files, typed as written, get the server's OFREP answers from the
provider: every value type, type mismatches, disabled and missing flags, sem_ver, string operators."""

from __future__ import annotations

import json
import pathlib
import typing
from collections.abc import Callable

import pytest
from openfeature.evaluation_context import EvaluationContext

import switchyard
from conftest import REPOSITORY, Environment, Server

CASES = [
    (REPOSITORY / "examples" / "flags.json", REPOSITORY / "examples" / "requests.jsonl"),
    (REPOSITORY / "Scripts" / "ofrep-python" / "flags.json", REPOSITORY / "Scripts" / "ofrep-python" / "requests.jsonl"),
]


@pytest.mark.parametrize(("flags", "requests"), CASES, ids=["examples", "ofrep-python"])
def test_request_files_get_the_servers_answers(flags: pathlib.Path, requests: pathlib.Path, server: Server,
                                               make_provider: Callable[..., switchyard.SwitchyardProvider]) -> None:
    environment = Environment(server, json.loads(flags.read_text()))
    provider = make_provider(server.url, environment.sdk_key, exposures=False)
    compared = 0
    for line in requests.read_text().splitlines():
        request: dict[str, typing.Any] = json.loads(line)
        context = dict(request.get("context") or {})
        _, answer = environment.sdk("POST", f"/ofrep/v1/evaluate/flags/{request['flag']}", {"context": context})
        targeting_key = context.pop("targetingKey", None)
        resolve = getattr(provider, f"resolve_{request.get('type', 'object')}_details")
        details = resolve(request["flag"], request["default"], EvaluationContext(targeting_key, context))
        if "errorCode" in answer:
            assert details.error_code is not None and details.error_code.value == answer["errorCode"], (request, answer, details)
            assert details.value == request["default"]
        else:
            expected_value = answer.get("value", request["default"])  # absent: the caller's default (a disabled flag)
            if request.get("type") in ("boolean", "string", "integer", "float", "object") and not _fits(request["type"], expected_value):
                assert details.error_code is not None and details.error_code.value == "TYPE_MISMATCH", (request, answer, details)
            else:
                got = (details.value, details.variant, str(details.reason))
                assert got == (expected_value, answer.get("variant"), answer["reason"]), (request, answer, details)
        compared += 1
    assert compared == len(requests.read_text().splitlines())


def _fits(kind: str, value: typing.Any) -> bool:
    """Whether an OFREP value (untyped) is of the type asked for, as the server's typed evaluation judges."""
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, float) and value.is_integer())
    if kind == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, (dict, list))
