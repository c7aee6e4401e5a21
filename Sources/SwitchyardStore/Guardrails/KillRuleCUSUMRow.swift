import SwitchyardCore

/// The progress of an armed kill rule's CUSUM fast path for one variant (`CUSUMState.json`), so
/// that a restart resumes it instead of starting from zero.
package struct KillRuleCUSUMRow: Sendable, Equatable {
    package var flag: String
    /// The rule's place among the flag's rules, from 0.
    package var position: Int
    /// When the rule was armed (milliseconds since the epoch): the state belongs to that arming only.
    package var armedAt: Int64
    package var variant: String
    package var state: JSONValue

    package init(flag: String, position: Int, armedAt: Int64, variant: String, state: JSONValue) {
        self.flag = flag
        self.position = position
        self.armedAt = armedAt
        self.variant = variant
        self.state = state
    }
}
