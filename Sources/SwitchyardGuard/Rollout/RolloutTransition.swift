import SwitchyardCore

/// A change of a rollout's state, with the statistics that justified it: what the server audits,
/// and, when ``targeting`` is set, the flag change it must write.
public struct RolloutTransition: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case started
        /// Moved to the next stage.
        case advanced
        /// Reached the final stage.
        case completed
        /// A `rollback` guardrail regressed, or a person aborted: everyone gets the control.
        case rolledBack
        /// A `hold` guardrail regressed: the rollout stays at its stage.
        case held
        /// A `warn` guardrail regressed.
        case warned
        case paused
        case resumed
    }

    public var kind: Kind
    public var at: Timestamp
    public var from: RolloutState
    public var to: RolloutState
    /// Why, in words.
    public var reason: String
    /// The comparisons the decision rested on (empty for a person's command).
    public var evidence: [MetricComparison]
    public var sampleRatio: SampleRatioCheck?
    /// The flag's new targeting, when the split changes; the server writes it as a flag change.
    public var targeting: JSONValue?
    /// Whether a new stage begins, so per-unit analysis must start afresh
    /// (`Aggregator.startAnalysis(of:)`): units move from control to treatment between stages.
    public var beginsStage: Bool { kind == .started || kind == .advanced }

    public var description: String { "\(kind.rawValue) at \(at): \(reason)" }
}
