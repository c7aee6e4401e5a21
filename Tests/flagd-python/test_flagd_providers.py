"""flagd's own Python packages against ``switchyard serve --grpc-port``: the provider
(``openfeature-provider-flagd``, unmodified) in in-process mode syncs the flags over
``flagd.sync.v1`` and evaluates them with flagd-core, and flagd's generated ``flagd.evaluation.v1``
client (shipped in the same package) asks for remote evaluations as RPC providers do; both answer
as ``switchyard eval`` does, and a kill made through the admin API reaches both within a second.

The provider's own RPC mode is not used: since 0.5 it speaks ``flagd.evaluation.v2``, which
Switchyard does not serve (its definitions are not among flagd's published ones we build from)."""

from __future__ import annotations

import random
import typing
import uuid
from collections.abc import Callable, Iterator

import grpc
import pytest
from google.protobuf.json_format import MessageToDict
from google.protobuf.struct_pb2 import Struct
from openfeature import api
from openfeature.contrib.provider.flagd import FlagdProvider
from openfeature.contrib.provider.flagd.config import ResolverType
from openfeature.evaluation_context import EvaluationContext
from openfeature.schemas.protobuf.flagd.evaluation.v1 import evaluation_pb2, evaluation_pb2_grpc

from conftest import SELECTOR, Deployment, eventually, switchyard_eval

#: The example flags, the type each is read as, and the caller's default.
FLAGS: dict[str, tuple[str, typing.Any]] = {
    "ai-document-summary": ("boolean", False),
    "summary-model-version": ("string", "none"),
    "summary-model-config": ("object", {}),
    "ai-email-drafting": ("boolean", False),
}


def generated_contexts(count: int) -> list[dict[str, typing.Any]]:
    """Contexts over the attributes the example flags read, from a fixed seed."""
    generator = random.Random(14)
    contexts = []
    for _ in range(count):
        context: dict[str, typing.Any] = {}
        if generator.random() < 0.9:
            context["targetingKey"] = f"user-{generator.randrange(100_000)}"
        if generator.random() < 0.6:
            context["email"] = generator.choice(["dev@acme.com", "ann@example.com", "bob@acme.com.evil.io", "x@faas.com"])
        if generator.random() < 0.5:
            context["beta"] = generator.choice([True, False])
        if generator.random() < 0.5:
            context["tier"] = generator.choice(["enterprise", "free", "pro"])
        contexts.append(context)
    return contexts


class Evaluator(typing.Protocol):
    """One way of evaluating a flag: the value, variant and error code a typed accessor gets."""

    def __call__(self, flag: str, context: dict[str, typing.Any]) -> tuple[typing.Any, str | None, str | None]: ...


def in_process(deployment: Deployment) -> tuple[Evaluator, Callable[[], None]]:
    """flagd's provider in in-process mode. It sends no credentials (as a flagd daemon's gRPC
    source), so the key bound to the selector serves it, and it skips the deprecated GetMetadata
    call, which carries no selector."""
    domain = f"flagd-in-process-{uuid.uuid4()}"
    flagd = FlagdProvider(
        resolver_type=ResolverType.IN_PROCESS, host="127.0.0.1", port=deployment.server.grpc_port, selector=SELECTOR,
        provider_id="pytest-in-process", deadline_ms=5_000, sync_metadata_disabled=True,
    )
    api.set_provider(flagd, domain)
    client = api.get_client(domain)
    eventually(lambda: client.get_provider_status().value == "READY", timeout=10, message="the in-process provider getting ready")

    def evaluate(flag: str, context: dict[str, typing.Any]) -> tuple[typing.Any, str | None, str | None]:
        kind, default = FLAGS[flag]
        attributes = {name: value for name, value in context.items() if name != "targetingKey"}
        resolve = {"boolean": client.get_boolean_details, "string": client.get_string_details, "object": client.get_object_details}[kind]
        answer = resolve(flag, default, EvaluationContext(context.get("targetingKey"), attributes))
        return answer.value, answer.variant, answer.error_code.value if answer.error_code else None

    return evaluate, flagd.shutdown


#: flagd's gRPC status codes for evaluation errors, as OpenFeature error codes (flagd's providers' mapping).
STATUS_ERRORS = {grpc.StatusCode.NOT_FOUND: "FLAG_NOT_FOUND", grpc.StatusCode.INVALID_ARGUMENT: "TYPE_MISMATCH", grpc.StatusCode.DATA_LOSS: "PARSE_ERROR"}


def remote(deployment: Deployment) -> tuple[Evaluator, Callable[[], None]]:
    """flagd's ``flagd.evaluation.v1`` client with ``authorization: Bearer`` metadata."""
    channel = grpc.insecure_channel(f"127.0.0.1:{deployment.server.grpc_port}")
    stub = evaluation_pb2_grpc.ServiceStub(channel)
    metadata = (("authorization", f"Bearer {deployment.sdk_key}"),)

    def evaluate(flag: str, context: dict[str, typing.Any]) -> tuple[typing.Any, str | None, str | None]:
        kind, default = FLAGS[flag]
        request_context = Struct()
        request_context.update(context)
        method, request_type = {
            "boolean": (stub.ResolveBoolean, evaluation_pb2.ResolveBooleanRequest),
            "string": (stub.ResolveString, evaluation_pb2.ResolveStringRequest),
            "object": (stub.ResolveObject, evaluation_pb2.ResolveObjectRequest),
        }[kind]
        try:
            response = method(request_type(flag_key=flag, context=request_context), metadata=metadata, timeout=5)
        except grpc.RpcError as error:
            return default, None, STATUS_ERRORS.get(error.code(), "GENERAL")
        value = MessageToDict(response.value) if kind == "object" else response.value
        if not response.variant:
            # No variant: the caller's default (a disabled flag, or one without a default variant).
            return default, None, None
        return value, response.variant, None

    return evaluate, channel.close


@pytest.fixture(params=["in-process", "remote"])
def evaluate(request: pytest.FixtureRequest, deployment: Deployment) -> Iterator[Evaluator]:
    """Evaluations through one of the two paths, closed after the test."""
    evaluator, close = in_process(deployment) if request.param == "in-process" else remote(deployment)
    try:
        yield evaluator
    finally:
        close()


def test_both_modes_evaluate_the_example_flags_as_switchyard_eval_does(evaluate: Evaluator) -> None:
    contexts = generated_contexts(150)
    requests = [
        {"flag": flag, "type": kind, "default": default, "context": context}
        for context in contexts for flag, (kind, default) in FLAGS.items()
    ]
    expected = switchyard_eval(requests)
    compared = 0
    for request, answer in zip(requests, expected, strict=True):
        value, variant, error = evaluate(request["flag"], request["context"])
        assert (value, variant, error) == (answer["value"], answer["variant"], answer["errorCode"]), request
        compared += 1
    assert compared == len(FLAGS) * len(contexts)
    # Not every answer is the default: the targeting and its fractional split were exercised.
    assert {evaluate("ai-document-summary", context)[0] for context in contexts} == {True, False}


def test_a_kill_reaches_both_modes_within_a_second(deployment: Deployment, evaluate: Evaluator) -> None:
    internal = {"targetingKey": "user-1", "email": "dev@acme.com"}
    assert evaluate("ai-document-summary", internal)[0] is True
    deployment.server.admin("POST", "/api/v1/flags/ai-document-summary/kill", {"reason": "flagd provider test"})
    try:
        eventually(lambda: evaluate("ai-document-summary", internal)[0] is False, timeout=1.0, message="the kill reaching the provider")
    finally:
        deployment.server.admin("POST", "/api/v1/flags/ai-document-summary/unkill", {})
    eventually(lambda: evaluate("ai-document-summary", internal)[0] is True, timeout=5.0, message="the unkill reaching the provider")
