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
# A watchdog around the Swift tests: a run that goes past 10 minutes (a full run takes 1-2) is killed
# with its whole process group, the tests that had started and not finished are listed, and the tests
# run once more; a failing test still fails at once, and a second stall fails the run. (Twice in five
# fresh-clone runs of an earlier session a run stopped making progress; it has not recurred since. Two
# likely causes were mended: the simulations held both cooperative threads for a minute, starving every
# server test, and HummingbirdTesting's live tests wait forever for an application that stops before
# it listens.)
# The console gets swift-testing's usual output; the log keeps the "started" lines as well.
swift_log="$(mktemp -t switchyard-swift-tests.XXXXXX)"
run_swift_tests() {
    timeout -k 10 600 swift test --skip-build --verbose 2>&1 | tee "$swift_log" \
        | grep --line-buffered -v -E ' started\.$|^(clang version|Target:|Thread model:|InstalledDir:|Found candidate|Selected |Candidate multilib|Swift version| "/usr/bin/ld|/opt/swift/usr/bin/|warning: [^ ]+ /opt/swift/usr/bin/swift-frontend |info: [^ ]+ dependency on )'
}
unfinished_tests() {
    awk '/^[^ ]+ Test .* started\.$/ { sub(/^[^ ]+ Test /, ""); sub(/ started\.$/, ""); if ($0 != "run") open[$0] = 1 }
         /^[^ ]+ Test .* (passed|failed) after [0-9.]+ seconds/ {
             sub(/^[^ ]+ Test /, ""); sub(/( with [0-9]+ test cases?)? (passed|failed) after [0-9.]+ seconds.*$/, ""); delete open[$0] }
         /^[^ ]+ Test .* skipped/ { sub(/^[^ ]+ Test /, ""); sub(/ skipped.*$/, ""); delete open[$0] }
         END { for (name in open) print "  " name }' "$swift_log"
}
status=0
run_swift_tests || status=$?
if [ "$status" = 124 ] || [ "$status" = 137 ]; then
    echo "test-all: the Swift tests did not finish within 10 minutes; these had started and not finished:" >&2
    unfinished_tests >&2
    echo "test-all: running the Swift tests once more" >&2
    run_swift_tests
elif [ "$status" != 0 ]; then
    exit "$status"
fi
rm -f "$swift_log"
Scripts/test-python.sh
Scripts/test-flagd-python.sh

# Seeded fuzzing of the flag document parser, the JsonLogic evaluator and the kill-rule parser:
# 15 seconds per target (they run in parallel, under a minute in all); each prints its input count
# and seed (replay with SWITCHYARD_FUZZ_SEED).
SWITCHYARD_FUZZ_SECONDS="${SWITCHYARD_FUZZ_SECONDS:-15}" swift test --skip-build --filter FuzzTests

bash Scripts/dashboard-browser-check.sh
