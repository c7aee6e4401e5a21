import SwitchyardCore

/// A kill rule attached to a flag, in its JSON form (`KillRule.json`), with its trip if it tripped
/// and, while armed, the progress of its CUSUM fast path per watched variant.
package struct StoredKillRule: Sendable, Equatable {
    package var flag: String
    /// The rule's place among the flag's rules, from 0.
    package var position: Int
    package var rule: JSONValue
    /// When the rule began watching (its data counts from then), in milliseconds since the epoch.
    package var armedAt: Int64
    package var trip: RuleTrip?
    /// Variant → `CUSUMState.json` as last stored since the rule was armed; empty for a rule without
    /// a fast path, a tripped one, or one that has not evaluated yet.
    package var cusum: [String: JSONValue]

    package init(flag: String, position: Int, rule: JSONValue, armedAt: Int64, trip: RuleTrip?, cusum: [String: JSONValue] = [:]) {
        self.flag = flag
        self.position = position
        self.rule = rule
        self.armedAt = armedAt
        self.trip = trip
        self.cusum = cusum
    }
}
