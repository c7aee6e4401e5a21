#!/usr/bin/env bash
# Event ingestion over HTTP: BATCHES batches of 500 events (exposure + output per unit) posted to
# /api/v1/events over CONNECTIONS keep-alive connections; every answer waits for durability.
# Usage: Benchmarks/ingest-http.sh [BATCHES=400] [CONNECTIONS=8]
# BIN=path/to/switchyard uses that binary (default: a release build in .build-release).
# STORE=postgres (and REPLICAS, PG_URL) as in server.sh. The events name the flag of ingest-flags.json.
PORT="${PORT:-8792}" SEED_FLAGS="$(cd "$(dirname "$0")" && pwd)/ingest-flags.json" source "$(dirname "$0")/server.sh"
python3 "$ROOT/Benchmarks/ingest_http.py" --url "$URL" --sdk-key "$SDK_KEY" --batches "${1:-400}" --connections "${2:-8}"
