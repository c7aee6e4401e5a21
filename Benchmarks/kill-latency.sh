#!/usr/bin/env bash
# Breach-to-kill latency: for ROUNDS fresh flags with the rule `errorRate > 0.05 over 15m minSamples 20`,
# times from just before POST /api/v1/events (30 failing outputs) to the kill's change event on an
# SSE stream of /api/v1/sdk/stream. The server evaluates rules every INTERVAL seconds.
# Usage: Benchmarks/kill-latency.sh [ROUNDS=20] [INTERVAL=1]
# BIN=path/to/switchyard uses that binary (default: a release build in .build-release).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PORT="${PORT:-8791}"
URL="http://127.0.0.1:$PORT"
BIN="${BIN:-$ROOT/.build-release/release/switchyard}"
if [ ! -x "$BIN" ]; then
    (cd "$ROOT" && swift build -c release --product switchyard --scratch-path .build-release >&2)
fi
WORK="$(mktemp -d)"
ADMIN_KEY="sy_admin_bench$(date +%s%N)"
SWITCHYARD_ADMIN_KEY="$ADMIN_KEY" "$BIN" serve --db "$WORK/bench.sqlite" --port "$PORT" \
    --rule-interval "${2:-1}" --log-level warning > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do
    curl -sf "$URL/readyz" > /dev/null && break
    sleep 0.1
done
SDK_KEY="$("$BIN" keys create --kind sdk --name bench --server "$URL" --key "$ADMIN_KEY" 2>/dev/null)"
python3 "$ROOT/Benchmarks/kill_latency.py" --url "$URL" --admin-key "$ADMIN_KEY" --sdk-key "$SDK_KEY" --rounds "${1:-20}" --jitter "${2:-1}"
