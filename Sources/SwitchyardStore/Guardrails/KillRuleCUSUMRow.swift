import SwitchyardCore

/// The progress of an armed kill rule's CUSUM fast path for one variant (`CUSUMState.json`), so
/// that a restart resumes it instead of starting from zero.
public struct KillRuleCUSUMRow: Sendable, Equatable {
    public var flag: String
    /// The rule's place among the flag's rules, from 0.
    public var position: Int
    /// When the rule was armed (milliseconds since the epoch): the state belongs to that arming only.
    public var armedAt: Int64
    public var variant: String
    public var state: JSONValue

    public init(flag: String, position: Int, armedAt: Int64, variant: String, state: JSONValue) {
        self.flag = flag
        self.position = position
        self.armedAt = armedAt
        self.variant = variant
        self.state = state
    }
}
