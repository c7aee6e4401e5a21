#!/usr/bin/env bash
# OFREP single-flag evaluations per second against a release build, with wrk (apt-get install wrk).
# Usage: Benchmarks/ofrep-wrk.sh [DURATION=15s] [CONNECTIONS=64] [THREADS=2]
source "$(dirname "$0")/server.sh"
DURATION="${1:-15s}"
CONNECTIONS="${2:-64}"
THREADS="${3:-2}"
echo "warming up..."
wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -s "$ROOT/Benchmarks/ofrep.lua" "$URL" > /dev/null
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION POST /ofrep/v1/evaluate/flags/ai-summary"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/Benchmarks/ofrep.lua" "$URL"
