import GRDB

extension GRDBFlagStore {
    /// The schema, one migration per release.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE environment (
                        name TEXT PRIMARY KEY NOT NULL,
                        top_level TEXT NOT NULL DEFAULT '{}',
                        created_at DATETIME NOT NULL
                    );
                    CREATE TABLE flag (
                        environment TEXT NOT NULL REFERENCES environment(name) ON DELETE CASCADE,
                        key TEXT NOT NULL,
                        definition TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        kill_reason TEXT,
                        killed_at DATETIME,
                        killed_by_id TEXT,
                        killed_by_name TEXT,
                        created_at DATETIME NOT NULL,
                        updated_at DATETIME NOT NULL,
                        PRIMARY KEY (environment, key)
                    );
                    CREATE TABLE segment (
                        environment TEXT NOT NULL REFERENCES environment(name) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        rule TEXT NOT NULL,
                        PRIMARY KEY (environment, name)
                    );
                    CREATE TABLE api_key (
                        id TEXT PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL,
                        environment TEXT REFERENCES environment(name),
                        name TEXT NOT NULL,
                        hash TEXT NOT NULL UNIQUE,
                        created_at DATETIME NOT NULL,
                        revoked_at DATETIME
                    );
                    CREATE TABLE change (
                        version INTEGER PRIMARY KEY AUTOINCREMENT,
                        environment TEXT NOT NULL REFERENCES environment(name),
                        at DATETIME NOT NULL,
                        flag_key TEXT,
                        payload TEXT NOT NULL
                    );
                    CREATE INDEX change_by_flag ON change(environment, flag_key, version);
                    CREATE TABLE audit (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        environment TEXT,
                        flag_key TEXT,
                        action TEXT NOT NULL,
                        author_id TEXT NOT NULL,
                        author_name TEXT NOT NULL,
                        at DATETIME NOT NULL,
                        before TEXT,
                        after TEXT,
                        reason TEXT,
                        version INTEGER
                    );
                    CREATE INDEX audit_by_flag ON audit(environment, flag_key, id);
                    """)
        }
        registerGuardrailMigrations(&migrator)
        registerPruningMigrations(&migrator)
        registerSegmentVersionMigrations(&migrator)
        registerGuardrailMemoryMigrations(&migrator)
        return migrator
    }
}
