"""Posts batches of 500 events to /api/v1/events from several connections and reports accepted
events per second (each answer comes after the batch is durable). Standard library only."""

import argparse
import asyncio
import json
import time
import urllib.parse


def batch_bytes(index, now):
    events = []
    for unit in range(250):
        key = f"u-{index}-{unit}"
        variant = "on" if unit % 10 == 0 else "off"
        events.append({"type": "exposure", "flag": "ingest-bench", "variant": variant, "reason": "SPLIT", "unitKey": key, "timestamp": now})
        events.append({
            "type": "output", "outputId": f"o-{index}-{unit}", "flag": "ingest-bench", "variant": variant, "unitKey": key,
            "timestamp": now, "model": "m", "chars": 400 + unit, "words": 80, "latencyMs": 700.5, "tokensIn": 100,
            "tokensOut": 120, "finishReason": "stop",
        })
    return json.dumps({"batchId": f"ingest-{index}", "events": events}).encode()


async def worker(host, port, key, bodies, accepted):
    reader, writer = await asyncio.open_connection(host, port)
    for body in bodies:
        writer.write(
            (f"POST /api/v1/events HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {key}\r\n"
             f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body)
        await writer.drain()
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        answer = json.loads(await reader.readexactly(length))
        accepted.append(answer["accepted"])
    writer.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--sdk-key", required=True)
    parser.add_argument("--batches", type=int, default=400)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.url)
    now = int(time.time() * 1000)
    bodies = [batch_bytes(index, now) for index in range(args.batches)]
    accepted = []
    started = time.perf_counter()
    await asyncio.gather(*(
        worker(url.hostname, url.port, args.sdk_key, bodies[index::args.connections], accepted) for index in range(args.connections)))
    elapsed = time.perf_counter() - started
    total = sum(accepted)
    print(f"{len(accepted)} batches of 500 over {args.connections} connections: {total} events accepted in {elapsed:.2f} s "
          f"= {total / elapsed:,.0f} events/s ({len(accepted) / elapsed:.0f} batches/s)")


asyncio.run(main())
