#!/usr/bin/env bash
# Runs flagd's own Python provider (openfeature-provider-flagd, in-process and RPC mode) against the
# built switchyard binary's gRPC protocols: Tests/flagd-python, in a virtual environment
# (.build/flagd-python-venv) with the pinned dependencies of Tests/flagd-python/requirements.txt.
# Usage: Scripts/test-flagd-python.sh [PYTEST ARGS...]   (SWITCHYARD_BIN=PATH skips the build)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
if [ -z "${SWITCHYARD_BIN:-}" ]; then
    swift build --product switchyard
    SWITCHYARD_BIN="$(swift build --show-bin-path)/switchyard"
fi
export SWITCHYARD_BIN
VENV="$ROOT/.build/flagd-python-venv"
source "$ROOT/Scripts/python-venv.sh"
python_venv "$VENV" "$ROOT/Tests/flagd-python/requirements.txt"
# pytest exits non-zero on any failure, and with 5 when it collected no test: either fails the run.
"$VENV/bin/python" -m pytest -q -p no:cacheprovider --rootdir "$ROOT/Tests/flagd-python" "$ROOT/Tests/flagd-python" "$@"
