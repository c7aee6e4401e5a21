# Shared by the benchmark scripts: starts a release server on a fresh database and creates an SDK key.
# Settings: PORT (default 8790); BIN (default: a release build in .build-release, built when missing
# or with REBUILD=1); SEED_FLAGS (default Benchmarks/flags.json; empty for none); SERVE_ARGS (more
# `serve` options); STORE (sqlite, the default, or postgres: a throwaway PostgreSQL cluster, see
# Benchmarks/postgres.sh, or the database of PG_URL); REPLICAS (default 1; with STORE=postgres,
# that many servers on PORT, PORT+1, … over the one database). Sets SERVER_PID, URL (the first
# server), URLS (every server, space-separated), ADMIN_KEY, SDK_KEY; stops everything on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${PORT:-8790}"
STORE="${STORE:-sqlite}"
REPLICAS="${REPLICAS:-1}"
URL="http://127.0.0.1:$PORT"
BIN="${BIN:-$ROOT/.build-release/release/switchyard}"
if [ ! -x "$BIN" ] || [ "${REBUILD:-0}" = 1 ]; then
    (cd "$ROOT" && swift build -c release --product switchyard --scratch-path .build-release >&2)
fi
SEED_FLAGS="${SEED_FLAGS-$ROOT/Benchmarks/flags.json}"
WORK="$(mktemp -d)"
ADMIN_KEY="sy_admin_bench$(date +%s%N)"
SERVER_PIDS=()
cleanup() {
    for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${SERVER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    [ "$(type -t stop_postgres)" = function ] && stop_postgres
    rm -rf "$WORK"
}
trap cleanup EXIT
case "$STORE" in
    sqlite)
        [ "$REPLICAS" = 1 ] || { echo "REPLICAS needs STORE=postgres (an SQLite file serves one process)" >&2; exit 64; }
        DB="$WORK/bench.sqlite"
        ;;
    postgres)
        source "$ROOT/Benchmarks/postgres.sh"
        DB="$PG_URL"
        ;;
    *) echo "STORE must be sqlite or postgres, not $STORE" >&2; exit 64 ;;
esac
URLS=""
for index in $(seq 0 $((REPLICAS - 1))); do
    port=$((PORT + index))
    # shellcheck disable=SC2086 # SERVE_ARGS holds several options
    SWITCHYARD_ADMIN_KEY="$ADMIN_KEY" "$BIN" serve --db "$DB" --port "$port" \
        ${SEED_FLAGS:+--flags "$SEED_FLAGS"} ${SERVE_ARGS:-} --log-level warning > "$WORK/server-$index.log" 2>&1 &
    SERVER_PIDS+=($!)
    for _ in $(seq 1 100); do
        curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && break
        sleep 0.1
    done
    curl -sf "http://127.0.0.1:$port/readyz" > /dev/null || { echo "server $index did not start:" >&2; cat "$WORK/server-$index.log" >&2; exit 1; }
    URLS="$URLS${URLS:+ }http://127.0.0.1:$port"
done
SERVER_PID="${SERVER_PIDS[0]}"
SDK_KEY="$("$BIN" keys create --kind sdk --name bench --server "$URL" --key "$ADMIN_KEY" 2>/dev/null)"
export URL URLS ADMIN_KEY SDK_KEY
