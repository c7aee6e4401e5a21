import SwitchyardCore

/// Where the guardrail layer keeps its durable state: event-batch ids, one-minute aggregates,
/// per-unit totals and the remembered outputs that attribute follow-ups; kill rules, their trips
/// and the progress of their CUSUM fast paths; and rollouts.
///
/// Values are plain JSON written and read by `SwitchyardGuard` (`ArmTotals.json`, `KillRule.json`,
/// `RolloutPlan.json`, …), so the store needs no statistics of its own.
package protocol GuardrailStore: Sendable {
    /// The aggregates of every server sharing this store, which kill rules, rollouts and reports
    /// read instead of one server's; `nil` for a store used by one process (SQLite).
    var fleetAggregates: (any FleetAggregates)? { get }

    /// Records a batch of events as accepted, with the aggregates it changed and the outputs it
    /// made the aggregator remember, in one durable transaction; returns `false` and stores nothing
    /// when the batch id was recorded before.
    ///
    /// Minute and unit rows replace the stored ones. Outputs are remembered after every output
    /// remembered before, in the order given, and only the `capacity` most recent of the
    /// environment are kept, as the aggregator keeps them (it reports an output only when it was
    /// not already remembering it, so an id is never held twice).
    func recordEventBatch(
        _ batchId: String, in environment: String, minutes: [AggregateMinuteRow], units: [AggregateUnitRow], outputs: [RememberedOutputRow],
        keepingOutputs capacity: Int
    ) async throws -> Bool

    /// The ids of the environment's most recently recorded batches, at most `limit`, oldest first:
    /// at start they let a batch delivered again be recognised without a trip to the store.
    func recentEventBatchIds(in environment: String, limit: Int) async throws -> [String]

    /// Replaces every per-unit total of a flag (a rollout stage began and the analysis restarted).
    func replaceUnitAggregates(of flag: String, in environment: String, with units: [AggregateUnitRow]) async throws

    /// The stored aggregates of an environment from `minute` on, with the remembered outputs from
    /// then on, oldest first.
    func aggregates(in environment: String, fromMinute minute: Int64) async throws -> StoredAggregates

    /// Deletes an environment's minutes, remembered outputs and batch ids older than `minute`, in
    /// one transaction.
    func pruneAggregates(in environment: String, before minute: Int64) async throws

    /// Every kill rule of an environment, by flag then position, with its stored CUSUM progress.
    func killRules(in environment: String) async throws -> [StoredKillRule]

    /// Stores the CUSUM progress of armed rules, in one transaction. A row whose rule has since
    /// been replaced, tripped or re-armed (its `armedAt` differs) is ignored: its progress is over.
    func saveCUSUMStates(_ rows: [KillRuleCUSUMRow], in environment: String) async throws

    /// Replaces a flag's kill rules (clearing any trip and CUSUM progress), watching from `armedAt`
    /// (milliseconds since the epoch), and audits it as `rules.put` (or `rules.delete` when `rules`
    /// is empty).
    func replaceKillRules(of flag: String, in environment: String, with rules: [JSONValue], armedAt: Int64, by author: Author) async throws
        -> [StoredKillRule]

    /// Records a rule's trip (`trip` set) or its re-arming from `rearmedAt` (`trip` nil), with an
    /// audit entry named `action` that holds the trip's numbers; either ends the rule's CUSUM
    /// progress.
    func recordTrip(
        _ trip: RuleTrip?, of flag: String, position: Int, in environment: String, rearmedAt: Int64?, by author: Author, action: String,
        reason: String
    ) async throws

    /// Every rollout of an environment.
    func rollouts(in environment: String) async throws -> [StoredRollout]

    /// Stores a rollout's plan and state, and audits the transition with its details, in one transaction.
    func saveRollout(_ rollout: StoredRollout, by author: Author, action: String, details: JSONValue, reason: String) async throws
}
