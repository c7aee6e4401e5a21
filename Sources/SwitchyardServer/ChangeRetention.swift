/// How much of each environment's change feed the server keeps for streams resuming with
/// `Last-Event-ID`, and how often it prunes the rest.
///
/// A change is pruned once it is neither among its environment's newest ``newestChanges`` nor younger
/// than ``days`` days, so the newest change of an environment always stays. Audit entries are never
/// pruned.
package struct ChangeRetention: Sendable {
    /// How many of each environment's newest changes are always kept; at least 1.
    package var newestChanges: Int
    /// How many days of changes are kept beyond the newest ones; 0 keeps only ``newestChanges``.
    package var days: Int
    /// The time between two prunings; the first runs when the server starts.
    package var interval: Duration

    /// The default of ``newestChanges``.
    package static let defaultNewestChanges = 10_000
    /// The default of ``days``.
    package static let defaultDays = 30

    /// - Precondition: `newestChanges` is at least 1 and `days` at least 0.
    package init(
        newestChanges: Int = ChangeRetention.defaultNewestChanges, days: Int = ChangeRetention.defaultDays, interval: Duration = .seconds(3600)
    ) {
        precondition(newestChanges >= 1, "the newest change of an environment is always kept: newestChanges must be at least 1")
        precondition(days >= 0, "days must be 0 or more")
        self.newestChanges = newestChanges
        self.days = days
        self.interval = interval
    }
}
