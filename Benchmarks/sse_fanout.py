"""Opens many SSE streams on /api/v1/sdk/stream and measures, for each flag change, the time from
just before the admin call to the change event's arrival on each stream. Standard library only."""

import argparse
import asyncio
import json
import statistics
import time
import urllib.parse


async def open_stream(host, port, sdk_key, client_id):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        (
            f"GET /api/v1/sdk/stream?client={client_id} HTTP/1.1\r\nHost: {host}\r\n"
            f"Authorization: Bearer {sdk_key}\r\nAccept: text/event-stream\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    return reader, writer


async def read_events(reader, arrivals, ready):
    """Records (version, arrival time) of each event; sets `ready` after the opening document."""
    event_id = None
    async for raw in reader:
        line = raw.decode().rstrip("\r\n")
        # chunked transfer encoding: skip chunk-size lines
        if line and all(c in "0123456789abcdefABCDEF" for c in line):
            continue
        if line.startswith("id: "):
            event_id = int(line[4:])
        elif line.startswith("event: document"):
            ready.set()
        elif line.startswith("data: ") and event_id is not None:
            arrivals.append((event_id, time.perf_counter()))
            event_id = None


async def admin_post(host, port, admin_key, path):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        (
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {admin_key}\r\n"
            "Content-Length: 0\r\nConnection: close\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    response = await reader.read()
    writer.close()
    body = response.split(b"\r\n\r\n", 1)[1]
    if b"\r\n" in body and body.split(b"\r\n", 1)[0].strip().isalnum():
        body = body.split(b"\r\n", 1)[1]
    return json.loads(body[: body.rfind(b"}") + 1])["version"]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p * len(ordered) + 0.5)) - 1))]


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--admin-key", required=True)
    parser.add_argument("--sdk-key", required=True)
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.url)
    host, port = url.hostname, url.port

    arrivals = [[] for _ in range(args.streams)]
    readies = [asyncio.Event() for _ in range(args.streams)]
    tasks = []
    opened = time.perf_counter()
    for index in range(args.streams):
        reader, _ = await open_stream(host, port, args.sdk_key, f"bench-{index}")
        tasks.append(asyncio.create_task(read_events(reader, arrivals[index], readies[index])))
    await asyncio.wait_for(asyncio.gather(*(ready.wait() for ready in readies)), timeout=120)
    print(f"{args.streams} streams open in {time.perf_counter() - opened:.1f} s")

    latencies = []
    missing = 0
    for round_index in range(args.rounds):
        verb = "disable" if round_index % 2 == 0 else "enable"
        for stream in arrivals:
            stream.clear()
        started = time.perf_counter()
        version = await admin_post(host, port, args.admin_key, f"/api/v1/flags/bench-toggle/{verb}")
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline and not all(any(v >= version for v, _ in s) for s in arrivals):
            await asyncio.sleep(0.005)
        for stream in arrivals:
            times = [t for v, t in stream if v >= version]
            if times:
                latencies.append((min(times) - started) * 1000)
            else:
                missing += 1
        await asyncio.sleep(0.2)

    print(f"deliveries: {len(latencies)} ({args.rounds} changes x {args.streams} streams), missing: {missing}")
    print(
        "change-to-delivery latency: "
        f"p50 {statistics.median(latencies):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms, "
        f"max {max(latencies):.1f} ms"
    )
    for task in tasks:
        task.cancel()


asyncio.run(main())
