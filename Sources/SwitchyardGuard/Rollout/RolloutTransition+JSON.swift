import SwitchyardCore

extension RolloutTransition {
    /// The transition as JSON, for the audit log: the states, the reason, the comparisons and the
    /// sample ratio check that justified it, and the new targeting.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "kind": .string(kind.rawValue),
            "at": .integer(at.millisecondsSinceEpoch),
            "from": from.json,
            "to": to.json,
            "reason": .string(reason),
            "evidence": .array(
                evidence.map { comparison in
                    [
                        "metric": .string(comparison.metric.rawValue),
                        "control": Self.number(comparison.control),
                        "treatment": Self.number(comparison.treatment),
                        "difference": Self.number(comparison.difference),
                        "lower": Self.number(comparison.lower),
                        "upper": Self.number(comparison.upper),
                        "alpha": .double(comparison.alpha),
                        "verdict": .string(comparison.verdict.rawValue),
                    ]
                }),
        ]
        if let sampleRatio {
            members["sampleRatio"] = [
                "healthy": .bool(sampleRatio.isHealthy), "chiSquared": Self.number(sampleRatio.chiSquared), "pValue": Self.number(sampleRatio.pValue),
            ]
        }
        if let targeting { members["targeting"] = targeting }
        return .object(members)
    }

    private static func number(_ value: Double) -> JSONValue { value.isFinite ? .double(value) : .null }
}
