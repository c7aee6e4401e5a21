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
# A watchdog around the Swift tests: twice in five fresh-clone runs (2026-12-01), the first run after a cold
# build stopped making progress with every PostgreSQL replica suite started and the process idle (no CPU,
# no database connections); the same build's next run passed in about a minute. Until that is understood
# (issue 15's note), a run that goes past 10 minutes is killed with its whole process group and run once
# more; a failing test still fails at once, and a second stall fails the run.
run_swift_tests() { timeout -k 10 600 swift test --skip-build; }
status=0
run_swift_tests || status=$?
if [ "$status" = 124 ] || [ "$status" = 137 ]; then
    echo "test-all: the Swift tests made no progress for 10 minutes; running them once more" >&2
    run_swift_tests
elif [ "$status" != 0 ]; then
    exit "$status"
fi
Scripts/test-python.sh
Scripts/test-flagd-python.sh

# Seeded fuzzing of the flag document parser, the JsonLogic evaluator and the kill-rule parser:
# 15 seconds per target (they run in parallel, under a minute in all); each prints its input count
# and seed (replay with SWITCHYARD_FUZZ_SEED).
SWITCHYARD_FUZZ_SECONDS="${SWITCHYARD_FUZZ_SECONDS:-15}" swift test --skip-build --filter FuzzTests

bash Scripts/dashboard-browser-check.sh
