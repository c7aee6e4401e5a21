import SwitchyardCore

/// A rollout's plan (`RolloutPlan.json`) and state (`RolloutState.json`).
package struct StoredRollout: Sendable, Equatable {
    package var environment: String
    package var flag: String
    package var plan: JSONValue
    package var state: JSONValue

    package init(environment: String, flag: String, plan: JSONValue, state: JSONValue) {
        self.environment = environment
        self.flag = flag
        self.plan = plan
        self.state = state
    }
}
