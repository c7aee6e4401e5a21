import SwitchyardCore

extension UnitTotals {
    /// The unit's totals as JSON, so the store can keep per-unit analysis across restarts.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "variant": .string(variant),
            "multiplyExposed": .bool(isMultiplyExposed),
            "active": .bool(isActive),
            "exposures": .integer(Int64(exposures)),
            "outputs": .integer(Int64(outputs)),
            "completedOutputs": .integer(Int64(completedOutputs)),
            "errors": .integer(Int64(errors)),
            "emptyOutputs": .integer(Int64(emptyOutputs)),
            "truncatedOutputs": .integer(Int64(truncatedOutputs)),
            "refusedOutputs": .integer(Int64(refusedOutputs)),
            "logChars": .double(logChars),
            "latencyMs": .double(latencyMs),
            "tokensOut": .double(tokensOut),
            "positiveFeedback": .integer(Int64(positiveFeedback)),
            "negativeFeedback": .integer(Int64(negativeFeedback)),
            "edits": .integer(Int64(edits)),
            "actions": .integer(Int64(actions)),
        ]
        if let segment { members["segment"] = .string(segment) }
        return .object(members)
    }

    /// Reads a unit's totals written by ``json``.
    public init(json: JSONValue) throws(AggregateDecodingError) {
        let fields = try StoredFields(json, path: "unit")
        guard let variant = fields.members["variant"]?.stringValue else { throw .invalid("unit.variant", expected: "a string") }
        self.init(variant: variant)
        segment = fields.members["segment"]?.stringValue
        isMultiplyExposed = fields.members["multiplyExposed"]?.boolValue ?? false
        isActive = fields.members["active"]?.boolValue ?? true
        exposures = try fields.count("exposures")
        outputs = try fields.count("outputs")
        completedOutputs = try fields.count("completedOutputs")
        errors = try fields.count("errors")
        emptyOutputs = try fields.count("emptyOutputs")
        truncatedOutputs = try fields.count("truncatedOutputs")
        refusedOutputs = try fields.count("refusedOutputs")
        logChars = try fields.number("logChars")
        latencyMs = try fields.number("latencyMs")
        tokensOut = try fields.number("tokensOut")
        positiveFeedback = try fields.count("positiveFeedback")
        negativeFeedback = try fields.count("negativeFeedback")
        edits = try fields.count("edits")
        actions = try fields.count("actions")
    }
}

extension Aggregator {
    /// Puts back one unit's totals read from the store after a restart, replacing what the
    /// aggregator holds for it.
    public mutating func restore(_ unit: UnitTotals, unitKey: String, flag: String) {
        units[flag, default: [:]][unitKey] = unit
    }
}
