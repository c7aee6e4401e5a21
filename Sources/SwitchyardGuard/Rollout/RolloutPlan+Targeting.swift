import SwitchyardCore

extension RolloutPlan {
    /// The total of the `fractional` weights: 100,000, so the split moves in steps of 0.001 %.
    public static let totalWeight: Int64 = 100_000

    /// The treatment's `fractional` weight for a percentage, rounded to the nearest step.
    public static func treatmentWeight(percent: Double) -> Int64 {
        min(totalWeight, max(0, Int64((percent / 100 * Double(totalWeight)).rounded())))
    }

    /// flagd `fractional` targeting giving `percent` of units the treatment.
    ///
    /// The treatment bucket comes first, and the shorthand hashes the flag key and targeting key
    /// with no per-stage salt, so raising the percentage only raises a cut-off: everyone already in
    /// the treatment stays there (monotone bucketing, spec §4).
    public func fractionalTargeting(percent: Double) -> JSONValue {
        let weight = Self.treatmentWeight(percent: percent)
        return ["fractional": [[.string(treatment), .integer(weight)], [.string(control), .integer(Self.totalWeight - weight)]]]
    }

    /// The percentage and segment gates in force at a stage: the highest percentage reached so
    /// far, and every segment gate reached so far.
    public func gates(atStage index: Int) -> (percent: Double, segments: [JSONValue]) {
        var percent = 0.0
        var segments: [JSONValue] = []
        for stage in stages.prefix(index + 1) {
            switch stage.gate {
            case .percentage(let value): percent = max(percent, value)
            case .segment(_, let condition): segments.append(condition)
            }
        }
        return (percent, segments)
    }

    /// The flag's targeting while stage `index` runs: the segments reached so far get the
    /// treatment, everyone else is split by the stage's percentage.
    public func targeting(atStage index: Int) -> JSONValue {
        let (percent, segments) = gates(atStage: index)
        let split = fractionalTargeting(percent: percent)
        guard !segments.isEmpty else { return split }
        let condition: JSONValue = segments.count == 1 ? segments[0] : ["or": .array(segments)]
        return ["if": [condition, .string(treatment), split]]
    }
}
