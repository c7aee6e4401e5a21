#!/usr/bin/env bash
# Change-to-delivery latency with many flagd SyncFlags streams (gRPC): opens STREAMS streams, then
# times ROUNDS flag changes from the admin call to the new document's arrival on every stream. The
# same run first measures the same fan-out over SSE (Benchmarks/sse_fanout.py) as the baseline and
# prints gRPC's p50 and p99 as ratios of SSE's.
# The gRPC client is grpcio with flagd's stubs, in .build/flagd-python-venv (Tests/flagd-python's
# pinned requirements; created when missing). GRPC_PORT defaults to 8791.
# Usage: Benchmarks/grpc-sync-fanout.sh [STREAMS=1000] [ROUNDS=20] [READER_PROCESSES=4]
ulimit -n 65536 2>/dev/null || ulimit -n 8192
GRPC_PORT="${GRPC_PORT:-8791}"
SERVE_ARGS="${SERVE_ARGS:-} --grpc-port $GRPC_PORT"
source "$(dirname "$0")/server.sh"
VENV="$ROOT/.build/flagd-python-venv"
source "$ROOT/Scripts/python-venv.sh"
python_venv "$VENV" "$ROOT/Tests/flagd-python/requirements.txt"
echo "baseline, SSE (/api/v1/sdk/stream):"
python3 "$ROOT/Benchmarks/sse_fanout.py" --url "$URL" --admin-key "$ADMIN_KEY" --sdk-key "$SDK_KEY" \
    --streams "${1:-1000}" --rounds "${2:-20}" --processes "${3:-4}" | tee "$WORK/sse.txt"
echo "gRPC (flagd.sync.v1 SyncFlags):"
"$VENV/bin/python" "$ROOT/Benchmarks/grpc_sync_fanout.py" --url "$URL" --grpc "127.0.0.1:$GRPC_PORT" --admin-key "$ADMIN_KEY" \
    --sdk-key "$SDK_KEY" --streams "${1:-1000}" --rounds "${2:-20}" --processes "${3:-4}" | tee "$WORK/grpc.txt"
python3 - "$(cat "$WORK/sse.txt")" "$(cat "$WORK/grpc.txt")" <<'PY'
import re, sys
def quantiles(text):
    match = re.search(r"p50 ([0-9.]+) ms, p99 ([0-9.]+) ms", text)
    return float(match.group(1)), float(match.group(2))
(sse50, sse99), (grpc50, grpc99) = quantiles(sys.argv[1]), quantiles(sys.argv[2])
print(f"gRPC / SSE in this run: p50 {grpc50 / sse50:.2f}x, p99 {grpc99 / sse99:.2f}x")
PY
