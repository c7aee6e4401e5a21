/// The aggregates of every server sharing a store, each server's rows kept apart: what kill rules,
/// rollouts and reports read when several servers ingest events (PostgreSQL). Each server writes
/// only its own rows, as ``GuardrailStore/recordEventBatch(_:in:minutes:units:outputs:keepingOutputs:)``
/// always did, so a write costs the same as on one server; the reader sums them.
///
/// A store used by one process (SQLite) has no such view: its own aggregates are the fleet's.
package protocol FleetAggregates: Sendable {
    /// The rows every server wrote for an environment, from `minute` on, that changed at or after
    /// `since` (milliseconds on the database's clock; `nil` for every row), with the database's
    /// clock at the time of reading, for the next call.
    func fleetAggregates(in environment: String, changedSince since: Int64?, fromMinute minute: Int64) async throws -> FleetAggregateRows

    /// Stores this server's totals of kill rules' re-arm minutes (replacing its earlier rows for the
    /// same flag, instant and variant), so that the server running the rules counts, from the exact
    /// instant of a re-arm, the events every server ingested.
    func recordPartialMinutes(_ rows: [AggregatePartialRow], in environment: String) async throws

    /// The remembered outputs with these ids, whichever server remembered them: a follow-up (feedback,
    /// edit, action) may reach another server than its output did.
    func rememberedOutputs(withIds ids: [String], in environment: String) async throws -> [RememberedOutputRow]
}

/// A row as one server wrote it.
package struct ReplicaRow<Row: Sendable & Equatable>: Sendable, Equatable {
    /// The server that wrote it: one identity per process, so a restarted server starts rows of its own.
    package var replica: String
    package var row: Row

    package init(replica: String, row: Row) {
        self.replica = replica
        self.row = row
    }
}

/// The rows of ``FleetAggregates/fleetAggregates(in:changedSince:fromMinute:)``.
package struct FleetAggregateRows: Sendable, Equatable {
    package var minutes: [ReplicaRow<AggregateMinuteRow>]
    package var units: [ReplicaRow<AggregateUnitRow>]
    package var partials: [ReplicaRow<AggregatePartialRow>]
    /// The database's clock when the rows were read, in milliseconds since the epoch.
    package var readAt: Int64

    package init(
        minutes: [ReplicaRow<AggregateMinuteRow>], units: [ReplicaRow<AggregateUnitRow>], partials: [ReplicaRow<AggregatePartialRow>],
        readAt: Int64
    ) {
        self.minutes = minutes
        self.units = units
        self.partials = partials
        self.readAt = readAt
    }
}
