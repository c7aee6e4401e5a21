#!/usr/bin/env bash
# Starts a server seeded with a flagd file and checks that the OpenFeature Python SDK with its OFREP
# provider gets the same answers as `switchyard eval` for a requests file (eval's JSON lines).
# Usage: Scripts/ofrep-python-check.sh [FLAGS=examples/flags.json] [REQUESTS=examples/requests.jsonl]
# (Scripts/ofrep-python/ holds a second set covering every value type, disabled and missing flags.)
# Needs: pip install openfeature-sdk openfeature-provider-ofrep
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="$ROOT/Scripts/ofrep-python"
FLAGS="$(realpath "${1:-$ROOT/examples/flags.json}")"
REQUESTS="$(realpath "${2:-$ROOT/examples/requests.jsonl}")"
PORT="${PORT:-8791}"
(cd "$ROOT" && swift build --product switchyard >&2)
BIN="$(cd "$ROOT" && swift build --show-bin-path)/switchyard"
WORK="$(mktemp -d)"
ADMIN_KEY="sy_admin_check$(date +%s%N)"
SWITCHYARD_ADMIN_KEY="$ADMIN_KEY" "$BIN" serve --db "$WORK/check.sqlite" --port "$PORT" --flags "$FLAGS" \
    --log-level warning > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null && break
    sleep 0.1
done
SDK_KEY="$("$BIN" keys create --kind sdk --server "http://127.0.0.1:$PORT" --key "$ADMIN_KEY" 2>/dev/null)"
python3 "$DIR/check.py" --server "http://127.0.0.1:$PORT" --key "$SDK_KEY" --flags "$FLAGS" \
    --requests "$REQUESTS" --switchyard "$BIN"
