import GRDB

extension GRDBFlagStore {
    /// `segment.version`: every segment stored before it starts at version 1, its rule untouched.
    ///
    /// A PostgreSQL store adds the same column the same way
    /// (`ALTER TABLE segment ADD COLUMN version BIGINT NOT NULL DEFAULT 1`); versions are then
    /// computed by ``EnvironmentState`` and only persisted.
    static func registerSegmentVersionMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-segment-versions") { db in
            try db.execute(sql: "ALTER TABLE segment ADD COLUMN version INTEGER NOT NULL DEFAULT 1")
        }
    }
}
