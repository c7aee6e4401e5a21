#!/usr/bin/env bash
# Runs every test: the Swift packages' (`swift test`), then the Python SDK's against the built binary.
set -euo pipefail
cd "$(dirname "$0")/.."
swift test
Scripts/test-python.sh
