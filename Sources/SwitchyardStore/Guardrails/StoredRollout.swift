import SwitchyardCore

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
