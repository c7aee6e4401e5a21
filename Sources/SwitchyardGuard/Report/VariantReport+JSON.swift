#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import SwitchyardCore

extension VariantReport {
    /// The report as JSON, for `GET /api/v1/flags/{key}/report`.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "flag": .string(flag),
            "control": .string(control),
            "generatedAt": .integer(generatedAt.millisecondsSinceEpoch),
            "alpha": .double(options.alpha),
            "alphaPerMetric": .double(options.alphaPerMetric),
            "correction": "bonferroni",
            "multiplyExposedUnits": .integer(Int64(multiplyExposedUnits)),
            "arms": .array(
                arms.map { arm in
                    [
                        "variant": .string(arm.variant),
                        "units": .integer(Int64(arm.units)),
                        "outputs": .integer(Int64(arm.outputs)),
                        "values": .object(
                            Dictionary(uniqueKeysWithValues: arm.values.map { ($0.key.rawValue, Self.jsonNumber($0.key.shown($0.value))) })),
                        "sparklines": .object(
                            Dictionary(
                                uniqueKeysWithValues: arm.sparklines.map { metric, points in
                                    (metric.rawValue, .array(points.map { $0.map { Self.jsonNumber(metric.shown($0)) } ?? .null }))
                                })
                        ),
                    ]
                }),
            "treatments": .array(
                treatments.map { treatment in
                    [
                        "variant": .string(treatment.variant),
                        "comparisons": .array(
                            treatment.comparisons.map { comparison in
                                var members: [String: JSONValue] = [
                                    "metric": .string(comparison.metric.rawValue),
                                    "direction": .string(comparison.metric.direction.rawValue),
                                    "control": Self.jsonNumber(comparison.metric.shown(comparison.control)),
                                    "treatment": Self.jsonNumber(comparison.metric.shown(comparison.treatment)),
                                    "difference": Self.jsonNumber(comparison.difference),
                                    "lower": Self.jsonNumber(comparison.lower),
                                    "upper": Self.jsonNumber(comparison.upper),
                                    "alpha": .double(comparison.alpha),
                                    "verdict": .string(comparison.verdict.rawValue),
                                ]
                                if comparison.metric.isLogScale {
                                    // difference, lower and upper are on the log scale; as ratios of lengths:
                                    members["scale"] = "log"
                                    members["ratio"] = Self.jsonNumber(exp(comparison.difference))
                                    members["ratioLower"] = Self.jsonNumber(exp(comparison.lower))
                                    members["ratioUpper"] = Self.jsonNumber(exp(comparison.upper))
                                }
                                return .object(members)
                            }),
                    ]
                }),
        ]
        if let sampleRatio {
            members["sampleRatio"] = [
                "healthy": .bool(sampleRatio.isHealthy),
                "chiSquared": Self.jsonNumber(sampleRatio.chiSquared),
                "pValue": Self.jsonNumber(sampleRatio.pValue),
                "observed": .object(sampleRatio.observed.mapValues { .integer(Int64($0)) }),
                "expected": .object(sampleRatio.expected.mapValues { .double($0) }),
            ]
        }
        return .object(members)
    }

    /// A finite number, or `null` for infinities (an interval without data).
    private static func jsonNumber(_ value: Double) -> JSONValue { value.isFinite ? .double(value) : .null }
}
