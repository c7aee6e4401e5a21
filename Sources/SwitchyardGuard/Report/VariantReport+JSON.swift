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
                        "values": .object(Dictionary(uniqueKeysWithValues: arm.values.map { ($0.key.rawValue, Self.jsonNumber($0.value)) })),
                        "sparklines": .object(
                            Dictionary(uniqueKeysWithValues: arm.sparklines.map { ($0.key.rawValue, .array($0.value.map { $0.map(Self.jsonNumber) ?? .null })) })
                        ),
                    ]
                }),
            "treatments": .array(
                treatments.map { treatment in
                    [
                        "variant": .string(treatment.variant),
                        "comparisons": .array(
                            treatment.comparisons.map { comparison in
                                [
                                    "metric": .string(comparison.metric.rawValue),
                                    "direction": .string(comparison.metric.direction.rawValue),
                                    "control": Self.jsonNumber(comparison.control),
                                    "treatment": Self.jsonNumber(comparison.treatment),
                                    "difference": Self.jsonNumber(comparison.difference),
                                    "lower": Self.jsonNumber(comparison.lower),
                                    "upper": Self.jsonNumber(comparison.upper),
                                    "alpha": .double(comparison.alpha),
                                    "verdict": .string(comparison.verdict.rawValue),
                                ]
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
