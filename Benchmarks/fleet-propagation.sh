#!/usr/bin/env bash
# Cross-replica propagation: REPLICAS servers over one PostgreSQL database (a throwaway cluster, or
# PG_URL), STREAMS SSE streams spread evenly over them, and ROUNDS flag changes made through the
# first one, timed from the admin call to the event's arrival on every stream (those on the first
# server included, for comparison: the others receive it through LISTEN/NOTIFY and the change feed).
# Usage: Benchmarks/fleet-propagation.sh [STREAMS=1000] [ROUNDS=20] [REPLICAS=3] [READER_PROCESSES=4]
ulimit -n 65536 2>/dev/null || ulimit -n 8192
STORE=postgres REPLICAS="${3:-3}" source "$(dirname "$0")/server.sh"
# shellcheck disable=SC2086 # URLS holds several URLs
python3 "$ROOT/Benchmarks/sse_fanout.py" --url "$URL" --admin-key "$ADMIN_KEY" --sdk-key "$SDK_KEY" \
    --streams "${1:-1000}" --rounds "${2:-20}" --processes "${4:-4}" --stream-urls $URLS
