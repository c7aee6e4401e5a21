import Benchmark
import Foundation
import SwitchyardCore

/// The three evaluations of issue 2: a static flag, three segment rules then a 5 % rollout, and a
/// string flag choosing a model version. Each iteration is one evaluation with a prepared context.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        scalingFactor: .kilo,
        maxDuration: .seconds(3)
    )

    // The flags are shared with `ClientEvaluation`.
    let flagsFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("evaluation-flags.json")
    let document = try! FlagDocument(bytes: Array(try! Data(contentsOf: flagsFile)))
    // A user in no segment: every rule runs, then the rollout hashes the targeting key.
    let context = EvaluationContext(
        targetingKey: "user-1234567", attributes: ["email": "dana@example.org", "beta": false, "tier": "pro"])

    Benchmark("static flag") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(document.resolve("static-flag", context: context)) }
    }
    Benchmark("three segments then 5% rollout") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(document.resolve("ai-document-summary", context: context)) }
    }
    Benchmark("model version string flag") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(document.resolve("summary-model-version", as: .string, default: "gpt-4o-2024-08-06", context: context))
        }
    }
}
