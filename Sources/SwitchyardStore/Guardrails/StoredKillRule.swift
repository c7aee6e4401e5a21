import SwitchyardCore

/// A kill rule attached to a flag, in its JSON form (`KillRule.json`), with its trip if it tripped.
public struct StoredKillRule: Sendable, Equatable {
    public var flag: String
    /// The rule's place among the flag's rules, from 0.
    public var position: Int
    public var rule: JSONValue
    /// When the rule began watching (its data counts from then), in milliseconds since the epoch.
    public var armedAt: Int64
    public var trip: RuleTrip?

    public init(flag: String, position: Int, rule: JSONValue, armedAt: Int64, trip: RuleTrip?) {
        self.flag = flag
        self.position = position
        self.rule = rule
        self.armedAt = armedAt
        self.trip = trip
    }
}
