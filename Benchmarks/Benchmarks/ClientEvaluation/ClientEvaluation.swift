import Atomics
import Benchmark
import Foundation
import SwitchyardClient
import SwitchyardCore
import SwitchyardGuard
import Synchronization

/// Evaluation through the client next to the bare engine on the same document and context
/// (target: within 10 %), and the caller's cost of `trackOutput` (target: under 2 µs).
///
/// The clients serve a bootstrap file and point at a closed port, so nothing but the measured
/// call runs on the benchmark's thread.
/// The flags of the evaluation benchmarks, shared with `CoreEvaluation`.
let document = try! String(
    contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("evaluation-flags.json").path,
    encoding: .utf8)

/// Set once by the setup hook, read by the benchmarks after it.
nonisolated(unsafe) var withExposures: SwitchyardClient!
nonisolated(unsafe) var withoutExposures: SwitchyardClient!

/// A client serving the bootstrap file; it never runs, since evaluation needs no background work.
func makeClient(exposures: Bool) -> SwitchyardClient {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-benchmark-\(UUID().uuidString).json").path
    try! document.write(toFile: path, atomically: true, encoding: .utf8)
    let options = SwitchyardClient.Options(
        bootstrapFile: path, startTimeout: .milliseconds(1), streaming: false, pollInterval: .seconds(3600),
        reconnectDelay: .seconds(3600) ... .seconds(3600), flushInterval: .seconds(3600), flushSize: 1 << 30, exposures: exposures,
        shutdownTimeout: .milliseconds(1))
    let client = SwitchyardClient(url: URL(string: "http://127.0.0.1:9")!, sdkKey: "benchmark", options: options)
    try? FileManager.default.removeItem(atPath: path)
    return client
}

/// The plain ways to publish a snapshot that every thread reads, measured beside the client's own
/// (issue 15): behind a `Mutex`, and as an atomic reference, the way Hummingbird's `DateCache`
/// publishes its date.
final class DocumentBox: AtomicReference, Sendable {
    let document: FlagDocument

    init(_ document: FlagDocument) {
        self.document = document
    }
}

/// A snapshot behind a lock: each read takes it and retains the snapshot.
final class MutexSnapshot: Sendable {
    private let current: Mutex<DocumentBox>

    init(_ document: FlagDocument) {
        current = Mutex(DocumentBox(document))
    }

    /// The current snapshot, retained for the caller.
    var box: DocumentBox { current.withLock { $0 } }
}

/// The plain way to remember the exposures already reported: a set of fingerprints under a lock,
/// emptied when it is full (the client's table forgets its oldest entries instead).
final class ExposureSet: Sendable {
    private let fingerprints = Mutex<Set<UInt64>>([])

    /// Whether the fingerprint is new in this window.
    func record(_ fingerprint: UInt64) -> Bool {
        fingerprints.withLock { set in
            if set.count >= 65_536 { set.removeAll(keepingCapacity: true) }
            return set.insert(fingerprint).inserted
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        scalingFactor: .kilo,
        maxDuration: .seconds(3)
    )
    Benchmark.setup = {
        withExposures = makeClient(exposures: true)
        withoutExposures = makeClient(exposures: false)
    }

    let engine = try! FlagDocument(text: document)
    // A user in no segment: every rule runs, then the rollout hashes the targeting key.
    let context = EvaluationContext(
        targetingKey: "user-1234567", attributes: ["email": "dana@example.org", "beta": false, "tier": "pro"])

    Benchmark("engine: three segments then 5% rollout") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(engine.resolve("ai-document-summary", as: .boolean, default: false, context: context).value?.boolValue ?? false)
        }
    }
    Benchmark("client: three segments then 5% rollout") { benchmark in
        let client = withoutExposures!
        for _ in benchmark.scaledIterations { blackHole(client.bool("ai-document-summary", default: false, context: context)) }
    }
    let mutexSnapshot = MutexSnapshot(engine)
    Benchmark("engine behind a Mutex snapshot: three segments then 5% rollout") { benchmark in
        for _ in benchmark.scaledIterations {
            let box = mutexSnapshot.box
            blackHole(box.document.resolve("ai-document-summary", as: .boolean, default: false, context: context).value?.boolValue ?? false)
        }
    }
    let atomicSnapshot = ManagedAtomic(DocumentBox(engine))
    Benchmark("engine behind an atomic reference: three segments then 5% rollout") { benchmark in
        for _ in benchmark.scaledIterations {
            let box = atomicSnapshot.load(ordering: .acquiring)
            blackHole(box.document.resolve("ai-document-summary", as: .boolean, default: false, context: context).value?.boolValue ?? false)
        }
    }
    Benchmark("client with exposures: three segments then 5% rollout") { benchmark in
        let client = withExposures!
        for _ in benchmark.scaledIterations { blackHole(client.bool("ai-document-summary", default: false, context: context)) }
    }
    // 10,000 users in turn: most repeats are no longer in the thread's table of 1,024 exposures.
    let users = (0..<10_000).map { number in
        EvaluationContext(
            targetingKey: "user-\(number)", attributes: ["email": .string("user\(number)@example.org"), "beta": false, "tier": "pro"])
    }
    Benchmark("engine: 10,000 users in turn") { benchmark in
        var index = 0
        for _ in benchmark.scaledIterations {
            blackHole(engine.resolve("ai-document-summary", as: .boolean, default: false, context: users[index]).value?.boolValue ?? false)
            index = index == users.count - 1 ? 0 : index + 1
        }
    }
    Benchmark("client with exposures: 10,000 users in turn") { benchmark in
        let client = withExposures!
        var index = 0
        for _ in benchmark.scaledIterations {
            blackHole(client.bool("ai-document-summary", default: false, context: users[index]))
            index = index == users.count - 1 ? 0 : index + 1
        }
    }
    let exposureSet = ExposureSet()
    let flagHash = keyHash("ai-document-summary")
    Benchmark("engine behind a Mutex snapshot, exposures in a Mutex set: 10,000 users in turn") { benchmark in
        var index = 0
        for _ in benchmark.scaledIterations {
            let user = users[index]
            let resolution = mutexSnapshot.box.document.resolve(
                "ai-document-summary", as: .boolean, default: false, context: user)
            if let variant = resolution.variant, let unit = user.targetingKey {
                blackHole(exposureSet.record((flagHash &* 0x9E37_79B9_7F4A_7C15 ^ keyHash(unit)) &* 0xBF58_476D_1CE4_E5B9 ^ keyHash(variant)))
            }
            blackHole(resolution.value?.boolValue ?? false)
            index = index == users.count - 1 ? 0 : index + 1
        }
    }
    Benchmark("engine: model version string flag") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(engine.resolve("summary-model-version", as: .string, default: "gpt-4o-2024-08-06", context: context).value?.stringValue)
        }
    }
    Benchmark("client: model version string flag") { benchmark in
        let client = withoutExposures!
        for _ in benchmark.scaledIterations {
            blackHole(client.string("summary-model-version", default: "gpt-4o-2024-08-06", context: context))
        }
    }
    let output = String(repeating: "A concise summary of the quarterly report, ", count: 28)
    Benchmark("trackOutput (caller's thread)") { benchmark in
        let client = withoutExposures!
        for _ in benchmark.scaledIterations {
            blackHole(
                client.trackOutput(
                    flag: "ai-document-summary", context: context, variant: "on", model: "gpt-4o-2024-08-06", output: output,
                    latency: .milliseconds(850), tokensIn: 300, tokensOut: 280))
        }
    }
}
