import GRDB

extension GRDBFlagStore {
    /// The guardrail tables: accepted batch ids, one-minute arm totals, per-unit totals, kill rules
    /// and rollouts.
    static func registerGuardrailMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-guardrails") { db in
            try db.execute(
                sql: """
                    CREATE TABLE event_batch (
                        environment TEXT NOT NULL,
                        batch_id TEXT NOT NULL,
                        received_at DATETIME NOT NULL,
                        PRIMARY KEY (environment, batch_id)
                    );
                    CREATE INDEX event_batch_by_time ON event_batch(received_at);
                    CREATE TABLE aggregate_minute (
                        environment TEXT NOT NULL,
                        flag_key TEXT NOT NULL,
                        variant TEXT NOT NULL,
                        segment TEXT NOT NULL,
                        minute INTEGER NOT NULL,
                        totals TEXT NOT NULL,
                        PRIMARY KEY (environment, flag_key, variant, segment, minute)
                    );
                    CREATE INDEX aggregate_minute_by_time ON aggregate_minute(environment, minute);
                    CREATE TABLE aggregate_unit (
                        environment TEXT NOT NULL,
                        flag_key TEXT NOT NULL,
                        unit_key TEXT NOT NULL,
                        totals TEXT NOT NULL,
                        PRIMARY KEY (environment, flag_key, unit_key)
                    );
                    CREATE TABLE kill_rule (
                        environment TEXT NOT NULL REFERENCES environment(name) ON DELETE CASCADE,
                        flag_key TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        definition TEXT NOT NULL,
                        armed_at INTEGER NOT NULL,
                        tripped_at INTEGER,
                        trip TEXT,
                        PRIMARY KEY (environment, flag_key, position)
                    );
                    CREATE TABLE rollout (
                        environment TEXT NOT NULL REFERENCES environment(name) ON DELETE CASCADE,
                        flag_key TEXT NOT NULL,
                        plan TEXT NOT NULL,
                        state TEXT NOT NULL,
                        updated_at DATETIME NOT NULL,
                        PRIMARY KEY (environment, flag_key)
                    );
                    """)
        }
    }
}
