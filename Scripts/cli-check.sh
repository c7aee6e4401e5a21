#!/usr/bin/env bash
# Drives `switchyard serve` and the HTTP subcommands end to end and checks their output and exit codes.
# Prints 'N passed, N failed'; exits 1 on any failure.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PORT="${PORT:-8792}"
(cd "$ROOT" && swift build --product switchyard >&2) || exit 1
BIN="$(cd "$ROOT" && swift build --show-bin-path)/switchyard"
WORK="$(mktemp -d)"
"$BIN" serve --db "$WORK/cli.sqlite" --port "$PORT" > "$WORK/first-start.txt" 2> "$WORK/server.log" &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null && break
    sleep 0.1
done
export SWITCHYARD_URL="http://127.0.0.1:$PORT"
SWITCHYARD_KEY="$(grep -o 'sy_admin_[A-Za-z0-9]*' "$WORK/first-start.txt" | head -1)"
export SWITCHYARD_KEY
passed=0
failed=0
check() { # check NAME EXPECTED_EXIT PATTERN -- COMMAND...
    local name="$1" want="$2" pattern="$3"
    shift 4
    local output status
    output="$("$@" 2>&1)"
    status=$?
    if [ "$status" = "$want" ] && grep -q -- "$pattern" <<< "$output"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $name: exit $status (wanted $want), output: $output"
    fi
}
cat > "$WORK/flag.json" << 'JSON'
{"state": "ENABLED", "variants": {"large": "gpt-large", "small": "gpt-small"}, "defaultVariant": "small", "safeVariant": "small"}
JSON
check "first start prints the admin key" 0 "sy_admin_" -- cat "$WORK/first-start.txt"
check "create" 0 "created model (version 1)" -- "$BIN" flags create model --file "$WORK/flag.json" --reason launch
check "list" 0 "model  *ENABLED  *1" -- "$BIN" flags list
check "get --json" 0 '"version": 1' -- "$BIN" flags get model --json
check "invalid flag" 1 "flags.model.colour" -- sh -c "echo '{\"state\":\"ENABLED\",\"variants\":{\"a\":1},\"colour\":1}' | '$BIN' flags update model"
check "stale update" 1 "stale" -- "$BIN" flags update model --file "$WORK/flag.json" --version 7
check "kill needs a reason" 64 "reason" -- "$BIN" flags kill model
check "kill" 0 "killed model" -- "$BIN" flags kill model --reason "cost spike"
check "killed in list" 0 "yes: cost spike" -- "$BIN" flags list
check "unkill" 0 "unkilled model" -- "$BIN" flags unkill model
check "disable" 0 "disabled model" -- "$BIN" flags disable model
check "audit" 0 "flag.kill .*cost spike" -- "$BIN" audit model
check "sdk key" 0 "sy_sdk_" -- "$BIN" keys create --kind sdk --name web
check "keys --json" 0 '"kind": "sdk"' -- "$BIN" keys list --json
check "export" 0 '"model"' -- "$BIN" export
check "propagation" 0 "0 of 0 applied" -- "$BIN" propagation model
check "missing flag" 1 "not found" -- "$BIN" flags get nope
check "wrong key" 1 "not valid" -- "$BIN" flags list --key sy_admin_wrong
check "unreachable" 3 "cannot reach" -- "$BIN" flags list --server http://127.0.0.1:1
check "delete" 0 "deleted model" -- "$BIN" flags delete model
if grep -q "$SWITCHYARD_KEY" "$WORK/server.log"; then
    failed=$((failed + 1))
    echo "FAIL the admin key appears in the server log"
else
    passed=$((passed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
