import Foundation
import GRDB
import SwitchyardCore

extension GRDBFlagStore: GuardrailStore {
    /// `nil`: one process uses an SQLite file, so its own aggregates are the fleet's.
    package var fleetAggregates: (any FleetAggregates)? { nil }

    package func recordEventBatch(
        _ batchId: String, in environment: String, minutes: [AggregateMinuteRow], units: [AggregateUnitRow], outputs: [RememberedOutputRow],
        keepingOutputs capacity: Int
    ) async throws -> Bool {
        try await writer.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO event_batch (environment, batch_id, received_at) VALUES (?, ?, ?)",
                arguments: [environment, batchId, self.clock.date])
            guard db.changesCount == 1 else { return false }
            let minuteStatement = try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO aggregate_minute (environment, flag_key, variant, segment, minute, totals) VALUES (?, ?, ?, ?, ?, ?)")
            for row in minutes {
                try minuteStatement.execute(arguments: [environment, row.flag, row.variant, row.segment ?? "", row.minute, row.totals.serialized()])
            }
            let unitStatement = try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO aggregate_unit (environment, flag_key, unit_key, totals) VALUES (?, ?, ?, ?)")
            for row in units {
                try unitStatement.execute(arguments: [environment, row.flag, row.unitKey, row.totals.serialized()])
            }
            try Self.rememberOutputs(outputs, in: environment, keeping: capacity, db)
            return true
        }
    }

    package func recentEventBatchIds(in environment: String, limit: Int) async throws -> [String] {
        try await writer.read { db in
            try String.fetchAll(
                db, sql: "SELECT batch_id FROM event_batch WHERE environment = ? ORDER BY received_at DESC, rowid DESC LIMIT ?",
                arguments: [environment, limit]
            ).reversed()
        }
    }

    package func replaceUnitAggregates(of flag: String, in environment: String, with units: [AggregateUnitRow]) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM aggregate_unit WHERE environment = ? AND flag_key = ?", arguments: [environment, flag])
            let statement = try db.cachedStatement(
                sql: "INSERT INTO aggregate_unit (environment, flag_key, unit_key, totals) VALUES (?, ?, ?, ?)")
            for row in units {
                try statement.execute(arguments: [environment, flag, row.unitKey, row.totals.serialized()])
            }
        }
    }

    package func pruneAggregates(in environment: String, before minute: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM aggregate_minute WHERE environment = ? AND minute < ?", arguments: [environment, minute])
            try db.execute(
                sql: "DELETE FROM event_batch WHERE environment = ? AND received_at < ?",
                arguments: [environment, Date(timeIntervalSince1970: Double(minute) * 60)])
            try db.execute(sql: "DELETE FROM remembered_output WHERE environment = ? AND at < ?", arguments: [environment, minute * 60_000])
        }
    }

    package func aggregates(in environment: String, fromMinute minute: Int64) async throws -> StoredAggregates {
        try await writer.read { db in
            let minutes = try Row.fetchAll(
                db, sql: "SELECT * FROM aggregate_minute WHERE environment = ? AND minute >= ? ORDER BY minute", arguments: [environment, minute]
            ).map { row in
                let segment: String = row["segment"]
                return AggregateMinuteRow(
                    flag: row["flag_key"], variant: row["variant"], segment: segment.isEmpty ? nil : segment, minute: row["minute"],
                    totals: try JSONValue(parsing: row["totals"] as String))
            }
            let units = try Row.fetchAll(db, sql: "SELECT * FROM aggregate_unit WHERE environment = ?", arguments: [environment]).map { row in
                AggregateUnitRow(flag: row["flag_key"], unitKey: row["unit_key"], totals: try JSONValue(parsing: row["totals"] as String))
            }
            let outputs = try Self.rememberedOutputs(in: environment, from: minute * 60_000, db)
            return StoredAggregates(minutes: minutes, units: units, outputs: outputs)
        }
    }

    package func killRules(in environment: String) async throws -> [StoredKillRule] {
        try await writer.read { db in
            let states = try Self.cusumStates(in: environment, db)
            return try Row.fetchAll(
                db, sql: "SELECT * FROM kill_rule WHERE environment = ? ORDER BY flag_key, position", arguments: [environment]
            ).map { row in
                var rule = try Self.decodeKillRule(row)
                rule.cusum = states[rule.flag]?[rule.position] ?? [:]
                return rule
            }
        }
    }

    package func replaceKillRules(
        of flag: String, in environment: String, with rules: [JSONValue], armedAt: Int64, by author: Author
    ) async throws -> [StoredKillRule] {
        try await writer.write { db in
            guard try Self.environmentExists(environment, db) else { throw StoreError.notFound("environment \(environment)") }
            let before = try Row.fetchAll(
                db, sql: "SELECT * FROM kill_rule WHERE environment = ? AND flag_key = ? ORDER BY position", arguments: [environment, flag]
            ).map(Self.decodeKillRule)
            try db.execute(sql: "DELETE FROM kill_rule WHERE environment = ? AND flag_key = ?", arguments: [environment, flag])
            let stored = rules.enumerated().map { StoredKillRule(flag: flag, position: $0.offset, rule: $0.element, armedAt: armedAt, trip: nil) }
            for rule in stored {
                try db.execute(
                    sql: "INSERT INTO kill_rule (environment, flag_key, position, definition, armed_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [environment, flag, rule.position, rule.rule.serialized(), armedAt])
            }
            try Self.insertAudit(
                db, environment: environment, flagKey: flag, action: rules.isEmpty ? "rules.delete" : "rules.put", author: author,
                at: self.clock.date,
                before: before.isEmpty ? nil : .array(before.map(\.rule)), after: rules.isEmpty ? nil : .array(rules), reason: nil, version: nil)
            return stored
        }
    }

    package func recordTrip(
        _ trip: RuleTrip?, of flag: String, position: Int, in environment: String, rearmedAt: Int64?, by author: Author, action: String,
        reason: String
    ) async throws {
        try await writer.write { db in
            try Self.forgetCUSUMStates(of: flag, position: position, in: environment, db)
            if let trip {
                try db.execute(
                    sql: "UPDATE kill_rule SET tripped_at = ?, trip = ? WHERE environment = ? AND flag_key = ? AND position = ?",
                    arguments: [trip.at, trip.details.serialized(), environment, flag, position])
            } else {
                try db.execute(
                    sql: """
                        UPDATE kill_rule SET tripped_at = NULL, trip = NULL, armed_at = COALESCE(?, armed_at)
                        WHERE environment = ? AND flag_key = ? AND position = ?
                        """,
                    arguments: [rearmedAt, environment, flag, position])
            }
            try Self.insertAudit(
                db, environment: environment, flagKey: flag, action: action, author: author, at: self.clock.date, before: nil, after: trip?.details,
                reason: reason, version: nil)
        }
    }

    package func rollouts(in environment: String) async throws -> [StoredRollout] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM rollout WHERE environment = ? ORDER BY flag_key", arguments: [environment]).map { row in
                StoredRollout(
                    environment: row["environment"], flag: row["flag_key"], plan: try JSONValue(parsing: row["plan"] as String),
                    state: try JSONValue(parsing: row["state"] as String))
            }
        }
    }

    package func saveRollout(_ rollout: StoredRollout, by author: Author, action: String, details: JSONValue, reason: String) async throws {
        try await writer.write { db in
            guard try Self.environmentExists(rollout.environment, db) else { throw StoreError.notFound("environment \(rollout.environment)") }
            let now = self.clock.date
            try db.execute(
                sql: "INSERT OR REPLACE INTO rollout (environment, flag_key, plan, state, updated_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [rollout.environment, rollout.flag, rollout.plan.serialized(), rollout.state.serialized(), now])
            try Self.insertAudit(
                db, environment: rollout.environment, flagKey: rollout.flag, action: action, author: author, at: now, before: nil, after: details,
                reason: reason, version: nil)
        }
    }

    static func decodeKillRule(_ row: Row) throws -> StoredKillRule {
        let trippedAt: Int64? = row["tripped_at"]
        let trip = try trippedAt.map { RuleTrip(at: $0, details: try decodeJSON(row["trip"]) ?? .null) }
        return StoredKillRule(
            flag: row["flag_key"], position: row["position"], rule: try JSONValue(parsing: row["definition"] as String), armedAt: row["armed_at"],
            trip: trip)
    }
}
