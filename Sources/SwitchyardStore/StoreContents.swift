import Foundation
import SwitchyardCore

/// Everything a store holds, row by row, to copy it into another store (`switchyard migrate`).
public struct StoreContents: Sendable {
    /// An environment as stored: its top-level document members as JSON text, and how far its change
    /// feed was pruned.
    public struct EnvironmentRow: Sendable, Equatable {
        public var name: String
        public var topLevel: String
        public var createdAt: Date
        public var changesPrunedThrough: Int64
    }

    /// A key as stored: everything but the secret, and the secret's hash.
    public struct KeyRow: Sendable, Equatable {
        public var key: APIKey
        public var hash: String
    }

    /// An accepted event batch id.
    public struct EventBatchRow: Sendable, Equatable {
        public var environment: String
        public var batchId: String
        public var receivedAt: Date
    }

    /// A row that belongs to an environment.
    public struct InEnvironment<Row: Sendable & Equatable>: Sendable, Equatable {
        public var environment: String
        public var row: Row
    }

    /// A rollout and when it last changed.
    public struct RolloutRow: Sendable, Equatable {
        public var rollout: StoredRollout
        public var updatedAt: Date
    }

    public var environments: [EnvironmentRow] = []
    public var flags: [InEnvironment<StoredFlag>] = []
    public var segments: [InEnvironment<StoredSegment>] = []
    public var keys: [KeyRow] = []
    /// The change feed, oldest first, versions kept.
    public var changes: [ChangeRecord] = []
    /// The audit log, oldest first, ids kept.
    public var audit: [AuditEntry] = []
    public var eventBatches: [EventBatchRow] = []
    public var minutes: [InEnvironment<AggregateMinuteRow>] = []
    public var units: [InEnvironment<AggregateUnitRow>] = []
    /// Remembered outputs in the order they were remembered, per environment.
    public var outputs: [InEnvironment<RememberedOutputRow>] = []
    /// Kill rules with their trips and CUSUM progress.
    public var killRules: [InEnvironment<StoredKillRule>] = []
    public var rollouts: [RolloutRow] = []

    public init() {}

    /// Rows per table, named as the tables are: what `switchyard migrate` compares.
    public var counts: [String: Int] {
        [
            "environment": environments.count, "flag": flags.count, "segment": segments.count, "api_key": keys.count,
            "change": changes.count, "audit": audit.count, "event_batch": eventBatches.count, "aggregate_minute": minutes.count,
            "aggregate_unit": units.count, "remembered_output": outputs.count, "kill_rule": killRules.count,
            "kill_rule_cusum": killRules.reduce(0) { $0 + $1.row.cusum.count }, "rollout": rollouts.count,
        ]
    }
}
