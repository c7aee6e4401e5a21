import PostgresNIO
import SwitchyardCore
import SwitchyardStore

extension PostgresFlagStore: FleetAggregates {
    package func fleetAggregates(in environment: String, changedSince since: Int64?, fromMinute minute: Int64) async throws -> FleetAggregateRows {
        let since = since ?? Int64.min
        return try await transaction(readOnly: true) { connection in
            let readAt =
                try await first(
                    try await connection.query("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint", logger: logger).decode(Int64.self))
                ?? 0
            var minutes: [ReplicaRow<AggregateMinuteRow>] = []
            let minuteRows = try await connection.query(
                """
                SELECT replica, flag_key, variant, segment, minute, totals FROM aggregate_minute
                WHERE environment = \(environment) AND changed_at >= \(since) AND minute >= \(minute)
                """, logger: logger)
            for try await (replica, flag, variant, segment, minute, totals) in minuteRows.decode((String, String, String, String, Int64, String).self)
            {
                minutes.append(
                    ReplicaRow(
                        replica: replica,
                        row: AggregateMinuteRow(
                            flag: flag, variant: variant, segment: segment.isEmpty ? nil : segment, minute: minute,
                            totals: try JSONValue(parsing: totals)
                        )))
            }
            var units: [ReplicaRow<AggregateUnitRow>] = []
            let unitRows = try await connection.query(
                "SELECT replica, flag_key, unit_key, totals, period FROM aggregate_unit WHERE environment = \(environment) AND changed_at >= \(since)",
                logger: logger)
            for try await (replica, flag, unitKey, totals, period) in unitRows.decode((String, String, String, String, Int64).self) {
                units.append(
                    ReplicaRow(
                        replica: replica, row: AggregateUnitRow(flag: flag, unitKey: unitKey, totals: try JSONValue(parsing: totals), period: period))
                )
            }
            var partials: [ReplicaRow<AggregatePartialRow>] = []
            let partialRows = try await connection.query(
                """
                SELECT replica, flag_key, since, variant, totals FROM aggregate_partial
                WHERE environment = \(environment) AND changed_at >= \(since) AND since >= \(minute * 60_000)
                """, logger: logger)
            for try await (replica, flag, instant, variant, totals) in partialRows.decode((String, String, Int64, String, String).self) {
                partials.append(
                    ReplicaRow(
                        replica: replica,
                        row: AggregatePartialRow(flag: flag, since: instant, variant: variant, totals: try JSONValue(parsing: totals))))
            }
            return FleetAggregateRows(minutes: minutes, units: units, partials: partials, readAt: readAt)
        }
    }

    package func recordPartialMinutes(_ rows: [AggregatePartialRow], in environment: String) async throws {
        guard !rows.isEmpty else { return }
        try await transaction { connection in
            for row in rows {
                try await connection.query(
                    """
                    INSERT INTO aggregate_partial (environment, flag_key, since, variant, replica, totals, changed_at)
                    VALUES (
                        \(environment), \(row.flag), \(row.since), \(row.variant), \(replica), \(row.totals.serialized()),
                        (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
                    ON CONFLICT (environment, flag_key, since, variant, replica)
                    DO UPDATE SET totals = EXCLUDED.totals, changed_at = EXCLUDED.changed_at
                    """, logger: logger)
            }
        }
    }

    package func rememberedOutputs(withIds ids: [String], in environment: String) async throws -> [RememberedOutputRow] {
        guard !ids.isEmpty else { return [] }
        var outputs: [RememberedOutputRow] = []
        let rows = try await read(
            """
            SELECT output_id, flag_key, variant, segment, unit_key, at FROM remembered_output
            WHERE environment = \(environment) AND output_id = ANY(\(ids)) ORDER BY seq
            """)
        for try await (outputId, flag, variant, segment, unitKey, at) in rows.decode((String, String, String, String, String, Int64).self) {
            outputs.append(
                RememberedOutputRow(
                    outputId: outputId, flag: flag, variant: variant, segment: segment.isEmpty ? nil : segment, unitKey: unitKey, at: at))
        }
        return outputs
    }

    /// The advisory lock under which a replica appends remembered outputs.
    static let rememberedOutputLock: Int64 = 0x5377_6974_6368_0004
}
