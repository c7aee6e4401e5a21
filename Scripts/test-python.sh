#!/usr/bin/env bash
# Builds the switchyard binary and runs the Python SDK's tests against it, in a virtual
# environment (.build/python-venv) with the pinned dependencies of clients/python/requirements-dev.txt,
# after checking the package's types (mypy --strict).
# Usage: Scripts/test-python.sh [PYTEST ARGS...]   (SWITCHYARD_BIN=PATH skips the build)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
if [ -z "${SWITCHYARD_BIN:-}" ]; then
    swift build --product switchyard
    SWITCHYARD_BIN="$(swift build --show-bin-path)/switchyard"
fi
export SWITCHYARD_BIN
VENV="$ROOT/.build/python-venv"
source "$ROOT/Scripts/python-venv.sh"
python_venv "$VENV" "$ROOT/clients/python/requirements-dev.txt"
"$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e "$ROOT/clients/python"
"$VENV/bin/python" -m mypy --strict --no-error-summary --cache-dir "$ROOT/.build/mypy-cache" "$ROOT/clients/python/src" "$ROOT/clients/python/examples"
# pytest exits non-zero on any failure, and with 5 when it collected no test: either fails the run.
"$VENV/bin/python" -m pytest -q -p no:cacheprovider "$ROOT/clients/python/tests" "$@"
