#!/usr/bin/env bash
# Starts `switchyard serve --demo` on a free loopback port in a temporary folder and drives headless
# Chromium through the dashboard (Scripts/dashboard-browser-check.py). Screenshots go to
# $SCREENSHOTS (default .build/dashboard-screenshots); their paths are printed. With
# README_IMAGES=docs/images it also renews the README's two pictures.
# Needs: chromium (Debian package), python3 with venv; installs websocket-client in .build/browser-venv.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
[ -n "$CHROMIUM" ] || { echo "error: chromium is not installed (apt-get install chromium)" >&2; exit 1; }
OUT="${SCREENSHOTS:-$ROOT/.build/dashboard-screenshots}"
VENV="$ROOT/.build/browser-venv"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import websocket" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "websocket-client==1.9.2"
fi
(cd "$ROOT" && swift build --product switchyard >&2)
BIN="$(cd "$ROOT" && swift build --show-bin-path)/switchyard"
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
WORK="$(mktemp -d)"
ADMIN_KEY="sy_admin_browsercheck$(date +%s%N)"
SWITCHYARD_ADMIN_KEY="$ADMIN_KEY" "$BIN" serve --demo --db "$WORK/demo.sqlite" --port "$PORT" \
    --log-level warning > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 200); do
    curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null && break
    sleep 0.1
done
curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null || { echo "error: the server did not start:" >&2; cat "$WORK/server.log" >&2; exit 1; }
timeout 180 "$VENV/bin/python" "$ROOT/Scripts/dashboard-browser-check.py" --server "http://127.0.0.1:$PORT" --admin-key "$ADMIN_KEY" \
    --chromium "$CHROMIUM" --out "$OUT" ${README_IMAGES:+--readme "$README_IMAGES"}
