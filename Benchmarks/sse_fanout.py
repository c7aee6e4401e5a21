"""Opens many SSE streams on /api/v1/sdk/stream and measures, for each flag change, the time from
just before the admin call to the change event's arrival on each stream. Standard library only.

The streams are spread over several reader processes so that reading them is not serialised behind
one Python event loop; arrival times use the system-wide monotonic clock, so they compare across
processes.

With --stream-urls the streams are spread round-robin over several servers (replicas over one
database) while the changes go through --url; latencies are then also given per server."""

import argparse
import asyncio
import json
import multiprocessing
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
    """Records (version, arrival time) of each event; sets `ready` once the opening document came.
    Reads whole chunks and only looks for `id: ` lines (compact JSON data never contains `: `)."""
    pending = b""
    while True:
        chunk = await reader.read(65536)
        if not chunk:
            return
        now = time.monotonic()
        pending += chunk
        while True:
            index = pending.find(b"id: ")
            if index < 0:
                pending = pending[-8:]
                break
            newline = pending.find(b"\n", index)
            if newline < 0:
                pending = pending[index:]
                break
            arrivals.append((int(pending[index + 4 : newline]), now))
            ready.set()
            pending = pending[newline:]


def reader_process(targets, sdk_key, first, count, connection):
    """Opens `count` streams, reports readiness, then returns every stream's arrivals when told to stop."""

    async def run():
        arrivals = [[] for _ in range(count)]
        readies = [asyncio.Event() for _ in range(count)]
        writers = []  # a dropped StreamWriter closes its connection
        for index in range(count):
            host, port = targets[(first + index) % len(targets)]
            reader, writer = await open_stream(host, port, sdk_key, f"bench-{first + index}")
            writers.append(writer)
            asyncio.create_task(read_events(reader, arrivals[index], readies[index]))
        await asyncio.wait_for(asyncio.gather(*(ready.wait() for ready in readies)), timeout=120)
        connection.send("ready")
        await asyncio.get_running_loop().run_in_executor(None, connection.recv)
        connection.send(arrivals)

    asyncio.run(run())


def admin_post(host, port, admin_key, path):
    import http.client

    connection = http.client.HTTPConnection(host, port)
    connection.request("POST", path, headers={"Authorization": f"Bearer {admin_key}"})
    body = connection.getresponse().read()
    connection.close()
    return json.loads(body)["version"]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p * len(ordered) + 0.5)) - 1))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--admin-key", required=True)
    parser.add_argument("--sdk-key", required=True)
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--stream-urls", nargs="*", help="servers to spread the streams over (default: --url)")
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.url)
    host, port = url.hostname, url.port
    targets = [(u.hostname, u.port) for u in map(urllib.parse.urlparse, args.stream_urls or [args.url])]

    opened = time.monotonic()
    pipes, processes = [], []
    per_process = -(-args.streams // args.processes)
    for first in range(0, args.streams, per_process):
        parent, child = multiprocessing.Pipe()
        count = min(per_process, args.streams - first)
        process = multiprocessing.Process(target=reader_process, args=(targets, args.sdk_key, first, count, child))
        process.start()
        pipes.append(parent)
        processes.append(process)
    for pipe in pipes:
        assert pipe.recv() == "ready"
    print(f"{args.streams} streams over {len(targets)} server(s) open in {time.monotonic() - opened:.1f} s ({len(processes)} reader processes)")

    rounds = []
    for round_index in range(args.rounds):
        verb = "disable" if round_index % 2 == 0 else "enable"
        started = time.monotonic()
        version = admin_post(host, port, args.admin_key, f"/api/v1/flags/bench-toggle/{verb}")
        rounds.append((version, started, time.monotonic() - started))
        time.sleep(0.25)
    time.sleep(1)
    for pipe in pipes:
        pipe.send("stop")
    streams = [stream for pipe in pipes for stream in pipe.recv()]
    for process in processes:
        process.terminate()

    latencies, missing = [], 0
    per_target = [[] for _ in targets]
    for version, started, _ in rounds:
        for index, stream in enumerate(streams):
            times = [t for v, t in stream if v >= version]
            if times:
                latencies.append((min(times) - started) * 1000)
                per_target[index % len(targets)].append(latencies[-1])
            else:
                missing += 1
    print(f"deliveries: {len(latencies)} ({args.rounds} changes x {args.streams} streams), missing: {missing}")
    print(
        "change-to-delivery latency (admin call start to event on the stream): "
        f"p50 {statistics.median(latencies):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms, "
        f"max {max(latencies):.1f} ms"
    )
    if len(targets) > 1:
        for (target_host, target_port), values in zip(targets, per_target):
            where = "the server changed" if (target_host, target_port) == (host, port) else "another server"
            print(
                f"  streams on {target_host}:{target_port} ({where}): "
                f"p50 {statistics.median(values):.1f} ms, p99 {percentile(values, 0.99):.1f} ms"
            )
    print(f"admin call (validated, committed to disk, answered): p50 {statistics.median(r[2] for r in rounds) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
