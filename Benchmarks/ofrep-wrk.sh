#!/usr/bin/env bash
# OFREP single-flag evaluations per second against a release build, with wrk (apt-get install wrk),
# next to the ceiling: a bare Hummingbird route (Benchmarks/Baselines/OFREPBaseline) that reads the
# same request and answers the same bytes, measured in the same run. Prints OFREP / baseline.
# Usage: Benchmarks/ofrep-wrk.sh [DURATION=15s] [CONNECTIONS=64] [THREADS=2] [ROUNDS=1]
# BASELINE_BIN: a built OFREPBaseline (default: release build in Benchmarks/.build, built when missing).
source "$(dirname "$0")/server.sh"
DURATION="${1:-15s}"
CONNECTIONS="${2:-64}"
THREADS="${3:-2}"
ROUNDS="${4:-1}"
BASELINE_BIN="${BASELINE_BIN:-$ROOT/Benchmarks/.build/release/OFREPBaseline}"
if [ ! -x "$BASELINE_BIN" ] || [ "${REBUILD:-0}" = 1 ]; then
    (cd "$ROOT/Benchmarks" && swift build -c release --product OFREPBaseline >&2)
fi
BASELINE_PORT=$((PORT + 1))
BASELINE_URL="http://127.0.0.1:$BASELINE_PORT"
# The baseline answers what the server answers for the script's first request.
curl -sf -X POST "$URL/ofrep/v1/evaluate/flags/ai-summary" -H "Authorization: Bearer $SDK_KEY" \
    -H "Content-Type: application/json" -d '{"context":{"targetingKey":"user-1","plan":"pro"}}' > "$WORK/answer.json"
"$BASELINE_BIN" "$BASELINE_PORT" "$WORK/answer.json" > "$WORK/baseline.log" 2>&1 &
BASELINE_PID=$!
trap 'kill "$SERVER_PID" "$BASELINE_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do
    curl -s -o /dev/null -X POST "$BASELINE_URL/ofrep/v1/evaluate/flags/ai-summary" && break
    sleep 0.1
done
echo "answer ($(wc -c < "$WORK/answer.json") bytes): $(cat "$WORK/answer.json")"

# Requests per second of one wrk run against $1; prints wrk's report too.
measure() {
    local output
    output="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/Benchmarks/ofrep.lua" "$1")"
    echo "$output" >&2
    echo "$output" | awk '/^Requests\/sec:/ { print $2 }'
}
echo "warming up..."
wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -s "$ROOT/Benchmarks/ofrep.lua" "$URL" > /dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -s "$ROOT/Benchmarks/ofrep.lua" "$BASELINE_URL" > /dev/null
for round in $(seq 1 "$ROUNDS"); do
    echo "round $round: wrk -t$THREADS -c$CONNECTIONS -d$DURATION POST /ofrep/v1/evaluate/flags/ai-summary"
    echo "--- switchyard OFREP"
    ofrep="$(measure "$URL")"
    echo "--- bare Hummingbird route, same answer"
    baseline="$(measure "$BASELINE_URL")"
    awk -v o="$ofrep" -v b="$baseline" 'BEGIN { printf "OFREP %.0f req/s, baseline %.0f req/s: %.0f %% of the baseline\n", o, b, 100 * o / b }'
done
