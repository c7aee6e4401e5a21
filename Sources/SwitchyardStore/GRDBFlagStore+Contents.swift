import Foundation
import GRDB
import SwitchyardCore

extension GRDBFlagStore {
    /// Every row of every table, read in one transaction.
    package func contents() async throws -> StoreContents {
        try await writer.read { db in
            var contents = StoreContents()
            for row in try Row.fetchAll(db, sql: "SELECT name, top_level, created_at, changes_pruned_through FROM environment ORDER BY name") {
                contents.environments.append(
                    StoreContents.EnvironmentRow(
                        name: row["name"], topLevel: row["top_level"], createdAt: row["created_at"],
                        changesPrunedThrough: row["changes_pruned_through"]))
            }
            for environment in contents.environments.map(\.name) {
                let state = try Self.loadState(environment, db)
                contents.flags += state.flags.values.sorted { $0.key < $1.key }.map { .init(environment: environment, row: $0) }
                contents.segments += state.segments.values.sorted { $0.name < $1.name }.map { .init(environment: environment, row: $0) }
                let cusum = try Self.cusumStates(in: environment, db)
                for row in try Row.fetchAll(
                    db, sql: "SELECT * FROM kill_rule WHERE environment = ? ORDER BY flag_key, position", arguments: [environment])
                {
                    var rule = try Self.decodeKillRule(row)
                    rule.cusum = cusum[rule.flag]?[rule.position] ?? [:]
                    contents.killRules.append(.init(environment: environment, row: rule))
                }
                for row in try Row.fetchAll(db, sql: "SELECT * FROM remembered_output WHERE environment = ? ORDER BY seq", arguments: [environment]) {
                    let segment: String = row["segment"]
                    contents.outputs.append(
                        .init(
                            environment: environment,
                            row: RememberedOutputRow(
                                outputId: row["output_id"], flag: row["flag_key"], variant: row["variant"], segment: segment.isEmpty ? nil : segment,
                                unitKey: row["unit_key"], at: row["at"])))
                }
            }
            contents.keys = try APIKeyRecord.inOrder.fetchAll(db).map { StoreContents.KeyRow(key: $0.key, hash: $0.hash) }
            contents.changes = try Row.fetchAll(db, sql: "SELECT * FROM change ORDER BY version").map(Self.decodeChange)
            contents.audit = try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id").map(Self.decodeAudit)
            for row in try Row.fetchAll(db, sql: "SELECT * FROM event_batch ORDER BY received_at, rowid") {
                contents.eventBatches.append(
                    StoreContents.EventBatchRow(environment: row["environment"], batchId: row["batch_id"], receivedAt: row["received_at"]))
            }
            for row in try Row.fetchAll(db, sql: "SELECT * FROM aggregate_minute ORDER BY environment, minute, flag_key, variant, segment") {
                let segment: String = row["segment"]
                contents.minutes.append(
                    .init(
                        environment: row["environment"],
                        row: AggregateMinuteRow(
                            flag: row["flag_key"], variant: row["variant"], segment: segment.isEmpty ? nil : segment, minute: row["minute"],
                            totals: try JSONValue(parsing: row["totals"] as String))))
            }
            for row in try Row.fetchAll(db, sql: "SELECT * FROM aggregate_unit ORDER BY environment, flag_key, unit_key") {
                contents.units.append(
                    .init(
                        environment: row["environment"],
                        row: AggregateUnitRow(
                            flag: row["flag_key"], unitKey: row["unit_key"], totals: try JSONValue(parsing: row["totals"] as String))))
            }
            for row in try Row.fetchAll(db, sql: "SELECT * FROM rollout ORDER BY environment, flag_key") {
                contents.rollouts.append(
                    StoreContents.RolloutRow(
                        rollout: StoredRollout(
                            environment: row["environment"], flag: row["flag_key"], plan: try JSONValue(parsing: row["plan"] as String),
                            state: try JSONValue(parsing: row["state"] as String)),
                        updatedAt: row["updated_at"]))
            }
            return contents
        }
    }
}
