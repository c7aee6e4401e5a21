import GRDB
import SwitchyardCore

extension GRDBFlagStore {
    /// Appends remembered outputs after the environment's newest, then forgets all but the newest
    /// `capacity`: appends at the end of the key and one range delete at its start, so the cost
    /// does not grow with the number of outputs kept.
    static func rememberOutputs(_ outputs: [RememberedOutputRow], in environment: String, keeping capacity: Int, _ db: Database) throws {
        guard !outputs.isEmpty else { return }
        var sequence = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM remembered_output WHERE environment = ?", arguments: [environment]) ?? 0
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO remembered_output (environment, seq, output_id, flag_key, variant, segment, unit_key, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for row in outputs {
            sequence += 1
            try statement.execute(arguments: [environment, sequence, row.outputId, row.flag, row.variant, row.segment ?? "", row.unitKey, row.at])
        }
        if sequence > Int64(capacity) {
            try db.execute(
                sql: "DELETE FROM remembered_output WHERE environment = ? AND seq <= ?", arguments: [environment, sequence - Int64(capacity)])
        }
    }

    /// An environment's remembered outputs from `at` (milliseconds since the epoch) on, oldest first.
    static func rememberedOutputs(in environment: String, from at: Int64, _ db: Database) throws -> [RememberedOutputRow] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM remembered_output WHERE environment = ? AND at >= ? ORDER BY seq", arguments: [environment, at]
        ).map { row in
            let segment: String = row["segment"]
            return RememberedOutputRow(
                outputId: row["output_id"], flag: row["flag_key"], variant: row["variant"], segment: segment.isEmpty ? nil : segment,
                unitKey: row["unit_key"], at: row["at"])
        }
    }

    package func saveCUSUMStates(_ rows: [KillRuleCUSUMRow], in environment: String) async throws {
        guard !rows.isEmpty else { return }
        try await writer.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO kill_rule_cusum (environment, flag_key, position, variant, state)
                    SELECT ?, ?, ?, ?, ? WHERE EXISTS (
                        SELECT 1 FROM kill_rule
                        WHERE environment = ? AND flag_key = ? AND position = ? AND armed_at = ? AND tripped_at IS NULL
                    )
                    """)
            for row in rows {
                try statement.execute(arguments: [
                    environment, row.flag, row.position, row.variant, row.state.serialized(), environment, row.flag, row.position, row.armedAt,
                ])
            }
        }
    }

    /// Flag → position → variant → stored CUSUM state, for one environment.
    static func cusumStates(in environment: String, _ db: Database) throws -> [String: [Int: [String: JSONValue]]] {
        var states: [String: [Int: [String: JSONValue]]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM kill_rule_cusum WHERE environment = ?", arguments: [environment]) {
            states[row["flag_key"], default: [:]][row["position"], default: [:]][row["variant"]] = try JSONValue(parsing: row["state"] as String)
        }
        return states
    }

    /// Ends one rule's CUSUM progress (it tripped or re-armed).
    static func forgetCUSUMStates(of flag: String, position: Int, in environment: String, _ db: Database) throws {
        try db.execute(
            sql: "DELETE FROM kill_rule_cusum WHERE environment = ? AND flag_key = ? AND position = ?", arguments: [environment, flag, position])
    }
}
