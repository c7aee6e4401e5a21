#!/usr/bin/env bash
# Runs every test: the Swift packages' (`swift test`), the Python SDK's against the built binary,
# flagd's own Python provider against the binary's gRPC protocols, the seeded fuzzers for a bounded
# time, and the dashboard in a real browser (headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
# The test bundle and what it needs, then the tests: a plain `swift test` would also build every
# dependency's plugin tools, swift-protobuf's protoc (C++, minutes on two cores) among them, which
# nothing here uses (the gRPC code is generated once and committed: Scripts/generate-grpc.sh).
swift build --product SwitchyardPackageTests
swift test --skip-build
Scripts/test-python.sh
Scripts/test-flagd-python.sh

# Seeded fuzzing of the flag document parser, the JsonLogic evaluator and the kill-rule parser:
# 15 seconds per target (they run in parallel, under a minute in all); each prints its input count
# and seed (replay with SWITCHYARD_FUZZ_SEED).
SWITCHYARD_FUZZ_SECONDS="${SWITCHYARD_FUZZ_SECONDS:-15}" swift test --skip-build --filter FuzzTests

bash Scripts/dashboard-browser-check.sh
