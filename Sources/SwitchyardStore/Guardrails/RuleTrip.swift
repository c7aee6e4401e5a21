import SwitchyardCore

/// A recorded trip: when, and the numbers (`KillRuleTrip.json`).
public struct RuleTrip: Sendable, Equatable {
    /// Milliseconds since the epoch.
    public var at: Int64
    public var details: JSONValue

    public init(at: Int64, details: JSONValue) {
        self.at = at
        self.details = details
    }
}
