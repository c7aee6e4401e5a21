import Foundation
import PostgresNIO
import SwitchyardCore
import SwitchyardStore

extension PostgresFlagStore: GuardrailStore {
    /// The store itself: several servers share the database, each writing its own aggregate rows.
    package var fleetAggregates: (any FleetAggregates)? { self }

    package func recordEventBatch(
        _ batchId: String, in environment: String, minutes: [AggregateMinuteRow], units: [AggregateUnitRow], outputs: [RememberedOutputRow],
        keepingOutputs capacity: Int
    ) async throws -> Bool {
        try await transaction { connection in
            // The primary key makes a batch id count once across every replica.
            let recorded = try await first(
                try await connection.query(
                    """
                    INSERT INTO event_batch (environment, batch_id, received_at) VALUES (\(environment), \(batchId), \(clock.date))
                    ON CONFLICT DO NOTHING RETURNING batch_id
                    """, logger: logger
                ).decode(String.self))
            guard recorded != nil else { return false }
            // This replica's own rows: each holds what this replica counted, replaced as it grows. One
            // statement per table (the batch's buckets and units are distinct), however large the batch.
            if !minutes.isEmpty {
                try await connection.query(
                    """
                    INSERT INTO aggregate_minute (environment, flag_key, variant, segment, minute, replica, totals, changed_at)
                    SELECT \(environment), flag_key, variant, segment, minute, \(replica), totals, (extract(epoch FROM clock_timestamp()) * 1000)::bigint
                    FROM unnest(\(minutes.map(\.flag))::text[], \(minutes.map(\.variant))::text[], \(minutes.map { $0.segment ?? "" })::text[],
                        \(minutes.map(\.minute))::bigint[], \(minutes.map { $0.totals.serialized() })::text[])
                        AS new_row(flag_key, variant, segment, minute, totals)
                    ON CONFLICT (environment, flag_key, variant, segment, minute, replica)
                    DO UPDATE SET totals = EXCLUDED.totals, changed_at = EXCLUDED.changed_at
                    """, logger: logger)
            }
            try await upsertUnits(units, in: environment, connection)
            try await rememberOutputs(outputs, in: environment, keeping: capacity, connection)
            return true
        }
    }

    package func recentEventBatchIds(in environment: String, limit: Int) async throws -> [String] {
        try await all(
            try await read(
                "SELECT batch_id FROM event_batch WHERE environment = \(environment) ORDER BY received_at DESC, seq DESC LIMIT \(limit)"
            ).decode(String.self)
        ).reversed()
    }

    package func replaceUnitAggregates(of flag: String, in environment: String, with units: [AggregateUnitRow]) async throws {
        // Only this replica's rows: the others' rows of the earlier period are carried over by whoever
        // sums them (their `period` is older), and by each replica when it learns of the new stage.
        try await transaction { connection in
            try await connection.query(
                "DELETE FROM aggregate_unit WHERE environment = \(environment) AND flag_key = \(flag) AND replica = \(replica)", logger: logger)
            try await upsertUnits(
                units.map { AggregateUnitRow(flag: flag, unitKey: $0.unitKey, totals: $0.totals, period: $0.period) }, in: environment, connection)
        }
    }

    /// Writes this replica's rows of some units, replacing its earlier ones.
    private func upsertUnits(_ units: [AggregateUnitRow], in environment: String, _ connection: PostgresConnection) async throws {
        guard !units.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO aggregate_unit (environment, flag_key, unit_key, replica, totals, period, changed_at)
            SELECT \(environment), flag_key, unit_key, \(replica), totals, period, (extract(epoch FROM clock_timestamp()) * 1000)::bigint
            FROM unnest(\(units.map(\.flag))::text[], \(units.map(\.unitKey))::text[], \(units.map { $0.totals.serialized() })::text[],
                \(units.map(\.period))::bigint[]) AS new_row(flag_key, unit_key, totals, period)
            ON CONFLICT (environment, flag_key, unit_key, replica)
            DO UPDATE SET totals = EXCLUDED.totals, period = EXCLUDED.period, changed_at = EXCLUDED.changed_at
            """, logger: logger)
    }

    package func pruneAggregates(in environment: String, before minute: Int64) async throws {
        try await transaction { connection in
            try await connection.query("DELETE FROM aggregate_minute WHERE environment = \(environment) AND minute < \(minute)", logger: logger)
            let start = Date(timeIntervalSince1970: Double(minute) * 60)
            try await connection.query("DELETE FROM event_batch WHERE environment = \(environment) AND received_at < \(start)", logger: logger)
            try await connection.query(
                "DELETE FROM remembered_output WHERE environment = \(environment) AND at < \(minute * 60_000)", logger: logger)
            try await connection.query(
                "DELETE FROM aggregate_partial WHERE environment = \(environment) AND since < \(minute * 60_000)", logger: logger)
        }
    }

    package func aggregates(in environment: String, fromMinute minute: Int64) async throws -> StoredAggregates {
        try await transaction(readOnly: true) { connection in
            var minutes: [AggregateMinuteRow] = []
            // What this replica wrote itself: none at start, since each process is a replica of its own.
            let minuteRows = try await connection.query(
                """
                SELECT flag_key, variant, segment, minute, totals FROM aggregate_minute
                WHERE environment = \(environment) AND replica = \(replica) AND minute >= \(minute) ORDER BY minute
                """,
                logger: logger)
            for try await (flag, variant, segment, minute, totals) in minuteRows.decode((String, String, String, Int64, String).self) {
                minutes.append(
                    AggregateMinuteRow(
                        flag: flag, variant: variant, segment: segment.isEmpty ? nil : segment, minute: minute, totals: try JSONValue(parsing: totals)
                    ))
            }
            let units = try await all(
                try await connection.query(
                    """
                    SELECT flag_key, unit_key, totals, period FROM aggregate_unit
                    WHERE environment = \(environment) AND replica = \(replica) ORDER BY flag_key, unit_key
                    """,
                    logger: logger
                ).decode((String, String, String, Int64).self)
            ).map { AggregateUnitRow(flag: $0.0, unitKey: $0.1, totals: try JSONValue(parsing: $0.2), period: $0.3) }
            let outputs = try await rememberedOutputs(in: environment, from: minute * 60_000, connection)
            return StoredAggregates(minutes: minutes, units: units, outputs: outputs)
        }
    }

    /// Appends remembered outputs after the environment's newest, then forgets all but the newest `capacity`.
    private func rememberOutputs(
        _ outputs: [RememberedOutputRow], in environment: String, keeping capacity: Int, _ connection: PostgresConnection
    ) async throws {
        guard !outputs.isEmpty else { return }
        // Replicas append to one sequence: one at a time, until the transaction ends.
        try await connection.query("SELECT pg_advisory_xact_lock(\(Self.rememberedOutputLock))", logger: logger)
        var sequence =
            try await first(
                try await connection.query(
                    "SELECT COALESCE(MAX(seq), 0) FROM remembered_output WHERE environment = \(environment)", logger: logger
                ).decode(Int64.self)) ?? 0
        let firstNew = sequence + 1
        sequence += Int64(outputs.count)
        try await connection.query(
            """
            INSERT INTO remembered_output (environment, seq, output_id, flag_key, variant, segment, unit_key, at)
            SELECT \(environment), seq, output_id, flag_key, variant, segment, unit_key, at
            FROM unnest(\(Array(firstNew...sequence))::bigint[], \(outputs.map(\.outputId))::text[], \(outputs.map(\.flag))::text[],
                \(outputs.map(\.variant))::text[], \(outputs.map { $0.segment ?? "" })::text[], \(outputs.map(\.unitKey))::text[],
                \(outputs.map(\.at))::bigint[]) AS new_row(seq, output_id, flag_key, variant, segment, unit_key, at)
            """, logger: logger)
        if sequence > Int64(capacity) {
            let oldestKept = sequence - Int64(capacity)
            try await connection.query(
                "DELETE FROM remembered_output WHERE environment = \(environment) AND seq <= \(oldestKept)", logger: logger)
        }
    }

    /// An environment's remembered outputs from `at` (milliseconds since the epoch) on, oldest first.
    private func rememberedOutputs(in environment: String, from at: Int64, _ connection: PostgresConnection) async throws
        -> [RememberedOutputRow]
    {
        var outputs: [RememberedOutputRow] = []
        let rows = try await connection.query(
            """
            SELECT output_id, flag_key, variant, segment, unit_key, at FROM remembered_output
            WHERE environment = \(environment) AND at >= \(at) ORDER BY seq
            """,
            logger: logger)
        for try await (outputId, flag, variant, segment, unitKey, at) in rows.decode((String, String, String, String, String, Int64).self) {
            outputs.append(
                RememberedOutputRow(
                    outputId: outputId, flag: flag, variant: variant, segment: segment.isEmpty ? nil : segment, unitKey: unitKey, at: at))
        }
        return outputs
    }

    package func killRules(in environment: String) async throws -> [StoredKillRule] {
        try await transaction(readOnly: true) { connection in
            var states: [String: [Int: [String: JSONValue]]] = [:]
            let cusum = try await connection.query(
                "SELECT flag_key, position, variant, state FROM kill_rule_cusum WHERE environment = \(environment)", logger: logger
            ).decode((String, Int, String, String).self)
            for try await (flag, position, variant, state) in cusum {
                states[flag, default: [:]][position, default: [:]][variant] = try JSONValue(parsing: state)
            }
            return try await killRuleRows(
                try await connection.query(
                    """
                    SELECT flag_key, position, definition, armed_at, tripped_at, trip FROM kill_rule
                    WHERE environment = \(environment) ORDER BY flag_key, position
                    """, logger: logger)
            ).map { rule in
                var rule = rule
                rule.cusum = states[rule.flag]?[rule.position] ?? [:]
                return rule
            }
        }
    }

    package func saveCUSUMStates(_ rows: [KillRuleCUSUMRow], in environment: String) async throws {
        guard !rows.isEmpty else { return }
        try await transaction { connection in
            for row in rows {
                try await connection.query(
                    """
                    INSERT INTO kill_rule_cusum (environment, flag_key, position, variant, state)
                    SELECT \(environment), \(row.flag), \(row.position), \(row.variant), \(row.state.serialized()) WHERE EXISTS (
                        SELECT 1 FROM kill_rule
                        WHERE environment = \(environment) AND flag_key = \(row.flag) AND position = \(row.position)
                            AND armed_at = \(row.armedAt) AND tripped_at IS NULL
                    )
                    ON CONFLICT (environment, flag_key, position, variant) DO UPDATE SET state = EXCLUDED.state
                    """, logger: logger)
            }
        }
    }

    package func replaceKillRules(
        of flag: String, in environment: String, with rules: [JSONValue], armedAt: Int64, by author: Author
    ) async throws -> [StoredKillRule] {
        try await transaction { connection in
            guard try await environmentExists(environment, connection) else { throw StoreError.notFound("environment \(environment)") }
            let before = try await killRuleRows(
                try await connection.query(
                    """
                    SELECT flag_key, position, definition, armed_at, tripped_at, trip FROM kill_rule
                    WHERE environment = \(environment) AND flag_key = \(flag) ORDER BY position
                    """, logger: logger))
            try await connection.query("DELETE FROM kill_rule WHERE environment = \(environment) AND flag_key = \(flag)", logger: logger)
            let stored = rules.enumerated().map {
                StoredKillRule(flag: flag, position: $0.offset, rule: $0.element, armedAt: armedAt, trip: nil)
            }
            for rule in stored {
                try await connection.query(
                    """
                    INSERT INTO kill_rule (environment, flag_key, position, definition, armed_at)
                    VALUES (\(environment), \(flag), \(rule.position), \(rule.rule.serialized()), \(armedAt))
                    """, logger: logger)
            }
            try await insertAudit(
                connection, environment: environment, flagKey: flag, action: rules.isEmpty ? "rules.delete" : "rules.put", author: author,
                at: clock.date, before: before.isEmpty ? nil : .array(before.map(\.rule)), after: rules.isEmpty ? nil : .array(rules), reason: nil,
                version: nil)
            try await notifyGuardrailsChanged(in: environment, connection)
            return stored
        }
    }

    package func recordTrip(
        _ trip: RuleTrip?, of flag: String, position: Int, in environment: String, rearmedAt: Int64?, by author: Author, action: String,
        reason: String
    ) async throws {
        try await transaction { connection in
            try await connection.query(
                "DELETE FROM kill_rule_cusum WHERE environment = \(environment) AND flag_key = \(flag) AND position = \(position)",
                logger: logger)
            if let trip {
                try await connection.query(
                    """
                    UPDATE kill_rule SET tripped_at = \(trip.at), trip = \(trip.details.serialized())
                    WHERE environment = \(environment) AND flag_key = \(flag) AND position = \(position)
                    """, logger: logger)
            } else {
                try await connection.query(
                    """
                    UPDATE kill_rule SET tripped_at = NULL, trip = NULL, armed_at = COALESCE(\(rearmedAt), armed_at)
                    WHERE environment = \(environment) AND flag_key = \(flag) AND position = \(position)
                    """, logger: logger)
            }
            try await insertAudit(
                connection, environment: environment, flagKey: flag, action: action, author: author, at: clock.date, before: nil,
                after: trip?.details, reason: reason, version: nil)
            try await notifyGuardrailsChanged(in: environment, connection)
        }
    }

    package func rollouts(in environment: String) async throws -> [StoredRollout] {
        try await all(
            try await read(
                "SELECT flag_key, plan, state FROM rollout WHERE environment = \(environment) ORDER BY flag_key"
            ).decode((String, String, String).self)
        ).map { StoredRollout(environment: environment, flag: $0.0, plan: try JSONValue(parsing: $0.1), state: try JSONValue(parsing: $0.2)) }
    }

    package func saveRollout(_ rollout: StoredRollout, by author: Author, action: String, details: JSONValue, reason: String) async throws {
        try await transaction { connection in
            guard try await environmentExists(rollout.environment, connection) else {
                throw StoreError.notFound("environment \(rollout.environment)")
            }
            let now = clock.date
            try await connection.query(
                """
                INSERT INTO rollout (environment, flag_key, plan, state, updated_at)
                VALUES (\(rollout.environment), \(rollout.flag), \(rollout.plan.serialized()), \(rollout.state.serialized()), \(now))
                ON CONFLICT (environment, flag_key) DO UPDATE SET plan = EXCLUDED.plan, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at
                """, logger: logger)
            try await insertAudit(
                connection, environment: rollout.environment, flagKey: rollout.flag, action: action, author: author, at: now, before: nil,
                after: details, reason: reason, version: nil)
            try await notifyGuardrailsChanged(in: rollout.environment, connection)
        }
    }

    /// Kill rules from rows of `flag_key, position, definition, armed_at, tripped_at, trip`.
    private func killRuleRows(_ rows: PostgresRowSequence) async throws -> [StoredKillRule] {
        try await all(rows.decode((String, Int, String, Int64, Int64?, String?).self)).map { row in
            let trip = try row.4.map { RuleTrip(at: $0, details: try row.5.map { try JSONValue(parsing: $0) } ?? .null) }
            return StoredKillRule(flag: row.0, position: row.1, rule: try JSONValue(parsing: row.2), armedAt: row.3, trip: trip)
        }
    }
}
