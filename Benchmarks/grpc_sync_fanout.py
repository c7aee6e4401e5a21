"""Opens many flagd SyncFlags streams (gRPC, flagd.sync.v1) and measures, for each flag change, the
time from just before the admin call to the new document's arrival on each stream. Uses grpcio and
flagd's generated sync stubs from openfeature-provider-flagd (Tests/flagd-python/requirements.txt).

The streams are spread over several reader processes, each with its own channel and asyncio loop;
arrival times use the system-wide monotonic clock, so they compare across processes. A document
is attributed to a change by the state of the flag `bench-toggle`, which each change flips."""

import argparse
import asyncio
import multiprocessing
import statistics
import time
import urllib.parse

from sse_fanout import admin_post, percentile

MARKER = b'"bench-toggle":'


def toggle_state(document):
    """`ENABLED` or `DISABLED`: the state of `bench-toggle` in a flagd document (bytes), found
    without parsing the whole document (flagd JSON from Switchyard is compact)."""
    start = document.find(MARKER)
    state = document.find(b'"state":"', start)
    return document[state + 9 : document.find(b'"', state + 9)].decode()


def reader_process(target, sdk_key, first, count, connection):
    """Opens `count` streams, reports readiness, then returns every stream's arrivals when told to stop."""
    import grpc
    from openfeature.schemas.protobuf.flagd.sync.v1 import sync_pb2, sync_pb2_grpc

    async def read(stub, index, arrivals, ready):
        request = sync_pb2.SyncFlagsRequest(provider_id=f"bench-{first + index}")
        call = stub.SyncFlags(request, metadata=(("authorization", f"Bearer {sdk_key}"),))
        async for response in call:
            arrivals.append((time.monotonic(), toggle_state(response.flag_configuration.encode())))
            ready.set()

    async def run():
        channel = grpc.aio.insecure_channel(target)
        stub = sync_pb2_grpc.FlagSyncServiceStub(channel)
        arrivals = [[] for _ in range(count)]
        readies = [asyncio.Event() for _ in range(count)]
        tasks = [asyncio.create_task(read(stub, index, arrivals[index], readies[index])) for index in range(count)]
        await asyncio.wait_for(asyncio.gather(*(ready.wait() for ready in readies)), timeout=120)
        connection.send("ready")
        await asyncio.get_running_loop().run_in_executor(None, connection.recv)
        connection.send(arrivals)
        for task in tasks:
            task.cancel()
        await channel.close()

    asyncio.run(run())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--grpc", required=True, help="host:port of the gRPC listener")
    parser.add_argument("--admin-key", required=True)
    parser.add_argument("--sdk-key", required=True)
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--processes", type=int, default=4)
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.url)
    host, port = url.hostname, url.port

    opened = time.monotonic()
    pipes, processes = [], []
    per_process = -(-args.streams // args.processes)
    for first in range(0, args.streams, per_process):
        parent, child = multiprocessing.Pipe()
        count = min(per_process, args.streams - first)
        process = multiprocessing.Process(target=reader_process, args=(args.grpc, args.sdk_key, first, count, child))
        process.start()
        pipes.append(parent)
        processes.append(process)
    for pipe in pipes:
        assert pipe.recv() == "ready"
    print(f"{args.streams} SyncFlags streams open in {time.monotonic() - opened:.1f} s ({len(processes)} reader processes)")

    rounds = []
    for round_index in range(args.rounds):
        verb, state = ("disable", "DISABLED") if round_index % 2 == 0 else ("enable", "ENABLED")
        started = time.monotonic()
        admin_post(host, port, args.admin_key, f"/api/v1/flags/bench-toggle/{verb}")
        rounds.append((state, started, time.monotonic() - started))
        time.sleep(0.25)
    time.sleep(1)
    for pipe in pipes:
        pipe.send("stop")
    streams = [stream for pipe in pipes for stream in pipe.recv()]
    for process in processes:
        process.join(timeout=10)
        process.terminate()

    latencies, missing = [], 0
    for index, (state, started, _) in enumerate(rounds):
        ends = rounds[index + 1][1] if index + 1 < len(rounds) else float("inf")
        for stream in streams:
            times = [t for t, seen in stream if seen == state and started <= t < ends]
            if times:
                latencies.append((min(times) - started) * 1000)
            else:
                missing += 1
    print(f"deliveries: {len(latencies)} ({args.rounds} changes x {args.streams} streams), missing: {missing}")
    print(
        "change-to-delivery latency (admin call start to the new document on the stream): "
        f"p50 {statistics.median(latencies):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms, "
        f"max {max(latencies):.1f} ms"
    )
    print(f"admin call (validated, committed to disk, answered): p50 {statistics.median(r[2] for r in rounds) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
