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

/// A rollout's plan (`RolloutPlan.json`) and state (`RolloutState.json`).
public struct StoredRollout: Sendable, Equatable {
    public var environment: String
    public var flag: String
    public var plan: JSONValue
    public var state: JSONValue

    public init(environment: String, flag: String, plan: JSONValue, state: JSONValue) {
        self.environment = environment
        self.flag = flag
        self.plan = plan
        self.state = state
    }
}
