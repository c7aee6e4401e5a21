# Shared by the benchmark scripts: starts a release server on a fresh database and creates an SDK key.
# Sets SERVER_PID, URL, ADMIN_KEY, SDK_KEY; stops the server on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${PORT:-8790}"
URL="http://127.0.0.1:$PORT"
BIN="$ROOT/.build-release/release/switchyard"
if [ ! -x "$BIN" ] || [ "${REBUILD:-0}" = 1 ]; then
    (cd "$ROOT" && swift build -c release --product switchyard --scratch-path .build-release >&2)
fi
WORK="$(mktemp -d)"
ADMIN_KEY="sy_admin_bench$(date +%s%N)"
SWITCHYARD_ADMIN_KEY="$ADMIN_KEY" "$BIN" serve --db "$WORK/bench.sqlite" --port "$PORT" \
    --flags "$ROOT/Benchmarks/flags.json" --log-level warning > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do
    curl -sf "$URL/readyz" > /dev/null && break
    sleep 0.1
done
SDK_KEY="$("$BIN" keys create --kind sdk --name bench --server "$URL" --key "$ADMIN_KEY" 2>/dev/null)"
export URL ADMIN_KEY SDK_KEY
