#!/usr/bin/env bash
# Change-to-delivery latency with many SSE streams: opens STREAMS streams, then times ROUNDS flag
# changes from the admin call to the event's arrival on every stream.
# Usage: Benchmarks/sse-fanout.sh [STREAMS=1000] [ROUNDS=20] [READER_PROCESSES=4]
ulimit -n 65536 2>/dev/null || ulimit -n 8192
source "$(dirname "$0")/server.sh"
python3 "$ROOT/Benchmarks/sse_fanout.py" --url "$URL" --admin-key "$ADMIN_KEY" --sdk-key "$SDK_KEY" \
    --streams "${1:-1000}" --rounds "${2:-20}" --processes "${3:-4}"
