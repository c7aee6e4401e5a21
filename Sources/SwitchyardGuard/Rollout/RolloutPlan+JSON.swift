import SwitchyardCore

extension RolloutPlan {
    /// The plan as JSON, the body of `POST /api/v1/flags/{key}/rollout`:
    ///
    /// ```json
    /// { "flag": "ai-summary", "control": "off", "treatment": "on", "alpha": 0.05, "tuning": 5000,
    ///   "stages": [ { "segment": "internal", "condition": {"==": [{"var": "internal"}, true]},
    ///                 "minDuration": "1d", "minUnitsPerArm": 20 },
    ///               { "percent": 1, "minDuration": "3d", "minUnitsPerArm": 100 } ],
    ///   "guardrails": [ { "metric": "errorRate", "action": "rollback", "nonInferiorityMargin": 0.01 } ] }
    /// ```
    public var json: JSONValue {
        [
            "flag": .string(flag),
            "control": .string(control),
            "treatment": .string(treatment),
            "alpha": .double(alpha),
            "tuning": .double(tuning),
            "stages": .array(
                stages.map { stage in
                    var members: [String: JSONValue] = [
                        "minDuration": .string(stage.minimumDuration.compactText),
                        "minUnitsPerArm": .integer(Int64(stage.minimumUnitsPerArm)),
                    ]
                    switch stage.gate {
                    case .segment(let name, let condition):
                        members["segment"] = .string(name)
                        members["condition"] = condition
                    case .percentage(let percent):
                        members["percent"] = .double(percent)
                    }
                    return .object(members)
                }),
            "guardrails": .array(
                guardrails.map { guardrail in
                    var members: [String: JSONValue] = [
                        "metric": .string(guardrail.metric.rawValue),
                        "action": .string(guardrail.action.rawValue),
                        "regressionMargin": .double(guardrail.regressionMargin),
                    ]
                    if let margin = guardrail.nonInferiorityMargin { members["nonInferiorityMargin"] = .double(margin) }
                    return .object(members)
                }),
        ]
    }

    /// Reads and validates a plan; missing `alpha` and `tuning` take their defaults.
    public init(json: JSONValue) throws(RolloutError) {
        func text(_ value: JSONValue?, _ name: String) throws(RolloutError) -> String {
            guard let text = value?.stringValue, !text.isEmpty else { throw .invalidPlan("\(name) must be a non-empty string") }
            return text
        }
        var stages: [Stage] = []
        for (index, stage) in (json["stages"]?.arrayValue ?? []).enumerated() {
            let path = "stages[\(index)]"
            guard let minimumDuration = stage["minDuration"]?.stringValue.flatMap({ Duration(compactText: $0) }) else {
                throw .invalidPlan("\(path).minDuration must be a duration such as \"3d\"")
            }
            guard case .integer(let units)? = stage["minUnitsPerArm"], units >= 0, units < Int64(Int32.max) else {
                throw .invalidPlan("\(path).minUnitsPerArm must be a whole number")
            }
            let gate: Gate
            if let percent = stage["percent"]?.numberValue {
                gate = .percentage(percent)
            } else if let segment = stage["segment"]?.stringValue, let condition = stage["condition"], condition.objectValue != nil {
                gate = .segment(name: segment, condition: condition)
            } else {
                throw .invalidPlan("\(path) needs a percent, or a segment name with a JsonLogic condition object")
            }
            stages.append(Stage(gate: gate, minimumDuration: minimumDuration, minimumUnitsPerArm: Int(units)))
        }
        var guardrails: [Guardrail] = []
        for (index, guardrail) in (json["guardrails"]?.arrayValue ?? []).enumerated() {
            let path = "guardrails[\(index)]"
            guard let metric = guardrail["metric"]?.stringValue.flatMap(GuardrailMetric.init(name:)) else {
                throw .invalidPlan("\(path).metric must be one of \(GuardrailMetric.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let action = guardrail["action"]?.stringValue.flatMap(Action.init(rawValue:)) else {
                throw .invalidPlan("\(path).action must be rollback, hold or warn")
            }
            guardrails.append(
                Guardrail(
                    metric: metric, action: action, regressionMargin: guardrail["regressionMargin"]?.numberValue ?? 0,
                    nonInferiorityMargin: guardrail["nonInferiorityMargin"]?.numberValue))
        }
        self.init(
            flag: try text(json["flag"], "flag"), control: try text(json["control"], "control"), treatment: try text(json["treatment"], "treatment"),
            stages: stages, guardrails: guardrails, alpha: json["alpha"]?.numberValue ?? 0.05,
            tuning: json["tuning"]?.numberValue ?? ConfidenceSequence.defaultTuning)
        if let problem { throw .invalidPlan(problem) }
    }
}
