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

    /// What the plan owns of a flag's targeting at a stage: the segments reached so far get the
    /// treatment, everyone else is split by the stage's percentage.
    public func planTargeting(atStage index: Int) -> JSONValue {
        let (percent, segments) = gates(atStage: index)
        return planTargeting(percent: percent, segments: segments)
    }

    private func planTargeting(percent: Double, segments: [JSONValue]) -> JSONValue {
        let split = fractionalTargeting(percent: percent)
        guard !segments.isEmpty else { return split }
        let condition: JSONValue = segments.count == 1 ? segments[0] : ["or": .array(segments)]
        return ["if": [condition, .string(treatment), split]]
    }

    /// The flag's targeting while stage `index` runs, composed with the targeting the flag had
    /// before the rollout (`base`): the plan's part (``planTargeting(atStage:)``) takes the place
    /// where `base` falls through, so every gate of `base` keeps serving what it served.
    public func targeting(atStage index: Int, base: JSONValue?) throws(RolloutError) -> JSONValue {
        try Self.composing(planTargeting(atStage: index), into: base)
    }

    /// The targeting after an abort or a rollback: `base` with its gates, and the plan's split at
    /// 0 %, so nobody outside those gates gets the treatment and the plan's segment gates are gone.
    public func rolledBackTargeting(base: JSONValue?) throws(RolloutError) -> JSONValue {
        try Self.composing(planTargeting(percent: 0, segments: []), into: base)
    }

    /// Places `part` where `base` falls through.
    ///
    /// - No targeting (absent, `null`, `{}`): `part` is the whole targeting.
    /// - An `if` chain: its `else` (the last argument of an odd-length chain) is composed in turn;
    ///   a chain without one gets `part` as its `else`.
    /// - A `fractional` split: `part` replaces it. The plan owns the percentage split of whoever
    ///   reaches it; a split already there is what the plan's stages supersede.
    /// - Anything else (a constant variant, another operator) has no place the plan can own, and
    ///   is refused.
    public static func composing(_ part: JSONValue, into base: JSONValue?) throws(RolloutError) -> JSONValue {
        guard let base, base != .null, base != .object([:]) else { return part }
        guard case .object(let members) = base, members.count == 1, let (op, argument) = members.first else {
            throw .invalidPlan("the flag's targeting \(base.serialized()) has no fall-through the rollout can own: use an \"if\" chain")
        }
        switch op {
        case "fractional":
            return part
        case "if":
            guard case .array(var arguments) = argument, !arguments.isEmpty else {
                throw .invalidPlan("the flag's targeting has an \"if\" without arguments")
            }
            if arguments.count % 2 == 1 {
                arguments[arguments.count - 1] = try composing(part, into: arguments[arguments.count - 1])
            } else {
                arguments.append(part)
            }
            return ["if": .array(arguments)]
        default:
            throw .invalidPlan(
                "the flag's targeting is a \"\(op)\" rule, which has no fall-through the rollout can own: wrap it in an \"if\" chain whose else the rollout takes"
            )
        }
    }
}
