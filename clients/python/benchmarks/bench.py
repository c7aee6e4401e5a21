"""Per-call cost of the Python SDK (a benchmark, not a test).

Compares, on ``examples/flags.json``'s segment-plus-rollout flag (``ai-document-summary``):
flagd-core alone, the Switchyard provider called directly, the same through an OpenFeature client
(exposure reporting off, then on: every exposure a repeat within the window, then every
exposure new), the OFREP
provider (``openfeature-provider-ofrep``, one HTTP request per call) and the provider's remote
mode; then ``track_output`` on the caller's thread. Each figure is the median over ``--runs`` runs
of the mean per call. With the server it starts, it also times kills and unkills from the admin
request to the provider serving them.

Starts ``switchyard serve`` itself (``SWITCHYARD_BIN``, default ``.build/debug/switchyard``) unless
``SWITCHYARD_URL`` and an SDK key in ``SWITCHYARD_KEY`` are given::

    pip install -r clients/python/benchmarks/requirements.txt -e clients/python
    python clients/python/benchmarks/bench.py [--calls 20000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import re
import secrets
import statistics
import subprocess
import tempfile
import threading
import time
import typing
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from openfeature import api
from openfeature.contrib.provider.ofrep import OFREPProvider
from openfeature.contrib.tools.flagd.core import FlagdCore
from openfeature.evaluation_context import EvaluationContext
from openfeature.event import ProviderEvent

import switchyard
from switchyard._document import prepare_for_flagd_core

REPOSITORY = pathlib.Path(__file__).resolve().parents[3]
FLAGS = REPOSITORY / "examples" / "flags.json"
FLAG = "ai-document-summary"
OUTPUT = "A summary of the quarter. " * 46  # 1,196 characters


@contextmanager
def server() -> Iterator[tuple[str, str, str | None]]:
    """A running server with the example flags in production, an SDK key for it, and an admin key
    (``None`` for a server given by ``SWITCHYARD_URL``)."""
    if os.environ.get("SWITCHYARD_URL") and os.environ.get("SWITCHYARD_KEY"):
        yield os.environ["SWITCHYARD_URL"], os.environ["SWITCHYARD_KEY"], None
        return
    binary = os.environ.get("SWITCHYARD_BIN") or str(REPOSITORY / ".build" / "debug" / "switchyard")
    admin = f"sy_admin_bench{secrets.token_hex(8)}"
    with tempfile.TemporaryDirectory() as directory:
        log = pathlib.Path(directory) / "server.log"
        with open(log, "wb") as output:
            process = subprocess.Popen([binary, "serve", "--db", f"{directory}/bench.sqlite", "--port", "0", "--flags", str(FLAGS)],
                                       stdout=output, stderr=subprocess.STDOUT, env=dict(os.environ, SWITCHYARD_ADMIN_KEY=admin))
        try:
            deadline = time.monotonic() + 20
            while not (match := re.search(r"listening on (127\.0\.0\.1:\d+)", log.read_text(errors="replace"))):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"the server did not start: {log.read_text(errors='replace')}")
                time.sleep(0.05)
            url = f"http://{match.group(1)}"
            request = urllib.request.Request(f"{url}/api/v1/keys", data=json.dumps({"kind": "sdk", "environment": "production", "name": "bench"}).encode(),
                                             headers={"Authorization": f"Bearer {admin}", "Content-Type": "application/json"}, method="POST")
            with urllib.request.urlopen(request) as answer:
                yield url, json.load(answer)["key"], admin
        finally:
            process.terminate()
            process.wait(10)


def users(count: int) -> list[EvaluationContext]:
    """Users of the four segments in turn: internal, beta, enterprise, everyone else."""
    kinds: list[dict[str, typing.Any]] = [{"email": "someone@acme.com"}, {"email": "someone@example.org", "beta": True},
             {"email": "someone@example.org", "tier": "enterprise"}, {"email": "someone@example.org", "tier": "free"}]
    return [switchyard.user_context(f"user-{index}", **kinds[index % 4]) for index in range(count)]


def measure(label: str, call: Callable[[EvaluationContext], typing.Any], contexts: list[EvaluationContext], runs: int) -> float:
    """Prints and returns the median over ``runs`` of the mean nanoseconds per call (after a warm-up)."""
    for context in contexts[:200]:
        call(context)
    means = []
    for _ in range(runs):
        started = time.perf_counter_ns()
        for context in contexts:
            call(context)
        means.append((time.perf_counter_ns() - started) / len(contexts))
    median = statistics.median(means)
    print(f"| {label} | {median / 1000:,.1f} µs | {min(means) / 1000:,.1f}–{max(means) / 1000:,.1f} µs |")
    return median


def kill_latency(url: str, sdk_key: str, admin: str, rounds: int) -> None:
    """Prints how long a kill (and an unkill) takes from the admin request to the provider's
    configuration-changed event, over ``rounds`` of each."""
    provider = switchyard.SwitchyardProvider(url, sdk_key, exposures=False)
    api.set_provider_and_wait(provider, domain="kills")
    changed = threading.Event()
    api.get_client("kills").add_handler(ProviderEvent.PROVIDER_CONFIGURATION_CHANGED, lambda details: changed.set())
    latencies = []
    for index in range(rounds * 2):
        action = "kill" if index % 2 == 0 else "unkill"
        changed.clear()
        started = time.perf_counter()
        request = urllib.request.Request(f"{url}/api/v1/flags/ai-email-drafting/{action}", data=json.dumps({"reason": "bench"}).encode(),
                                         headers={"Authorization": f"Bearer {admin}", "Content-Type": "application/json"}, method="POST")
        urllib.request.urlopen(request).close()
        if not changed.wait(5):
            raise RuntimeError(f"the {action} did not reach the provider within 5 s")
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    print(f"\nA kill or unkill from the admin request to the provider serving it ({len(latencies)} changes): "
          f"p50 {statistics.median(latencies):.1f} ms, p99 {latencies[int(len(latencies) * 0.99) - 1]:.1f} ms, max {latencies[-1]:.1f} ms")


def main() -> None:
    """Runs every measurement and prints a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000, help="calls per run for in-process evaluation")
    parser.add_argument("--remote-calls", type=int, default=1_000, help="calls per run for OFREP")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--kills", type=int, default=50, help="kill and unkill rounds timed (with the server the script starts)")
    arguments = parser.parse_args()
    many = users(10_000)
    contexts = (many * (arguments.calls // len(many) + 1))[: arguments.calls]
    remote_contexts = contexts[: arguments.remote_calls]
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores; {arguments.calls:,} calls a run, "
          f"{arguments.remote_calls:,} for OFREP; median of {arguments.runs} runs (min–max)\n")
    print("| call | per call | range |\n| --- | ---: | ---: |")
    core = FlagdCore()
    # flagd-core refuses Switchyard's own members (safeVariant): give it the document as the provider does.
    core.set_flags(prepare_for_flagd_core(json.loads(FLAGS.read_text()), {}))
    measure("flagd-core alone (`resolve_boolean_value`), 10,000 users in turn", lambda c: core.resolve_boolean_value(FLAG, False, c), contexts, arguments.runs)
    with server() as (url, sdk_key, admin):
        quiet = switchyard.SwitchyardProvider(url, sdk_key, exposures=False)
        api.set_provider_and_wait(quiet, domain="quiet")
        measure("Switchyard provider called directly (`resolve_boolean_details`)",
                lambda c: quiet.resolve_boolean_details(FLAG, False, c), contexts, arguments.runs)
        client = api.get_client("quiet")
        measure("through an OpenFeature client, exposure reporting off", lambda c: client.get_boolean_value(FLAG, False, c), contexts, arguments.runs)
        reporting = switchyard.SwitchyardProvider(url, sdk_key, max_queued_events=10_000_000, flush_interval=3600.0, shutdown_timeout=0)
        api.set_provider_and_wait(reporting, domain="reporting")
        reporting_client = api.get_client("reporting")
        for context in contexts:
            reporting_client.get_boolean_value(FLAG, False, context)
        measure("through an OpenFeature client, exposure reporting on, every exposure a repeat",
                lambda c: reporting_client.get_boolean_value(FLAG, False, c), contexts, arguments.runs)
        fresh = switchyard.SwitchyardProvider(url, sdk_key, max_queued_events=10_000_000, flush_interval=3600.0, shutdown_timeout=0, exposure_window=1e-9)
        api.set_provider_and_wait(fresh, domain="fresh")
        fresh_client = api.get_client("fresh")
        measure("through an OpenFeature client, exposure reporting on, every exposure new (queued)",
                lambda c: fresh_client.get_boolean_value(FLAG, False, c), contexts, arguments.runs)
        ofrep = OFREPProvider(url, headers_factory=lambda: {"Authorization": f"Bearer {sdk_key}"})
        api.set_provider_and_wait(ofrep, domain="ofrep")
        ofrep_client = api.get_client("ofrep")
        measure("OFREP provider through an OpenFeature client (one HTTP request a call)",
                lambda c: ofrep_client.get_boolean_value(FLAG, False, c), remote_contexts, arguments.runs)
        remote = switchyard.SwitchyardProvider(url, sdk_key, mode="remote", exposures=False)
        api.set_provider_and_wait(remote, domain="remote")
        remote_client = api.get_client("remote")
        measure("Switchyard provider, `mode=\"remote\"` (OFREP, a kept-alive connection per thread)",
                lambda c: remote_client.get_boolean_value(FLAG, False, c), remote_contexts, arguments.runs)
        tracker = switchyard.SwitchyardProvider(url, sdk_key, max_queued_events=10_000_000, flush_interval=3600.0, shutdown_timeout=0)
        measure("`track_output` with a 1,200-character output, on the caller's thread",
                lambda c: tracker.track_output(FLAG, c, variant="on", model="gpt-4o", output=OUTPUT, latency_ms=812.0, tokens_in=300, tokens_out=280),
                contexts, arguments.runs)
        tracker.shutdown()
        if admin is not None:
            kill_latency(url, sdk_key, admin, arguments.kills)
        api.shutdown()


if __name__ == "__main__":
    main()
