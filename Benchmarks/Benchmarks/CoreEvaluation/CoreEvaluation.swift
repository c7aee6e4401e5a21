import Benchmark
import SwitchyardCore

/// The three evaluations of issue 2: a static flag, three segment rules then a 5 % rollout, and a
/// string flag choosing a model version. Each iteration is one evaluation with a prepared context.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        scalingFactor: .kilo,
        maxDuration: .seconds(3)
    )

    let document = try! FlagDocument(text: #"""
        {
          "$evaluators": {
            "internal-users": {"ends_with": [{"var": "email"}, "@acme.com"]},
            "beta-opt-in": {"==": [{"var": "beta"}, true]},
            "enterprise-tier": {"==": [{"var": "tier"}, "enterprise"]}
          },
          "flags": {
            "static-flag": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"},
            "ai-document-summary": {
              "state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
              "targeting": {"if": [
                {"$ref": "internal-users"}, "on",
                {"$ref": "beta-opt-in"}, "on",
                {"$ref": "enterprise-tier"}, "on",
                {"fractional": [["on", 5], ["off", 95]]}
              ]}
            },
            "summary-model-version": {
              "state": "ENABLED",
              "variants": {"baseline": "gpt-4o-2024-08-06", "candidate": "gpt-4.1-2025-04-14"},
              "defaultVariant": "baseline",
              "targeting": {"if": [{"$ref": "internal-users"}, "candidate", {"fractional": [["candidate", 10], ["baseline", 90]]}]}
            }
          }
        }
        """#)
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
