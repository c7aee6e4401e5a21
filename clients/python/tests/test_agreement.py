"""In-process evaluation gives the server's OFREP answers: examples/flags.json with generated
contexts, under both hashing generations, through every typed resolver the flags need."""

from __future__ import annotations

import random
import typing
from collections.abc import Callable

import pytest
from openfeature.evaluation_context import EvaluationContext

import switchyard
from conftest import Environment, Server, example_document

KINDS = {bool: "boolean", str: "string", dict: "object", int: "integer", float: "float"}


def generated_contexts(count: int, seed: int) -> list[dict[str, typing.Any]]:
    """Users with and without the attributes the example flags target, and a few odd ones."""
    chooser = random.Random(seed)
    contexts = []
    for index in range(count):
        context: dict[str, typing.Any] = {"targetingKey": f"user-{chooser.randrange(10**9)}"}
        if chooser.random() < 0.3:
            context["email"] = chooser.choice(["dev@acme.com", f"u{index}@example.org", "ACME@acme.com", "x@acme.com.evil.org"])
        if chooser.random() < 0.3:
            context["tier"] = chooser.choice(["enterprise", "pro", "free", 3])
        if chooser.random() < 0.3:
            context["beta"] = chooser.choice([True, False, "true"])
        if chooser.random() < 0.05:
            del context["targetingKey"]
        contexts.append(context)
    return contexts


def agree(environment: Environment, provider: switchyard.SwitchyardProvider, contexts: list[dict[str, typing.Any]]) -> int:
    """Compares every flag for every context; returns how many evaluations were compared."""
    compared = 0
    for context in contexts:
        status, answer = environment.sdk("POST", "/ofrep/v1/evaluate/flags", {"context": context})
        assert status == 200, answer
        attributes = {key: value for key, value in context.items() if key != "targetingKey"}
        evaluation_context = EvaluationContext(context.get("targetingKey"), attributes)
        for expected in answer["flags"]:
            value = expected["value"]
            kind = KINDS[type(value)]
            resolve = getattr(provider, f"resolve_{kind}_details")
            default = {"boolean": False, "string": "", "object": {}, "integer": 0, "float": 0.0}[kind]
            details = resolve(expected["key"], default, evaluation_context)
            got = (details.value, details.variant, str(details.reason), dict(details.flag_metadata))
            want = (value, expected.get("variant"), expected["reason"], expected.get("metadata", {}))
            assert got == want, f"{expected['key']} for {context}: {got} != {expected}"
            compared += 1
    return compared


@pytest.mark.parametrize("hashing", ["v3", "v2"])
def test_in_process_evaluation_agrees_with_ofrep(hashing: str, server: Server, make_provider: Callable[..., switchyard.SwitchyardProvider]) -> None:
    document = {**example_document(), "fractionalHashing": hashing}
    environment = Environment(server, document)
    provider = make_provider(server.url, environment.sdk_key, exposures=False)
    assert provider.state == "ready"
    assert agree(environment, provider, generated_contexts(300, seed=11 if hashing == "v3" else 12)) == 1200


FLOATS = {
    "$evaluators": {"heavy": {">=": [{"var": "seats"}, 100.0]}},
    "flags": {
        "split": {"state": "ENABLED", "variants": {"a": "A", "b": "B", "c": "C"}, "defaultVariant": "c",
                  "targeting": {"if": [{"$ref": "heavy"}, "c", {"fractional": [["a", 30.0], ["b", 70.0]]}]}},
        "by-email": {"state": "ENABLED", "variants": {"on": True, "off": False}, "defaultVariant": "off",
                     "targeting": {"fractional": [{"var": "email"}, ["on", 1.0], ["off", 3.0]]}},
        "limit": {"state": "ENABLED", "variants": {"low": 10.0, "high": 2.5}, "defaultVariant": "low",
                  "targeting": {"if": [{"==": [{"var": "tier"}, "pro"]}, "high", None]}},
    },
}


@pytest.mark.parametrize("hashing", ["v3", "v2"])
def test_numbers_written_as_floats_agree_with_ofrep(hashing: str, server: Server, make_provider: Callable[..., switchyard.SwitchyardProvider]) -> None:
    """Whole-number floats (weights 30.0, a variant 10.0) mean what they mean on the server."""
    environment = Environment(server, {**FLOATS, "fractionalHashing": hashing})
    provider = make_provider(server.url, environment.sdk_key, exposures=False)
    contexts = [{"targetingKey": f"t-{index}", "email": f"e{index}@example.org", "seats": index % 150, "tier": ["pro", "free"][index % 2]}
                for index in range(200)]
    assert agree(environment, provider, contexts) == 600
    # Typed as the server types it: 10.0 is the integer 10, 2.5 is no integer.
    assert provider.resolve_integer_details("limit", 0, EvaluationContext("t-1", {"tier": "free"})).value == 10
    assert provider.resolve_integer_details("limit", 0, EvaluationContext("t-1", {"tier": "pro"})).error_code is not None


def test_the_rollout_buckets_agree_for_many_users(server: Server, make_provider: Callable[..., switchyard.SwitchyardProvider]) -> None:
    """The 1 % and 10 % rollouts put the same users in the treatment as the server does."""
    environment = Environment(server, example_document())
    provider = make_provider(server.url, environment.sdk_key, exposures=False)
    contexts = [{"targetingKey": f"account-{index}"} for index in range(400)]
    assert agree(environment, provider, contexts) == 1600
    treated = sum(provider.resolve_string_details("summary-model-version", "", EvaluationContext(c["targetingKey"])).variant == "candidate" for c in contexts)
    assert 20 <= treated <= 65, "about 10 % of 400 users get the candidate model"
