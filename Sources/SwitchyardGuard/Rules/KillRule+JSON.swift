import SwitchyardCore

extension KillRule {
    /// The JSON form: `{"metric": "errorRate", "comparison": ">", "threshold": 0.05, "window": "15m",
    /// "minSamples": 50}`, with optional `baseline` and `cooldown`; a ratio rule writes the quantity
    /// as `metric` and adds `"versus": "control"`.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "comparison": .string(comparison.rawValue),
            "threshold": .double(threshold),
            "window": .string(window.compactText),
            "minSamples": .integer(Int64(minSamples)),
        ]
        if case .ratioToControl(let quantity) = metric {
            members["metric"] = .string(quantity.rawValue)
            members["versus"] = "control"
        } else {
            members["metric"] = .string(metric.name)
        }
        if let baseline { members["baseline"] = .double(baseline) }
        if let cooldown { members["cooldown"] = .string(cooldown.compactText) }
        return .object(members)
    }

    /// Reads the JSON form; errors name the member.
    public init(json: JSONValue) throws(KillRuleError) {
        try self.init(json: json, clampingToLimits: false)
    }

    /// Reads a rule as a store kept it: a rule written before the limits existed (a window, cool-down
    /// or `minSamples` beyond ``maximumWindow``, ``maximumCooldown`` or ``maximumMinSamples``) is
    /// read with those clamped to the limits, so that an old database still starts.
    public init(storedJSON json: JSONValue) throws(KillRuleError) {
        try self.init(json: json, clampingToLimits: true)
    }

    private init(json: JSONValue, clampingToLimits: Bool) throws(KillRuleError) {
        guard let members = json.objectValue else { throw .member("(rule)", "must be an object") }
        guard let name = members["metric"]?.stringValue else { throw .member("metric", "must be a string") }
        let metric: KillRuleMetric
        switch members["versus"] {
        case nil, .null?:
            guard let known = KillRuleMetric(name: name) else {
                throw .member("metric", "unknown metric '\(name)'; known: \(KillRuleMetric.knownNames)")
            }
            metric = known
        case .string("control")?:
            guard let quantity = OutputQuantity(rawValue: name) else {
                throw .member("metric", "a ratio applies to \(OutputQuantity.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            metric = .ratioToControl(quantity)
        default:
            throw .member("versus", "must be \"control\"")
        }
        guard let comparison = members["comparison"]?.stringValue.flatMap(Comparison.init(rawValue:)) else {
            throw .member("comparison", "must be \">\" or \"<\"")
        }
        guard let threshold = members["threshold"]?.numberValue else { throw .member("threshold", "must be a number") }
        guard let window = try Self.duration(members, "window") else { throw .member("window", "is required") }
        var rule = KillRule(metric: metric, comparison: comparison, threshold: threshold, window: window)
        if let minSamples = members["minSamples"], !minSamples.isNull {
            guard case .integer(let count) = minSamples, count >= 1, clampingToLimits || count <= Self.maximumMinSamples else {
                throw .member("minSamples", Self.minSamplesMessage)
            }
            rule.minSamples = Int(min(count, Int64(Self.maximumMinSamples)))
        }
        if let baseline = members["baseline"], !baseline.isNull {
            guard let rate = baseline.numberValue else { throw .member("baseline", "must be a number") }
            rule.baseline = rate
        }
        rule.cooldown = try Self.duration(members, "cooldown")
        if clampingToLimits {
            rule.window = min(rule.window, Self.maximumWindow)
            rule.cooldown = rule.cooldown.map { min($0, Self.maximumCooldown) }
        }
        if let problem = rule.problem { throw .member(problem.concernsThreshold ? "threshold" : "(rule)", problem.message) }
        self = rule
    }

    private static func duration(_ members: [String: JSONValue], _ name: String) throws(KillRuleError) -> Duration? {
        guard let value = members[name], !value.isNull else { return nil }
        guard let text = value.stringValue, let duration = Duration(compactText: text) else {
            throw .member(name, "must be a duration such as \"15m\"")
        }
        return duration
    }
}
