#!/usr/bin/env bash
# Event ingestion over HTTP: BATCHES batches of 500 events (exposure + output per unit) posted to
# /api/v1/events over CONNECTIONS keep-alive connections; every answer waits for durability.
# Usage: Benchmarks/ingest-http.sh [BATCHES=400] [CONNECTIONS=8]
# BIN=path/to/switchyard uses that binary (default: a release build in .build-release).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PORT="${PORT:-8792}"
URL="http://127.0.0.1:$PORT"
BIN="${BIN:-$ROOT/.build-release/release/switchyard}"
if [ ! -x "$BIN" ]; then
    (cd "$ROOT" && swift build -c release --product switchyard --scratch-path .build-release >&2)
fi
WORK="$(mktemp -d)"
ADMIN_KEY="sy_admin_bench$(date +%s%N)"
SWITCHYARD_ADMIN_KEY="$ADMIN_KEY" "$BIN" serve --db "$WORK/bench.sqlite" --port "$PORT" --log-level warning > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do
    curl -sf "$URL/readyz" > /dev/null && break
    sleep 0.1
done
SDK_KEY="$("$BIN" keys create --kind sdk --name bench --server "$URL" --key "$ADMIN_KEY" 2>/dev/null)"
python3 "$ROOT/Benchmarks/ingest_http.py" --url "$URL" --sdk-key "$SDK_KEY" --batches "${1:-400}" --connections "${2:-8}"
