/// How far a kill rule's CUSUM fast path has read, and the statistic it has built: what a restart
/// needs to resume a slowly building breach where it was instead of from zero.
///
/// Read it from ``KillRuleEvaluator/cusumState`` after an evaluation, store it (``json``), and pass
/// it back to ``KillRuleEvaluator/init(rule:flag:variant:control:since:resuming:)``.
public struct CUSUMState: Sendable, Hashable {
    /// The CUSUM statistic S.
    public var statistic: Double
    /// The last minute the fast path read.
    public var minute: Int64
    /// The failures already observed in `minute`, which may still have been filling.
    public var events: Int
    /// The trials already observed in `minute`.
    public var trials: Int

    public init(statistic: Double, minute: Int64, events: Int, trials: Int) {
        self.statistic = statistic
        self.minute = minute
        self.events = events
        self.trials = trials
    }
}
