import Foundation
import PostgresNIO
import SwitchyardStore

extension PostgresFlagStore {
    package func changesPrunedThrough(in environment: String) async throws -> Int64 {
        guard
            let through = try await first(
                try await read("SELECT changes_pruned_through FROM environment WHERE name = \(environment)")
                    .decode(Int64.self))
        else { throw StoreError.notFound("environment \(environment)") }
        return through
    }

    package func pruneChanges(keepingNewest count: Int, before cutoff: Date) async throws -> Int {
        precondition(count >= 1, "the newest change of an environment is always kept")
        var deleted = 0
        for environment in try await environments() {
            deleted += try await transaction { connection in
                try await pruneChanges(of: environment.name, keepingNewest: count, before: cutoff, connection)
            }
        }
        return deleted
    }

    /// One environment's pruning, in one transaction: every row below the oldest row that must stay.
    /// The environment's row is locked as a write locks it, so no change commits below the cut meanwhile.
    private func pruneChanges(of environment: String, keepingNewest count: Int, before cutoff: Date, _ connection: PostgresConnection)
        async throws -> Int
    {
        try await connection.query("SELECT name FROM environment WHERE name = \(environment) FOR UPDATE", logger: logger)
        let offset = count - 1
        guard
            let oldestOfNewest = try await first(
                try await connection.query(
                    "SELECT version FROM change WHERE environment = \(environment) ORDER BY version DESC LIMIT 1 OFFSET \(offset)",
                    logger: logger
                ).decode(Int64.self))
        else { return 0 }
        let oldestRecent = try await first(
            try await connection.query(
                "SELECT version FROM change WHERE environment = \(environment) AND at >= \(cutoff) ORDER BY version LIMIT 1", logger: logger
            ).decode(Int64.self))
        let keptFrom = min(oldestOfNewest, oldestRecent ?? .max)
        let deleted = try await all(
            try await connection.query(
                "DELETE FROM change WHERE environment = \(environment) AND version < \(keptFrom) RETURNING version", logger: logger
            ).decode(Int64.self))
        guard let through = deleted.max() else { return 0 }
        try await connection.query(
            """
            UPDATE environment SET changes_pruned_through = GREATEST(changes_pruned_through, \(through)) WHERE name = \(environment)
            """, logger: logger)
        return deleted.count
    }
}
