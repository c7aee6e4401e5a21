/// Where a rollout stands: `draft → running(stage i) → paused | completed | rolledBack` (spec §4).
///
/// Plain values that serialize to and from JSON (``json``, ``init(json:)``), so the server can
/// persist the state after every transition and resume after a restart.
public struct RolloutState: Sendable, Hashable {
    public enum Phase: String, Sendable, Hashable, CaseIterable {
        case draft
        case running
        case paused
        case completed
        case rolledBack
    }

    public var phase: Phase
    /// The current stage's index in the plan.
    public var stage: Int
    /// When the current stage began, shifted forward by any time spent paused.
    public var stageStartedAt: Timestamp?
    /// When the current stage's analysis began: when the stage began, not shifted by pauses. It names
    /// the stage's analysis period, which servers sharing a store tag their per-unit totals with.
    public var analysisStartedAt: Timestamp?
    /// When the rollout was paused, while paused.
    public var pausedAt: Timestamp?
    /// Whether a `hold` guardrail stopped the rollout from advancing (until a person resumes).
    public var holding: Bool
    /// The `warn` guardrails already alerted on in this stage.
    public var warned: Set<GuardrailMetric>
    /// When the rollout completed or was rolled back.
    public var endedAt: Timestamp?

    /// A rollout that has not started.
    public static let draft = RolloutState(phase: .draft, stage: 0, holding: false, warned: [])

    public init(
        phase: Phase, stage: Int, stageStartedAt: Timestamp? = nil, pausedAt: Timestamp? = nil, holding: Bool, warned: Set<GuardrailMetric>,
        endedAt: Timestamp? = nil, analysisStartedAt: Timestamp? = nil
    ) {
        self.phase = phase
        self.stage = stage
        self.stageStartedAt = stageStartedAt
        self.analysisStartedAt = analysisStartedAt ?? stageStartedAt
        self.pausedAt = pausedAt
        self.holding = holding
        self.warned = warned
        self.endedAt = endedAt
    }
}
