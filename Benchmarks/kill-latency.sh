#!/usr/bin/env bash
# Breach-to-kill latency: for ROUNDS fresh flags with the rule `errorRate > 0.05 over 15m minSamples 20`,
# times from just before POST /api/v1/events (30 failing outputs) to the kill's change event on an
# SSE stream of /api/v1/sdk/stream. The server evaluates rules every INTERVAL seconds.
# Usage: Benchmarks/kill-latency.sh [ROUNDS=20] [INTERVAL=1]
# BIN=path/to/switchyard uses that binary (default: a release build in .build-release).
PORT="${PORT:-8791}" SEED_FLAGS="" SERVE_ARGS="--rule-interval ${2:-1}" source "$(dirname "$0")/server.sh"
python3 "$ROOT/Benchmarks/kill_latency.py" --url "$URL" --admin-key "$ADMIN_KEY" --sdk-key "$SDK_KEY" --rounds "${1:-20}" --jitter "${2:-1}"
