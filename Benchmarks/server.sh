# Shared by the benchmark scripts: starts a release server on a fresh database and creates an SDK key.
# Settings: PORT (default 8790); BIN (default: a release build in .build-release, built when missing
# or with REBUILD=1); SEED_FLAGS (default Benchmarks/flags.json; empty for none); SERVE_ARGS (more
# `serve` options). Sets SERVER_PID, URL, ADMIN_KEY, SDK_KEY; stops the server on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${PORT:-8790}"
URL="http://127.0.0.1:$PORT"
BIN="${BIN:-$ROOT/.build-release/release/switchyard}"
if [ ! -x "$BIN" ] || [ "${REBUILD:-0}" = 1 ]; then
    (cd "$ROOT" && swift build -c release --product switchyard --scratch-path .build-release >&2)
fi
SEED_FLAGS="${SEED_FLAGS-$ROOT/Benchmarks/flags.json}"
WORK="$(mktemp -d)"
ADMIN_KEY="sy_admin_bench$(date +%s%N)"
# shellcheck disable=SC2086 # SERVE_ARGS holds several options
SWITCHYARD_ADMIN_KEY="$ADMIN_KEY" "$BIN" serve --db "$WORK/bench.sqlite" --port "$PORT" \
    ${SEED_FLAGS:+--flags "$SEED_FLAGS"} ${SERVE_ARGS:-} --log-level warning > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do
    curl -sf "$URL/readyz" > /dev/null && break
    sleep 0.1
done
SDK_KEY="$("$BIN" keys create --kind sdk --name bench --server "$URL" --key "$ADMIN_KEY" 2>/dev/null)"
export URL ADMIN_KEY SDK_KEY
