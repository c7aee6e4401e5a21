import SwitchyardCore

/// A recorded trip: when, and the numbers (`KillRuleTrip.json`).
package struct RuleTrip: Sendable, Equatable {
    /// Milliseconds since the epoch.
    package var at: Int64
    package var details: JSONValue

    package init(at: Int64, details: JSONValue) {
        self.at = at
        self.details = details
    }
}
