"""The AI-feature patterns with Switchyard's Python SDK: the article's ``get_ai_summary`` end to end.

Runs against a server (``SWITCHYARD_URL`` and an SDK key in ``SWITCHYARD_KEY``, for example from
``switchyard serve --demo``) or, with neither set, from the bootstrap file ``examples/flags.json``::

    python clients/python/examples/ai_summary.py
    SWITCHYARD_URL=http://127.0.0.1:8700 SWITCHYARD_KEY=sy_sdk_... python clients/python/examples/ai_summary.py

The "LLM" here is a stand-in that fails now and then, so that the tracking and the local circuit
breaker have something to see.
"""

from __future__ import annotations

import logging
import os
import pathlib
import random
import tempfile
import time
import typing
from dataclasses import dataclass

from openfeature import api
from openfeature.client import OpenFeatureClient
from openfeature.evaluation_context import EvaluationContext

import switchyard

FLAGS_FILE = pathlib.Path(__file__).resolve().parents[3] / "examples" / "flags.json"
REPORT = ("Revenue grew 12 % in the third quarter. Costs stayed flat. The board approved the new data centre in Lisbon. "
          "Hiring slows down until the end of the year.")


@dataclass
class Summary:
    """A summary and where it came from."""

    text: str
    source: str
    output_id: str | None = None


class LLMError(Exception):
    """The model call failed."""


def generate_ai_summary(document: str, model: str, rng: random.Random) -> tuple[str, int, int]:
    """The model call (a stand-in): the summary and the tokens in and out."""
    if rng.random() < 0.1:
        raise LLMError("upstream timed out")
    return f"[{model}] {document.split('.')[0]}.", len(document) // 4, 12


def generate_rule_based_summary(document: str) -> str:
    """The existing behaviour: the first sentence."""
    return document.split(".")[0] + "."


class Summaries:
    """The feature: an AI summary behind ``ai-document-summary``, the rule-based one otherwise."""

    def __init__(self, flags: OpenFeatureClient, provider: switchyard.SwitchyardProvider) -> None:
        self.flags = flags
        self.provider = provider
        self.rng = random.Random(7)

    def get_ai_summary(self, document: str, user: EvaluationContext) -> Summary:
        """The article's pattern: the flag decides, the default (False) is the old behaviour, and
        a failed model call falls back to it too, after being tracked."""
        use_ai = self.flags.get_boolean_details("ai-document-summary", False, user)
        if not use_ai.value:
            return Summary(generate_rule_based_summary(document), f"rule-based, {use_ai.reason}")
        model = self.flags.get_string_value("summary-model-version", "gpt-4o-2024-08-06", user)
        started = time.perf_counter()
        try:
            text, tokens_in, tokens_out = generate_ai_summary(document, model, self.rng)
        except LLMError as error:
            self.provider.track_output("ai-document-summary", user, variant=use_ai.variant, model=model,
                                       latency_ms=(time.perf_counter() - started) * 1000, error=str(error))
            return Summary(generate_rule_based_summary(document), "rule-based, the model failed")
        output_id = self.provider.track_output(
            "ai-document-summary", user, variant=use_ai.variant, model=model, output=text,
            latency_ms=(time.perf_counter() - started) * 1000, tokens_in=tokens_in, tokens_out=tokens_out, finish_reason="stop")
        return Summary(text, "AI", output_id)


def main() -> None:
    """Walks through the five patterns."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    url = os.environ.get("SWITCHYARD_URL")
    provider = switchyard.SwitchyardProvider(
        url, os.environ.get("SWITCHYARD_KEY") if url else None,
        cache_file=os.path.join(tempfile.gettempdir(), "switchyard-python-example-cache.json") if url else None,
        bootstrap_file=os.environ.get("SWITCHYARD_BOOTSTRAP", str(FLAGS_FILE)),
        start_timeout=1.0, shutdown_timeout=2.0)
    api.set_provider_and_wait(provider)
    flags = api.get_client()
    print(f"provider state: {provider.state}, serving {provider.state_description} (version {provider.document_version or 'bootstrap'})\n")

    # A local circuit breaker: if this process sees the model fail on more than 20 % of summaries,
    # it serves the safe variant ("off", the rule-based summary) by itself, server or no server.
    provider.attach_breaker("ai-document-summary", "errorRate > 0.2 over 10m minSamples 30", variant="on")
    summaries = Summaries(flags, provider)

    print("1. The AI summary behind a flag, with the rule-based summary as fallback")
    dana = switchyard.user_context("u-42", email="dana@acme.com", tier="enterprise", beta=False)
    eve = switchyard.user_context("u-7", email="eve@example.org", tier="free", beta=False)
    for user in (dana, eve):
        summary = summaries.get_ai_summary(REPORT, user)
        print(f"   {user.targeting_key}: [{summary.source}] {summary.text}")

    print("\n2. The model version, and its configuration, as flags")
    model = flags.get_string_details("summary-model-version", "gpt-4o-2024-08-06", dana)
    print(f"   {dana.targeting_key} uses {model.value} (variant {model.variant}, {model.reason})")
    config = typing.cast(dict[str, typing.Any], flags.get_object_value("summary-model-config", {"model": "gpt-4o-2024-08-06", "maxOutputTokens": 400}, eve))
    print(f"   {eve.targeting_key} gets {config.get('promptVersion', 'the default prompt')}, at most {config.get('maxOutputTokens')} tokens")

    print("\n3. The segment canary: internal users, then beta, then 5 % of enterprise, then 1 % of everyone")
    segments: dict[str, dict[str, typing.Any]] = {"internal": {"email": "someone@acme.com"}, "beta": {"email": "someone@example.org", "beta": True},
                "enterprise": {"email": "someone@example.org", "tier": "enterprise"}, "everyone": {"email": "someone@example.org", "tier": "free"}}
    for segment, attributes in segments.items():
        served = sum(flags.get_boolean_value("ai-document-summary", False, switchyard.user_context(f"{segment}-{index}", **attributes))
                     for index in range(1000))
        print(f"   {segment:<11} {served / 10:.1f} % see the AI summary")

    print("\n4. Output tracking with feedback")
    summary = summaries.get_ai_summary(REPORT, dana)
    if summary.output_id is not None:
        provider.track_feedback(summary.output_id, True)
        provider.track_edit(summary.output_id, edited_length=len(summary.text) - 10, edit_distance=10)
        provider.track_action(summary.output_id, "sent")
        print(f"   output {summary.output_id}: thumbs up, edited, sent (reported in the background)")
    else:
        print(f"   [{summary.source}] nothing to rate")

    print("\n5. The permanent kill switch")
    drafting = flags.get_boolean_details("ai-email-drafting", False, eve)
    if drafting.value:
        print("   AI email drafting is on; `switchyard flags kill ai-email-drafting --reason ...` turns it off for everyone")
    else:
        reason = drafting.flag_metadata.get("killReason", drafting.reason)
        print(f"   AI email drafting is off ({reason}): agents write replies themselves")

    api.shutdown()
    stats = provider.event_stats
    print(f"\nevents: {stats.sent} sent, {stats.rejected} rejected, {stats.dropped_full + stats.dropped_failed} dropped")


if __name__ == "__main__":
    main()
