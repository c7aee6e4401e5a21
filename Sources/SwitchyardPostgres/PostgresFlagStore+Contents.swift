import Foundation
import PostgresNIO
import SwitchyardCore
import SwitchyardStore

extension PostgresFlagStore {
    /// Copies everything another store holds into this one, versions and ids kept, in one
    /// transaction; refused unless this database holds nothing yet but the empty `production`
    /// environment. The rows per table are counted before the commit: when one differs from
    /// ``StoreContents/counts`` nothing is stored. Returns the counts.
    package func importContents(_ contents: StoreContents) async throws -> [String: Int] {
        try await transaction { connection in
            try await connection.query("LOCK TABLE environment, flag, change, audit, api_key IN EXCLUSIVE MODE", logger: logger)
            let stored = try await tableCounts(connection)
            guard stored.values.reduce(0, +) == stored["environment"], stored["environment"] == 1 else {
                throw StoreError.conflict("the PostgreSQL database \(url) already holds data; migrate into an empty database")
            }
            try await connection.query("DELETE FROM environment", logger: logger)
            for environment in contents.environments {
                try await connection.query(
                    """
                    INSERT INTO environment (name, top_level, created_at, changes_pruned_through)
                    VALUES (\(environment.name), \(environment.topLevel), \(environment.createdAt), \(environment.changesPrunedThrough))
                    """, logger: logger)
            }
            for flag in contents.flags {
                let empty = EnvironmentState(name: flag.environment)
                var state = empty
                state.flags[flag.row.key] = flag.row
                try await persist(state, replacing: empty, connection)
            }
            for segment in contents.segments {
                let empty = EnvironmentState(name: segment.environment)
                var state = empty
                state.segments[segment.row.name] = segment.row
                try await persist(state, replacing: empty, connection)
            }
            for key in contents.keys {
                try await connection.query(
                    """
                    INSERT INTO api_key (id, kind, environment, name, hash, created_at, revoked_at)
                    VALUES (\(key.key.id), \(key.key.kind.rawValue), \(key.key.environment), \(key.key.name), \(key.hash), \(key.key.createdAt),
                        \(key.key.revokedAt))
                    """, logger: logger)
            }
            for change in contents.changes {
                try await connection.query(
                    """
                    INSERT INTO change (version, environment, at, flag_key, payload)
                    VALUES (\(change.version), \(change.environment), \(change.at), \(change.flagKey), \(change.payload.storedJSON))
                    """, logger: logger)
            }
            for entry in contents.audit {
                try await connection.query(
                    """
                    INSERT INTO audit (id, environment, flag_key, action, author_id, author_name, at, before, after, reason, version)
                    VALUES (\(entry.id), \(entry.environment), \(entry.flagKey), \(entry.action), \(entry.author.id), \(entry.author.name),
                        \(entry.at), \(entry.before?.serialized()), \(entry.after?.serialized()), \(entry.reason), \(entry.version))
                    """, logger: logger)
            }
            for batch in contents.eventBatches {
                try await connection.query(
                    "INSERT INTO event_batch (environment, batch_id, received_at) VALUES (\(batch.environment), \(batch.batchId), \(batch.receivedAt))",
                    logger: logger)
            }
            for minute in contents.minutes {
                let row = minute.row
                try await connection.query(
                    """
                    INSERT INTO aggregate_minute (environment, flag_key, variant, segment, minute, totals)
                    VALUES (\(minute.environment), \(row.flag), \(row.variant), \(row.segment ?? ""), \(row.minute), \(row.totals.serialized()))
                    """, logger: logger)
            }
            for unit in contents.units {
                try await connection.query(
                    """
                    INSERT INTO aggregate_unit (environment, flag_key, unit_key, totals)
                    VALUES (\(unit.environment), \(unit.row.flag), \(unit.row.unitKey), \(unit.row.totals.serialized()))
                    """, logger: logger)
            }
            var sequence: [String: Int64] = [:]
            for output in contents.outputs {
                let row = output.row
                sequence[output.environment, default: 0] += 1
                try await connection.query(
                    """
                    INSERT INTO remembered_output (environment, seq, output_id, flag_key, variant, segment, unit_key, at)
                    VALUES (\(output.environment), \(sequence[output.environment, default: 0]), \(row.outputId), \(row.flag), \(row.variant),
                        \(row.segment ?? ""), \(row.unitKey), \(row.at))
                    """, logger: logger)
            }
            for rule in contents.killRules {
                let row = rule.row
                try await connection.query(
                    """
                    INSERT INTO kill_rule (environment, flag_key, position, definition, armed_at, tripped_at, trip)
                    VALUES (\(rule.environment), \(row.flag), \(row.position), \(row.rule.serialized()), \(row.armedAt), \(row.trip?.at),
                        \(row.trip?.details.serialized()))
                    """, logger: logger)
                for (variant, state) in row.cusum {
                    try await connection.query(
                        """
                        INSERT INTO kill_rule_cusum (environment, flag_key, position, variant, state)
                        VALUES (\(rule.environment), \(row.flag), \(row.position), \(variant), \(state.serialized()))
                        """, logger: logger)
                }
            }
            for rollout in contents.rollouts {
                let row = rollout.rollout
                try await connection.query(
                    """
                    INSERT INTO rollout (environment, flag_key, plan, state, updated_at)
                    VALUES (\(row.environment), \(row.flag), \(row.plan.serialized()), \(row.state.serialized()), \(rollout.updatedAt))
                    """, logger: logger)
            }
            // The next version, audit id and batch sequence come after the copied ones.
            try await connection.query(
                "SELECT setval(pg_get_serial_sequence('change', 'version'), COALESCE(MAX(version), 0) + 1, false) FROM change", logger: logger)
            try await connection.query(
                "SELECT setval(pg_get_serial_sequence('audit', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM audit", logger: logger)
            let copied = try await tableCounts(connection)
            let expected = contents.counts
            let differing = expected.keys.sorted().filter { expected[$0] != copied[$0] }
            guard differing.isEmpty else {
                let detail = differing.map { "\($0): \(copied[$0] ?? 0) of \(expected[$0] ?? 0)" }.joined(separator: ", ")
                throw StoreError.conflict("the copied rows differ from the source's (\(detail)); nothing was stored")
            }
            return copied
        }
    }

    /// Rows per table.
    private func tableCounts(_ connection: PostgresConnection) async throws -> [String: Int] {
        let queries: [(String, PostgresQuery)] = [
            ("environment", "SELECT COUNT(*) FROM environment"), ("flag", "SELECT COUNT(*) FROM flag"),
            ("segment", "SELECT COUNT(*) FROM segment"), ("api_key", "SELECT COUNT(*) FROM api_key"), ("change", "SELECT COUNT(*) FROM change"),
            ("audit", "SELECT COUNT(*) FROM audit"), ("event_batch", "SELECT COUNT(*) FROM event_batch"),
            ("aggregate_minute", "SELECT COUNT(*) FROM aggregate_minute"), ("aggregate_unit", "SELECT COUNT(*) FROM aggregate_unit"),
            ("remembered_output", "SELECT COUNT(*) FROM remembered_output"), ("kill_rule", "SELECT COUNT(*) FROM kill_rule"),
            ("kill_rule_cusum", "SELECT COUNT(*) FROM kill_rule_cusum"), ("rollout", "SELECT COUNT(*) FROM rollout"),
        ]
        var counts: [String: Int] = [:]
        for (table, query) in queries {
            counts[table] = try await first(try await connection.query(query, logger: logger).decode(Int.self)) ?? 0
        }
        return counts
    }
}
