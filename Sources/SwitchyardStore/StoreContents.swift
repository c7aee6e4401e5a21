import Foundation
import SwitchyardCore

/// Everything a store holds, row by row, to copy it into another store (`switchyard migrate`).
package struct StoreContents: Sendable {
    /// An environment as stored: its top-level document members as JSON text, and how far its change
    /// feed was pruned.
    package struct EnvironmentRow: Sendable, Equatable {
        package var name: String
        package var topLevel: String
        package var createdAt: Date
        package var changesPrunedThrough: Int64
    }

    /// A key as stored: everything but the secret, and the secret's hash.
    package struct KeyRow: Sendable, Equatable {
        package var key: APIKey
        package var hash: String
    }

    /// An accepted event batch id.
    package struct EventBatchRow: Sendable, Equatable {
        package var environment: String
        package var batchId: String
        package var receivedAt: Date
    }

    /// A row that belongs to an environment.
    package struct InEnvironment<Row: Sendable & Equatable>: Sendable, Equatable {
        package var environment: String
        package var row: Row
    }

    /// A rollout and when it last changed.
    package struct RolloutRow: Sendable, Equatable {
        package var rollout: StoredRollout
        package var updatedAt: Date
    }

    package var environments: [EnvironmentRow] = []
    package var flags: [InEnvironment<StoredFlag>] = []
    package var segments: [InEnvironment<StoredSegment>] = []
    package var keys: [KeyRow] = []
    /// The change feed, oldest first, versions kept.
    package var changes: [ChangeRecord] = []
    /// The audit log, oldest first, ids kept.
    package var audit: [AuditEntry] = []
    package var eventBatches: [EventBatchRow] = []
    package var minutes: [InEnvironment<AggregateMinuteRow>] = []
    package var units: [InEnvironment<AggregateUnitRow>] = []
    /// Remembered outputs in the order they were remembered, per environment.
    package var outputs: [InEnvironment<RememberedOutputRow>] = []
    /// Kill rules with their trips and CUSUM progress.
    package var killRules: [InEnvironment<StoredKillRule>] = []
    package var rollouts: [RolloutRow] = []

    package init() {}

    /// Rows per table, named as the tables are: what `switchyard migrate` compares.
    package var counts: [String: Int] {
        [
            "environment": environments.count, "flag": flags.count, "segment": segments.count, "api_key": keys.count,
            "change": changes.count, "audit": audit.count, "event_batch": eventBatches.count, "aggregate_minute": minutes.count,
            "aggregate_unit": units.count, "remembered_output": outputs.count, "kill_rule": killRules.count,
            "kill_rule_cusum": killRules.reduce(0) { $0 + $1.row.cusum.count }, "rollout": rollouts.count,
        ]
    }
}
