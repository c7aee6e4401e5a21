import Foundation
import GRDB

extension GRDBFlagStore {
    /// `environment.changes_pruned_through`, and an index that walks one environment's feed in order.
    static func registerPruningMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-change-pruning") { db in
            try db.execute(
                sql: """
                    ALTER TABLE environment ADD COLUMN changes_pruned_through INTEGER NOT NULL DEFAULT 0;
                    CREATE INDEX change_by_environment ON change(environment, version);
                    """)
        }
    }

    package func changesPrunedThrough(in environment: String) async throws -> Int64 {
        try await writer.read { db in
            guard
                let through = try Int64.fetchOne(
                    db, sql: "SELECT changes_pruned_through FROM environment WHERE name = ?", arguments: [environment])
            else { throw StoreError.notFound("environment \(environment)") }
            return through
        }
    }

    package func pruneChanges(keepingNewest count: Int, before cutoff: Date) async throws -> Int {
        precondition(count >= 1, "the newest change of an environment is always kept")
        var deleted = 0
        for environment in try await environments() {
            deleted += try await writer.write { db in try Self.pruneChanges(of: environment.name, keepingNewest: count, before: cutoff, db) }
        }
        return deleted
    }

    /// One environment's pruning, in one transaction: every row below the oldest row that must stay.
    private static func pruneChanges(of environment: String, keepingNewest count: Int, before cutoff: Date, _ db: Database) throws -> Int {
        guard
            let oldestOfNewest = try Int64.fetchOne(
                db, sql: "SELECT version FROM change WHERE environment = ? ORDER BY version DESC LIMIT 1 OFFSET ?",
                arguments: [environment, count - 1])
        else { return 0 }
        let oldestRecent = try Int64.fetchOne(
            db, sql: "SELECT version FROM change WHERE environment = ? AND at >= ? ORDER BY version LIMIT 1",
            arguments: [environment, cutoff])
        let keptFrom = min(oldestOfNewest, oldestRecent ?? .max)
        guard
            let through = try Int64.fetchOne(
                db, sql: "SELECT MAX(version) FROM change WHERE environment = ? AND version < ?", arguments: [environment, keptFrom])
        else { return 0 }
        try db.execute(sql: "DELETE FROM change WHERE environment = ? AND version <= ?", arguments: [environment, through])
        let deleted = db.changesCount
        try db.execute(
            sql: "UPDATE environment SET changes_pruned_through = MAX(changes_pruned_through, ?) WHERE name = ?",
            arguments: [through, environment])
        return deleted
    }
}
