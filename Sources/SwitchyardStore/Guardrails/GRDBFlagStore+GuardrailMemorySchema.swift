import GRDB

extension GRDBFlagStore {
    /// What the guardrails need to carry across a restart besides the aggregates: the remembered
    /// outputs that attribute follow-ups, and the CUSUM progress of armed kill rules.
    static func registerGuardrailMemoryMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-guardrail-memory") { db in
            try db.execute(
                sql: """
                    CREATE TABLE remembered_output (
                        environment TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        output_id TEXT NOT NULL,
                        flag_key TEXT NOT NULL,
                        variant TEXT NOT NULL,
                        segment TEXT NOT NULL,
                        unit_key TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        PRIMARY KEY (environment, seq)
                    ) WITHOUT ROWID;
                    CREATE TABLE kill_rule_cusum (
                        environment TEXT NOT NULL,
                        flag_key TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        variant TEXT NOT NULL,
                        state TEXT NOT NULL,
                        PRIMARY KEY (environment, flag_key, position, variant),
                        FOREIGN KEY (environment, flag_key, position) REFERENCES kill_rule(environment, flag_key, position) ON DELETE CASCADE
                    );
                    """)
        }
    }
}
