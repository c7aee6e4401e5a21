import SwitchyardCore

/// A kill rule tripped: what the audit log records and the alert carries.
public struct KillRuleTrip: Sendable, Hashable, CustomStringConvertible {
    public var rule: KillRule
    public var flag: String
    /// The variant that must stop being served.
    public var variant: String
    public var at: Timestamp
    /// The numbers that caused the trip.
    public var measurement: KillRuleMeasurement
    /// When the rule re-arms by itself, or `nil` when a person must reset it.
    public var rearmsAt: Timestamp? { rule.cooldown.map { at + $0 } }

    public var description: String {
        "kill rule '\(rule.text)' tripped for \(flag)/\(variant): \(measurement)"
    }

    /// The trip as JSON, for the audit log and webhooks.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "rule": .string(rule.text),
            "flag": .string(flag),
            "variant": .string(variant),
            "at": .integer(at.millisecondsSinceEpoch),
            "measurement": measurement.json,
        ]
        if let rearmsAt { members["rearmsAt"] = .integer(rearmsAt.millisecondsSinceEpoch) }
        return .object(members)
    }

    /// The `breakerTrip` event a client reports after its local breaker tripped.
    public var event: BreakerTripEvent {
        BreakerTripEvent(flag: flag, variant: variant, rule: rule.text, detail: measurement.description, timestamp: at)
    }
}
