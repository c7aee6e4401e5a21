"""Measures the time from a breaching batch of events to the kill being visible on an SSE stream.

For each round: creates a flag, attaches `errorRate > 0.05 over 15m minSamples 20`, posts 30
failing outputs of its `on` variant to /api/v1/events, and waits for the change event that serves
the safe variant. Standard library only."""

import argparse
import asyncio
import json
import random
import statistics
import time
import urllib.parse
import urllib.request


def request(url, method, path, key, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path, data=data, method=method)
    req.add_header("Authorization", f"Bearer {key}")
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as response:
        return json.loads(response.read() or b"null")


async def read_kills(host, port, sdk_key, kills, ready):
    """Records the arrival time of every change that kills a flag (safe variant, no targeting)."""
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        (
            f"GET /api/v1/sdk/stream?client=kill-bench HTTP/1.1\r\nHost: {host}\r\n"
            f"Authorization: Bearer {sdk_key}\r\nAccept: text/event-stream\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    async for raw in reader:
        line = raw.decode().rstrip("\r\n")
        if line.startswith("event: document"):
            ready.set()
        elif line.startswith("data: "):
            try:
                payload = json.loads(line[6:])
            except ValueError:
                continue
            served = payload.get("served") if isinstance(payload, dict) else None
            if isinstance(served, dict) and "targeting" not in served and served.get("defaultVariant") == "off":
                kills[payload.get("flag")] = time.perf_counter()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p * len(ordered) + 0.5)) - 1))]


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--admin-key", required=True)
    parser.add_argument("--sdk-key", required=True)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--jitter", type=float, default=1.0, help="random wait before each breach (seconds), so breaches do not lock to the rule interval")
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.url)
    kills, ready = {}, asyncio.Event()
    reader = asyncio.create_task(read_kills(url.hostname, url.port, args.sdk_key, kills, ready))
    await asyncio.wait_for(ready.wait(), timeout=30)

    latencies, missing = [], 0
    for index in range(args.rounds):
        flag = f"kill-bench-{index}"
        request(args.url, "POST", "/api/v1/flags", args.admin_key, {
            "key": flag, "state": "ENABLED", "variants": {"on": True, "off": False}, "defaultVariant": "off",
            "safeVariant": "off", "targeting": {"fractional": [["on", 50], ["off", 50]]},
        })
        request(args.url, "PUT", f"/api/v1/flags/{flag}/rules", args.admin_key, ["errorRate > 0.05 over 15m minSamples 20"])
        now = int(time.time() * 1000)
        events = []
        for unit in range(30):
            events.append({"type": "exposure", "flag": flag, "variant": "on", "reason": "SPLIT", "unitKey": f"u-{unit}", "timestamp": now})
            events.append({
                "type": "output", "outputId": f"{flag}-{unit}", "flag": flag, "variant": "on", "unitKey": f"u-{unit}",
                "timestamp": now, "model": "m", "chars": 500, "words": 90, "latencyMs": 800, "tokensIn": 100,
                "tokensOut": 120, "finishReason": "error", "error": "upstream timeout",
            })
        await asyncio.sleep(random.uniform(0, args.jitter))
        started = time.perf_counter()
        await asyncio.to_thread(request, args.url, "POST", "/api/v1/events", args.sdk_key, {"batchId": f"b-{flag}", "events": events})
        deadline = time.perf_counter() + 30
        while flag not in kills and time.perf_counter() < deadline:
            await asyncio.sleep(0.001)
        if flag in kills:
            latencies.append((kills[flag] - started) * 1000)
        else:
            missing += 1

    print(f"rounds: {args.rounds}, killed: {len(latencies)}, missing: {missing}")
    if latencies:
        print(
            "breach-to-kill-on-stream latency: "
            f"p50 {statistics.median(latencies):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms, "
            f"min {min(latencies):.1f} ms, max {max(latencies):.1f} ms"
        )
    reader.cancel()


asyncio.run(main())
