import SwitchyardCore

extension RolloutState {
    /// The state as JSON, for the store.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "phase": .string(phase.rawValue),
            "stage": .integer(Int64(stage)),
            "holding": .bool(holding),
            "warned": .array(warned.map(\.rawValue).sorted().map(JSONValue.string)),
        ]
        if let stageStartedAt { members["stageStartedAt"] = .integer(stageStartedAt.millisecondsSinceEpoch) }
        if let analysisStartedAt, analysisStartedAt != stageStartedAt {
            members["analysisStartedAt"] = .integer(analysisStartedAt.millisecondsSinceEpoch)
        }
        if let pausedAt { members["pausedAt"] = .integer(pausedAt.millisecondsSinceEpoch) }
        if let endedAt { members["endedAt"] = .integer(endedAt.millisecondsSinceEpoch) }
        return .object(members)
    }

    /// Reads a state written by ``json``.
    public init(json: JSONValue) throws(RolloutError) {
        guard let phase = json["phase"]?.stringValue.flatMap(Phase.init(rawValue:)) else {
            throw .invalidState("phase must be one of \(Phase.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard case .integer(let stage)? = json["stage"], stage >= 0, stage < Int64(Int32.max) else {
            throw .invalidState("stage must be a whole number")
        }
        guard let holding = json["holding"]?.boolValue else { throw .invalidState("holding must be true or false") }
        var warned: Set<GuardrailMetric> = []
        for name in json["warned"]?.arrayValue ?? [] {
            guard let metric = name.stringValue.flatMap(GuardrailMetric.init(name:)) else { throw .invalidState("unknown metric \(name) in warned") }
            warned.insert(metric)
        }
        self.init(
            phase: phase, stage: Int(stage), stageStartedAt: try Self.timestamp(json, "stageStartedAt"),
            pausedAt: try Self.timestamp(json, "pausedAt"),
            holding: holding, warned: warned, endedAt: try Self.timestamp(json, "endedAt"),
            analysisStartedAt: try Self.timestamp(json, "analysisStartedAt"))
    }

    private static func timestamp(_ json: JSONValue, _ name: String) throws(RolloutError) -> Timestamp? {
        guard let value = json[name], !value.isNull else { return nil }
        guard case .integer(let milliseconds) = value else { throw .invalidState("\(name) must be milliseconds since the epoch") }
        return Timestamp(millisecondsSinceEpoch: milliseconds)
    }
}
